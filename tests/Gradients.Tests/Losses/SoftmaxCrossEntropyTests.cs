using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Gradients.Tests.Properties;

namespace Gradients.Tests.Losses;

/// <summary>
/// SoftmaxCrossEntropy against 60-digit mpmath values and scikit-learn's <c>HalfMultinomialLoss</c> through
/// <c>LinearModelLoss.loss_gradient</c>, finite differences, threads, and label checks. Error model as in
/// <see cref="LinearModelLossAccuracyTests"/> (sums of ≤ N·D·K terms in double, a few ulps per exp/log).
/// </summary>
public sealed class SoftmaxCrossEntropyTests
{
    private const double DoubleBound = 1e-12;
    private const double SingleBound = 1e-6;
    private static readonly double Epsilon = Math.BitIncrement(1.0) - 1.0;

    public static TheoryData<string> Cases => LinearModelLossCase.Names("softmax");

    [Theory]
    [MemberData(nameof(Cases))]
    public void Double_loss_and_gradient_match_the_high_precision_reference_and_scikit_learn(string name)
    {
        var c = LinearModelLossCase.Named(name);
        var gradient = new double[c.Columns * c.Classes];
        var interceptGradient = new double[c.Classes];
        var loss = SoftmaxCrossEntropy.LossAndGradient<double>(c.Features, c.Labels, c.Weights, c.Intercepts, gradient, interceptGradient, c.SampleWeights, default);

        var expectedIntercept = c.ExpectedInterceptGradient.EnumerateArray().Select(e => e.GetDouble()).ToArray();
        Assert.True(Math.Abs(loss - c.ExpectedLoss) <= DoubleBound * Math.Abs(c.ExpectedLoss), $"{name}: loss {loss:R}, reference {c.ExpectedLoss:R}");
        Assert.True(LinearModelLossCase.RelativeError(gradient, c.ExpectedGradient) <= DoubleBound, $"{name}: gradient [{string.Join(", ", gradient)}] vs [{string.Join(", ", c.ExpectedGradient)}]");
        Assert.True(LinearModelLossCase.RelativeError(interceptGradient, expectedIntercept) <= DoubleBound, $"{name}: intercept gradient");

        Assert.NotNull(c.SklearnLoss);
        var sklearnIntercept = c.SklearnInterceptGradient.EnumerateArray().Select(e => e.GetDouble()).ToArray();
        Assert.True(Math.Abs(loss - c.SklearnLoss.Value) <= DoubleBound * Math.Abs(c.SklearnLoss.Value), $"{name}: loss {loss:R}, scikit-learn {c.SklearnLoss:R}");
        Assert.True(LinearModelLossCase.RelativeError(gradient, c.SklearnGradient) <= DoubleBound, $"{name}: gradient differs from scikit-learn's");
        Assert.True(LinearModelLossCase.RelativeError(interceptGradient, sklearnIntercept) <= DoubleBound, $"{name}: intercept gradient differs from scikit-learn's");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Float_matches_the_double_pass_on_the_same_data(string name)
    {
        // The extreme case (scores ±700) overflows a naive float softmax (e^89 is ∞ in float); the pass works in double.
        var c = LinearModelLossCase.Named(name);
        float[] x = [.. c.Features.Select(v => (float)v)], w = [.. c.Weights.Select(v => (float)v)], b = [.. c.Intercepts.Select(v => (float)v)];
        float[] s = c.SampleWeights is null ? [] : [.. c.SampleWeights.Select(v => (float)v)];
        var gradient = new float[w.Length];
        var loss = SoftmaxCrossEntropy.LossAndGradient<float>(x, c.Labels, w, b, gradient, [], s, default);
        var reference = new double[w.Length];
        var referenceLoss = SoftmaxCrossEntropy.LossAndGradient<double>(
            [.. x.Select(v => (double)v)], c.Labels, [.. w.Select(v => (double)v)], [.. b.Select(v => (double)v)], reference, [], [.. s.Select(v => (double)v)], default);
        Assert.True(float.IsFinite(loss));
        Assert.True(Math.Abs(loss - referenceLoss) <= SingleBound * Math.Abs(referenceLoss), $"{name}: float {loss:R}, double {referenceLoss:R}");
        Assert.True(LinearModelLossCase.RelativeError([.. gradient.Select(v => (double)v)], reference) <= SingleBound);
    }

    private static Gen<(RowMajorMatrix X, int[] Y, double[] W, int K)> Problem(int maxRows, int maxColumns, int maxClasses) =>
        from n in Gen.Choose(1, maxRows)
        from d in Gen.Choose(1, maxColumns)
        from k in Gen.Choose(1, maxClasses)
        from x in Generators.Matrix(Generators.Centered, n, d)
        from y in Gen.Choose(0, k - 1).ArrayOf(n)
        from w in Generators.Vector(Generators.Centered, d * k)
        select (x, y, w, k);

    [Property(MaxTest = 150)]
    public Property Gradient_agrees_with_the_finite_difference_engine() =>
        Prop.ForAll(Problem(20, 5, 9).ToArbitrary(), p =>
        {
            var (x, y, w, k) = p;
            var analytic = new double[w.Length];
            SoftmaxCrossEntropy.Gradient<double>(x.Values, y, w, analytic);
            var numeric = new double[w.Length];
            var steps = new double[w.Length];
            FiniteDifference.Gradient<double>(v => SoftmaxCrossEntropy.Loss<double>(x.Values, y, v), w, numeric, default(FiniteDifferenceOptions<double>), default, steps);
            var n = y.Length;
            var d = x.Columns;
            for (var q = 0; q < w.Length; q++)
            {
                // Along Wⱼₖ the row's loss is lse(η + t·xᵢⱼ·eₖ) − …: its third derivative is xᵢⱼ³·pₖ(1 − pₖ)(1 − 2pₖ), at most
                // |xᵢⱼ|³/(6√3). |f| ≤ mean of (‖η‖∞·2 + log K + 1): |lse − η_y| ≤ 2‖η‖∞ + log K, with ‖η‖∞ ≤ D (entries in [−1, 1]).
                var j = q / k;
                double third = 0;
                for (var i = 0; i < n; i++)
                {
                    var xij = Math.Abs(x.Values[(i * d) + j]);
                    third += xij * xij * xij / (6 * Math.Sqrt(3));
                }

                var value = (2 * (d + steps[q])) + Math.Log(k) + 1;
                var bounds = new DerivativeBounds(value, Math.Abs(analytic[q]), 0, third / n, 0);
                var tolerance = ErrorModel.FirstDerivative<double>(FiniteDifferenceScheme.Central, steps[q], bounds, n + d + k + 8) + (4 * Epsilon * Math.Abs(analytic[q]));
                if (!(Math.Abs(numeric[q] - analytic[q]) <= tolerance))
                {
                    return false.Label($"W[{j},{q % k}]: analytic {analytic[q]:R}, finite difference {numeric[q]:R}, tolerance {tolerance:E2}");
                }
            }

            return true.ToProperty();
        });

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public void Any_thread_count_gives_bit_identical_results(int threads)
    {
        const int D = 6;
        const int K = 5;
        var n = (3 * FusedPass.ChunkRows(1, D)) + 7;
        var random = new Random(threads);
        var x = Enumerable.Range(0, n * D).Select(_ => random.NextDouble() - 0.5).ToArray();
        var y = Enumerable.Range(0, n).Select(_ => random.Next(K)).ToArray();
        var w = Enumerable.Range(0, D * K).Select(_ => random.NextDouble() - 0.5).ToArray();
        var one = new double[D * K];
        var many = new double[D * K];
        var lossOne = SoftmaxCrossEntropy.LossAndGradient<double>(x, y, w, [], one, [], [], default);
        var lossMany = SoftmaxCrossEntropy.LossAndGradient<double>(x, y, w, [], many, [], [], new LinearModelLossOptions { MaxDegreeOfParallelism = threads });
        Assert.Equal(BitConverter.DoubleToInt64Bits(lossOne), BitConverter.DoubleToInt64Bits(lossMany));
        Assert.Equal(one.Select(BitConverter.DoubleToInt64Bits), many.Select(BitConverter.DoubleToInt64Bits));
    }

    [Theory]
    [InlineData(3)]
    [InlineData(-1)]
    public void A_label_outside_the_classes_is_named_with_its_index_and_value(int bad)
    {
        double[] x = [1, 2, 3, 4, 5, 6];
        int[] y = [0, 1, bad];
        double[] w = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6];
        var e = Assert.Throws<ArgumentException>(() => SoftmaxCrossEntropy.Loss<double>(x, y, w));
        Assert.Equal("labels", e.ParamName);
        Assert.Contains($"'labels[2]' is {bad}", e.Message, StringComparison.Ordinal);
    }

