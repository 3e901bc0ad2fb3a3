using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Gradients.Tests.Properties;

namespace Gradients.Tests.Directional;

public sealed class DirectionalTests
{
    private static readonly double UnitRoundoff = Math.Pow(2, -53);

    /// <summary>Directions of any length 1…40 (so the scalar and the vectorized paths both run), any scale.</summary>
    private static readonly Gen<(double[] Gradient, double[] Unit, double Scale)> Case =
        from n in Gen.Choose(1, 40)
        from gradient in Generators.Vector(Generators.Wide, n)
        from unit in Generators.UnitDirection(n)
        from scale in Gen.OneOf(Generators.PositiveMagnitude(-6, 6), Gen.Elements(1e-300, 1e300, 1e-310, 1.7e308))
        select (gradient, unit, scale);

    [Property(MaxTest = 300)]
    public Property Derivative_is_gradient_dot_unit_direction_at_any_scale() =>
        Prop.ForAll(Case.ToArbitrary(), c =>
        {
            var direction = Array.ConvertAll(c.Unit, v => v * c.Scale);
            var rate = Gradients.Directional.Derivative<double>(c.Gradient, direction);

            // Reference: Σ gᵢuᵢ. Scaling uᵢ by s and dividing by ‖s·u‖ again perturbs each uᵢ by ≤ (n + 4)u relative
            // (n for the norm's sum, the square root, the scaling and the division; Higham §3.1), and the dot
            // product adds γₙ·Σ|gᵢuᵢ|; so |rate − Σgᵢuᵢ| ≤ (2n + 6)u·Σ|gᵢuᵢ|. Subnormal scalings lose bits of u.
            var expected = c.Gradient.Zip(c.Unit, (g, u) => g * u).Sum();
            var magnitude = c.Gradient.Zip(c.Unit, (g, u) => Math.Abs(g * u)).Sum();
            var subnormalLoss = c.Scale < 1e-300 ? 1e-6 : 0;
            var bound = (((2 * c.Gradient.Length) + 6) * UnitRoundoff * magnitude) + (subnormalLoss * magnitude);
            Assert.True(double.IsFinite(rate), $"rate {rate}");
            Assert.True(Math.Abs(rate - expected) <= bound, $"rate {rate:R}, Σgᵢuᵢ {expected:R}, bound {bound:G3}");
        });

    [Property(MaxTest = 300)]
    public Property Rate_is_at_most_the_gradient_norm_with_equality_along_the_gradient() =>
        Prop.ForAll(Case.ToArbitrary(), c =>
        {
            var norm = Gradients.Directional.MaximalRate<double>(c.Gradient);

            // Cauchy–Schwarz: |∇f·u| ≤ ‖∇f‖; computed, both sides carry ≤ (2n + 6)u relative error.
            var slack = 1 + (2 * ((2 * c.Gradient.Length) + 6) * UnitRoundoff);
            var rate = Gradients.Directional.Derivative<double>(c.Gradient, c.Unit);
            Assert.True(Math.Abs(rate) <= norm * slack, $"|{rate}| > {norm}");

            var along = Gradients.Directional.Derivative<double>(c.Gradient, c.Gradient);
            Assert.True(Math.Abs(along - norm) <= (slack - 1) * norm, $"along ∇f {along:R} vs ‖∇f‖ {norm:R}");

            var ascent = new double[c.Gradient.Length];
            var returned = Gradients.Directional.SteepestAscent<double>(c.Gradient, ascent);
            Assert.True(Math.Abs(returned - norm) <= (slack - 1) * norm);
            Assert.True(Math.Abs(Gradients.Directional.MaximalRate<double>(ascent) - 1) <= slack - 1);
            var descent = new double[c.Gradient.Length];
            Assert.Equal(-returned, Gradients.Directional.SteepestDescent<double>(c.Gradient, descent));
            Assert.Equal(ascent.Select(v => -v), descent);
        });

