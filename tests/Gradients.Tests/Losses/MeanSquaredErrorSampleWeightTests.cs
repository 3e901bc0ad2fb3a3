namespace Gradients.Tests.Losses;

/// <summary>Sample weights for the mean squared error (through the generic pass).</summary>
public sealed class MeanSquaredErrorSampleWeightTests
{
    private static readonly double Epsilon = Math.BitIncrement(1.0) - 1.0;

    [Theory]
    [InlineData(7, 3)]
    [InlineData(50, 4)]
    [InlineData(1000, 33)]
    public void Integer_weights_equal_repeated_rows_and_residuals_are_unweighted(int n, int d)
    {
        var random = new Random(n * d);
        var x = Enumerable.Range(0, n * d).Select(_ => random.NextDouble() - 0.5).ToArray();
        var y = Enumerable.Range(0, n).Select(_ => random.NextDouble()).ToArray();
        var w = Enumerable.Range(0, d).Select(_ => random.NextDouble() - 0.5).ToArray();
        var s = Enumerable.Range(0, n).Select(i => (double)(i % 3)).ToArray();
        var repeatedX = new List<double>();
        var repeatedY = new List<double>();
        for (var i = 0; i < n; i++)
        {
            for (var c = 0; c < s[i]; c++)
            {
                repeatedX.AddRange(x.AsSpan(i * d, d).ToArray());
                repeatedY.Add(y[i]);
            }
        }

        var options = new MeanSquaredErrorOptions { L2Penalty = 0.01 };
        var weighted = new double[d];
        var residuals = new double[n];
        var loss = MeanSquaredError.LossAndGradient<double>(x, y, w, 0.25, weighted, out var bw, residuals, s, options);
        var repeated = new double[d];
        var expected = MeanSquaredError.LossAndGradient<double>([.. repeatedX], [.. repeatedY], w, 0.25, repeated, out var br, [], options);

        // The same terms in another order: agreement to (M + D + 4)·u of the absolute sums, |r| ≤ D/2 + 1.25 + 1, |x| ≤ 1/2.
        var size = (d / 2.0) + 2.25;
        var tolerance = 4 * (repeatedY.Count + d + 4) * Epsilon * size * size;
        Assert.True(Math.Abs(loss - expected) <= tolerance, $"{loss:R} vs {expected:R}");
        Assert.True(Math.Abs(bw - br) <= tolerance);
        Assert.All(weighted.Zip(repeated), t => Assert.True(Math.Abs(t.First - t.Second) <= tolerance));

        var unweightedResiduals = new double[n];
        MeanSquaredError.LossAndGradient<double>(x, y, w, 0.25, new double[d], out _, unweightedResiduals, options);
        Assert.Equal(unweightedResiduals, residuals);
    }

    [Fact]
    public void Empty_weights_are_the_unweighted_call_bit_for_bit()
    {
        double[] x = [1, 2, 3, 4, 5, 6];
        double[] y = [1, 0, 2];
        double[] w = [0.3, 0.7];
        var a = new double[2];
        var b = new double[2];
        var la = MeanSquaredError.LossAndGradient<double>(x, y, w, 0.1, a, out var ia, [], [], default);
        var lb = MeanSquaredError.LossAndGradient<double>(x, y, w, 0.1, b, out var ib, [], default);
        Assert.Equal(lb, la);
        Assert.Equal(ib, ia);
        Assert.Equal(b, a);
    }
}
