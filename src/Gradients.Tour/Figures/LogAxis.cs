using ScottPlot;

namespace Gradients.Tour.Figures;

/// <summary>
/// Log-scaled axes, ScottPlot 5 style: the data are plotted as log10 values and the ticks are labelled 10^k,
/// with minor ticks spaced logarithmically between decades.
/// </summary>
public static class LogAxis
{
    /// <summary>Labels <paramref name="axis"/> as a decade (10^k) axis for data already in log10.</summary>
    public static void Decades(IAxis axis)
    {
        var ticks = new ScottPlot.TickGenerators.NumericAutomatic
        {
            MinorTickGenerator = new ScottPlot.TickGenerators.LogMinorTickGenerator(),
            IntegerTicksOnly = true,
            LabelFormatter = value => $"1e{value:0}",
        };
        axis.TickGenerator = ticks;
    }
}
