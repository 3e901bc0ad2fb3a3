namespace Gradients.Tests.Directional;

/// <summary>
/// The directional forms and the grids at the edges of each type's range: no intermediate overflow when the true
/// result is representable, positions that narrow types cannot count computed in double, and bad delegates and
/// empty grids reported by name.
/// </summary>
public sealed class ExtremeRangeTests
{
    /// <summary>
    /// ∇f·d/‖d‖ for g = (big, …, big) along (1, …, 1): the true rate is big·√n. Error model: the scaled computation
    /// rounds n products, n sums and one square root, each exactly scaled by powers of two: (2n + 2)·u relative.
    /// </summary>
    [Theory]
    [InlineData(2, 1e308)]
    [InlineData(3, 1e308)]
    [InlineData(40, 1e307)]
    [InlineData(2, 1e-310)]
    public void Rates_whose_products_overflow_or_underflow_are_computed_scaled(int n, double big)
    {
        var gradient = Enumerable.Repeat(big, n).ToArray();
        var direction = Enumerable.Repeat(1.0, n).ToArray();
        var expected = big * Math.Sqrt(n);
        var tolerance = (((2 * n) + 2) * Math.ScaleB(1.0, -53) * expected) + (2 * double.Epsilon); // + 2 subnormal ulps when the rate is subnormal

        var rate = Gradients.Directional.Derivative<double>(gradient, direction);
        Assert.True(Math.Abs(rate - expected) <= tolerance, $"n = {n}: {rate}, expected {expected}.");

        // The batched form gives the same bits on every row, the huge direction included.
        var directions = direction.Concat(direction.Select(v => v * 1e308)).Concat(direction.Select(v => -v)).ToArray();
        var rates = new double[3];
        Gradients.Directional.Derivatives<double>(gradient, directions, rates);
        Assert.Equal(rate, rates[0]);
        Assert.Equal(Gradients.Directional.Derivative<double>(gradient, directions.AsSpan(n, n)), rates[1]);
        Assert.Equal(-rate, rates[2]);
        Assert.True(Math.Abs(rates[1] - expected) <= tolerance, $"n = {n}, huge direction: {rates[1]}.");
    }

    [Fact]
    public void Float_rates_are_scaled_too_and_a_rate_beyond_the_range_is_infinite()
    {
        // 2e38·√2 = 2.83e38 < float.MaxValue; the unscaled sum 4e38 overflowed.
        var rate = Gradients.Directional.Derivative<float>([2e38f, 2e38f], [1f, 1f]);
        Assert.True(Math.Abs(rate - (2e38 * Math.Sqrt(2))) <= 6 * Math.ScaleB(1.0, -24) * 2.83e38, $"{rate}");

        // The true rate 1.5e308·√2 exceeds double's range: +∞ is the correctly rounded answer.
        Assert.Equal(double.PositiveInfinity, Gradients.Directional.Derivative<double>([1.5e308, 1.5e308], [1, 1]));

        // A NaN or infinite gradient keeps IEEE's answer.
        Assert.True(double.IsNaN(Gradients.Directional.Derivative<double>([double.NaN, 1e308], [1, 1])));
        Assert.Equal(double.PositiveInfinity, Gradients.Directional.Derivative<double>([double.PositiveInfinity, 1e308], [1, 1]));
    }

    [Fact]
    public void A_quadratic_form_with_huge_off_diagonal_entries_has_a_finite_symmetric_part()
    {
        // ½(1e308 + 1.5e308) = 1.25e308; a + b overflowed. Halving is exact for normal numbers, so the mean is
        // correctly rounded: equal to the exact value 1.25e308 rounded once.
        var form = new QuadraticForm<double>([0, 1e308, 1.5e308, 0], [0, 0], 0.0);
        Assert.Equal((1e308 / 2) + (1.5e308 / 2), form.SymmetricMatrix[1]);
        Assert.Equal(form.SymmetricMatrix[1], form.SymmetricMatrix[2]);
        Assert.True(double.IsFinite(form.SymmetricMatrix[1]));

        // Ordinary and subnormal entries keep ½(a + b).
        var small = new QuadraticForm<double>([0, 3, 0, 4, 0, double.Epsilon, 0, 3 * double.Epsilon, 0], [0, 0, 0], 0.0);
        Assert.Equal(3.5, small.SymmetricMatrix[1]);
        Assert.Equal(2 * double.Epsilon, small.SymmetricMatrix[5]);
    }

