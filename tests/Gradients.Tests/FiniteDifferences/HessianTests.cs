using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Gradients.Tests.Properties;

namespace Gradients.Tests.FiniteDifferences;

public sealed class HessianTests
{
    /// <summary>A symmetric matrix A = (B + Bᵀ)/2 and a point: f = ½xᵀAx has Hessian A and no truncation error.</summary>
    private static readonly Gen<(double[] A, double[] X)> Quadratics =
        from n in Gen.Choose(1, 5)
        from b in Generators.Matrix(Generators.Centered, n, n)
        from x in Generators.Vector(Generators.Unit, n)
        select (Symmetrize(b.Values, n), x);

    private static double[] Symmetrize(double[] b, int n)
    {
        var a = new double[n * n];
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < n; j++)
            {
                a[(i * n) + j] = (b[(i * n) + j] + b[(j * n) + i]) / 2;
            }
        }

        return a;
    }

    private static T HalfQuadraticForm<T>(double[] a, ReadOnlySpan<T> x)
        where T : System.Numerics.IFloatingPointIeee754<T>
    {
        var n = x.Length;
        var sum = T.Zero;
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < n; j++)
            {
                sum += T.CreateTruncating(a[(i * n) + j]) * x[i] * x[j];
            }
        }

        return sum / T.CreateTruncating(2);
    }

    [Property(MaxTest = 100)]
    public Property Quadratic_form_has_its_matrix_as_Hessian_within_round_off_and_exactly_symmetric() =>
        Prop.ForAll(Quadratics.ToArbitrary(), c =>
        {
            var n = c.X.Length;
            var hessian = new double[n * n];
            var steps = new double[n];
            var result = FiniteDifference.Hessian(v => HalfQuadraticForm(c.A, v), c.X, hessian, default(FiniteDifferenceOptions<double>), steps);

            // No truncation (f⁽⁴⁾ = 0). Round-off: 4u|f|/h² on the diagonal, u|f|/(hᵢhⱼ) off it, |f| ≤ ½Σ|aᵢⱼ|(|xᵢ| + h)(|xⱼ| + h)
            // and u = (2n² + 2)ε for the double sum.
            var ulps = (2 * n * n) + 2;
            var magnitude = 0.0;
            for (var i = 0; i < n; i++)
            {
                for (var j = 0; j < n; j++)
                {
                    magnitude += 0.5 * Math.Abs(c.A[(i * n) + j]) * (Math.Abs(c.X[i]) + steps[i]) * (Math.Abs(c.X[j]) + steps[j]);
                }
            }

            var ok = result.Evaluations == (2 * n * n) + 1;
            for (var i = 0; i < n; i++)
            {
                for (var j = 0; j < n; j++)
                {
                    var expected = c.A[(i * n) + j];
                    var bound = i == j
                        ? ErrorModel.SecondDerivative<double>(steps[i], magnitude, 0, expected, ulps)
                        : ErrorModel.MixedDerivative<double>(steps[i], steps[j], magnitude, 0, expected, ulps);
                    ok &= Math.Abs(hessian[(i * n) + j] - expected) <= bound;
                    ok &= hessian[(i * n) + j].Equals(hessian[(j * n) + i]);
                }
            }

            return ok.Label($"evaluations {result.Evaluations}");
        });

    [Property(MaxTest = 60)]
    public Property Quadratic_form_near_bounds_uses_one_sided_differences_that_stay_exact_up_to_round_off() =>
        Prop.ForAll(Quadratics.ToArbitrary(), c =>
        {
            // Every coordinate on its lower bound: one-sided second differences are exact for quadratics too.
            var n = c.X.Length;
            var hessian = new double[n * n];
            var steps = new double[n];
            var outside = false;
            var result = FiniteDifference.Hessian(
                v =>
                {
                    for (var i = 0; i < n; i++)
                    {
                        outside |= v[i] < c.X[i];
                    }

                    return HalfQuadraticForm(c.A, v);
                },
                c.X,
                hessian,
                new FiniteDifferenceOptions<double> { LowerBounds = c.X },
                steps);

            // The one-sided stencils reach 2h, which doubles the magnitude bound's reach and the divisor's count.
            var ulps = (2 * n * n) + 2;
            var magnitude = 0.0;
            for (var i = 0; i < n; i++)
            {
                for (var j = 0; j < n; j++)
                {
                    magnitude += 0.5 * Math.Abs(c.A[(i * n) + j]) * (Math.Abs(c.X[i]) + (2 * steps[i])) * (Math.Abs(c.X[j]) + (2 * steps[j]));
                }
            }

            var ok = !outside && result.OneSidedCoordinates == n;
            for (var i = 0; i < n; i++)
            {
                for (var j = 0; j < n; j++)
                {
                    var expected = c.A[(i * n) + j];
                    var bound = i == j
                        ? ErrorModel.SecondDerivative<double>(steps[i], magnitude, 0, expected, ulps)
                        : 4 * ErrorModel.MixedDerivative<double>(steps[i], steps[j], magnitude, 0, expected, ulps);
                    ok &= Math.Abs(hessian[(i * n) + j] - expected) <= bound;
                }
            }

            return ok;
        });

    [Property(MaxTest = 60)]
    public Property Rosenbrock_Hessian_is_within_the_second_difference_error_model() =>
        Prop.ForAll(Generators.Vector(Generators.Unit, 2, 6).ToArbitrary(), x =>
        {
            var n = x.Length;
            var hessian = new double[n * n];
            var steps = new double[n];
            _ = FiniteDifference.Hessian<double>(TestFunctions.Rosenbrock, x, hessian, default, steps);
            var exact = RosenbrockHessian(x);

            // Fourth derivatives of Rosenbrock are bounded by 2400 (from 100xᵢ⁴); |f| at the stencil bounded by
            // f(x) + a margin of ‖∇f‖·2h; u = 6nε for the sum of n − 1 six-operation terms.
            var f = TestFunctions.Rosenbrock<double>(x);
            var gradient = new double[n];
            TestFunctions.RosenbrockGradient(x, gradient);
            var magnitude = f + (gradient.Sum(Math.Abs) * 2 * steps.Max()) + 1;
            var ok = true;
            for (var i = 0; i < n; i++)
            {
                for (var j = 0; j < n; j++)
                {
                    var expected = exact[(i * n) + j];
                    var bound = i == j
                        ? ErrorModel.SecondDerivative<double>(steps[i], magnitude, 2400, expected, 6 * n)
                        : ErrorModel.MixedDerivative<double>(steps[i], steps[j], magnitude, 2400, expected, 6 * n);
                    ok &= Math.Abs(hessian[(i * n) + j] - expected) <= bound;
                }
            }

            return ok;
        });

    [Property(MaxTest = 60)]
    public Property Hessian_vector_products_match_the_analytic_product() =>
        Prop.ForAll(
            (from x in Generators.Vector(Generators.Unit, 2, 6)
             from v in Generators.Vector(Generators.Centered, x.Length)
             select (x, v)).ToArbitrary(),
            c =>
            {
                var n = c.x.Length;
                var exact = RosenbrockHessian(c.x);
                var expected = new double[n];
                for (var i = 0; i < n; i++)
                {
                    for (var j = 0; j < n; j++)
                    {
                        expected[i] += exact[(i * n) + j] * c.v[j];
                    }
                }

                var fromValues = new double[n];
                var fromGradient = new double[n];
                FiniteDifference.HessianVectorProduct<double>(TestFunctions.Rosenbrock, c.x, c.v, fromValues);
                FiniteDifference.HessianVectorProductFromGradient(new RosenbrockWithGradient(), c.x, c.v, fromGradient);

                var f = TestFunctions.Rosenbrock<double>(c.x);
                var norm = Math.Sqrt(c.v.Sum(t => t * t));
                var alongLine = c.x.Zip(c.v, (x, v) => Math.Abs(x * v) / norm).Sum();
                var ok = true;
                for (var i = 0; i < n; i++)
                {
                    // From values: the mixed second difference with steps hᵢ = ε^(1/4)·max(|xᵢ|, 1) along eᵢ and
                    // τ = ε^(1/4)·max(Σ|uᵢxᵢ|, 1) along u, scaled by ‖v‖; fourth derivatives ≤ 2400 in any unit
                    // directions of a pair of coordinates, so ≤ 2400·n along u.
                    var h = Math.Pow(2, -13) * Math.Max(1, Math.Abs(c.x[i]));
                    var tau4 = Math.Pow(2, -13) * Math.Max(1, alongLine);
                    var valuesBound = norm * ErrorModel.MixedDerivative<double>(h, tau4, f + 100, 2400 * n, expected[i] / Math.Max(norm, 1e-300), 6 * n);

                    // From the gradient: a central difference of ∂ᵢf along u with τ = ∛ε·max(Σ|uᵢxᵢ|, 1); the third
                    // derivative of ∂ᵢf along u is a fourth derivative of f (≤ 2400·n); |∂ᵢf| ≤ 1000(1 + Σxⱼ⁴) near x.
                    var tau3 = Math.Cbrt(Math.Pow(2, -52)) * Math.Max(1, alongLine);
                    var gradientBound = norm * ErrorModel.FirstDerivative<double>(
                        FiniteDifferenceScheme.Central, tau3, new DerivativeBounds(1000 * (1 + c.x.Sum(t => t * t * t * t)), Math.Abs(expected[i]) / Math.Max(norm, 1e-300), 0, 2400 * n, 0), 6);
                    ok &= Math.Abs(fromValues[i] - expected[i]) <= valuesBound;
                    ok &= Math.Abs(fromGradient[i] - expected[i]) <= gradientBound;
                }

                return ok;
            });

    [Fact]
    public void Bad_shapes_and_schemes_are_rejected_naming_the_parameter()
    {
        var hessianLength = Assert.Throws<ArgumentException>(() => FiniteDifference.Hessian<double>(TestFunctions.Chapter, [1.0, 0.5], new double[3]));
        Assert.Equal("hessian", hessianLength.ParamName);
        Assert.Contains("length 3", hessianLength.Message, StringComparison.Ordinal);
        Assert.Contains("length 4", hessianLength.Message, StringComparison.Ordinal);

        var scheme = Assert.Throws<ArgumentException>(() => FiniteDifference.Hessian<double>(
            TestFunctions.Chapter, [1.0, 0.5], new double[4], new FiniteDifferenceOptions<double> { Scheme = FiniteDifferenceScheme.Forward }));
        Assert.Equal("options", scheme.ParamName);

        var vLength = Assert.Throws<ArgumentException>(() => FiniteDifference.HessianVectorProduct<double>(TestFunctions.Chapter, [1.0, 0.5], [1.0], new double[2]));
        Assert.Equal("v", vLength.ParamName);
    }

    [Fact]
    public void Chapter_Hessian_is_diag_2_10_and_a_zero_vector_gives_a_zero_product()
    {
        var hessian = new double[4];
        FiniteDifference.Hessian<double>(TestFunctions.Chapter, [1.0, 0.5], hessian);

        // Quadratic: round-off only, 4ε|f|/h² with |f| ≈ 2.25 and h = ε^(1/4) ≈ 1.2e-4: ≈ 1e-7.
        Assert.Equal(2.0, hessian[0], 1e-6);
        Assert.Equal(10.0, hessian[3], 1e-6);
        Assert.Equal(0.0, hessian[1], 1e-6);

        var product = new double[] { double.NaN, double.NaN };
        FiniteDifference.HessianVectorProduct<double>(_ => throw new InvalidOperationException("f must not be called"), [1.0, 0.5], [0.0, 0.0], product);
        Assert.Equal([0.0, 0.0], product);
    }

    internal static double[] RosenbrockHessian(double[] x)
    {
        var n = x.Length;
        var h = new double[n * n];
        for (var i = 0; i + 1 < n; i++)
        {
            h[(i * n) + i] += (1200 * x[i] * x[i]) - (400 * x[i + 1]) + 2;
            h[((i + 1) * n) + i + 1] += 200;
            h[(i * n) + i + 1] += -400 * x[i];
            h[((i + 1) * n) + i] += -400 * x[i];
        }

        return h;
    }

    private readonly struct RosenbrockWithGradient : IDifferentiableFunction<double>
    {
        public double Evaluate(ReadOnlySpan<double> x) => TestFunctions.Rosenbrock(x);

        public double EvaluateWithGradient(ReadOnlySpan<double> x, Span<double> gradient)
        {
            TestFunctions.RosenbrockGradient(x, gradient);
            return TestFunctions.Rosenbrock(x);
        }
    }
}
