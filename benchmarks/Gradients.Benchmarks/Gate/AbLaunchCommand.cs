using System.Globalization;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Exporters.Json;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Perfolizer.Horology;

namespace Gradients.Benchmarks.Gate;

/// <summary>
/// <c>ab-launch --filter GLOB --artifacts DIR --warmup N --iterations N --iteration-ms N --clock cpu|wall
/// [--calling-thread-allocations] [--case NAME ...]</c>: one launch of the A/B gate, run by <see cref="AbCommand"/> in each of the two
/// builds — the same job on both sides, in process, with the memory diagnoser and the full JSON export; with the
/// last option, each case's bytes per call on the calling thread are added to the export
/// (<see cref="CallingThreadAllocations"/>); with <c>--case</c>, only the named cases of the matched methods run
/// (<see cref="AbCaseFilter"/>). Not meant to be typed.
/// </summary>
public static class AbLaunchCommand
{
    /// <summary>The subcommand's name; <see cref="AbCommand"/> checks that a build has this class before using it.</summary>
    public const string Name = "ab-launch";

    /// <summary>The option that adds the calling thread's bytes per call to the export.</summary>
    public const string CallingThreadOption = "--calling-thread-allocations";

    /// <summary>Runs one launch; returns 0 when every benchmark ran, 1 otherwise, 2 on a wrong command line.</summary>
    public static int Run(IReadOnlyList<string> args, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        try
        {
            var line = CommandLine.Parse(args, "--filter", "--artifacts", "--warmup", "--iterations", "--iteration-ms", "--clock", CallingThreadOption, AbCaseFilter.Option);
            if (line.Positional.Count > 0 || line.Unknown.Count > 0 || line.Values("--filter").Count == 0 || line.Values(CallingThreadOption).Count > 0)
            {
                throw new UsageException($"usage: ab-launch --filter GLOB --artifacts DIR --warmup N --iterations N --iteration-ms N --clock thread|cpu|wall [{CallingThreadOption}] [{AbCaseFilter.Option} NAME ...]");
            }

            var job = Job.Default
                .WithId("AB")
                .WithToolchain(InProcessEmitToolchain.Instance)
                .WithLaunchCount(1)
                .WithWarmupCount(Count(line.Single("--warmup", "1")))
                .WithIterationCount(Count(line.Single("--iterations", "5")))
                .WithIterationTime(TimeInterval.FromMilliseconds(Count(line.Single("--iteration-ms", "100"))));
            job = line.Single("--clock", "thread") switch
            {
                "cpu" => job.WithClock(CpuTimeClock.Process),
                "thread" => job.WithClock(CpuTimeClock.CurrentThread),
                "wall" => job,
                var other => throw new UsageException($"--clock must be thread, cpu or wall, not '{other}'."),
            };
            var artifacts = line.Single("--artifacts", Path.Combine(Environment.CurrentDirectory, "ab-launch"));
            var config = ManualConfig.CreateEmpty()
                .AddColumnProvider(BenchmarkDotNet.Columns.DefaultColumnProviders.Instance)
                .AddLogger(BenchmarkDotNet.Loggers.ConsoleLogger.Default)
                .AddJob(job)
                .AddDiagnoser(MemoryDiagnoser.Default)
                .AddExporter(JsonExporter.Full)
                .WithArtifactsPath(artifacts)
                .WithOptions(ConfigOptions.DisableLogFile);
            if (line.Values(AbCaseFilter.Option) is { Count: > 0 } cases)
            {
                config = config.AddFilter(AbCaseFilter.For(cases));
            }

            var summaries = BenchmarkSwitcher.FromAssembly(typeof(AbLaunchCommand).Assembly)
                .Run(["--filter", .. line.Values("--filter")], config)
                .ToArray();
            var failed = summaries.Length == 0 || summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success));
            if (line.Has(CallingThreadOption))
            {
                CallingThreadAllocations.AddToExports(summaries, Path.Combine(artifacts, "results"));
            }

            return failed ? ExitCodes.Failed : ExitCodes.Passed;
        }
        catch (UsageException e)
        {
            output.WriteLine($"{Name}: {e.Message}");
            return ExitCodes.Usage;
        }
    }

    private static int Count(string text) =>
        int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var count) && count is >= 1 and <= 10_000
            ? count
            : throw new UsageException($"expected a whole number from 1 to 10000, not '{text}'.");
}
