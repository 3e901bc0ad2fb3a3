using System.Numerics;
using Gradients.Tests.Properties;

namespace Gradients.Tests.Losses;

/// <summary>
/// <see cref="FloatArithmetic.Fast"/>: results within the bound its documentation states, on data near the origin and
/// on data with a large offset (where the bound is loose but must still hold); bit-identical to the default where it
/// does not apply (double data, shapes without a float-arithmetic kernel, non-finite data) and for every thread count.
/// With AVX-512 the shapes below run the fast kernels (D = 3 and 4 in L1: <c>FusedPass.SingleNarrow.cs</c>; full chunks
/// of D = 17 to 136: <c>FusedPass.SingleWide512.cs</c>, or <c>SingleWide256.cs</c> for the D it serves and with
/// AVX-512 off); without AVX2 they run the default kernels, whose error is within the same bound, so the tests hold in
/// every configuration (run them with DOTNET_EnableAVX512=0 and DOTNET_EnableAVX2=0 too).
/// </summary>
/// <remarks>
/// Error model (Higham, <i>Accuracy and Stability of Numerical Algorithms</i>, 2nd ed., §3.1), with u = 2⁻²⁴ (float) and
/// γₖ = k·2⁻⁵³/(1 − k·2⁻⁵³) (double), the bound <see cref="FloatArithmetic.Fast"/> states. Each residual is off by
/// δᵢ ≤ (D + 3)·u·Sᵢ (η, the intercept and the target in float) + γ_{D+N+4}·Sᵢ (the double part), Sᵢ = Σⱼ|xᵢⱼwⱼ| + |b| + |yᵢ|.
/// The loss: |Δ| ≤ (1/N)·Σ(2|rᵢ|δᵢ + δᵢ²) + (10·u + γ)·(1/N)·Σ(|rᵢ| + δᵢ)² (squares summed in float over blocks).
/// Each gradient entry: |Δgⱼ| ≤ (2/N)·Σᵢ(δᵢ + 10·u·(|rᵢ| + δᵢ) + γ·(|rᵢ| + δᵢ))·|xᵢⱼ| (the gradient terms summed in float
/// over blocks: at most ten roundings per term). The tests double each sum for the few roundings outside it (division
/// by N, the intercept's addition) and allow one rounding of each result to float (u relative).
/// </remarks>
public sealed class FloatArithmeticFastTests
{
    private static readonly MeanSquaredErrorOptions Fast = new() { FloatArithmetic = FloatArithmetic.Fast };

