using System.Numerics;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Gradients.Tests.Losses;

/// <summary>
/// The softmax cross-entropy accumulator against the one-shot call: bit for bit over the one-shot's own chunk plan
/// (added in order, or merged in chunk order), within the rounding of a reordered sum over any other split or merge
/// tree — the guarantees and tests of <see cref="LinearModelLossAccumulatorTests"/>, for K classes.
/// </summary>
public sealed class SoftmaxCrossEntropyAccumulatorTests
{
    private static readonly double U = Math.Pow(2, -53);

    /// <summary>Dimensions whose chunk plans differ (65 536 elements per chunk: from 65 536 rows at D = 1 to 56 at D = 1200).</summary>
    private static readonly int[] Dimensions = [1, 3, 8, 16, 17, 64, 300, 1200];

    /// <summary>Class counts that fill whole vectors of four and eight lanes, part of one, and one class.</summary>
    private static readonly int[] ClassCounts = [1, 2, 3, 4, 5, 8, 10, 13];

    /// <summary>A problem: X in [−1, 1], W in [−1, 1]/√D (so η stays moderate), b in [−1, 1] or none, labels in 0…K−1.</summary>
    internal sealed record Problem(int Rows, int D, int K, double[] X, int[] Y, double[] W, double[] B, double[]? S, double L2, int Threads)
    {
        public override string ToString() => $"N={Rows} D={D} K={K} intercepts={B.Length > 0} weighted={S is not null} λ={L2} threads={Threads}";
    }

    /// <summary>Problems of up to <paramref name="chunks"/> one-shot chunks (and a part), built from a seed so sizes stay cheap.</summary>
    internal static Gen<Problem> Problems(double chunks) =>
        from d in Gen.Elements(Dimensions)
        from k in Gen.Elements(ClassCounts)
        from fraction in Gen.Choose(1, 1000)
        from seed in Gen.Choose(0, int.MaxValue)
        from weighted in Gen.Elements(false, true)
        from intercepts in Gen.Elements(false, true)
        from l2 in Gen.Elements(0.0, 0.25)
        from threads in Gen.Choose(1, 3)
        select Make(d, k, Math.Max(1, (int)(chunks * FusedPass.ChunkRows(1, d) * fraction / 1000)), seed, weighted, intercepts, l2, threads);

    internal static Problem Make(int d, int k, int n, int seed, bool weighted, bool intercepts, double l2, int threads)
    {
        var random = new Random(seed);
        var scale = 1 / Math.Sqrt(d);
        var x = new double[n * d];
        for (var i = 0; i < x.Length; i++)
        {
            x[i] = (2 * random.NextDouble()) - 1;
        }

        var w = Enumerable.Range(0, d * k).Select(_ => ((2 * random.NextDouble()) - 1) * scale).ToArray();
        var b = intercepts ? Enumerable.Range(0, k).Select(_ => (2 * random.NextDouble()) - 1).ToArray() : [];
        var y = Enumerable.Range(0, n).Select(_ => random.Next(k)).ToArray();
        var s = weighted ? Enumerable.Range(0, n).Select(_ => random.Next(0, 9) / 4.0).ToArray() : null;
        if (s is not null)
        {
            s[0] = 1.0;
        }

        return new Problem(n, d, k, x, y, w, b, s, l2, threads);
    }

    internal static SoftmaxCrossEntropyAccumulator<T> Create<T>(Problem p, T[] w, T[] b)
        where T : IFloatingPointIeee754<T> =>
        new(w, b, p.K, new LinearModelLossOptions { L2Penalty = p.L2, MaxDegreeOfParallelism = p.Threads });

    /// <summary>The one-shot call (on one thread: every thread count gives the same bits).</summary>
    internal static T OneShot<T>(Problem p, T[] x, T[] w, T[] b, T[]? s, T[] gradient, T[] interceptGradient)
        where T : IFloatingPointIeee754<T> =>
        SoftmaxCrossEntropy.LossAndGradient<T>(x, p.Y, w, b, gradient, interceptGradient, s, new LinearModelLossOptions { L2Penalty = p.L2 });

    internal static T[] Convert<T>(double[] values)
        where T : IFloatingPointIeee754<T> => [.. values.Select(T.CreateTruncating)];

    /// <summary>Adds rows [start, end) of the problem to the accumulator, in buffers of their own.</summary>
    internal static void AddRows<T>(SoftmaxCrossEntropyAccumulator<T> accumulator, Problem p, T[] x, T[]? s, int start, int end)
        where T : IFloatingPointIeee754<T> =>
        accumulator.Add(x.AsSpan(start * p.D, (end - start) * p.D).ToArray(), p.Y.AsSpan(start, end - start).ToArray(), s is null ? [] : s.AsSpan(start, end - start).ToArray());

