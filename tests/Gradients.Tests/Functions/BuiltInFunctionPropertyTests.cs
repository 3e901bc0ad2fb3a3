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

    [Fact]
    public void Float_Hessian_of_log_sum_exp_agrees_where_the_step_is_far_from_its_scale()
    {
        // Found by CI (7 December 2026): float H[12,12] analytic 0.15862983, central difference 0.15888900, |Δ| = 2.6e-4
        // against a tolerance of 2.15e-4. The step follows max(|xⱼ|, 1) (here up to 76.7, h = 0.5), log-sum-exp varies on a
        // scale of 1, and the truncation estimate from the steps h and 2h alone fell below the truncation.
        double[] point =
        [
            1.233104833228909, 0.017458221529205037, 42.46195639463128, -19.860949173573715, 5.105049999754062, -0.00030831879502493534,
            1.355189412351036, 22.02926463053456, 0.0015739828644662198, -0.0006194410750767811, -0.00016218100973589298, -2.673006408663309E-06,
            76.73614893618189, 3.326595532940047E-05, -4.226686142656033E-05, -3.097419299216578E-06, 75.33555637337174, -0.008994975815300356,
            -0.01892343618644975, 0.0004073802778041126, 0.2023019178678272, 1.109174815262401E-05, -17.02158508394951, -0.1241652307592411,
            -2.7925438412373382, -16.032453906900418, -0.0007620790100254123, -0.32284941217126356, -6.745280276979219, 40.55085354483839,
            -0.04102041029866068, 0.03206269324505466, -0.00017498466886246565, 3.749730022454835, 0.03548133892335755, 2.1281390459827135E-05,
        ];
        var sample = new FunctionSample(
            "LogSumExp", new LogSumExp<double>(), new LogSumExp<float>(), point, x => [x.Max(Math.Abs) + x.Length], GradientBound: 1.0, HessianBound: 1.0);
        HessianAgrees(sample, sample.Single);
    }

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
