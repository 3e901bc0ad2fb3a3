using System.Globalization;
using System.Text;

namespace Gradients.Benchmarks.Gate;

/// <summary>How a benchmark changed between a base run and a new run.</summary>
public enum ComparisonVerdict
{
    /// <summary>Within the threshold, or the absolute difference is below the noise floor.</summary>
    Same,

    /// <summary>The new median is slower by more than the threshold and the noise floor.</summary>
    Slower,

    /// <summary>The new median is faster by more than the threshold and the noise floor.</summary>
    Faster,

    /// <summary>The new run allocates more per operation, by more than the threshold and at least 8 B.</summary>
    AllocatesMore,

    /// <summary>The benchmark ran in the base run but has no result in the new run (it failed, or was removed).</summary>
    MissingInNew,

    /// <summary>The benchmark is new, or failed in the base run: nothing to compare with.</summary>
    MissingInBase,
}

/// <summary>One benchmark in both runs.</summary>
/// <param name="Name">Namespace, type, method and parameters.</param>
/// <param name="Base">The base run's result, if any.</param>
/// <param name="New">The new run's result, if any.</param>
/// <param name="Verdict">The change.</param>
public sealed record ComparisonRow(string Name, BenchmarkMeasurement? Base, BenchmarkMeasurement? New, ComparisonVerdict Verdict)
{
    /// <summary>median(new) ÷ median(base), when both have results.</summary>
    public double? Ratio => Base?.MedianNanoseconds is { } b && New?.MedianNanoseconds is { } n && b > 0 ? n / b : null;

    /// <summary>Whether this row fails the comparison.</summary>
    public bool IsRegression => Verdict is ComparisonVerdict.Slower or ComparisonVerdict.AllocatesMore or ComparisonVerdict.MissingInNew;
}

/// <summary>
/// Compares two result files of the same benchmarks on the same machine, after dotnet/performance's
/// ResultsComparer: per benchmark the ratio of medians new ÷ base, called a regression (or an improvement) when it
/// leaves [1 − threshold, 1 + threshold] AND the absolute difference of medians exceeds the noise floor (a 5 %
/// change of a 2 ns benchmark is timer resolution, not a regression).
/// </summary>
public static class ResultsComparison
{
    /// <summary>Allocation differences below this are averaging artefacts (no managed object is smaller than 24 B).</summary>
    public const long AllocationNoiseBytes = 8;

    /// <summary>Compares <paramref name="baseRun"/> with <paramref name="newRun"/>.</summary>
    /// <param name="baseRun">The reference run.</param>
    /// <param name="newRun">The run under test.</param>
    /// <param name="threshold">The relative change that counts, e.g. 0.05 for 5 %.</param>
    /// <param name="noiseNanoseconds">Absolute differences of medians up to this are noise.</param>
    public static IReadOnlyList<ComparisonRow> Compare(
        IReadOnlyList<BenchmarkMeasurement> baseRun, IReadOnlyList<BenchmarkMeasurement> newRun, double threshold, double noiseNanoseconds)
    {
        ArgumentNullException.ThrowIfNull(baseRun);
        ArgumentNullException.ThrowIfNull(newRun);
        ArgumentOutOfRangeException.ThrowIfNegative(threshold);
        ArgumentOutOfRangeException.ThrowIfNegative(noiseNanoseconds);
        var baseByName = ByName(baseRun, "base");
        var newByName = ByName(newRun, "new");
        var names = baseByName.Keys.Concat(newByName.Keys).Distinct(StringComparer.Ordinal);
        var rows = new List<ComparisonRow>();
        foreach (var name in names)
        {
            baseByName.TryGetValue(name, out var before);
            newByName.TryGetValue(name, out var after);
            rows.Add(new ComparisonRow(name, before, after, Judge(before, after, threshold, noiseNanoseconds)));
        }

        // Regressions first, worst first; then improvements, best first; then the rest by name.
        return rows
            .OrderBy(r => r.IsRegression ? 0 : r.Verdict == ComparisonVerdict.Faster ? 1 : 2)
            .ThenByDescending(r => r.Verdict == ComparisonVerdict.Faster ? 1 / (r.Ratio ?? 1) : r.Ratio ?? 0)
            .ThenBy(r => r.Name, StringComparer.Ordinal)
            .ToArray();
    }

    /// <summary>The comparison as a Markdown table with a closing summary line.</summary>
    public static string ToMarkdown(IReadOnlyList<ComparisonRow> rows, double threshold, double noiseNanoseconds)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var table = new MarkdownTable("Benchmark", "Base median:", "New median:", "New/base:", "Base allocated:", "New allocated:", "Verdict");
        foreach (var row in rows)
        {
            table.Add(
                row.Name,
                Time(row.Base?.MedianNanoseconds),
                Time(row.New?.MedianNanoseconds),
                row.Ratio is { } r ? r.ToString("F3", CultureInfo.InvariantCulture) : "—",
                Bytes(row.Base?.AllocatedBytesPerOperation),
                Bytes(row.New?.AllocatedBytesPerOperation),
                row.Verdict switch
                {
                    ComparisonVerdict.Slower => "SLOWER",
                    ComparisonVerdict.Faster => "faster",
                    ComparisonVerdict.AllocatesMore => "ALLOCATES MORE",
                    ComparisonVerdict.MissingInNew => "MISSING in new run",
                    ComparisonVerdict.MissingInBase => "new (no base)",
                    _ => "same",
                });
        }