    [Property(MaxTest = 60)]
    public Property The_one_shot_chunk_plan_gives_the_one_shot_bits_in_double() =>
        Prop.ForAll(Problems(3.5).ToArbitrary(), p => BitIdentical<double>(p));

    [Property(MaxTest = 30)]
    public Property The_one_shot_chunk_plan_gives_the_one_shot_bits_in_float() =>
        Prop.ForAll(Problems(2.5).ToArbitrary(), p => BitIdentical<float>(p));

    private static Property BitIdentical<T>(Problem p)
        where T : IFloatingPointIeee754<T>
    {
        var (x, w, b, s) = (Convert<T>(p.X), Convert<T>(p.W), Convert<T>(p.B), p.S is null ? null : Convert<T>(p.S));
        var expected = new T[p.D * p.K];
        var expectedIntercept = new T[p.K];
        var expectedLoss = OneShot(p, x, w, b, s, expected, expectedIntercept);

        // (1) one Add of every row; (2) the chunks added in order, by row range and in buffers of their own (the
        // softmax kernel reads nothing past a batch); (3) one accumulator per chunk, merged in chunk order.
        var whole = Create(p, w, b);
        AddRows(whole, p, x, s, 0, p.Rows);
        var streamed = Create(p, w, b);
        var copied = Create(p, w, b);
        var merged = Create(p, w, b);
        foreach (var (start, end) in LinearModelLossAccumulatorTests.OneShotChunks(p.Rows, p.D))
        {
            streamed.Add(x, p.Y, s, start, end - start);
            AddRows(copied, p, x, s, start, end);
            var shard = Create(p, w, b);
            shard.Add(x, p.Y, s, start, end - start);
            merged.Merge(shard);
        }

        foreach (var (name, accumulator) in new[] { ("whole", whole), ("chunks", streamed), ("chunks in own buffers", copied), ("merged chunks", merged) })
        {
            var gradient = new T[p.D * p.K];
            var interceptGradient = new T[p.K];
            var loss = accumulator.LossAndGradient(gradient, interceptGradient);
            if (!Same(loss, expectedLoss) || !interceptGradient.Zip(expectedIntercept).All(g => Same(g.First, g.Second)) || !gradient.Zip(expected).All(g => Same(g.First, g.Second)))
            {
                return false.Label($"{name}: loss {loss} vs {expectedLoss}, intercepts [{string.Join(", ", interceptGradient)}] vs [{string.Join(", ", expectedIntercept)}], gradient [{string.Join(", ", gradient.Take(8))}…] vs [{string.Join(", ", expected.Take(8))}…]");
            }

            if (accumulator.Count != p.Rows || !Same(accumulator.Loss(), expectedLoss))
            {
                return false.Label($"{name}: count {accumulator.Count}, Loss() {accumulator.Loss()}");
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
                var expected = new double[p.D * p.K];
                var expectedIntercept = new double[p.K];
                var expectedLoss = OneShot(p, p.X, p.W, p.B, p.S, expected, expectedIntercept);

                var streamed = Create(p, p.W, p.B);
                var shards = new List<SoftmaxCrossEntropyAccumulator<double>>();
                var start = 0;
                foreach (var cut in cuts.Append(p.Rows))
                {
                    AddRows(streamed, p, p.X, p.S, start, cut);
                    var shard = Create(p, p.W, p.B);
                    AddRows(shard, p, p.X, p.S, start, cut);
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
                    var gradient = new double[p.D * p.K];
                    var interceptGradient = new double[p.K];
                    var loss = accumulator.LossAndGradient(gradient, interceptGradient);
                    if (!(Math.Abs(loss - expectedLoss) <= bound.Loss))
                    {
                        return false.Label($"{name}: loss {loss:R} vs {expectedLoss:R}, bound {bound.Loss:E2}");
                    }

                    for (var k = 0; k < p.K; k++)
                    {
                        if (!(Math.Abs(interceptGradient[k] - expectedIntercept[k]) <= bound.Intercept[k]))
                        {
                            return false.Label($"{name}: intercept gradient[{k}] {interceptGradient[k]:R} vs {expectedIntercept[k]:R}, bound {bound.Intercept[k]:E2}");
                        }
                    }

                    for (var j = 0; j < gradient.Length; j++)
                    {
                        if (!(Math.Abs(gradient[j] - expected[j]) <= bound.Gradient[j]))
                        {
                            return false.Label($"{name}: gradient[{j}] {gradient[j]:R} vs {expected[j]:R}, bound {bound.Gradient[j]:E2}");
                        }
                    }
                }

                return true.ToProperty();
            });

    /// <summary>How far two evaluations that sum the same rows in another association may differ.</summary>
    /// <remarks>
    /// Error model: a row's scores, loss and derivatives do not depend on the split — the softmax kernel forms each
    /// row's K scores in its own accumulators in the same order of j whatever block of four the row falls in, and the
    /// row's softmax reads only its own scores. So only the associations differ: each of Σ sᵢℓᵢ, Σ sᵢdᵢₖ,
    /// Σ sᵢxᵢⱼdᵢₖ and Σ sᵢ is a double sum of N terms, any association of which is within (N + 1)·u·Σ|terms| of the
    /// exact sum, so two differ by at most twice that. The normaliser S carries its own relative 2(N + 1)u; results
    /// then divide by S (u), add 2λW (2u·|2λW|), and round once to the output (u in double). |dᵢₖ| and |ℓᵢ| come from
    /// a plain double softmax here: their own relative error (≈ 10⁻¹⁵) moves the bound by far less than its size.
    /// Class 0's gradient sums are formed (in the feature-vectorized layout) as 0 − Σ_{k&gt;0} of the others' per chunk,
    /// so they are a sum of N·(K − 1) terms sᵢxᵢⱼdᵢₖ, k &gt; 0, in a split-dependent association: within
    /// 2(N·K + 1)·u·Σ|terms| of each other. Class 0's terms here are both kinds, so the bound holds whichever layout ran.
    /// </remarks>
    private static (double Loss, double[] Intercept, double[] Gradient) Bounds(Problem p, double[] gradient, double loss, double[] intercept)
    {
        var (n, d, k) = (p.Rows, p.D, p.K);
        double lossTerms = 0, weightSum = 0;
        var interceptTerms = new double[k];
        var gradientTerms = new double[d * k];
        var eta = new double[k];
        for (var i = 0; i < n; i++)
        {
            for (var c = 0; c < k; c++)
            {
                eta[c] = p.B.Length > 0 ? p.B[c] : 0.0;
                for (var j = 0; j < d; j++)
                {
                    eta[c] += p.X[(i * d) + j] * p.W[(j * k) + c];
                }
            }

            var max = eta.Max();
            var z = eta.Sum(e => Math.Exp(e - max));
            var s = p.S?[i] ?? 1.0;
            weightSum += s;
            lossTerms += s * Math.Abs(max + Math.Log(z) - eta[p.Y[i]]);
            var others = 0.0;
            for (var c = 0; c < k; c++)
            {
                var derivative = Math.Abs((Math.Exp(eta[c] - max) / z) - (c == p.Y[i] ? 1.0 : 0.0));
                interceptTerms[c] += s * derivative;
                others += c > 0 ? derivative : 0.0;
                for (var j = 0; j < d; j++)
                {
                    gradientTerms[(j * k) + c] += s * Math.Abs(p.X[(i * d) + j]) * derivative;
                }
            }

            for (var j = 0; j < d; j++)
            {
                gradientTerms[j * k] += s * Math.Abs(p.X[(i * d) + j]) * others;
            }
        }

        var sumError = 2 * (n + 1) * U;
        var referenceSumError = 2 * ((n * k) + 1) * U;
        var scaling = sumError + (4 * U);
        var lossBound = (sumError * lossTerms / weightSum) + (scaling * Math.Abs(loss));
        var interceptBound = interceptTerms.Select((t, c) => (sumError * t / weightSum) + (scaling * Math.Abs(intercept[c]))).ToArray();
        var gradientBound = gradientTerms.Select((t, j) => ((j % k == 0 ? referenceSumError : sumError) * t / weightSum) + (scaling * (Math.Abs(gradient[j]) + Math.Abs(4 * p.L2 * p.W[j])))).ToArray();
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
                SoftmaxCrossEntropyAccumulator<double> Shard(int start, int end)
                {
                    var a = Create(p, p.W, p.B);
                    AddRows(a, p, p.X, p.S, start, end);
                    return a;
                }

                var ab = Shard(0, cut);
                ab.Merge(Shard(cut, p.Rows));
                var ba = Shard(cut, p.Rows);
                ba.Merge(Shard(0, cut));
                return SameState(ab, ba).Label(p.ToString());
            });

