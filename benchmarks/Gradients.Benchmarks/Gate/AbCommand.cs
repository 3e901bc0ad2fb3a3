using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Gradients.Benchmarks.Gate;

/// <summary>
/// <c>ab --base REF [--head REF] [--filter GLOB...] [--threshold 0.05] [--alpha 0.01] [--quick] [--launches N] [--work DIR] [--out DIR]</c>:
/// the benchmark gate. Builds the benchmark program of the base commit and of the head (the work tree by default),
/// runs every gated benchmark method in both, interleaved — A, B, B, A, A, B … one process per launch — on this
/// machine, and decides per benchmark with <see cref="AbDecision.Decide"/>. No stored numbers: base and head meet
/// the same machine, the same minutes, the same neighbours.
/// Exit code 0: no regression; 1: a regression (the table names it); 2: a wrong command line or a failed build.
/// </summary>
public static class AbCommand
{
    private const string Usage =
        "usage: ab --base REF [--head REF] [--filter GLOB...] [--threshold 0.05] [--alpha 0.01] [--quick] [--launches N] [--max-launches N] [--budget MINUTES] [--shard K/N] [--clock thread|cpu|wall] [--work DIR] [--out DIR]";

    /// <summary>The default relative slowdown tolerated: a regression must be significantly slower than base × 1.05.</summary>
    public const double DefaultThreshold = 0.05;

    /// <summary>The default significance level of the one-sided test, per benchmark.</summary>
    public const double DefaultAlpha = 0.01;

    /// <summary>
    /// How each launch measures: <paramref name="Launches"/> processes per side, each with
    /// <paramref name="WarmupCount"/> warm-up and <paramref name="IterationCount"/> measured iterations of
    /// <paramref name="IterationMilliseconds"/> ms per benchmark case, in process (BenchmarkDotNet's in-process
    /// toolchain: no generated project to build per launch).
    /// </summary>
    /// <param name="Launches">Processes per side and method.</param>
    /// <param name="WarmupCount">Warm-up iterations per case.</param>
    /// <param name="IterationCount">Measured iterations per case.</param>
    /// <param name="IterationMilliseconds">Target length of one iteration.</param>
    public sealed record Settings(int Launches, int WarmupCount, int IterationCount, int IterationMilliseconds)
    {
        /// <summary>
        /// The most launches a side a case in doubt gets (<see cref="AbSequentialPlan"/>): six times
        /// <see cref="Launches"/> unless set.
        /// </summary>
        public int MaxLaunches { get; init; } = 6 * Launches;

        /// <summary>
        /// No further look starts after this much time since the run began (builds included); the first look of every
        /// case always runs.
        /// </summary>
        public TimeSpan Budget { get; init; } = TimeSpan.FromMinutes(40);

        /// <summary>The clock the launches used: <c>thread</c> (the benchmark thread's CPU time), <c>cpu</c> (the process's) or <c>wall</c>.</summary>
        public string Clock { get; init; } = "thread";

        /// <summary>The part of the gated methods this run covers (<c>--shard K/N</c>), or <see langword="null"/> for all.</summary>
        public AbShard? Shard { get; init; }

        /// <summary>
        /// The default: 6 launches a side. With 6 against 6 the exact one-sided Mann–Whitney test reaches p &lt; 0.005
        /// (a look's level at α = 0.01) when at most 2 of the 36 (base, head) pairs are out of order.
        /// </summary>
        public static Settings Full { get; } = new(6, 1, 5, 100);

        /// <summary>
        /// <c>--quick</c>: 5 launches a side of shorter iterations (5 against 5 reaches p &lt; 0.005, a look's level,
        /// only with no pair out of order), further looks only until 14 minutes: a pull request's run stays near its
        /// 15-minute budget (a look started at the budget's end takes seconds to a minute).
        /// </summary>
        public static Settings Quick { get; } = new(5, 1, 5, 50) { Budget = TimeSpan.FromMinutes(14) };

