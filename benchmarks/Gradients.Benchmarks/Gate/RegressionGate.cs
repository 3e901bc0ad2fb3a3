using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Gradients.Benchmarks.Gate;

/// <summary>What the gate found wrong with one measured benchmark.</summary>
public enum GateFinding
{
    /// <summary>mean(benchmark) ÷ mean(baseline) is above the threshold's <c>maxRatio</c>.</summary>
    RatioAboveThreshold,

    /// <summary>The allocation per operation is above the threshold's <c>maxAllocatedBytes</c>.</summary>
    AllocationAboveThreshold,

    /// <summary>The allocation was not measured (no memory diagnoser), so it cannot be checked.</summary>
    AllocationNotMeasured,

    /// <summary>thresholds.json has no entry for this benchmark and parameter set.</summary>
    NoThreshold,

    /// <summary>The benchmark produced no result (it threw, or failed to build or run).</summary>
    NoResult,

    /// <summary>Its class has no <c>[Benchmark(Baseline = true)]</c> at this parameter set (or the baseline has no result).</summary>
    NoBaseline,

    /// <summary>Its class has several baselines at this parameter set and none shares its categories.</summary>
    AmbiguousBaseline,

    /// <summary>Several results carry this key (several jobs, or two classes of the same name), so no threshold can tell them apart.</summary>
    DuplicateResult,
}

/// <summary>One line of the gate's table: a measured benchmark, its ratio to its baseline, its threshold, its findings.</summary>
/// <param name="Measurement">The benchmark's result.</param>
/// <param name="Ratio">mean(benchmark) ÷ mean(baseline) (the lowest over <see cref="Attempts"/>), or <see langword="null"/> when either has no result.</param>
/// <param name="Threshold">The matching entry of thresholds.json, if any.</param>
/// <param name="Findings">What is wrong; empty when the benchmark passes.</param>
public sealed record GateRow(BenchmarkMeasurement Measurement, double? Ratio, Threshold? Threshold, IReadOnlyList<GateFinding> Findings)
{
    /// <summary>In how many attempts (the run and its re-runs) the ratio was measured; <see cref="Ratio"/> is the lowest.</summary>
    public int Attempts { get; init; } = 1;

    /// <summary>
    /// The bytes allocated per operation: the lowest over the attempts that measured them (as <see cref="Ratio"/>),
    /// or <see langword="null"/> without the memory diagnoser.
    /// </summary>
    public long? AllocatedBytesPerOperation { get; init; } = Measurement.AllocatedBytesPerOperation;

    /// <summary>Whether the benchmark is within its threshold.</summary>
    public bool Passed => Findings.Count == 0;
}

/// <summary>
/// The benchmark-regression gate: divides every benchmark's mean by the mean of the baseline in the same class and
/// parameter set (measured in the same run, so the ratio does not drift with the runner), and checks that ratio and
/// the allocation per operation against <c>benchmarks/thresholds.json</c>.
/// </summary>
public static class RegressionGate
{
    /// <summary>
    /// How far above <c>maxAllocatedBytes</c> an allocation may be before it fails. BenchmarkDotNet divides all bytes
    /// allocated during an iteration by its operations, so when an operation is long (few per iteration) a few
    /// background bytes show up: allocation-free kernels measured 8–12 B/op in a gate run here. No managed object is
    /// smaller than 24 B, so a real new allocation per operation still fails.
    /// </summary>
    public const long AllocationToleranceBytes = 16;

    /// <summary>mean(benchmark) ÷ mean(baseline), or <see langword="null"/> when either has no (positive) mean.</summary>
    public static double? Ratio(BenchmarkMeasurement benchmark, BenchmarkMeasurement baseline)
    {
        ArgumentNullException.ThrowIfNull(benchmark);
        ArgumentNullException.ThrowIfNull(baseline);
        return benchmark.MeanNanoseconds is { } mean && baseline.MeanNanoseconds is { } baseMean && baseMean > 0
            ? mean / baseMean
            : null;
    }

