using ScottPlot;

namespace Gradients.Tour.Figures;

/// <summary>A function sampled on a grid by <see cref="GradientField"/>: row-major values, one row per y.</summary>
public sealed record SampledGrid(Grid<double> Grid, double[] Values);

/// <summary>An arrow rooted at (X, Y) with components (U, V), in data units before scaling.</summary>
public readonly record struct FieldArrow(double X, double Y, double U, double V);

/// <summary>
/// The chapter's contourf + contour + quiver picture: a smooth filled map of f (light to dark blue as f grows, like
/// matplotlib's 'Blues'), contour lines coloured against the fill (dark where the fill is light, light where it is
/// dark, so each stays visible), and ScottPlot's vector field for the arrows.
/// </summary>
public static class ContourFigure
{
    /// <summary>
    /// Draws the filled map and <paramref name="lines"/> contour lines of <paramref name="grid"/> into
    /// <paramref name="plot"/>, with a colour bar labelled <paramref name="colorBarLabel"/>; returns the colour bar.
    /// </summary>
    public static ScottPlot.Panels.ColorBar AddContours(Plot plot, SampledGrid grid, int lines, string colorBarLabel)
    {
        var intensities = new double[grid.Grid.YCount, grid.Grid.XCount];
        var points = new Coordinates3d[grid.Grid.YCount, grid.Grid.XCount];
        for (var row = 0; row < grid.Grid.YCount; row++)
        {
            for (var column = 0; column < grid.Grid.XCount; column++)
            {
                var value = grid.Values[(row * grid.Grid.XCount) + column];
                intensities[row, column] = value;
                points[row, column] = new Coordinates3d(grid.Grid.X(column), grid.Grid.Y(row), value);
            }
        }

        var heatmap = plot.Add.Heatmap(intensities);
        heatmap.Colormap = new ScottPlot.Colormaps.Blues().Reversed();
        heatmap.Extent = new CoordinateRect(grid.Grid.XMin, grid.Grid.XMax, grid.Grid.YMin, grid.Grid.YMax);
        // Heatmap row 0 is drawn at the top; our row 0 is the smallest y. Smooth: interpolated, no stair steps.
        heatmap.FlipVertically = true;
        heatmap.Smooth = true;
        var colorBar = plot.Add.ColorBar(heatmap);
        colorBar.Label = colorBarLabel;

        var contours = plot.Add.ContourLines(points, lines);
        // The fill's colormap unreversed: a dark line on the light centre, a light line on the dark rim.
        contours.Colormap = new ScottPlot.Colormaps.Blues();
        contours.LineWidth = 1.2f;
        contours.LabelStyle.IsVisible = false;
        return colorBar;
    }

    /// <summary>
    /// Draws <paramref name="arrows"/> with ScottPlot's vector field: lengths proportional to the vectors, the
    /// longest <paramref name="longestPixels"/> pixels long.
    /// </summary>
    public static ScottPlot.Plottables.VectorField AddArrows(Plot plot, IReadOnlyList<FieldArrow> arrows, float longestPixels, Color color, float lineWidth = 1.5f)
    {
        // ScottPlot 5.1.59's vector field takes the vector in pixel orientation (y grows downwards): a vector (0, 1)
        // is drawn pointing down. V is negated so that the arrows point the way the data vectors do.
        var vectors = arrows.Select(a => new RootedCoordinateVector(new Coordinates(a.X, a.Y), new System.Numerics.Vector2((float)a.U, (float)-a.V))).ToList();
        var field = plot.Add.VectorField(vectors, color);
        field.MaximumArrowLength = longestPixels;
        field.ArrowLineWidth = lineWidth;
        // Rooted at the point, as matplotlib's quiver draws them (ScottPlot centres them by default); heads in
        // proportion to the line.
        field.ArrowAnchor = ArrowAnchor.Tail;
        field.ArrowheadWidth = 4 + (4 * lineWidth);
        field.ArrowheadLength = 4 + (4 * lineWidth);
        field.ArrowheadAxisLength = 3 + (3 * lineWidth);
        return field;
    }
}
