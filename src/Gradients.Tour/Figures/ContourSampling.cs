namespace Gradients.Tour.Figures;

/// <summary>The data behind the contour figures, sampled with <see cref="GradientField"/>.</summary>
public static class ContourSampling
{
    /// <summary>Values of <paramref name="function"/> on an <paramref name="xCount"/>×<paramref name="yCount"/> grid.</summary>
    public static SampledGrid Values<TFunction>(TFunction function, double xMin, double xMax, int xCount, double yMin, double yMax, int yCount)
        where TFunction : struct, IScalarFunction<double>
    {
        var grid = new Grid<double>(xMin, xMax, xCount, yMin, yMax, yCount);
        var values = new double[grid.Count];
        GradientField.Values(grid, function, values);
        return new SampledGrid(grid, values);
    }

    /// <summary>The analytic gradient of <paramref name="function"/> at every grid point, as arrows.</summary>
    public static FieldArrow[] GradientArrows<TFunction>(TFunction function, double xMin, double xMax, int xCount, double yMin, double yMax, int yCount)
        where TFunction : struct, IDifferentiableFunction<double>
    {
        var grid = new Grid<double>(xMin, xMax, xCount, yMin, yMax, yCount);
        var values = new double[grid.Count];
        var gradientX = new double[grid.Count];
        var gradientY = new double[grid.Count];
        GradientField.Sample(grid, function, values, gradientX, gradientY);
        var arrows = new FieldArrow[grid.Count];
        for (var row = 0; row < yCount; row++)
        {
            for (var column = 0; column < xCount; column++)
            {
                var index = (row * xCount) + column;
                arrows[index] = new FieldArrow(grid.X(column), grid.Y(row), gradientX[index], gradientY[index]);
            }
        }

        return arrows;
    }
}