    /// <summary>Checks every measurement against its threshold.</summary>
    /// <param name="measurements">One run's results.</param>
    /// <param name="thresholds">The entries of thresholds.json.</param>
    /// <param name="partialRun">
    /// The run measured only part of the benchmarks (a <c>--filter</c> was given): thresholds that match no measured
    /// benchmark are then listed but do not fail the gate. In a full run they do: they are stale (a renamed or removed
    /// benchmark, a changed parameter set).
    /// </param>
    public static GateReport Evaluate(IReadOnlyList<BenchmarkMeasurement> measurements, IReadOnlyList<Threshold> thresholds, bool partialRun) =>
        EvaluateAttempts([measurements], thresholds, partialRun);

    /// <summary>
    /// Checks a run and its re-runs: the first attempt is the full run and gives the rows; a later attempt (a re-run
    /// of the benchmarks that failed, with their baselines) counts where it measured the same key. Each benchmark's
    /// ratio is the <b>lowest</b> over the attempts, each computed within its own attempt, and so is its allocation
    /// per operation: a regression slows (or allocates in) every attempt, a neighbour's burst of load on a shared
    /// runner, or a background thread's allocation, rarely hits two in a row.
    /// </summary>
    /// <param name="attempts">The full run, then any re-runs.</param>
    /// <param name="thresholds">The entries of thresholds.json.</param>
    /// <param name="partialRun">The full run measured only part of the benchmarks (see the other overload).</param>
    public static GateReport EvaluateAttempts(IReadOnlyList<IReadOnlyList<BenchmarkMeasurement>> attempts, IReadOnlyList<Threshold> thresholds, bool partialRun)
    {
        ArgumentNullException.ThrowIfNull(attempts);
        ArgumentNullException.ThrowIfNull(thresholds);
        ArgumentOutOfRangeException.ThrowIfZero(attempts.Count);
        var measurements = attempts[0];
        var thresholdsByKey = thresholds.ToDictionary(t => t.Key);
        var keyCounts = measurements.GroupBy(m => m.Key).ToDictionary(g => g.Key, g => g.Count());
        var groups = measurements.GroupBy(m => m.ComparisonGroup, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToArray(), StringComparer.Ordinal);
        var reruns = attempts.Skip(1).Select(a => a.Where(m => m.MeanNanoseconds is not null).ToArray()).ToArray();

        var rows = new List<GateRow>();
        foreach (var measurement in measurements)
        {
            var findings = new List<GateFinding>();
            double? ratio = null;
            var allocated = measurement.AllocatedBytesPerOperation;
            var attemptCount = 1;
            if (measurement.MeanNanoseconds is null)
            {
                findings.Add(GateFinding.NoResult);
            }
            else
            {
                var (baseline, problem) = FindBaseline(measurement, groups[measurement.ComparisonGroup]);
                ratio = baseline is null ? null : Ratio(measurement, baseline);
                if (problem is { } p)
                {
                    findings.Add(p);
                }
                else if (ratio is null)
                {
                    findings.Add(GateFinding.NoBaseline);
                }
                else
                {
                    foreach (var rerun in reruns)
                    {
                        if (RatioIn(rerun, measurement) is { } again && again < ratio)
                        {
                            ratio = again;
                        }

                        // Allocation, too: a background thread's bytes (the JIT's, the runtime's) are divided among the
                        // operations of whichever iteration they fell in, and a real allocation recurs in every attempt.
                        var same = Array.Find(rerun, m => m.Key.Equals(measurement.Key) && m.Namespace == measurement.Namespace);
                        if (same?.AllocatedBytesPerOperation is { } bytes && (allocated is null || bytes < allocated))
                        {
                            allocated = bytes;
                        }

                        attemptCount += same is null ? 0 : 1;
                    }
                }
            }

            if (keyCounts[measurement.Key] > 1)
            {
                findings.Add(GateFinding.DuplicateResult);
            }

            thresholdsByKey.TryGetValue(measurement.Key, out var threshold);
            if (threshold is null)
            {
                findings.Add(GateFinding.NoThreshold);
            }
            else if (measurement.MeanNanoseconds is not null)
            {
                if (ratio > threshold.MaxRatio)
                {
                    findings.Add(GateFinding.RatioAboveThreshold);
                }

                if (allocated is null)
                {
                    findings.Add(GateFinding.AllocationNotMeasured);
                }
                else if (allocated > threshold.MaxAllocatedBytes + AllocationToleranceBytes)
                {
                    findings.Add(GateFinding.AllocationAboveThreshold);
                }
            }

            rows.Add(new GateRow(measurement, ratio, threshold, findings) { Attempts = attemptCount, AllocatedBytesPerOperation = allocated });
        }

        // A class's rows together, per parameter set, baseline first, in the order they ran; a joined run interleaves them.
        var groupOrder = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var measurement in measurements)
        {
            groupOrder.TryAdd(measurement.ComparisonGroup, groupOrder.Count);
        }

