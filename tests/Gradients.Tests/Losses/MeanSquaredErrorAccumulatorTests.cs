using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Gradients.Tests.Properties;

namespace Gradients.Tests.Losses;

/// <summary>The streaming accumulator equals the one-shot call over any split and any merge order.</summary>
/// <remarks>
/// Error model: both sides sum the same N terms in different orders; each side is within
/// (D + N + 4)·u·scale of the exact value (see <see cref="MeanSquaredErrorAccuracyTests"/>), so they differ by at
/// most twice that: 2e-13 × scale for N ≤ 67.
/// </remarks>
public sealed class MeanSquaredErrorAccumulatorTests
{
    private static Gen<(RowMajorMatrix X, double[] Y, double[] W, int[] Cuts)> SplitProblem =>
        from p in MeanSquaredErrorProperties.Problem(60, 20)
        from cuts in Gen.Choose(0, p.X.Rows).ArrayOf()
        select (p.X, p.Y, p.W, cuts.Order().ToArray());

    [Property]
    public Property Streaming_over_any_split_equals_the_one_shot_call() =>
        Prop.ForAll(SplitProblem.ToArbitrary(), p =>
        {
            var (x, y, w, cuts) = p;
            var d = w.Length;
            const double Intercept = 0.125;
            var options = new MeanSquaredErrorOptions { L2Penalty = 0.5 };
            var accumulator = new MeanSquaredErrorAccumulator<double>(w, Intercept, options);
            var start = 0;
            foreach (var cut in cuts.Append(x.Rows))
            {
                accumulator.Add(x.Values.AsSpan(start * d, (cut - start) * d), y.AsSpan(start, cut - start));
                start = cut;
            }

            var gradient = new double[d];
            var loss = accumulator.LossAndGradient(gradient, out var interceptGradient);
            var expected = new double[d];
            var expectedLoss = MeanSquaredError.LossAndGradient<double>(x.Values, y, w, Intercept, expected, out var expectedIntercept, [], options);
            var reference = HighPrecision.MeanSquaredError(x.Values, y, w, Intercept, 0.5);
            return accumulator.Count == x.Rows
                && Close(loss, expectedLoss, reference.LossScale)
                && Close(interceptGradient, expectedIntercept, 2 * Math.Sqrt(reference.LossScale * x.Rows))
                && Enumerable.Range(0, d).All(j => Close(gradient[j], expected[j], reference.GradientScale[j]));
        });

    [Property]
    public Property Merged_shards_equal_the_one_shot_call_in_any_order() =>
        Prop.ForAll(SplitProblem.ToArbitrary(), p =>
        {
            var (x, y, w, cuts) = p;
            var d = w.Length;
            var shards = new List<MeanSquaredErrorAccumulator<double>>();
            var start = 0;
            foreach (var cut in cuts.Append(x.Rows))
            {
                var shard = new MeanSquaredErrorAccumulator<double>(w);
                shard.Add(x.Values.AsSpan(start * d, (cut - start) * d), y.AsSpan(start, cut - start));
                shards.Add(shard);
                start = cut;
            }

            // Merge in reverse, and one shard through its shipped state, as a remote worker would send it.
            var total = new MeanSquaredErrorAccumulator<double>(w);
            for (var i = shards.Count - 1; i >= 1; i--)
            {
                total.Merge(shards[i]);
            }

            var sums = new double[d];
            shards[0].CopyResidualFeatureSums(sums);
            total.Merge(shards[0].Count, shards[0].SumOfSquaredResiduals, shards[0].SumOfResiduals, sums);

            var gradient = new double[d];
            var loss = total.LossAndGradient(gradient);
            var expected = new double[d];
            var expectedLoss = MeanSquaredError.LossAndGradient<double>(x.Values, y, w, expected);
            var reference = HighPrecision.MeanSquaredError(x.Values, y, w);
            return Close(loss, expectedLoss, reference.LossScale)
                && Enumerable.Range(0, d).All(j => Close(gradient[j], expected[j], reference.GradientScale[j]));
        });

    [Fact]
    public void Float_batches_accumulate_in_double()
    {
        var (x, y, w) = MeanSquaredErrorAccuracyTests.Data(new Random(11), 1000, 7);
        var (xs, ys, ws) = (Generators.ToSingle(x), Generators.ToSingle(y), Generators.ToSingle(w));
        var accumulator = new MeanSquaredErrorAccumulator<float>(ws);
        for (var start = 0; start < 1000; start += 37)
        {
            var count = Math.Min(37, 1000 - start);
            accumulator.Add(xs.AsSpan(start * 7, count * 7), ys.AsSpan(start, count));
        }

        var gradient = new float[7];
        var loss = accumulator.LossAndGradient(gradient);
        var reference = HighPrecision.MeanSquaredError(MeanSquaredErrorAccuracyTests.Widen(xs), MeanSquaredErrorAccuracyTests.Widen(ys), MeanSquaredErrorAccuracyTests.Widen(ws));
        MeanSquaredErrorAccuracyTests.AssertClose(reference, loss, MeanSquaredErrorAccuracyTests.Widen(gradient), Math.Pow(2, -24), "float stream");
    }

    [Fact]
    public void Misuse_is_reported()
    {
        var accumulator = new MeanSquaredErrorAccumulator<double>(new double[3]);
        Assert.Throws<InvalidOperationException>(() => accumulator.Loss());
        var e = Assert.Throws<ArgumentException>(() => accumulator.Add(new double[7], new double[2]));
        Assert.Equal("features", e.ParamName);
        Assert.Contains("2 × 3", e.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => accumulator.Merge(new MeanSquaredErrorAccumulator<double>([1.0, 2.0, 3.0])));
        Assert.Throws<ArgumentException>(() => new MeanSquaredErrorAccumulator<double>([]));
        accumulator.Add([], []);
        Assert.Equal(0, accumulator.Count);
    }

    private static bool Close(double actual, double expected, double scale) =>
        Math.Abs(actual - expected) <= 2e-13 * scale;
}