    public static TheoryData<int, int> Shapes => new()
    {
        { 3, 1 }, { 3, 8 }, { 3, 50 }, { 3, 67 }, { 3, 1000 },
        { 4, 7 }, { 4, 50 }, { 4, 64 }, { 4, 65 }, { 4, 400 }, { 4, 4095 },
        { 4, 16_451 }, { 3, 21_861 }, // a full chunk (the default's kernels), then a last chunk of 67 or 13 rows in L1 (the fast kernel, its last rows as a block)
        { 17, 3900 }, { 20, 3300 }, { 24, 2733 }, { 32, 2053 }, { 48, 1371 }, { 64, 1030 }, { 128, 517 }, { 136, 483 }, // full chunks (N·D ≥ 65,536), leftover rows, every column remainder kind
        { 8, 50 }, { 16, 4100 }, { 100, 50 }, // shapes that keep the default arithmetic on AMD with AVX-512 (D = 16), or everywhere
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Data_near_the_origin_is_within_the_stated_bound(int d, int n) => AssertWithinBound(d, n, offset: 0.0, seed: (d * 7919) + n);

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Data_with_a_large_offset_is_within_the_stated_bound(int d, int n) => AssertWithinBound(d, n, offset: 1e6, seed: (d * 104729) + n);

    [Fact]
    public void Near_the_origin_the_fast_results_agree_with_the_default_to_float_precision()
    {
        // The stated bound is a worst case; on data of mixed signs near the origin the fast gradient differs from the
        // default one by a few float roundings of Σ|r·x| (D = 4 and 128: both fast kernels; the last two shapes are a
        // full chunk and a last one of 67 or 13 rows, where a row counted twice or missed would move the loss by 10⁻⁴).
        foreach (var (d, n) in new[] { (4, 400), (128, 517), (4, 16_451), (3, 21_861) })
        {
            var (x, y, w) = Data(d, n, 0.0, new Random(d + n));
            var accurate = new float[d];
            var fast = new float[d];
            var lossAccurate = MeanSquaredError.LossAndGradient<float>(x, y, w, 0.25f, accurate, out _, default, default);
            var lossFast = MeanSquaredError.LossAndGradient<float>(x, y, w, 0.25f, fast, out _, default, Fast);
            Assert.True(Math.Abs(lossFast - lossAccurate) <= 1e-5 * lossAccurate, $"D={d}: loss {lossFast:R} vs {lossAccurate:R}");
            var scale = 0.0;
            for (var j = 0; j < d; j++)
            {
                scale = Math.Max(scale, Math.Abs(accurate[j]));
            }

            for (var j = 0; j < d; j++)
            {
                Assert.True(Math.Abs(fast[j] - accurate[j]) <= 1e-4 * scale, $"D={d}: gradient[{j}] {fast[j]:R} vs {accurate[j]:R}");
            }
        }
    }

    [Theory]
    [InlineData(4, 50)]
    [InlineData(8, 50)]
    [InlineData(128, 517)]
    public void Double_data_ignores_the_option(int d, int n)
    {
        var (x, y, w) = Data(d, n, 0.0, new Random(n));
        AssertFastGivesTheDefaultResults(Widen(x), Widen(y), Widen(w), 0.5);
    }

    [Theory]
    [InlineData(8, 50)] // no float-arithmetic kernel: the default's
    [InlineData(4, 50)] // a feature of +∞: the fast kernel's chunk runs again in the default arithmetic
    [InlineData(128, 517)]
    public void Shapes_without_a_fast_kernel_and_non_finite_data_give_the_default_results(int d, int n)
    {
        var (x, y, w) = Data(d, n, 0.0, new Random(d * n));
        if (d != 8)
        {
            x[(n / 2 * d) + 1] = float.PositiveInfinity;
        }

        AssertFastGivesTheDefaultResults(x, y, w, 0.5f);
    }

    [Theory]
    [InlineData(4, 1)]
    [InlineData(4, 7)]
    [InlineData(4, 23)] // 92 elements: below FastSquaredMinimumElements
    [InlineData(3, 31)] // 93
    public void The_smallest_chunks_give_the_default_results(int d, int n)
    {
        // The mean squared error of fewer than 96 elements runs the default kernel in the fast mode too (it was faster
        // there), with AVX-512 or without it.
        var (x, y, w) = Data(d, n, 0.0, new Random((d * 31) + n));
        AssertFastGivesTheDefaultResults(x, y, w, 0.5f);
    }

    [Theory]
    [InlineData(3, 50)]
    [InlineData(3, 400)]
    [InlineData(4, 50)]
    [InlineData(4, 400)]
    public void The_other_losses_in_cache_give_the_default_results(int d, int n)
    {
        // Rows of three and four in L1: the logistic and Huber losses run the default kernel in the fast mode (a fast
        // loop was never faster there). Without AVX-512, rows of four have the 256-bit fast kernel instead, whose
        // logistic results the bound test checks.
        if (d == 4 && !(System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated && System.Runtime.Intrinsics.X86.Avx512F.IsSupported))
        {
            The_logistic_loss_and_the_accumulator_take_the_option_within_the_bound(d, n);
            return;
        }

        var random = new Random((d * 131) + n);
        var (x, y, w) = Data(d, n, 0.0, random);
        var labels = new float[n];
        for (var i = 0; i < n; i++)
        {
            labels[i] = random.Next(2);
        }

        var fast = new LinearModelLossOptions { FloatArithmetic = FloatArithmetic.Fast };
        var accurate = new float[d];
        var fastGradient = new float[d];
        Assert.Equal(
            LogisticLoss.LossAndGradient<float>(x, labels, w, 0.25f, accurate, out var biasAccurate, default, default),
            LogisticLoss.LossAndGradient<float>(x, labels, w, 0.25f, fastGradient, out var biasFast, default, fast));
        Assert.Equal(biasAccurate, biasFast);
        Assert.Equal(accurate, fastGradient);

        var huberAccurate = HuberLoss.LossAndGradient<float>(x, y, w, accurate);
        var huberFast = HuberLoss.LossAndGradient<float>(x, y, w, fastGradient, new HuberLossOptions { FloatArithmetic = FloatArithmetic.Fast });
        Assert.Equal(huberAccurate, huberFast);
        Assert.Equal(accurate, fastGradient);
    }

    [Fact]
    public void Results_are_bit_identical_for_every_thread_count()
    {
        // 20,000 × 32 is ten chunks: each runs the fast wide kernel, on one thread or on two.
        var (x, y, w) = Data(32, 20_000, 0.0, new Random(32));
        var one = new float[32];
        var two = new float[32];
        var lossOne = MeanSquaredError.LossAndGradient<float>(x, y, w, 0f, one, out var biasOne, default, Fast);
        var lossTwo = MeanSquaredError.LossAndGradient<float>(x, y, w, 0f, two, out var biasTwo, default, Fast with { MaxDegreeOfParallelism = 2 });
        Assert.Equal(lossOne, lossTwo);
        Assert.Equal(biasOne, biasTwo);
        Assert.Equal(one, two);
    }

    [Theory]
    [InlineData(4, 50)]
    [InlineData(64, 1030)]
    public void The_logistic_loss_and_the_accumulator_take_the_option_within_the_bound(int d, int n)
    {
        // Logistic: ℓ(η) = log(1 + e^η) − yη is 1-Lipschitz in η and its derivative σ(η) − y is ¼-Lipschitz, so a
        // residual error δᵢ in η moves the loss by at most (1/N)·Σδᵢ and gradient entry j by (1/N)·Σ(δᵢ/4 + 10u·(1 + δᵢ/4))·|xᵢⱼ|
        // (|σ − y| ≤ 1); against the default's result, which is within a few roundings to float of the exact one.
        var random = new Random(d + (31 * n));
        var (x, _, w) = Data(d, n, 0.0, random);
        var labels = new float[n];
        for (var i = 0; i < n; i++)
        {
            labels[i] = random.Next(2);
        }

        var accurate = new float[d];
        var fast = new float[d];
        var lossAccurate = LogisticLoss.LossAndGradient<float>(x, labels, w, 0.125f, accurate, out _, default, default);
        var lossFast = LogisticLoss.LossAndGradient<float>(x, labels, w, 0.125f, fast, out _, default, new LinearModelLossOptions { FloatArithmetic = FloatArithmetic.Fast });
        var u = Math.Pow(2, -24);
        var etaErrors = new double[n];
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < d; j++)
            {
                etaErrors[i] += (d + 2) * u * Math.Abs((double)x[(i * d) + j] * w[j]);
            }
        }

