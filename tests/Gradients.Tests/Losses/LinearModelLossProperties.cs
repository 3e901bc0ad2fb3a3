using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Gradients.Tests.Properties;

namespace Gradients.Tests.Losses;

/// <summary>FsCheck properties of LogisticLoss, PoissonLoss and HuberLoss.</summary>
public sealed class LinearModelLossProperties
{
    /// <summary>The losses under test, by name, with the bound of |ℓ‴| over the data's η range (see each case).</summary>
    public enum Kind
    {
        Logistic,
        Poisson,
        Huber,
    }

    private static readonly double Epsilon = Math.BitIncrement(1.0) - 1.0;

    /// <summary>X (N×D) and w with entries in [−1, 1], labels of the kind, a bias and (sometimes) sample weights.</summary>
    internal static Gen<(Kind Kind, RowMajorMatrix X, double[] Y, double[] W, double B, double[]? S)> Problem(int maxRows = 40, int maxColumns = 20) =>
        from kind in Gen.Elements(Kind.Logistic, Kind.Poisson, Kind.Huber)
        from n in Gen.Choose(1, maxRows)
        from d in Gen.Choose(1, maxColumns)
        from x in Generators.Matrix(Generators.Centered, n, d)
        from w in Generators.Vector(Generators.Centered, d)
        from b in Generators.Centered
        from y in kind switch
        {
            Kind.Logistic => Gen.Elements(0.0, 1.0).ArrayOf(n),
            Kind.Poisson => Gen.Choose(0, 6).Select(v => (double)v).ArrayOf(n),
            _ => Generators.Vector(Generators.Centered, n),
        }
        from weighted in Gen.Elements(false, true)
        from s in Gen.Choose(1, 8).Select(v => v / 4.0).ArrayOf(n)
        select (kind, x, y, w, b, weighted ? s : null);

    internal static double Loss(Kind kind, ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> w, double b, ReadOnlySpan<double> s, Span<double> gradient, out double interceptGradient) => kind switch
    {
        Kind.Logistic => LogisticLoss.LossAndGradient(x, y, w, b, gradient, out interceptGradient, s, default),
        Kind.Poisson => PoissonLoss.LossAndGradient(x, y, w, b, gradient, out interceptGradient, s, default),
        _ => HuberLoss.LossAndGradient(x, y, w, b, gradient, out interceptGradient, s, new HuberLossOptions { Delta = 0.5 }),
    };

    private static double LossOnly(Kind kind, double[] x, double[] y, ReadOnlySpan<double> w, double b, double[]? s)
    {
        var g = new double[w.Length];
        return Loss(kind, x, y, w, b, s, g, out _);
    }

    [Property(MaxTest = 200)]
    public Property Gradient_agrees_with_the_finite_difference_engine() =>
        Prop.ForAll(Problem(30, 8).ToArbitrary(), p =>
        {
            var (kind, x, y, w, b, s) = p;
            var n = y.Length;
            var d = w.Length;
            var analytic = new double[d];
            Loss(kind, x.Values, y, w, b, s, analytic, out _);
            var numeric = new double[d];
            var steps = new double[d];
            FiniteDifference.Gradient<double>(v => LossOnly(kind, x.Values, y, v, b, s), w, numeric, default(FiniteDifferenceOptions<double>), default, steps);

            var totalWeight = s?.Sum() ?? n;
            for (var j = 0; j < d; j++)
            {
                // Bounds of f(t) = Σ sᵢℓ(ηᵢ + t·xᵢⱼ)/S over the stencil |t| ≤ h: |f| ≤ Σ sᵢ(|ℓᵢ| + (1 + |yᵢ|)(|ηᵢ| + h) + e^(|ηᵢ|+h))/S,
                // |f‴| ≤ Σ sᵢ|ℓ‴|·|xᵢⱼ|³/S with |ℓ‴| ≤ 1/(6√3) (logistic: σ(1−σ)(1−2σ)), e^(ηᵢ+h) (Poisson), 0 (Huber,
                // away from its kinks). A Huber row whose |r| comes within h·|xᵢⱼ| of δ crosses a kink where ℓ″ jumps by
                // 1: the central difference then errs by at most h·xᵢⱼ²/2 for that row. The loss itself is evaluated
                // to (N + D + 8)·u of |f| (sums of N and D terms plus a few ulps of exp/log).
                var h = steps[j];
                double value = 0, third = 0, kinks = 0;
                for (var i = 0; i < n; i++)
                {
                    var eta = b;
                    for (var k = 0; k < d; k++)
                    {
                        eta += x.Values[(i * d) + k] * w[k];
                    }

                    var si = s?[i] ?? 1.0;
                    var xij = Math.Abs(x.Values[(i * d) + j]);
                    value += si * (2 * Math.Abs(eta) + ((1 + Math.Abs(y[i])) * (Math.Abs(eta) + h)) + Math.Exp(Math.Abs(eta) + h) + Math.Abs(y[i]));
                    third += si * xij * xij * xij * kind switch
                    {
                        Kind.Logistic => 1 / (6 * Math.Sqrt(3)),
                        Kind.Poisson => Math.Exp(eta + (h * xij)),
                        _ => 0.0,
                    };
                    if (kind == Kind.Huber && Math.Abs(Math.Abs(eta - y[i]) - 0.5) <= h * xij)
                    {
                        kinks += si * h * xij * xij / 2;
                    }
                }

                var bounds = new DerivativeBounds(value / totalWeight, Math.Abs(analytic[j]), 0, third / totalWeight, 0);
                var tolerance = ErrorModel.FirstDerivative<double>(FiniteDifferenceScheme.Central, h, bounds, n + d + 8)
                    + (kinks / totalWeight) + (4 * Epsilon * Math.Abs(analytic[j]));
                if (!(Math.Abs(numeric[j] - analytic[j]) <= tolerance))
                {
                    return false.Label($"{kind} j={j}: analytic {analytic[j]:R}, finite difference {numeric[j]:R}, tolerance {tolerance:E2}");
                }
            }

            return true.ToProperty();
        });

