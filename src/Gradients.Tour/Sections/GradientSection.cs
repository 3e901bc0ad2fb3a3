using Gradients.Tour.Figures;
using ScottPlot;

namespace Gradients.Tour.Sections;

/// <summary>
/// Chapter §1, "From Derivative to Gradient": f(x, y) = x² + 5y², its gradient [2x, 10y], and the picture of
/// gradient arrows crossing the contours at right angles, pointing uphill (figure 1).
/// </summary>
public static class GradientSection
{
    /// <summary>The chapter's function as a built-in: Σ aᵢxᵢ² with a = [1, 5].</summary>
    public static WeightedSumOfSquares<double> ChapterFunction { get; } = new([1.0, 5.0]);

    /// <summary>Prints the gradient's meaning at a point and writes figure 1.</summary>
    public static void Run(TourContext context)
    {
        var output = context.Output;
        context.Heading("1. From derivative to gradient: f(x, y) = x^2 + 5y^2, grad f = [2x, 10y]");
        var f = ChapterFunction;

        double[] p = [1.0, 0.5];
        var gradient = new double[2];
        var value = f.EvaluateWithGradient(p, gradient);
        output.WriteLine($"At p = {NumPyFormat.Array(p)}: f(p) = {NumPyFormat.Scalar(value)}, grad f(p) = {NumPyFormat.Array(gradient)}");

        // Uphill and perpendicular to the contour, shown numerically: a step of length t along the gradient raises f
        // by about t·‖∇f‖; the same step along the contour's tangent (∇f rotated by 90°) changes f only at O(t²).
        const double t = 1e-3;
        var norm = Math.Sqrt((gradient[0] * gradient[0]) + (gradient[1] * gradient[1]));
        double[] alongGradient = [p[0] + (t * gradient[0] / norm), p[1] + (t * gradient[1] / norm)];
        double[] alongContour = [p[0] - (t * gradient[1] / norm), p[1] + (t * gradient[0] / norm)];
        output.WriteLine($"Step t = {t} along the gradient:   f changes by {f.Evaluate(alongGradient) - value:+0.000000;-0.000000} (t*|grad f| = {t * norm:0.000000}): uphill.");
        output.WriteLine($"Step t = {t} along the contour:    f changes by {f.Evaluate(alongContour) - value:+0.000000;-0.000000} (O(t^2)): the gradient is perpendicular to the contour.");

        context.Wrote(FigureFile.Save(Figure(), context.OutputFolder, "figure1-gradient-field", Figure1Width, Figure1Height));
    }

    /// <summary>Figure 1's size in pixels: with <see cref="Figure1Padding"/>, the data area is a 600×600 square.</summary>
    public const int Figure1Width = 600 + 75 + 125, Figure1Height = 600 + 45 + 55;

    // Fixed margins (left, right, bottom, top): the right one holds the colour bar and its label.
    private static readonly PixelPadding Figure1Padding = new(75, 125, 55, 45);

    /// <summary>
    /// Figure 1: the filled contours of f on [−3, 3]², its gradient field (ScottPlot's vector field), and the point
    /// p = (1, 0.5) with its gradient [2, 5].
    /// </summary>
    public static Plot Figure()
    {
        var f = ChapterFunction;
        var plot = new Plot();
        ContourFigure.AddContours(plot, ContourSampling.Values(f, -3, 3, 241, -3, 3, 241), lines: 12, colorBarLabel: "f(x, y) = x² + 5y²");
        ContourFigure.AddArrows(plot, ContourSampling.GradientArrows(f, -2.5, 2.5, 11, -2.5, 2.5, 11), longestPixels: 40, Colors.Red);

        double[] p = [1.0, 0.5];
        var marker = plot.Add.Marker(p[0], p[1], MarkerShape.FilledCircle, 11, Colors.Gold);
        marker.MarkerLineColor = Colors.Black;
        marker.MarkerLineWidth = 1.5f;
        var label = plot.Add.Text("p", p[0] + 0.12, p[1] + 0.12);
        label.LabelFontSize = 16;
        label.LabelBold = true;
        label.LabelFontColor = Colors.Black;

        plot.Title("f(x, y) = x² + 5y²: the gradient points uphill, across the contours");
        plot.XLabel("x");
        plot.YLabel("y");
        // Square units on a square data area, tight to the sampled square [−3, 3]².
        plot.Layout.Fixed(Figure1Padding);
        plot.Axes.SetLimits(-3, 3, -3, 3);
        // No legend: any corner would cover arrows; the title, the colour bar's label and the "p" label say it all.
        plot.HideLegend();
        return plot;
    }
}