        Assert.True(Math.Abs(lossFast - lossAccurate) <= (2 * etaErrors.Sum() / n) + (4 * u * Math.Abs(lossAccurate)), $"loss {lossFast:R} vs {lossAccurate:R}");
        for (var j = 0; j < d; j++)
        {
            var bound = 0.0;
            for (var i = 0; i < n; i++)
            {
                bound += ((etaErrors[i] / 4) + (10 * u * (1 + (etaErrors[i] / 4)))) * Math.Abs((double)x[(i * d) + j]);
            }

            Assert.True(Math.Abs(fast[j] - accurate[j]) <= (2 * bound / n) + (4 * u * Math.Abs(accurate[j])), $"gradient[{j}] {fast[j]:R} vs {accurate[j]:R}");
        }

        // The accumulator of the mean squared error keeps the option for every Add: one Add of all rows gives the one call's sums.
        var (xm, ym, wm) = Data(d, n, 0.0, random);
        var accumulator = new MeanSquaredErrorAccumulator<float>(wm, 0f, Fast);
        accumulator.Add(xm, ym);
        var fromAccumulator = new float[d];
        var fromCall = new float[d];
        var lossAccumulated = accumulator.LossAndGradient(fromAccumulator);
        var lossCall = MeanSquaredError.LossAndGradient<float>(xm, ym, wm, 0f, fromCall, out _, default, Fast);
        Assert.Equal(lossCall, lossAccumulated);
        Assert.Equal(fromCall, fromAccumulator);
    }

    [Theory]
    [InlineData(4, 50)]
    [InlineData(4, 400)]
    [InlineData(64, 1030)]
    public void Sample_weights_stay_within_the_stated_bound(int d, int n)
    {
        // The bound of the remarks with each row's terms weighted by sᵢ/Σs (multiples of ¼ up to 2: exact sums).
        var random = new Random(d + n);
        var (x, y, w) = Data(d, n, 0.0, random);
        var s = new float[n];
        for (var i = 0; i < n; i++)
        {
            s[i] = random.Next(1, 9) / 4f;
        }

        const float B = -0.25f;
        var gradient = new float[d];
        var loss = MeanSquaredError.LossAndGradient<float>(x, y, w, B, gradient, out _, default, s, Fast);
        var reference = HighPrecision.MeanSquaredError(Widen(x), Widen(y), Widen(w), B, sampleWeights: Widen(s));
        var u = Math.Pow(2, -24);
        var gamma = Gamma(d + n + 4);
        var total = s.Sum(v => (double)v);
        var lossBound = 0.0;
        var gradientBound = new double[d];
        for (var i = 0; i < n; i++)
        {
            var size = Math.Abs((double)B) + Math.Abs((double)y[i]);
            for (var j = 0; j < d; j++)
            {
                size += Math.Abs((double)x[(i * d) + j] * w[j]);
            }

            var delta = ((d + 3) * u * size) + (gamma * size);
            var r = Math.Abs(reference.Residuals[i]) + delta;
            lossBound += s[i] * ((2 * r * delta) + (((10 * u) + gamma) * r * r));
            for (var j = 0; j < d; j++)
            {
                gradientBound[j] += s[i] * (delta + (((10 * u) + gamma) * r)) * Math.Abs((double)x[(i * d) + j]);
            }
        }

        Assert.True(Math.Abs(loss - reference.Loss) <= (2 * lossBound / total) + (u * Math.Abs(reference.Loss)), $"loss {loss:R} vs {reference.Loss:R}");
        for (var j = 0; j < d; j++)
        {
            Assert.True(
                Math.Abs(gradient[j] - reference.Gradient[j]) <= (2 * 2 * gradientBound[j] / total) + (u * Math.Abs(reference.Gradient[j])),
                $"gradient[{j}] {gradient[j]:R} vs {reference.Gradient[j]:R}");
        }
    }

    [Fact]
    public void An_undefined_value_is_rejected_and_named()
    {
        var x = new float[] { 1, 2, 3, 4 };
        var y = new float[] { 1, 2 };
        var w = new float[] { 1, 1 };
        var gradient = new float[2];
        var bad = (FloatArithmetic)2;
        var mse = Assert.Throws<ArgumentOutOfRangeException>(() => MeanSquaredError.LossAndGradient<float>(x, y, w, gradient, new MeanSquaredErrorOptions { FloatArithmetic = bad }));
        Assert.Equal("options", mse.ParamName);
        Assert.Contains("FloatArithmetic", mse.Message, StringComparison.Ordinal);
        var logistic = Assert.Throws<ArgumentOutOfRangeException>(() => LogisticLoss.LossAndGradient<float>(x, [0, 1], w, gradient, new LinearModelLossOptions { FloatArithmetic = bad }));
        Assert.Contains("FloatArithmetic", logistic.Message, StringComparison.Ordinal);
        var huber = Assert.Throws<ArgumentOutOfRangeException>(() => HuberLoss.LossAndGradient<float>(x, y, w, gradient, new HuberLossOptions { FloatArithmetic = (FloatArithmetic)(-1) }));
        Assert.Contains("FloatArithmetic", huber.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => new MeanSquaredErrorAccumulator<float>(w, 0f, new MeanSquaredErrorOptions { FloatArithmetic = bad }));
    }

    /// <summary>Loss, intercept gradient and gradient of <see cref="FloatArithmetic.Fast"/> equal the default's, bit for bit.</summary>
    private static void AssertFastGivesTheDefaultResults<T>(T[] x, T[] y, T[] w, T b)
        where T : IFloatingPointIeee754<T>
    {
        var accurate = new T[w.Length];
        var fast = new T[w.Length];
        var lossAccurate = MeanSquaredError.LossAndGradient<T>(x, y, w, b, accurate, out var biasAccurate, default, default);
        var lossFast = MeanSquaredError.LossAndGradient<T>(x, y, w, b, fast, out var biasFast, default, Fast);
        Assert.Equal(lossAccurate, lossFast);
        Assert.Equal(biasAccurate, biasFast);
        Assert.Equal(accurate, fast);
    }

    private static void AssertWithinBound(int d, int n, double offset, int seed)
    {
        var (x, y, w) = Data(d, n, offset, new Random(seed));
        const float B = 0.375f;
        var gradient = new float[d];
        var residuals = new float[n];
        var loss = MeanSquaredError.LossAndGradient<float>(x, y, w, B, gradient, out var interceptGradient, residuals, Fast);
        var reference = HighPrecision.MeanSquaredError(Widen(x), Widen(y), Widen(w), B);

        var u = Math.Pow(2, -24);
        var gamma = Gamma(d + n + 4);
        var rowError = new double[n];
        var lossBound = 0.0;
        for (var i = 0; i < n; i++)
        {
            var products = 0.0;
            for (var j = 0; j < d; j++)
            {
                products += Math.Abs((double)x[(i * d) + j] * w[j]);
            }

            var size = products + Math.Abs((double)B) + Math.Abs((double)y[i]);
            rowError[i] = ((d + 3) * u * size) + (gamma * size);
            var r = Math.Abs(reference.Residuals[i]);
            lossBound += (2 * r * rowError[i]) + (rowError[i] * rowError[i]) + (((10 * u) + gamma) * (r + rowError[i]) * (r + rowError[i]));
            Assert.True(
                Math.Abs(residuals[i] - reference.Residuals[i]) <= (2 * rowError[i]) + (u * Math.Abs(reference.Residuals[i])),
                $"N={n} D={d}: residual {i} {residuals[i]:R} vs {reference.Residuals[i]:R}");
        }

        Assert.True(
            Math.Abs(loss - reference.Loss) <= (2 * lossBound / n) + (u * Math.Abs(reference.Loss)),
            $"N={n} D={d}: loss {loss:R} vs {reference.Loss:R}");
        for (var j = 0; j < d; j++)
        {
            var bound = 0.0;
            for (var i = 0; i < n; i++)
            {
                var r = Math.Abs(reference.Residuals[i]) + rowError[i];
                bound += (rowError[i] + (10 * u * r) + (gamma * r)) * Math.Abs((double)x[(i * d) + j]);
            }

            Assert.True(
                Math.Abs(gradient[j] - reference.Gradient[j]) <= (2 * 2 * bound / n) + (u * Math.Abs(reference.Gradient[j])),
                $"N={n} D={d}: gradient[{j}] {gradient[j]:R} vs {reference.Gradient[j]:R}");
        }

        var interceptBound = 0.0;
        for (var i = 0; i < n; i++)
        {
            interceptBound += rowError[i] + (gamma * (Math.Abs(reference.Residuals[i]) + rowError[i]));
        }

        Assert.True(
            Math.Abs(interceptGradient - reference.InterceptGradient) <= (2 * 2 * interceptBound / n) + (u * Math.Abs(reference.InterceptGradient)),
            $"N={n} D={d}: intercept gradient {interceptGradient:R} vs {reference.InterceptGradient:R}");
    }

    /// <summary>X = offset + U(−1, 1), w ∈ U(−½, ½), y = Xw + b + ε with |ε| ≤ 10⁻² (computed in double, rounded to float).</summary>
    private static (float[] X, float[] Y, float[] W) Data(int d, int n, double offset, Random random)
    {
        var w = new float[d];
        for (var j = 0; j < d; j++)
        {
            w[j] = (float)(random.NextDouble() - 0.5);
        }

        var x = new float[n * d];
        for (var k = 0; k < x.Length; k++)
        {
            x[k] = (float)(offset + ((2 * random.NextDouble()) - 1));
        }

        var y = new float[n];
        for (var i = 0; i < n; i++)
        {
            var eta = 0.375;
            for (var j = 0; j < d; j++)
            {
                eta += (double)x[(i * d) + j] * w[j];
            }

            y[i] = (float)(eta + ((random.NextDouble() - 0.5) * 2e-2));
        }

        return (x, y, w);
    }

    private static double Gamma(int k) => k * Math.Pow(2, -53) / (1 - (k * Math.Pow(2, -53)));

    private static double[] Widen(float[] values) => Array.ConvertAll(values, v => (double)v);
}