    /// <summary>Whether two accumulators hold the same count and bit-identical sums.</summary>
    internal static bool SameState<T>(SoftmaxCrossEntropyAccumulator<T> a, SoftmaxCrossEntropyAccumulator<T> b)
        where T : IFloatingPointIeee754<T>
    {
        var (ga, gb) = (new double[a.Dimension * a.Classes], new double[b.Dimension * b.Classes]);
        var (ia, ib) = (new double[a.Classes], new double[b.Classes]);
        a.CopyGradientSums(ga);
        b.CopyGradientSums(gb);
        a.CopyInterceptSums(ia);
        b.CopyInterceptSums(ib);
        return a.Count == b.Count
            && a.SumOfSampleWeights.Equals(b.SumOfSampleWeights)
            && a.LossSum.Equals(b.LossSum)
            && ga.Zip(gb).All(g => g.First.Equals(g.Second))
            && ia.Zip(ib).All(g => g.First.Equals(g.Second));
    }

    [Fact]
    public void An_invalid_label_names_its_index_in_the_batch_and_leaves_the_state_unchanged()
    {
        var accumulator = new SoftmaxCrossEntropyAccumulator<double>([1.0, -1.0, 0.5, 0.25], [], 2, default);
        Assert.Equal(2, accumulator.Dimension);
        Assert.Equal(2, accumulator.Classes);
        accumulator.Add([1, 2, 3, 4], [0, 1]);
        var before = accumulator.ToByteArray();
        var e = Assert.Throws<ArgumentException>(() => accumulator.Add([1, 2, 3, 4, 5, 6], [1, 2, 0]));
        Assert.Equal("labels", e.ParamName);
        Assert.Contains("'labels[1]' is 2", e.Message, StringComparison.Ordinal);
        Assert.Contains("0…1", e.Message, StringComparison.Ordinal);
        Assert.Contains("'labels[0]' is -1", Assert.Throws<ArgumentException>(() => accumulator.Add([1, 2], [-1])).Message, StringComparison.Ordinal);
        Assert.Equal(before, accumulator.ToByteArray());
        Assert.Equal(2, accumulator.Count);
    }

