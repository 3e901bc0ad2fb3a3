using Gradients.Tests.Properties;

namespace Gradients.Tests.FiniteDifferences;

public sealed class NonFiniteValueTests
{
    /// <summary>f = Σ xᵢ^(3/2), defined for x ≥ 0 only; NaN to the left of 0.</summary>
    private static double ThreeHalves(ReadOnlySpan<double> x)
    {
        var sum = 0.0;
        foreach (var v in x)
        {
            sum += v >= 0 ? v * Math.Sqrt(v) : double.NaN;
        }

        return sum;
    }

    [Fact]
    public void By_default_a_NaN_at_a_stencil_point_throws_naming_the_coordinate_and_the_point()
    {
        double[] x = [2.0, 1e-9];

        var exception = Assert.Throws<NotFiniteNumberException>(() => FiniteDifference.Gradient<double>(ThreeHalves, x, new double[2]));

        Assert.Contains("coordinate 1", exception.Message, StringComparison.Ordinal);
        Assert.Contains("[2, 1E-09]", exception.Message, StringComparison.Ordinal);
        Assert.True(double.IsNaN(exception.OffendingNumber));
    }

    [Theory]
    [InlineData(FiniteDifferenceScheme.Central)]
    [InlineData(FiniteDifferenceScheme.Backward)]
    [InlineData(FiniteDifferenceScheme.FourthOrderCentral)]
    [InlineData(FiniteDifferenceScheme.Richardson)]
    public void Falling_back_to_one_sided_gives_a_finite_accurate_component(FiniteDifferenceScheme scheme)
    {
        double[] x = [2.0, 1e-9];
        var gradient = new double[2];
        var steps = new double[2];

        var result = FiniteDifference.Gradient<double>(
            ThreeHalves, x, gradient, new FiniteDifferenceOptions<double> { Scheme = scheme, NonFiniteValues = NonFiniteValuePolicy.FallBackToOneSided }, steps: steps);

        Assert.Equal(1, result.OneSidedCoordinates);
        Assert.True(double.IsFinite(gradient[1]));

        // (3/2)√t has unbounded higher derivatives at 0, so the one-sided model is evaluated with the worst
        // derivative bounds on [x, x + 4h], which the formula's truncation terms grow with.
        var h = steps[1];
        var t = x[1];
        var bounds = new DerivativeBounds(
            Value: Math.Pow(t + (4 * h), 1.5) + Math.Pow(2, 1.5),
            FirstDerivative: 1.5 * Math.Sqrt(t),
            Second: 0.75 / Math.Sqrt(t),
            Third: 0.375 * Math.Pow(t, -1.5),
            Fifth: 0,
            Fourth: 0.5625 * Math.Pow(t, -2.5));
        var bound = ErrorModel.OneSidedFirstDerivative<double>(scheme, h, bounds, evaluationUlps: 4);
        Assert.InRange(Math.Abs(gradient[1] - (1.5 * Math.Sqrt(t))), 0, bound);
        Assert.Equal(1.5 * Math.Sqrt(2.0), gradient[0], 1e-8);
    }

    [Fact]
    public void A_non_finite_f_at_x_itself_throws_even_with_the_fallback()
    {
        var exception = Assert.Throws<NotFiniteNumberException>(() => FiniteDifference.Gradient<double>(
            v => v[0] < 1.0 + 1e-3 ? double.PositiveInfinity : v[0],
            [1.0],
            new double[1],
            new FiniteDifferenceOptions<double> { Scheme = FiniteDifferenceScheme.Forward, NonFiniteValues = NonFiniteValuePolicy.FallBackToOneSided }));

        Assert.Contains("coordinate 0", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_fallback_throws_when_both_sides_are_non_finite()
    {
        Assert.Throws<NotFiniteNumberException>(() => FiniteDifference.Gradient<double>(
            v => v[0] == 1.0 ? 1.0 : double.NaN,
            [1.0],
            new double[1],
            new FiniteDifferenceOptions<double> { NonFiniteValues = NonFiniteValuePolicy.FallBackToOneSided }));
    }

    [Fact]
    public void Directional_derivative_and_Jacobian_and_Hessian_throw_on_non_finite_values()
    {
        double[] x = [2.0, 1e-9];

        Assert.Throws<NotFiniteNumberException>(() => FiniteDifference.DirectionalDerivative<double>(ThreeHalves, x, [0.0, 1.0]));
        Assert.Throws<NotFiniteNumberException>(() => FiniteDifference.Jacobian<double>((v, values) => values[0] = ThreeHalves(v), x, new double[2]));
        Assert.Throws<NotFiniteNumberException>(() => FiniteDifference.Hessian<double>(ThreeHalves, x, new double[4]));

        var estimate = FiniteDifference.DirectionalDerivative<double>(
            ThreeHalves, x, [0.0, 1.0], new FiniteDifferenceOptions<double> { NonFiniteValues = NonFiniteValuePolicy.FallBackToOneSided });
        Assert.True(estimate.OneSided);
        Assert.True(double.IsFinite(estimate.Value));

        var jacobian = new double[2];
        var result = FiniteDifference.Jacobian<double>(
            (v, values) => values[0] = ThreeHalves(v), x, jacobian, new FiniteDifferenceOptions<double> { NonFiniteValues = NonFiniteValuePolicy.FallBackToOneSided });
        Assert.Equal(1, result.OneSidedCoordinates);
        Assert.All(jacobian, v => Assert.True(double.IsFinite(v)));
    }
}
