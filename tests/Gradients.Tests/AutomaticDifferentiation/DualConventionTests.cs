using System.Globalization;
using System.Numerics;

namespace Gradients.Tests.AutomaticDifferentiation;

/// <summary>The documented conventions of <see cref="Dual{T}"/>: kinks, singular points, predicates, conversions, text.</summary>
public sealed class DualConventionTests
{
    private static Dual<double> Variable(double value) => new(value, 1.0);

    [Fact]
    public void Abs_has_derivative_sign_and_zero_at_both_zeros()
    {
        Assert.Equal(-1.0, Dual<double>.Abs(Variable(-2)).Tangent);
        Assert.Equal(1.0, Dual<double>.Abs(Variable(2)).Tangent);
        Assert.Equal(0.0, Dual<double>.Abs(Variable(0.0)).Tangent);
        Assert.Equal(0.0, Dual<double>.Abs(Variable(-0.0)).Tangent);
        Assert.Equal(0.0, Dual<double>.Abs(Variable(-0.0)).Value);
    }

    [Fact]
    public void Max_and_min_take_the_chosen_tangent_and_average_at_ties()
    {
        var a = new Dual<double>(3, 1);
        var b = new Dual<double>(2, 10);
        Assert.Equal(1.0, Dual<double>.Max(a, b).Tangent);
        Assert.Equal(10.0, Dual<double>.Min(a, b).Tangent);
        var tie = new Dual<double>(3, 10);
        Assert.Equal(5.5, Dual<double>.Max(a, tie).Tangent);
        Assert.Equal(5.5, Dual<double>.Min(a, tie).Tangent);
        Assert.Equal(5.5, Dual<double>.Clamp(a, tie, new Dual<double>(7, 0)).Tangent);
        Assert.Equal(0.0, Dual<double>.Clamp(a, new Dual<double>(4, 0), new Dual<double>(7, 0)).Tangent);
        Assert.Equal(1.0, Dual<double>.Clamp(a, new Dual<double>(1, 0), new Dual<double>(7, 0)).Tangent);
        Assert.Equal(10.0, Dual<double>.MaxNumber(new Dual<double>(double.NaN, 1), b).Tangent);
        Assert.True(Dual<double>.IsNaN(Dual<double>.Max(new Dual<double>(double.NaN, 1), b)));
        Assert.Equal(-4.0, Dual<double>.MaxMagnitude(new Dual<double>(-5, -4), a).Tangent);
        Assert.Equal(1.0, Dual<double>.MinMagnitude(new Dual<double>(-5, -4), a).Tangent);
    }

    [Fact]
    public void Pow_at_zero_follows_the_limits()
    {
        Assert.Equal(0.0, Dual<double>.Pow(Variable(0), 2.0).Tangent);
        Assert.Equal(1.0, Dual<double>.Pow(Variable(0), 1.0).Tangent);
        Assert.Equal(double.PositiveInfinity, Dual<double>.Pow(Variable(0), 0.5).Tangent);
        Assert.Equal(0.0, Dual<double>.Pow(Variable(0), 0.0).Tangent);
        Assert.Equal(0.0, Dual<double>.Pow(0.0, Variable(2)).Tangent);

        // A constant exponent at negative x: d/dx x³ = 3x² = 12, not NaN from the (unused) ln x.
        Assert.Equal(12.0, Dual<double>.Pow(Variable(-2), 3.0).Tangent);
        Assert.True(double.IsNaN(Dual<double>.Pow(-2.0, Variable(3)).Tangent));
    }

    [Fact]
    public void Infinite_derivatives_keep_a_constant_constant()
    {
        Assert.Equal(double.PositiveInfinity, Dual<double>.Sqrt(Variable(0)).Tangent);
        Assert.Equal(0.0, Dual<double>.Sqrt(new Dual<double>(0)).Tangent);
        Assert.Equal(0.0, Dual<double>.Log(new Dual<double>(0)).Tangent);
        Assert.Equal(0.0, Dual<double>.Asin(new Dual<double>(1)).Tangent);
        Assert.Equal(double.PositiveInfinity, Dual<double>.Asin(Variable(1)).Tangent);
        Assert.Equal(double.NegativeInfinity, Dual<double>.Cbrt(new Dual<double>(0, -1)).Tangent);
    }

