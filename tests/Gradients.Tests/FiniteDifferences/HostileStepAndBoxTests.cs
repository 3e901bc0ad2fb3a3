namespace Gradients.Tests.FiniteDifferences;

/// <summary>
/// Issue 13, items 3–5: boxes with no room for a stencil, differences that overflow although every value of f is
/// finite, and steps that make no sense. Every entry point either gives a correct number or throws; none returns
/// NaN, ±∞ or a wrong number.
/// </summary>
public sealed class HostileStepAndBoxTests
{
    private static readonly FiniteDifferenceScheme[] Schemes = Enum.GetValues<FiniteDifferenceScheme>();
    private static readonly Func<ReadOnlySpan<double>, double> Chapter = TestFunctions.Chapter;

    public static TheoryData<FiniteDifferenceScheme> AllSchemes()
    {
        var data = new TheoryData<FiniteDifferenceScheme>();
        foreach (var scheme in Schemes)
        {
            data.Add(scheme);
        }

        return data;
    }

    // Item 3: a box one ulp wide.

    [Theory]
    [MemberData(nameof(AllSchemes))]
    public void A_box_one_ulp_wide_is_rejected_naming_the_coordinate_by_every_entry_point(FiniteDifferenceScheme scheme)
    {
        var options = new FiniteDifferenceOptions<double>
        {
            Scheme = scheme,
            LowerBounds = new[] { 1.0 },
            UpperBounds = new[] { Math.BitIncrement(1.0) },
        };
        static double F(ReadOnlySpan<double> v) => 3 * v[0];

        AssertNoRoom(() => FiniteDifference.Gradient(F, [1.0], new double[1], options));
        AssertNoRoom(() => FiniteDifference.Derivative(v => 3 * v, 1.0, options));
        AssertNoRoom(() => FiniteDifference.Jacobian<double>((v, values) => values[0] = 3 * v[0], [1.0], new double[1], options));

        var directional = Assert.ThrowsAny<ArgumentException>(() => FiniteDifference.DirectionalDerivative(F, [1.0], [1.0], options));
        Assert.Equal("options", directional.ParamName);
        Assert.Contains("no room", directional.Message, StringComparison.Ordinal);
        if (scheme == FiniteDifferenceScheme.Central)
        {
            AssertNoRoom(() => FiniteDifference.Hessian(F, [1.0], new double[1], options));
        }

        static void AssertNoRoom(Action call)
        {
            var exception = Assert.ThrowsAny<ArgumentException>(call);
            Assert.Equal("options", exception.ParamName);
            Assert.Contains("coordinate 0", exception.Message, StringComparison.Ordinal);
            Assert.Contains("no room", exception.Message, StringComparison.Ordinal);
        }
    }

    [Theory]
    [MemberData(nameof(AllSchemes))]
    public void Any_narrow_box_gives_a_correct_value_or_an_exception_never_NaN(FiniteDifferenceScheme scheme)
    {
        // f = 3x is linear: the truncation error is 0, so the whole error is round-off. Each value of f is within
        // ε|f| of exact and the stencils' coefficients sum to at most 8/k (k ≥ h/2 the innermost offset; the
        // extrapolated one-sided stencil: (4·4 + 4/2)/3 = 6 per k), so |error| ≤ 16·ε·max|f|/h + 4ε|f′|.
        const double Epsilon = 2.220446049250313e-16; // 2⁻⁵²
        var tried = 0;
        var computed = 0;
        for (var ulps = 1L; ulps < 1L << 40; ulps *= 3)
        {
            var upper = 1.0 + (ulps * Epsilon);
            var options = new FiniteDifferenceOptions<double> { Scheme = scheme, LowerBounds = new[] { 1.0 }, UpperBounds = new[] { upper } };
            tried++;
            FiniteDifferenceEstimate<double> estimate;
            try
            {
                estimate = FiniteDifference.Derivative(v => 3 * v, 1.0, options);
            }
            catch (ArgumentException exception)
            {
                Assert.Contains("no room", exception.Message, StringComparison.Ordinal);
                continue;
            }

            computed++;
            var bound = (16 * Epsilon * 3 * upper / estimate.Step) + (4 * Epsilon * 3);
            Assert.True(Math.Abs(estimate.Value - 3) <= bound, $"box width {ulps} ulps: {estimate.Value} (step {estimate.Step}, bound {bound})");
        }

        // Both outcomes occur: the narrowest boxes are rejected, the wider ones computed.
        Assert.InRange(computed, 1, tried - 1);
    }

    // Item 4: differences that overflow although f is finite.

