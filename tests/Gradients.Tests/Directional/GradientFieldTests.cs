namespace Gradients.Tests.Directional;

public sealed class GradientFieldTests
{
    [Fact]
    public void Chapter_arrows_on_12_by_12_grid_are_2x_and_10y()
    {
        // The chapter's quiver: xg = yg = np.linspace(-2.5, 2.5, 12), U = 2X, V = 10Y.
        var grid = new Grid<double>(-2.5, 2.5, 12, -2.5, 2.5, 12);
        var values = new double[grid.Count];
        var gx = new double[grid.Count];
        var gy = new double[grid.Count];
        GradientField.Sample(grid, new WeightedSumOfSquares<double>([1, 5]), values, gx, gy);

        for (var row = 0; row < 12; row++)
        {
            for (var column = 0; column < 12; column++)
            {
                // Same linspace formula as NumPy: start + i·(stop − start)/(num − 1), endpoint exact.
                var x = column == 11 ? 2.5 : -2.5 + (column * (5.0 / 11));
                var y = row == 11 ? 2.5 : -2.5 + (row * (5.0 / 11));
                var index = (row * 12) + column;
                Assert.Equal(2 * x, gx[index]);
                Assert.Equal(10 * y, gy[index]);
                Assert.Equal((x * x) + (5 * y * y), values[index]);
            }
        }
    }

    [Fact]
    public void Chapter_contour_values_on_100_by_100_grid_match_the_function()
    {
        var grid = new Grid<double>(-3, 3, 100, -3, 3, 100);
        var values = new double[grid.Count];
        var f = new WeightedSumOfSquares<double>([1, 5]);
        GradientField.Values(grid, f, values);
        Assert.Equal(-3.0, grid.X(0));
        Assert.Equal(3.0, grid.X(99));
        for (var row = 0; row < 100; row += 7)
        {
            for (var column = 0; column < 100; column += 3)
            {
                Assert.Equal(f.Evaluate([grid.X(column), grid.Y(row)]), values[(row * 100) + column]);
            }
        }

        var viaDelegate = new double[grid.Count];
        GradientField.Values<double>(grid, p => (p[0] * p[0]) + (5 * p[1] * p[1]), viaDelegate);
        for (var i = 0; i < values.Length; i++)
        {
            // x² + 5y² evaluated by a different expression order can differ by a few units of round-off.
            Assert.True(Math.Abs(values[i] - viaDelegate[i]) <= 4 * Math.Pow(2, -53) * values[i]);
        }
    }

    [Fact]
    public void Delegate_gradient_gives_the_same_field_as_the_struct_function()
    {
        var grid = new Grid<float>(-2, 1, 7, 0, 4, 5);
        var expected = (Values: new float[grid.Count], X: new float[grid.Count], Y: new float[grid.Count]);
        GradientField.Sample(grid, new Himmelblau<float>(), expected.Values, expected.X, expected.Y);

        var actual = (Values: new float[grid.Count], X: new float[grid.Count], Y: new float[grid.Count]);
        var himmelblau = new Himmelblau<float>();
        GradientField.Sample<float>(
            grid,
            p => himmelblau.Evaluate(p),
            (p, g) => himmelblau.EvaluateWithGradient(p, g),
            actual.Values,
            actual.X,
            actual.Y);
        Assert.Equal(expected.Values, actual.Values);
        Assert.Equal(expected.X, actual.X);
        Assert.Equal(expected.Y, actual.Y);
    }

