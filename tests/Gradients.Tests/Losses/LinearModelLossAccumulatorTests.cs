using System.Numerics;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Gradients.Tests.Losses;

/// <summary>
/// The accumulator of every single-output loss against the one-shot call: bit for bit over the one-shot's own
/// chunk plan (added in order, or merged in chunk order), within the rounding of a reordered sum over any other split
/// or merge tree.
/// </summary>
public sealed class LinearModelLossAccumulatorTests
{
    private static readonly double U = Math.Pow(2, -53);

    /// <summary>Dimensions whose chunk plans differ: the narrow kernel (1…4), small-D kernel, the 16/17 border, wide kernels, a few rows per chunk.</summary>
    private static readonly int[] Dimensions = [1, 2, 3, 4, 8, 16, 17, 64, 300, 1200];

    /// <summary>A problem: the loss, its data (X, w in [−1, 1], w scaled by 1/√D so η stays moderate) and options.</summary>
    internal sealed record Problem(
        LinearModelLossKind Kind, int Rows, int D, double[] X, double[] Y, double[] W, double B, double[]? S, double L2, int Threads)
    {
        public override string ToString() => $"{Kind} N={Rows} D={D} weighted={S is not null} λ={L2} threads={Threads}";
    }

    /// <summary>Problems of up to <paramref name="chunks"/> one-shot chunks (and a part), built from a seed so sizes stay cheap.</summary>
    internal static Gen<Problem> Problems(double chunks) =>
        from kind in Gen.Elements(LinearModelLossKind.MeanSquaredError, LinearModelLossKind.Logistic, LinearModelLossKind.Poisson, LinearModelLossKind.Huber)
        from d in Gen.Elements(Dimensions)
        from fraction in Gen.Choose(1, 1000)
        from seed in Gen.Choose(0, int.MaxValue)
        from weighted in Gen.Elements(false, true)
        from l2 in Gen.Elements(0.0, 0.25)
        from threads in Gen.Choose(1, 3)
        select Make(kind, d, Math.Max(1, (int)(chunks * FusedPass.ChunkRows(1, d) * fraction / 1000)), seed, weighted, l2, threads);

    internal static Problem Make(LinearModelLossKind kind, int d, int n, int seed, bool weighted, double l2, int threads)
    {
        var random = new Random(seed);
        var scale = 1 / Math.Sqrt(d);
        var x = new double[n * d];
        for (var i = 0; i < x.Length; i++)
        {
            x[i] = (2 * random.NextDouble()) - 1;
        }

        var w = Enumerable.Range(0, d).Select(_ => ((2 * random.NextDouble()) - 1) * scale).ToArray();
        var y = Enumerable.Range(0, n).Select(_ => kind switch
        {
            LinearModelLossKind.Logistic => random.Next(2),
            LinearModelLossKind.Poisson => random.Next(7),
            _ => (4 * random.NextDouble()) - 2,
        }).Select(v => (double)v).ToArray();
        var s = weighted ? Enumerable.Range(0, n).Select(_ => random.Next(0, 9) / 4.0).ToArray() : null;
        if (s is not null)
        {
            s[0] = 1.0;
        }

        return new Problem(kind, n, d, x, y, w, (2 * random.NextDouble()) - 1, s, l2, threads);
    }

    internal static LinearModelLossAccumulator<T> Create<T>(Problem p, ReadOnlySpan<T> w)
        where T : IFloatingPointIeee754<T>
    {
        var b = T.CreateTruncating(p.B);
        return p.Kind switch
        {
            LinearModelLossKind.MeanSquaredError => LinearModelLossAccumulator<T>.ForMeanSquaredError(w, b, new MeanSquaredErrorOptions { L2Penalty = p.L2, MaxDegreeOfParallelism = p.Threads }),
            LinearModelLossKind.Logistic => LinearModelLossAccumulator<T>.ForLogisticLoss(w, b, new LinearModelLossOptions { L2Penalty = p.L2, MaxDegreeOfParallelism = p.Threads }),
            LinearModelLossKind.Poisson => LinearModelLossAccumulator<T>.ForPoissonLoss(w, b, new LinearModelLossOptions { L2Penalty = p.L2, MaxDegreeOfParallelism = p.Threads }),
            _ => LinearModelLossAccumulator<T>.ForHuberLoss(w, b, new HuberLossOptions { Delta = 0.75, L2Penalty = p.L2, MaxDegreeOfParallelism = p.Threads }),
        };
    }

