using System.Numerics;

namespace Gradients.Tests.FiniteDifferences;

/// <summary>
/// Calibration of <see cref="FiniteDifferenceScheme.Adaptive"/>'s error estimate over 600 seeded random smooth
/// functions (compositions of exp, sin, tanh and cubics with random coefficients) at random points: the estimate must
/// bound the true error in ≥ 95% of cases and be within 100× of it at the median, in double and in float.
/// </summary>
public sealed class AdaptiveEstimateCalibrationTests
{
    private const int Cases = 600;

    [Theory]
    [InlineData(FiniteDifferenceScheme.Adaptive)]
    [InlineData(FiniteDifferenceScheme.Richardson)]
    public void Estimate_is_calibrated_in_double(FiniteDifferenceScheme scheme) => AssertCalibrated<double>(scheme, seed: 14);

    [Theory]
    [InlineData(FiniteDifferenceScheme.Adaptive)]
    [InlineData(FiniteDifferenceScheme.Richardson)]
    public void Estimate_is_calibrated_in_float(FiniteDifferenceScheme scheme) => AssertCalibrated<float>(scheme, seed: 15);

    [Fact]
    public void Estimate_is_infinite_or_large_when_the_tableau_cannot_converge()
    {
        // sin at 1.3e8 in float: neighbouring floats are 8 apart while sin varies on a scale of 1, so no step can
        // resolve f′. The value is then garbage, and the estimate must say so rather than claim accuracy.
        const float x = 1.3e8f;
        var estimate = FiniteDifference.Derivative(MathF.Sin, x, new FiniteDifferenceOptions<float> { Scheme = FiniteDifferenceScheme.Adaptive });
        var error = Math.Abs(estimate.Value - Math.Cos(x));
        Assert.True(estimate.ErrorEstimate >= 0.1f * Math.Abs(estimate.Value) || error <= estimate.ErrorEstimate, $"value {estimate.Value}, estimate {estimate.ErrorEstimate}, error {error}");
    }

    private static void AssertCalibrated<T>(FiniteDifferenceScheme scheme, int seed)
        where T : IFloatingPointIeee754<T>
    {
        var random = new Random(seed);
        var ratios = new List<double>();
        var covered = 0;
        var epsilon = double.CreateTruncating(StepSize.MachineEpsilon<T>());
        for (var c = 0; c < Cases; c++)
        {
            var function = RandomFunction.Create(random);
            var x = (random.NextDouble() * 4) - 2;
            var xt = T.CreateTruncating(x);
            var exact = function.Derivative(double.CreateTruncating(xt));
            var estimate = FiniteDifference.Derivative(v => T.CreateTruncating(function.Value(double.CreateTruncating(v))), xt, new FiniteDifferenceOptions<T> { Scheme = scheme });
            var error = Math.Abs(double.CreateTruncating(estimate.Value) - exact);

            // The reference derivative is computed in double: a few ε(double) relative to the chain rule's terms.
            // Errors below that cannot be measured, so both the bound and the ratio use it as the floor.
            var referenceError = 8 * Math.Pow(2, -52) * (Math.Abs(exact) + function.DerivativeScale(double.CreateTruncating(xt)));
            var estimateValue = double.CreateTruncating(estimate.ErrorEstimate);
            if (error <= estimateValue + referenceError)
            {
                covered++;
            }

            ratios.Add(estimateValue / Math.Max(error, Math.Max(referenceError, epsilon * 1e-3 * Math.Abs(exact))));
        }

        ratios.Sort();
        var median = ratios[ratios.Count / 2];
        var coverage = (double)covered / Cases;
        var summary = FormattableString.Invariant($"{scheme} {typeof(T).Name}: {Cases} functions, coverage {coverage:P1}, median estimate/true {median:E2}");
        var directory = Path.Combine(RepositoryPaths.Root, "artifacts", "accuracy");
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, $"calibration-{scheme}-{typeof(T).Name}.txt"), summary + Environment.NewLine);
        Assert.True(coverage >= 0.95, summary);
        Assert.True(median <= 100, summary);
    }

    /// <summary>outer(inner(x)) with random coefficients; value and exact derivative in double.</summary>
    private sealed class RandomFunction
    {
        private readonly int _inner;
        private readonly int _outer;
        private readonly double _a;
        private readonly double _b;
        private readonly double _c;

        private RandomFunction(int inner, int outer, double a, double b, double c)
        {
            _inner = inner;
            _outer = outer;
            _a = a;
            _b = b;
            _c = c;
        }

        public static RandomFunction Create(Random random) =>
            new(random.Next(4), random.Next(4), (random.NextDouble() * 3) - 1.5, (random.NextDouble() * 3) - 1.5, (random.NextDouble() * 2) - 1);

        public double Value(double x) => Outer(Inner(x));

        public double Derivative(double x) => OuterSlope(Inner(x)) * InnerSlope(x);

        /// <summary>The size of the terms the derivative is computed from (for the reference's own rounding).</summary>
        public double DerivativeScale(double x) => Math.Abs(OuterSlope(Inner(x))) * (Math.Abs(InnerSlope(x)) + 1);

        private double Inner(double x) => _inner switch
        {
            0 => (_b * x) + _c,
            1 => Math.Sin((_b * x) + _c),
            2 => Math.Exp(_b * x),
            _ => (_b * x * x * x) + (_c * x),
        };

        private double InnerSlope(double x) => _inner switch
        {
            0 => _b,
            1 => _b * Math.Cos((_b * x) + _c),
            2 => _b * Math.Exp(_b * x),
            _ => (3 * _b * x * x) + _c,
        };

        private double Outer(double u) => _outer switch
        {
            0 => Math.Exp(_a * u),
            1 => Math.Sin(_a * u),
            2 => Math.Tanh(_a * u),
            _ => u + (_a * u * u) + (u * u * u / 3),
        };

        private double OuterSlope(double u) => _outer switch
        {
            0 => _a * Math.Exp(_a * u),
            1 => _a * Math.Cos(_a * u),
            2 => _a * (1 - (Math.Tanh(_a * u) * Math.Tanh(_a * u))),
            _ => 1 + (2 * _a * u) + (u * u),
        };
    }
}