    [Fact]
    public void Numeric_field_matches_the_analytic_one_within_the_central_difference_error()
    {
        // Himmelblau on [-4, 4]²: f is a quartic, so the central difference errs by h²|∂³f|/6 (∂³f/∂x³ = 24x,
        // ∂³f/∂y³ = 24y) plus round-off ≈ ε·f_abs/h, with h = ∛ε·max(|x|, 1) (Nocedal and Wright §8.1). At |x| ≤ 4:
        // h ≤ 4·6.1e-6, truncation ≤ (2.4e-5)²·96/6 ≈ 1e-8 and round-off ≤ 1e-16·2e3/6e-6 ≈ 4e-8; 1e-6 bounds both.
        var grid = new Grid<double>(-4, 4, 9, -4, 4, 9);
        var analytic = (Values: new double[grid.Count], X: new double[grid.Count], Y: new double[grid.Count]);
        GradientField.Sample(grid, new Himmelblau<double>(), analytic.Values, analytic.X, analytic.Y);
        var numeric = (Values: new double[grid.Count], X: new double[grid.Count], Y: new double[grid.Count]);
        GradientField.SampleNumerically(grid, new Himmelblau<double>(), numeric.Values, numeric.X, numeric.Y);
        var viaDelegate = (Values: new double[grid.Count], X: new double[grid.Count], Y: new double[grid.Count]);
        var himmelblau = new Himmelblau<double>();
        GradientField.SampleNumerically<double>(grid, p => himmelblau.Evaluate(p), viaDelegate.Values, viaDelegate.X, viaDelegate.Y);

        Assert.Equal(analytic.Values, numeric.Values);
        Assert.Equal(numeric.X, viaDelegate.X);
        Assert.Equal(numeric.Y, viaDelegate.Y);
        for (var i = 0; i < grid.Count; i++)
        {
            Assert.True(Math.Abs(analytic.X[i] - numeric.X[i]) <= 1e-6, $"∂f/∂x at {i}: {analytic.X[i]} vs {numeric.X[i]}");
            Assert.True(Math.Abs(analytic.Y[i] - numeric.Y[i]) <= 1e-6, $"∂f/∂y at {i}: {analytic.Y[i]} vs {numeric.Y[i]}");
        }
    }

    [Fact]
    public void Sampling_allocates_nothing()
    {
        var grid = new Grid<double>(-1, 1, 16, -1, 1, 16);
        var values = new double[grid.Count];
        var gx = new double[grid.Count];
        var gy = new double[grid.Count];
        var f = new Beale<double>();
        GradientField.Sample(grid, f, values, gx, gy);
        GradientField.Values(grid, f, values);
        Assert.Equal(0, CallingThreadBytes.FewestInRounds(() =>
        {
            GradientField.Sample(grid, f, values, gx, gy);
            GradientField.Values(grid, f, values);
        }));
    }

    [Fact]
    public void Bad_grids_and_outputs_are_rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new Grid<double>(0, 1, 0, 0, 1, 2));
        Assert.Throws<ArgumentException>(() => new Grid<double>(double.NaN, 1, 2, 0, 1, 2));
        Assert.Throws<ArgumentException>(() => new Grid<double>(-double.MaxValue, double.MaxValue, 2, 0, 1, 2));
        var grid = new Grid<double>(0, 1, 3, 0, 1, 2);
        Assert.Equal(0.5, grid.X(1));
        Assert.Equal(1.0, grid.Y(1));
        Assert.Throws<ArgumentOutOfRangeException>(() => grid.X(3));
        var single = new Grid<double>(0.25, 9, 1, 0, 1, 1);
        Assert.Equal(0.25, single.X(0));

        var error = Assert.Throws<ArgumentException>(() =>
            GradientField.Sample(grid, new Booth<double>(), new double[6], new double[5], new double[6]));
        Assert.Equal("gradientX", error.ParamName);
        Assert.Contains("5", error.Message, StringComparison.Ordinal);
        Assert.Contains("6", error.Message, StringComparison.Ordinal);
        var shared = new double[12];
        Assert.Throws<ArgumentException>(() =>
            GradientField.Sample(grid, new Booth<double>(), shared.AsSpan(0, 6), shared.AsSpan(3, 6), new double[6]));
        Assert.Throws<ArgumentException>(() =>
            GradientField.Values(grid, new WeightedSumOfSquares<double>([1, 2, 3]), new double[6]));
    }
}
