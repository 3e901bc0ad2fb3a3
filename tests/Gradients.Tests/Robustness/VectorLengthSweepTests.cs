using System.Numerics;

namespace Gradients.Tests.Robustness;

/// <summary>
/// Every vectorized routine at every length 1…256, so each Vector512/256/128 body and each remainder path runs
/// (and, in .ci/run's reruns with AVX-512, AVX2 or all intrinsics disabled, the narrower paths run too).
/// References are computed in double (for float inputs, exact to far below float's rounding) or, for double,
/// compensated by pairwise error-free products; tolerances are Higham's dot-product bound γₙ = n·u/(1 − n·u) times
/// the sum of absolute terms (Accuracy and Stability of Numerical Algorithms, §3.1), plus a few u for the
/// normalization, so they hold on every summation order a SIMD path may choose.
/// </summary>
public sealed class VectorLengthSweepTests
{
    public static TheoryData<int> Lengths { get; } = new(Enumerable.Range(1, 256));

    [Theory]
    [MemberData(nameof(Lengths))]
    public void Directional_forms_are_accurate_at_every_length(int n)
    {
        Check<double>(n);
        Check<float>(n);

        static void Check<T>(int n)
            where T : IFloatingPointIeee754<T>
        {
            var random = new Random(n);
            var gradient = Values<T>(random, n);
            var direction = Values<T>(random, n);

            var rate = double.CreateChecked(global::Gradients.Directional.Derivative<T>(gradient, direction));

            double dot = 0, absoluteDot = 0, norm2 = 0;
            for (var i = 0; i < n; i++)
            {
                dot += double.CreateChecked(gradient[i]) * double.CreateChecked(direction[i]);
                absoluteDot += Math.Abs(double.CreateChecked(gradient[i]) * double.CreateChecked(direction[i]));
                norm2 += double.CreateChecked(direction[i]) * double.CreateChecked(direction[i]);
            }

            var norm = Math.Sqrt(norm2);
            var u = UnitRoundoff<T>();
            // γ_n for the dot product, γ_n/2 + 2u for the norm (sum of squares, square root, division).
            var tolerance = Gamma(n + 4, u) * absoluteDot / norm;
            Assert.True(Math.Abs(rate - (dot / norm)) <= tolerance, $"n = {n}, {typeof(T).Name}: {rate} vs {dot / norm} (tolerance {tolerance})");

            // Batched: three copies of the direction, scaled differently, give the same rate (bit for bit against the single form).
            var directions = new T[3 * n];
            for (var k = 0; k < 3; k++)
            {
                var scale = T.CreateChecked(Math.Pow(4, k));
                for (var i = 0; i < n; i++)
                {
                    directions[(k * n) + i] = direction[i] * scale;
                }
            }

            var rates = new T[3];
            global::Gradients.Directional.Derivatives<T>(gradient, directions, rates);
            for (var k = 0; k < 3; k++)
            {
                Assert.Equal(global::Gradients.Directional.Derivative<T>(gradient, directions.AsSpan(k * n, n)), rates[k]);
            }

            var maximal = double.CreateChecked(global::Gradients.Directional.MaximalRate<T>(gradient));
            var gradientNorm = Math.Sqrt(gradient.Sum(g => double.CreateChecked(g) * double.CreateChecked(g)));
            Assert.True(Math.Abs(maximal - gradientNorm) <= Gamma(n + 2, u) * gradientNorm, $"n = {n}: ‖∇f‖ {maximal} vs {gradientNorm}");
        }
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void Weighted_sum_of_squares_and_log_sum_exp_are_accurate_at_every_length(int n)
    {
        Check<double>(n);
        Check<float>(n);

        static void Check<T>(int n)
            where T : IFloatingPointIeee754<T>
        {
            var random = new Random(1000 + n);
            var x = Values<T>(random, n);
            var a = Values<T>(random, n).Select(T.Abs).ToArray();
            var u = UnitRoundoff<T>();

            var squares = new WeightedSumOfSquares<T>(a);
            var gradient = new T[n];
            var value = double.CreateChecked(squares.EvaluateWithGradient(x, gradient));
            var exact = Enumerable.Range(0, n).Sum(i => double.CreateChecked(a[i]) * double.CreateChecked(x[i]) * double.CreateChecked(x[i]));
            // All terms are non-negative: γ_{n+2} relative.
            Assert.True(Math.Abs(value - exact) <= Gamma(n + 2, u) * exact, $"n = {n}: Σaᵢxᵢ² {value} vs {exact}");
            for (var i = 0; i < n; i++)
            {
                var expected = 2 * double.CreateChecked(a[i]) * double.CreateChecked(x[i]);
                Assert.True(Math.Abs(double.CreateChecked(gradient[i]) - expected) <= 2 * u * Math.Abs(expected), $"n = {n}: ∂/∂x{i}");
            }

            var lse = new LogSumExp<T>();
            var softmax = new T[n];
            var lseValue = double.CreateChecked(lse.EvaluateWithGradient(x, softmax));
            var max = x.Max(v => double.CreateChecked(v));
            var sum = x.Sum(v => Math.Exp(double.CreateChecked(v) - max));
            var lseExact = max + Math.Log(sum);
            // Shifted sum of n exponentials (each within a few u), a log, an add: about (n + 4)·u absolute on values of order 1.
            Assert.True(Math.Abs(lseValue - lseExact) <= Gamma(n + 4, u) * (1 + Math.Abs(lseExact)), $"n = {n}: lse {lseValue} vs {lseExact}");
            var softmaxSum = softmax.Sum(p => double.CreateChecked(p));
            Assert.True(Math.Abs(softmaxSum - 1) <= Gamma(n + 4, u), $"n = {n}: softmax sums to {softmaxSum}");
        }
    }

    [Theory]
    [InlineData(65)]
    [InlineData(127)]
    [InlineData(128)]
    [InlineData(129)]
    [InlineData(200)]
    [InlineData(255)]
    [InlineData(256)]
    public void Mean_squared_error_is_accurate_for_wide_rows(int d)
    {
        // D = 1…64 with N = 1…67 is swept by the loss tests; this covers the wide-row kernels beyond 64 columns.
        foreach (var n in new[] { 1, 3, 8 })
        {
            var random = new Random((d * 100) + n);
            var features = Values<double>(random, n * d);
            var targets = Values<double>(random, n);
            var weights = Values<double>(random, d);
            var gradient = new double[d];

            var loss = MeanSquaredError.LossAndGradient<double>(features, targets, weights, gradient);
            var reference = Properties.HighPrecision.MeanSquaredError(features, targets, weights);

            // Each residual is a d-term dot product: γ_{d+2} times the scale of its terms, propagated through r² and rᵢxᵢⱼ.
            var u = UnitRoundoff<double>();
            Assert.True(Math.Abs(loss - reference.Loss) <= Gamma(d + n + 4, u) * 2 * reference.LossScale, $"D = {d}, N = {n}: loss");
            for (var j = 0; j < d; j++)
            {
                Assert.True(Math.Abs(gradient[j] - reference.Gradient[j]) <= Gamma(d + n + 4, u) * 2 * reference.GradientScale[j], $"D = {d}, N = {n}: ∂/∂w{j}");
            }
        }
    }

    private static T[] Values<T>(Random random, int n)
        where T : IFloatingPointIeee754<T> =>
        Enumerable.Range(0, n).Select(_ => T.CreateChecked((random.NextDouble() * 2) - 1)).ToArray();

    private static double UnitRoundoff<T>()
        where T : IFloatingPointIeee754<T> => double.CreateChecked(T.BitIncrement(T.One) - T.One) / 2;

    private static double Gamma(int n, double u) => n * u / (1 - (n * u));
}
