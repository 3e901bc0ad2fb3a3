using System.Diagnostics;
using System.Globalization;
using System.Numerics;
using System.Reflection;
using System.Runtime.Loader;

namespace Gradients.Benchmarks.Gate;

/// <summary>
/// <c>builds --base PATH --head PATH [--loss mse|huber|logistic|poisson] [--type double|float] [--arithmetic accurate|fast]
/// [--shape 50x4] [--batches 200] [--calls N] [--warmup-seconds 2]</c>: two builds of the library in one process, each in
/// its own <see cref="AssemblyLoadContext"/>, their public <c>LossAndGradient(features, targets, weights, gradient)</c>
/// called in alternating batches on the same data (thread CPU time per batch; the order flips every batch), and the
/// median of the per-batch ratios head ÷ base. PATH is a <c>Gradients.dll</c> or a directory that holds one (a build's
/// output). <c>--arithmetic fast</c> (float, and a loss whose options take it: mse, huber, logistic) calls the overload
/// with options instead, <c>FloatArithmetic = Fast</c>.
/// </summary>
/// <remarks>
/// On the shared two-core VMs where the kernels are tuned the machine's speed moves in steps of a third, for a fraction
/// of a second to several seconds (docs/benchmarks.md, Zen 4 item 23). A BenchmarkDotNet round runs one build per
/// process, so a step inside one of them moves that round's ratio by as much; batches of about 0.1 ms that alternate
/// see the same steps. Base against itself reads 0.98–1.02 at (50 × 4); 4–5 % differences between builds showed in
/// every process. A probe for tuning, not the gate: the gate's verdicts come from BenchmarkDotNet (<see cref="AbCommand"/>).
/// Data as in <c>paired</c>; one thread.
/// </remarks>
public static class BuildPairCommand
{
    /// <summary>The subcommand's name.</summary>
    public const string Name = "builds";

    private const string Usage = "usage: builds --base PATH --head PATH [--loss mse|huber|logistic|poisson] [--type double|float] [--arithmetic accurate|fast] [--shape NxD] [--batches N] [--calls N] [--warmup-seconds S] (PATH: a Gradients.dll, or the directory of one)";

    /// <summary>Elements of X a batch reads when <c>--calls</c> is not given: about 0.1 ms of work.</summary>
    private const long BatchElements = 200_000;

