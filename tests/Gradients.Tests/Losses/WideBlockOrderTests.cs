using System.Runtime.InteropServices;

namespace Gradients.Tests.Losses;

/// <summary>
/// The 256-bit wide kernel's ways through its blocks of four rows are the same sums in the same order: the kernel with
/// a block's gradient terms spread over the next block's dot products (<see cref="SpreadBlocks"/>, double rows of 32
/// columns and more) gives the bits of the kernel that runs them one after the other (<see cref="SequentialBlocks"/>), for every
/// loss, with and without sample weights and residuals, with remainders of columns (D mod 16, D mod 4) and of rows, data
/// in cache and chunks large enough for the prefetch hints, and with ∞ and NaN in the data (in a chunk's first block,
/// whose dot products run alone, and later).
/// </summary>
public sealed class WideBlockOrderTests
{
    // Below 256, where the four-row sweep (float's) does not go eight rows at a time.
    private static readonly int[] Dimensions = [32, 33, 36, 37, 48, 63, 64, 100, 127, 128, 129, 200, 255];

    [Fact]
    public void Spread_blocks_give_the_bits_of_sequential_blocks_for_every_loss()
    {
        var random = new Random(7);
        foreach (var d in Dimensions)
        {
            // 4, 5, 13 rows: in cache; a chunk's worth (64 KB of X and more): with the hints.
            var fullChunk = ((65_536 / 8) + d - 1) / d;
            foreach (var n in new[] { 4, 5, 13, fullChunk, fullChunk + 3 })
            {
                var x = Enumerable.Range(0, n * d).Select(_ => random.NextDouble() - 0.5).ToArray();
                var w = Enumerable.Range(0, d).Select(_ => random.NextDouble() - 0.5).ToArray();
                var counts = Enumerable.Range(0, n).Select(_ => (double)random.Next(3)).ToArray();
                var labels = counts.Select(c => Math.Min(c, 1)).ToArray();
                var targets = Enumerable.Range(0, n).Select(_ => (random.NextDouble() - 0.5) * 4).ToArray();
                var sampleWeights = Enumerable.Range(0, n).Select(_ => random.NextDouble() + 0.25).ToArray();
                AssertSameBits(default(SquaredResidual), x, targets, w, sampleWeights, $"squared D={d} N={n}");
                AssertSameBits(new HuberResidual(1.35), x, targets, w, sampleWeights, $"huber D={d} N={n}");
                AssertSameBits(default(BinomialLogLikelihood), x, labels, w, sampleWeights, $"logistic D={d} N={n}");
                AssertSameBits(default(PoissonLogLikelihood), x, counts, w, sampleWeights, $"poisson D={d} N={n}");
            }
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(37)]
    public void Spread_blocks_give_the_bits_of_sequential_blocks_with_non_finite_data(int row)
    {
        // An ∞ in row `row` (the first block, or a later one) and a NaN further on: the same ∞, NaN or finite value in
        // every gradient sum either way (an ∞ times a residual of 0 would be a NaN where the sequential kernel has none).
        const int D = 40;
        var n = ((65_536 / 8) + D - 1) / D;
        var random = new Random(row);
        var x = Enumerable.Range(0, n * D).Select(_ => random.NextDouble() - 0.5).ToArray();
        x[(row * D) + 3] = double.PositiveInfinity;
        x[((row + 9) * D) + 38] = double.NaN;
        var w = Enumerable.Range(0, D).Select(_ => random.NextDouble() - 0.5).ToArray();
        var targets = Enumerable.Range(0, n).Select(_ => random.NextDouble()).ToArray();
        AssertSameBits(default(SquaredResidual), x, targets, w, targets, $"squared, ∞ in row {row}");
        AssertSameBits(default(BinomialLogLikelihood), x, [.. targets.Select(t => Math.Round(t))], w, targets, $"logistic, ∞ in row {row}");
    }

    private static void AssertSameBits<TLoss>(TLoss loss, double[] x, double[] y, double[] w, double[] sampleWeights, string name)
        where TLoss : struct, IPointwiseLoss
    {
        var sequential = Run<TLoss, Unweighted, SequentialBlocks>(loss, x, y, w, sampleWeights);
        var spread = Run<TLoss, Unweighted, SpreadBlocks>(loss, x, y, w, sampleWeights);
        AssertEqual(sequential, spread, name);
        AssertEqual(Run<TLoss, Weighted, SequentialBlocks>(loss, x, y, w, sampleWeights), Run<TLoss, Weighted, SpreadBlocks>(loss, x, y, w, sampleWeights), name + " weighted");
    }

    private static (ChunkSums Sums, double[] Gradient, double[] Residuals) Run<TLoss, TWeighting, TBlocks>(TLoss loss, double[] x, double[] y, double[] w, double[] sampleWeights)
        where TLoss : struct, IPointwiseLoss
        where TWeighting : struct, IRowWeighting
        where TBlocks : struct, IWideBlocks
    {
        var gradient = new double[w.Length];
        var residuals = new double[y.Length];
        var sums = FusedPass.Wide256<double, DoubleElements, TLoss, TWeighting, TBlocks>(
            ref MemoryMarshal.GetArrayDataReference(x), ref MemoryMarshal.GetArrayDataReference(y), ref MemoryMarshal.GetArrayDataReference(w),
            w.Length, y.Length, 0.125, gradient, ref MemoryMarshal.GetArrayDataReference(residuals), writeResiduals: true, loss,
            ref MemoryMarshal.GetArrayDataReference(sampleWeights));
        return (sums, gradient, residuals);
    }

    private static void AssertEqual((ChunkSums Sums, double[] Gradient, double[] Residuals) expected, (ChunkSums Sums, double[] Gradient, double[] Residuals) actual, string name)
    {
        Assert.True(BitConverter.DoubleToInt64Bits(expected.Sums.LossSum) == BitConverter.DoubleToInt64Bits(actual.Sums.LossSum), $"{name}: loss sum {actual.Sums.LossSum:R} vs {expected.Sums.LossSum:R}");
        Assert.True(BitConverter.DoubleToInt64Bits(expected.Sums.DerivativeSum) == BitConverter.DoubleToInt64Bits(actual.Sums.DerivativeSum), $"{name}: derivative sum");
        Assert.Equal(expected.Sums.HasInvalidLabel, actual.Sums.HasInvalidLabel);
        for (var j = 0; j < expected.Gradient.Length; j++)
        {
            Assert.True(BitConverter.DoubleToInt64Bits(expected.Gradient[j]) == BitConverter.DoubleToInt64Bits(actual.Gradient[j]), $"{name}: gradient sum {j}: {actual.Gradient[j]:R} vs {expected.Gradient[j]:R}");
        }

        Assert.Equal(expected.Residuals, actual.Residuals);
    }
}