    [Property(MaxTest = 300)]
    public Property Rate_vanishes_along_a_direction_perpendicular_to_the_gradient() =>
        Prop.ForAll(Case.Where(c => c.Gradient.Length >= 2).ToArbitrary(), c =>
        {
            // w = r − (r·ĝ)ĝ (one Gram–Schmidt step) is perpendicular to g up to rounding: |g·w| ≲ (3n + 6)u·‖g‖‖r‖,
            // so the rate along w is within that over ‖w‖ of 0.
            var unitGradient = new double[c.Gradient.Length];
            var norm = Gradients.Directional.SteepestAscent<double>(c.Gradient, unitGradient);
            var projection = c.Unit.Zip(unitGradient, (r, g) => r * g).Sum();
            var perpendicular = c.Unit.Zip(unitGradient, (r, g) => r - (projection * g)).ToArray();
            var perpendicularNorm = Math.Sqrt(perpendicular.Sum(v => v * v));
            if (perpendicularNorm < 1e-3)
            {
                return;
            }

            var rate = Gradients.Directional.Derivative<double>(c.Gradient, perpendicular);
            var bound = (((3 * c.Gradient.Length) + 6) * UnitRoundoff * norm) / perpendicularNorm;
            Assert.True(Math.Abs(rate) <= bound, $"rate along the perpendicular {rate:G3} > {bound:G3}");
        });

    [Property(MaxTest = 200)]
    public Property Batched_rates_equal_single_rates_bit_for_bit() =>
        Prop.ForAll(
            (from n in Gen.Choose(1, 40)
             from k in Gen.Choose(1, 12)
             from gradient in Generators.Vector(Generators.Wide, n)
             from directions in Generators.Vector(Gen.OneOf(Generators.Wide, Generators.Magnitude(200, 300)), n * k)
             select (gradient, directions, k)).ToArbitrary(),
            c =>
            {
                var n = c.gradient.Length;
                var rates = new double[c.k];
                Gradients.Directional.Derivatives<double>(c.gradient, c.directions, rates);
                var singles = new float[c.k];
                for (var j = 0; j < c.k; j++)
                {
                    Assert.Equal(
                        BitConverter.DoubleToInt64Bits(Gradients.Directional.Derivative<double>(c.gradient, c.directions.AsSpan(j * n, n))),
                        BitConverter.DoubleToInt64Bits(rates[j]));
                    singles[j] = (float)rates[j];
                }

                var gradient32 = Generators.ToSingle(c.gradient);
                var directions32 = Generators.ToSingle(c.directions.Select(d => Math.Clamp(d, -1e30, 1e30)).ToArray());
                var rates32 = new float[c.k];
                Gradients.Directional.Derivatives<float>(gradient32, directions32, rates32);
                for (var j = 0; j < c.k; j++)
                {
                    Assert.Equal(
                        BitConverter.SingleToInt32Bits(Gradients.Directional.Derivative<float>(gradient32, directions32.AsSpan(j * n, n))),
                        BitConverter.SingleToInt32Bits(rates32[j]));
                }
            });

    [Fact]
    public void Chapter_gradient_norm_is_5_3852()
    {
        var gradient = new double[2];
        new WeightedSumOfSquares<double>([1, 5]).EvaluateWithGradient([1.0, 0.5], gradient);
        var norm = Gradients.Directional.MaximalRate<double>(gradient);

        // ‖(2, 5)‖ = √29 = 5.38516…, printed by the chapter to 4 decimals.
        Assert.Equal(Math.Sqrt(29), norm, 15);
        Assert.Equal(5.3852, Math.Round(norm, 4));
    }

    [Fact]
    public void Chapter_sweep_over_360_angles_peaks_at_the_gradient_angle()
    {
        var gradient = new double[2];
        new WeightedSumOfSquares<double>([1, 5]).EvaluateWithGradient([1.0, 0.5], gradient);

        // The chapter's thetas = np.linspace(0, 2π, 360): 360 angles with step 2π/359, both ends included.
        const int count = 360;
        var step = 2 * Math.PI / (count - 1);
        var directions = new double[2 * count];
        for (var j = 0; j < count; j++)
        {
            directions[2 * j] = Math.Cos(j * step);
            directions[(2 * j) + 1] = Math.Sin(j * step);
        }

        var rates = new double[count];
        Gradients.Directional.Derivatives<double>(gradient, directions, rates);
        var best = Array.IndexOf(rates, rates.Max());
        var norm = Gradients.Directional.MaximalRate<double>(gradient);
        var gradientAngle = Math.Atan2(gradient[1], gradient[0]);

        // The sampled maximum is at the grid angle nearest the gradient's (within half a step), and
        // ‖∇f‖·cos(step/2) ≤ max ≤ ‖∇f‖: cos(π/359) ≈ 1 − 3.8e-5, well inside 1e-3 relative.
        Assert.True(Math.Abs((best * step) - gradientAngle) <= (step / 2) + 1e-12, $"peak at {best * step}, gradient at {gradientAngle}");
        Assert.True(Math.Abs(rates[best] - norm) <= 1e-3 * norm);
        Assert.True(rates[best] <= norm * (1 + (8 * UnitRoundoff)));
    }