    /// <summary>The one-shot call of the problem's loss (on one thread: every thread count gives the same bits).</summary>
    internal static T OneShot<T>(Problem p, T[] x, T[] y, T[] w, T[]? s, T[] gradient, out T interceptGradient)
        where T : IFloatingPointIeee754<T>
    {
        var b = T.CreateTruncating(p.B);
        return p.Kind switch
        {
            LinearModelLossKind.MeanSquaredError => MeanSquaredError.LossAndGradient<T>(x, y, w, b, gradient, out interceptGradient, [], s, new MeanSquaredErrorOptions { L2Penalty = p.L2 }),
            LinearModelLossKind.Logistic => LogisticLoss.LossAndGradient<T>(x, y, w, b, gradient, out interceptGradient, s, new LinearModelLossOptions { L2Penalty = p.L2 }),
            LinearModelLossKind.Poisson => PoissonLoss.LossAndGradient<T>(x, y, w, b, gradient, out interceptGradient, s, new LinearModelLossOptions { L2Penalty = p.L2 }),
            _ => HuberLoss.LossAndGradient<T>(x, y, w, b, gradient, out interceptGradient, s, new HuberLossOptions { Delta = 0.75, L2Penalty = p.L2 }),
        };
    }

    internal static T[] Convert<T>(double[] values)
        where T : IFloatingPointIeee754<T> => [.. values.Select(T.CreateTruncating)];

    /// <summary>Adds rows [start, end) of the problem to the accumulator.</summary>
    internal static void AddRows<T>(LinearModelLossAccumulator<T> accumulator, int d, T[] x, T[] y, T[]? s, int start, int end)
        where T : IFloatingPointIeee754<T> =>
        accumulator.Add(x.AsSpan(start * d, (end - start) * d), y.AsSpan(start, end - start), s is null ? [] : s.AsSpan(start, end - start));

    /// <summary>The chunk boundaries of the one-shot pass over N rows.</summary>
    internal static List<(int Start, int End)> OneShotChunks(int n, int d)
    {
        var c = LinearModelLossAccumulator<double>.ChunkRows(n, d);
        var chunks = new List<(int, int)>();
        for (var start = 0; start < n; start += c)
        {
            chunks.Add((start, Math.Min(n, start + c)));
        }

        return chunks;
    }

    [Property(MaxTest = 60)]
    public Property The_one_shot_chunk_plan_gives_the_one_shot_bits_in_double() =>
        Prop.ForAll(Problems(3.5).ToArbitrary(), p => BitIdentical<double>(p));

    [Property(MaxTest = 30)]
    public Property The_one_shot_chunk_plan_gives_the_one_shot_bits_in_float() =>
        Prop.ForAll(Problems(2.5).ToArbitrary(), p => BitIdentical<float>(p));

