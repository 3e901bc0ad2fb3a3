namespace Gradients.Tests.Losses;

/// <summary>
/// Every kernel path of the generic pass for the new losses: D = 1 and 2 (with AVX2 the narrow kernel, and float to
/// D = 4), 3…16 (the register kernel, masked and aligned),
/// 17…20 and 31 (the four-row wide kernel with its two phases overlapped), 32, 33, 64, 127, 128 (its gradient terms spread
/// over the next block's dot products, as from there on for double), 129, 255…257 and 300 (float: the four-row wide kernel, with
/// its four-row vector of η, and from 256 the eight-row kernel), N with every remainder of four and eight,
/// with and without sample weights, float and double, against a plain row-by-row reference.
/// </summary>
/// <remarks>
/// Error model: entries of X, w in [−½, ½], so |η| ≤ D/4 + ½ and |ℓ|, |d| ≤ (1 + |y|)(|η| + 1) + e^|η|. Both sides sum
/// N loss terms and N·D products in double with a few ulps per exp/log: they agree to (N + D + 16)·u times the mean
/// absolute term. Float results add one rounding to float (u_float·|result|), bounded likewise.
/// </remarks>
public sealed class LinearModelLossShapeSweepTests
{
    private static readonly int[] Dimensions = [.. Enumerable.Range(1, 20), 31, 32, 33, 64, 127, 128, 129, 255, 256, 257, 300];
    private static readonly int[] RowCounts = [1, 2, 3, 4, 5, 7, 8, 9, 13, 17];

    public static TheoryData<string> Losses => ["logistic", "poisson", "huber"];

