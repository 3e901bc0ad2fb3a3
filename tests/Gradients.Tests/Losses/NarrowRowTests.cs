namespace Gradients.Tests.Losses;

/// <summary>
/// Rows of one to four columns (the kernels of <c>FusedPass.NarrowDimension.cs</c>, which turns four rows into D column
/// vectors with AVX2, for double D ≤ 2 and float D ≤ 4, and <c>FusedPass.NarrowDimension128.cs</c>, two rows without it
/// for D ≤ 2; double rows of three and four run the register kernel, float ones in L1 <c>FusedPass.SingleNarrow.cs</c>
/// with AVX-512), at N with every remainder of eight and across chunks (65,536 elements each): each row's residual is
/// that row's, and an infinite feature changes its own row only. Run with DOTNET_EnableAVX2=0 (the 128-bit kernel) and
/// DOTNET_EnableHWIntrinsic=0 (the scalar one) too: CI does.
/// </summary>
/// <remarks>
/// Error model: each residual rᵢ = Σⱼ xᵢⱼwⱼ + b − yᵢ is formed in double from exact products of the (widened)
/// elements, D + 1 additions, so |Δrᵢ| ≤ γ_{D+2}·Sᵢ, Sᵢ = Σⱼ|xᵢⱼwⱼ| + |b| + |yᵢ|, γₖ = k·u/(1 − k·u), u = 2⁻⁵³; a float
/// residual is then rounded once (2⁻²⁴ relative). The loss and the gradient sums are checked by
/// <see cref="LinearModelLossShapeSweepTests"/> (every loss, weighted or not, D = 1…4 in full chunks).
/// </remarks>
public sealed class NarrowRowTests
{
    private static readonly int[] RowCounts = [1, 2, 3, 4, 5, 6, 7, 8, 9, 11, 12, 13, 15, 16, 17, 4099, 32_768, 32_773, 65_541];

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void Each_row_keeps_its_own_residual(int d)
    {
        var random = new Random(300 + d);
        foreach (var n in RowCounts)
        {
            var (x, y, w) = Data(random, n, d);
            const double B = 0.375;
            AssertResiduals(x, y, w, B, d, 0);
            AssertResiduals([.. x.Select(v => (float)v)], [.. y.Select(v => (float)v)], [.. w.Select(v => (float)v)], (float)B, d, Math.Pow(2, -24));
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void An_infinite_feature_changes_its_own_row_only(int d)
    {
        // Every other row's residual must keep its bits; the row of the ∞ gets ±∞ or NaN (∞ − ∞ when its other feature is
        // not finite either cannot happen here: one ∞ per run). Positions: the first and last rows, each remainder of
        // eight, and the first row of the second chunk.
        var random = new Random(400 + d);
        foreach (var n in new[] { 5, 17, 65_541 })
        {
            var (x, y, w) = Data(random, n, d);
            var finite = Residuals(x, y, w, d);
            var finiteSingle = Residuals([.. x.Select(v => (float)v)], [.. y.Select(v => (float)v)], [.. w.Select(v => (float)v)], d);
            foreach (var row in new[] { 0, 1, 2, 3, 4, 5, 6, 7, n / 2, (65_536 / d) % n, n - 1 }.Distinct().Where(r => r < n))
            {
                for (var column = 0; column < d; column++)
                {
                    var hostile = (double[])x.Clone();
                    hostile[(row * d) + column] = double.PositiveInfinity;
                    AssertOnlyRowChanged(finite, Residuals(hostile, y, w, d), row, $"double N={n} D={d} ∞ at ({row}, {column})");
                    AssertOnlyRowChanged(
                        finiteSingle, Residuals([.. hostile.Select(v => (float)v)], [.. y.Select(v => (float)v)], [.. w.Select(v => (float)v)], d), row,
                        $"float N={n} D={d} ∞ at ({row}, {column})");
                }
            }
        }
    }

    private static (double[] X, double[] Y, double[] W) Data(Random random, int n, int d) =>
        ([.. Enumerable.Range(0, n * d).Select(_ => random.NextDouble() - 0.5)],
         [.. Enumerable.Range(0, n).Select(_ => (random.NextDouble() - 0.5) * 4)],
         [.. Enumerable.Range(0, d).Select(_ => random.NextDouble() - 0.5)]);

    private static T[] Residuals<T>(T[] x, T[] y, T[] w, int d)
        where T : System.Numerics.IFloatingPointIeee754<T>
    {
        var residuals = new T[y.Length];
        MeanSquaredError.LossAndGradient<T>(x, y, w, T.CreateChecked(0.375), new T[d], out _, residuals);
        return residuals;
    }

    private static void AssertResiduals<T>(T[] x, T[] y, T[] w, T b, int d, double rounding)
        where T : System.Numerics.IFloatingPointIeee754<T>
    {
        var n = y.Length;
        var residuals = new T[n];
        MeanSquaredError.LossAndGradient<T>(x, y, w, b, new T[d], out _, residuals);
        var gamma = (d + 2) * Math.Pow(2, -53) / (1 - ((d + 2) * Math.Pow(2, -53)));
        for (var i = 0; i < n; i++)
        {
            var expected = double.CreateChecked(b) - double.CreateChecked(y[i]);
            var size = Math.Abs(double.CreateChecked(b)) + Math.Abs(double.CreateChecked(y[i]));
            for (var j = 0; j < d; j++)
            {
                var product = double.CreateChecked(x[(i * d) + j]) * double.CreateChecked(w[j]);
                expected += product;
                size += Math.Abs(product);
            }

            // The reference's own sum rounds too: twice the bound covers both sides.
            var actual = double.CreateChecked(residuals[i]);
            Assert.True(
                Math.Abs(actual - expected) <= (2 * gamma * size) + (rounding * Math.Abs(expected)),
                $"{typeof(T).Name} N={n} D={d}: residual {i} {actual:R} vs {expected:R}");
        }
    }

    private static void AssertOnlyRowChanged<T>(T[] finite, T[] hostile, int row, string what)
        where T : System.Numerics.IFloatingPointIeee754<T>
    {
        Assert.False(T.IsFinite(hostile[row]), $"{what}: the row's own residual {hostile[row]} is finite");
        for (var i = 0; i < finite.Length; i++)
        {
            if (i != row && !finite[i].Equals(hostile[i]))
            {
                Assert.Fail($"{what}: residual {i} changed from {finite[i]} to {hostile[i]}");
            }
        }
    }
}
