using ScottPlot;

namespace Gradients.Tour.Figures;

/// <summary>A function sampled on a grid by <see cref="GradientField"/>: row-major values, one row per y.</summary>
public sealed record SampledGrid(Grid<double> Grid, double[] Values);

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
        var banded = new double[grid.Grid.YCount, grid.Grid.XCount];
        var points = new Coordinates3d[grid.Grid.YCount, grid.Grid.XCount];
        for (var row = 0; row < grid.Grid.YCount; row++)
        {
            for (var column = 0; column < grid.Grid.XCount; column++)
            {
                var value = grid.Values[(row * grid.Grid.XCount) + column];
                // contourf paints bands, not a continuous ramp: snap each value to its band's lower edge.
                var band = Math.Min(bands - 1, (int)Math.Floor((value - min) / (max - min) * bands));
                banded[row, column] = min + ((max - min) * band / bands);
                points[row, column] = new Coordinates3d(grid.Grid.X(column), grid.Grid.Y(row), value);
            }
        }

        var heatmap = plot.Add.Heatmap(banded);
        heatmap.Colormap = new ScottPlot.Colormaps.Blues().Reversed();
        heatmap.Extent = new CoordinateRect(grid.Grid.XMin, grid.Grid.XMax, grid.Grid.YMin, grid.Grid.YMax);
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
            // Heads shrink with the arrow, as quiver's do; a fixed head would swamp the short arrows.
            var relative = longest == 0 ? 0 : Math.Sqrt((a.U * a.U) + (a.V * a.V)) / longest;
            var head = (float)Math.Max(1.5, 4 * lineWidth * Math.Min(1, 2 * relative));
            arrow.ArrowWidth = (float)Math.Max(0.6, lineWidth * Math.Min(1, 2 * relative));
            arrow.ArrowheadWidth = head;
            arrow.ArrowheadLength = head;
            arrow.ArrowMinimumLength = 0;
        }
    }
}