    /// <summary>
    /// In the feature-vectorized layout (D ≥ 8, or D ≥ 4 with D·K ≤ 60) the labels are read four rows at a time: a bad
    /// label in the short last block, or in the middle of a full one, is still named with its index and value.
    /// </summary>
    [Theory]
    [InlineData(5, 3, 32)]
    [InlineData(2, -1, 32)]
    [InlineData(5, 3, 4)]
    [InlineData(0, 7, 4)]
    public void A_label_outside_the_classes_is_named_in_the_feature_vectorized_layout(int index, int bad, int dimension)
    {
        var D = dimension;
        const int K = 3;
        var x = Enumerable.Range(0, 6 * D).Select(i => (i % 7) * 0.1).ToArray();
        var y = new[] { 0, 1, 2, 0, 1, 2 };
        y[index] = bad;
        var w = Enumerable.Range(0, D * K).Select(i => (i % 5) * 0.01).ToArray();
        var e = Assert.Throws<ArgumentException>(() => SoftmaxCrossEntropy.LossAndGradient<double>(x, y, w, new double[D * K]));
        Assert.Equal("labels", e.ParamName);
        Assert.Contains($"'labels[{index}]' is {bad}", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_thousand_classes_match_a_plain_evaluation()
    {
        const int N = 9;
        const int D = 3;
        const int K = 1000;
        var random = new Random(7);
        var x = Enumerable.Range(0, N * D).Select(_ => random.NextDouble() - 0.5).ToArray();
        var y = Enumerable.Range(0, N).Select(_ => random.Next(K)).ToArray();
        var w = Enumerable.Range(0, D * K).Select(_ => (random.NextDouble() - 0.5) * 4).ToArray();
        var loss = SoftmaxCrossEntropy.Loss<double>(x, y, w);

        // Plain max-shifted formula, summed in row order: agrees to (D + K + N)·u of the terms' size (≲ 10).
        var expected = 0.0;
        for (var i = 0; i < N; i++)
        {
            var eta = Enumerable.Range(0, K).Select(k => Enumerable.Range(0, D).Sum(j => x[(i * D) + j] * w[(j * K) + k])).ToArray();
            var m = eta.Max();
            expected += m + Math.Log(eta.Sum(e => Math.Exp(e - m))) - eta[y[i]];
        }

        expected /= N;
        Assert.True(Math.Abs(loss - expected) <= (D + K + N) * Epsilon * 10, $"{loss:R} vs {expected:R}");
    }

    /// <summary>
    /// Every kernel path against the plain formula: K from 1 to 19 (one or two padded vectors of 256 or 512 bits, pairs
    /// and single vectors, a vector of pure padding), D from 1 to 9, N not a multiple of four (short row blocks), with
    /// intercepts and sample weights. Error model: each gradient entry is a sum of N terms xᵢⱼ·sᵢ·dᵢₖ, |dᵢₖ| ≤ 1, whose
    /// softmax carries a few ulps (exp, log, the division) and whose scores carry D ulps of Σ|x||w|; with |x| ≤ 0.5,
    /// |w| ≤ 1 and sᵢ ≤ 2, (N + D + 16)·u·(Σᵢ sᵢ·|xᵢⱼ|) bounds the difference — taken as (N + D + 16)·u·N over the
    /// normaliser Σ sᵢ ≥ N/2, so 2·(N + D + 16)·u. The loss likewise, relative to its size plus log K.
    /// </summary>
    [Fact]
    public void Every_class_count_and_row_remainder_matches_a_plain_evaluation()
    {
        var random = new Random(11);
        foreach (var k in Enumerable.Range(1, 19))
        {
            foreach (var d in new[] { 1, 2, 5, 9 })
            {
                foreach (var n in new[] { 1, 3, 6, 13 })
                {
                    MatchesPlainEvaluation(random, k, d, n, 1.0, 2 * (n + d + 16) * Epsilon);
                }
            }
        }
    }

    /// <summary>
    /// The layout vectorized over the features (D ≥ 32, K ≤ 64: Wᵀ, dot products over D, four and two classes at a
    /// time, a padded class for odd K, D mod 8 features one at a time) against the plain formula, as
    /// <see cref="Every_class_count_and_row_remainder_matches_a_plain_evaluation"/>. Here W is in [−1, 1]/√D, so
    /// Σⱼ|xᵢⱼ·wⱼₖ| ≤ √D/2 and either evaluation's score errs by at most D·u·√D/2; the softmax's derivatives move by at
    /// most half the largest score error (Σⱼ|∂pₖ/∂ηⱼ| = 2pₖ(1 − pₖ) ≤ ½), so the difference of the two grows by D^1.5·u/2
    /// over the first model's (N + D + 16)·u per unit of |x| ≤ ½ and sᵢ/Σs ≤ 4/N: 2·(N + D + D^1.5/2 + 16)·u.
    /// </summary>
    [Fact]
    public void The_feature_vectorized_layout_matches_a_plain_evaluation()
    {
        var random = new Random(12);
        foreach (var k in Enumerable.Range(1, 19).Append(63).Append(64).Append(65))
        {
            foreach (var d in new[] { 32, 35, 44, 130 })
            {
                foreach (var n in new[] { 1, 6, 13 })
                {
                    MatchesPlainEvaluation(random, k, d, n, 1.0 / Math.Sqrt(d), 2 * (n + d + (Math.Pow(d, 1.5) / 2) + 16) * Epsilon);
                }
            }
        }
    }

    /// <summary>
    /// The feature-vectorized layout where Wᵀ, Gᵀ and the rows in flight outgrow the pass's aligned scratch (D·K′ large:
    /// the products read the caller's rows and the pass's Wᵀ and Gᵀ in place), against the plain formula with the error
    /// model of <see cref="The_feature_vectorized_layout_matches_a_plain_evaluation"/>.
    /// </summary>
    [Fact]
    public void The_feature_vectorized_layout_without_scratch_copies_matches_a_plain_evaluation()
    {
        var random = new Random(14);
        foreach (var (k, d, n) in new[] { (30, 20_000, 6), (9, 60_003, 5) })
        {
            MatchesPlainEvaluation(random, k, d, n, 1.0 / Math.Sqrt(d), 2 * (n + d + (Math.Pow(d, 1.5) / 2) + 16) * Epsilon);
        }
    }

    /// <summary>
    /// The float pass at D ≥ 32 (rows widened to double a vector at a time) against the double pass on the same
    /// float data: the difference is the float rounding of the outputs, as in
    /// <see cref="Float_matches_the_double_pass_on_the_same_data"/>.
    /// </summary>
    [Fact]
    public void Float_matches_the_double_pass_in_the_feature_vectorized_layout()
    {
        var random = new Random(13);
        foreach (var (n, d, k) in new[] { (13, 32, 10), (7, 45, 3), (21, 130, 17), (5, 33, 5), (6, 40, 2), (9, 64, 64), (3, 32, 63), (5, 20_000, 30) })
        {
            float[] x = [.. Enumerable.Range(0, n * d).Select(_ => (float)(random.NextDouble() - 0.5))];
            float[] w = [.. Enumerable.Range(0, d * k).Select(_ => (float)((random.NextDouble() - 0.5) / Math.Sqrt(d)))];
            float[] b = [.. Enumerable.Range(0, k).Select(_ => (float)(random.NextDouble() - 0.5))];
            var y = Enumerable.Range(0, n).Select(_ => random.Next(k)).ToArray();
            var gradient = new float[d * k];
            var loss = SoftmaxCrossEntropy.LossAndGradient<float>(x, y, w, b, gradient, [], [], default);
            var reference = new double[d * k];
            var referenceLoss = SoftmaxCrossEntropy.LossAndGradient<double>(
                [.. x.Select(v => (double)v)], y, [.. w.Select(v => (double)v)], [.. b.Select(v => (double)v)], reference, [], [], default);
            Assert.True(Math.Abs(loss - referenceLoss) <= SingleBound * Math.Abs(referenceLoss), $"N = {n}, D = {d}, K = {k}: float {loss:R}, double {referenceLoss:R}");
            Assert.True(LinearModelLossCase.RelativeError([.. gradient.Select(v => (double)v)], reference) <= SingleBound, $"N = {n}, D = {d}, K = {k}: gradient");
        }
    }

    private static void MatchesPlainEvaluation(Random random, int k, int d, int n, double weightScale, double bound)
    {
        var x = Enumerable.Range(0, n * d).Select(_ => random.NextDouble() - 0.5).ToArray();
        var y = Enumerable.Range(0, n).Select(_ => random.Next(k)).ToArray();
        var w = Enumerable.Range(0, d * k).Select(_ => ((random.NextDouble() * 2) - 1) * weightScale).ToArray();
        var b = Enumerable.Range(0, k).Select(_ => (random.NextDouble() * 2) - 1).ToArray();
        var s = Enumerable.Range(0, n).Select(_ => 0.5 + (random.NextDouble() * 1.5)).ToArray();
        var gradient = new double[d * k];
        var interceptGradient = new double[k];
        var loss = SoftmaxCrossEntropy.LossAndGradient<double>(x, y, w, b, gradient, interceptGradient, s, default);

        var expectedGradient = new double[d * k];
        var expectedIntercept = new double[k];
        var expectedLoss = 0.0;
        var total = s.Sum();
        for (var i = 0; i < n; i++)
        {
            var eta = Enumerable.Range(0, k).Select(c => b[c] + Enumerable.Range(0, d).Sum(j => x[(i * d) + j] * w[(j * k) + c])).ToArray();
            var m = eta.Max();
            var z = eta.Sum(e => Math.Exp(e - m));
            expectedLoss += s[i] * (m + Math.Log(z) - eta[y[i]]);
            for (var c = 0; c < k; c++)
            {
                var derivative = s[i] * ((Math.Exp(eta[c] - m) / z) - (c == y[i] ? 1.0 : 0.0));
                expectedIntercept[c] += derivative / total;
                for (var j = 0; j < d; j++)
                {
                    expectedGradient[(j * k) + c] += x[(i * d) + j] * derivative / total;
                }
            }
        }

        expectedLoss /= total;
        var at = $"K = {k}, D = {d}, N = {n}";
        Assert.True(Math.Abs(loss - expectedLoss) <= bound * (Math.Abs(expectedLoss) + Math.Log(k) + 1), $"{at}: loss {loss:R} vs {expectedLoss:R}");
        for (var q = 0; q < gradient.Length; q++)
        {
            Assert.True(Math.Abs(gradient[q] - expectedGradient[q]) <= bound, $"{at}: gradient[{q}] {gradient[q]:R} vs {expectedGradient[q]:R}");
        }

        for (var c = 0; c < k; c++)
        {
            Assert.True(Math.Abs(interceptGradient[c] - expectedIntercept[c]) <= bound, $"{at}: intercept gradient[{c}] {interceptGradient[c]:R} vs {expectedIntercept[c]:R}");
        }
    }
}
