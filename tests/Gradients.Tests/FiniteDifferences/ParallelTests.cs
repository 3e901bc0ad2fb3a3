using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Gradients.Tests.Properties;

namespace Gradients.Tests.FiniteDifferences;

[Collection(ProcessWideMeasurements.Name)]
public sealed class ParallelTests
{
    [Property(MaxTest = 40)]
    public Property Parallel_gradient_is_bit_identical_to_serial_for_every_scheme() =>
        Prop.ForAll(
            (from x in Generators.Vector(Generators.Unit, 2, 60)
             from scheme in Gen.Elements(Enum.GetValues<FiniteDifferenceScheme>())
             from degree in Gen.Elements(-1, 2, 3, 7)
             from bounded in Gen.Elements(false, true)
             select (x, scheme, degree, bounded)).ToArbitrary(),
            c =>
            {
                var n = c.x.Length;
                // With bounds, every fifth coordinate sits on its lower bound and turns one-sided.
                var lower = c.bounded ? c.x.Select((v, i) => i % 5 == 0 ? v : double.NegativeInfinity).ToArray() : [];
                var serialOptions = new FiniteDifferenceOptions<double> { Scheme = c.scheme, LowerBounds = lower };
                var parallelOptions = serialOptions with { MaxDegreeOfParallelism = c.degree };
                var (serial, serialErrors, serialSteps) = (new double[n], new double[n], new double[n]);
                var (parallel, parallelErrors, parallelSteps) = (new double[n], new double[n], new double[n]);

                var serialResult = FiniteDifference.Gradient<double>(TestFunctions.Rosenbrock, c.x, serial, serialOptions, serialErrors, serialSteps);
                var parallelResult = FiniteDifference.Gradient(new RosenbrockFunction<double>(), c.x, parallel, parallelOptions, parallelErrors, parallelSteps);

                return (Bits(serial).SequenceEqual(Bits(parallel))
                        && Bits(serialErrors).SequenceEqual(Bits(parallelErrors))
                        && Bits(serialSteps).SequenceEqual(Bits(parallelSteps))
                        && serialResult.OneSidedCoordinates == parallelResult.OneSidedCoordinates
                        && BitConverter.DoubleToInt64Bits(serialResult.MaxErrorEstimate) == BitConverter.DoubleToInt64Bits(parallelResult.MaxErrorEstimate))
                    .Label($"{c.scheme} degree {c.degree} n {n} bounded {c.bounded}");
            });

    [Property(MaxTest = 60)]
    public Property Default_entry_is_bit_identical_to_the_general_path() =>
        // Gradient(f, x, gradient) has its own path (vectorized steps, overlapping last vectors); it must give the
        // bits of the general path (taken when steps or error estimates are asked for), for every length and
        // magnitude 1e-6…1e6, in double and float.
        Prop.ForAll(
            Generators.Vector(Generators.Wide, 1, 60).ToArbitrary(),
            x =>
            {
                var n = x.Length;
                var (fast, general, steps) = (new double[n], new double[n], new double[n]);
                FiniteDifference.Gradient(new RosenbrockFunction<double>(), x, fast);
                FiniteDifference.Gradient(new RosenbrockFunction<double>(), x, general, default(FiniteDifferenceOptions<double>), default, steps);

                var xs = Generators.ToSingle(x);
                var (fastSingle, generalSingle) = (new float[n], new float[n]);
                FiniteDifference.Gradient<float>(TestFunctions.LogSumExp, xs, fastSingle);
                FiniteDifference.Gradient<float>(TestFunctions.LogSumExp, xs, generalSingle, default(FiniteDifferenceOptions<float>), new float[n]);

                static int[] SingleBits(float[] values) => values.Select(BitConverter.SingleToInt32Bits).ToArray();
                return (Bits(fast).SequenceEqual(Bits(general)) && SingleBits(fastSingle).SequenceEqual(SingleBits(generalSingle)))
                    .Label($"n {n}");
            });

