using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Gradients.Tests.Properties;

namespace Gradients.Tests.FiniteDifferences;

public sealed class GradientTests
{
    [Fact]
    public void Chapter_example_gradient_of_x2_plus_5y2_at_1_half_is_2_5()
    {
        double[] x = [1.0, 0.5];
        var gradient = new double[2];

        FiniteDifference.Gradient<double>(TestFunctions.Chapter, x, gradient);

        // f is quadratic, so central differences have no truncation error; only round-off ε|f|/h ≈ 1e-11 remains.
        Assert.Equal(2.0, gradient[0], 1e-9);
        Assert.Equal(5.0, gradient[1], 1e-9);
        var magnitude = Math.Sqrt((gradient[0] * gradient[0]) + (gradient[1] * gradient[1]));
        Assert.Equal(Math.Sqrt(29.0), magnitude, 1e-9);
        Assert.Equal("5.3852", magnitude.ToString("F4", System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void Chapter_example_in_float_is_within_its_error_model()
    {
        float[] x = [1f, 0.5f];
        var gradient = new float[2];
        var steps = new float[2];

        _ = FiniteDifference.Gradient<float>(TestFunctions.Chapter, x, gradient, default(FiniteDifferenceOptions<float>), steps: steps);

        // No truncation (quadratic); round-off u|f|/h with |f| ≤ (1 + h)² + 5(0.5 + h)² and u = 4ε for the four
        // roundings in evaluating f.
        double[] expected = [2.0, 5.0];
        for (var i = 0; i < 2; i++)
        {
            var h = (double)steps[i];
            var valueBound = Math.Pow(1 + h, 2) + (5 * Math.Pow(0.5 + h, 2));
            var bound = ErrorModel.FirstDerivative<float>(FiniteDifferenceScheme.Central, h, new DerivativeBounds(valueBound, expected[i], 10, 0, 0), evaluationUlps: 4);
            Assert.InRange(Math.Abs(gradient[i] - expected[i]), 0, bound);
        }
    }

    /// <summary>
    /// The accuracy target on well-conditioned one-variable cases: relative error ≤ 1e-8 for central
    /// differences over magnitudes 1e-6…1e6 for x³/3 + x (scale-free, derivative ≥ 1) and 1e-6…1 for exp and sin
    /// (where |f′| ≥ cos 1). Error model: h²|f‴|/6 + ε|f|/h ≈ 4e-11·(|f‴|h²/|f′| scale) with h = ∛ε·max(|x|, 1).
    /// </summary>
    [Property(MaxTest = 200)]
    public Property Central_relative_error_is_below_1e_8_in_double() =>
        Prop.ForAll(
            (from component in Gen.Elements(Component.Cubic, Component.Exp, Component.Sin)
             from x in component == Component.Cubic ? Generators.Wide : Generators.Magnitude(-6, 0)
             select (component, x)).ToArbitrary(),
            c =>
            {
                var gradient = new double[1];
                FiniteDifference.Gradient<double>(v => TestFunctions.Separable(c.component, v), [c.x], gradient);
                var exact = c.component.Derivative(c.x);
                return (Math.Abs(gradient[0] - exact) <= 1e-8 * Math.Abs(exact)).Label($"{c.component} at {c.x}: {gradient[0]} vs {exact}");
            });

    [Property(MaxTest = 100)]
    public Property Central_gradient_of_rosenbrock_and_log_sum_exp_is_within_1e_8_normwise() =>
        Prop.ForAll(Generators.Vector(Generators.Unit, 2, 12).ToArbitrary(), x =>
        {
            var n = x.Length;
            var numeric = new double[n];
            var exact = new double[n];
            var ok = true;

            FiniteDifference.Gradient<double>(TestFunctions.Rosenbrock, x, numeric);
            TestFunctions.RosenbrockGradient(x, exact);
            ok &= MaxAbsDifference(numeric, exact) <= 1e-8 * MaxAbs(exact);

            FiniteDifference.Gradient<double>(TestFunctions.LogSumExp, x, numeric);
            TestFunctions.LogSumExpGradient(x, exact);
            ok &= MaxAbsDifference(numeric, exact) <= 1e-8 * MaxAbs(exact);
            return ok;
        });

    [Fact]
    public void Struct_and_delegate_front_doors_agree_bit_for_bit()
    {
        double[] x = [-1.2, 1.0, 0.7, 3.5, -0.25];
        var viaDelegate = new double[x.Length];
        var viaStruct = new double[x.Length];

        FiniteDifference.Gradient<double>(TestFunctions.Rosenbrock, x, viaDelegate);
        FiniteDifference.Gradient(new RosenbrockFunction<double>(), x, viaStruct);

        Assert.Equal(viaDelegate, viaStruct);
    }

    [Fact]
    public void Options_overload_with_default_options_matches_the_plain_overload_and_counts_2n()
    {
        double[] x = [0.3, -2.0, 7.0];
        var plain = new double[3];
        var withOptions = new double[3];

        FiniteDifference.Gradient<double>(TestFunctions.LogSumExp, x, plain);
        var result = FiniteDifference.Gradient<double>(TestFunctions.LogSumExp, x, withOptions, default(FiniteDifferenceOptions<double>));

        Assert.Equal(plain, withOptions);
        Assert.Equal(6, result.Evaluations);
        Assert.False(result.HasErrorEstimate);
    }

    [Fact]
    public void Callers_x_is_never_written_and_f_sees_a_different_buffer()
    {
        double[] x = [1.5, -0.5, 2.0];
        var snapshot = (double[])x.Clone();
        var gradient = new double[3];
        var sawCallersBuffer = false;

        foreach (var scheme in Enum.GetValues<FiniteDifferenceScheme>())
        {
            _ = FiniteDifference.Gradient<double>(
                v =>
                {
                    sawCallersBuffer |= v.Overlaps(x);
                    return TestFunctions.Rosenbrock(v);
                },
                x,
                gradient,
                new FiniteDifferenceOptions<double> { Scheme = scheme });
            Assert.Equal(snapshot, x);
        }

        Assert.False(sawCallersBuffer);
    }

    internal static double MaxAbsDifference(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        var max = 0.0;
        for (var i = 0; i < a.Length; i++)
        {
            max = Math.Max(max, Math.Abs(a[i] - b[i]));
        }

        return max;
    }

    internal static double MaxAbs(ReadOnlySpan<double> a)
    {
        var max = 0.0;
        foreach (var v in a)
        {
            max = Math.Max(max, Math.Abs(v));
        }

        return max;
    }
}
