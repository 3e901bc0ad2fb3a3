using System.Globalization;

namespace Gradients.Tests.Losses;

/// <summary>The seed chapter's linear-regression example (tests/Gradients.Tests/Data/linreg-seed0), read from its files.</summary>
internal static class LinearRegressionData
{
    private static string Folder => Path.Combine(AppContext.BaseDirectory, "Data", "linreg-seed0");

    /// <summary>X: 50 rows × 4 features, row-major.</summary>
    public static double[] Features { get; } = ReadCsv("X.csv");

    /// <summary>y: 50 targets.</summary>
    public static double[] Targets { get; } = ReadCsv("y.csv");

    /// <summary>The loss at w = 0 in the README's "full precision" column (NumPy float64).</summary>
    public static double PublishedLoss => ReadmeNumbers("loss")[^1];

    /// <summary>The gradient at w = 0 in the README's "full precision" column.</summary>
    public static double[] PublishedGradient => ReadmeNumbers("gradient")[^4..];

    private static double[] ReadCsv(string name) =>
        [.. File.ReadAllText(Path.Combine(Folder, name))
            .Split([',', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries)
            .Select(s => double.Parse(s, CultureInfo.InvariantCulture))];

    // The README table's row starting with "| <quantity>": every number on it, the full-precision ones last.
    private static double[] ReadmeNumbers(string quantity)
    {
        var line = File.ReadAllLines(Path.Combine(Folder, "README.md")).Single(l => l.StartsWith("| " + quantity, StringComparison.Ordinal));
        var cells = line.Split('|', StringSplitOptions.RemoveEmptyEntries);
        return [.. cells[^1].Split([',', '[', ']', ' '], StringSplitOptions.RemoveEmptyEntries)
            .Select(s => double.Parse(s, CultureInfo.InvariantCulture))];
    }
}
