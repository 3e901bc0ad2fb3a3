using Gradients.Tests.Properties;

namespace Gradients.Tests.Losses;

/// <summary>
/// float data that fits in L1 (rows·D &lt; 16,384), D = 1…16: the kernels of the calls on small data (with AVX2, D ≤ 2
/// runs the kernel of <c>FusedPass.NarrowDimension.cs</c>; with AVX-512, D = 3 and 4 the 512-bit kernel of
/// <c>FusedPass.SingleNarrow.cs</c>; D = 5…16 the register kernel; without AVX2, D ≤ 2 runs
/// <c>FusedPass.NarrowDimension128.cs</c> and D = 3 and 4 the 128-bit kernel of <c>FusedPass.SingleNarrow128.cs</c>), on data whose
/// residuals are tiny against η (X = 10⁶ + noise, w near the optimum), where a kernel that formed η in float would be
/// off by far more than the tolerance; and with an infinite feature, which must not leak into the neighbouring rows.
/// Run with DOTNET_EnableAVX512=0 and DOTNET_EnableAVX2=0 too: the same tests then cover the other kernels.
/// </summary>
/// <remarks>
/// Error model (Higham, <i>Accuracy and Stability of Numerical Algorithms</i>, 2nd ed., §3.1): the kernels form each
/// product xᵢⱼ·wⱼ exactly in double (a float times a float) and sum D + 2 terms, so the computed residual is rᵢ + δᵢ
/// with |δᵢ| ≤ γ_{D+2}·Sᵢ, Sᵢ = Σⱼ|xᵢⱼ·wⱼ| + |b| + |yᵢ|, γₖ = k·u/(1 − k·u), u = 2⁻⁵³. The loss sums N squares:
/// |Δloss| ≤ (1/N)·Σ(2|rᵢ|·|δᵢ| + δᵢ²) + γ_{N+1}·(1/N)·Σ(|rᵢ| + |δᵢ|)², and each gradient entry
/// |Δgⱼ| ≤ (2/N)·Σ(|δᵢ| + γ_{N+1}·(|rᵢ| + |δᵢ|))·|xᵢⱼ|; each result is then rounded once to float (2⁻²⁴ relative).
/// The tests use γ_{D+N+4} for every γ (a bound on both) and double the sums for the few roundings outside them
/// (division by N, the intercept's addition).
/// </remarks>
public sealed class MeanSquaredErrorSingleInCacheTests
{
    private static readonly int[] RowCounts = [1, 2, 3, 4, 5, 7, 8, 9, 13, 15, 16, 17, 31, 49, 50, 51, 64, 67];

