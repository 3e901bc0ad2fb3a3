using System.Numerics.Tensors;

namespace Gradients.Tests.Losses;

/// <summary>The <see cref="Tensor{T}"/> overloads of the logistic, Poisson and Huber losses: the span results bit for bit, MeanSquaredError's shape rules and messages.</summary>
public sealed class LinearModelLossTensorTests
{
    public enum Loss
    {
        Logistic,
        Poisson,
        Huber,
    }

    private static double LossOf(Loss loss, Tensor<double> x, Tensor<double> y, Tensor<double> w) => loss switch
    {
        Loss.Logistic => LogisticLoss.Loss(x, y, w),
        Loss.Poisson => PoissonLoss.Loss(x, y, w),
        _ => HuberLoss.Loss(x, y, w),
    };

    private static double LossAndGradientOf(Loss loss, Tensor<double> x, Tensor<double> y, Tensor<double> w, Tensor<double> g) => loss switch
    {
        Loss.Logistic => LogisticLoss.LossAndGradient(x, y, w, g),
        Loss.Poisson => PoissonLoss.LossAndGradient(x, y, w, g),
        _ => HuberLoss.LossAndGradient(x, y, w, g),
    };

    private static double Spans(Loss loss, double[] x, double[] y, double[] w, double[] g) => loss switch
    {
        Loss.Logistic => LogisticLoss.LossAndGradient<double>(x, y, w, g),
        Loss.Poisson => PoissonLoss.LossAndGradient<double>(x, y, w, g),
        _ => HuberLoss.LossAndGradient<double>(x, y, w, g),
    };

    private static (double[] X, double[] Y, double[] W) Data(Loss loss)
    {
        var random = new Random(5);
        var x = Enumerable.Range(0, 7 * 3).Select(_ => random.NextDouble() - 0.5).ToArray();
        var y = Enumerable.Range(0, 7).Select(i => loss == Loss.Huber ? random.NextDouble() : i % 2).Select(v => (double)v).ToArray();
        return (x, y, [0.5, -1.0, 0.25]);
    }

    [Theory]
    [InlineData(Loss.Logistic)]
    [InlineData(Loss.Poisson)]
    [InlineData(Loss.Huber)]
    public void Tensors_give_the_span_results_bit_for_bit(Loss loss)
    {
        var (x, y, w) = Data(loss);
        var expected = new double[3];
        var expectedLoss = Spans(loss, x, y, w, expected);
        var gradient = Tensor.CreateFromShape<double>((ReadOnlySpan<nint>)[3]);
        var actual = LossAndGradientOf(loss, Tensor.Create(x, [7, 3]), Tensor.Create(y, [7]), Tensor.Create(w, [3]), gradient);
        Assert.Equal(expectedLoss, actual);
        Assert.Equal(expectedLoss, LossOf(loss, Tensor.Create(x, [7, 3]), Tensor.Create(y, [7]), Tensor.Create(w, [3])));
        Assert.Equal(expected, gradient.ToArray());
    }

    [Theory]
    [InlineData(Loss.Logistic)]
    [InlineData(Loss.Poisson)]
    [InlineData(Loss.Huber)]
    public void Shapes_are_checked_as_for_the_mean_squared_error(Loss loss)
    {
        var (x, y, w) = Data(loss);
        var features = Tensor.Create(x, [7, 3]);
        var targets = Tensor.Create(y, [7]);
        var weights = Tensor.Create(w, [3]);

        var e = Assert.Throws<ArgumentException>(() => LossOf(loss, Tensor.Create(x, [21]), targets, weights));
        Assert.Equal("features", e.ParamName);
        Assert.Contains("must be a rank-2 tensor", e.Message, StringComparison.Ordinal);

        e = Assert.Throws<ArgumentException>(() => LossOf(loss, features, Tensor.Create(y[..6], [6]), weights));
        Assert.Equal("targets", e.ParamName);
        Assert.Contains("has length 6, but the features' shape requires 7", e.Message, StringComparison.Ordinal);

        e = Assert.Throws<ArgumentException>(() => LossAndGradientOf(loss, features, targets, weights, Tensor.CreateFromShape<double>((ReadOnlySpan<nint>)[2])));
        Assert.Equal("gradient", e.ParamName);

        // A strided view (every other column of a 7×6 tensor) is not dense row-major.
        var strided = Tensor.Create(new double[7 * 6], 0, [7, 3], [6, 2]);
        e = Assert.Throws<ArgumentException>(() => LossOf(loss, strided, targets, weights));
        Assert.Equal("features", e.ParamName);
        Assert.Contains("only dense row-major tensors", e.Message, StringComparison.Ordinal);

        // Every row: the expected message of MeanSquaredError's tensor overloads for the same mistake.
        var mse = Assert.Throws<ArgumentException>(() => MeanSquaredError.Loss(features, Tensor.Create(y[..6], [6]), weights));
        Assert.Equal(mse.Message, Assert.Throws<ArgumentException>(() => LossOf(loss, features, Tensor.Create(y[..6], [6]), weights)).Message);

        Assert.Throws<ArgumentNullException>(() => LossOf(loss, null!, targets, weights));
        Assert.Throws<ArgumentNullException>(() => LossAndGradientOf(loss, features, targets, weights, null!));

        // Aliasing the gradient with an input is an overlap error, as for spans.
        var shared = new double[21];
        x.CopyTo(shared, 0);
        e = Assert.Throws<ArgumentException>(() => LossAndGradientOf(loss, Tensor.Create(shared, [7, 3]), targets, weights, Tensor.Create(shared, [3])));
        Assert.Contains("overlap", e.Message, StringComparison.Ordinal);
    }
}
