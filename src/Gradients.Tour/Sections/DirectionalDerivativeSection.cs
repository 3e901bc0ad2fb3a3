using Gradients.Tour.Figures;
using ScottPlot;

namespace Gradients.Tour.Sections;

/// <summary>
/// Chapter §2, "Directional Derivative": D_u f = ∇f·u at p = (1, 0.5) over 360 directions in one batched call,
/// the same rate from two evaluations of f, and figure 2 (the polar plot beside the gradient and −gradient at p).
/// </summary>
public static class DirectionalDerivativeSection
{
    /// <summary>The number of directions in the sweep (one per degree, as in the chapter).</summary>
    public const int DirectionCount = 360;

    /// <summary>Prints the chapter's lines and writes figure 2.</summary>
    public static void Run(TourContext context)
    {
        var output = context.Output;
        context.Heading("2. Directional derivative at p = (1, 0.5)");
        var f = GradientSection.ChapterFunction;
        double[] p = [1.0, 0.5];
        var gradient = new double[2];
        f.EvaluateWithGradient(p, gradient);
        var magnitude = Directional.MaximalRate<double>(gradient);

        output.WriteLine($"Gradient at p={NumPyFormat.Array(p)}: {NumPyFormat.Array(gradient)}");
        output.WriteLine($"Magnitude (max rate of change): {NumPyFormat.Fixed(magnitude, 4)}");

        // The sweep: 360 unit directions (cos θ, sin θ) as a 360×2 row-major matrix, one call for all rates.
        var thetas = new double[DirectionCount];
        var directions = new double[DirectionCount * 2];
        for (var k = 0; k < DirectionCount; k++)
        {
            thetas[k] = 2 * Math.PI * k / DirectionCount;
            directions[2 * k] = Math.Cos(thetas[k]);
            directions[(2 * k) + 1] = Math.Sin(thetas[k]);
        }

        var rates = new double[DirectionCount];
        Directional.Derivatives<double>(gradient, directions, rates);
        var best = Array.IndexOf(rates, rates.Max());
        var gradientAngle = Math.Atan2(gradient[1], gradient[0]) * 180 / Math.PI;
        output.WriteLine($"Over {DirectionCount} directions the largest rate is {NumPyFormat.Fixed(rates[best], 4)} at {best} degrees; the gradient points at {gradientAngle:0.0} degrees.");

        var ascent = new double[2];
        Directional.SteepestAscent<double>(gradient, ascent);
        var numeric = FiniteDifference.DirectionalDerivative<double>(x => f.Evaluate(x), p, ascent);
        output.WriteLine($"Along the gradient, from two evaluations of f: D_u f = {numeric:0.000000000} (exact: sqrt(29) = {Math.Sqrt(29):0.000000000}).");
        var tangent = new double[] { -ascent[1], ascent[0] };
        output.WriteLine($"Along the contour (perpendicular): D_u f = {Directional.Derivative<double>(gradient, tangent):0.0e+0;-0.0e+0;0}");

        context.Wrote(FigureFile.Save(Figure(thetas, rates, p, gradient), context.OutputFolder, "figure2-directional", 1300, 600));
    }

    /// <summary>Figure 2: the polar plot of the rates beside the gradient and −gradient at p, as one multiplot.</summary>
    public static Multiplot Figure(double[] thetas, double[] rates, double[] p, double[] gradient)
    {
        var multiplot = new Multiplot();
        multiplot.Subplots.Add(PolarPlot(thetas, rates));
        multiplot.Subplots.Add(GradientAtPoint(GradientSection.ChapterFunction, p, gradient));
        // The constructor's empty first plot is not part of the figure.
        while (multiplot.Subplots.Count > 2)
        {
            multiplot.Subplots.RemoveAt(0);
        }

        multiplot.Layout = new ScottPlot.MultiplotLayouts.Columns();
        return multiplot;
    }

