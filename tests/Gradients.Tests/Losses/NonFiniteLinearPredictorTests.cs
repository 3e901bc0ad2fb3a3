namespace Gradients.Tests.Losses;

/// <summary>
/// What the losses return when the linear predictor η = x·w + b is not finite (an infinite feature, weight or
/// intercept) or overflows (docs/reliability.md, "The newer surface under attack"): the formula in IEEE arithmetic,
/// never an exception and never a finite number standing in for an undefined one; the accumulator returns the same.
/// </summary>
public sealed class NonFiniteLinearPredictorTests
{
    [Fact]
    public void Finite_but_extreme_predictors_are_exact()
    {
        var g = new double[1];
        Assert.Equal(1000.0, LogisticLoss.LossAndGradient<double>([1.0], [0.0], [1000.0], g));
        Assert.Equal(1.0, g[0]);
        Assert.Equal(2000.0, PoissonLoss.LossAndGradient<double>([1.0], [2.0], [-1000.0], g));
        Assert.Equal(-2.0, g[0]);
        var softmax = new double[2];
        Assert.Equal(2000.0, SoftmaxCrossEntropy.LossAndGradient<double>([1.0], [1], [1000.0, -1000.0], softmax));
        Assert.Equal([1.0, -1.0], softmax);

        // The same at D = 8, where the pass runs vectorized over the features with the scores relative to class 0's
        // (−2000 and 0 here) and class 0's gradient as minus class 1's.
        var x = new double[8];
        x[0] = 1.0;
        var w = new double[16];
        (w[0], w[1]) = (1000.0, -1000.0);
        var wide = new double[16];
        Assert.Equal(2000.0, SoftmaxCrossEntropy.LossAndGradient<double>(x, [1], w, wide));
        Assert.Equal([1.0, -1.0], wide[..2]);
        Assert.All(wide[2..], v => Assert.Equal(0.0, v));
    }

    [Fact]
    public void An_infinite_predictor_follows_the_formula_in_ieee_arithmetic()
    {
        var g = new double[2];

        // Huber: the residual is ∞, the loss ∞ and the clipped derivative δ, so the gradient δ·x stays finite.
        Assert.Equal(double.PositiveInfinity, HuberLoss.LossAndGradient<double>([2.0], [0.0], [double.PositiveInfinity], g.AsSpan(0, 1)));
        Assert.Equal(2.0, g[0]);

        // Logistic with y = 1 at η = +∞: (1 − y)·η = 0·∞ is NaN (the limit, 0, is not taken); the derivative σ − y is 0.
        Assert.True(double.IsNaN(LogisticLoss.LossAndGradient<double>([1.0], [1.0], [double.PositiveInfinity], g.AsSpan(0, 1))));
        Assert.Equal(0.0, g[0]);

        // Poisson past e^η's range: loss and gradient +∞, and a zero feature in that row gives 0·∞ = NaN.
        Assert.Equal(double.PositiveInfinity, PoissonLoss.LossAndGradient<double>([1.0, 0.0], [1.0], [1000.0, 5.0], g));
        Assert.Equal(double.PositiveInfinity, g[0]);
        Assert.True(double.IsNaN(g[1]));

        // Softmax with a score of +∞: the shift by the largest score is ∞ − ∞: NaN loss and gradient.
        Assert.True(double.IsNaN(SoftmaxCrossEntropy.LossAndGradient<double>([1.0], [0], [double.PositiveInfinity, 0.0], g)));
    }

    [Theory]
    [InlineData(LinearModelLossKind.Logistic)]
    [InlineData(LinearModelLossKind.Poisson)]
    [InlineData(LinearModelLossKind.Huber)]
    [InlineData(LinearModelLossKind.MeanSquaredError)]
    public void The_accumulator_returns_what_the_one_shot_call_returns(LinearModelLossKind kind)
    {
        double[] x = [1.0, 0.0, 0.5, 1.0];
        double[] y = [1.0, 0.0];
        double[] w = [double.PositiveInfinity, 5.0];
        var expected = new double[2];
        var expectedLoss = kind switch
        {
            LinearModelLossKind.Logistic => LogisticLoss.LossAndGradient<double>(x, y, w, 0.0, expected, out _, [], default),
            LinearModelLossKind.Poisson => PoissonLoss.LossAndGradient<double>(x, y, w, 0.0, expected, out _, [], default),
            LinearModelLossKind.Huber => HuberLoss.LossAndGradient<double>(x, y, w, 0.0, expected, out _, [], default),
            _ => MeanSquaredError.LossAndGradient<double>(x, y, w, 0.0, expected, out _, [], [], default),
        };
        var accumulator = kind switch
        {
            LinearModelLossKind.Logistic => LinearModelLossAccumulator<double>.ForLogisticLoss(w, 0.0, default),
            LinearModelLossKind.Poisson => LinearModelLossAccumulator<double>.ForPoissonLoss(w, 0.0, default),
            LinearModelLossKind.Huber => LinearModelLossAccumulator<double>.ForHuberLoss(w, 0.0, default),
            _ => LinearModelLossAccumulator<double>.ForMeanSquaredError(w, 0.0, default),
        };
        accumulator.Add(x.AsSpan(0, 2), y.AsSpan(0, 1));
        var other = LinearModelLossAccumulator<double>.FromBytes(accumulator.ToByteArray(), w, 0.0, default);
        other.Reset();
        other.Add(x.AsSpan(2), y.AsSpan(1));
        accumulator.Merge(other.ToByteArray());

        var actual = new double[2];
        var loss = accumulator.LossAndGradient(actual);

        Assert.Equal(expectedLoss, loss);
        Assert.Equal(expected, actual);
    }
}