    /// <summary>Runs the comparison; writes one line of medians; returns 0, or 2 on a wrong command line.</summary>
    public static int Run(IReadOnlyList<string> args, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        try
        {
            var line = CommandLine.Parse(args, "--base", "--head", "--loss", "--type", "--arithmetic", "--shape", "--batches", "--calls", "--warmup-seconds");
            if (line.Positional.Count > 0 || line.Unknown.Count > 0)
            {
                throw new UsageException(Usage);
            }

            var basePath = Library(line.Single("--base", ""), "--base");
            var headPath = Library(line.Single("--head", ""), "--head");
            var (rows, columns) = ProbeArguments.Shape(line.Single("--shape", "50x4"), Usage);
            var batches = ProbeArguments.Count(line.Single("--batches", "200"), "--batches", Usage);
            var calls = line.Has("--calls")
                ? ProbeArguments.Count(line.Single("--calls", "1"), "--calls", Usage)
                : (int)Math.Max(1, BatchElements / ((long)rows * columns));
            var warmupSeconds = ProbeArguments.Seconds(line.Single("--warmup-seconds", "2"), "--warmup-seconds", Usage);
            var loss = line.Single("--loss", "mse");
            var type = line.Single("--type", "double");
            var typeName = loss switch
            {
                "mse" => "MeanSquaredError",
                "huber" => "HuberLoss",
                "logistic" => "LogisticLoss",
                "poisson" => "PoissonLoss",
                _ => throw new UsageException($"--loss must be mse, huber, logistic or poisson, not '{loss}'. {Usage}"),
            };
            var arithmetic = line.Single("--arithmetic", "accurate");
            var fast = arithmetic switch
            {
                "accurate" => false,
                "fast" when type == "float" && loss != "poisson" => true,
                "fast" => throw new UsageException($"--arithmetic fast takes --type float and --loss mse, huber or logistic (the losses whose options have FloatArithmetic). {Usage}"),
                _ => throw new UsageException($"--arithmetic must be accurate or fast, not '{arithmetic}'. {Usage}"),
            };
            var (baseCall, headCall) = type switch
            {
                "double" => Calls<double>(basePath, headPath, typeName, loss, rows, columns, fast),
                "float" => Calls<float>(basePath, headPath, typeName, loss, rows, columns, fast),
                _ => throw new UsageException($"--type must be double or float, not '{type}'. {Usage}"),
            };

            double sink = 0;
            var warmupStart = Stopwatch.GetTimestamp();
            do
            {
                sink += baseCall(calls) + headCall(calls);
            }
            while (Stopwatch.GetElapsedTime(warmupStart).TotalSeconds < warmupSeconds);

            var clock = CpuTimeClock.CurrentThread;
            var nanosecondsPerTick = 1e9 / clock.Frequency.Hertz;
            double Time(Func<int, double> call)
            {
                var start = clock.GetTimestamp();
                sink += call(calls);
                return (clock.GetTimestamp() - start) * nanosecondsPerTick / calls;
            }

            var baseTimes = new double[batches];
            var headTimes = new double[batches];
            var ratios = new double[batches];
            for (var b = 0; b < batches; b++)
            {
                if ((b & 1) == 0)
                {
                    baseTimes[b] = Time(baseCall);
                    headTimes[b] = Time(headCall);
                }
                else
                {
                    headTimes[b] = Time(headCall);
                    baseTimes[b] = Time(baseCall);
                }

                ratios[b] = headTimes[b] / baseTimes[b];
            }

            Array.Sort(ratios);
            output.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"{loss} {(type == "float" ? "float " : "")}{(fast ? "fast " : "")}{rows}x{columns}: base {ProbeArguments.Median(baseTimes):F1} ns, head {ProbeArguments.Median(headTimes):F1} ns a call, head ÷ base {ratios[batches / 2]:F3} (quartiles {ratios[batches / 4]:F3}–{ratios[3 * batches / 4]:F3}, {batches} batches of {calls} calls){(double.IsNaN(sink) ? " NaN" : "")}"));
            return ExitCodes.Passed;
        }
        catch (UsageException e)
        {
            // The command line's own errors (an option given twice) do not carry the usage line.
            output.WriteLine(e.Message.Contains(Usage, StringComparison.Ordinal) ? e.Message : $"{e.Message} {Usage}");
            return ExitCodes.Usage;
        }
    }

    /// <summary>The full path of the <c>Gradients.dll</c> that <paramref name="path"/> names (the file, or a directory holding it).</summary>
    private static string Library(string path, string option)
    {
        if (path.Length == 0)
        {
            throw new UsageException($"{option} is required. {Usage}");
        }

        var file = Directory.Exists(path) ? Path.Combine(path, "Gradients.dll") : path;
        return File.Exists(file)
            ? Path.GetFullPath(file)
            : throw new UsageException($"{option} '{path}' is neither a Gradients.dll nor a directory that holds one. {Usage}");
    }

    /// <summary>The two builds' calls of <c>count</c> loss evaluations on one data set (X, targets or labels, w as in <c>paired</c>).</summary>
    private static (Func<int, double> Base, Func<int, double> Head) Calls<T>(string basePath, string headPath, string typeName, string loss, int rows, int columns, bool fast)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var random = new Random(42);
        var x = new T[rows * columns];
        for (var i = 0; i < x.Length; i++)
        {
            x[i] = T.CreateTruncating(random.NextDouble() - 0.5);
        }

        var counts = loss is "logistic" or "poisson";
        T[] targets = [.. Enumerable.Range(0, rows).Select(_ => T.CreateTruncating(counts ? random.Next(2) : random.NextDouble()))];
        T[] weights = [.. Enumerable.Range(0, columns).Select(_ => T.CreateTruncating(random.NextDouble() - 0.5))];
        var gradient = new T[columns];

        Func<int, double> Load(string path, string context)
        {
            var assembly = new AssemblyLoadContext(context).LoadFromAssemblyPath(path);
            var type = assembly.GetType("Gradients." + typeName)
                ?? throw new UsageException($"'{path}' has no Gradients.{typeName}. {Usage}");
            var method = Array.Find(
                type.GetMethods(BindingFlags.Public | BindingFlags.Static),
                m => m.Name == "LossAndGradient" && m.IsGenericMethodDefinition && m.GetParameters().Length == (fast ? 5 : 4) && m.GetParameters()[3].ParameterType.IsByRefLike)
                ?? throw new UsageException($"'{path}' has no {typeName}.LossAndGradient(features, targets, weights, gradient{(fast ? ", options" : "")}). {Usage}");
            if (fast)
            {
                // The options type is this load context's own: the call is built by a generic method made for it.
                var optionsType = method.GetParameters()[4].ParameterType;
                var property = optionsType.GetProperty("FloatArithmetic")
                    ?? throw new UsageException($"'{path}' has no {optionsType.Name}.FloatArithmetic (a build before it). {Usage}");
                var options = Activator.CreateInstance(optionsType)!;
                property.SetValue(options, Enum.Parse(property.PropertyType, "Fast"));
                var factory = typeof(BuildPairCommand).GetMethod(nameof(CallWithOptions), BindingFlags.NonPublic | BindingFlags.Static)!
                    .MakeGenericMethod(typeof(T), optionsType);
                return (Func<int, double>)factory.Invoke(null, [method.MakeGenericMethod(typeof(T)), options, x, targets, weights, gradient])!;
            }

            var call = method.MakeGenericMethod(typeof(T)).CreateDelegate<LossAndGradient<T>>();
            return count =>
            {
                var sum = 0.0;
                for (var k = 0; k < count; k++)
                {
                    sum += double.CreateTruncating(call(x, targets, weights, gradient));
                }

                return sum;
            };
        }

        return (Load(basePath, "base"), Load(headPath, "head"));
    }

    /// <summary><c>count</c> calls of <paramref name="method"/> (a <c>LossAndGradient</c> with options) with <paramref name="options"/>.</summary>
    private static Func<int, double> CallWithOptions<T, TOptions>(MethodInfo method, object options, T[] x, T[] targets, T[] weights, T[] gradient)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var call = method.CreateDelegate<LossAndGradientWithOptions<T, TOptions>>();
        var value = (TOptions)options;
        return count =>
        {
            var sum = 0.0;
            for (var k = 0; k < count; k++)
            {
                sum += double.CreateTruncating(call(x, targets, weights, gradient, value));
            }

            return sum;
        };
    }

    private delegate T LossAndGradient<T>(ReadOnlySpan<T> features, ReadOnlySpan<T> targets, ReadOnlySpan<T> weights, Span<T> gradient);

    private delegate T LossAndGradientWithOptions<T, TOptions>(ReadOnlySpan<T> features, ReadOnlySpan<T> targets, ReadOnlySpan<T> weights, Span<T> gradient, TOptions options);
}