    [Fact]
    public void Atan2_at_the_origin_is_NaN_only_when_the_point_moves()
    {
        Assert.True(double.IsNaN(Dual<double>.Atan2(Variable(0), 0.0).Tangent));
        Assert.Equal(0.0, Dual<double>.Atan2(new Dual<double>(0), new Dual<double>(0)).Tangent);
        Assert.Equal(0.0, Dual<double>.Hypot(Variable(0), Variable(0)).Tangent);
    }

    [Fact]
    public void Predicates_equality_and_order_look_at_the_value_only()
    {
        Assert.False(Dual<double>.IsNaN(new Dual<double>(1, double.NaN)));
        Assert.True(Dual<double>.IsNaN(new Dual<double>(double.NaN, 0)));
        Assert.True(Dual<double>.IsFinite(new Dual<double>(1, double.PositiveInfinity)));
        Assert.True(Dual<double>.IsZero(new Dual<double>(0, 5)));
        Assert.True(new Dual<double>(1, 2) == new Dual<double>(1, 3));
        Assert.True(new Dual<double>(1, 2).Equals(new Dual<double>(1, 3)));
        Assert.Equal(new Dual<double>(1, 2).GetHashCode(), new Dual<double>(1, 3).GetHashCode());
        Assert.True(new Dual<double>(1, 100) < new Dual<double>(2, -100));
        Assert.Equal(-1, new Dual<double>(1, 100).CompareTo(new Dual<double>(2, -100)));
        Assert.Equal(1, Dual<double>.Sign(new Dual<double>(3, -1)));
        Assert.Equal(3, Dual<double>.ILogB(new Dual<double>(9, 1)));
    }

    [Fact]
    public void Rounding_has_zero_tangent()
    {
        var x = new Dual<double>(2.6, 1);
        Assert.Equal((3.0, 0.0), (Dual<double>.Round(x).Value, Dual<double>.Round(x).Tangent));
        Assert.Equal(0.0, Dual<double>.Floor(x).Tangent);
        Assert.Equal(0.0, Dual<double>.Ceiling(x).Tangent);
        Assert.Equal(0.0, Dual<double>.Truncate(x).Tangent);
        Assert.Equal(0.0, Dual<double>.Round(x, 1, MidpointRounding.AwayFromZero).Tangent);
    }

    [Fact]
    public void Conversions_in_lift_constants_and_conversions_out_refuse_to_drop_a_tangent()
    {
        Assert.Equal((3.0, 0.0), (Dual<double>.CreateChecked(3).Value, Dual<double>.CreateChecked(3).Tangent));
        Assert.Equal(1.5f, Dual<float>.CreateTruncating(1.5).Value);
        Assert.Equal(0f, Dual<float>.CreateSaturating(1.5m).Tangent);
        Assert.Equal(2.5, double.CreateChecked(new Dual<double>(2.5)));
        Assert.Equal(2, int.CreateTruncating(new Dual<double>(2.5)));
        var error = Assert.Throws<InvalidOperationException>(() => double.CreateChecked(new Dual<double>(2.5, 1)));
        Assert.Contains("tangent", error.Message, StringComparison.Ordinal);
        Assert.Throws<InvalidOperationException>(() => int.CreateSaturating(new Dual<double>(2.5, 1)));
        Assert.Throws<InvalidOperationException>(() => float.CreateTruncating(new Dual<double>(2.5, -1)));
        Assert.Throws<InvalidOperationException>(() => Dual<double>.ConvertToInteger<long>(new Dual<double>(2.5, 1)));
    }