    [Theory]
    [MemberData(nameof(Losses))]
    public void Every_kernel_path_matches_a_plain_reference(string loss)
    {
        var random = new Random(loss.Length);
        foreach (var d in Dimensions)
        {
            foreach (var n in RowCounts)
            {
                var (x, y, w, s) = RandomData(loss, random, n, d);
                const double B = 0.125;
                foreach (var weights in new[] { null, s })
                {
                    var tolerance = AssertMatchesReference(loss, x, y, w, B, weights);

                    // float: the same data rounded to float, against the reference on those rounded values.
                    float[] xf = [.. x.Select(v => (float)v)], yf = [.. y.Select(v => (float)v)], wf = [.. w.Select(v => (float)v)];
                    float[]? sf = weights is null ? null : [.. weights.Select(v => (float)v)];
                    var (lf, gf, bf, sizeF) = Reference(loss, [.. xf.Select(v => (double)v)], [.. yf.Select(v => (double)v)], [.. wf.Select(v => (double)v)], B, sf is null ? null : [.. sf.Select(v => (double)v)]);
                    var gradientF = new float[d];
                    var actualF = Evaluate(loss, xf, yf, wf, (float)B, sf, gradientF, out _);
                    var toleranceF = tolerance + (Math.Pow(2, -23) * sizeF);
                    Assert.True(Math.Abs(actualF - lf) <= toleranceF, $"{loss} float N={n} D={d}: loss {actualF:R} vs {lf:R}");
                    for (var j = 0; j < d; j++)
                    {
                        Assert.True(Math.Abs(gradientF[j] - gf[j]) <= toleranceF, $"{loss} float N={n} D={d}: gradient[{j}]");
                    }
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(Losses))]
    [InlineData("squared")]
    public void Full_chunks_of_float_data_match_a_plain_reference(string loss)
    {
        // With AVX2, full chunks of float data (rows·D ≥ 65,536) run the float kernels (register D = 5…16, wide
        // 17…512; D = 1…4 the narrow kernel and from 513 the four-row wide kernel with its gradient terms spread over the
        // next block's dot products, FusedPass.SpreadRows256, both all in double), which sum the gradient terms of eight
        // rows in float: 6.01·2⁻²⁴ of mean |ℓ′·xⱼ| ≤ 1.51·2⁻²³·size (|x| ≤ ½,
        // |ℓ′| ≤ each row's size term), plus the final rounding 2⁻²⁴·|result| ≤ 2⁻²⁴·size: 2⁻²²·size covers both.
        var random = new Random(100 + loss.Length);
        foreach (var d in new[] { 1, 2, 3, 4, 5, 8, 12, 13, 16, 17, 24, 33, 40, 129, 513, 1000 })
        {
            var chunkRows = (Math.Max(16, (65_536 + d - 1) / d) + 3) & ~3;
            foreach (var n in new[] { chunkRows, chunkRows + 5 })
            {
                float[] x = [.. Enumerable.Range(0, n * d).Select(_ => (float)(random.NextDouble() - 0.5))];
                var scale = WeightScale(d);
                float[] w = [.. Enumerable.Range(0, d).Select(_ => (float)((random.NextDouble() - 0.5) * scale))];
                float[] y = [.. Enumerable.Range(0, n).Select(_ => (float)(loss switch
                {
                    "logistic" => random.Next(2),
                    "poisson" => random.Next(4),
                    _ => (random.NextDouble() - 0.5) * 4,
                }))];
                float[] s = [.. Enumerable.Range(0, n).Select(_ => (float)(random.NextDouble() + 0.25))];
                const float B = 0.125f;
                foreach (var weights in new[] { null, s })
                {
                    AssertMatchesReference(loss, x, y, w, B, weights, Math.Pow(2, -22));
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(Losses))]
    [InlineData("squared")]
    public void Full_chunks_of_double_data_match_a_plain_reference(string loss)
    {
        // D = 1 and 2 run the narrow kernel (four rows as D column vectors; FusedPass.Narrow256; without AVX2 Narrow128) at any size.
        // Chunks larger than L1 (rows·D·8 ≥ 64 KB) run the register kernel (D = 5…16) with prefetch hints on Intel's
        // processors and elsewhere in groups of 16 rows (every loss) whose dot
        // products, loss terms and gradient terms run in three phases (FusedPass.SmallInGroups; with AVX-512 off, as CI
        // also runs this, the gradient phase in two halves of the columns); wider rows run the
        // 256-bit wide kernel with hints: below D = 32 its dot products and gradient sweeps overlapped (block b's dot
        // products beside block b − 1's gradient terms; FusedPass.OverlappedRows256), from D = 32 on with block b − 1's
        // gradient terms spread over block b's dot products (FusedPass.SpreadRows256), their hints 16 KB ahead at any D.
        // N = a whole number of groups, and that plus 5 (the rows after the last group and the last block). Same error
        // model as above: the two sides differ by the rounding of N loss terms and N·D products in double,
        // (N + D + 16)·u of the size.
        var random = new Random(200 + loss.Length);
        foreach (var d in new[] { 1, 2, 3, 4, 5, 8, 12, 13, 16, 17, 24, 31, 32, 37, 64, 100, 128, 131, 260, 1000 })
        {
            var chunkRows = (((65_536 / 8) + d - 1) / d + 15) & ~15;
            foreach (var n in new[] { chunkRows, chunkRows + 5 })
            {
                var (x, y, w, s) = RandomData(loss, random, n, d);
                const double B = 0.125;
                foreach (var weights in new[] { null, s })
                {
                    AssertMatchesReference(loss, x, y, w, B, weights);
                }
            }
        }
    }

    /// <summary>
    /// The factor on weights drawn from [−½, ½): 16/D past 16 features, so Σ|xⱼwⱼ| stays near 1 (about D/16 unscaled). The
    /// bound's size term carries e^Σ|xⱼwⱼ| per row, which unscaled is about e⁸ at D = 128 and e⁶² at D = 1000: a bound that
    /// wide would pass a kernel that scaled one residual in four by 1.05.
    /// </summary>
    private static double WeightScale(int d) => d > 16 ? 16.0 / d : 1.0;

    /// <summary>N rows of D entries in [−½, ½), weights likewise (times <see cref="WeightScale(int)"/>), labels valid for <paramref name="loss"/>, sample weights in [¼, 1¼).</summary>
    private static (double[] X, double[] Y, double[] W, double[] S) RandomData(string loss, Random random, int n, int d)
    {
        var x = Enumerable.Range(0, n * d).Select(_ => random.NextDouble() - 0.5).ToArray();
        var scale = WeightScale(d);
        var w = Enumerable.Range(0, d).Select(_ => (random.NextDouble() - 0.5) * scale).ToArray();
        var y = Enumerable.Range(0, n).Select(_ => loss switch
        {
            "logistic" => random.Next(2),
            "poisson" => random.Next(4),
            _ => (random.NextDouble() - 0.5) * 4,
        }).ToArray();
        var s = Enumerable.Range(0, n).Select(_ => random.NextDouble() + 0.25).ToArray();
        return (x, y, w, s);
    }

    /// <summary>
    /// The pass in <typeparamref name="T"/> against <see cref="Reference"/> on the same values in double, within
    /// (N + D + 16)·u of the size plus <paramref name="relative"/> of it; returns the double part of that tolerance.
    /// </summary>
    private static double AssertMatchesReference<T>(string loss, T[] x, T[] y, T[] w, T b, T[]? weights, double relative = 0)
        where T : System.Numerics.IFloatingPointIeee754<T>
    {
        static double[] Wide(T[] values) => [.. values.Select(double.CreateChecked)];
        var (n, d) = (y.Length, w.Length);
        var name = typeof(T) == typeof(float) ? $"{loss} float" : loss;
        var (expectedLoss, expectedGradient, expectedB, size) = Reference(loss, Wide(x), Wide(y), Wide(w), double.CreateChecked(b), weights is null ? null : Wide(weights));
        var tolerance = (n + d + 16) * (Math.BitIncrement(1.0) - 1.0) * size;
        var bound = tolerance + (relative * size);
        var gradient = new T[d];
        var actual = double.CreateChecked(Evaluate(loss, x, y, w, b, weights, gradient, out var interceptGradient));
        var actualB = double.CreateChecked(interceptGradient);
        Assert.True(Math.Abs(actual - expectedLoss) <= bound, $"{name} N={n} D={d} weighted={weights is not null}: loss {actual:R} vs {expectedLoss:R}");
        Assert.True(Math.Abs(actualB - expectedB) <= bound, $"{name} N={n} D={d}: intercept gradient {actualB:R} vs {expectedB:R}");
        for (var j = 0; j < d; j++)
        {
            var g = double.CreateChecked(gradient[j]);
            Assert.True(Math.Abs(g - expectedGradient[j]) <= bound, $"{name} N={n} D={d} weighted={weights is not null}: gradient[{j}] {g:R} vs {expectedGradient[j]:R}");
        }

        return tolerance;
    }

    private static T Evaluate<T>(string loss, T[] x, T[] y, T[] w, T b, T[]? s, T[] gradient, out T interceptGradient)
        where T : System.Numerics.IFloatingPointIeee754<T> => loss switch
        {
            "logistic" => LogisticLoss.LossAndGradient<T>(x, y, w, b, gradient, out interceptGradient, s, default),
            "poisson" => PoissonLoss.LossAndGradient<T>(x, y, w, b, gradient, out interceptGradient, s, default),
            "squared" => MeanSquaredError.LossAndGradient<T>(x, y, w, b, gradient, out interceptGradient, default, s, default),
            _ => HuberLoss.LossAndGradient<T>(x, y, w, b, gradient, out interceptGradient, s, new HuberLossOptions { Delta = 0.75 }),
        };

    /// <summary>Row by row in double: η, then the textbook ℓ and ℓ′ (|η| is small here, so the naive forms are accurate).</summary>
    private static (double Loss, double[] Gradient, double InterceptGradient, double Size) Reference(string loss, double[] x, double[] y, double[] w, double b, double[]? s)
    {
        var d = w.Length;
        var n = y.Length;
        double total = 0, lossSum = 0, interceptSum = 0, size = 0;
        var gradient = new double[d];
        for (var i = 0; i < n; i++)
        {
            var eta = b;
            var magnitude = Math.Abs(b);
            for (var j = 0; j < d; j++)
            {
                eta += x[(i * d) + j] * w[j];
                magnitude += Math.Abs(x[(i * d) + j] * w[j]);
            }

            var (l, g) = loss switch
            {
                "logistic" => (Math.Log(1 + Math.Exp(eta)) - (y[i] * eta), (1 / (1 + Math.Exp(-eta))) - y[i]),
                "poisson" => (Math.Exp(eta) - (y[i] * eta), Math.Exp(eta) - y[i]),
                "squared" => ((eta - y[i]) * (eta - y[i]), 2 * (eta - y[i])),
                _ => Math.Abs(eta - y[i]) <= 0.75 ? (0.5 * (eta - y[i]) * (eta - y[i]), eta - y[i]) : (0.75 * (Math.Abs(eta - y[i]) - 0.375), Math.CopySign(0.75, eta - y[i])),
            };
            var si = s?[i] ?? 1.0;
            total += si;
            lossSum += si * l;
            interceptSum += si * g;
            size += si * (((1 + Math.Abs(y[i])) * (magnitude + 1)) + Math.Exp(magnitude) + (loss == "squared" ? (magnitude + Math.Abs(y[i])) * (magnitude + Math.Abs(y[i])) : 0));
            for (var j = 0; j < d; j++)
            {
                gradient[j] += si * g * x[(i * d) + j];
            }
        }

        return (lossSum / total, [.. gradient.Select(g => g / total)], interceptSum / total, size / total);
    }
}