    [Fact]
    public void Unit_circle_writes_evenly_spaced_unit_directions()
    {
        var directions = new double[2 * 8];
        Gradients.Directional.UnitCircle<double>(directions);
        for (var j = 0; j < 8; j++)
        {
            var angle = Math.Atan2(directions[(2 * j) + 1], directions[2 * j]);
            // cos and sin are each correctly rounded to within 1 ulp; atan2 of them is within a few ulps of the angle.
            Assert.True(Math.Abs(Math.IEEERemainder(j * Math.PI / 4, 2 * Math.PI) - angle) <= 8 * UnitRoundoff * Math.PI, $"direction {j}");
        }

        Assert.Throws<ArgumentException>(() => Gradients.Directional.UnitCircle<double>(new double[3]));
    }

    [Fact]
    public void Bad_directions_are_rejected_with_sizes_and_rows()
    {
        double[] gradient = [2, 5];
        var zero = Assert.Throws<ArgumentException>(() => Gradients.Directional.Derivative<double>(gradient, [0.0, 0.0]));
        Assert.Equal("direction", zero.ParamName);
        Assert.Contains("zero", zero.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => Gradients.Directional.Derivative<double>(gradient, [double.NaN, 1.0]));
        Assert.Throws<ArgumentException>(() => Gradients.Directional.Derivative<double>(gradient, [double.PositiveInfinity, 1.0]));
        var mismatch = Assert.Throws<ArgumentException>(() => Gradients.Directional.Derivative<double>(gradient, [1.0, 0.0, 0.0]));
        Assert.Contains("3", mismatch.Message, StringComparison.Ordinal);
        Assert.Contains("2", mismatch.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => Gradients.Directional.Derivative<double>([], []));

        var batch = Assert.Throws<ArgumentException>(() => Gradients.Directional.Derivatives<double>(gradient, new double[5], new double[3]));
        Assert.Equal("directions", batch.ParamName);
        Assert.Contains("6", batch.Message, StringComparison.Ordinal);
        var row = Assert.Throws<ArgumentException>(() => Gradients.Directional.Derivatives<double>(gradient, [1.0, 0.0, 0.0, 0.0], new double[2]));
        Assert.Contains("Row 1", row.Message, StringComparison.Ordinal);

        var stationary = Assert.Throws<ArgumentException>(() => Gradients.Directional.SteepestAscent<double>([0.0, 0.0], new double[2]));
        Assert.Equal("gradient", stationary.ParamName);
        Assert.Contains("stationary", stationary.Message, StringComparison.Ordinal);
        Assert.Equal(0.0, Gradients.Directional.MaximalRate<double>([0.0, 0.0]));
    }

    [Fact]
    public void Huge_and_tiny_gradients_have_finite_norms_and_unit_steepest_directions()
    {
        double[] huge = [3e300, 4e300];
        var hugeNorm = Gradients.Directional.MaximalRate<double>(huge);
        Assert.True(Math.Abs(hugeNorm - 5e300) <= 4 * UnitRoundoff * 5e300, $"{hugeNorm}");
        var direction = new double[2];
        Gradients.Directional.SteepestAscent<double>(huge, direction);
        Assert.Equal(0.6, direction[0], 15);
        Assert.Equal(0.8, direction[1], 15);

        float[] tiny = [3e-40f, 4e-40f];
        var norm = Gradients.Directional.MaximalRate<float>(tiny);
        Assert.True(Math.Abs(norm - 5e-40) <= 1e-44, $"{norm}");
    }
}
