using System.Numerics;

namespace Gradients.Tests.AutomaticDifferentiation;

public sealed class ForwardModeCheckTests
{
    [Fact]
    public void Correct_analytic_gradients_pass()
    {
        double[] x = [-1.2, 1.0, 0.7, -0.3, 2.5];
        Assert.True(GradientCheck.CheckAgainstForwardMode(new Rosenbrock<double>(), x).Passed);
        Assert.True(GradientCheck.CheckAgainstForwardMode(new LogSumExp<float>(), [1f, -2f, 30f]).Passed);
        Assert.True(GradientCheck.CheckAgainstForwardMode(new Beale<double>(), [3.0, 0.5]).Passed);
    }

    [Fact]
    public void A_wrong_component_fails_and_is_named()
    {
        var report = GradientCheck.CheckAgainstForwardMode(new WrongSecondComponent(), [1.0, 0.5, 2.0]);
        Assert.False(report.Passed);
        Assert.Equal(1, report.FailureCount);
        Assert.Equal(1, report.WorstIndex);
        Assert.Equal(5.0, report.Worst.Numeric);
        Assert.Equal(5.0 * (1 + 1e-9), report.Worst.Analytic);
    }

    [Fact]
    public void Bad_tolerances_are_rejected() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => GradientCheck.CheckAgainstForwardMode(new Rosenbrock<double>(), [1.0, 2.0], 0));

    /// <summary>x² + 5y² + z whose analytic gradient is off by one part in 10⁹ in the second component.</summary>
    private readonly struct WrongSecondComponent : IDifferentiableFunction<double>, IGenericScalarFunction
    {
        public double Evaluate(ReadOnlySpan<double> x) => Evaluate<double>(x);

        public T Evaluate<T>(ReadOnlySpan<T> x)
            where T : IFloatingPointIeee754<T> => (x[0] * x[0]) + (T.CreateTruncating(5) * x[1] * x[1]) + x[2];

        public double EvaluateWithGradient(ReadOnlySpan<double> x, Span<double> gradient)
        {
            gradient[0] = 2 * x[0];
            gradient[1] = 10 * x[1] * (1 + 1e-9);
            gradient[2] = 1;
            return Evaluate(x);
        }
    }
}
