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

        var contours = ContourSampling.Values(f, -3, 3, 240, -3, 3, 240);
        var arrows = ContourSampling.GradientArrows(f, -2.5, 2.5, 12, -2.5, 2.5, 12);
        var plot = new Plot();
        ContourFigure.AddContours(plot, contours, bands: 20, lines: 10);
        ContourFigure.AddArrows(plot, arrows, longestLength: 0.42, Colors.Red);
        plot.Title("f(x,y) = x² + 5y²: gradient vectors (red) point uphill, perpendicular to contours");
        plot.XLabel("x");
        plot.YLabel("y");
        plot.Axes.SquareUnits();
        context.Wrote(FigureFile.Save(plot, context.OutputFolder, "figure1-gradient-field", 800, 700));
    }
}
