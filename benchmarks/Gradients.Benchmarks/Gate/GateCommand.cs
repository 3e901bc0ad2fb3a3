using System.Globalization;
using System.Text.RegularExpressions;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Exporters.Json;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using Perfolizer.Horology;

namespace Gradients.Benchmarks.Gate;

/// <summary>
/// <c>gate [--filter GLOB...] [--thresholds FILE] [--results FILE|DIR...] [--artifacts DIR] [--retries N] [--suggest FILE [--margin X]]</c>:
/// runs the benchmarks in a short job (or reads results already exported), checks every ratio to the in-run
/// baseline and every allocation against the thresholds, prints the table and writes it to <c>gate.md</c>.
/// A ratio above its threshold is re-measured (with its baseline) up to <c>--retries</c> times (default 1), and
/// fails only if it stays above in every attempt.
/// Exit code 0: passed; 1: a regression, a benchmark without a threshold, a stale threshold (in a full run) or a
/// failed benchmark; 2: the command line or an input file is wrong.
/// </summary>
public static class GateCommand
{
    /// <summary>The process exit code when the command line or an input file is wrong.</summary>
    public const int UsageExitCode = 2;

    /// <summary>
    /// The gate's job: one launch, 3 warm-up and 5 measured iterations of about 250 ms each. Shorter than
    /// BenchmarkDotNet's default job (which runs until the error is small) so the whole suite runs in minutes; enough
    /// for ratios, because the baseline runs in the same process minutes apart and drifts with the benchmark.
    /// </summary>
    public static Job GateJob { get; } = Job.Default
        .WithId("Gate")
        .WithLaunchCount(1)
        .WithWarmupCount(3)
        .WithIterationCount(5)
        .WithIterationTime(TimeInterval.FromMilliseconds(250));

    /// <summary>Runs the gate; returns the process exit code.</summary>
    public static int Run(IReadOnlyList<string> args, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        try
        {
            return RunChecked(args, output);
        }
        catch (Exception e) when (e is UsageException or InvalidDataException or FileNotFoundException)
        {
            output.WriteLine($"gate: {e.Message}");
            return UsageExitCode;
        }
    }

    private static int RunChecked(IReadOnlyList<string> args, TextWriter output)
    {
        var line = CommandLine.Parse(args, "--filter", "--thresholds", "--results", "--artifacts", "--suggest", "--margin", "--retries");
        if (line.Positional.Count > 0)
        {
            throw new UsageException($"unexpected argument '{line.Positional[0]}'. Usage: gate [--filter GLOB...] [--thresholds FILE] [--results FILE|DIR...] [--artifacts DIR] [--retries N] [--suggest FILE [--margin X]]");
        }

        if (line.Unknown.Any(a => a is "--job" or "-j" or "--runtimes" or "-r"))
        {
            throw new UsageException("the gate chooses its own job (see GateCommand.GateJob); run without --job/--runtimes.");
        }

        var root = RepositoryRoot();
        var thresholdsPath = line.Single("--thresholds", Path.Combine(root, "benchmarks", "thresholds.json"));
        var artifacts = Path.GetFullPath(line.Single("--artifacts", Path.Combine(root, "artifacts", "benchmarks")));
        var margin = ParseMargin(line.Single("--margin", "1.5"));
        var retries = ParseRetries(line.Single("--retries", "1"));
        var filters = line.Values("--filter").Where(f => f != "*").ToArray();
        var thresholds = ThresholdFile.Load(thresholdsPath);

        GateReport report;
        if (line.Has("--results"))
        {
            if (line.Unknown.Count > 0)
            {
                throw new UsageException($"'{line.Unknown[0]}' is a BenchmarkDotNet option; with --results nothing is run.");
            }

            var all = BenchmarkResults.ReadJson(line.Values("--results"), BenchmarkDeclarations.FromLoadedAssemblies());
            var measurements = filters.Length == 0 ? all : all.Where(m => MatchesAny(m, filters)).ToArray();
            report = RegressionGate.Evaluate(measurements, thresholds, partialRun: filters.Length > 0);
        }
        else
        {
            var attempts = new List<IReadOnlyList<BenchmarkMeasurement>>();
            if (!TryRun(filters.Length == 0 ? ["*"] : filters, line.Unknown, artifacts, output, attempts))
            {
                return GateReport.FailedExitCode;
            }

            report = RegressionGate.EvaluateAttempts(attempts, thresholds, partialRun: filters.Length > 0);
            for (var retry = 1; retry <= retries; retry++)
            {
                var slow = report.Rows
                    .Where(r => r.Findings.Contains(GateFinding.RatioAboveThreshold) || r.Findings.Contains(GateFinding.AllocationAboveThreshold))
                    .ToArray();
                if (slow.Length == 0)
                {
                    break;
                }

                output.WriteLine($"gate: {slow.Length} ratios or allocations above their threshold; re-running them with their baselines (re-run {retry} of {retries}).");
                if (!TryRun(RerunFilters(slow, attempts[0]), line.Unknown, Path.Combine(artifacts, $"rerun-{retry}"), output, attempts))
                {
                    return GateReport.FailedExitCode;
                }

                report = RegressionGate.EvaluateAttempts(attempts, thresholds, partialRun: filters.Length > 0);
            }
        }

        var markdown = report.ToMarkdown();
        Directory.CreateDirectory(artifacts);
        var tablePath = Path.Combine(artifacts, "gate.md");
        File.WriteAllText(tablePath, $"## Benchmark gate\n\nThresholds: `{Path.GetRelativePath(root, Path.GetFullPath(thresholdsPath))}`\n\n{markdown}");
        output.WriteLine();
        output.Write(markdown);
        output.WriteLine($"gate: table written to {tablePath}");

        if (line.Has("--suggest"))
        {
            var suggestPath = line.Single("--suggest", "");
            var source = $"gate run {DateTime.UtcNow:yyyy-MM-dd} on {Environment.MachineName} ({Environment.ProcessorCount} logical cores)";
            File.WriteAllText(suggestPath, RegressionGate.SuggestThresholds(report, margin, source));
            output.WriteLine($"gate: suggested thresholds (measured × {margin.ToString(CultureInfo.InvariantCulture)}) written to {suggestPath}");
        }

        return report.ExitCode;
    }