    private static Property BitIdentical<T>(Problem p)
        where T : IFloatingPointIeee754<T>
    {
        var (x, y, w, s) = (Convert<T>(p.X), Convert<T>(p.Y), Convert<T>(p.W), p.S is null ? null : Convert<T>(p.S));
        var expected = new T[p.D];
        var expectedLoss = OneShot(p, x, y, w, s, expected, out var expectedIntercept);

        // (1) one Add of every row; (2) the chunks added in order by row range; (3) one accumulator per chunk, merged in chunk order.
        var whole = Create<T>(p, w);
        AddRows(whole, p.D, x, y, s, 0, p.Rows);
        var streamed = Create<T>(p, w);
        var merged = Create<T>(p, w);
        foreach (var (start, end) in OneShotChunks(p.Rows, p.D))
        {
            streamed.Add(x, y, s, start, end - start);
            var shard = Create<T>(p, w);
            shard.Add(x, y, s, start, end - start);
            merged.Merge(shard);
        }

        foreach (var (name, accumulator) in new[] { ("whole", whole), ("chunks", streamed), ("merged chunks", merged) })
        {
            var gradient = new T[p.D];
            var loss = accumulator.LossAndGradient(gradient, out var interceptGradient);
            if (!Same(loss, expectedLoss) || !Same(interceptGradient, expectedIntercept) || !gradient.Zip(expected).All(g => Same(g.First, g.Second)))
            {
                return false.Label($"{name}: loss {loss} vs {expectedLoss}, intercept {interceptGradient} vs {expectedIntercept}, gradient [{string.Join(", ", gradient)}] vs [{string.Join(", ", expected)}]");
            }

            if (accumulator.Count != p.Rows)
            {
                return false.Label($"{name}: count {accumulator.Count}");
            }
        }

        return true.ToProperty();
    }

    private static bool Same<T>(T a, T b)
        where T : IFloatingPointIeee754<T> => a.Equals(b) || (T.IsNaN(a) && T.IsNaN(b));

    /// <summary>Cut points in [0, N], sorted.</summary>
    private static Gen<int[]> Cuts(int n) => Gen.Choose(0, n).ArrayOf().Select(c => c.Order().ToArray());

    [Property(MaxTest = 60)]
    public Property Any_split_and_any_merge_tree_agree_with_the_one_shot_call_within_rounding() =>
        Prop.ForAll(
            (from p in Problems(2.5)
             from cuts in Cuts(p.Rows)
             from order in Gen.Choose(0, int.MaxValue)
             select (p, cuts, order)).ToArbitrary(),
            t =>
            {
                var (p, cuts, order) = t;
                var expected = new double[p.D];
                var expectedLoss = OneShot(p, p.X, p.Y, p.W, p.S, expected, out var expectedIntercept);

                var streamed = Create<double>(p, p.W);
                var shards = new List<LinearModelLossAccumulator<double>>();
                var start = 0;
                foreach (var cut in cuts.Append(p.Rows))
                {
                    AddRows(streamed, p.D, p.X, p.Y, p.S, start, cut);
                    var shard = Create<double>(p, p.W);
                    AddRows(shard, p.D, p.X, p.Y, p.S, start, cut);
                    shards.Add(shard);
                    start = cut;
                }

                // A random merge tree: merge two random states until one is left.
                var random = new Random(order);
                while (shards.Count > 1)
                {
                    var i = random.Next(shards.Count);
                    var a = shards[i];
                    shards.RemoveAt(i);
                    shards[random.Next(shards.Count)].Merge(a);
                }

                var bound = Bounds(p, expected, expectedLoss, expectedIntercept);
                foreach (var (name, accumulator) in new[] { ("streamed", streamed), ("merge tree", shards[0]) })
                {
                    var gradient = new double[p.D];
                    var loss = accumulator.LossAndGradient(gradient, out var interceptGradient);
                    if (!(Math.Abs(loss - expectedLoss) <= bound.Loss))
                    {
                        return false.Label($"{name}: loss {loss:R} vs {expectedLoss:R}, bound {bound.Loss:E2}");
                    }

                    if (!(Math.Abs(interceptGradient - expectedIntercept) <= bound.Intercept))
                    {
                        return false.Label($"{name}: intercept gradient {interceptGradient:R} vs {expectedIntercept:R}, bound {bound.Intercept:E2}");
                    }

                    for (var j = 0; j < p.D; j++)
                    {
                        if (!(Math.Abs(gradient[j] - expected[j]) <= bound.Gradient[j]))
                        {
                            return false.Label($"{name}: gradient[{j}] {gradient[j]:R} vs {expected[j]:R}, bound {bound.Gradient[j]:E2}");
                        }
                    }
                }

                return true.ToProperty();
            });

