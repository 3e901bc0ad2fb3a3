using Gradients.Tour.Figures;
using ScottPlot;

namespace Gradients.Tour.Sections;

/// <summary>
/// Classification after regression: the logistic loss and its gradient at w = 0 on a seeded two-class data set
/// (one fused pass of <see cref="LogisticLoss"/>), a few steps of gradient descent, and the decision boundary
/// σ(x·w + b) = ½ over the points.
/// </summary>
public static class LogisticRegressionSection
{
    /// <summary>Points per class.</summary>
    public const int PointsPerClass = 50;

    /// <summary>Gradient-descent steps.</summary>
    public const int Steps = 50;

    /// <summary>The step size.</summary>
    public const double LearningRate = 1.0;

    /// <summary>Prints the loss and gradient at w = 0, the descent, and writes the decision-boundary figure.</summary>
    public static void Run(TourContext context)
    {
        var output = context.Output;
        context.Heading("3b. Logistic regression: the gradient of a classification loss");
        var (features, labels) = TwoClasses(seed: 7);
        var rows = labels.Length;
        output.WriteLine($"Data: {rows} points in 2-D, {PointsPerClass} per class (System.Random seed 7): class 0 around (-1, -1), class 1 around (1, 1).");

        var weights = new double[2];
        var gradient = new double[2];
        var intercept = 0.0;
        var loss = LogisticLoss.LossAndGradient<double>(features, labels, weights, intercept, gradient, out var interceptGradient, [], default);
        output.WriteLine("Logistic loss gradient at w=0, b=0:");
        output.WriteLine($" Loss: {NumPyFormat.Fixed(loss, 6)} (= log 2: every point has probability 1/2)");
        output.WriteLine($" Gradient: {NumPyFormat.Rounded(gradient, 4)}, intercept gradient {NumPyFormat.Fixed(interceptGradient, 4)}");

        output.WriteLine($"w <- w - {LearningRate} * grad, {Steps} steps:");
        for (var step = 1; step <= Steps; step++)
        {
            for (var j = 0; j < weights.Length; j++)
            {
                weights[j] -= LearningRate * gradient[j];
            }

            intercept -= LearningRate * interceptGradient;
            loss = LogisticLoss.LossAndGradient<double>(features, labels, weights, intercept, gradient, out interceptGradient, [], default);
            if (step % 10 == 0)
            {
                output.WriteLine($"  step {step,3}: loss {NumPyFormat.Fixed(loss, 6)}  w = {NumPyFormat.Rounded(weights, 4)}  b = {NumPyFormat.Fixed(intercept, 4)}");
            }
        }

        var correct = 0;
        for (var i = 0; i < rows; i++)
        {
            var eta = (features[2 * i] * weights[0]) + (features[(2 * i) + 1] * weights[1]) + intercept;
            correct += (eta >= 0) == (labels[i] == 1.0) ? 1 : 0;
        }

        output.WriteLine($"Training accuracy: {correct} of {rows} points on the right side of the boundary.");

        var plot = new Plot();
        for (var c = 0; c < 2; c++)
        {
            var xs = Enumerable.Range(0, rows).Where(i => labels[i] == c).Select(i => features[2 * i]).ToArray();
            var ys = Enumerable.Range(0, rows).Where(i => labels[i] == c).Select(i => features[(2 * i) + 1]).ToArray();
            var points = plot.Add.ScatterPoints(xs, ys);
            points.LegendText = $"class {c}";
            points.MarkerSize = 7;
        }

        // The boundary x·w + b = 0, i.e. x₁ = −(w₀x₀ + b)/w₁, across the points' horizontal range.
        var left = features.Where((_, i) => i % 2 == 0).Min() - 0.5;
        var right = features.Where((_, i) => i % 2 == 0).Max() + 0.5;
        var boundary = plot.Add.Line(left, -((weights[0] * left) + intercept) / weights[1], right, -((weights[0] * right) + intercept) / weights[1]);
        boundary.LineWidth = 2;
        boundary.LegendText = "σ(x·w + b) = 1/2";
        plot.ShowLegend();
        plot.Title($"Logistic regression after {Steps} gradient steps");
        plot.XLabel("x₀");
        plot.YLabel("x₁");
        context.Wrote(FigureFile.Save(plot, context.OutputFolder, "figure5-logistic-boundary", 800, 600));
    }

    /// <summary>Two Gaussian clouds (sd 0.8, Box–Muller from <see cref="Random"/>), interleaved: rows of (x₀, x₁) and labels 0/1.</summary>
    public static (double[] Features, double[] Labels) TwoClasses(int seed)
    {
        var random = new Random(seed);
        var features = new double[4 * PointsPerClass];
        var labels = new double[2 * PointsPerClass];
        for (var i = 0; i < labels.Length; i++)
        {
            var label = i % 2;
            var centre = label == 0 ? -1.0 : 1.0;
            var radius = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble()));
            var angle = 2 * Math.PI * random.NextDouble();
            features[2 * i] = centre + (0.8 * radius * Math.Cos(angle));
            features[(2 * i) + 1] = centre + (0.8 * radius * Math.Sin(angle));
            labels[i] = label;
        }

        return (features, labels);
    }
}
