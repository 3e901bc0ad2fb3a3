namespace Gradients.Tests.Losses;

/// <summary>
/// The threaded softmax driver reuses one work item per calling thread, like the MSE one: no allocation once warm,
/// and nothing carried from one call into the next (back-to-back calls on different shapes, with and without sample
/// weights and intercepts, match one thread bit for bit).
/// </summary>
[Collection(ProcessWideMeasurements.Name)]
public sealed class SoftmaxCrossEntropyThreadingTests
{
    private static readonly LinearModelLossOptions TwoThreads = new() { MaxDegreeOfParallelism = 2 };

    [Fact]
    public void A_warm_threaded_call_allocates_nothing_on_the_calling_thread()
    {
        // 16 chunks of 1024 rows (2^16 elements per chunk at D = 64).
        var p = Problem(rows: 16_384, columns: 64, classes: 10, seed: 1, weighted: true);
        var gradient = new double[p.W.Length];
        var interceptGradient = new double[p.B.Length];
        float[] x = [.. p.X.Select(v => (float)v)], w = [.. p.W.Select(v => (float)v)], b = [.. p.B.Select(v => (float)v)], s = [.. p.S.Select(v => (float)v)];
        var floatGradient = new float[w.Length];

        // Warm: the JIT, the pooled buffers, the calling thread's work item and its lock.
        for (var i = 0; i < 3; i++)
        {
            SoftmaxCrossEntropy.LossAndGradient<double>(p.X, p.Y, p.W, p.B, gradient, interceptGradient, p.S, TwoThreads);
            SoftmaxCrossEntropy.LossAndGradient<float>(x, p.Y, w, b, floatGradient, [], s, TwoThreads);
        }

        Assert.Equal(0, CallingThreadBytes.FewestInRounds(() =>
        {
            for (var i = 0; i < 20; i++)
            {
                SoftmaxCrossEntropy.LossAndGradient<double>(p.X, p.Y, p.W, p.B, gradient, interceptGradient, p.S, TwoThreads);
                SoftmaxCrossEntropy.LossAndGradient<float>(x, p.Y, w, b, floatGradient, [], s, TwoThreads);
            }
        }));
    }

    [Fact]
    public void Back_to_back_threaded_calls_on_different_problems_match_one_thread_bit_for_bit()
    {
        var a = Problem(rows: 9_000, columns: 16, classes: 3, seed: 2, weighted: true);
        var c = Problem(rows: 1_501, columns: 130, classes: 17, seed: 3, weighted: false);
        var expectedA = Run(a, 1);
        var expectedC = Run(c, 1);
        for (var i = 0; i < 20; i++)
        {
            AssertSameBits(expectedA, Run(a, 2 + (i % 3)));
            AssertSameBits(expectedC, Run(c, 2));
        }
    }

    [Fact]
    public void Partial_sums_past_the_threaded_budget_run_on_the_calling_thread_with_the_same_bits()
    {
        // D = 512, K = 1000: 128 rows per chunk, 9 chunks of 513 002 doubles each, past the 2²² the threaded
        // driver may hold; the call must still work and give the one-thread result.
        var p = Problem(rows: 1_152, columns: 512, classes: 1000, seed: 4, weighted: false);
        AssertSameBits(Run(p, 1), Run(p, 2));
    }

    private static (double[] X, int[] Y, double[] W, double[] B, double[] S) Problem(int rows, int columns, int classes, int seed, bool weighted)
    {
        var random = new Random(seed);
        var x = Enumerable.Range(0, rows * columns).Select(_ => (random.NextDouble() * 2) - 1).ToArray();
        var y = Enumerable.Range(0, rows).Select(_ => random.Next(classes)).ToArray();
        var w = Enumerable.Range(0, columns * classes).Select(_ => (random.NextDouble() * 2) - 1).ToArray();
        var b = Enumerable.Range(0, classes).Select(_ => random.NextDouble() - 0.5).ToArray();
        var s = weighted ? Enumerable.Range(0, rows).Select(_ => random.NextDouble() + 0.5).ToArray() : [];
        return (x, y, w, b, s);
    }

    private static (double Loss, double[] Gradient, double[] Intercepts) Run((double[] X, int[] Y, double[] W, double[] B, double[] S) p, int threads)
    {
        var gradient = new double[p.W.Length];
        var interceptGradient = new double[p.B.Length];
        var loss = SoftmaxCrossEntropy.LossAndGradient<double>(p.X, p.Y, p.W, p.B, gradient, interceptGradient, p.S, new LinearModelLossOptions { MaxDegreeOfParallelism = threads });
        return (loss, gradient, interceptGradient);
    }

    private static void AssertSameBits((double Loss, double[] Gradient, double[] Intercepts) expected, (double Loss, double[] Gradient, double[] Intercepts) actual)
    {
        Assert.Equal(BitConverter.DoubleToInt64Bits(expected.Loss), BitConverter.DoubleToInt64Bits(actual.Loss));
        Assert.Equal(expected.Gradient.Select(BitConverter.DoubleToInt64Bits), actual.Gradient.Select(BitConverter.DoubleToInt64Bits));
        Assert.Equal(expected.Intercepts.Select(BitConverter.DoubleToInt64Bits), actual.Intercepts.Select(BitConverter.DoubleToInt64Bits));
    }
}