    [Fact]
    public void Offset_data_near_the_optimum_keeps_its_residuals()
    {
        var random = new Random(18);
        for (var d = 1; d <= 16; d++)
        {
            foreach (var n in RowCounts)
            {
                // X = 10⁶ + noise, y = Xw + b + ε with |ε| ≤ 10⁻², rounded to float (half an ulp of 10⁶·Σ|w| is up to 0.25):
                // residuals below 0.3 against η of about 10⁶·Σ|w|. η summed in float would be off by up to about
                // D·2⁻²⁴·10⁶·Σ|w| per row, where the tolerance is about 2·(D + N + 4)·2⁻⁵³ of that.
                var w = new float[d];
                for (var j = 0; j < d; j++)
                {
                    w[j] = (float)(random.NextDouble() - 0.5);
                }

                var x = new float[n * d];
                for (var k = 0; k < x.Length; k++)
                {
                    x[k] = (float)(1e6 + random.NextDouble());
                }

                const float B = 0.375f;
                var y = new float[n];
                for (var i = 0; i < n; i++)
                {
                    var eta = (double)B;
                    for (var j = 0; j < d; j++)
                    {
                        eta += (double)x[(i * d) + j] * w[j];
                    }

                    y[i] = (float)(eta + ((random.NextDouble() - 0.5) * 2e-2));
                }

                var gradient = new float[d];
                var residuals = new float[n];
                var loss = MeanSquaredError.LossAndGradient<float>(x, y, w, B, gradient, out var interceptGradient, residuals);
                var reference = HighPrecision.MeanSquaredError(Widen(x), Widen(y), Widen(w), B);

                var gamma = Gamma(d + n + 4);
                var rowError = new double[n];
                var lossBound = 0.0;
                for (var i = 0; i < n; i++)
                {
                    var size = Math.Abs((double)B) + Math.Abs((double)y[i]);
                    for (var j = 0; j < d; j++)
                    {
                        size += Math.Abs((double)x[(i * d) + j] * w[j]);
                    }

                    rowError[i] = gamma * size;
                    var r = Math.Abs(reference.Residuals[i]);
                    lossBound += (2 * r * rowError[i]) + (rowError[i] * rowError[i]) + (gamma * (r + rowError[i]) * (r + rowError[i]));

                    // Each residual: its own error and one rounding to float.
                    Assert.True(
                        Math.Abs(residuals[i] - reference.Residuals[i]) <= (2 * rowError[i]) + (Math.Pow(2, -24) * Math.Abs(reference.Residuals[i])),
                        $"N={n} D={d}: residual {i} {residuals[i]:R} vs {reference.Residuals[i]:R}");
                }

                Assert.True(
                    Math.Abs(loss - reference.Loss) <= (2 * lossBound / n) + (Math.Pow(2, -24) * Math.Abs(reference.Loss)),
                    $"N={n} D={d}: loss {loss:R} vs {reference.Loss:R}");
                for (var j = 0; j < d; j++)
                {
                    var bound = 0.0;
                    for (var i = 0; i < n; i++)
                    {
                        bound += (rowError[i] + (gamma * (Math.Abs(reference.Residuals[i]) + rowError[i]))) * Math.Abs((double)x[(i * d) + j]);
                    }

                    Assert.True(
                        Math.Abs(gradient[j] - reference.Gradient[j]) <= (2 * 2 * bound / n) + (Math.Pow(2, -24) * Math.Abs(reference.Gradient[j])),
                        $"N={n} D={d}: gradient[{j}] {gradient[j]:R} vs {reference.Gradient[j]:R}");
                }

                var interceptBound = 0.0;
                for (var i = 0; i < n; i++)
                {
                    interceptBound += rowError[i] + (gamma * (Math.Abs(reference.Residuals[i]) + rowError[i]));
                }

                Assert.True(
                    Math.Abs(interceptGradient - reference.InterceptGradient) <= (2 * 2 * interceptBound / n) + (Math.Pow(2, -24) * Math.Abs(reference.InterceptGradient)),
                    $"N={n} D={d}: intercept gradient {interceptGradient:R} vs {reference.InterceptGradient:R}");
            }
        }
    }

    [Fact]
    public void An_infinite_feature_does_not_leak_into_the_neighbouring_rows()
    {
        // Positive X and w, y = 0: the row holding +∞ has η = +∞, so the loss and every gradient entry are +∞ (each
        // feature of that row is positive). A kernel that let the ∞ into a neighbouring row's η through a padded
        // weight (∞·0) would make that η, the loss and the gradient NaN. Every row and column of the ∞, every row end.
        var random = new Random(1818);
        for (var d = 1; d <= 16; d++)
        {
            foreach (var n in new[] { 3, 8, 9, 17, 50 })
            {
                for (var at = 0; at < n * d; at += Math.Max(1, (n * d) / 23))
                {
                    var x = new float[n * d];
                    for (var k = 0; k < x.Length; k++)
                    {
                        x[k] = (float)(0.5 + (random.NextDouble() * 0.5));
                    }

                    x[at] = float.PositiveInfinity;
                    var w = new float[d];
                    for (var j = 0; j < d; j++)
                    {
                        w[j] = (float)(0.5 + (random.NextDouble() * 0.5));
                    }

                    var gradient = new float[d];
                    var loss = MeanSquaredError.LossAndGradient<float>(x, new float[n], w, gradient);
                    Assert.True(float.IsPositiveInfinity(loss), $"N={n} D={d} ∞ at {at}: loss {loss:R}");
                    for (var j = 0; j < d; j++)
                    {
                        Assert.True(float.IsPositiveInfinity(gradient[j]), $"N={n} D={d} ∞ at {at}: gradient[{j}] {gradient[j]:R}");
                    }
                }
            }
        }
    }

    private static double Gamma(int k) => k * Math.Pow(2, -53) / (1 - (k * Math.Pow(2, -53)));

    private static double[] Widen(float[] values) => Array.ConvertAll(values, v => (double)v);
}
