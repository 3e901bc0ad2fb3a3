namespace Gradients.Tour.Sections;

/// <summary>
/// The chapter again, by forward-mode automatic differentiation: the gradient of x² + 5y² at (1, 0.5) from the
/// function's generic code (exactly [2, 5], no step, no truncation), and the directional-derivative sweep with one
/// dual-number evaluation per direction — D_u f = ∇f·u without forming ∇f.
/// </summary>
public static class ForwardModeSection
{
    /// <summary>Prints the forward-mode gradient and sweep.</summary>
    public static void Run(TourContext context)
    {
        var output = context.Output;
        context.Heading("Forward mode: exact derivatives of generic code");
        var f = GradientSection.ChapterFunction;
        double[] p = [1.0, 0.5];

        var forward = new double[2];
        var value = ForwardMode.ValueAndGradient(f, p, forward);
        var analytic = new double[2];
        f.EvaluateWithGradient(p, analytic);
        output.WriteLine($"Forward-mode gradient at p={NumPyFormat.Array(p)}: {NumPyFormat.Array(forward)} (f(p) = {NumPyFormat.Scalar(value)})");
        output.WriteLine($"Equal to the analytic gradient bit for bit: {forward.AsSpan().SequenceEqual(analytic)}");

        // One forward pass per direction u = (cos θ, sin θ): the dual number's tangent is D_u f.
        var count = DirectionalDerivativeSection.DirectionCount;
        var rates = new double[count];
        var largestDifference = 0.0;
        for (var k = 0; k < count; k++)
        {
            var theta = 2 * Math.PI * k / count;
            double[] u = [Math.Cos(theta), Math.Sin(theta)];
            rates[k] = ForwardMode.DirectionalDerivative(f, p, u);
            largestDifference = Math.Max(largestDifference, Math.Abs(rates[k] - Directional.Derivative<double>(analytic, u)));
        }

        var best = Array.IndexOf(rates, rates.Max());
        output.WriteLine($"Directional sweep, one forward pass per direction: the largest rate is {NumPyFormat.Fixed(rates[best], 4)} at {best} degrees");
        output.WriteLine($"Largest |forward D_u f - grad f . u| over {count} directions: {largestDifference:0.0e+0;-0.0e+0;0} (rounding only)");
    }
}