    /// <summary>
    /// How far two evaluations that sum the same rows in another association may differ.
    /// </summary>
    /// <remarks>
    /// Error model: each of Σ sᵢℓᵢ, Σ sᵢdᵢ, Σ sᵢdᵢxᵢⱼ and Σ sᵢ is a double sum of N terms; any association of it is
    /// within (N + 1)·u·Σ|terms| of the exact sum, so two differ by twice that. A row's terms themselves may differ
    /// too, because a row's η = x·w + b may be formed by another kernel (four-row block or remainder row) in another
    /// split: |Δη| ≤ 2(D + 2)·u·(Σⱼ|xⱼwⱼ| + |b|), which moves d by L·|Δη| (L ≥ |ℓ″| near η: 1 for the squared
    /// residual's r and Huber, ¼ for the logistic, e^(η+|Δη|) for Poisson) and ℓ by |∂ℓ/∂η|·|Δη|; and the vector and
    /// scalar forms of exp/log1p may differ by a few ulps: 8u·(|d| + |ℓ| + |y·η| + e^η + 1) covers both ℓ and d. The
    /// normaliser S carries its own relative 2(N + 1)u. Results then divide by S (u), add 2λw (2u·|2λw|) and λ‖w‖²
    /// (which is formed the same way on both sides).
    /// </remarks>
    private static (double Loss, double Intercept, double[] Gradient) Bounds(Problem p, double[] gradient, double loss, double intercept)
    {
        var n = p.Rows;
        var d = p.D;
        double lossTerms = 0, derivativeTerms = 0, weightSum = 0;
        var gradientTerms = new double[d];
        for (var i = 0; i < n; i++)
        {
            double eta = p.B, size = Math.Abs(p.B);
            for (var j = 0; j < d; j++)
            {
                eta += p.X[(i * d) + j] * p.W[j];
                size += Math.Abs(p.X[(i * d) + j] * p.W[j]);
            }

            var y = p.Y[i];
            var dEta = 2 * (d + 2) * U * size;
            var (value, derivative, lipschitz) = p.Kind switch
            {
                LinearModelLossKind.MeanSquaredError => ((eta - y) * (eta - y), eta - y, 1.0),
                LinearModelLossKind.Logistic => (Math.Log(1 + Math.Exp(eta)) - (y * eta), (1 / (1 + Math.Exp(-eta))) - y, 0.25),
                LinearModelLossKind.Poisson => (Math.Exp(eta) - (y * eta), Math.Exp(eta) - y, Math.Exp(eta + dEta)),
                _ => (Math.Abs(eta - y) <= 0.75 ? 0.5 * (eta - y) * (eta - y) : 0.75 * (Math.Abs(eta - y) - 0.375), Math.Clamp(eta - y, -0.75, 0.75), 1.0),
            };
            var slope = p.Kind == LinearModelLossKind.MeanSquaredError ? 2 * Math.Abs(derivative) : Math.Abs(derivative);
            var rowError = 8 * U * (Math.Abs(derivative) + Math.Abs(value) + Math.Abs(y * eta) + Math.Exp(eta) + 1);
            var s = p.S?[i] ?? 1.0;
            weightSum += s;
            var dError = (lipschitz * dEta) + rowError;
            lossTerms += s * ((2 * (n + 1) * U * Math.Abs(value)) + (2 * ((slope * dEta) + rowError)));
            derivativeTerms += s * ((2 * (n + 1) * U * Math.Abs(derivative)) + (2 * dError));
            for (var j = 0; j < d; j++)
            {
                var xij = Math.Abs(p.X[(i * d) + j]);
                gradientTerms[j] += s * xij * ((2 * (n + 1) * U * Math.Abs(derivative)) + (2 * dError));
            }
        }

        var c = p.Kind == LinearModelLossKind.MeanSquaredError ? 2.0 : 1.0;
        var normaliserError = 2 * (n + 1) * U;
        var lossBound = (lossTerms / weightSum) + ((normaliserError + (4 * U)) * Math.Abs(loss));
        var interceptBound = (c * derivativeTerms / weightSum) + ((normaliserError + (4 * U)) * Math.Abs(intercept));
        var gradientBound = new double[d];
        for (var j = 0; j < d; j++)
        {
            gradientBound[j] = (c * gradientTerms[j] / weightSum) + ((normaliserError + (4 * U)) * (Math.Abs(gradient[j]) + Math.Abs(4 * p.L2 * p.W[j])));
        }

        return (lossBound, interceptBound, gradientBound);
    }

