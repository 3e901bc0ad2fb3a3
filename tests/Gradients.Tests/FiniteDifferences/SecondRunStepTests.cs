namespace Gradients.Tests.FiniteDifferences;

/// <summary>
/// Issue 13, second hostile run, on steps: a Hessian step whose square is subnormal (f of a quadratic underflows to
/// 0 there, and a product of two such steps to a NaN quotient); a directional stencil that divided by the nominal
/// offset when the point had not moved (a Richardson half step or an Adaptive step below one ulp gave 4/3 or 0 for
/// the slopes 3 and 2); a Hessian-vector product along a huge v whose factor ‖v‖/2τ overflowed; a grid whose
/// bound leaves no room for the central difference, reported under the finite-difference routine's own "x".
/// </summary>
public sealed class SecondRunStepTests
{
    [Theory]
    [InlineData(-664)] // h ≈ 10⁻²⁰⁰: h² is 0
    [InlineData(-512)] // h² = 2⁻¹⁰²⁴, subnormal
    public void A_hessian_step_whose_square_is_subnormal_is_rejected_naming_options(int exponent)
    {
        var step = Math.ScaleB(1.0, exponent);
        var e = Assert.Throws<ArgumentException>(() => FiniteDifference.Hessian(
            v => v[0] * v[0], [0.0], new double[1], new FiniteDifferenceOptions<double> { Step = step, StepKind = StepSizeKind.Absolute }));
        Assert.Equal("options", e.ParamName);
        Assert.Contains("coordinate 0", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_smallest_hessian_step_with_a_normal_square_gives_the_exact_second_derivative()
    {
        // h = 2⁻⁵¹¹: f(±h) = h² = 2⁻¹⁰²² is normal and every quotient of the parabola formula is a power of two: exact.
        var hessian = new double[1];
        FiniteDifference.Hessian(v => v[0] * v[0], [0.0], hessian, new FiniteDifferenceOptions<double> { Step = Math.ScaleB(1.0, -511), StepKind = StepSizeKind.Absolute });
        Assert.Equal(2.0, hessian[0]);
    }

    [Fact]
    public void Per_coordinate_and_float_hessian_steps_whose_products_underflow_are_rejected()
    {
        var perCoordinate = Assert.Throws<ArgumentException>(() => FiniteDifference.Hessian(
            v => (v[0] * v[0]) + (3 * v[0] * v[1]), [0.0, 0.0], new double[4],
            new FiniteDifferenceOptions<double> { Steps = new[] { 1e-3, 1e-170 }, StepKind = StepSizeKind.Absolute }));
        Assert.Equal("options", perCoordinate.ParamName);
        Assert.Contains("coordinate 1", perCoordinate.Message, StringComparison.Ordinal);

        var single = Assert.Throws<ArgumentException>(() => FiniteDifference.Hessian<float>(
            v => 3 * v[0] * v[0], [0f], new float[1], new FiniteDifferenceOptions<float> { Step = 1e-23f, StepKind = StepSizeKind.Absolute }));
        Assert.Contains("Single", single.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(FiniteDifferenceScheme.Central)]
    [InlineData(FiniteDifferenceScheme.Forward)]
    [InlineData(FiniteDifferenceScheme.Backward)]
    [InlineData(FiniteDifferenceScheme.FourthOrderCentral)]
    [InlineData(FiniteDifferenceScheme.Richardson)]
    [InlineData(FiniteDifferenceScheme.Adaptive)]
    public void Along_a_coordinate_axis_a_one_ulp_step_gives_the_gradients_value_to_the_bit(FiniteDifferenceScheme scheme)
    {
        // With offsets measured where they are applied, the line along e₀ is the coordinate line: same points, same
        // quotients. Before, Richardson's half step (1 + 2⁻⁵³ rounds to 1) was divided by its nominal size: 4/3 for 3.
        var options = new FiniteDifferenceOptions<double> { Scheme = scheme, Step = Math.ScaleB(1.0, -52), StepKind = StepSizeKind.Absolute };
        var gradient = new double[2];
        FiniteDifference.Gradient(v => (3 * v[0]) + v[1], [1.0, 0.5], gradient, options);

        var directional = FiniteDifference.DirectionalDerivative(v => (3 * v[0]) + v[1], [1.0, 0.5], [1.0, 0.0], options);
        Assert.Equal(gradient[0], directional.Value);

        var half = new Half[1];
        var halfOptions = new FiniteDifferenceOptions<Half> { Scheme = scheme, Step = (Half)Math.ScaleB(1.0, -10), StepKind = StepSizeKind.Absolute };
        FiniteDifference.Gradient<Half>(v => (Half)3 * v[0], [Half.One], half, halfOptions);
        Assert.Equal(half[0], FiniteDifference.DirectionalDerivative<Half>(v => (Half)3 * v[0], [Half.One], [Half.One], halfOptions).Value);
    }

    [Fact]
    public void Adaptive_along_a_direction_with_no_finite_value_ahead_turns_one_sided()
    {
        // f = x·x + y·y is NaN once x > 1; the slope along (1, 0) at (1, 1) is 2, along (3, 4)/5 it is 2.8. The
        // one-sided tableau of a quadratic is exact up to round-off, ε|f|/h per row at the h ≈ 10⁻² it settles on,
        // about 10⁻¹³; 10⁻¹⁰ leaves three orders for the extrapolation. Before, the step shrank until it no longer
        // moved x and the quotient 0/(2h) = 0 was returned.
        var calls = 0;
        double F(ReadOnlySpan<double> v)
        {
            calls++;
            return v[0] > 1 ? double.NaN : (v[0] * v[0]) + (v[1] * v[1]);
        }

        var options = new FiniteDifferenceOptions<double> { Scheme = FiniteDifferenceScheme.Adaptive };
        var along = FiniteDifference.DirectionalDerivative(F, [1.0, 1.0], [1.0, 0.0], options);
        Assert.True(Math.Abs(along.Value - 2) <= 1e-10, along.ToString());
        Assert.True(along.OneSided);
        Assert.Equal(calls, along.Evaluations);

        var oblique = FiniteDifference.DirectionalDerivative(v => v[0] + v[1] > 2 ? double.NaN : (v[0] * v[0]) + (v[1] * v[1]), [1.0, 1.0], [3.0, 4.0], options);
        Assert.True(Math.Abs(oblique.Value - 2.8) <= 1e-10, oblique.ToString());
    }

    [Fact]
    public void A_hessian_vector_product_along_a_huge_v_is_finite()
    {
        // f = ¼Σxᵢ² has H = ½I, so Hv = v/2 = 5·10³⁰⁷. The quotient's round-off is ε|f|/(h·τ) ≈ 2·10⁻¹⁶·0.5/(1.2·10⁻⁴)²
        // ≈ 10⁻⁸ of H; 10⁻⁶ relative covers it.
        var product = new double[2];
        FiniteDifference.HessianVectorProduct(v => 0.25 * ((v[0] * v[0]) + (v[1] * v[1])), [1.0, 1.0], [1e308, 1e308], product);
        Assert.All(product, p => Assert.True(Math.Abs(p - 5e307) <= 1e-6 * 5e307, $"{p}"));

        var fromGradient = new double[2];
        FiniteDifference.HessianVectorProductFromGradient<double, WeightedSumOfSquares<double>>(new WeightedSumOfSquares<double>([0.25, 0.25]), [1.0, 1.0], [1e308, 1e308], fromGradient);
        Assert.All(fromGradient, p => Assert.True(Math.Abs(p - 5e307) <= 1e-6 * 5e307, $"{p}"));
    }

    [Fact]
    public void Numerical_sampling_of_a_grid_with_no_room_for_the_stencil_names_the_grid()
    {
        var e = Assert.Throws<ArgumentException>(() => GradientField.SampleNumerically(
            new Grid<double>(0, double.MaxValue, 2, 0, 1, 2), v => v[0] * 1e-300, new double[4], new double[4], new double[4]));
        Assert.Equal("grid", e.ParamName);
        Assert.Contains("1.7976931348623157E+308", e.Message, StringComparison.Ordinal);

        var half = Assert.Throws<ArgumentException>(() => GradientField.SampleNumerically(
            new Grid<Half>(Half.MinValue, Half.Zero, 2, Half.Zero, Half.One, 2), v => v[1], new Half[4], new Half[4], new Half[4]));
        Assert.Equal("grid", half.ParamName);
    }

    [Fact]
    public void Options_members_of_the_wrong_length_are_reported_under_the_parameter_options()
    {
        // ParamName is a parameter of the method called (it was "options.LowerBounds"); the message names the member.
        var options = new FiniteDifferenceOptions<double> { LowerBounds = new[] { 0.0, 0.0 } };
        var calls = new Action[]
        {
            () => FiniteDifference.Derivative(v => v * v, 1.0, options),
            () => FiniteDifference.DirectionalDerivative(v => v[0], [1.0, 2.0, 3.0], [1.0, 0.0, 0.0], options),
            () => FiniteDifference.Jacobian<double>((v, o) => o[0] = v[0], [1.0], new double[1], options),
            () => FiniteDifference.Hessian(v => v[0], [1.0], new double[1], options),
            () => FiniteDifference.Gradient(v => v[0], [1.0], new double[1], new FiniteDifferenceOptions<double> { UpperBounds = new[] { 2.0, 2.0 } }),
            () => FiniteDifference.Hessian(v => v[0], [1.0], new double[1], new FiniteDifferenceOptions<double> { Steps = new[] { 1e-3, 1e-3 } }),
        };

        foreach (var call in calls)
        {
            var e = Assert.Throws<ArgumentException>(call);
            Assert.Equal("options", e.ParamName);
            Assert.Matches("'options\\.(LowerBounds|UpperBounds|Steps)' has length 2", e.Message);
        }
    }
}
