using System.Diagnostics;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Loggers;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace Gradients.Benchmarks.Gate;

/// <summary>
/// <c>smoke [--filter GLOB...]</c>: runs every benchmark once (BenchmarkDotNet's Dry job, in this process) so none
/// can rot — a benchmark that throws, a broken setup, an invalid class all fail it. It measures nothing worth
/// keeping. BenchmarkDotNet's log goes to a file; the console gets one line per benchmark, and on failure the
/// log's last lines. Exit code 0 when every benchmark ran, 1 otherwise (or when none matched).
/// </summary>
public static class SmokeCommand
{
    /// <summary>
    /// One cold invocation per benchmark, in process: measured on the 2-core CI machine, the in-process toolchain
    /// ran a 12-case class in 0.7 s where the default toolchain (a generated project built, one process per case)
    /// took 7.5 s.
    /// </summary>
    public static Job SmokeJob { get; } = Job.Dry.WithToolchain(InProcessEmitToolchain.Instance).WithId("Smoke");

    /// <summary>Runs the smoke test; returns the process exit code.</summary>
    public static int Run(IReadOnlyList<string> args, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        var line = CommandLine.Parse(args, "--filter", "--artifacts");
        if (line.Positional.Count > 0)
        {
            output.WriteLine($"smoke: unexpected argument '{line.Positional[0]}'. Usage: smoke [--filter GLOB...] [--artifacts DIR]");
            return ExitCodes.Usage;
        }

        var artifacts = Path.GetFullPath(line.Single("--artifacts", Path.Combine(ExitCodes.RepositoryRoot(), "artifacts", "benchmarks", "smoke")));
        Directory.CreateDirectory(artifacts);
        var logPath = Path.Combine(artifacts, "smoke.log");
        var stopwatch = Stopwatch.StartNew();
        var filters = line.Values("--filter");
        string[] benchmarkArgs = ["--filter", .. filters.Count == 0 ? ["*"] : filters, .. line.Unknown];

        BenchmarkDotNet.Reports.Summary[] summaries;
        using (var logger = new StreamLogger(logPath))
        {
            var config = ManualConfig.CreateEmpty()
                .AddColumnProvider(DefaultColumnProviders.Instance)
                .AddLogger(logger)
                .AddJob(SmokeJob)
                .AddDiagnoser(MemoryDiagnoser.Default)
                .WithArtifactsPath(artifacts)
                .WithOptions(ConfigOptions.DisableLogFile);
            summaries = BenchmarkSwitcher.FromAssembly(typeof(SmokeCommand).Assembly).Run(benchmarkArgs, config).ToArray();
        }

        var ran = 0;
        var failed = 0;
        foreach (var error in summaries.SelectMany(s => s.ValidationErrors).Where(e => e.IsCritical))
        {
            failed++;
            output.WriteLine($"FAILED  validation: {error.Message}");
        }

        var log = File.ReadAllLines(logPath);
        foreach (var report in summaries.SelectMany(s => s.Reports))
        {
            ran++;
            var benchmark = report.BenchmarkCase;
            var parameters = benchmark.HasParameters ? $" {benchmark.Parameters.DisplayInfo}" : "";
            var ok = report.Success && report.ResultStatistics is not null;
            output.WriteLine($"{(ok ? "ok    " : "FAILED")}  {BenchmarkResults.TypeName(benchmark.Descriptor.Type)}.{benchmark.Descriptor.WorkloadMethod.Name}{parameters}");
            if (!ok)
            {
                failed++;
                foreach (var logLine in LogSection(log, benchmark.DisplayInfo))
                {
                    output.WriteLine("        " + logLine);
                }
            }
        }

        if (ran == 0)
        {
            output.WriteLine($"smoke: FAILED: no benchmark matched {string.Join(' ', benchmarkArgs)} — a smoke run that runs nothing proves nothing.");
        }

        output.WriteLine($"smoke: {ran} benchmarks ran once, {failed} failed ({stopwatch.Elapsed.TotalSeconds:F1} s); log: {logPath}");
        return failed == 0 && ran > 0 ? ExitCodes.Passed : ExitCodes.Failed;
    }

    // The log lines BenchmarkDotNet wrote while running one benchmark (where its exception is), at most 40.
    private static IEnumerable<string> LogSection(string[] log, string displayInfo)
    {
        var start = Array.IndexOf(log, "// Benchmark: " + displayInfo);
        return start < 0
            ? []
            : log.Skip(start).TakeWhile((line, i) => i == 0 || !(line.StartsWith("// Benchmark: ", StringComparison.Ordinal)
                    || line.StartsWith("// * ", StringComparison.Ordinal) || line.StartsWith("// *****", StringComparison.Ordinal)))
                .Where(line => line.Length > 0 && !line.StartsWith("// ", StringComparison.Ordinal))
                .Take(40);
    }
}