    [Property(MaxTest = 40)]
    public Property Merging_commutes_bit_for_bit() =>
        Prop.ForAll(
            (from p in Problems(1.5)
             from cut in Gen.Choose(0, 1000)
             select (p, cut * p.Rows / 1000)).ToArbitrary(),
            t =>
            {
                var (p, cut) = t;
                LinearModelLossAccumulator<double> Shard(int start, int end)
                {
                    var a = Create<double>(p, p.W);
                    AddRows(a, p.D, p.X, p.Y, p.S, start, end);
                    return a;
                }

                var ab = Shard(0, cut);
                ab.Merge(Shard(cut, p.Rows));
                var ba = Shard(cut, p.Rows);
                ba.Merge(Shard(0, cut));
                return SameState(ab, ba).ToProperty();
            });

    /// <summary>Whether two accumulators hold the same count and bit-identical sums.</summary>
    internal static bool SameState<T>(LinearModelLossAccumulator<T> a, LinearModelLossAccumulator<T> b)
        where T : IFloatingPointIeee754<T>
    {
        var (ga, gb) = (new double[a.Dimension], new double[b.Dimension]);
        a.CopyGradientSums(ga);
        b.CopyGradientSums(gb);
        return a.Count == b.Count
            && a.SumOfSampleWeights.Equals(b.SumOfSampleWeights)
            && a.LossSum.Equals(b.LossSum)
            && a.DerivativeSum.Equals(b.DerivativeSum)
            && ga.Zip(gb).All(g => g.First.Equals(g.Second));
    }

    [Fact]
    public void An_invalid_label_names_its_index_in_the_batch_and_leaves_the_state_unchanged()
    {
        var accumulator = LinearModelLossAccumulator<double>.ForLogisticLoss([1.0, -1.0], 0.0, default);
        accumulator.Add([1, 2, 3, 4], [0, 1]);
        var e = Assert.Throws<ArgumentException>(() => accumulator.Add([1, 2, 3, 4, 5, 6], [1, 0.5, 0]));
        Assert.Equal("targets", e.ParamName);
        Assert.Contains("'targets[1]' is 0.5", e.Message, StringComparison.Ordinal);
        Assert.Equal(2, accumulator.Count);
        Assert.Equal(2.0, accumulator.SumOfSampleWeights);

        var poisson = LinearModelLossAccumulator<float>.ForPoissonLoss([1f], 0f, default);
        Assert.Contains("'targets[0]' is -1", Assert.Throws<ArgumentException>(() => poisson.Add([1f], [-1f])).Message, StringComparison.Ordinal);
        Assert.Equal(0, poisson.Count);
    }

