using System.Globalization;
using Gradients.Benchmarks.Losses;

namespace Gradients.Benchmarks.Gate;

/// <summary>
/// The command-line rules the two tuning probes share (<see cref="PairedPassCommand"/>, <see cref="BuildPairCommand"/>):
/// a shape NxD, counts, whole seconds; each error names the option and ends with the probe's usage line.
/// </summary>
internal static class ProbeArguments
{
    /// <summary>N rows × D columns from <c>NxD</c> (N, D ≥ 1, N·D an array's length).</summary>
    public static Shape Shape(string text, string usage)
    {
        var parts = text.Split('x');
        if (parts.Length != 2 || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var rows)
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var columns) || rows < 1 || columns < 1
            || (long)rows * columns > Array.MaxLength / 2)
        {
            throw new UsageException($"--shape must be NxD with N, D ≥ 1 (and N·D an array's length), not '{text}'. {usage}");
        }

        return new Shape(rows, columns);
    }

    /// <summary>A whole number ≥ 1.</summary>
    public static int Count(string text, string option, string usage) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= 1
            ? value
            : throw new UsageException($"{option} must be a whole number ≥ 1, not '{text}'. {usage}");

    /// <summary>A whole number of seconds ≥ 0.</summary>
    public static int Seconds(string text, string option, string usage) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new UsageException($"{option} must be a whole number ≥ 0, not '{text}'. {usage}");

    /// <summary>The middle value (the upper one of an even count).</summary>
    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted[sorted.Length / 2];
    }
}
