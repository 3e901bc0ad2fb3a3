namespace Gradients.Tests.FiniteDifferences;

/// <summary>The behaviour of <see cref="FiniteDifferenceScheme.Adaptive"/> beyond its accuracy (see Reference/).</summary>
public sealed class AdaptiveSchemeTests
{
    private static readonly FiniteDifferenceOptions<double> Adaptive = new() { Scheme = FiniteDifferenceScheme.Adaptive };

    [Fact]
    public void A_stencil_point_outside_the_domain_shrinks_the_step_instead_of_throwing()
    {
        // log at 1e-6 with the default policy (Throw): the first steps reach x − h < 0, where log is NaN.
        var estimate = FiniteDifference.Derivative(Math.Log, 1e-6, Adaptive);
        Assert.Equal(1e6, estimate.Value, 1e6 * 1e-10);
        Assert.False(estimate.OneSided);
        Assert.True(estimate.Step < 1e-6, $"step {estimate.Step}");
    }

    [Fact]
    public void It_throws_only_when_no_step_works()
    {
        // Finite only at x itself: no stencil on either side ever gives a finite value.
        var e = Assert.Throws<NotFiniteNumberException>(() =>
            FiniteDifference.Derivative(v => v == 2.0 ? 1.0 : double.NaN, 2.0, Adaptive));
        Assert.Contains("NaN", e.Message, StringComparison.Ordinal);

        // sqrt at 0: no central step exists, the one-sided tableau on the right does (the slope is infinite, so the
        // quotients never converge: a large estimate, not a silent success).
        var sqrt = FiniteDifference.Derivative(Math.Sqrt, 0.0, Adaptive);
        Assert.True(sqrt.OneSided);
        Assert.True(sqrt.ErrorEstimate >= 0.1 * Math.Abs(sqrt.Value), $"{sqrt}");
    }

    [Fact]
    public void On_a_bound_it_turns_one_sided_and_stays_in_the_box()
    {
        var evaluatedBelow = false;
        var options = Adaptive with { LowerBounds = new[] { 1.0 } };
        var estimate = FiniteDifference.Derivative(
            v =>
            {
                evaluatedBelow |= v < 1.0;
                return Math.Exp(v);
            },
            1.0,
            options);
        Assert.False(evaluatedBelow);
        Assert.True(estimate.OneSided);
        var error = Math.Abs(estimate.Value - Math.E);
        Assert.True(error <= 1e-10, $"error {error:E2}");
        Assert.True(error <= estimate.ErrorEstimate, $"estimate {estimate.ErrorEstimate:E2} < error {error:E2}");
    }

    [Fact]
    public void Extreme_magnitudes_give_finite_correct_slopes()
    {
        // Near the top of the range the first steps overflow x ± h; they are shrunk like a domain violation.
        var nearMax = FiniteDifference.Derivative(v => Math.Tanh(v / 1e308), 1.7e308, Adaptive);
        Assert.True(double.IsFinite(nearMax.Value));
        Assert.Equal((1 - Math.Pow(Math.Tanh(1.7), 2)) / 1e308, nearMax.Value, 1e-300);

        // f(x ± h) finite, their difference beyond double: the quotient is scaled, never ±∞ (the slope 1e308 exists).
        var steep = FiniteDifference.Derivative(v => 1e308 * v, 0.0, Adaptive);
        Assert.Equal(1e308, steep.Value, 1e308 * 1e-12);
    }

    [Fact]
    public void Gradient_reports_every_evaluation_and_the_estimate_per_component()
    {
        double[] x = [-1.2, 1.0, 0.5];
        var gradient = new double[3];
        var estimates = new double[3];
        var calls = 0;
        var result = FiniteDifference.Gradient(
            v =>
            {
                calls++;
                return TestFunctions.Rosenbrock(v);
            },
            x,
            gradient,
            Adaptive,
            estimates);
        Assert.Equal(calls, result.Evaluations);
        var exact = new double[3];
        TestFunctions.RosenbrockGradient(x, exact);
        for (var i = 0; i < 3; i++)
        {
            Assert.True(Math.Abs(gradient[i] - exact[i]) <= estimates[i] + (1e-15 * Math.Abs(exact[i])), $"[{i}] {gradient[i]} vs {exact[i]}, estimate {estimates[i]}");
        }

        Assert.Equal(estimates.Max(), result.MaxErrorEstimate);
    }

    [Fact]
    public void Directional_derivative_works_and_the_hessian_rejects_the_scheme_saying_why()
    {
        double[] x = [0.3, -0.7];
        double[] u = [0.6, 0.8];
        var estimate = FiniteDifference.DirectionalDerivative(v => Math.Sin(v[0]) * Math.Exp(v[1]), x, u, Adaptive);
        var exact = (0.6 * Math.Cos(0.3) * Math.Exp(-0.7)) + (0.8 * Math.Sin(0.3) * Math.Exp(-0.7));
        Assert.True(Math.Abs(estimate.Value - exact) <= 1e-12, $"{estimate.Value} vs {exact}");

        var e = Assert.Throws<ArgumentException>(() =>
            FiniteDifference.Hessian(v => v[0] * v[1], x, new double[4], Adaptive));
        Assert.Equal("options", e.ParamName);
        Assert.Contains("Adaptive", e.Message, StringComparison.Ordinal);
        Assert.Contains("16n²", e.Message, StringComparison.Ordinal); // the reason: the cost per entry
        Assert.Contains("Jacobian of the gradient", e.Message, StringComparison.Ordinal); // and the way to get one
    }

    [Theory]
    [InlineData(100)] // the point's copy on the stack
    [InlineData(1000)] // rented from the array pool
    public void The_serial_gradient_allocates_nothing(int n)
    {
        var x = Enumerable.Range(0, n).Select(i => i % 2 == 0 ? -1.2 : 1.0).ToArray();
        var gradient = new double[x.Length];
        var estimates = new double[x.Length];
        var function = new Rosenbrock<double>();
        _ = FiniteDifference.Gradient(function, x, gradient, Adaptive, estimates);
        Assert.Equal(0, CallingThreadBytes.FewestInRounds(() => FiniteDifference.Gradient(function, x, gradient, Adaptive, estimates)));
    }
}