    [Theory]
    [MemberData(nameof(AllSchemes))]
    public void A_difference_that_overflows_is_rescaled_not_returned_as_infinity(FiniteDifferenceScheme scheme)
    {
        // f = 1.5e308·x with a point and step per scheme such that every stencil point has |f| ≤ 0.9e308 but two of
        // them differ by 1.8e308, which overflows; the derivative 1.5e308 is representable. Rescaling by a power of
        // two is exact, so only the quotient's own roundings remain (≤ 4ε relative).
        var (x, step) = scheme switch
        {
            FiniteDifferenceScheme.Forward => (-0.6, 1.2),
            FiniteDifferenceScheme.Backward => (0.6, 1.2),
            FiniteDifferenceScheme.FourthOrderCentral => (0.0, 0.3), // reaches ±2h
            _ => (0.0, 0.6),                                            // central ±h; Richardson ±h/2 and ±h
        };
        var options = new FiniteDifferenceOptions<double> { Scheme = scheme, Step = step, StepKind = StepSizeKind.Absolute };
        static double F(ReadOnlySpan<double> v) => 1.5e308 * v[0];
        var gradient = new double[1];
        var jacobian = new double[1];

        _ = FiniteDifference.Gradient(F, [x], gradient, options);
        _ = FiniteDifference.Jacobian<double>((v, values) => values[0] = F(v), [x], jacobian, options);

        var derivative = FiniteDifference.Derivative(v => 1.5e308 * v, x, options).Value;
        var directional = FiniteDifference.DirectionalDerivative(F, [x], [2.0], options).Value;

        foreach (var value in new[] { gradient[0], jacobian[0], derivative, directional })
        {
            Assert.True(Math.Abs(value - 1.5e308) <= 4 * 2.2e-16 * 1.5e308, $"{scheme}: {value}");
        }
    }

    [Fact]
    public void Hessian_and_Hessian_vector_differences_that_overflow_are_rescaled()
    {
        // f = ½·1e308·x₀² + 1e308·x₀x₁ at 0 with h = 1: the diagonal's 2·(f₊ − f₀ + f₋ − f₀) and the mixed
        // f₊₊ − f₊₋ − f₋₊ + f₋₋ = 4e308 overflow; H = [[1e308, 1e308], [1e308, 0]] is representable.
        static double F(ReadOnlySpan<double> v) => (0.5e308 * v[0] * v[0]) + (1e308 * v[0] * v[1]);
        var hessian = new double[4];

        _ = FiniteDifference.Hessian(F, [0.0, 0.0], hessian, new FiniteDifferenceOptions<double> { Step = 1, StepKind = StepSizeKind.Absolute });

        double[] expected = [1e308, 1e308, 1e308, 0];
        for (var i = 0; i < 4; i++)
        {
            Assert.True(Math.Abs(hessian[i] - expected[i]) <= 8 * 2.2e-16 * 1e308, $"H[{i}] = {hessian[i]}");
        }
    }

    [Fact]
    public void A_derivative_beyond_the_range_of_the_type_is_an_exception_not_infinity()
    {
        // f = 1e308·tanh(100x): f′(0) = 1e310 is not a double; every value of f is finite.
        static double F(ReadOnlySpan<double> v) => 1e308 * Math.Tanh(100 * v[0]);
        var options = new FiniteDifferenceOptions<double> { Step = 1e-3, StepKind = StepSizeKind.Absolute };

        var exception = Assert.Throws<NotFiniteNumberException>(() => FiniteDifference.Gradient(F, [0.0], new double[1], options));
        Assert.Contains("beyond the range", exception.Message, StringComparison.Ordinal);
        Assert.Throws<NotFiniteNumberException>(() => FiniteDifference.Derivative(v => 1e308 * Math.Tanh(100 * v), 0.0, options));
        Assert.Throws<NotFiniteNumberException>(() => FiniteDifference.Jacobian<double>((v, values) => values[0] = F(v), [0.0], new double[1], options));
    }

    // Item 5: steps that make no sense.

    [Theory]
    [MemberData(nameof(AllSchemes))]
    public void A_step_that_takes_the_stencil_past_the_largest_double_is_rejected_by_every_entry_point(FiniteDifferenceScheme scheme)
    {
        // Relative 1e308 at x = 2 makes h = ∞; at x = 1 it makes x + 2h = ∞, the reach of the fourth-order stencil
        // and of the one-sided stencils central differences may turn to (forward and backward reach only x + h).
        var reachesTwoSteps = scheme is FiniteDifferenceScheme.Central or FiniteDifferenceScheme.FourthOrderCentral or FiniteDifferenceScheme.Richardson;
        foreach (var x in reachesTwoSteps ? new[] { 2.0, 1.0 } : [2.0])
        {
            var options = new FiniteDifferenceOptions<double> { Scheme = scheme, Step = 1e308 };
            var calls = new List<Action>
            {
                () => FiniteDifference.Gradient(Chapter, [x, 0.5], new double[2], options),
                () => FiniteDifference.Derivative(Math.Sin, x, options),
                () => FiniteDifference.DirectionalDerivative(Chapter, [x, 0.5], [1.0, 0.0], options),
                () => FiniteDifference.Jacobian<double>((v, values) => values[0] = v[0], [x, 0.5], new double[2], options),
            };
            if (scheme == FiniteDifferenceScheme.Central)
            {
                calls.Add(() => FiniteDifference.Hessian(Chapter, [x, 0.5], new double[4], options));
            }

            foreach (var call in calls)
            {
                var exception = Assert.ThrowsAny<ArgumentException>(call);
                Assert.Equal("options", exception.ParamName);
            }
        }
    }