    [Fact]
    public void Parallel_gradient_failure_is_the_serial_one_the_first_failing_coordinate()
    {
        // Coordinates 9 and 30 both step below zero under a square root; the serial loop stops at 9, so the
        // parallel run must throw that same exception, whichever range fails first in time.
        var x = Enumerable.Range(0, 40).Select(i => 1.0 + i).ToArray();
        x[9] = 1e-12;
        x[30] = 1e-12;
        static double Roots(ReadOnlySpan<double> v) => v.ToArray().Sum(t => t >= 0 ? Math.Sqrt(t) : double.NaN);

        var serial = Assert.Throws<NotFiniteNumberException>(() => FiniteDifference.Gradient<double>(Roots, x, new double[40]));
        Assert.Contains("coordinate 9", serial.Message, StringComparison.Ordinal);
        for (var attempt = 0; attempt < 10; attempt++)
        {
            var parallel = Assert.Throws<NotFiniteNumberException>(() => FiniteDifference.Gradient<double>(
                Roots, x, new double[40], new FiniteDifferenceOptions<double> { MaxDegreeOfParallelism = 4 }));
            Assert.Equal(serial.Message, parallel.Message);
        }
    }


    [Property(MaxTest = 40)]
    public Property Parallel_jacobian_is_bit_identical_to_serial_for_every_scheme() =>
        Prop.ForAll(
            (from x in Generators.Vector(Generators.Unit, 2, 40)
             from scheme in Gen.Elements(Enum.GetValues<FiniteDifferenceScheme>())
             from degree in Gen.Elements(-1, 2, 3, 7)
             from bounded in Gen.Elements(false, true)
             select (x, scheme, degree, bounded)).ToArbitrary(),
            c =>
            {
                var n = c.x.Length;
                // With bounds, every fifth column sits on its lower bound and turns one-sided.
                var lower = c.bounded ? c.x.Select((v, i) => i % 5 == 0 ? v : double.NegativeInfinity).ToArray() : [];
                var serialOptions = new FiniteDifferenceOptions<double> { Scheme = c.scheme, LowerBounds = lower };
                var parallelOptions = serialOptions with { MaxDegreeOfParallelism = c.degree };
                var (serial, serialErrors, serialSteps) = (new double[3 * n], new double[3 * n], new double[n]);
                var (parallel, parallelErrors, parallelSteps) = (new double[3 * n], new double[3 * n], new double[n]);

                var serialResult = FiniteDifference.Jacobian<double>(TestFunctions.ThreeOutputs, c.x, serial, serialOptions, serialErrors, serialSteps);
                var parallelResult = FiniteDifference.Jacobian<double>(TestFunctions.ThreeOutputs, c.x, parallel, parallelOptions, parallelErrors, parallelSteps);

                return (Bits(serial).SequenceEqual(Bits(parallel))
                        && Bits(serialErrors).SequenceEqual(Bits(parallelErrors))
                        && Bits(serialSteps).SequenceEqual(Bits(parallelSteps))
                        && serialResult.OneSidedCoordinates == parallelResult.OneSidedCoordinates
                        && BitConverter.DoubleToInt64Bits(serialResult.MaxErrorEstimate) == BitConverter.DoubleToInt64Bits(parallelResult.MaxErrorEstimate))
                    .Label($"{c.scheme} degree {c.degree} n {n} bounded {c.bounded}");
            });

    [Fact]
    public void Parallel_jacobian_runs_on_several_threads()
    {
        // The option must not be silently ignored: F records the threads that call it. Each call sleeps 1 ms, so a
        // worker that starts takes part long before 64 columns (128 calls) are done on one thread.
        var threads = new System.Collections.Concurrent.ConcurrentDictionary<int, bool>();
        var x = Enumerable.Range(0, 64).Select(i => 0.1 * i).ToArray();
        FiniteDifference.Jacobian<double>(
            (v, values) =>
            {
                threads.TryAdd(Environment.CurrentManagedThreadId, true);
                Thread.Sleep(1);
                TestFunctions.ThreeOutputs(v, values);
            },
            x,
            new double[3 * x.Length],
            new FiniteDifferenceOptions<double> { MaxDegreeOfParallelism = 4 });

        Assert.True(threads.Count > 1, $"F was called on {threads.Count} thread(s)");
    }

