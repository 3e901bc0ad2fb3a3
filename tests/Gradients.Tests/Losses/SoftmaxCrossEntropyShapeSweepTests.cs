namespace Gradients.Tests.Losses;

/// <summary>
/// Every layout and kernel path of the softmax pass: D = 1…17 (the class-vectorized layout, and the feature-vectorized
/// one with its tails of D mod 8 and D mod 4 features, from D = 4 with few classes and from D = 8), 31…33; K from 1 to
/// 65 (odd and even, a class pair's padding, one and two groups of four, past the feature layout's 64); N with every
/// remainder of four and a block past the first; with and without intercepts and sample weights; double and float;
/// against a plain row-by-row reference.
/// </summary>
/// <remarks>
/// Error model: entries of X, W and b in [−½, ½], so each score's magnitude sum is Mᵢ = maxₖ(|bₖ| + Σⱼ|xᵢⱼ·wⱼₖ|) ≤ D/4 + ½.
/// Each side computes a score with at most (D + 1)·u·Mᵢ error; the row's loss lse(η) − η_y moves by at most twice the
/// largest score error, and its exponentials, sum, log and division add (K + 4) roundings of at most Mᵢ + log K + 1;
/// each derivative pₖ − [k = y] (|·| ≤ 1) moves by at most as much. The means add N roundings of terms of that size
/// (|x| ≤ ½). Both sides together: 2·(N + D + K + 16)·u·mean(Mᵢ + log K + 1). Float adds the data's and the result's
/// rounding to float, 2⁻²³ of the same size.
/// The feature-vectorized layout forms the scores relative to class 0: weights wₖ − w₀ (one more rounding each) and
/// magnitude sums up to 2Mᵢ, so its score error is at most 2(D + 2)·u·Mᵢ, which takes D to 2D + 3 above: 2·(N + 2D + K + 19).
/// Its class-0 gradient is minus the sum of the other K − 1 columns, each off by that bound, plus each row's derivatives
/// summing to K·u instead of 0 (times |x| ≤ ½): K times the bound covers it.
/// </remarks>
public sealed class SoftmaxCrossEntropyShapeSweepTests
{
    private static readonly int[] Dimensions = [.. Enumerable.Range(1, 17), 31, 32, 33];
    private static readonly int[] ClassCounts = [1, 2, 3, 4, 5, 7, 10, 11, 16, 17, 65];
    private static readonly int[] RowCounts = [1, 3, 4, 5, 9, 17];
    private static readonly double Epsilon = Math.BitIncrement(1.0) - 1.0;

    [Fact]
    public void Every_layout_matches_a_plain_reference()
    {
        var random = new Random(17);
        foreach (var d in Dimensions)
        {
            foreach (var k in ClassCounts)
            {
                foreach (var n in RowCounts)
                {
                    var x = Values(random, n * d);
                    var w = Values(random, d * k);
                    var b = Values(random, k);
                    var y = Enumerable.Range(0, n).Select(_ => random.Next(k)).ToArray();
                    var s = Enumerable.Range(0, n).Select(_ => random.NextDouble() + 0.25).ToArray();
                    foreach (var (intercepts, weights) in new[] { (b, (double[]?)null), ([], s), (b, s) })
                    {
                        Check(x, y, w, intercepts, weights, d, k, n);
                    }
                }
            }
        }
    }

    private static double[] Values(Random random, int count) => [.. Enumerable.Range(0, count).Select(_ => random.NextDouble() - 0.5)];

