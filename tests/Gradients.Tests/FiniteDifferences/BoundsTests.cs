using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Gradients.Tests.Properties;

namespace Gradients.Tests.FiniteDifferences;

public sealed class BoundsTests
{
    /// <summary>A box [lower, upper] around x with some coordinates on a bound and some within a step of one.</summary>
    private static readonly Gen<(double[] X, double[] Lower, double[] Upper)> BoxedPoints =
        from n in Gen.Choose(1, 6)
        from x in Generators.Vector(Generators.Unit, n)
        from placement in Gen.Choose(0, 5).ArrayOf(n)
        from gap in Generators.PositiveMagnitude(-9, -1).ArrayOf(n)
        select Box(x, placement, gap);

    private static (double[] X, double[] Lower, double[] Upper) Box(double[] x, int[] placement, double[] gap)
    {
        var lower = new double[x.Length];
        var upper = new double[x.Length];
        for (var i = 0; i < x.Length; i++)
        {
            (lower[i], upper[i]) = placement[i] switch
            {
                0 => (x[i], x[i] + 1),                   // on the lower bound
                1 => (x[i] - 1, x[i]),                   // on the upper bound
                2 => (x[i] - gap[i], x[i] + 1),          // close above the lower bound
                3 => (x[i] - 1, x[i] + gap[i]),          // close below the upper bound
                4 => (x[i] - gap[i], x[i] + gap[i]),     // in a narrow box
                _ => (double.NegativeInfinity, double.PositiveInfinity),
            };
        }

        return (x, lower, upper);
    }

    [Property(MaxTest = 150)]
    public Property f_is_never_evaluated_outside_the_box_by_any_scheme() =>
        Prop.ForAll(
            (from box in BoxedPoints from scheme in Gen.Elements(Enum.GetValues<FiniteDifferenceScheme>()) select (box, scheme)).ToArbitrary(),
            c =>
            {
                var (x, lower, upper) = c.box;
                var outside = 0;
                double Watched(ReadOnlySpan<double> v)
                {
                    for (var i = 0; i < v.Length; i++)
                    {
                        outside += v[i] < lower[i] || v[i] > upper[i] ? 1 : 0;
                    }

                    return TestFunctions.LogSumExp(v);
                }

                var options = new FiniteDifferenceOptions<double> { Scheme = c.scheme, LowerBounds = lower, UpperBounds = upper };
                var gradient = new double[x.Length];
                _ = FiniteDifference.Gradient(Watched, x, gradient, options);
                // A direction into the box (towards each coordinate's roomier side), so a step along it exists.
                var inward = x.Select((v, i) => upper[i] - v >= v - lower[i] ? 1.0 : -1.0).ToArray();
                _ = FiniteDifference.DirectionalDerivative(Watched, x, inward, options);
                _ = FiniteDifference.Hessian(Watched, x, new double[x.Length * x.Length], new FiniteDifferenceOptions<double> { LowerBounds = lower, UpperBounds = upper });
                _ = FiniteDifference.Jacobian<double>((v, values) => values[0] = Watched(v), x, new double[x.Length], options);
                return (outside == 0).Label($"{outside} evaluations outside the box");
            });