    [Fact]
    public void Parallel_jacobian_failure_is_the_serial_one_the_first_failing_column()
    {
        // Columns 9 and 30 both meet a NaN of F (x < 0 under a square root); the serial loop stops at column 9, so
        // the parallel run must name column 9 too, whichever chunk fails first in time.
        var x = Enumerable.Range(0, 40).Select(i => 1.0 + i).ToArray();
        x[9] = 1e-12;
        x[30] = 1e-12;
        static void Roots(ReadOnlySpan<double> v, Span<double> values)
        {
            values[0] = 0;
            foreach (var t in v)
            {
                values[0] += t >= 0 ? Math.Sqrt(t) : double.NaN;
            }
        }

        var serial = Assert.Throws<NotFiniteNumberException>(() => FiniteDifference.Jacobian<double>(Roots, x, new double[40], default(FiniteDifferenceOptions<double>)));
        for (var attempt = 0; attempt < 10; attempt++)
        {
            var parallel = Assert.Throws<NotFiniteNumberException>(() => FiniteDifference.Jacobian<double>(
                Roots, x, new double[40], new FiniteDifferenceOptions<double> { MaxDegreeOfParallelism = 4 }));
            Assert.Equal(serial.Message, parallel.Message);
        }
    }

    [Property(MaxTest = 30)]
    public Property Parallel_hessian_is_bit_identical_to_serial() =>
        Prop.ForAll(
            (from x in Generators.Vector(Generators.Unit, 2, 24)
             from degree in Gen.Elements(-1, 2, 3, 7)
             from bounded in Gen.Elements(false, true)
             select (x, degree, bounded)).ToArbitrary(),
            c =>
            {
                var n = c.x.Length;
                // With bounds, every third coordinate sits on its lower bound: its entries use the one-sided formula.
                var lower = c.bounded ? c.x.Select((v, i) => i % 3 == 0 ? v : double.NegativeInfinity).ToArray() : [];
                var serialOptions = new FiniteDifferenceOptions<double> { LowerBounds = lower };
                var parallelOptions = serialOptions with { MaxDegreeOfParallelism = c.degree };
                var (serial, serialSteps) = (new double[n * n], new double[n]);
                var (parallel, parallelSteps) = (new double[n * n], new double[n]);

                var serialResult = FiniteDifference.Hessian<double>(TestFunctions.LogSumExp, c.x, serial, serialOptions, serialSteps);
                var parallelResult = FiniteDifference.Hessian<double>(TestFunctions.LogSumExp, c.x, parallel, parallelOptions, parallelSteps);

                return (Bits(serial).SequenceEqual(Bits(parallel))
                        && Bits(serialSteps).SequenceEqual(Bits(parallelSteps))
                        && serialResult.OneSidedCoordinates == parallelResult.OneSidedCoordinates)
                    .Label($"degree {c.degree} n {n} bounded {c.bounded}");
            });

    [Fact]
    public void Parallel_hessian_runs_on_several_threads_and_counts_every_evaluation()
    {
        var threads = new System.Collections.Concurrent.ConcurrentDictionary<int, bool>();
        var calls = 0;
        var x = Enumerable.Range(0, 24).Select(i => 0.1 * i).ToArray();
        var result = FiniteDifference.Hessian<double>(
            v =>
            {
                threads.TryAdd(Environment.CurrentManagedThreadId, true);
                Interlocked.Increment(ref calls);
                Thread.Sleep(1);
                return TestFunctions.LogSumExp(v);
            },
            x,
            new double[x.Length * x.Length],
            new FiniteDifferenceOptions<double> { MaxDegreeOfParallelism = 4 });

        Assert.True(threads.Count > 1, $"f was called on {threads.Count} thread(s)");
        // 2n² + 1 for the central Hessian, whatever the threads.
        Assert.Equal((2 * 24 * 24) + 1, result.Evaluations);
        Assert.Equal(calls, result.Evaluations);
    }