    private static void Check(double[] x, int[] y, double[] w, double[] b, double[]? s, int d, int k, int n)
    {
        var shape = $"N={n} D={d} K={k} intercepts={b.Length > 0} weighted={s is not null}";
        var (expectedLoss, expectedGradient, expectedIntercepts, size) = Reference(x, y, w, b, s, d, k);
        var tolerance = 2 * (n + (2 * d) + k + 19) * Epsilon * size;

        var gradient = new double[d * k];
        var interceptGradient = new double[b.Length];
        var loss = SoftmaxCrossEntropy.LossAndGradient<double>(x, y, w, b, gradient, interceptGradient, s ?? [], default);
        Assert.True(Math.Abs(loss - expectedLoss) <= tolerance, $"{shape}: loss {loss:R} vs {expectedLoss:R}");
        AssertClose(gradient, expectedGradient, tolerance, k * tolerance, k, $"{shape}: gradient");
        AssertClose(interceptGradient, b.Length > 0 ? expectedIntercepts : [], tolerance, tolerance, k, $"{shape}: intercept gradient");

        // float: the same data rounded to float, against the reference on the rounded values.
        float[] xf = [.. x.Select(v => (float)v)], wf = [.. w.Select(v => (float)v)], bf = [.. b.Select(v => (float)v)];
        float[] sf = s is null ? [] : [.. s.Select(v => (float)v)];
        var (lossF, gradientF, interceptsF, sizeF) = Reference(
            [.. xf.Select(v => (double)v)], y, [.. wf.Select(v => (double)v)], [.. bf.Select(v => (double)v)], s is null ? null : [.. sf.Select(v => (double)v)], d, k);
        var toleranceF = (2 * (n + (2 * d) + k + 19) * Epsilon * sizeF) + (Math.Pow(2, -23) * sizeF);
        var referenceToleranceF = (k * 2 * (n + (2 * d) + k + 19) * Epsilon * sizeF) + (Math.Pow(2, -23) * sizeF);
        var actualGradientF = new float[d * k];
        var actualInterceptsF = new float[bf.Length];
        var actualF = SoftmaxCrossEntropy.LossAndGradient<float>(xf, y, wf, bf, actualGradientF, actualInterceptsF, sf, default);
        Assert.True(Math.Abs(actualF - lossF) <= toleranceF, $"float {shape}: loss {actualF:R} vs {lossF:R}");
        AssertClose([.. actualGradientF.Select(v => (double)v)], gradientF, toleranceF, referenceToleranceF, k, $"float {shape}: gradient");
        AssertClose([.. actualInterceptsF.Select(v => (double)v)], bf.Length > 0 ? interceptsF : [], toleranceF, toleranceF, k, $"float {shape}: intercept gradient");
    }

    /// <summary>Each entry within <paramref name="tolerance"/>; class 0's (every <paramref name="classes"/>-th, from 0) within <paramref name="referenceTolerance"/>.</summary>
    private static void AssertClose(double[] actual, double[] expected, double tolerance, double referenceTolerance, int classes, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var q = 0; q < actual.Length; q++)
        {
            var allowed = q % classes == 0 ? referenceTolerance : tolerance;
            Assert.True(Math.Abs(actual[q] - expected[q]) <= allowed, $"{what}[{q}]: {actual[q]:R} vs {expected[q]:R} (tolerance {allowed:E2})");
        }
    }

    /// <summary>Row by row in double: the K scores, the max-shifted log-sum-exp, the loss and the derivatives pₖ − [k = y].</summary>
    private static (double Loss, double[] Gradient, double[] InterceptGradient, double Size) Reference(
        double[] x, int[] y, double[] w, double[] b, double[]? s, int d, int k)
    {
        var n = y.Length;
        var gradient = new double[d * k];
        var interceptGradient = new double[k];
        var eta = new double[k];
        double total = 0, lossSum = 0, size = 0;
        for (var i = 0; i < n; i++)
        {
            var magnitude = 0.0;
            for (var c = 0; c < k; c++)
            {
                var bias = b.Length > 0 ? b[c] : 0.0;
                var sum = bias;
                var absolute = Math.Abs(bias);
                for (var j = 0; j < d; j++)
                {
                    sum += x[(i * d) + j] * w[(j * k) + c];
                    absolute += Math.Abs(x[(i * d) + j] * w[(j * k) + c]);
                }

                eta[c] = sum;
                magnitude = Math.Max(magnitude, absolute);
            }

            var max = eta.Max();
            var z = eta.Sum(e => Math.Exp(e - max));
            var si = s?[i] ?? 1.0;
            total += si;
            lossSum += si * (max + Math.Log(z) - eta[y[i]]);
            size += si * (magnitude + Math.Log(k) + 1);
            for (var c = 0; c < k; c++)
            {
                var derivative = (Math.Exp(eta[c] - max) / z) - (c == y[i] ? 1.0 : 0.0);
                interceptGradient[c] += si * derivative;
                for (var j = 0; j < d; j++)
                {
                    gradient[(j * k) + c] += si * derivative * x[(i * d) + j];
                }
            }
        }

        return (lossSum / total, [.. gradient.Select(g => g / total)], [.. interceptGradient.Select(g => g / total)], size / total);
    }
}
