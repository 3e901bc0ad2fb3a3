using System.Numerics;

namespace Gradients.Tests.FiniteDifferences;

/// <summary>
/// An f that varies on a scale far below max(|x|, 1): Adaptive's first step, ¼·max(|x|, 1), is then far outside the
/// range where the quotient's error behaves like c·h², and the way down passes rows that only look converged. Ridders'
/// estimate (the spread of the tableau) assumes every row it extrapolates across is in that range; before the rate test,
/// the restart at a jump and the cross-row terms (docs/accuracy.md, "Estimates far from f's scale"), it came back up to 86×
/// (double) and 3000× (float) below the true error here, and <c>GradientCheck.Check</c>
/// flagged correct log-sum-exp gradients (3 false alarms in 1.4 million checks of the function catalog).
/// </summary>
public sealed class AdaptiveScaleTests
{
    /// <summary>
    /// f(x) = a·x + softplus(k·(x − x₀) + s) at x₀: |x₀| from 10 to 10⁴, the scale 1/k from 0.1 to 10, and f′ anywhere on
    /// the sigmoid (|s| ≤ 15). The gradient checker multiplies an estimate by its safety factor 10, so an estimate more
    /// than 10× below the error is a false alarm waiting to happen: none may be. And as for the calibration set
    /// (AdaptiveEstimateCalibrationTests), at least 95 % of the estimates must bound the error outright.
    /// </summary>
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Estimates_hold_when_f_varies_on_a_scale_far_below_x_in_double(int seed) =>
        AssertEstimatesHold<double>(seed, maxUnderestimate: 10);

    /// <summary>
    /// The same family in float (|x₀| up to 10⁴, where neighbouring floats are 10⁻³ apart), held to the calibration bar
    /// only: at least 95 % covered (99.95 % measured; 75.5 % before). Not to the 10× bound: where h ≫ 1/k the quotient is
    /// a + k/2 + c/h, nearly constant, and its changes are below what the rounding of a float argument (ε·|x|·|f′|/h)
    /// can explain, so no test on the changes can tell it from round-off (3 of 6000 cases not covered, the worst 875×;
    /// docs/accuracy.md).
    /// </summary>
    [Theory]
    [InlineData(3)]
    [InlineData(4)]
    public void Estimates_hold_when_f_varies_on_a_scale_far_below_x_in_float(int seed) =>
        AssertEstimatesHold<float>(seed, maxUnderestimate: double.PositiveInfinity);

    /// <summary>
    /// The CI failure that found the class: log-sum-exp along x₁ = 77.09 beside x₂ = 68.55 is x₁ plus a sigmoid tail,
    /// and the adaptive tableau returned 0.99980 with an estimate of 5.5e-9 at an error of 9.6e-8, so the correct
    /// gradient failed the check. Three coordinates are enough to reproduce it.
    /// </summary>
    [Fact]
    public void The_log_sum_exp_gradient_that_failed_the_check_passes()
    {
        double[] x = [77.090346906443, 68.54882264526617, -39.902490236214206];
        var report = GradientCheck.Check<double, LogSumExp<double>>(default, x);
        Assert.True(report.Passed, report.ToString());

        var line = FiniteDifference.Derivative(
            t => default(LogSumExp<double>).Evaluate([t, x[1], x[2]]),
            x[0],
            new FiniteDifferenceOptions<double> { Scheme = FiniteDifferenceScheme.Adaptive });
        var exact = 1 / (1 + Math.Exp(x[1] - x[0]) + Math.Exp(x[2] - x[0]));
        Assert.True(Math.Abs(line.Value - exact) <= line.ErrorEstimate, $"value {line.Value:R}, exact {exact:R}, estimate {line.ErrorEstimate:E2}");
    }

    private static void AssertEstimatesHold<T>(int seed, double maxUnderestimate)
        where T : IFloatingPointIeee754<T>
    {
        const int Cases = 3000;
        var random = new Random(seed);
        var options = new FiniteDifferenceOptions<T> { Scheme = FiniteDifferenceScheme.Adaptive };
        var epsilon = double.CreateTruncating(StepSize.MachineEpsilon<T>());
        var covered = 0;
        var worst = 0.0;
        var worstCase = "";
        for (var c = 0; c < Cases; c++)
        {
            var x0 = T.CreateTruncating(Math.Pow(10, 1 + (random.NextDouble() * 3)) * (random.Next(2) == 0 ? -1 : 1));
            var k = T.CreateTruncating(Math.Pow(10, (random.NextDouble() * 2) - 1));
            var s = T.CreateTruncating((random.NextDouble() * 30) - 15);
            var a = T.CreateTruncating((random.NextDouble() * 2) - 1);
            var estimate = FiniteDifference.Derivative(v => (a * v) + Softplus((k * (v - x0)) + s), x0, options);

            var (kd, sd, ad) = (double.CreateTruncating(k), double.CreateTruncating(s), double.CreateTruncating(a));
            var exact = ad + (kd / (1 + Math.Exp(-sd)));
            var error = Math.Abs(double.CreateTruncating(estimate.Value) - exact);

            // What no step can remove: f's own rounding. Each value is a·x + softplus(z) with z = k·(x − x₀) + s rounded
            // at every operation, a few ε of |a·x| + |k·x| + |s| at |x| ≈ |x₀|; a quotient at step h carries that over h.
            // The estimate states the error of its quotient beyond the round-off it models (ε|f|/h), so cases where this
            // floor dominates are measured against it, as the calibration set measures against its reference.
            var x0d = double.CreateTruncating(x0);
            var floor = 4 * epsilon * ((Math.Abs(ad * x0d) + Math.Abs(kd * x0d) + Math.Abs(sd)) / double.CreateTruncating(estimate.Step));
            var bound = double.CreateTruncating(estimate.ErrorEstimate) + floor + (8 * epsilon * Math.Abs(exact));
            if (error <= bound)
            {
                covered++;
            }

            var ratio = error / bound;
            if (ratio > worst)
            {
                worst = ratio;
                worstCase = FormattableString.Invariant($"x₀ = {x0d:R}, k = {kd:R}, s = {sd:R}, a = {ad:R}: value {estimate.Value}, exact {exact:R}, estimate {estimate.ErrorEstimate}, step {estimate.Step}");
            }
        }

        var summary = FormattableString.Invariant($"{typeof(T).Name}: {covered} of {Cases} covered, worst error/estimate {worst:F1} ({worstCase})");
        var directory = Path.Combine(RepositoryPaths.Root, "artifacts", "accuracy");
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, $"scale-{typeof(T).Name}-{seed}.txt"), summary + Environment.NewLine);
        Assert.True(worst <= maxUnderestimate, summary);
        Assert.True(covered >= 0.95 * Cases, summary);
    }

    private static T Softplus<T>(T z)
        where T : IFloatingPointIeee754<T> =>
        z > T.Zero ? z + T.Log(T.One + T.Exp(-z)) : T.Log(T.One + T.Exp(z));
}