    [Fact]
    public void Parallel_hessian_failure_is_the_serial_one_the_first_failing_entry()
    {
        // f is NaN when coordinates 11 and 20 move together, and when 18 and 22 do: the serial loop (row by row)
        // meets row 11 first. The parallel run must throw the same exception, whichever thread fails first in time,
        // and although row 18 belongs to a lower-numbered chunk than row 11 (rows are dealt to 16 chunks in turn).
        var x = Enumerable.Range(0, 24).Select(i => 1.0 + i).ToArray();
        double F(ReadOnlySpan<double> v)
        {
            var moved = (v[11] != x[11] && v[20] != x[20]) || (v[18] != x[18] && v[22] != x[22]);
            return moved ? double.NaN : TestFunctions.LogSumExp(v);
        }

        var serial = Assert.Throws<NotFiniteNumberException>(() => FiniteDifference.Hessian<double>(F, x, new double[24 * 24], default(FiniteDifferenceOptions<double>)));
        Assert.Contains("coordinate 11", serial.Message, StringComparison.Ordinal);
        for (var attempt = 0; attempt < 10; attempt++)
        {
            var parallel = Assert.Throws<NotFiniteNumberException>(() => FiniteDifference.Hessian<double>(
                F, x, new double[24 * 24], new FiniteDifferenceOptions<double> { MaxDegreeOfParallelism = 4 }));
            Assert.Equal(serial.Message, parallel.Message);
        }
    }

    [Fact]
    public void Concurrent_callers_get_the_serial_answer()
    {
        var x = Enumerable.Range(0, 30).Select(i => Math.Sin(i)).ToArray();
        var expected = new double[30];
        FiniteDifference.Gradient<double>(TestFunctions.LogSumExp, x, expected);

        var results = new double[16][];
        Parallel.For(0, results.Length, k =>
        {
            results[k] = new double[30];
            FiniteDifference.Gradient<double>(TestFunctions.LogSumExp, x, results[k]);
        });

        Assert.All(results, r => Assert.Equal(expected, r));
    }