    [Fact]
    public void A_point_at_the_largest_double_has_no_finite_stencil_and_is_rejected_naming_x()
    {
        double[] x = [double.MaxValue, 0.5];
        static double F(ReadOnlySpan<double> v) => v[1];

        Assert.Equal("x", Assert.ThrowsAny<ArgumentException>(() => FiniteDifference.Gradient(F, x, new double[2])).ParamName);
        Assert.Equal("x", Assert.ThrowsAny<ArgumentException>(() => FiniteDifference.Gradient(F, x, new double[2], new FiniteDifferenceOptions<double> { Scheme = FiniteDifferenceScheme.Forward })).ParamName);
        Assert.Equal("x", Assert.ThrowsAny<ArgumentException>(() => FiniteDifference.Hessian(F, x, new double[4])).ParamName);
        Assert.Equal("x", Assert.ThrowsAny<ArgumentException>(() => FiniteDifference.Jacobian<double>((v, values) => values[0] = v[1], x, new double[2])).ParamName);
        Assert.Equal("x", Assert.ThrowsAny<ArgumentException>(() => FiniteDifference.DirectionalDerivative(F, x, [1.0, 1.0])).ParamName);
        Assert.Equal("x", Assert.ThrowsAny<ArgumentException>(() => FiniteDifference.Derivative(v => v, double.MaxValue)).ParamName);
        Assert.Equal("x", Assert.ThrowsAny<ArgumentException>(() => FiniteDifference.HessianVectorProduct(F, x, [1.0, 0.0], new double[2])).ParamName);

        // The vectorized default path (n ≥ 4) too, with the huge coordinate in the middle of a vector.
        var wide = new double[9];
        wide[5] = -double.MaxValue;
        var error = Assert.ThrowsAny<ArgumentException>(() => FiniteDifference.Gradient(v => v[0], wide, new double[9]));
        Assert.Equal("x", error.ParamName);
        Assert.Contains("coordinate 5", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_directional_derivative_rejects_a_step_that_does_not_move_x_as_the_gradient_does()
    {
        var options = new FiniteDifferenceOptions<double> { Step = 1e-20, StepKind = StepSizeKind.Absolute };

        var gradient = Assert.ThrowsAny<ArgumentException>(() => FiniteDifference.Gradient(Chapter, [1e6, 0.5], new double[2], options));
        var directional = Assert.ThrowsAny<ArgumentException>(() => FiniteDifference.DirectionalDerivative(Chapter, [1e6, 0.5], [1.0, 1.0], options));

        Assert.Equal("options", gradient.ParamName);
        Assert.Equal("options", directional.ParamName);
        Assert.Contains("too small to move", directional.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void StepSize_rejects_undefined_schemes_and_points_without_a_finite_stencil()
    {
        var undefined = (FiniteDifferenceScheme)99;

        Assert.Equal("scheme", Assert.Throws<ArgumentOutOfRangeException>(() => StepSize.Factor<double>(undefined)).ParamName);
        Assert.Equal("scheme", Assert.Throws<ArgumentOutOfRangeException>(() => StepSize.Default(undefined, 1.0)).ParamName);
        Assert.Equal("x", Assert.ThrowsAny<ArgumentException>(() => StepSize.Default(FiniteDifferenceScheme.Central, double.NaN)).ParamName);
        Assert.Equal("x", Assert.ThrowsAny<ArgumentException>(() => StepSize.Default(FiniteDifferenceScheme.Central, double.PositiveInfinity)).ParamName);
        Assert.Equal("x", Assert.ThrowsAny<ArgumentException>(() => StepSize.Default(FiniteDifferenceScheme.Central, double.MaxValue)).ParamName);
        Assert.Equal("x", Assert.ThrowsAny<ArgumentException>(() => StepSize.Default(FiniteDifferenceScheme.Forward, -double.MaxValue)).ParamName);

        // Every defined scheme still has its finite default step, at ordinary and at large points.
        foreach (var scheme in Schemes)
        {
            foreach (var x in new[] { 0.0, 1.0, -3.5, 1e300 })
            {
                var h = StepSize.Default(scheme, x);
                Assert.True(double.IsFinite(h) && h > 0 && x + h != x, $"{scheme} at {x}: {h}");
            }
        }
    }
}