    [Fact]
    public void Bad_sample_weights_and_empty_states_are_reported()
    {
        var accumulator = LinearModelLossAccumulator<double>.ForHuberLoss([1.0], 0.0, new HuberLossOptions { Delta = 2 });
        Assert.Equal(2.0, accumulator.HuberDelta);
        Assert.Throws<InvalidOperationException>(() => accumulator.Loss());
        var e = Assert.Throws<ArgumentException>(() => accumulator.Add([1.0, 2.0], [0.0, 0.0], [1.0, -1.0]));
        Assert.Equal("sampleWeights", e.ParamName);
        Assert.Contains("'sampleWeights[1]' is -1", e.Message, StringComparison.Ordinal);
        Assert.Equal("sampleWeights", Assert.Throws<ArgumentException>(() => accumulator.Add([1.0, 2.0], [0.0, 0.0], [1.0])).ParamName);
        Assert.Equal("features", Assert.Throws<ArgumentException>(() => accumulator.Add([1.0, 2.0], [0.0])).ParamName);
        Assert.Equal(0, accumulator.Count);

        // Rows whose weights sum to 0 give no mean.
        accumulator.Add([1.0], [0.0], [0.0]);
        Assert.Contains("sum to 0", Assert.Throws<InvalidOperationException>(() => accumulator.Loss()).Message, StringComparison.Ordinal);
        Assert.Equal("gradient", Assert.Throws<ArgumentException>(() => accumulator.LossAndGradient(new double[2])).ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => LinearModelLossAccumulator<double>.ForHuberLoss([1.0], 0.0, new HuberLossOptions { Delta = -1 }));
        Assert.Throws<ArgumentException>(() => LinearModelLossAccumulator<double>.ForPoissonLoss([], 0.0, default));
        Assert.Throws<ArgumentOutOfRangeException>(() => LinearModelLossAccumulator<double>.ChunkRows(-1, 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => LinearModelLossAccumulator<double>.ChunkRows(10, 0));
    }

    [Fact]
    public void Only_states_of_the_same_loss_and_point_merge()
    {
        double[] w = [1.0, 2.0];
        var logistic = LinearModelLossAccumulator<double>.ForLogisticLoss(w, 0.5, default);
        var poisson = LinearModelLossAccumulator<double>.ForPoissonLoss(w, 0.5, default);
        var e = Assert.Throws<ArgumentException>(() => logistic.Merge(poisson));
        Assert.Equal("other", e.ParamName);
        Assert.Contains("Poisson", e.Message, StringComparison.Ordinal);
        Assert.Contains("Logistic", e.Message, StringComparison.Ordinal);

        var huber1 = LinearModelLossAccumulator<double>.ForHuberLoss(w, 0.5, new HuberLossOptions { Delta = 1 });
        var huber2 = LinearModelLossAccumulator<double>.ForHuberLoss(w, 0.5, new HuberLossOptions { Delta = 2 });
        Assert.Contains("δ = 2", Assert.Throws<ArgumentException>(() => huber1.Merge(huber2)).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => logistic.Merge(LinearModelLossAccumulator<double>.ForLogisticLoss(w, 0.25, default)));
        Assert.Throws<ArgumentException>(() => logistic.Merge(LinearModelLossAccumulator<double>.ForLogisticLoss([1.0, 3.0], 0.5, default)));
    }

    [Fact]
    public void The_mean_squared_error_accumulator_is_a_face_of_the_shared_one()
    {
        var p = Make(LinearModelLossKind.MeanSquaredError, 5, 300, 7, weighted: false, l2: 0.25, threads: 1);
        var face = new MeanSquaredErrorAccumulator<double>(p.W, p.B, new MeanSquaredErrorOptions { L2Penalty = 0.25 });
        face.Add(p.X, p.Y);
        var shared = Create<double>(p, p.W);
        AddRows(shared, p.D, p.X, p.Y, null, 0, p.Rows);
        Assert.True(SameState(face.State, shared));
        Assert.Equal(LinearModelLossKind.MeanSquaredError, face.State.Kind);
        Assert.Equal(shared.LossSum, face.SumOfSquaredResiduals);
        Assert.Equal(shared.DerivativeSum, face.SumOfResiduals);
        var (g1, g2) = (new double[5], new double[5]);
        Assert.Equal(shared.LossAndGradient(g1, out var b1), face.LossAndGradient(g2, out var b2));
        Assert.Equal(g1, g2);
        Assert.Equal(b1, b2);
    }
}
