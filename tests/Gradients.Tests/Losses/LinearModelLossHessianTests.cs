using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Gradients.Tests.Properties;

namespace Gradients.Tests.Losses;

/// <summary>The one-pass Hessian-vector products of LogisticLoss, PoissonLoss, MeanSquaredError and HuberLoss.</summary>
public sealed class LinearModelLossHessianTests
{
    private static readonly double Epsilon = Math.BitIncrement(1.0) - 1.0;

    private const double HuberDelta = 0.75;

    private enum Family
    {
        Logistic,
        Poisson,
        SquaredError,
        Huber,
    }

    private static Gen<(Family Loss, RowMajorMatrix X, double[] Y, double[] W, double[] V, double B, double Vb, double[]? S)> Problem() =>
        from loss in Gen.Elements(Family.Logistic, Family.Poisson, Family.SquaredError, Family.Huber)
        from n in Gen.Choose(1, 30)
        from d in Gen.Choose(1, 7)
        from x in Generators.Matrix(Generators.Centered, n, d)
        from w in Generators.Vector(Generators.Centered, d)
        from v in Generators.Vector(Generators.Centered, d)
        from b in Generators.Centered
        from vb in Generators.Centered
        from y in loss switch
        {
            Family.Logistic => Gen.Elements(0.0, 1.0).ArrayOf(n),
            Family.Poisson => Gen.Choose(0, 5).Select(c => (double)c).ArrayOf(n),
            _ => Generators.Vector(Generators.Centered, n),
        }
        from weighted in Gen.Elements(false, true)
        from s in Gen.Choose(1, 8).Select(c => c / 4.0).ArrayOf(n)
        select (loss, x, y, w, v, b, vb, weighted ? s : null);

    [Property(MaxTest = 200)]
    public Property Product_equals_the_explicit_hessian_times_the_direction() =>
        Prop.ForAll(Problem().ToArbitrary(), p =>
        {
            var (loss, x, y, w, v, b, vb, s) = p;
            var (n, d) = (y.Length, w.Length);
            var options = new LinearModelLossOptions { L2Penalty = 0.125 };
            var product = new double[d];
            var productB = 0.0;
            switch (loss)
            {
                case Family.Logistic:
                    LogisticLoss.HessianVectorProduct<double>(x.Values, y, w, b, v, vb, product, out productB, s, options);
                    break;
                case Family.Poisson:
                    PoissonLoss.HessianVectorProduct<double>(x.Values, y, w, b, v, vb, product, out productB, s, options);
                    break;
                case Family.SquaredError:
                    MeanSquaredError.HessianVectorProduct<double>(x.Values, y, w, b, v, vb, product, out productB, s, new MeanSquaredErrorOptions { L2Penalty = 0.125 });
                    break;
                case Family.Huber:
                    HuberLoss.HessianVectorProduct<double>(x.Values, y, w, b, v, vb, product, out productB, s, new HuberLossOptions { Delta = HuberDelta, L2Penalty = 0.125 });
                    break;
            }

            // The (D + 1)×(D + 1) Hessian Σ sᵢℓ″(ηᵢ)[xᵢ; 1][xᵢ; 1]ᵀ / S + 2λ·diag(1, …, 1, 0), built entry by entry, times (v, v_b).
            var hessian = new double[d + 1, d + 1];
            var total = s?.Sum() ?? n;
            var size = 0.0;
            for (var i = 0; i < n; i++)
            {
                var eta = b;
                for (var j = 0; j < d; j++)
                {
                    eta += x.Values[(i * d) + j] * w[j];
                }

                // η summed in the kernel's order (b first, then j ascending), so the Huber branch sees the same residual.
                var second = loss switch
                {
                    Family.Logistic => Math.Exp(-Math.Abs(eta)) / Math.Pow(1 + Math.Exp(-Math.Abs(eta)), 2),
                    Family.Poisson => Math.Exp(eta),
                    Family.SquaredError => 2.0,
                    _ => Math.Abs(eta - y[i]) > HuberDelta ? 0.0 : 1.0,
                };
                var weight = (s?[i] ?? 1.0) * second / total;
                size += weight * (d + 1);
                for (var j = 0; j <= d; j++)
                {
                    for (var k = 0; k <= d; k++)
                    {
                        hessian[j, k] += weight * (j < d ? x.Values[(i * d) + j] : 1.0) * (k < d ? x.Values[(i * d) + k] : 1.0);
                    }
                }
            }

            // Both sum N·(D + 1) products of terms bounded by |sᵢℓ″ᵢ|/S·(D + 1) (|x|, |v| ≤ 1), plus a few ulps of exp.
            var tolerance = 4 * ((n * (d + 1)) + 16) * Epsilon * (size + 1);
            for (var j = 0; j <= d; j++)
            {
                var expected = 0.0;
                for (var k = 0; k <= d; k++)
                {
                    expected += hessian[j, k] * (k < d ? v[k] : vb);
                }

                expected += j < d ? 2 * 0.125 * v[j] : 0.0;
                var actual = j < d ? product[j] : productB;
                if (!(Math.Abs(actual - expected) <= tolerance))
                {
                    return false.Label($"{loss} entry {j}: {actual:R} vs {expected:R}, tolerance {tolerance:E2}");
                }
            }

            return true.ToProperty();
        });

