using System.Globalization;

namespace Gradients.Tour;

/// <summary>The chapter's linear-regression data: features X (row-major N×D) and targets y (N).</summary>
public sealed record RegressionData(double[] Features, double[] Targets, int Rows, int Columns)
{
    /// <summary>The folder the tour ships the data in (copied next to the binaries).</summary>
    public static string DefaultFolder => Path.Combine(AppContext.BaseDirectory, "Data", "linreg-seed0");

    /// <summary>Reads <c>X.csv</c> (one row per line, comma-separated) and <c>y.csv</c> (one target per line).</summary>
    public static RegressionData Load(string folder)
    {
        var featureRows = ReadRows(Path.Combine(folder, "X.csv"));
        var targetRows = ReadRows(Path.Combine(folder, "y.csv"));
        if (featureRows.Count == 0)
        {
            throw new InvalidDataException($"'{Path.Combine(folder, "X.csv")}' holds no rows.");
        }

        var columns = featureRows[0].Length;
        if (featureRows.Count != targetRows.Count)
        {
            throw new InvalidDataException($"X.csv has {featureRows.Count} rows but y.csv has {targetRows.Count}.");
        }

        var features = new double[featureRows.Count * columns];
        var targets = new double[targetRows.Count];
        for (var row = 0; row < featureRows.Count; row++)
        {
            if (featureRows[row].Length != columns)
            {
                throw new InvalidDataException($"X.csv row {row + 1} has {featureRows[row].Length} values; row 1 has {columns}.");
            }

            if (targetRows[row].Length != 1)
            {
                throw new InvalidDataException($"y.csv row {row + 1} has {targetRows[row].Length} values; expected 1.");
            }

            featureRows[row].CopyTo(features, row * columns);
            targets[row] = targetRows[row][0];
        }

        return new RegressionData(features, targets, featureRows.Count, columns);
    }

    private static List<double[]> ReadRows(string path)
    {
        var rows = new List<double[]>();
        foreach (var line in File.ReadLines(path))
        {
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            rows.Add(Array.ConvertAll(line.Split(','), cell => double.Parse(cell, NumberStyles.Float, CultureInfo.InvariantCulture)));
        }

        return rows;
    }
}
