using Gradients.Tour.Figures;
using ScottPlot;

namespace Gradients.Tour.Sections;

/// <summary>
/// Beyond the chapter (c): what the loss gradient is for. Plain gradient descent w ← w − η∇L(w) on the chapter's
/// regression, one fused <see cref="MeanSquaredError.LossAndGradient{T}(ReadOnlySpan{T}, ReadOnlySpan{T}, ReadOnlySpan{T}, Span{T})"/>
/// call per step, recovers w_true = [2, -1, 0.5, -0.3] up to the noise in y.
/// </summary>
public static class GradientDescentSection
{
    /// <summary>Steps taken.</summary>
    public const int Steps = 100;

    /// <summary>
    /// The learning rate. The loss's Hessian is (2/N)XᵀX, whose expectation for standard-normal features is 2I;
    /// descent converges for η &lt; 2/λ_max ≈ 1, so 0.1 is safe with room for the sample's spread of eigenvalues.
    /// </summary>
    public const double LearningRate = 0.1;

    private static readonly double[] TrueWeights = [2.0, -1.0, 0.5, -0.3];

    /// <summary>Runs the descent, prints its progress and writes figure 4 (loss per step).</summary>
    public static void Run(TourContext context)
    {
        var output = context.Output;
        context.Heading("4c. Gradient descent on the regression loss");
        var data = RegressionData.Load(RegressionData.DefaultFolder);
        var weights = new double[data.Columns];
        var gradient = new double[data.Columns];
        var losses = new double[Steps + 1];

        output.WriteLine($"w <- w - {LearningRate} * grad, {Steps} steps, from w = 0:");
        for (var step = 0; step <= Steps; step++)
        {
            losses[step] = MeanSquaredError.LossAndGradient<double>(data.Features, data.Targets, weights, gradient);
            if (step % 20 == 0)
            {
                output.WriteLine($"  step {step,3}: loss {NumPyFormat.Fixed(losses[step], 6)}  w = {NumPyFormat.Rounded(weights, 4)}");
            }

            if (step < Steps)
            {
                for (var i = 0; i < weights.Length; i++)
                {
                    weights[i] -= LearningRate * gradient[i];
                }
            }
        }

        output.WriteLine($"Recovered w = {NumPyFormat.Rounded(weights, 3)}; w_true = {NumPyFormat.Rounded(TrueWeights, 3)} (y carries noise of sd 0.1).");

        var plot = new Plot();
        var steps = Enumerable.Range(0, Steps + 1).Select(s => (double)s).ToArray();
        var line = plot.Add.ScatterLine(steps, losses.Select(Math.Log10).ToArray());
        line.LineWidth = 2;
        line.MarkerSize = 0;
        LogAxis.Decades(plot.Axes.Left);
        plot.Title($"Gradient descent on the MSE loss (η = {LearningRate})");
        plot.XLabel("step");
        plot.YLabel("loss (log scale)");
        context.Wrote(FigureFile.Save(plot, context.OutputFolder, "figure4-descent", 800, 500));
    }
}
