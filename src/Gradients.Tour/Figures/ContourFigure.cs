using ScottPlot;

namespace Gradients.Tour.Figures;

/// <summary>A sampled scalar field on a regular grid: values[row, column] with row ↔ y and column ↔ x.</summary>
public sealed record SampledGrid(double XMin, double XMax, int XCount, double YMin, double YMax, int YCount, double[] Values)
{
    /// <summary>The x coordinate of a column.</summary>
    public double X(int column) => XCount == 1 ? XMin : XMin + ((XMax - XMin) * column / (XCount - 1));

    /// <summary>The y coordinate of a row.</summary>
    public double Y(int row) => YCount == 1 ? YMin : YMin + ((YMax - YMin) * row / (YCount - 1));
}

/// <summary>An arrow rooted at (X, Y) with components (U, V), in data units before scaling.</summary>
public readonly record struct FieldArrow(double X, double Y, double U, double V);

/// <summary>
/// The chapter's contourf + contour + quiver picture: filled contour bands (a banded heat map, light to dark blue
/// as f grows, like matplotlib's 'Blues'), white contour lines and arrows.
/// </summary>
public static class ContourFigure
{
    /// <summary>Draws the filled contours and contour lines of <paramref name="grid"/> into <paramref name="plot"/>.</summary>
    public static void AddContours(Plot plot, SampledGrid grid, int bands, int lines)
    {
        var min = grid.Values.Min();
        var max = grid.Values.Max();
        var banded = new double[grid.YCount, grid.XCount];
        var points = new Coordinates3d[grid.YCount, grid.XCount];
        for (var row = 0; row < grid.YCount; row++)
        {
            for (var column = 0; column < grid.XCount; column++)
            {
                var value = grid.Values[(row * grid.XCount) + column];
                // contourf paints bands, not a continuous ramp: snap each value to its band's lower edge.
                var band = Math.Min(bands - 1, (int)Math.Floor((value - min) / (max - min) * bands));
                banded[row, column] = min + ((max - min) * band / bands);
                points[row, column] = new Coordinates3d(grid.X(column), grid.Y(row), value);
            }
        }

        var heatmap = plot.Add.Heatmap(banded);
        heatmap.Colormap = new ScottPlot.Colormaps.Blues().Reversed();
        heatmap.Extent = new CoordinateRect(grid.XMin, grid.XMax, grid.YMin, grid.YMax);
        // Heatmap row 0 is drawn at the top; our row 0 is the smallest y.
        heatmap.FlipVertically = true;
        plot.Add.ColorBar(heatmap);

        var contours = plot.Add.ContourLines(points, lines);
        contours.LineColor = Colors.White.WithAlpha(0.6);
        contours.LineWidth = 0.8f;
        contours.LabelStyle.IsVisible = false;
    }

    /// <summary>
    /// Draws arrows scaled so that the longest is <paramref name="longestLength"/> data units (quiver's 'scale').
    /// </summary>
    public static void AddArrows(Plot plot, IReadOnlyList<FieldArrow> arrows, double longestLength, Color color, float lineWidth = 1.5f)
    {
        var longest = arrows.Max(a => Math.Sqrt((a.U * a.U) + (a.V * a.V)));
        var scale = longest == 0 ? 0 : longestLength / longest;
        foreach (var a in arrows)
        {
            var arrow = plot.Add.Arrow(new Coordinates(a.X, a.Y), new Coordinates(a.X + (a.U * scale), a.Y + (a.V * scale)));
            arrow.ArrowLineColor = color;
            arrow.ArrowFillColor = color;
            arrow.ArrowLineWidth = 0;
            arrow.ArrowWidth = lineWidth;
            arrow.ArrowheadWidth = 4 * lineWidth;
            arrow.ArrowheadLength = 4 * lineWidth;
            arrow.ArrowMinimumLength = 0;
        }
    }
}
