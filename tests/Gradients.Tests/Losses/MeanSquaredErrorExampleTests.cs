using Gradients.Tests.Properties;

namespace Gradients.Tests.Losses;

/// <summary>The chapter's worked example: N = 50, D = 4, w = 0.</summary>
public sealed class MeanSquaredErrorExampleTests
{
    private static readonly double[] Zero = new double[4];

    [Fact]
    public void Loss_at_zero_weights_matches_the_chapter()
    {
        var loss = MeanSquaredError.Loss<double>(LinearRegressionData.Features, LinearRegressionData.Targets, Zero);

        // NumPy printed 16 significant digits; the value below is 7.174992056015969 to 1e-14 relative.
        Assert.Equal(7.174992056015969, LinearRegressionData.PublishedLoss);
        Assert.True(Math.Abs(loss - LinearRegressionData.PublishedLoss) <= 1e-14 * LinearRegressionData.PublishedLoss, $"loss {loss:R}");
    }

    [Fact]
    public void Gradient_at_zero_weights_matches_the_chapter_and_the_reference()
    {
        var gradient = new double[4];
        var loss = MeanSquaredError.LossAndGradient<double>(LinearRegressionData.Features, LinearRegressionData.Targets, Zero, gradient);
        var reference = HighPrecision.MeanSquaredError(LinearRegressionData.Features, LinearRegressionData.Targets, Zero);

        var published = LinearRegressionData.PublishedGradient;
        Assert.Equal(4, published.Length);
        for (var j = 0; j < 4; j++)
        {
            // NumPy's values carry 16 digits and its own rounding (a few ulps): 1e-14 relative to the gradient's scale.
            Assert.True(Math.Abs(gradient[j] - published[j]) <= 1e-14 * reference.GradientScale[j], $"gradient[{j}] = {gradient[j]:R}, NumPy {published[j]:R}");
            Assert.True(Math.Abs(gradient[j] - reference.Gradient[j]) <= 1e-15 * reference.GradientScale[j], $"gradient[{j}] = {gradient[j]:R}, reference {reference.Gradient[j]:R}");
        }

        Assert.True(Math.Abs(loss - reference.Loss) <= 1e-15 * reference.LossScale);
    }

    [Fact]
    public void Chapter_example_in_float_is_within_float_rounding()
    {
        var features = Generators.ToSingle(LinearRegressionData.Features);
        var targets = Generators.ToSingle(LinearRegressionData.Targets);
        var gradient = new float[4];
        var loss = MeanSquaredError.LossAndGradient<float>(features, targets, new float[4], gradient);

        // Reference on the float data itself: accumulation is in double, so only the final rounding to float
        // (half an ulp, 2⁻²⁴ relative) remains.
        var reference = HighPrecision.MeanSquaredError(Array.ConvertAll(features, v => (double)v), Array.ConvertAll(targets, v => (double)v), new double[4]);
        Assert.True(Math.Abs(loss - reference.Loss) <= Math.Abs(reference.Loss) * Math.Pow(2, -24) * 1.001);
        for (var j = 0; j < 4; j++)
        {
            Assert.True(Math.Abs(gradient[j] - reference.Gradient[j]) <= (Math.Abs(reference.Gradient[j]) * Math.Pow(2, -24) * 1.001) + (1e-15 * reference.GradientScale[j]));
        }
    }
}
