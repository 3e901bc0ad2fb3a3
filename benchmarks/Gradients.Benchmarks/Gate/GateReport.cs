using System.Globalization;
using System.Text;

namespace Gradients.Benchmarks.Gate;

/// <summary>The gate's verdict on one run: a row per measured benchmark, and the thresholds that matched none.</summary>
/// <param name="Rows">One row per measured benchmark, in the run's order.</param>
/// <param name="UnmatchedThresholds">Entries of thresholds.json that no measured benchmark matched.</param>
/// <param name="PartialRun">Only part of the benchmarks ran (a filter was given), so unmatched thresholds are expected.</param>
public sealed record GateReport(IReadOnlyList<GateRow> Rows, IReadOnlyList<Threshold> UnmatchedThresholds, bool PartialRun)
{
    /// <summary>The process exit code when the gate passed.</summary>
    public const int PassedExitCode = 0;

    /// <summary>The process exit code when the gate failed: a regression, a missing or stale threshold, a failed benchmark.</summary>
    public const int FailedExitCode = 1;

    /// <summary>The rows that failed.</summary>
    public IReadOnlyList<GateRow> FailedRows => Rows.Where(r => !r.Passed).ToArray();

    /// <summary>
    /// Whether the run passed: something was measured, every row passed, and (in a full run) every threshold matched
    /// a measured benchmark.
    /// </summary>
    public bool Passed => Rows.Count > 0 && Rows.All(r => r.Passed) && (PartialRun || UnmatchedThresholds.Count == 0);

    /// <summary><see cref="PassedExitCode"/> or <see cref="FailedExitCode"/>.</summary>
    public int ExitCode => Passed ? PassedExitCode : FailedExitCode;

    /// <summary>The report as Markdown: the table, the unmatched thresholds, and a closing verdict line.</summary>
    public string ToMarkdown()
    {
        var table = new MarkdownTable("Benchmark", "Parameters", "Ratio:", "Max ratio:", "Allocated:", "Max allocated:", "Verdict");
        foreach (var row in Rows)
        {
            var m = row.Measurement;
            table.Add(
                $"{m.Key.Type}.{m.Key.Method}" + (m.IsBaseline ? " (baseline)" : ""),
                m.Key.ParameterText,
                row.Ratio is { } r ? r.ToString("F3", CultureInfo.InvariantCulture) + (row.Attempts > 1 ? $" (best of {row.Attempts})" : "") : "—",
                row.Threshold is { } t ? t.MaxRatio.ToString("0.###", CultureInfo.InvariantCulture) : "—",
                row.AllocatedBytesPerOperation is { } a ? Bytes(a) : "—",
                row.Threshold is { } u ? Bytes(u.MaxAllocatedBytes) : "—",
                Verdict(row));
        }

        var text = new StringBuilder();
        text.Append(table);
        if (UnmatchedThresholds.Count > 0)
        {
            text.Append('\n')
                .Append(PartialRun
                    ? "Thresholds not checked (their benchmarks were filtered out of this run):\n"
                    : "STALE THRESHOLDS — these entries of thresholds.json match no measured benchmark (renamed, removed, or parameters changed):\n");
            foreach (var threshold in UnmatchedThresholds)
            {
                text.Append("- `").Append(threshold.Key).Append("`\n");
            }
        }

        text.Append('\n').Append(Conclusion()).Append('\n');
        return text.ToString();
    }

    /// <summary>The closing verdict line.</summary>
    public string Conclusion()
    {
        if (Rows.Count == 0)
        {
            return "Gate FAILED: no benchmark was measured.";
        }

        if (Passed)
        {
            return $"Gate PASSED: {Rows.Count} benchmarks within their thresholds.";
        }

        var parts = new List<string>();
        AddCount(parts, Rows.Count(r => r.Findings.Contains(GateFinding.RatioAboveThreshold)), "above their ratio threshold");
        AddCount(parts, Rows.Count(r => r.Findings.Contains(GateFinding.AllocationAboveThreshold)), "above their allocation threshold");
        AddCount(parts, Rows.Count(r => r.Findings.Contains(GateFinding.NoThreshold)), "without a threshold");
        AddCount(parts, Rows.Count(r => r.Findings.Any(f => f is GateFinding.NoResult or GateFinding.NoBaseline or GateFinding.AmbiguousBaseline or GateFinding.DuplicateResult or GateFinding.AllocationNotMeasured)), "without a usable result");
        if (!PartialRun && UnmatchedThresholds.Count > 0)
        {
            parts.Add($"{UnmatchedThresholds.Count} stale thresholds");
        }

        return $"Gate FAILED: {string.Join(", ", parts)} (of {Rows.Count} benchmarks).";
    }

    private static void AddCount(List<string> parts, int count, string what)
    {
        if (count > 0)
        {
            parts.Add($"{count} {what}");
        }
    }

    private static string Verdict(GateRow row)
    {
        if (row.Passed)
        {
            return "pass";
        }

        var reasons = row.Findings.Select(f => f switch
        {
            GateFinding.RatioAboveThreshold => string.Create(CultureInfo.InvariantCulture, $"ratio {row.Ratio:F3} > {row.Threshold!.MaxRatio}"),
            GateFinding.AllocationAboveThreshold => $"allocates {Bytes(row.AllocatedBytesPerOperation ?? 0)} > {Bytes(row.Threshold!.MaxAllocatedBytes)} + {RegressionGate.AllocationToleranceBytes} B",
            GateFinding.AllocationNotMeasured => "allocation not measured (no MemoryDiagnoser)",
            GateFinding.NoThreshold => "no threshold in thresholds.json",
            GateFinding.NoResult => "no result (benchmark failed)",
            GateFinding.NoBaseline => "no baseline result in its class",
            GateFinding.AmbiguousBaseline => "several baselines, none of its category",
            GateFinding.DuplicateResult => "several results with this key",
            _ => f.ToString(),
        });
        return "FAIL: " + string.Join("; ", reasons);
    }

    private static string Bytes(long bytes) => bytes.ToString("N0", CultureInfo.InvariantCulture) + " B";
}
