namespace Gradients.Tour.Sections;

/// <summary>
/// Chapter §3, "Gradient of a Loss Function": the MSE loss and its gradient for linear regression at w = 0, on the
/// chapter's own data, from one fused pass of <see cref="MeanSquaredError.LossAndGradient{T}(ReadOnlySpan{T}, ReadOnlySpan{T}, ReadOnlySpan{T}, Span{T})"/>.
/// </summary>
public static class LossGradientSection
{
    /// <summary>Prints the loss, the gradient and what each component means, as the chapter does.</summary>
    public static void Run(TourContext context)
    {
        var output = context.Output;
        context.Heading("3. Gradient of a loss function");
        var data = RegressionData.Load(RegressionData.DefaultFolder);
        output.WriteLine($"Data: X is {data.Rows}x{data.Columns}, y has {data.Targets.Length} targets (NumPy seed 0, as in the chapter).");

        var weights = new double[data.Columns];
        var gradient = new double[data.Columns];
        var loss = MeanSquaredError.LossAndGradient<double>(data.Features, data.Targets, weights, gradient);

        output.WriteLine("MSE gradient of linear regression at w=0:");
        output.WriteLine($" Loss: {NumPyFormat.Fixed(loss, 6)}");
        output.WriteLine($" Gradient: {NumPyFormat.Rounded(gradient, 4)}");
        output.WriteLine();
        output.WriteLine("Interpretation: increasing w[i] by epsilon changes loss by ~gradient[i]*epsilon");
        for (var i = 0; i < gradient.Length; i++)
        {
            var direction = gradient[i] > 0 ? "increases" : "decreases";
            output.WriteLine($" w[{i}]: {direction} loss by ~{NumPyFormat.Fixed(Math.Abs(gradient[i]), 4)} per unit increase");
        }
    }
}