    /// <summary>
    /// The configuration of the gate's run: <see cref="GateJob"/>, the memory diagnoser, the full JSON export (one
    /// file per class, <c>results/Namespace.Class-report-full.json</c>, overwritten by the next run).
    /// </summary>
    public static IConfig Config(string artifactsPath) =>
        ManualConfig.Create(DefaultConfig.Instance)
            .AddJob(GateJob)
            .AddDiagnoser(MemoryDiagnoser.Default)
            .AddExporter(JsonExporter.Full)
            .WithArtifactsPath(artifactsPath);

    /// <summary>
    /// Whether a measurement matches one of BenchmarkDotNet-style glob patterns (<c>*</c>, <c>?</c>, case-insensitive),
    /// tried against <c>Namespace.Type.Method</c> and against the full name with parameters.
    /// </summary>
    public static bool MatchesAny(BenchmarkMeasurement measurement, IEnumerable<string> globs)
    {
        ArgumentNullException.ThrowIfNull(measurement);
        ArgumentNullException.ThrowIfNull(globs);
        var names = new[] { $"{measurement.Namespace}.{measurement.Key.Type}.{measurement.Key.Method}", measurement.FullName };
        return globs.Any(glob =>
        {
            var pattern = "^" + Regex.Escape(glob).Replace("\\*", ".*", StringComparison.Ordinal).Replace("\\?", ".", StringComparison.Ordinal) + "$";
            return names.Any(name => Regex.IsMatch(name, pattern, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant));
        });
    }

    /// <summary>The folder holding <c>Gradients.sln</c> above the current directory, or the current directory.</summary>
    public static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(Environment.CurrentDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Gradients.sln")))
            {
                return directory.FullName;
            }
        }

        return Environment.CurrentDirectory;
    }

    // Runs the benchmarks matching the globs and appends their measurements as one attempt; false on validation errors.
    private static bool TryRun(string[] globs, IReadOnlyList<string> passThrough, string artifacts, TextWriter output, List<IReadOnlyList<BenchmarkMeasurement>> attempts)
    {
        string[] benchmarkArgs = ["--filter", .. globs, .. passThrough];
        var summaries = BenchmarkSwitcher.FromAssembly(typeof(GateCommand).Assembly).Run(benchmarkArgs, Config(artifacts)).ToArray();
        var invalid = summaries.SelectMany(s => s.ValidationErrors).Where(e => e.IsCritical).ToArray();
        foreach (var error in invalid)
        {
            output.WriteLine($"gate: BenchmarkDotNet validation error: {error.Message}");
        }

        foreach (var directory in summaries.Select(s => s.ResultsDirectoryPath).Distinct())
        {
            output.WriteLine($"gate: BenchmarkDotNet results (JSON, CSV, Markdown) are in {directory}");
        }

        attempts.Add(BenchmarkResults.FromSummaries(summaries));
        return invalid.Length == 0;
    }

    // Globs selecting the given benchmarks' methods and the baselines of their classes (every parameter set).
    private static string[] RerunFilters(IEnumerable<GateRow> rows, IReadOnlyList<BenchmarkMeasurement> run)
    {
        static string Glob(BenchmarkMeasurement m)
        {
            var open = m.Key.Type.IndexOf('<', StringComparison.Ordinal);
            var type = open < 0 ? m.Key.Type : m.Key.Type[..open] + "*";
            return string.IsNullOrEmpty(m.Namespace) ? $"{type}.{m.Key.Method}" : $"{m.Namespace}.{type}.{m.Key.Method}";
        }

        return rows
            .Select(r => r.Measurement)
            .SelectMany(m => run.Where(b => b.IsBaseline && b.ComparisonGroup == m.ComparisonGroup).Append(m))
            .Select(Glob)
            .Distinct(StringComparer.Ordinal)
            .ToArray();
    }

    private static int ParseRetries(string text) =>
        int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var retries) && retries is >= 0 and <= 5
            ? retries
            : throw new UsageException($"--retries must be a whole number from 0 to 5, not '{text}'.");

    private static double ParseMargin(string text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var margin) && margin >= 1 && double.IsFinite(margin)
            ? margin
            : throw new UsageException($"--margin must be a number ≥ 1 (the factor between measured and allowed), not '{text}'.");
}
