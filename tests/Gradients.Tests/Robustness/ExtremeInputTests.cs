namespace Gradients.Tests.Robustness;

/// <summary>
/// Non-finite data and extreme magnitudes: each has a documented result, the same on every SIMD path (.ci/run
/// reruns this suite with AVX-512, AVX2 and all hardware intrinsics disabled), and none crashes.
/// </summary>
public sealed class ExtremeInputTests
{
    private const int Rows = 37;    // odd, so every vector remainder path of the kernels runs
    private const int Columns = 19;

    public static TheoryData<int> Widths { get; } = new() { 1, 3, 4, 7, 8, 16, 19, 33 };

    [Theory]
    [MemberData(nameof(Widths))]
    public void A_NaN_weight_makes_the_loss_and_every_gradient_entry_NaN(int columns)
    {
        var (features, targets, weights) = Data(columns);
        weights[columns / 2] = double.NaN;
        var gradient = new double[columns];

        var loss = MeanSquaredError.LossAndGradient<double>(features, targets, weights, gradient);

        // Every residual Xw − y involves the NaN weight, so every r and every Σ r·xᵢ is NaN.
        Assert.True(double.IsNaN(loss));
        Assert.All(gradient, g => Assert.True(double.IsNaN(g)));
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void An_infinite_target_gives_an_infinite_loss_not_an_exception(int columns)
    {
        var (features, targets, weights) = Data(columns);
        targets[Rows - 1] = double.PositiveInfinity;
        var gradient = new double[columns];

        var loss = MeanSquaredError.LossAndGradient<double>(features, targets, weights, gradient);

        // r = Xw − ∞ = −∞ in the last row: r² = +∞ dominates the mean; r·xⱼ = ∓∞ for xⱼ ≠ 0 (the data have no zeros).
        Assert.Equal(double.PositiveInfinity, loss);
        for (var j = 0; j < columns; j++)
        {
            var lastRowFeature = features[((Rows - 1) * columns) + j];
            Assert.Equal(lastRowFeature > 0 ? double.NegativeInfinity : double.PositiveInfinity, gradient[j]);
        }
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void Overflowing_squares_give_infinity_and_subnormal_data_give_finite_results(int columns)
    {
        var (features, targets, weights) = Data(columns);
        var gradient = new double[columns];

        // |Xw − y| ≈ 1e200 for every row: r² = 1e400 overflows to +∞ (IEEE 754 overflow, no exception).
        var huge = features.Select(v => v * 1e200).ToArray();
        var hugeLoss = MeanSquaredError.LossAndGradient<double>(huge, targets, weights, gradient);
        Assert.Equal(double.PositiveInfinity, hugeLoss);

        // Subnormal features and targets (1e-310): products underflow towards zero gracefully; results are finite,
        // non-negative, and the loss is at most the (also subnormal-scale) bound mean(|y| + Σ|x||w|)².
        var tiny = features.Select(v => v * 1e-310).ToArray();
        var tinyTargets = targets.Select(v => v * 1e-310).ToArray();
        var tinyLoss = MeanSquaredError.LossAndGradient<double>(tiny, tinyTargets, weights, gradient);
        Assert.True(double.IsFinite(tinyLoss) && tinyLoss >= 0 && tinyLoss < 1e-300, $"loss {tinyLoss}");
        Assert.All(gradient, g => Assert.True(double.IsFinite(g) && Math.Abs(g) < 1e-300, $"gradient entry {g}"));
    }

    [Fact]
    public void Float_data_near_float_max_accumulate_in_double_and_overflow_only_in_the_float_result()
    {
        // x·w ≈ 1e30 per row: in float arithmetic r² = 1e60 would overflow (float max ≈ 3.4e38) inside the sum;
        // accumulated in double it does not, and only the final loss, 1e60, is beyond float: +∞. The gradient,
        // (2/N)·Σ r·x ≈ 1e30·1, fits in float and must stay finite and accurate.
        float[] features = [1f, 1f, 1f];
        float[] targets = [0f, 0f, 0f];
        float[] weights = [1e30f];
        var gradient = new float[1];

        var loss = MeanSquaredError.LossAndGradient<float>(features, targets, weights, gradient);

        Assert.Equal(float.PositiveInfinity, loss);
        Assert.True(float.IsFinite(gradient[0]));
        Assert.Equal(2e30, gradient[0], 2e30 * 1e-6);
    }

    public static TheoryData<double> Magnitudes { get; } = new() { 1e-300, 1e-150, 1e-6, 1, 1e6, 1e150, 1e300 };

    [Theory]
    [MemberData(nameof(Magnitudes))]
    public void Finite_difference_gradient_of_a_linear_function_is_accurate_at_any_magnitude(double magnitude)
    {
        double[] c = [3.0, -0.5, 1e-3];
        double Linear(ReadOnlySpan<double> x) => (c[0] * x[0]) + (c[1] * x[1]) + (c[2] * x[2]);
        double[] x = [magnitude, -2 * magnitude, 0.5 * magnitude];
        var gradient = new double[3];

        FiniteDifference.Gradient<double>(Linear, x, gradient);

        // A linear f has no truncation error; what remains is round-off: f(x ± h) carry ≈ 3 roundings of size
        // u·Σ|cᵢxᵢ| each, divided by 2h with h = ∛ε·max(|xᵢ|, 1) (the default step), so
        // |error| ≤ 4·u·Σ|cᵢxᵢ| / h (the constant 4 covers the subtraction and the division).
        var u = Math.Pow(2, -53);
        var scale = Math.Abs(c[0] * x[0]) + Math.Abs(c[1] * x[1]) + Math.Abs(c[2] * x[2]);
        for (var i = 0; i < 3; i++)
        {
            var h = Math.Cbrt(2 * u) * Math.Max(Math.Abs(x[i]), 1);
            // At tiny |x| the sum can round exactly; the bound also includes u·|cᵢ| for the final rounding.
            var tolerance = (4 * u * scale / h) + (2 * u * Math.Abs(c[i]));
            Assert.True(Math.Abs(gradient[i] - c[i]) <= tolerance, $"|x| ~ {magnitude}: ∂f/∂x{i} = {gradient[i]}, expected {c[i]} ± {tolerance}");
        }
    }

    [Fact]
    public void A_function_that_overflows_at_a_stencil_point_is_reported_not_returned_as_infinity()
    {
        // f(x) = x² overflows for |x| > 1.3407807929942596e154; at x = 1.3407807e154 the point itself is finite
        // (1.79769e308) but x + h, h = ∛ε·|x|, is not. The default non-finite policy throws NotFiniteNumberException.
        double Square(ReadOnlySpan<double> x) => x[0] * x[0];
        var gradient = new double[1];

        var error = Assert.Throws<NotFiniteNumberException>(() => FiniteDifference.Gradient<double>(Square, [1.3407807e154], gradient));
        Assert.Contains("coordinate 0", error.Message, StringComparison.Ordinal);
    }

    private static (double[] Features, double[] Targets, double[] Weights) Data(int columns)
    {
        var random = new Random(columns);
        // Values in ±[0.5, 1.5): never zero, so signs of infinite products are determined.
        double Value() => (random.Next(2) == 0 ? -1 : 1) * (0.5 + random.NextDouble());
        return (
            Enumerable.Range(0, Rows * columns).Select(_ => Value()).ToArray(),
            Enumerable.Range(0, Rows).Select(_ => Value()).ToArray(),
            Enumerable.Range(0, columns).Select(_ => Value()).ToArray());
    }
}
