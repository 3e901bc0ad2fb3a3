using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Gradients.Tests.Properties;

namespace Gradients.Tests.FiniteDifferences;

/// <summary>The error estimate of Richardson extrapolation must bound the true error in at least 95% of cases.</summary>
public sealed class RichardsonEstimateTests
{
    private enum Family
    {
        Separable,
        LogSumExp,
        Rosenbrock,
    }

    private static readonly Gen<(Family Family, Component Component, double[] X)> Cases =
        from family in Gen.Elements(Family.Separable, Family.Separable, Family.LogSumExp, Family.Rosenbrock)
        from component in Gen.Elements(Component.Exp, Component.Sin, Component.Cubic, Component.LogOnePlusSquare)
        from n in Gen.Choose(family == Family.Rosenbrock ? 2 : 1, 6)
        from x in Generators.Vector(family == Family.Separable && component == Component.Cubic ? Generators.Wide : Generators.Unit, n)
        select (family, component, x);

    /// <summary>
    /// Each run draws a batch of 100 functions and points (every component counts as a case) and requires the
    /// estimate E to satisfy |D − exact| ≤ E + ε|exact| in ≥ 95% of components; ε|exact| is the error of the
    /// double-precision reference derivative itself.
    /// </summary>
    [Property(MaxTest = 6)]
    public Property Estimate_bounds_the_true_error_in_at_least_95_percent_of_cases() =>
        Prop.ForAll(Cases.ArrayOf(100).ToArbitrary(), batch =>
        {
            var covered = 0;
            var total = 0;
            var epsilon = Math.Pow(2, -52);
            foreach (var (family, component, x) in batch)
            {
                var n = x.Length;
                var numeric = new double[n];
                var estimates = new double[n];
                var exact = new double[n];
                Func<ReadOnlySpan<double>, double> f;
                switch (family)
                {
                    case Family.LogSumExp:
                        f = TestFunctions.LogSumExp;
                        TestFunctions.LogSumExpGradient(x, exact);
                        break;
                    case Family.Rosenbrock:
                        f = TestFunctions.Rosenbrock;
                        TestFunctions.RosenbrockGradient(x, exact);
                        break;
                    default:
                        f = v => TestFunctions.Separable(component, v);
                        for (var i = 0; i < n; i++)
                        {
                            exact[i] = component.Derivative(x[i]);
                        }

                        break;
                }

                var result = FiniteDifference.Gradient(f, x, numeric, new FiniteDifferenceOptions<double> { Scheme = FiniteDifferenceScheme.Richardson }, estimates);
                if (!result.HasErrorEstimate)
                {
                    return false.Label("Richardson reported no estimate");
                }

                for (var i = 0; i < n; i++)
                {
                    total++;
                    if (Math.Abs(numeric[i] - exact[i]) <= estimates[i] + (epsilon * Math.Abs(exact[i])))
                    {
                        covered++;
                    }
                }
            }

            return (covered >= 0.95 * total).Label($"covered {covered} of {total}");
        });

    [Fact]
    public void Other_schemes_report_no_estimate_and_Richardson_reports_the_largest()
    {
        double[] x = [0.3, 1.7];
        var gradient = new double[2];
        var estimates = new double[2];

        var central = FiniteDifference.Gradient<double>(TestFunctions.LogSumExp, x, gradient, default(FiniteDifferenceOptions<double>), estimates);
        Assert.False(central.HasErrorEstimate);
        Assert.All(estimates, e => Assert.True(double.IsNaN(e)));

        var richardson = FiniteDifference.Gradient<double>(TestFunctions.LogSumExp, x, gradient, new FiniteDifferenceOptions<double> { Scheme = FiniteDifferenceScheme.Richardson }, estimates);
        Assert.True(richardson.HasErrorEstimate);
        Assert.Equal(estimates.Max(), richardson.MaxErrorEstimate);
        Assert.All(estimates, e => Assert.True(e > 0));
    }

    [Fact]
    public void Derivative_with_Richardson_estimates_its_own_error_for_sin()
    {
        var estimate = FiniteDifference.Derivative(Math.Sin, 0.7, new FiniteDifferenceOptions<double> { Scheme = FiniteDifferenceScheme.Richardson });

        Assert.True(estimate.HasErrorEstimate);
        Assert.Equal(4, estimate.Evaluations);
        Assert.InRange(Math.Abs(estimate.Value - Math.Cos(0.7)), 0, estimate.ErrorEstimate);
    }
}
