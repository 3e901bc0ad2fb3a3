namespace Gradients.Tests.Losses;

/// <summary>The short call forms (docs/api.md, "Naming decisions") compute exactly what the long forms do.</summary>
public sealed class MeanSquaredErrorCallFormTests
{
    [Fact]
    public void Intercept_overload_defaults_are_no_residuals_and_default_options()
    {
        var x = LinearRegressionData.Features;
        var y = LinearRegressionData.Targets;
        double[] w = [0.3, -0.2, 0.1, 0.05];
        var shortGradient = new double[4];
        var longGradient = new double[4];

        var shortLoss = MeanSquaredError.LossAndGradient(x, y, w, 0.25, shortGradient, out var shortIntercept);
        var longLoss = MeanSquaredError.LossAndGradient(x, y, w, 0.25, longGradient, out var longIntercept, Span<double>.Empty, default(MeanSquaredErrorOptions));

        // The same arguments reach the same kernel: bit-identical.
        Assert.Equal(BitConverter.DoubleToInt64Bits(longLoss), BitConverter.DoubleToInt64Bits(shortLoss));
        Assert.Equal(BitConverter.DoubleToInt64Bits(longIntercept), BitConverter.DoubleToInt64Bits(shortIntercept));
        Assert.Equal(longGradient, shortGradient);
    }

    [Fact]
    public void Intercept_overload_takes_options_by_name_without_residuals()
    {
        double[] x = [1, 2, 3, 4];
        double[] y = [1, 2];
        double[] w = [0.5, 0.5];
        var gradient = new double[2];
        var ridge = new MeanSquaredErrorOptions { L2Penalty = 0.1 };

        var loss = MeanSquaredError.LossAndGradient(x, y, w, 0.0, gradient, out _, options: ridge);

        Assert.Equal(MeanSquaredError.Loss(x, y, w, ridge), loss);
    }

    [Fact]
    public void Accumulator_loss_method_equals_the_loss_of_loss_and_gradient()
    {
        var accumulator = new MeanSquaredErrorAccumulator<double>([0.5, 0.5]);
        accumulator.Add([1, 2], [1]);
        accumulator.Add([3, 4], [2]);

        var loss = accumulator.Loss();

        Assert.Equal(accumulator.LossAndGradient(new double[2]), loss);
        Assert.Equal(MeanSquaredError.Loss([1.0, 2, 3, 4], [1.0, 2], [0.5, 0.5]), loss, 1e-15);
    }
}