        /// <summary>
        /// The command line of one launch of <paramref name="method"/> writing to <paramref name="directory"/>: the
        /// program's own <c>ab-launch</c> with the given clock, or (<paramref name="clock"/> null, for a base that
        /// predates <c>ab-launch</c>) the same job through BenchmarkDotNet's command line, which has only the wall clock.
        /// </summary>
        /// <param name="method">The benchmark method.</param>
        /// <param name="directory">The launch's artifacts folder.</param>
        /// <param name="clock">The clock, or null for BenchmarkDotNet's own command line.</param>
        /// <param name="countCallingThread">Whether the launch also counts each case's bytes per call on the calling thread.</param>
        public IEnumerable<string> LaunchArguments(BenchmarkMethod method, string directory, string? clock, bool countCallingThread = false) => clock is null
            ?
            [
                "--filter", method.Filter, "--inProcess", "--memory", "--launchCount", "1",
                "--warmupCount", Invariant(WarmupCount), "--iterationCount", Invariant(IterationCount),
                "--iterationTime", Invariant(IterationMilliseconds), "--exporters", "json", "--artifacts", directory, "--disableLogFile",
            ]
            :
            [
                AbLaunchCommand.Name, "--filter", method.Filter, "--artifacts", directory, "--clock", clock,
                "--warmup", Invariant(WarmupCount), "--iterations", Invariant(IterationCount), "--iteration-ms", Invariant(IterationMilliseconds),
                .. (countCallingThread ? [AbLaunchCommand.CallingThreadOption] : Array.Empty<string>()),
            ];
    }

    /// <summary>Runs the comparison; returns the process exit code.</summary>
    public static int Run(IReadOnlyList<string> args, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        try
        {
            return RunChecked(args, output);
        }
        catch (Exception e) when (e is UsageException or IOException or InvalidDataException)
        {
            output.WriteLine($"ab: {e.Message}");
            return ExitCodes.Usage;
        }
    }

