using System.Diagnostics;
using System.Globalization;
using System.Numerics;
using System.Runtime.Intrinsics;
using Gradients.Benchmarks.Gate;

namespace Gradients.Benchmarks.Losses;

/// <summary>
/// <c>paired --loss mse|huber|logistic|poisson|softmax [--type double|float] [--shape 100000x128] [--pairs 40] [--warmup 60] [--warmup-seconds 1]</c>: a loss
/// kernel and the read-only pass over the same X of the kernels' width (256-bit; 128-bit where 256-bit vectors are not
/// accelerated, as with <c>DOTNET_EnableAVX2=0</c>), alternating call by call in one process (thread CPU time
/// each), and the median of the per-pair ratios. A probe for tuning the kernels on a noisy machine, not a benchmark
/// (the numbers the docs and the gate report come from BenchmarkDotNet).
/// </summary>
/// <remarks>
/// In a BenchmarkDotNet run each case reads its own X for seconds after the other case has finished: on the shared
/// 2-core VMs where the kernels are tuned, memory's speed changed by a third between processes and over seconds, and a
/// kernel's ratio to the read-only pass spread over 0.9–1.5 between processes (one build). Here both read one array,
/// one call after the other, and the ratio of a build spread by about ±5 % between processes: enough to tell two
/// builds apart by 5–10 % in a few processes each (alternate the builds' processes). Double (or float), one thread; X, y and w as
/// in <see cref="LinearModelLossBenchmarks"/>, K = 10 for the softmax.
/// </remarks>
public static class PairedPassCommand
{
    /// <summary>The subcommand's name.</summary>
    public const string Name = "paired";

    /// <summary>Runs the probe; writes one line of medians; returns 0, or 2 on a wrong command line.</summary>
    public static int Run(IReadOnlyList<string> args, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        try
        {
            var line = Gate.CommandLine.Parse(args, "--loss", "--shape", "--pairs", "--warmup", "--warmup-seconds", "--type");
            if (line.Positional.Count > 0 || line.Unknown.Count > 0)
            {
                throw new UsageException(Usage);
            }

            var shape = ProbeArguments.Shape(line.Single("--shape", "100000x128"), Usage);
            var pairs = ProbeArguments.Count(line.Single("--pairs", "40"), "--pairs", Usage);
            var warmup = ProbeArguments.Count(line.Single("--warmup", "60"), "--warmup", Usage);
            var warmupSeconds = ProbeArguments.Seconds(line.Single("--warmup-seconds", "1"), "--warmup-seconds", Usage);
            var type = line.Single("--type", "double");
            var kernel = type switch
            {
                "double" => Kernel<double>(line.Single("--loss", "mse"), shape),
                "float" => Kernel<float>(line.Single("--loss", "mse"), shape),
                _ => throw new UsageException($"--type must be double or float, not '{type}'. {Usage}"),
            };

            var passTimes = new double[pairs];
            var kernelTimes = new double[pairs];
            var ratios = new double[pairs];
            double sink = 0;

            // At least the warm-up count, and at least the warm-up time: the runtime compiles a method's optimized code
            // some 100 ms after its last new method and 30 calls later, so a few short calls would be timed as the
            // unoptimized first tier (at 20,000 × 16 with AVX2 off, 100 warm-up pairs measured 2.7× the optimized kernel).
            var warmupStart = Stopwatch.GetTimestamp();
            for (var i = 0; i < warmup || Stopwatch.GetElapsedTime(warmupStart).TotalSeconds < warmupSeconds; i++)
            {
                sink += kernel.Pass() + kernel.Call();
            }

            var ticksPerMillisecond = CpuTimeClock.CurrentThread.Frequency.Hertz / 1000.0;
            for (var i = 0; i < pairs; i++)
            {
                var start = CpuTimeClock.CurrentThread.GetTimestamp();
                sink += kernel.Pass();
                var middle = CpuTimeClock.CurrentThread.GetTimestamp();
                sink += kernel.Call();
                var end = CpuTimeClock.CurrentThread.GetTimestamp();
                passTimes[i] = (middle - start) / ticksPerMillisecond;
                kernelTimes[i] = (end - middle) / ticksPerMillisecond;
                ratios[i] = kernelTimes[i] / passTimes[i];
            }

            Array.Sort(ratios);
            output.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"{line.Single("--loss", "mse")} {(type == "float" ? "float " : "")}{shape}: read-only pass {ProbeArguments.Median(passTimes):F3} ms, kernel {ProbeArguments.Median(kernelTimes):F3} ms, ratio {ProbeArguments.Median(ratios):F3} (quartiles {ratios[pairs / 4]:F3}–{ratios[3 * pairs / 4]:F3}, {pairs} pairs){(double.IsNaN(sink) ? " NaN" : "")}"));
            return ExitCodes.Passed;
        }
        catch (UsageException e)
        {
            output.WriteLine(e.Message);
            return ExitCodes.Usage;
        }
    }

    private const string Usage = "usage: paired --loss mse|huber|logistic|poisson|softmax [--type double|float] [--shape NxD] [--pairs N] [--warmup N] [--warmup-seconds S]";

    private static PairedKernel Kernel<T>(string loss, Shape shape)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var random = new Random(42);
        var (n, d) = (shape.Rows, shape.Columns);
        var x = new T[n * d];
        for (var i = 0; i < x.Length; i++)
        {
            x[i] = T.CreateTruncating(random.NextDouble() - 0.5);
        }

        T[] targets = [.. Enumerable.Range(0, n).Select(_ => T.CreateTruncating(random.NextDouble()))];
        T[] labels = [.. Enumerable.Range(0, n).Select(_ => T.CreateTruncating(random.Next(2)))];
        T[] weights = [.. Enumerable.Range(0, d).Select(_ => T.CreateTruncating(random.NextDouble() - 0.5))];
        var gradient = new T[d];
        const int Classes = 10;
        Func<T> call = loss switch
        {
            "mse" => () => MeanSquaredError.LossAndGradient<T>(x, targets, weights, gradient),
            "huber" => () => HuberLoss.LossAndGradient<T>(x, targets, weights, gradient),
            "logistic" => () => LogisticLoss.LossAndGradient<T>(x, labels, weights, gradient),
            "poisson" => () => PoissonLoss.LossAndGradient<T>(x, labels, weights, gradient),
            "softmax" => Softmax(x, random, n, d, Classes),
            _ => throw new UsageException($"--loss must be mse, huber, logistic, poisson or softmax, not '{loss}'. {Usage}"),
        };

        // The read-only pass of the kernels' width: 256-bit, or 128-bit where 256-bit vectors are not accelerated.
        return new(
            () => double.CreateTruncating(Vector256.IsHardwareAccelerated ? ReadOnlyPass.Sum256<T>(x) : ReadOnlyPass.Sum128<T>(x)),
            () => double.CreateTruncating(call()));
    }

    private static Func<T> Softmax<T>(T[] x, Random random, int n, int d, int classes)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var labels = Enumerable.Range(0, n).Select(_ => random.Next(classes)).ToArray();
        T[] weights = [.. Enumerable.Range(0, d * classes).Select(_ => T.CreateTruncating(random.NextDouble() - 0.5))];
        var gradient = new T[d * classes];
        return () => SoftmaxCrossEntropy.LossAndGradient<T>(x, labels, weights, gradient);
    }

    private sealed record PairedKernel(Func<double> Pass, Func<double> Call);
}
