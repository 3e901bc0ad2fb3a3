namespace Gradients.Tests.Losses;

/// <summary>
/// The threaded MSE driver reuses one work item per calling thread. These pin down what that reuse must keep:
/// no allocation once warm, and no state carried from one call into the next.
/// </summary>
[Collection(ProcessWideMeasurements.Name)]
public sealed class MeanSquaredErrorThreadingTests
{
    private static readonly MeanSquaredErrorOptions TwoThreads = new() { MaxDegreeOfParallelism = 2 };

    [Fact]
    public void A_warm_threaded_call_allocates_nothing_on_the_calling_thread()
    {
        // 64 chunks of 1024 rows (FusedPass.TargetChunkElements = 2^16 elements per chunk at D = 64).
        var (x, y, w) = Problem(rows: 65_536, columns: 64, seed: 1);
        var gradient = new double[w.Length];
        var floatX = x.Select(v => (float)v).ToArray();
        var floatY = y.Select(v => (float)v).ToArray();
        var floatW = w.Select(v => (float)v).ToArray();
        var floatGradient = new float[w.Length];

        // Warm: the JIT, the pooled partial-sum buffer, the calling thread's work item and its lock.
        for (var i = 0; i < 3; i++)
        {
            MeanSquaredError.LossAndGradient<double>(x, y, w, gradient, TwoThreads);
            MeanSquaredError.LossAndGradient<float>(floatX, floatY, floatW, floatGradient, TwoThreads);
        }

        Assert.Equal(0, CallingThreadBytes.FewestInRounds(() =>
        {
            for (var i = 0; i < 20; i++)
            {
                MeanSquaredError.LossAndGradient<double>(x, y, w, gradient, TwoThreads);
                MeanSquaredError.LossAndGradient<float>(floatX, floatY, floatW, floatGradient, TwoThreads);
            }
        }));
    }

    [Fact]
    public void Back_to_back_threaded_calls_on_different_problems_match_one_thread_bit_for_bit()
    {
        // Two problems with different N, D and chunk plans, alternated so each call reuses the work item the
        // other one just set up. A field left over from the previous call (D, the chunk count, the residual
        // buffer, the pointers) would change bits or read the wrong array.
        var a = Problem(rows: 20_000, columns: 16, seed: 2);
        var b = Problem(rows: 3_001, columns: 300, seed: 3);
        var expectedA = Serial(a, writeResiduals: true);
        var expectedB = Serial(b, writeResiduals: false);

        for (var i = 0; i < 50; i++)
        {
            AssertSameBits(expectedA, Threaded(a, writeResiduals: true, threads: 2 + (i % 3)));
            AssertSameBits(expectedB, Threaded(b, writeResiduals: false, threads: 2));
        }
    }

    private static (double[] X, double[] Y, double[] W) Problem(int rows, int columns, int seed)
    {
        var random = new Random(seed);
        var x = Enumerable.Range(0, rows * columns).Select(_ => random.NextDouble() * 2 - 1).ToArray();
        var y = Enumerable.Range(0, rows).Select(_ => random.NextDouble() * 2 - 1).ToArray();
        var w = Enumerable.Range(0, columns).Select(_ => random.NextDouble() * 2 - 1).ToArray();
        return (x, y, w);
    }

    private static Result Serial((double[] X, double[] Y, double[] W) p, bool writeResiduals) =>
        Run(p, writeResiduals, new MeanSquaredErrorOptions { MaxDegreeOfParallelism = 1 });

    private static Result Threaded((double[] X, double[] Y, double[] W) p, bool writeResiduals, int threads) =>
        Run(p, writeResiduals, new MeanSquaredErrorOptions { MaxDegreeOfParallelism = threads });

    private static Result Run((double[] X, double[] Y, double[] W) p, bool writeResiduals, MeanSquaredErrorOptions options)
    {
        var gradient = new double[p.W.Length];
        var residuals = writeResiduals ? new double[p.Y.Length] : [];
        var loss = MeanSquaredError.LossAndGradient<double>(p.X, p.Y, p.W, 0.25, gradient, out var biasGradient, residuals, options);
        return new Result(loss, biasGradient, gradient, residuals);
    }

    private static void AssertSameBits(Result expected, Result actual)
    {
        Assert.Equal(BitConverter.DoubleToInt64Bits(expected.Loss), BitConverter.DoubleToInt64Bits(actual.Loss));
        Assert.Equal(BitConverter.DoubleToInt64Bits(expected.BiasGradient), BitConverter.DoubleToInt64Bits(actual.BiasGradient));
        Assert.Equal(expected.Gradient, actual.Gradient);
        Assert.Equal(expected.Residuals, actual.Residuals);
    }

    private sealed record Result(double Loss, double BiasGradient, double[] Gradient, double[] Residuals);
}
