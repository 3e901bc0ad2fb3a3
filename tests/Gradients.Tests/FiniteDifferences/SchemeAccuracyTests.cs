using System.Numerics;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Gradients.Tests.Properties;

namespace Gradients.Tests.FiniteDifferences;

/// <summary>
/// Every scheme, in double and in float, against the error model of <see cref="ErrorModel"/> on separable
/// functions Σ g(xᵢ) whose derivative bounds are known on every stencil interval.
/// </summary>
public sealed class SchemeAccuracyTests
{
    /// <summary>
    /// The fixed-step schemes, whose error the a-priori model bounds; Adaptive chooses its own step and is held to
    /// its own error estimate instead (AdaptiveEstimateCalibrationTests, Reference/ReferenceAccuracyTests).
    /// </summary>
    private static readonly Gen<FiniteDifferenceScheme> Schemes = Gen.Elements(TestFunctions.FixedStepSchemes);

    /// <summary>exp and sin over 1e-6…10 (where they are well-scaled), x³/3 + x over 1e-6…1e6.</summary>
    internal static Gen<(Component Component, double[] X)> SeparableCases(int maxLength) =>
        from component in Gen.Elements(Component.Exp, Component.Sin, Component.Cubic)
        from n in Gen.Choose(1, maxLength)
        from x in Generators.Vector(component == Component.Cubic ? Generators.Wide : Generators.Magnitude(-6, 1), n)
        select (component, x);

    [Property(MaxTest = 200)]
    public Property Every_scheme_is_within_its_error_model_in_double() =>
        Prop.ForAll(
            (from c in SeparableCases(4) from scheme in Schemes select (c.Component, c.X, scheme)).ToArbitrary(),
            c => WithinModel<double>(c.Component, c.X, c.scheme));

    [Property(MaxTest = 200)]
    public Property Every_scheme_is_within_its_error_model_in_float() =>
        Prop.ForAll(
            (from c in SeparableCases(4) from scheme in Schemes select (c.Component, c.X, scheme)).ToArbitrary(),
            c => WithinModel<float>(c.Component, c.X, c.scheme));

    /// <summary>
    /// Runs <paramref name="scheme"/> in <typeparamref name="T"/> and checks each component against the model with
    /// bounds taken over [xᵢ − 2h, xᵢ + 2h] (the widest stencil) and u = (n + 4)ε: a sum of n terms, each from at
    /// most four roundings.
    /// </summary>
    internal static Property WithinModel<T>(Component component, double[] xDouble, FiniteDifferenceScheme scheme)
        where T : IFloatingPointIeee754<T>
    {
        var x = xDouble.Select(T.CreateTruncating).ToArray();
        var n = x.Length;
        var gradient = new T[n];
        var steps = new T[n];
        var result = FiniteDifference.Gradient(
            v => TestFunctions.Separable(component, v), x, gradient, new FiniteDifferenceOptions<T> { Scheme = scheme }, steps: steps);

        var ok = result.OneSidedCoordinates == 0;
        var details = "";
        for (var i = 0; i < n; i++)
        {
            var xi = double.CreateTruncating(x[i]);
            var h = double.CreateTruncating(steps[i]);
            var exact = component.Derivative(xi);
            var local = component.Bounds(xi - (2 * h), xi + (2 * h), xi);
            var others = 0.0;
            for (var j = 0; j < n; j++)
            {
                others += j == i ? 0 : Math.Abs(double.CreateTruncating(component.Value(x[j])));
            }

            var bounds = local with { Value = local.Value + others };
            var bound = ErrorModel.FirstDerivative<T>(scheme, h, bounds, evaluationUlps: n + 4);
            var error = Math.Abs(double.CreateTruncating(gradient[i]) - exact);
            ok &= error <= bound;
            details += $"[{i}] x={xi} h={h} D={gradient[i]} exact={exact} error={error:E2} bound={bound:E2}; ";
        }

        return ok.Label($"{component} {scheme} {typeof(T).Name}: {details}");
    }

    [Property(MaxTest = 200)]
    public Property Richardson_relative_error_is_below_2e_10_in_double() =>
        Prop.ForAll(
            (from component in Gen.Elements(Component.Cubic, Component.Exp, Component.Sin)
             from x in component == Component.Cubic ? Generators.Wide : Generators.Magnitude(-6, 0)
             select (component, x)).ToArbitrary(),
            c =>
            {
                // Extrapolated error k⁴|g⁽⁵⁾|/30 + 1.5ε|g|/k with k = 1.5∛ε·max(|x|, 1): the round-off term is
                // ε^(2/3)·|g|/(|g′|·max(|x|, 1)) ≈ 3.7e-11 times |g|/|g′| ≤ 3 for these components and points, plus a
                // few ulps of each value: below 2e-10 relative.
                var gradient = new double[1];
                _ = FiniteDifference.Gradient<double>(
                    v => TestFunctions.Separable(c.component, v), [c.x], gradient, new FiniteDifferenceOptions<double> { Scheme = FiniteDifferenceScheme.Richardson });
                var exact = c.component.Derivative(c.x);
                return (Math.Abs(gradient[0] - exact) <= 2e-10 * Math.Abs(exact)).Label($"{c.component} at {c.x}: {gradient[0]} vs {exact}");
            });