    [Fact]
    public void Parsing_gives_constants_and_formatting_shows_the_tangent()
    {
        var parsed = Dual<double>.Parse("2.5", CultureInfo.InvariantCulture);
        Assert.Equal((2.5, 0.0), (parsed.Value, parsed.Tangent));
        Assert.True(Dual<double>.TryParse("1e3".AsSpan(), NumberStyles.Float, CultureInfo.InvariantCulture, out var thousand));
        Assert.Equal(1000.0, thousand.Value);
        Assert.False(Dual<double>.TryParse("x", CultureInfo.InvariantCulture, out _));
        Assert.Equal("2", new Dual<double>(2).ToString(null, CultureInfo.InvariantCulture));
        Assert.Equal("2 + 5ε", new Dual<double>(2, 5).ToString(null, CultureInfo.InvariantCulture));
        Span<char> buffer = stackalloc char[16];
        Assert.True(new Dual<double>(2, 5).TryFormat(buffer, out var written, default, CultureInfo.InvariantCulture));
        Assert.Equal("2 + 5ε", buffer[..written].ToString());
        Assert.False(new Dual<double>(2, 5).TryFormat(buffer[..4], out _, default, CultureInfo.InvariantCulture));
    }

    [Fact]
    public void SinCos_matches_Sin_and_Cos()
    {
        var x = new Dual<double>(0.7, 2);
        var (sin, cos) = Dual<double>.SinCos(x);
        Assert.Equal(Dual<double>.Sin(x).Tangent, sin.Tangent);
        Assert.Equal(Dual<double>.Cos(x).Tangent, cos.Tangent);
        var (sinPi, cosPi) = Dual<double>.SinCosPi(x);
        Assert.Equal(Dual<double>.SinPi(x).Tangent, sinPi.Tangent);
        Assert.Equal(Dual<double>.CosPi(x).Tangent, cosPi.Tangent);
    }

    // Siskind and Pearlmutter, "Perturbation Confusion and Referential Transparency" (IFL 2005): d/dx [x · d/dy (x + y)]
    // is 1 (the inner derivative is 1); an implementation that confuses the two perturbations answers 2.
    [Fact]
    public void Nested_derivatives_do_not_confuse_perturbations()
    {
        Assert.Equal(1.0, Gradients.ForwardMode.Derivative(new TimesInnerDerivative(), 1.0));
        Assert.Equal(1.0, Gradients.ForwardMode.Derivative(new TimesInnerDerivative(), 7.5));
    }

    [Fact]
    public void Nested_derivatives_give_second_derivatives()
    {
        // d²/dx² x³ = 6x.
        Assert.Equal(12.0, Gradients.ForwardMode.Derivative(new DerivativeOfCube(), 2.0));
    }

    [Fact]
    public void A_plain_generic_function_runs_on_duals()
    {
        // f(x) = exp(sin x)·x², f′ = exp(sin x)(cos x·x² + 2x).
        var (value, derivative) = Gradients.ForwardMode.ValueAndDerivative(new ExpSinTimesSquare(), 0.8);
        Assert.Equal(Math.Exp(Math.Sin(0.8)) * 0.64, value, 15);
        var expected = Math.Exp(Math.Sin(0.8)) * ((Math.Cos(0.8) * 0.64) + 1.6);
        // About eight roundings and two library calls on each side: 8 ulp.
        Assert.True(Math.Abs(derivative - expected) <= 8 * Math.ScaleB(1.0, -52) * Math.Abs(expected));
    }

    private readonly struct TimesInnerDerivative : IGenericUnivariateFunction
    {
        public T Evaluate<T>(T x)
            where T : IFloatingPointIeee754<T> =>
            x * Gradients.ForwardMode.Derivative(new PlusCaptured<T>(x), T.One);
    }

    private readonly struct PlusCaptured<TCaptured>(TCaptured x) : IGenericUnivariateFunction
        where TCaptured : IFloatingPointIeee754<TCaptured>
    {
        public T Evaluate<T>(T y)
            where T : IFloatingPointIeee754<T> => T.CreateTruncating(x) + y;
    }

    private readonly struct DerivativeOfCube : IGenericUnivariateFunction
    {
        public T Evaluate<T>(T x)
            where T : IFloatingPointIeee754<T> => Gradients.ForwardMode.Derivative(new Cube(), x);
    }

    private readonly struct Cube : IGenericUnivariateFunction
    {
        public T Evaluate<T>(T x)
            where T : IFloatingPointIeee754<T> => x * x * x;
    }

    private readonly struct ExpSinTimesSquare : IGenericUnivariateFunction
    {
        public T Evaluate<T>(T x)
            where T : IFloatingPointIeee754<T> => T.Exp(T.Sin(x)) * x * x;
    }
}