    /// <summary>Reads a threshold: a fraction (<c>0.05</c>) or a percentage (<c>5%</c>), from 0 to below 1.</summary>
    /// <exception cref="UsageException">The text is neither.</exception>
    public static double ParseThreshold(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var trimmed = text.Trim();
        var percent = trimmed.EndsWith('%');
        if (double.TryParse(trimmed.TrimEnd('%'), NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
        {
            var fraction = percent ? value / 100 : value;
            if (fraction is >= 0 and < 1)
            {
                return fraction;
            }
        }

        throw new UsageException($"--threshold must be a fraction from 0 to below 1 (0.05) or a percentage (5%), not '{text}'.");
    }

    private static int RunChecked(IReadOnlyList<string> args, TextWriter output)
    {
        var line = CommandLine.Parse(args, "--base", "--head", "--filter", "--threshold", "--alpha", "--quick", "--launches", "--max-launches", "--budget", "--shard", "--work", "--out", "--clock");
        if (line.Positional.Count > 0 || line.Unknown.Count > 0 || !line.Has("--base") || line.Values("--quick").Count > 0)
        {
            throw new UsageException(Usage);
        }

        var root = ExitCodes.RepositoryRoot();
        var threshold = ParseThreshold(line.Single("--threshold", Invariant(DefaultThreshold)));
        var alpha = ParseAlpha(line.Single("--alpha", Invariant(DefaultAlpha)));
        var clock = line.Single("--clock", "thread");
        if (clock is not ("thread" or "cpu" or "wall"))
        {
            throw new UsageException($"--clock must be thread, cpu or wall, not '{clock}'.");
        }

        var settings = line.Has("--quick") ? Settings.Quick : Settings.Full;
        if (line.Has("--launches"))
        {
            var launches = ParseLaunches(line.Single("--launches", ""), "--launches");
            settings = settings with { Launches = launches, MaxLaunches = Math.Max(settings.MaxLaunches, launches) };
        }

        if (line.Has("--max-launches"))
        {
            settings = settings with { MaxLaunches = ParseLaunches(line.Single("--max-launches", ""), "--max-launches") };
            if (settings.MaxLaunches < settings.Launches)
            {
                throw new UsageException($"--max-launches ({settings.MaxLaunches}) must be at least the launches of the first look ({settings.Launches}).");
            }
        }

        if (line.Has("--budget"))
        {
            settings = settings with { Budget = ParseBudget(line.Single("--budget", "")) };
        }

        if (line.Has("--shard"))
        {
            settings = settings with { Shard = AbShard.Parse(line.Single("--shard", "")) };
        }

        var budget = settings.Budget;

        var filters = line.Values("--filter");
        var methods = BenchmarkCatalog.Find(typeof(AbCommand).Assembly)
            .Where(m => m.IsGated && (filters.Count == 0 || m.MatchesAny(filters)))
            .ToArray();
        if (methods.Length == 0)
        {
            throw new UsageException($"no gated benchmark matches {string.Join(' ', filters)} (reference rows are never gated).");
        }

        if (settings.Shard is { } shard)
        {
            var all = methods.Length;
            methods = shard.Select(methods);
            if (methods.Length == 0)
            {
                throw new UsageException($"shard {shard} is empty: {all} gated method{(all == 1 ? "" : "s")} cannot fill {shard.Count} shards.");
            }

            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ab: shard {shard}: {methods.Length} of the {all} gated methods ({string.Join(", ", methods.Select(m => m.DisplayName))})"));
        }

        var work = Path.GetFullPath(line.Single("--work", Path.Combine(Path.GetTempPath(), "gradients-ab")));
        var outDirectory = Path.GetFullPath(line.Single("--out", Path.Combine(root, "artifacts", "benchmarks", "ab")));
        var runDirectory = Path.Combine(work, "runs", $"{DateTime.UtcNow:yyyyMMdd-HHmmss}-{Environment.ProcessId}");
        Directory.CreateDirectory(runDirectory);
        var stopwatch = Stopwatch.StartNew();

        var baseBuild = BenchmarkProgramBuild.OfCommit(root, line.Single("--base", ""), Path.Combine(work, "builds"), output);
        var headBuild = line.Has("--head")
            ? BenchmarkProgramBuild.OfCommit(root, line.Single("--head", ""), Path.Combine(work, "builds"), output)
            : BenchmarkProgramBuild.CopyOfRunningProgram(Path.Combine(runDirectory, "head-bin"));
        var buildTime = stopwatch.Elapsed;

        // Both sides measure the same way: a CPU-time clock through ab-launch, unless a build predates it.

        string? launchClock = clock;
        if (!baseBuild.HasAbLaunch() || !headBuild.HasAbLaunch())
        {
            output.WriteLine($"ab: {(baseBuild.HasAbLaunch() ? headBuild.Label : baseBuild.Label)} predates ab-launch: both sides run through BenchmarkDotNet's command line, with the wall clock.");
            (launchClock, clock) = (null, "wall");
        }

        // The first launch of each side also counts the calling thread's bytes per call (deterministic, so once is
        // enough), when both programs can: the allocation verdict then rests on those counts.
        var countCallingThread = launchClock is not null && baseBuild.HasCallingThreadAllocations() && headBuild.HasCallingThreadAllocations();
        var plan = new AbSequentialPlan(settings.Launches, settings.MaxLaunches, threshold, alpha);
        var caseFilter = launchClock is not null && baseBuild.HasCaseFilter() && headBuild.HasCaseFilter();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"ab: {methods.Length} gated benchmark methods, {settings.Launches} launches a side, interleaved (up to {settings.MaxLaunches} for a case in doubt, until {budget.TotalMinutes:0.#} min); base {baseBuild.Label}, head {headBuild.Label}"));
        var cases = new Dictionary<string, CaseLaunches>(StringComparer.Ordinal);
        var failures = new List<string>();
        var launchFailures = 0;
        var runCounter = 0;

        // One round: the given launches a side of one method, interleaved A B, B A … (a drift of the machine during
        // the round falls on both sides alike); with 'only', just those cases (all of the method's cases run when a
        // build cannot filter them, and only those are kept).
        (int BaseFailed, int HeadFailed, int Cases) Round(BenchmarkMethod method, int launches, IReadOnlyCollection<string>? only, bool countBytes)
        {
            var failed = new int[2];
            var seen = new HashSet<string>(StringComparer.Ordinal);
            for (var launch = 0; launch < launches; launch++)
            {
                int[] order = launch % 2 == 0 ? [0, 1] : [1, 0];
                foreach (var side in order)
                {
                    var build = side == 0 ? baseBuild : headBuild;
                    var directory = Path.Combine(runDirectory, $"{runCounter++:D4}-{method.TypeName}.{method.Method}-{(side == 0 ? "base" : "head")}");
                    var arguments = settings.LaunchArguments(method, directory, launchClock, countBytes && launch == 0);
                    if (only is not null && caseFilter)
                    {
                        arguments = [.. arguments, .. only.SelectMany(name => new[] { AbCaseFilter.Option, name })];
                    }

                    if (!Launch(build, arguments, directory, method, side, cases, only, seen))
                    {
                        failed[side]++;
                    }
                }
            }

            return (failed[0], failed[1], seen.Count);
        }

        for (var index = 0; index < methods.Length; index++)
        {
            var method = methods[index];
            var methodStart = stopwatch.Elapsed;
            var (baseFailed, headFailed, count) = Round(method, settings.Launches, null, countCallingThread);
            launchFailures += baseFailed + headFailed;
            if (!cases.Values.Any(c => c.Method == method && c.Head.Times.Count > 0))
            {
                failures.Add($"{method.DisplayName}: no result in head ({headFailed} of {settings.Launches} launches failed; logs under {runDirectory})");
            }

            var failedText = baseFailed + headFailed > 0 ? $" ({baseFailed} base and {headFailed} head launches failed)" : "";
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"ab: [{index + 1}/{methods.Length}] {method.DisplayName}: {count} cases, {(stopwatch.Elapsed - methodStart).TotalSeconds:F0} s{failedText}"));
        }

        // Further looks for the cases in doubt while the budget lasts, the most urgent case first (with the other
        // cases in doubt of its method, which share its launches): when the budget ends, it was spent where a verdict
        // was nearest, not in the order of the catalog.
        var stalled = new HashSet<CaseLaunches>(ReferenceEqualityComparer.Instance); // cases whose last round added no launch (they failed): no more rounds
        while (true)
        {
            var inDoubt = cases.Values
                .Where(c => !stalled.Contains(c))
                .Select(c => (Case: c, Decision: plan.Decide(c.Base.ToSample(), c.Head.ToSample()), Launches: Math.Min(c.Base.Times.Count, c.Head.Times.Count)))
                .Select(c => (c.Case, c.Decision, c.Launches, More: plan.MoreLaunches(c.Decision, c.Launches)))
                .Where(c => c.More > 0)
                .ToList();
            if (inDoubt.Count == 0)
            {
                break;
            }

            if (stopwatch.Elapsed >= budget)
            {
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"ab: the {budget.TotalMinutes:0.#} min budget is spent: no further looks for {inDoubt.Count} cases in doubt; their verdicts rest on the launches made."));
                break;
            }

            inDoubt.Sort((x, y) => AbSequentialPlan.CompareUrgency(x.Decision, y.Decision));
            var first = inDoubt[0];
            var group = inDoubt.Where(c => c.Case.Method == first.Case.Method).ToArray();
            var roundStart = stopwatch.Elapsed;
            var names = group.Select(c => c.Case.Name).ToArray();
            var (baseFailed, headFailed, _) = Round(first.Case.Method, group.Max(c => c.More), names, false);
            launchFailures += baseFailed + headFailed;
            stalled.UnionWith(group.Where(c => Math.Min(c.Case.Base.Times.Count, c.Case.Head.Times.Count) == c.Launches).Select(c => c.Case));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"ab: look {(first.Launches / settings.Launches) + 1}, {first.Case.Method.DisplayName}: {names.Length} cases in doubt ({string.Join("; ", names)}; the first at ratio {first.Decision.Ratio:F3}, p = {first.Decision.PValueSlower:G2}), {(stopwatch.Elapsed - roundStart).TotalSeconds:F0} s"));
        }

        var results = cases.Values
            .OrderBy(c => Array.IndexOf(methods, c.Method)).ThenBy(c => c.Name, StringComparer.Ordinal)
            .Select(c =>
            {
                var (baseSample, headSample) = (c.Base.ToSample(), c.Head.ToSample());
                return new AbResult(c.Name, baseSample, headSample, plan.Decide(baseSample, headSample));
            })
            .ToArray();

        var report = Report(results, failures, baseBuild, headBuild, settings with { Clock = clock }, threshold, alpha, buildTime, stopwatch.Elapsed);
        Directory.CreateDirectory(outDirectory);
        File.WriteAllText(Path.Combine(outDirectory, "ab.md"), report);
        File.WriteAllText(Path.Combine(outDirectory, "ab-samples.json"), SamplesJson(results, baseBuild, headBuild, settings with { Clock = clock }, threshold, alpha));
        output.WriteLine();
        output.Write(report);
        output.WriteLine($"ab: table written to {Path.Combine(outDirectory, "ab.md")}, samples to ab-samples.json beside it");
        if (launchFailures == 0)
        {
            TryDelete(runDirectory); // kept when a launch failed: its log.txt says why
        }

        return results.Any(r => r.Decision.IsRegression) || failures.Count > 0 ? ExitCodes.Failed : ExitCodes.Passed;
    }

    /// <summary>The comparison's table and verdict in Markdown (regressions first).</summary>
    public static string Table(IReadOnlyList<AbResult> results)
    {
        ArgumentNullException.ThrowIfNull(results);
        var table = new MarkdownTable("Benchmark", "Base median:", "Head median:", "Head/base:", "p (slower):", "Launches:", "Base alloc:", "Head alloc:", "Verdict");
        var ordered = results
            .OrderBy(r => r.Decision.IsRegression ? 0 : r.Decision.Verdict == AbVerdict.Faster ? 1 : 2)
            .ThenByDescending(r => r.Decision.Ratio ?? 0);
        foreach (var r in ordered)
        {
            table.Add(
                r.Name,
                Time(r.Base.Nanoseconds),
                Time(r.Head.Nanoseconds),
                r.Decision.Ratio is { } ratio ? ratio.ToString("F3", CultureInfo.InvariantCulture) : "—",
                r.Decision.PValueSlower is { } p ? p.ToString(p < 0.001 ? "0.0e0" : "F3", CultureInfo.InvariantCulture) : "—",
                string.Create(CultureInfo.InvariantCulture, $"{r.Base.Nanoseconds.Count}/{r.Head.Nanoseconds.Count}"),
                Bytes(r.Decision.BaseBytes),
                Bytes(r.Decision.HeadBytes),
                r.Decision.Verdict switch
                {
                    AbVerdict.Slower => "**SLOWER**",
                    AbVerdict.AllocatesMore => "**ALLOCATES MORE**",
                    AbVerdict.MissingInHead => "**NO RESULT in head**",
                    AbVerdict.Faster => "faster",
                    AbVerdict.NewInHead => "new (no base)",
                    _ => "same",
                });
        }

        return table.ToString();
    }

    private static string Report(
        IReadOnlyList<AbResult> results, IReadOnlyList<string> failures, BenchmarkProgramBuild baseBuild, BenchmarkProgramBuild headBuild,
        Settings settings, double threshold, double alpha, TimeSpan buildTime, TimeSpan total)
    {
        var regressions = results.Count(r => r.Decision.IsRegression) + failures.Count;
        var text = new StringBuilder();
        text.Append("## Benchmark gate (A/B)\n\n")
            .Append(CultureInfo.InvariantCulture, $"Base **{baseBuild.Label}** against head **{headBuild.Label}**{(settings.Shard is { } shard ? $", shard {shard} of the gated methods" : "")}, interleaved on one machine ")
            .Append(CultureInfo.InvariantCulture, $"({Environment.ProcessorCount} logical cores): {settings.Launches} launches a side, each ")
            .Append(CultureInfo.InvariantCulture, $"{settings.WarmupCount} warm-up + {settings.IterationCount} × {settings.IterationMilliseconds} ms per case, {settings.Clock} clock; ")
            .Append(CultureInfo.InvariantCulture, $"a case whose head/base is above {1 + threshold:0.###} without significance gets {settings.Launches} more a side and another look, up to {settings.MaxLaunches} ")
            .Append(CultureInfo.InvariantCulture, $"(the Launches column; no new look after {settings.Budget.TotalMinutes:0.#} min). ")
            .Append(CultureInfo.InvariantCulture, $"A benchmark is SLOWER when head's launch medians exceed base's × {1 + threshold:0.###} ")
            .Append(CultureInfo.InvariantCulture, $"(one-sided Mann–Whitney at each look, p < {alpha / 2}, α = {alpha} over the looks); ALLOCATES MORE when head allocates 8 B or more per call than base. ")
            .Append("Reference rows (`[Reference]`) are not run. How to read and rerun: benchmarks/README.md#the-ab-gate.\n\n")
            .Append(Table(results)).Append('\n');
        foreach (var failure in failures)
        {
            text.Append("- **FAILED** ").Append(failure).Append('\n');
        }

        text.Append(CultureInfo.InvariantCulture,
            $"{results.Count} benchmarks: {results.Count(r => r.Decision.Verdict == AbVerdict.Slower)} slower, ")
            .Append(CultureInfo.InvariantCulture, $"{results.Count(r => r.Decision.Verdict == AbVerdict.AllocatesMore)} allocate more, ")
            .Append(CultureInfo.InvariantCulture, $"{results.Count(r => r.Decision.Verdict == AbVerdict.MissingInHead)} without a result in head, ")
            .Append(CultureInfo.InvariantCulture, $"{results.Count(r => r.Decision.Verdict == AbVerdict.Faster)} faster, ")
            .Append(CultureInfo.InvariantCulture, $"{results.Count(r => r.Decision.Verdict == AbVerdict.Same)} same, ")
            .Append(CultureInfo.InvariantCulture, $"{results.Count(r => r.Decision.Verdict == AbVerdict.NewInHead)} new. ")
            .Append(CultureInfo.InvariantCulture, $"Builds {buildTime.TotalMinutes:F1} min, total {total.TotalMinutes:F1} min.\n\n")
            .Append(regressions == 0 ? "**Gate PASSED**: no regression.\n" : $"**Gate FAILED**: {regressions} regressions.\n");
        return text.ToString();
    }

    // One process of one build running one method's cases; appends each case's median and bytes/op to its side
    // (only the cases in 'only', when given) and records the names in 'seen'. False when the process failed or wrote
    // no results.
    private static bool Launch(
        BenchmarkProgramBuild build, IEnumerable<string> launchArguments, string directory, BenchmarkMethod method, int side,
        Dictionary<string, CaseLaunches> cases, IReadOnlyCollection<string>? only, HashSet<string> seen)
    {
        Directory.CreateDirectory(directory);
        var (exitCode, _) = BenchmarkProgramBuild.RunTool("dotnet", ["exec", build.Assembly, .. launchArguments], directory, Path.Combine(directory, "log.txt"));
        var results = Path.Combine(directory, "results");
        if (!Directory.Exists(results) || Directory.GetFiles(results, "*.json").Length == 0)
        {
            return false;
        }

        foreach (var measurement in BenchmarkResults.ReadJson([results]))
        {
            var name = measurement.Key.ToString();
            if (measurement.MedianNanoseconds is not { } median || median <= 0 || (only is not null && !only.Contains(name)))
            {
                continue;
            }

            seen.Add(name);
            if (!cases.TryGetValue(name, out var launches))
            {
                launches = new CaseLaunches(name, method);
                cases.Add(name, launches);
            }

            var sample = side == 0 ? launches.Base : launches.Head;
            sample.Times.Add(median);
            if (measurement.AllocatedBytesPerOperation is { } bytes)
            {
                sample.Bytes.Add(bytes);
            }

            if (measurement.CallingThreadBytesPerOperation is { } callingThreadBytes)
            {
                sample.CallingThreadBytes.Add(callingThreadBytes);
            }
        }

        return exitCode == 0;
    }

    /// <summary>One side's values of one case, a value per launch (the calling-thread counts only from the launches that made them).</summary>
    private sealed record LaunchSamples(List<double> Times, List<long> Bytes, List<long> CallingThreadBytes)
    {
        public AbSample ToSample() => new(Times, Bytes) { CallingThreadBytes = CallingThreadBytes };
    }

    /// <summary>Both sides' launches of one case.</summary>
    private sealed record CaseLaunches(string Name, BenchmarkMethod Method)
    {
        public LaunchSamples Base { get; } = new([], [], []);

        public LaunchSamples Head { get; } = new([], [], []);
    }

    private static string SamplesJson(
        IReadOnlyList<AbResult> results, BenchmarkProgramBuild baseBuild, BenchmarkProgramBuild headBuild, Settings settings, double threshold, double alpha) =>
        JsonSerializer.Serialize(
            new
            {
                Base = baseBuild.Label,
                Head = headBuild.Label,
                settings.Launches,
                settings.MaxLaunches,
                BudgetMinutes = settings.Budget.TotalMinutes,
                settings.WarmupCount,
                settings.IterationCount,
                settings.IterationMilliseconds,
                settings.Clock,
                Shard = settings.Shard?.ToString(),
                Threshold = threshold,
                Alpha = alpha,
                Benchmarks = results.Select(r => new
                {
                    r.Name,
                    Verdict = r.Decision.Verdict.ToString(),
                    r.Decision.Ratio,
                    r.Decision.PValueSlower,
                    BaseNanoseconds = r.Base.Nanoseconds,
                    HeadNanoseconds = r.Head.Nanoseconds,
                    BaseBytes = r.Base.AllocatedBytes,
                    HeadBytes = r.Head.AllocatedBytes,
                    BaseCallingThreadBytes = r.Base.CallingThreadBytes,
                    HeadCallingThreadBytes = r.Head.CallingThreadBytes,
                }),
            },
            new JsonSerializerOptions { WriteIndented = true });

    private static double ParseAlpha(string text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var alpha) && alpha is > 0 and < 0.5
            ? alpha
            : throw new UsageException($"--alpha must be a significance level between 0 and 0.5, not '{text}'.");

    private static int ParseLaunches(string text, string option) =>
        int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var launches) && launches is >= 3 and <= 100
            ? launches
            : throw new UsageException($"{option} must be a whole number from 3 to 100, not '{text}'.");

    private static TimeSpan ParseBudget(string text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var minutes) && minutes is >= 0 and <= 24 * 60
            ? TimeSpan.FromMinutes(minutes)
            : throw new UsageException($"--budget must be a number of minutes from 0 to 1440, not '{text}'.");

    private static string Invariant(double value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Time(IReadOnlyList<double> nanoseconds)
    {
        if (nanoseconds.Count == 0)
        {
            return "—";
        }

        var median = AbDecision.Median(nanoseconds);
        return median switch
        {
            < 1e3 => string.Create(CultureInfo.InvariantCulture, $"{median:0.##} ns"),
            < 1e6 => string.Create(CultureInfo.InvariantCulture, $"{median / 1e3:0.##} μs"),
            < 1e9 => string.Create(CultureInfo.InvariantCulture, $"{median / 1e6:0.##} ms"),
            _ => string.Create(CultureInfo.InvariantCulture, $"{median / 1e9:0.##} s"),
        };
    }

    private static string Bytes(long? bytes) => bytes is { } b ? b.ToString("N0", CultureInfo.InvariantCulture) + " B" : "—";

    private static void TryDelete(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover run folder under the temporary directory is harmless.
        }
    }
}

/// <summary>One benchmark case of an A/B comparison: its launches on both sides and the decision.</summary>
/// <param name="Name"><c>Type.Method(Name=value, ...)</c>.</param>
/// <param name="Base">Base's launches.</param>
/// <param name="Head">Head's launches.</param>
/// <param name="Decision">The finding.</param>
public sealed record AbResult(string Name, AbSample Base, AbSample Head, AbDecision Decision);