        var text = new StringBuilder().Append(table).Append('\n');
        var regressions = rows.Count(r => r.IsRegression);
        text.Append(CultureInfo.InvariantCulture, $"Compare (threshold {threshold:P1}, noise {Time(noiseNanoseconds)}): ")
            .Append(CultureInfo.InvariantCulture, $"{rows.Count(r => r.Verdict == ComparisonVerdict.Slower)} slower, ")
            .Append(CultureInfo.InvariantCulture, $"{rows.Count(r => r.Verdict == ComparisonVerdict.AllocatesMore)} allocate more, ")
            .Append(CultureInfo.InvariantCulture, $"{rows.Count(r => r.Verdict == ComparisonVerdict.MissingInNew)} missing in new, ")
            .Append(CultureInfo.InvariantCulture, $"{rows.Count(r => r.Verdict == ComparisonVerdict.Faster)} faster, ")
            .Append(CultureInfo.InvariantCulture, $"{rows.Count(r => r.Verdict == ComparisonVerdict.Same)} same, ")
            .Append(CultureInfo.InvariantCulture, $"{rows.Count(r => r.Verdict == ComparisonVerdict.MissingInBase)} new. ")
            .Append(regressions == 0 ? "PASSED" : $"FAILED: {regressions} regressions").Append('\n');
        return text.ToString();
    }

    /// <summary>Reads a relative threshold: <c>5%</c> or <c>5</c> (percent).</summary>
    /// <exception cref="UsageException">The text is not a non-negative percentage.</exception>
    public static double ParseThreshold(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var number = text.Trim().TrimEnd('%');
        return double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var percent) && percent >= 0 && double.IsFinite(percent)
            ? percent / 100
            : throw new UsageException($"--threshold must be a percentage such as 5%, not '{text}'.");
    }

    /// <summary>Reads a time: a number with a unit <c>ns</c>, <c>us</c> (or <c>μs</c>), <c>ms</c> or <c>s</c>; returns nanoseconds.</summary>
    /// <exception cref="UsageException">The text is not a non-negative time with a unit.</exception>
    public static double ParseNoise(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var trimmed = text.Trim();
        (string Unit, double Nanoseconds)[] units = [("ns", 1), ("us", 1e3), ("μs", 1e3), ("µs", 1e3), ("ms", 1e6), ("s", 1e9)];
        foreach (var (unit, scale) in units)
        {
            if (trimmed.EndsWith(unit, StringComparison.Ordinal)
                && double.TryParse(trimmed[..^unit.Length], NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
                && value >= 0 && double.IsFinite(value))
            {
                return value * scale;
            }
        }

        throw new UsageException($"--noise must be a time with a unit (ns, us, ms, s) such as 1ns, not '{text}'.");
    }

    private static ComparisonVerdict Judge(BenchmarkMeasurement? before, BenchmarkMeasurement? after, double threshold, double noise)
    {
        if (after?.MedianNanoseconds is not { } newMedian)
        {
            return before?.MedianNanoseconds is null ? ComparisonVerdict.MissingInBase : ComparisonVerdict.MissingInNew;
        }

        if (before?.MedianNanoseconds is not { } baseMedian || baseMedian <= 0)
        {
            return ComparisonVerdict.MissingInBase;
        }

        var ratio = newMedian / baseMedian;
        if (Math.Abs(newMedian - baseMedian) > noise)
        {
            if (ratio > 1 + threshold)
            {
                return ComparisonVerdict.Slower;
            }

            if (ratio < 1 - threshold)
            {
                return ComparisonVerdict.Faster;
            }
        }

        if (before.AllocatedBytesPerOperation is { } baseBytes && after.AllocatedBytesPerOperation is { } newBytes
            && newBytes - baseBytes >= AllocationNoiseBytes && newBytes > baseBytes * (1 + threshold))
        {
            return ComparisonVerdict.AllocatesMore;
        }

        return ComparisonVerdict.Same;
    }

    private static Dictionary<string, BenchmarkMeasurement> ByName(IReadOnlyList<BenchmarkMeasurement> run, string which)
    {
        var byName = new Dictionary<string, BenchmarkMeasurement>(StringComparer.Ordinal);
        foreach (var measurement in run)
        {
            var name = measurement.FullName;
            if (!byName.TryAdd(name, measurement))
            {
                throw new InvalidDataException($"The {which} results hold '{name}' twice (several jobs?); compare runs of one job.");
            }
        }

        return byName;
    }

    private static string Time(double? nanoseconds) => nanoseconds switch
    {
        null => "—",
        < 1e3 => string.Create(CultureInfo.InvariantCulture, $"{nanoseconds:0.###} ns"),
        < 1e6 => string.Create(CultureInfo.InvariantCulture, $"{nanoseconds / 1e3:0.###} μs"),
        < 1e9 => string.Create(CultureInfo.InvariantCulture, $"{nanoseconds / 1e6:0.###} ms"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{nanoseconds / 1e9:0.###} s"),
    };

    private static string Bytes(long? bytes) => bytes is { } b ? b.ToString("N0", CultureInfo.InvariantCulture) + " B" : "—";
}