    [Fact]
    public void Bad_arguments_sample_weights_and_empty_states_are_reported()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new SoftmaxCrossEntropyAccumulator<double>([1.0, 2.0], [], 0, default));
        Assert.Equal("weights", Assert.Throws<ArgumentException>(() => new SoftmaxCrossEntropyAccumulator<double>([], [], 2, default)).ParamName);
        var e = Assert.Throws<ArgumentException>(() => new SoftmaxCrossEntropyAccumulator<double>([1.0, 2.0, 3.0], [], 2, default));
        Assert.Equal("weights", e.ParamName);
        Assert.Contains("K = 2", e.Message, StringComparison.Ordinal);
        Assert.Equal("intercepts", Assert.Throws<ArgumentException>(() => new SoftmaxCrossEntropyAccumulator<double>([1.0, 2.0], [1.0], 2, default)).ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => new SoftmaxCrossEntropyAccumulator<double>([1.0, 2.0], [], 2, new LinearModelLossOptions { L2Penalty = -1 }));

        var accumulator = new SoftmaxCrossEntropyAccumulator<double>([1.0, 2.0, 3.0], [0.5, 0.5, 0.5], 3, default);
        Assert.Throws<InvalidOperationException>(() => accumulator.Loss());
        e = Assert.Throws<ArgumentException>(() => accumulator.Add([1.0, 2.0], [0, 0], [1.0, double.NaN]));
        Assert.Equal("sampleWeights", e.ParamName);
        Assert.Contains("'sampleWeights[1]' is NaN", e.Message, StringComparison.Ordinal);
        Assert.Equal("sampleWeights", Assert.Throws<ArgumentException>(() => accumulator.Add([1.0, 2.0], [0, 0], [1.0])).ParamName);
        Assert.Equal("features", Assert.Throws<ArgumentException>(() => accumulator.Add([1.0, 2.0], [0])).ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => accumulator.Add([1.0, 2.0], [0, 0], [], 1, 2));
        Assert.Equal(0, accumulator.Count);

        // Rows whose weights sum to 0 give no mean.
        accumulator.Add([1.0], [2], [0.0]);
        Assert.Contains("sum to 0", Assert.Throws<InvalidOperationException>(() => accumulator.Loss()).Message, StringComparison.Ordinal);
        Assert.Equal("gradient", Assert.Throws<ArgumentException>(() => accumulator.LossAndGradient(new double[2])).ParamName);
        Assert.Equal("interceptGradient", Assert.Throws<ArgumentException>(() => accumulator.LossAndGradient(new double[3], new double[2])).ParamName);
        Assert.Equal("destination", Assert.Throws<ArgumentException>(() => accumulator.CopyInterceptSums(new double[2])).ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => SoftmaxCrossEntropyAccumulator<double>.ChunkRows(-1, 3));
        Assert.Equal(LinearModelLossAccumulator<double>.ChunkRows(5000, 7), SoftmaxCrossEntropyAccumulator<double>.ChunkRows(5000, 7));

        accumulator.Reset();
        Assert.Equal(0, accumulator.Count);
        Assert.Equal(0.0, accumulator.SumOfSampleWeights);
    }

    [Fact]
    public void Only_states_at_the_same_point_merge_and_no_intercepts_are_zero_intercepts()
    {
        double[] w = [1.0, 2.0, 3.0, 4.0];
        var a = new SoftmaxCrossEntropyAccumulator<double>(w, [0.5, 0.25], 2, default);
        var e = Assert.Throws<ArgumentException>(() => a.Merge(new SoftmaxCrossEntropyAccumulator<double>(w, [0.5, 0.5], 2, default)));
        Assert.Equal("other", e.ParamName);
        Assert.Contains("other intercepts", e.Message, StringComparison.Ordinal);
        Assert.Contains("K = 4", Assert.Throws<ArgumentException>(() => a.Merge(new SoftmaxCrossEntropyAccumulator<double>(w, [], 4, default))).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => a.Merge(new SoftmaxCrossEntropyAccumulator<double>([1.0, 2.0, 3.0, 5.0], [0.5, 0.25], 2, default)));

        // A model without intercepts is the model with zero intercepts: same state, same bytes, and they merge.
        var none = new SoftmaxCrossEntropyAccumulator<double>(w, [], 2, default);
        var zeros = new SoftmaxCrossEntropyAccumulator<double>(w, [0.0, 0.0], 2, default);
        none.Add([0.5, -1.0, 2.0, 0.25], [1, 0]);
        zeros.Add([0.5, -1.0, 2.0, 0.25], [1, 0]);
        Assert.Equal(none.ToByteArray(), zeros.ToByteArray());
        none.Merge(zeros);
        Assert.Equal(4, none.Count);
    }

    [Fact]
    public void A_warm_Add_Merge_and_read_allocate_nothing_on_one_thread_or_two()
    {
        var p = Make(64, 10, 3 * FusedPass.ChunkRows(1, 64), 5, weighted: true, intercepts: true, l2: 0.25, threads: 2);
        foreach (var threads in new[] { 1, 2 })
        {
            var accumulator = new SoftmaxCrossEntropyAccumulator<double>(p.W, p.B, p.K, new LinearModelLossOptions { MaxDegreeOfParallelism = threads });
            var other = new SoftmaxCrossEntropyAccumulator<double>(p.W, p.B, p.K, default);
            var gradient = new double[p.W.Length];
            var interceptGradient = new double[p.K];
            var bytes = new byte[other.GetByteCount()];

            // Warm: the JIT past its tiering (each call form more than 30 times, on a small batch), the pooled
            // buffers, the calling thread's work item.
            for (var i = 0; i < 40; i++)
            {
                accumulator.Add(p.X, p.Y, p.S, 0, 64);
                accumulator.Add(p.X.AsSpan(0, 64 * p.D), p.Y.AsSpan(0, 64), p.S.AsSpan(0, 64));
                accumulator.Merge(other);
                other.TryWriteBytes(bytes, out _);
                accumulator.Merge(bytes);
                accumulator.LossAndGradient(gradient, interceptGradient);
                if (i % 10 == 0)
                {
                    accumulator.Add(p.X, p.Y, p.S, 0, p.Rows);
                }
            }

            Assert.Equal(0, CallingThreadBytes.FewestInRounds(() =>
            {
                for (var i = 0; i < 10; i++)
                {
                    accumulator.Add(p.X, p.Y, p.S, 0, p.Rows);
                    accumulator.Merge(other);
                    other.TryWriteBytes(bytes, out _);
                    accumulator.Merge(bytes);
                    accumulator.LossAndGradient(gradient, interceptGradient);
                }
            }));
        }
    }

    [Fact]
    public void Threads_change_nothing()
    {
        var p = Make(17, 10, 3 * FusedPass.ChunkRows(1, 17), 11, weighted: true, intercepts: true, l2: 0, threads: 1);
        var one = Create(p, p.W, p.B);
        AddRows(one, p, p.X, p.S, 0, p.Rows);
        var three = new SoftmaxCrossEntropyAccumulator<double>(p.W, p.B, p.K, new LinearModelLossOptions { MaxDegreeOfParallelism = 3 });
        AddRows(three, p, p.X, p.S, 0, p.Rows);
        Assert.True(SameState(one, three));
    }
}
