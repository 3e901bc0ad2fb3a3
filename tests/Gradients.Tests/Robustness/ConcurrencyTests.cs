namespace Gradients.Tests.Robustness;

/// <summary>
/// Many threads call the finite-difference gradient (serial and parallel over coordinates), the gradient checker
/// and the MSE kernels (single- and multi-threaded) at once on shared read-only inputs. The library keeps no shared
/// mutable state, so every result must equal the single-threaded one bit for bit, no call may throw, and the shared
/// inputs must come out unchanged.
/// </summary>
public sealed class ConcurrencyTests
{
    private const int Threads = 8;
    private const int Iterations = 25;

    [Fact]
    public void Concurrent_calls_on_shared_inputs_match_the_single_threaded_results_bit_for_bit()
    {
        var random = new Random(20261127);
        var x = Enumerable.Range(0, 40).Select(_ => random.NextDouble() * 2 - 1).ToArray();
        const int rows = 20_000;
        const int columns = 16;
        var features = Enumerable.Range(0, rows * columns).Select(_ => random.NextDouble() * 2 - 1).ToArray();
        var targets = Enumerable.Range(0, rows).Select(_ => random.NextDouble() * 2 - 1).ToArray();
        var weights = Enumerable.Range(0, columns).Select(_ => random.NextDouble() * 2 - 1).ToArray();
        var inputsBefore = (x.ToArray(), features.ToArray(), targets.ToArray(), weights.ToArray());

        var expected = Compute(x, features, targets, weights);
        // The threaded kernel combines fixed row chunks in a fixed order: same bits as one thread.
        Assert.Equal(BitConverter.DoubleToInt64Bits(expected.Loss), BitConverter.DoubleToInt64Bits(expected.ThreadedLoss));
        Assert.Equal(expected.MseGradient, expected.ThreadedGradient);
        Assert.Equal(expected.Gradient, expected.ParallelGradient);

        using var start = new Barrier(Threads);
        var results = new Outcome[Threads];
        var failures = new Exception?[Threads];
        var threads = Enumerable.Range(0, Threads).Select(t => new Thread(() =>
        {
            try
            {
                start.SignalAndWait();
                for (var i = 0; i < Iterations; i++)
                {
                    var outcome = Compute(x, features, targets, weights);
                    if (!outcome.SameAs(expected))
                    {
                        throw new InvalidOperationException($"thread {t}, iteration {i}: result differs from the single-threaded one");
                    }

                    results[t] = outcome;
                }
            }
            catch (Exception e)
            {
                failures[t] = e;
            }
        })).ToArray();

        foreach (var thread in threads)
        {
            thread.Start();
        }

        foreach (var thread in threads)
        {
            Assert.True(thread.Join(TimeSpan.FromMinutes(2)), "a thread did not finish: a hang");
        }

        Assert.All(failures, failure => Assert.Null(failure));
        Assert.All(results, result => Assert.True(result.SameAs(expected)));
        Assert.Equal(inputsBefore.Item1, x);
        Assert.Equal(inputsBefore.Item2, features);
        Assert.Equal(inputsBefore.Item3, targets);
        Assert.Equal(inputsBefore.Item4, weights);
    }

    private static Outcome Compute(double[] x, double[] features, double[] targets, double[] weights)
    {
        var gradient = new double[x.Length];
        FiniteDifference.Gradient<double>(Rosenbrock, x, gradient);

        var parallelGradient = new double[x.Length];
        FiniteDifference.Gradient<double>(Rosenbrock, x, parallelGradient, new FiniteDifferenceOptions<double> { MaxDegreeOfParallelism = 2 });

        var richardson = new double[x.Length];
        var errors = new double[x.Length];
        FiniteDifference.Gradient<double>(Rosenbrock, x, richardson, new FiniteDifferenceOptions<double> { Scheme = FiniteDifferenceScheme.Richardson }, errors);

        var report = GradientCheck.Check<double>(Rosenbrock, RosenbrockGradient, x);

        var mseGradient = new double[weights.Length];
        var loss = MeanSquaredError.LossAndGradient<double>(features, targets, weights, mseGradient);
        var threadedGradient = new double[weights.Length];
        var threadedLoss = MeanSquaredError.LossAndGradient<double>(
            features, targets, weights, threadedGradient, new MeanSquaredErrorOptions { MaxDegreeOfParallelism = 2 });

        return new Outcome(gradient, parallelGradient, richardson, errors, report.Passed, report.Worst.AbsoluteError, loss, mseGradient, threadedLoss, threadedGradient);
    }

    private static double Rosenbrock(ReadOnlySpan<double> x)
    {
        var sum = 0.0;
        for (var i = 0; i + 1 < x.Length; i++)
        {
            var a = x[i + 1] - (x[i] * x[i]);
            var b = 1 - x[i];
            sum += (100 * a * a) + (b * b);
        }

        return sum;
    }

    private static void RosenbrockGradient(ReadOnlySpan<double> x, Span<double> gradient)
    {
        gradient.Clear();
        for (var i = 0; i + 1 < x.Length; i++)
        {
            var a = x[i + 1] - (x[i] * x[i]);
            gradient[i] += (-400 * x[i] * a) - (2 * (1 - x[i]));
            gradient[i + 1] += 200 * a;
        }
    }

    private sealed record Outcome(
        double[] Gradient, double[] ParallelGradient, double[] Richardson, double[] ErrorEstimates,
        bool CheckPassed, double CheckWorstError, double Loss, double[] MseGradient, double ThreadedLoss, double[] ThreadedGradient)
    {
        // Bit-for-bit: compare the IEEE bit patterns, not values within a tolerance.
        public bool SameAs(Outcome other) =>
            Bits(Gradient).SequenceEqual(Bits(other.Gradient))
            && Bits(ParallelGradient).SequenceEqual(Bits(other.ParallelGradient))
            && Bits(Richardson).SequenceEqual(Bits(other.Richardson))
            && Bits(ErrorEstimates).SequenceEqual(Bits(other.ErrorEstimates))
            && CheckPassed == other.CheckPassed
            && BitConverter.DoubleToInt64Bits(CheckWorstError) == BitConverter.DoubleToInt64Bits(other.CheckWorstError)
            && BitConverter.DoubleToInt64Bits(Loss) == BitConverter.DoubleToInt64Bits(other.Loss)
            && Bits(MseGradient).SequenceEqual(Bits(other.MseGradient))
            && BitConverter.DoubleToInt64Bits(ThreadedLoss) == BitConverter.DoubleToInt64Bits(other.ThreadedLoss)
            && Bits(ThreadedGradient).SequenceEqual(Bits(other.ThreadedGradient));

        private static IEnumerable<long> Bits(double[] values) => values.Select(BitConverter.DoubleToInt64Bits);
    }
}
