using Gradients.Tour.Figures;
using ScottPlot;

namespace Gradients.Tour.Sections;

/// <summary>
/// Beyond the chapter (a): why finite-difference steps are what they are. The error of forward, central and
/// Richardson differences of f(x) = eˣ at x = 1 (f' = e, known exactly) against the step h, on log-log axes:
/// truncation falls as h, h² and h⁴ to the right, round-off grows as ε/h to the left, and the library's default
/// steps sit near the bottom of each V (figure 3).
/// </summary>
public static class StepSizeSection
{
    /// <summary>The point the derivative is taken at.</summary>
    public const double Point = 1.0;

    /// <summary>The schemes compared.</summary>
    public static FiniteDifferenceScheme[] Schemes { get; } =
        [FiniteDifferenceScheme.Forward, FiniteDifferenceScheme.Central, FiniteDifferenceScheme.Richardson];

    /// <summary>log10 of the steps swept: 10^-15 … 10^-0.5, eight per decade.</summary>
    public static double[] LogSteps { get; } = Enumerable.Range(0, 117).Select(k => -15 + (k / 8.0)).ToArray();

    /// <summary>The absolute error of <paramref name="scheme"/> with step 10^<paramref name="logStep"/>.</summary>
    public static double Error(FiniteDifferenceScheme scheme, double logStep)
    {
        var options = new FiniteDifferenceOptions<double>
        {
            Scheme = scheme,
            StepKind = StepSizeKind.Absolute,
            Step = Math.Pow(10, logStep),
        };
        var estimate = FiniteDifference.Derivative(Math.Exp, Point, options);
        return Math.Abs(estimate.Value - Math.E);
    }

    /// <summary>The error of <paramref name="scheme"/> with the library's default step.</summary>
    public static (double Step, double Error) AtDefaultStep(FiniteDifferenceScheme scheme)
    {
        var estimate = FiniteDifference.Derivative(Math.Exp, Point, new FiniteDifferenceOptions<double> { Scheme = scheme });
        return (estimate.Step, Math.Abs(estimate.Value - Math.E));
    }

    /// <summary>Prints the errors at the default steps and writes figure 3.</summary>
    public static void Run(TourContext context)
    {
        var output = context.Output;
        context.Heading("4a. Finite differences: truncation against round-off");
        output.WriteLine("d/dx exp(x) at x = 1 (exactly e), error against the step h:");

        foreach (var scheme in Schemes)
        {
            var (step, error) = AtDefaultStep(scheme);
            var best = LogSteps.Select(h => (h, e: Error(scheme, h))).MinBy(p => p.e);
            output.WriteLine($"  {scheme,-10} default h = {step:0.0e+00} gives error {error:0.0e+00}; best on the sweep {best.e:0.0e+00} at h = {Math.Pow(10, best.h):0.0e+00}");
        }

        context.Wrote(FigureFile.Save(Figure(), context.OutputFolder, "figure3-step-error", 900, 600));
    }

    /// <summary>Figure 3: the error of each scheme against the step, with the library's default step marked.</summary>
    public static Plot Figure()
    {
        var plot = new Plot();
        Color[] colors = [Colors.DarkOrange, Colors.SteelBlue, Colors.ForestGreen];
        for (var s = 0; s < Schemes.Length; s++)
        {
            var scheme = Schemes[s];
            // A zero error (exact cancellation) has no logarithm; plot it at the double floor instead of dropping it.
            var logErrors = LogSteps.Select(h => Math.Log10(Math.Max(Error(scheme, h), 1e-17))).ToArray();
            var line = plot.Add.ScatterLine(LogSteps, logErrors, colors[s]);
            line.LineWidth = 2;
            line.MarkerSize = 0;
            line.LegendText = scheme.ToString();

            var (step, error) = AtDefaultStep(scheme);
            var marker = plot.Add.Marker(Math.Log10(step), Math.Log10(Math.Max(error, 1e-17)), MarkerShape.FilledDiamond, 12, colors[s]);
            marker.LegendText = $"{scheme} default step";
        }

        LogAxis.Decades(plot.Axes.Bottom);
        LogAxis.Decades(plot.Axes.Left);
        // The lower-left corner is empty (round-off errors grow leftwards from ~1e-11 upwards): the legend goes there.
        plot.Legend.Alignment = Alignment.LowerLeft;
        plot.ShowLegend();
        plot.Title("Error of finite differences of exp at x = 1: truncation (right) vs round-off (left)");
        plot.XLabel("step h");
        plot.YLabel("absolute error");
        return plot;

    }
}