    [Fact]
    public void Product_is_the_directional_derivative_of_the_gradient()
    {
        // The gradient along w + t·v, differenced centrally with t = 2⁻¹³: truncation t²/6·|∂³g| ≤ 1.5e−9 here (|x| ≤ 1/2,
        // |ℓ⁗| ≤ 1/8), round-off ≈ u·|g|/t ≈ 2e−12: 1e−8 covers both.
        var random = new Random(5);
        const int N = 200;
        const int D = 6;
        var x = Enumerable.Range(0, N * D).Select(_ => random.NextDouble() - 0.5).ToArray();
        var y = Enumerable.Range(0, N).Select(_ => (double)random.Next(2)).ToArray();
        var w = Enumerable.Range(0, D).Select(_ => random.NextDouble() - 0.5).ToArray();
        var v = Enumerable.Range(0, D).Select(_ => random.NextDouble() - 0.5).ToArray();
        var product = new double[D];
        LogisticLoss.HessianVectorProduct<double>(x, y, w, v, product);

        const double T = 1.0 / 8192;
        var up = new double[D];
        var down = new double[D];
        LogisticLoss.Gradient<double>(x, y, [.. w.Zip(v, (a, c) => a + (T * c))], up);
        LogisticLoss.Gradient<double>(x, y, [.. w.Zip(v, (a, c) => a - (T * c))], down);
        for (var j = 0; j < D; j++)
        {
            Assert.Equal((up[j] - down[j]) / (2 * T), product[j], 1e-8);
        }
    }

    [Fact]
    public void Squared_error_and_huber_products_are_the_directional_derivatives_of_their_gradients()
    {
        // Both gradients are piecewise linear in w (the squared error's everywhere, Huber's between kinks), so a
        // central difference with t = 2⁻¹³ is exact up to round-off, u·|g|/t ≈ 2e−12, unless a row's residual crosses
        // ±δ inside ±t·|x·v| (≤ 2⁻¹³·1.5): none does for this seed, which the test checks before trusting the difference.
        var random = new Random(8);
        const int N = 200;
        const int D = 6;
        var x = Enumerable.Range(0, N * D).Select(_ => random.NextDouble() - 0.5).ToArray();
        var y = Enumerable.Range(0, N).Select(_ => (random.NextDouble() - 0.5) * 4).ToArray();
        var w = Enumerable.Range(0, D).Select(_ => random.NextDouble() - 0.5).ToArray();
        var v = Enumerable.Range(0, D).Select(_ => random.NextDouble() - 0.5).ToArray();
        const double T = 1.0 / 8192;
        for (var i = 0; i < N; i++)
        {
            var r = Enumerable.Range(0, D).Sum(j => x[(i * D) + j] * w[j]) - y[i];
            Assert.True(Math.Abs(Math.Abs(r) - 1.0) > 2 * T * 1.5, $"row {i} sits on a kink; pick another seed");
        }

        var product = new double[D];
        var up = new double[D];
        var down = new double[D];
        MeanSquaredError.HessianVectorProduct<double>(x, y, w, v, product);
        MeanSquaredError.Gradient<double>(x, y, [.. w.Zip(v, (a, c) => a + (T * c))], up);
        MeanSquaredError.Gradient<double>(x, y, [.. w.Zip(v, (a, c) => a - (T * c))], down);
        for (var j = 0; j < D; j++)
        {
            Assert.Equal((up[j] - down[j]) / (2 * T), product[j], 1e-8);
        }

        HuberLoss.HessianVectorProduct<double>(x, y, w, v, product);
        HuberLoss.Gradient<double>(x, y, [.. w.Zip(v, (a, c) => a + (T * c))], up);
        HuberLoss.Gradient<double>(x, y, [.. w.Zip(v, (a, c) => a - (T * c))], down);
        Assert.Contains(product, p => p != 0.0);
        for (var j = 0; j < D; j++)
        {
            Assert.Equal((up[j] - down[j]) / (2 * T), product[j], 1e-8);
        }
    }

    [Fact]
    public void A_direction_of_the_wrong_length_or_a_bad_label_is_rejected()
    {
        double[] x = [1, 2, 3, 4];
        var e = Assert.Throws<ArgumentException>(() => LogisticLoss.HessianVectorProduct<double>(x, [0, 1], [0.5, 0.5], [1.0], new double[2]));
        Assert.Equal("direction", e.ParamName);
        e = Assert.Throws<ArgumentException>(() => PoissonLoss.HessianVectorProduct<double>(x, [0, -3], [0.5, 0.5], [1.0, 0.0], new double[2]));
        Assert.Contains("'targets[1]' is -3", e.Message, StringComparison.Ordinal);
    }
}
