using System.Globalization;
using System.Numerics;

namespace Gradients.Tests.FiniteDifferences;

/// <summary>
/// A periodic f far from the origin: Adaptive's steps start at ¼·|x|, thousands of periods, and pass steps near
/// multiples of the period on the way down. With a ratio of 2 between steps, a step h ≈ 2π·N·2ᵐ stays near a multiple
/// for m rows, and the quotients cos(x)·sin(h)/h of those rows agree like a converged sequence (7.4 % of sin and cos
/// at |x| in 1e3…1e6 came back wrong with a round-off-sized estimate, among them ±37000 of the reference set). The ratio
/// 2.1 (no power of two) and the convergence check (a finer quotient that jumps away from a converged value reopens
/// the search and widens the estimate) leave no silent failure there.
/// </summary>
public sealed class AdaptiveAliasingTests
{
    [Fact]
    public void Sin_and_cos_far_from_the_origin_are_right_or_flagged_in_double() =>
        AssertNoSilentFailure<double>(seed: 5, minExponent: 3, maxExponent: 6);

    /// <summary>
    /// In float up to 1e5, where neighbouring floats are at most 0.008 apart and a step on the scale of the period
    /// exists; beyond that the spacing approaches the period and no step works (docs/accuracy.md).
    /// </summary>
    [Fact]
    public void Sin_and_cos_far_from_the_origin_are_right_or_flagged_in_float() =>
        AssertNoSilentFailure<float>(seed: 6, minExponent: 3, maxExponent: 5);

    [Theory]
    [InlineData(37000.0)]
    [InlineData(-37000.0)]
    public void The_reference_points_that_aliased_are_now_accurate(double x)
    {
        var options = new FiniteDifferenceOptions<double> { Scheme = FiniteDifferenceScheme.Adaptive };
        foreach (var (f, exact) in new (Func<double, double>, double)[] { (Math.Sin, Math.Cos(x)), (Math.Cos, -Math.Sin(x)) })
        {
            var estimate = FiniteDifference.Derivative(f, x, options);
            // sin and cos at |x| = 37000 are evaluated to ~ε·|x| absolute (the argument reduction keeps x exact, the
            // stencil points x ± h are exact), so the best step is near 1e-3 and the error ~1e-12; 1e-9 is far from
            // the aliased values (relative error 0.1 and 0.99 before).
            var error = Math.Abs(estimate.Value - exact);
            Assert.True(error <= 1e-9, $"x {x}: {estimate.Value} vs {exact}");
            Assert.True(error <= estimate.ErrorEstimate, $"x {x}: error {error:E2} > estimate {estimate.ErrorEstimate:E2}");
        }
    }

    private static void AssertNoSilentFailure<T>(int seed, int minExponent, int maxExponent)
        where T : IFloatingPointIeee754<T>
    {
        var random = new Random(seed);
        var options = new FiniteDifferenceOptions<T> { Scheme = FiniteDifferenceScheme.Adaptive };
        var silent = new List<string>();
        for (var k = 0; k < 1000; k++)
        {
            var magnitude = Math.Pow(10, minExponent + ((maxExponent - minExponent) * random.NextDouble()));
            var x = T.CreateTruncating(random.Next(2) == 0 ? magnitude : -magnitude);
            var cos = k % 2 == 0;
            var xd = double.CreateTruncating(x);
            var exact = cos ? -Math.Sin(xd) : Math.Cos(xd);
            FiniteDifferenceEstimate<T> estimate;
            try
            {
                estimate = FiniteDifference.Derivative<T>(v => cos ? T.Cos(v) : T.Sin(v), x, options);
            }
            catch (NotFiniteNumberException)
            {
                continue; // an exception is not silent
            }

            // A failure (relative error > 1e-2, the reference set's criterion) must come with an estimate that
            // covers it or says "no digit" (at least a tenth of the value), as in ReferenceAccuracyTests.
            var value = double.CreateTruncating(estimate.Value);
            var error = Math.Abs(value - exact);
            var estimated = double.CreateTruncating(estimate.ErrorEstimate);
            if (error > 1e-2 * Math.Abs(exact) && estimated < error && estimated < 0.1 * Math.Abs(value))
            {
                silent.Add(string.Create(CultureInfo.InvariantCulture, $"{(cos ? "cos" : "sin")}({xd:R}): value {value:E3}, exact {exact:E3}, estimate {estimated:E2}"));
            }
        }

        Assert.True(silent.Count == 0, $"{silent.Count} silent failures of 1000:\n{string.Join("\n", silent)}");
    }
}
