using System.Runtime.InteropServices;

namespace Gradients.Tests.AutomaticDifferentiation;

/// <summary>
/// <see cref="GradientCheck.CheckAgainstForwardMode{T, TFunction}"/> under the second hostile run of issue 13: a
/// tolerance that checks nothing is rejected (the checker options' rule), and the caller's x is never written.
/// </summary>
public sealed class ForwardModeCheckHostileTests
{
    [Theory]
    [InlineData(1e39)] // ∞ in float: every gradient passed
    [InlineData(8.5e6)] // just past 1/ε = 2²³ for float
    public void A_float_tolerance_of_one_over_epsilon_or_more_is_rejected(double ulps)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() =>
            GradientCheck.CheckAgainstForwardMode<float, Rosenbrock<float>>(default, [1f, 2f], ulps));
        Assert.Equal("ulps", e.ParamName);
        Assert.Contains("8388608", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_double_tolerance_of_one_over_epsilon_or_more_is_rejected_and_just_below_is_accepted()
    {
        Assert.Equal("ulps", Assert.Throws<ArgumentOutOfRangeException>(() =>
            GradientCheck.CheckAgainstForwardMode<double, Rosenbrock<double>>(default, [1.0, 2.0], 1e17)).ParamName);
        Assert.True(GradientCheck.CheckAgainstForwardMode<double, Rosenbrock<double>>(default, [1.0, 2.0], 4e15).Passed);
    }

    [Fact]
    public void An_analytic_gradient_that_writes_its_argument_leaves_the_callers_x_untouched()
    {
        double[] x = [1.0, 2.0];

        var report = GradientCheck.CheckAgainstForwardMode<double, WritingGradient>(default, x);

        Assert.Equal([1.0, 2.0], x);
        Assert.True(report.Passed);
    }

    /// <summary>Σx², whose analytic gradient overwrites its argument (through MemoryMarshal) after computing.</summary>
    private readonly struct WritingGradient : IDifferentiableFunction<double>, IGenericScalarFunction
    {
        public double Evaluate(ReadOnlySpan<double> x) => (x[0] * x[0]) + (x[1] * x[1]);

        public T Evaluate<T>(ReadOnlySpan<T> x)
            where T : System.Numerics.IFloatingPointIeee754<T> => (x[0] * x[0]) + (x[1] * x[1]);

        public double EvaluateWithGradient(ReadOnlySpan<double> x, Span<double> gradient)
        {
            gradient[0] = 2 * x[0];
            gradient[1] = 2 * x[1];
            var value = Evaluate(x);
            MemoryMarshal.CreateSpan(ref MemoryMarshal.GetReference(x), x.Length).Fill(-7);
            return value;
        }
    }
}