    [Fact]
    public void Half_and_float_grids_with_more_points_than_the_type_can_count_stay_finite_and_ordered()
    {
        // Half: 69,999 is ∞, so the step was 0 (X = 0) and then ∞·0 (X = NaN).
        var half = new Grid<Half>((Half)0, (Half)1, 70000, (Half)(-2), (Half)2, 1);
        var previous = Half.NegativeInfinity;
        for (var i = 0; i < half.XCount; i++)
        {
            var value = half.X(i);
            Assert.True(Half.IsFinite(value) && value >= previous && value >= Half.Zero && value <= Half.One, $"X({i}) = {value} after {previous}.");
            Assert.Equal((Half)(i * (1.0 / 69999)), value);
            previous = value;
        }

        Assert.Equal(Half.One, half.X(69999));
        Assert.Equal((Half)(-2), half.Y(0));

        // float: indices beyond 2²⁴ are not exact in float; positions are computed in double and rounded once.
        const int count = (1 << 24) + 7;
        var single = new Grid<float>(-1f, 3f, count, 0f, 1f, 1);
        foreach (var i in new[] { 0, 1, 12345, (1 << 24) - 1, 1 << 24, (1 << 24) + 1, (1 << 24) + 5, count - 1 })
        {
            var exact = -1.0 + (i * (4.0 / (count - 1)));
            Assert.Equal(i == count - 1 ? 3f : (float)exact, single.X(i));
        }
    }

    [Fact]
    public void Unit_circles_of_more_directions_than_half_can_count_are_unit_vectors()
    {
        // 70,000 is ∞ in Half: 59,572 of the directions came out NaN.
        var directions = new Half[140000];
        Gradients.Directional.UnitCircle<Half>(directions);
        for (var j = 0; j < 70000; j++)
        {
            var (sin, cos) = Math.SinCos(Math.Tau * j / 70000);
            Assert.Equal((Half)cos, directions[2 * j]);
            Assert.Equal((Half)sin, directions[(2 * j) + 1]);
        }

        // float: the angle 2πj/k in double, rounded once; every row within float rounding of the unit circle.
        var single = new float[2 * 100003];
        Gradients.Directional.UnitCircle<float>(single);
        for (var j = 0; j < 100003; j++)
        {
            var (sin, cos) = Math.SinCos(Math.Tau * j / 100003);
            Assert.Equal((float)cos, single[2 * j]);
            Assert.Equal((float)sin, single[(2 * j) + 1]);
        }
    }

    [Fact]
    public void Null_delegates_are_reported_by_their_own_names()
    {
        var grid = new Grid<double>(0, 1, 2, 0, 1, 2);
        GradientFunction<double> gradient = (_, g) => g.Clear();
        Func<ReadOnlySpan<double>, double> function = _ => 0.0;
        var (values, gx, gy) = (new double[4], new double[4], new double[4]);

        Assert.Equal("function", Assert.Throws<ArgumentNullException>(() => GradientField.Sample(grid, null!, gradient, values, gx, gy)).ParamName);
        Assert.Equal("gradient", Assert.Throws<ArgumentNullException>(() => GradientField.Sample(grid, function, null!, values, gx, gy)).ParamName);
        Assert.Equal("function", Assert.Throws<ArgumentNullException>(() => GradientField.Values(grid, (Func<ReadOnlySpan<double>, double>)null!, values)).ParamName);
        Assert.Equal("function", Assert.Throws<ArgumentNullException>(() => GradientField.SampleNumerically(grid, (Func<ReadOnlySpan<double>, double>)null!, values, gx, gy)).ParamName);
        Assert.Equal("function", Assert.Throws<ArgumentNullException>(() => GradientField.Values<double, IScalarFunction<double>>(grid, null!, values)).ParamName);
        Assert.Equal("function", Assert.Throws<ArgumentNullException>(() => GradientField.Sample<double, IDifferentiableFunction<double>>(grid, null!, values, gx, gy)).ParamName);
    }

    [Fact]
    public void A_default_grid_with_no_points_is_rejected_by_every_sampler()
    {
        var grid = default(Grid<double>);
        Func<ReadOnlySpan<double>, double> function = v => v[0];
        GradientFunction<double> gradient = (_, g) => g.Clear();

        AssertNoPoints(() => GradientField.Values(grid, function, []));
        AssertNoPoints(() => GradientField.Values(grid, new Booth<double>(), []));
        AssertNoPoints(() => GradientField.Sample(grid, new Booth<double>(), [], [], []));
        AssertNoPoints(() => GradientField.Sample(grid, function, gradient, [], [], []));
        AssertNoPoints(() => GradientField.SampleNumerically(grid, function, [], [], []));
        AssertNoPoints(() => GradientField.SampleNumerically(grid, new Booth<double>(), [], [], []));

        static void AssertNoPoints(Action sample)
        {
            var e = Assert.Throws<ArgumentException>(sample);
            Assert.Equal("grid", e.ParamName);
            Assert.Contains("0×0", e.Message, StringComparison.Ordinal);
        }
    }
}