    private static Plot PolarPlot(double[] thetas, double[] rates)
    {
        var plot = new Plot();
        var maxRate = rates.Max(Math.Abs);
        var axis = plot.Add.PolarAxis(maxRate);
        // Radial ticks: whole rates and the maximum √29 ≈ 5.385, labelled along the 22.5° line between the lobes.
        double[] radii = [.. Enumerable.Range(1, (int)Math.Floor(maxRate)).Select(r => (double)r).Where(r => maxRate - r > 0.3), maxRate];
        axis.SetCircles(radii, [.. radii.Select(r => r == maxRate ? $"{r:0.000}" : $"{r:0}")]);
        foreach (var circle in axis.Circles)
        {
            circle.LabelAngle = Angle.FromDegrees(-22.5);
            circle.LabelStyle.FontSize = 13;
        }

        axis.SetSpokes(12, maxRate * 1.08, true);
        // Closed curves: the first direction is repeated at the end.
        var positive = Enumerable.Range(0, thetas.Length + 1)
            .Select(k => axis.GetCoordinates(Math.Max(rates[k % thetas.Length], 0), thetas[k % thetas.Length] * 180 / Math.PI)).ToArray();
        var negative = Enumerable.Range(0, thetas.Length + 1)
            .Select(k => axis.GetCoordinates(Math.Max(-rates[k % thetas.Length], 0), thetas[k % thetas.Length] * 180 / Math.PI)).ToArray();
        var positiveLine = plot.Add.ScatterLine(positive, Colors.SteelBlue);
        positiveLine.LineWidth = 2.5f;
        positiveLine.MarkerSize = 0;
        positiveLine.LegendText = "D_u f > 0 (uphill)";
        var negativeLine = plot.Add.ScatterLine(negative, Colors.Red);
        negativeLine.LineWidth = 2;
        negativeLine.MarkerSize = 0;
        negativeLine.LinePattern = LinePattern.Dashed;
        negativeLine.LegendText = "−D_u f where D_u f < 0";
        plot.Title("Directional derivative at p = (1, 0.5)\nradius = rate of change in direction u");
        plot.Axes.SquareUnits();
        var edge = maxRate * 1.25;
        plot.Axes.SetLimits(-edge, edge, -edge, edge);
        // Inside the frame, in the upper-left corner: the lobes point to 68° and 248°, so that corner is empty.
        plot.Legend.Alignment = Alignment.UpperLeft;
        plot.ShowLegend();
        // A polar plot has no Cartesian frame: hide the four axes and the grid, keep the title.
        plot.HideGrid();
        plot.Axes.Bottom.IsVisible = false;
        plot.Axes.Left.IsVisible = false;
        plot.Axes.Right.IsVisible = false;
        plot.Axes.Top.IsVisible = false;
        return plot;
    }

    private static Plot GradientAtPoint(WeightedSumOfSquares<double> f, double[] p, double[] gradient)
    {
        var plot = new Plot();
        ContourFigure.AddContours(plot, ContourSampling.Values(f, -2, 2, 201, -2, 2, 201), lines: 10, colorBarLabel: "f(x, y)");
        // Both arrows drawn with the same length so they read as a pair.
        var ascent = ContourFigure.AddArrows(plot, [new FieldArrow(p[0], p[1], gradient[0], gradient[1])], longestPixels: 120, Colors.Red, 2.5f);
        ascent.LegendText = "∇f(p): steepest ascent";
        var descent = ContourFigure.AddArrows(plot, [new FieldArrow(p[0], p[1], -gradient[0], -gradient[1])], longestPixels: 120, Colors.LimeGreen, 2.5f);
        descent.LegendText = "−∇f(p): steepest descent";
        var marker = plot.Add.Marker(p[0], p[1], MarkerShape.FilledCircle, 12, Colors.Gold);
        marker.MarkerLineColor = Colors.Black;
        marker.MarkerLineWidth = 1.5f;
        marker.LegendText = "p = (1, 0.5)";
        plot.Title("Gradient and −gradient at p = (1, 0.5)");
        plot.XLabel("x");
        plot.YLabel("y");
        plot.Axes.SquareUnits();
        plot.Axes.SetLimits(-2, 2, -2, 2);
        plot.Legend.Alignment = Alignment.LowerLeft;
        plot.ShowLegend();
        return plot;
    }
}