        var ordered = rows
            .Select((row, index) => (row, index))
            .OrderBy(r => groupOrder[r.row.Measurement.ComparisonGroup])
            .ThenBy(r => r.row.Measurement.IsBaseline ? 0 : 1)
            .ThenBy(r => r.index)
            .Select(r => r.row)
            .ToArray();
        var unmatched = thresholds.Where(t => !keyCounts.ContainsKey(t.Key)).ToArray();
        return new GateReport(ordered, unmatched, partialRun);
    }

    /// <summary>
    /// Thresholds for every benchmark of a run, as the text of a thresholds.json: ratio and allocation as measured,
    /// times <paramref name="margin"/> (rounded up), with <paramref name="source"/> and the measured figures as the source.
    /// Benchmarks without a ratio (no result, no baseline) are left out.
    /// </summary>
    public static string SuggestThresholds(GateReport report, double margin, string source)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentOutOfRangeException.ThrowIfLessThan(margin, 1.0);
        var entries = new JsonObject();
        foreach (var row in report.Rows.Where(r => r.Ratio is not null).OrderBy(r => r.Measurement.Key.ToString(), StringComparer.Ordinal))
        {
            var ratio = row.Ratio!.Value;
            var allocated = row.AllocatedBytesPerOperation ?? 0;
            entries[row.Measurement.Key.ToString()] = new JsonObject
            {
                ["maxRatio"] = RoundUp(ratio * margin),
                ["maxAllocatedBytes"] = (long)Math.Ceiling(allocated * margin),
                ["source"] = string.Create(CultureInfo.InvariantCulture, $"{source}: measured ratio {ratio:F3}, {allocated} B/op; threshold = measured × {margin}"),
            };
        }

        var root = new JsonObject { ["thresholds"] = entries };
        return root.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) + "\n";
    }

    // The ratio of the benchmark with this key in a re-run, paired with the baseline of that same re-run.
    private static double? RatioIn(BenchmarkMeasurement[] rerun, BenchmarkMeasurement measurement)
    {
        var again = rerun.Where(m => m.Key.Equals(measurement.Key) && m.Namespace == measurement.Namespace).ToArray();
        if (again.Length != 1)
        {
            return null;
        }

        var (baseline, problem) = FindBaseline(again[0], rerun.Where(m => m.ComparisonGroup == again[0].ComparisonGroup).ToArray());
        return problem is null && baseline is not null ? Ratio(again[0], baseline) : null;
    }

    private static (BenchmarkMeasurement? Baseline, GateFinding? Problem) FindBaseline(BenchmarkMeasurement measurement, BenchmarkMeasurement[] group)
    {
        if (measurement.IsBaseline)
        {
            return (measurement, null);
        }

        var baselines = group.Where(m => m.IsBaseline).ToArray();
        if (baselines.Length == 0)
        {
            return (null, GateFinding.NoBaseline);
        }

        if (baselines.Length == 1)
        {
            return (baselines[0], null);
        }

        // Several baselines in one class: BenchmarkDotNet pairs each with the benchmarks of its category.
        var sameCategories = baselines.Where(b => b.Categories.Order(StringComparer.Ordinal).SequenceEqual(measurement.Categories.Order(StringComparer.Ordinal))).ToArray();
        return sameCategories.Length == 1 ? (sameCategories[0], null) : (null, GateFinding.AmbiguousBaseline);
    }

    // Three significant digits, rounded up so that the measured run itself passes.
    private static double RoundUp(double value)
    {
        var scale = Math.Pow(10, 2 - Math.Floor(Math.Log10(value)));
        return Math.Ceiling(value * scale) / scale;
    }
}