    [Fact]
    public void Evaluation_counts_follow_the_scheme()
    {
        double[] x = [0.5, -1.5, 2.5, 0.25];
        var gradient = new double[4];
        int Count(FiniteDifferenceOptions<double> options) =>
            FiniteDifference.Gradient<double>(TestFunctions.Rosenbrock, x, gradient, options).Evaluations;

        Assert.Equal(8, Count(new() { Scheme = FiniteDifferenceScheme.Central }));
        Assert.Equal(5, Count(new() { Scheme = FiniteDifferenceScheme.Forward }));
        Assert.Equal(5, Count(new() { Scheme = FiniteDifferenceScheme.Backward }));
        Assert.Equal(4, Count(new() { Scheme = FiniteDifferenceScheme.Forward, FunctionValue = TestFunctions.Rosenbrock<double>(x) }));
        Assert.Equal(16, Count(new() { Scheme = FiniteDifferenceScheme.FourthOrderCentral }));
        Assert.Equal(16, Count(new() { Scheme = FiniteDifferenceScheme.Richardson }));
    }

    [Fact]
    public void Default_steps_follow_the_documented_powers_of_machine_epsilon()
    {
        double[] x = [0.001, 3.0, -250.0];
        var gradient = new double[3];
        var steps = new double[3];
        var epsilon = Math.Pow(2, -52);
        (FiniteDifferenceScheme Scheme, double Power)[] rules =
        [
            (FiniteDifferenceScheme.Forward, 1.0 / 2),
            (FiniteDifferenceScheme.Central, 1.0 / 3),
        ];
        (FiniteDifferenceScheme Scheme, double Multiple)[] centralMultiples =
        [
            (FiniteDifferenceScheme.FourthOrderCentral, 1.5),
            (FiniteDifferenceScheme.Richardson, 3),
        ];

        foreach (var (scheme, power) in rules)
        {
            _ = FiniteDifference.Gradient<double>(TestFunctions.LogSumExp, x, gradient, new FiniteDifferenceOptions<double> { Scheme = scheme }, steps: steps);
            for (var i = 0; i < 3; i++)
            {
                var nominal = Math.Pow(epsilon, power) * Math.Max(Math.Abs(x[i]), 1);

                // Rounding h to (|x| + h) − |x| moves it by at most one ulp of |x| + h.
                Assert.InRange(steps[i], nominal - (2 * epsilon * (Math.Abs(x[i]) + nominal)), nominal + (2 * epsilon * (Math.Abs(x[i]) + nominal)));
                Assert.Equal(steps[i], (Math.Abs(x[i]) + steps[i]) - Math.Abs(x[i]));
            }
        }

        // Fourth order and Richardson: multiples of the central step (StepSize.Factor's remarks derive them).
        foreach (var (scheme, multiple) in centralMultiples)
        {
            _ = FiniteDifference.Gradient<double>(TestFunctions.LogSumExp, x, gradient, new FiniteDifferenceOptions<double> { Scheme = scheme }, steps: steps);
            for (var i = 0; i < 3; i++)
            {
                var nominal = multiple * Math.Cbrt(epsilon) * Math.Max(Math.Abs(x[i]), 1);
                Assert.InRange(steps[i], nominal - (2 * epsilon * (Math.Abs(x[i]) + nominal)), nominal + (2 * epsilon * (Math.Abs(x[i]) + nominal)));
            }
        }

        Assert.Equal(Math.Pow(2, -52), StepSize.MachineEpsilon<double>());
        Assert.Equal(MathF.Pow(2, -23), StepSize.MachineEpsilon<float>());
    }

    [Fact]
    public void User_steps_relative_absolute_and_per_coordinate_are_honoured()
    {
        double[] x = [10.0, -0.5];
        var gradient = new double[2];
        var steps = new double[2];

        _ = FiniteDifference.Gradient<double>(TestFunctions.Chapter, x, gradient, new FiniteDifferenceOptions<double> { Step = 1.0 / 1024 }, steps: steps);
        Assert.Equal([10.0 / 1024, 1.0 / 1024], steps);

        _ = FiniteDifference.Gradient<double>(TestFunctions.Chapter, x, gradient, new FiniteDifferenceOptions<double> { Step = 1.0 / 1024, StepKind = StepSizeKind.Absolute }, steps: steps);
        Assert.Equal([1.0 / 1024, 1.0 / 1024], steps);

        _ = FiniteDifference.Gradient<double>(TestFunctions.Chapter, x, gradient, new FiniteDifferenceOptions<double> { Steps = new[] { 0.5, 0.25 }, StepKind = StepSizeKind.Absolute }, steps: steps);
        Assert.Equal([0.5, 0.25], steps);

        // Quadratic f: central differences are exact up to round-off whatever the step.
        Assert.Equal(20.0, gradient[0], 1e-12);
        Assert.Equal(-5.0, gradient[1], 1e-12);
    }
}