    [Property(MaxTest = 50)]
    public Property Any_thread_count_gives_bit_identical_results() =>
        Prop.ForAll(Problem(1, 1).ToArbitrary(), Gen.Choose(2, 4).ToArbitrary(), (p, threads) =>
        {
            // Enough rows for several chunks (ChunkRows at D = 3 is 21 848 rows): three chunks and a part.
            var (kind, _, _, _, b, _) = p;
            const int D = 3;
            var n = (3 * FusedPass.ChunkRows(1, D)) + 17;
            var random = new Random(n + threads);
            var x = Enumerable.Range(0, n * D).Select(_ => random.NextDouble() - 0.5).ToArray();
            var y = Enumerable.Range(0, n).Select(_ => kind == Kind.Huber ? random.NextDouble() : random.Next(2)).ToArray();
            var s = Enumerable.Range(0, n).Select(_ => random.NextDouble()).ToArray();
            double[] w = [0.3, -0.2, 0.1];
            var one = new double[D];
            var many = new double[D];
            var options = new LinearModelLossOptions { MaxDegreeOfParallelism = threads };
            double lossOne, lossMany, bOne, bMany;
            switch (kind)
            {
                case Kind.Logistic:
                    lossOne = LogisticLoss.LossAndGradient<double>(x, y, w, b, one, out bOne, s, default);
                    lossMany = LogisticLoss.LossAndGradient<double>(x, y, w, b, many, out bMany, s, options);
                    break;
                case Kind.Poisson:
                    lossOne = PoissonLoss.LossAndGradient<double>(x, y, w, b, one, out bOne, s, default);
                    lossMany = PoissonLoss.LossAndGradient<double>(x, y, w, b, many, out bMany, s, options);
                    break;
                default:
                    lossOne = HuberLoss.LossAndGradient<double>(x, y, w, b, one, out bOne, s, default);
                    lossMany = HuberLoss.LossAndGradient<double>(x, y, w, b, many, out bMany, s, new HuberLossOptions { MaxDegreeOfParallelism = threads });
                    break;
            }

            return (BitConverter.DoubleToInt64Bits(lossOne) == BitConverter.DoubleToInt64Bits(lossMany)
                && BitConverter.DoubleToInt64Bits(bOne) == BitConverter.DoubleToInt64Bits(bMany)
                && one.Select(BitConverter.DoubleToInt64Bits).SequenceEqual(many.Select(BitConverter.DoubleToInt64Bits))).Label($"{kind}, {threads} threads");
        });

    [Property(MaxTest = 100)]
    public Property Integer_sample_weights_equal_repeated_rows() =>
        Prop.ForAll(Problem(20, 6).ToArbitrary(), p =>
        {
            var (kind, x, y, w, b, _) = p;
            var n = y.Length;
            var d = w.Length;
            var counts = Enumerable.Range(0, n).Select(i => (double)((i * 7 % 3) + 1)).ToArray();
            var repeatedX = new List<double>();
            var repeatedY = new List<double>();
            for (var i = 0; i < n; i++)
            {
                for (var c = 0; c < counts[i]; c++)
                {
                    repeatedX.AddRange(x.Values.AsSpan(i * d, d).ToArray());
                    repeatedY.Add(y[i]);
                }
            }

            var weighted = new double[d];
            var repeated = new double[d];
            var lw = Loss(kind, x.Values, y, w, b, counts, weighted, out var bw);
            var lr = Loss(kind, [.. repeatedX], [.. repeatedY], w, b, [], repeated, out var br);

            // Same terms summed in another order (and sᵢ·ℓᵢ for repeated additions): both agree with the exact sums to
            // (M + D + 8)·u of the mean absolute term, M the repeated row count; every |ℓᵢ|, |dᵢ·xᵢⱼ| is at most
            // (1 + |yᵢ|)(|ηᵢ| + 1) + e^|ηᵢ| for these losses with |x| ≤ 1.
            var size = 0.0;
            for (var i = 0; i < n; i++)
            {
                var eta = Math.Abs(b);
                for (var k = 0; k < d; k++)
                {
                    eta += Math.Abs(x.Values[(i * d) + k] * w[k]);
                }

                size += counts[i] * (((1 + Math.Abs(y[i])) * (eta + 1)) + Math.Exp(eta));
            }

            var tolerance = 2 * (repeatedY.Count + d + 8) * Epsilon * size / repeatedY.Count;
            return (Math.Abs(lw - lr) <= tolerance && Math.Abs(bw - br) <= tolerance && weighted.Zip(repeated).All(t => Math.Abs(t.First - t.Second) <= tolerance))
                .Label($"{kind}: weighted {lw:R}/{bw:R}, repeated {lr:R}/{br:R}");
        });
}