    [Property(MaxTest = 200)]
    public Property One_sided_stencils_near_bounds_are_within_their_error_model() =>
        Prop.ForAll(
            (from c in SchemeAccuracyTests.SeparableCases(3)
             from scheme in Gen.Elements(Enum.GetValues<FiniteDifferenceScheme>())
             from onUpper in Gen.Elements(false, true).ArrayOf(c.X.Length)
             select (c.Component, c.X, scheme, onUpper)).ToArbitrary(),
            c =>
            {
                // Every coordinate sits on a bound, so every stencil is one-sided (the model of
                // ErrorModel.OneSidedFirstDerivative) and reaches up to 2h away on the open side.
                var n = c.X.Length;
                var lower = c.X.Select((v, i) => c.onUpper[i] ? double.NegativeInfinity : v).ToArray();
                var upper = c.X.Select((v, i) => c.onUpper[i] ? v : double.PositiveInfinity).ToArray();
                var gradient = new double[n];
                var steps = new double[n];
                var result = FiniteDifference.Gradient(
                    v => TestFunctions.Separable(c.Component, v),
                    c.X,
                    gradient,
                    new FiniteDifferenceOptions<double> { Scheme = c.scheme, LowerBounds = lower, UpperBounds = upper },
                    steps: steps);
                var expectedOneSided = c.scheme switch
                {
                    FiniteDifferenceScheme.Forward => c.onUpper.Count(u => u),
                    FiniteDifferenceScheme.Backward => c.onUpper.Count(u => !u),
                    _ => n,
                };
                var ok = result.OneSidedCoordinates == expectedOneSided;
                var details = "";
                for (var i = 0; i < n; i++)
                {
                    var h = steps[i];
                    var local = c.Component.Bounds(c.X[i] - (4 * h), c.X[i] + (4 * h), c.X[i]);
                    var others = c.X.Where((_, j) => j != i).Sum(v => Math.Abs(c.Component.Value(v)));
                    var bound = ErrorModel.OneSidedFirstDerivative<double>(c.scheme, h, local with { Value = local.Value + others }, evaluationUlps: n + 4);
                    var error = Math.Abs(gradient[i] - c.Component.Derivative(c.X[i]));
                    ok &= error <= bound;
                    details += $"[{i}] x={c.X[i]} h={h} error={error:E2} bound={bound:E2}; ";
                }

                return ok.Label($"{c.Component} {c.scheme} one-sided {result.OneSidedCoordinates}: {details}");
            });

    [Fact]
    public void A_box_that_pins_a_coordinate_is_rejected_naming_it()
    {
        var exception = Assert.Throws<ArgumentException>(() => FiniteDifference.Gradient<double>(
            TestFunctions.Chapter, [1.0, 0.5], new double[2], new FiniteDifferenceOptions<double> { LowerBounds = new[] { 0.0, 0.5 }, UpperBounds = new[] { 2.0, 0.5 } }));

        Assert.Equal("options", exception.ParamName);
        Assert.Contains("coordinate 1", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bounds_that_exclude_x_are_rejected_naming_the_coordinate_and_sizes()
    {
        var exception = Assert.Throws<ArgumentException>(() => FiniteDifference.Gradient<double>(
            TestFunctions.Chapter, [1.0, 0.5], new double[2], new FiniteDifferenceOptions<double> { LowerBounds = new[] { 0.0, 0.6 } }));

        Assert.Equal("options", exception.ParamName);
        Assert.Contains("x[1] = 0.5", exception.Message, StringComparison.Ordinal);
        Assert.Contains("length 2", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Derivative_of_sqrt_at_its_domain_edge_stays_inside_and_is_accurate()
    {
        var calls = new List<double>();
        var estimate = FiniteDifference.Derivative(
            t =>
            {
                calls.Add(t);
                return Math.Sqrt(t);
            },
            1e-3,
            new FiniteDifferenceOptions<double> { LowerBounds = new[] { 0.0 } });

        Assert.All(calls, t => Assert.True(t >= 0));

        // The box [0, ∞) leaves 1e-3 below x, less than the central reach ∛ε ≈ 6e-6? No: 1e-3 > 6e-6, so the
        // stencil stays central; the error model is h²|f‴|/6 with |f‴| = (3/8)t^(-5/2) on [x − h, x + h].
        var h = estimate.Step;
        var third = 0.375 * Math.Pow(1e-3 - h, -2.5);
        var bound = ErrorModel.FirstDerivative<double>(FiniteDifferenceScheme.Central, h, new DerivativeBounds(Math.Sqrt(1e-3 + h), 0.5 / Math.Sqrt(1e-3), 0, third, 0));
        Assert.False(estimate.OneSided);
        Assert.InRange(Math.Abs(estimate.Value - (0.5 / Math.Sqrt(1e-3))), 0, bound);
    }
}