    [Fact]
    public void A_starved_thread_pool_cannot_stall_the_parallel_gradient_jacobian_or_hessian()
    {
        // Every pool thread, and the 64 the pool would have to inject next (about one per half second), waits on a
        // gate; each wait is bounded (60 s) so a failing run cannot hang the suite. f sleeps 20 ms per call, so each
        // computation runs long enough (0.6–2.6 s) for Parallel.For's replicas to hand their work back to the pool
        // (they yield after a few hundred ms). The calling thread must do the work itself: done alone, the three take
        // about 4 s, so 20 s is a bound only a stalled run exceeds (the issue measured 30–60 s behind 64 blockers;
        // the previous code took 55 s for 16 items of 40 ms in the same setting).
        var x = Enumerable.Range(0, 16).Select(i => 0.1 * (i - 7)).ToArray();
        var y = x[..8];
        var n = x.Length;
        var options = new FiniteDifferenceOptions<double> { MaxDegreeOfParallelism = 4 };
        var (serialGradient, serialJacobian, serialHessian) = (new double[n], new double[3 * n], new double[y.Length * y.Length]);
        _ = FiniteDifference.Gradient<double>(TestFunctions.Rosenbrock, x, serialGradient, default);
        _ = FiniteDifference.Jacobian<double>(TestFunctions.ThreeOutputs, x, serialJacobian, default);
        _ = FiniteDifference.Hessian<double>(TestFunctions.Rosenbrock, y, serialHessian, default);
        static double Slow(ReadOnlySpan<double> v)
        {
            Thread.Sleep(20);
            return TestFunctions.Rosenbrock(v);
        }

        static void SlowThree(ReadOnlySpan<double> v, Span<double> values)
        {
            Thread.Sleep(20);
            TestFunctions.ThreeOutputs(v, values);
        }

        // The blockers sleep rather than wait on a task: Task.Wait on a pool thread tells the pool it is blocked, and
        // the pool then adds threads at once, which would hide the starvation this test is about.
        var released = 0;
        var blockers = ThreadPool.ThreadCount + 64;
        for (var i = 0; i < blockers; i++)
        {
            ThreadPool.UnsafeQueueUserWorkItem(
                _ =>
                {
                    var until = Environment.TickCount64 + 60_000;
                    while (Volatile.Read(ref released) == 0 && Environment.TickCount64 < until)
                    {
                        Thread.Sleep(5);
                    }
                },
                null);
        }

        Thread.Sleep(200); // lets the blockers take the pool's threads
        var (gradient, jacobian, hessian) = (new double[n], new double[3 * n], new double[y.Length * y.Length]);
        // The caller is an ordinary thread, as in a console program: xunit runs tests on pool threads, whose local
        // queues a waiting Parallel.For could drain itself.
        var watch = System.Diagnostics.Stopwatch.StartNew();
        Exception? failure = null;
        var caller = new Thread(() =>
        {
            try
            {
                _ = FiniteDifference.Gradient(Slow, x, gradient, options);
                _ = FiniteDifference.Jacobian(SlowThree, x, jacobian, options);
                _ = FiniteDifference.Hessian(Slow, y, hessian, options);
            }
            catch (Exception e)
            {
                failure = e;
            }
        });
        caller.Start();
        var finished = caller.Join(TimeSpan.FromSeconds(90));
        watch.Stop();
        Volatile.Write(ref released, 1);
        Assert.True(finished || caller.Join(TimeSpan.FromSeconds(90)), "the computation never finished");
        Assert.Null(failure);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(20), $"took {watch.Elapsed} behind {blockers} blocked work items");
        Assert.Equal(Bits(serialGradient), Bits(gradient));
        Assert.Equal(Bits(serialJacobian), Bits(jacobian));
        Assert.Equal(Bits(serialHessian), Bits(hessian));
    }

    [Theory]
    [InlineData(int.MaxValue)]
    [InlineData(1 << 29)]
    [InlineData(1000)]
    public void Any_positive_degree_of_parallelism_works_and_is_bit_identical(int degree)
    {
        var x = Enumerable.Range(0, 9).Select(i => 0.3 * (i - 4)).ToArray();
        var n = x.Length;
        var options = new FiniteDifferenceOptions<double> { MaxDegreeOfParallelism = degree };
        var (serialGradient, serialJacobian, serialHessian) = (new double[n], new double[3 * n], new double[n * n]);
        var (gradient, jacobian, hessian) = (new double[n], new double[3 * n], new double[n * n]);

        var serialCounts = (
            FiniteDifference.Gradient<double>(TestFunctions.Rosenbrock, x, serialGradient, default).Evaluations,
            FiniteDifference.Jacobian<double>(TestFunctions.ThreeOutputs, x, serialJacobian, default).Evaluations,
            FiniteDifference.Hessian<double>(TestFunctions.Rosenbrock, x, serialHessian, default).Evaluations);
        var counts = (
            FiniteDifference.Gradient<double>(TestFunctions.Rosenbrock, x, gradient, options).Evaluations,
            FiniteDifference.Jacobian<double>(TestFunctions.ThreeOutputs, x, jacobian, options).Evaluations,
            FiniteDifference.Hessian<double>(TestFunctions.Rosenbrock, x, hessian, options).Evaluations);

        Assert.Equal(Bits(serialGradient), Bits(gradient));
        Assert.Equal(Bits(serialJacobian), Bits(jacobian));
        Assert.Equal(Bits(serialHessian), Bits(hessian));
        Assert.Equal(serialCounts, counts);
    }

    private static long[] Bits(double[] values) => values.Select(BitConverter.DoubleToInt64Bits).ToArray();
}
