using System.Numerics;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Gradients.Tests.Functions;

/// <summary>
/// Every built-in function's closed-form gradient and Hessian against the test-local central difference, at random
/// points over wide magnitudes, in double and float. The tolerance is <see cref="ReferenceDifference"/>'s error
/// bound plus the analytic side's own rounding, γₖ·(absolute twin's derivative) (see <see cref="FunctionSample"/>).
/// </summary>
public sealed class BuiltInFunctionPropertyTests
{
    [Property(MaxTest = 300)]
    public Property Gradient_agrees_with_central_difference_in_double() =>
        Prop.ForAll(FunctionCatalog.Any.ToArbitrary(), sample => GradientAgrees(sample, sample.Double));

    [Property(MaxTest = 300)]
    public Property Gradient_agrees_with_central_difference_in_float() =>
        Prop.ForAll(FunctionCatalog.Any.ToArbitrary(), sample => GradientAgrees(sample, sample.Single));

    [Property(MaxTest = 150)]
    public Property Hessian_agrees_with_central_difference_of_the_gradient_in_double() =>
        Prop.ForAll(FunctionCatalog.Any.ToArbitrary(), sample => HessianAgrees(sample, sample.Double));

    [Property(MaxTest = 150)]
    public Property Hessian_agrees_with_central_difference_of_the_gradient_in_float() =>
        Prop.ForAll(FunctionCatalog.Any.ToArbitrary(), sample => HessianAgrees(sample, sample.Single));

    [Property(MaxTest = 200)]
    public Property Value_alone_matches_value_with_gradient() =>
        Prop.ForAll(FunctionCatalog.Any.ToArbitrary(), sample =>
        {
            // Both evaluate the same expression in different orders: each within γₖ·f_abs of f, so within 2γₖ·f_abs of each other.
            var point = ReferenceDifference.Snap(sample.Point);
            var gradient = new double[point.Length];
            var withGradient = sample.Double.EvaluateWithGradient(point, gradient);
            var alone = sample.Double.Evaluate(point);
            var u = ReferenceDifference.MachineEpsilon<double>() / 2;
            var bound = 2 * sample.Operations * u * sample.AbsoluteValue(point);
            Assert.True(Math.Abs(withGradient - alone) <= bound, $"{sample.Name}: {withGradient} vs {alone}, bound {bound}");
        });

    private static void GradientAgrees<T>(FunctionSample sample, ITwiceDifferentiableFunction<T> function)
        where T : IFloatingPointIeee754<T>
    {
        var point = ReferenceDifference.Snap(sample.Point);
        var x = ReferenceDifference.Convert<T>(point);
        var gradient = new T[x.Length];
        function.EvaluateWithGradient(x, gradient);
        var gamma = Gamma<T>(sample.Operations);
        for (var j = 0; j < x.Length; j++)
        {
            var (estimate, bound) = ReferenceDifference.Partial<T>(p => function.Evaluate(p), point, j, sample.AbsoluteValue, sample.Operations);
            var analytic = double.CreateChecked(gradient[j]);
            var tolerance = bound + (gamma * sample.AbsoluteGradient(point, j));
            Assert.True(
                Math.Abs(analytic - estimate) <= tolerance,
                $"{typeof(T).Name} {sample}: ∂f/∂x[{j}] analytic {analytic:R}, central difference {estimate:R}, |Δ| = {Math.Abs(analytic - estimate):G3} > {tolerance:G3}");
        }
    }

    private static void HessianAgrees<T>(FunctionSample sample, ITwiceDifferentiableFunction<T> function)
        where T : IFloatingPointIeee754<T>
    {
        var point = ReferenceDifference.Snap(sample.Point);
        var x = ReferenceDifference.Convert<T>(point);
        var n = x.Length;
        var hessian = new T[n * n];
        function.Hessian(x, hessian);
        var gamma = Gamma<T>(sample.Operations);
        var scratch = new T[n];
        for (var i = 0; i < n; i++)
        {
            var row = i;
            T Component(T[] p)
            {
                function.EvaluateWithGradient(p, scratch);
                return scratch[row];
            }

            for (var j = 0; j < n; j++)
            {
                Assert.Equal(hessian[(i * n) + j], hessian[(j * n) + i]);
                var (estimate, bound) = ReferenceDifference.Partial<T>(Component, point, j, p => sample.AbsoluteGradient(p, row), sample.Operations);
                var analytic = double.CreateChecked(hessian[(i * n) + j]);
                var tolerance = bound + (gamma * sample.AbsoluteHessian(point, i, j));
                Assert.True(
                    Math.Abs(analytic - estimate) <= tolerance,
                    $"{typeof(T).Name} {sample}: H[{i},{j}] analytic {analytic:R}, central difference {estimate:R}, |Δ| = {Math.Abs(analytic - estimate):G3} > {tolerance:G3}");
            }
        }
    }

    private static double Gamma<T>(int operations)
        where T : IFloatingPointIeee754<T>
    {
        var u = ReferenceDifference.MachineEpsilon<T>() / 2;
        return operations * u / (1 - (operations * u));
    }
}
