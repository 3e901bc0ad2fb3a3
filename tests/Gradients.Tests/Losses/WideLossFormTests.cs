using System.Runtime.Intrinsics;

namespace Gradients.Tests.Losses;

/// <summary>
/// The eight-lane forms the kernels use where 512-bit vectors are accelerated give the bits of the four-lane forms
/// (the logistic pass at small D evaluates eight rows at once, and must not depend on which path a row took), and the
/// softmax's four-row log of z ∈ [1, K] is within its error model of <see cref="Math.Log(double)"/>.
/// </summary>
/// <remarks>
/// These compare operations, not hardware: Vector512 is emulated where it is not accelerated, with the same IEEE
/// operations per lane, so the equalities hold on every machine and run in every CI configuration.
/// </remarks>
public sealed class WideLossFormTests
{
    /// <summary>η across the logistic's whole range (tiny, moderate, ±700, past e^−|η|'s underflow) and labels 0/1.</summary>
    private static (double[] Eta, double[] Y, double[] S) Rows(int seed, int count)
    {
        var random = new Random(seed);
        double[] special = [0.0, -0.0, 1e-300, -1e-300, 36.0, -36.0, 700.0, -700.0, 745.5, -745.5, 1e300, -1e300];
        var eta = Enumerable.Range(0, count).Select(i => i < special.Length ? special[i] : random.Next(3) switch
        {
            0 => (random.NextDouble() * 20) - 10,
            1 => (random.NextDouble() * 1500) - 750,
            _ => ((random.NextDouble() * 2) - 1) * Math.Pow(10, random.Next(-20, 3)),
        }).ToArray();
        var y = Enumerable.Range(0, count).Select(_ => (double)random.Next(2)).ToArray();
        var s = Enumerable.Range(0, count).Select(_ => random.Next(0, 9) / 4.0).ToArray();
        return (eta, y, s);
    }

    [Fact]
    public void Eight_logistic_rows_give_the_bits_of_two_four_row_blocks_weighted_or_not()
    {
        var (eta, y, s) = Rows(17, 8 * 400);
        var residualsWide = new double[eta.Length];
        var residualsNarrow = new double[eta.Length];
        var loss = default(BinomialLogLikelihood);
        Vector256<double> wideSum = default, narrowSum = default, wideWeighted = default, narrowWeighted = default;
        Vector256<double> invalidWide = default, invalidNarrow = default;
        for (nuint row = 0; row < (nuint)eta.Length; row += 8)
        {
            var etaA = Vector256.LoadUnsafe(ref eta[0], row);
            var etaB = Vector256.LoadUnsafe(ref eta[0], row + 4);
            var a = FusedPass.EightRows<double, DoubleElements, BinomialLogLikelihood, Unweighted>(loss, etaA, etaB, ref y[0], ref s[0], ref residualsWide[0], true, row, ref wideSum, ref invalidWide, out var b);
            var a4 = FusedPass.FourRows<double, DoubleElements, BinomialLogLikelihood, Unweighted>(loss, etaA, ref y[0], ref s[0], ref residualsNarrow[0], true, row, ref narrowSum, ref invalidNarrow);
            var b4 = FusedPass.FourRows<double, DoubleElements, BinomialLogLikelihood, Unweighted>(loss, etaB, ref y[0], ref s[0], ref residualsNarrow[0], true, row + 4, ref narrowSum, ref invalidNarrow);
            AssertSameBits(a4, a, row);
            AssertSameBits(b4, b, row + 4);

            a = FusedPass.EightRows<double, DoubleElements, BinomialLogLikelihood, Weighted>(loss, etaA, etaB, ref y[0], ref s[0], ref residualsWide[0], false, row, ref wideWeighted, ref invalidWide, out b);
            a4 = FusedPass.FourRows<double, DoubleElements, BinomialLogLikelihood, Weighted>(loss, etaA, ref y[0], ref s[0], ref residualsNarrow[0], false, row, ref narrowWeighted, ref invalidNarrow);
            b4 = FusedPass.FourRows<double, DoubleElements, BinomialLogLikelihood, Weighted>(loss, etaB, ref y[0], ref s[0], ref residualsNarrow[0], false, row + 4, ref narrowWeighted, ref invalidNarrow);
            AssertSameBits(a4, a, row);
            AssertSameBits(b4, b, row + 4);
        }

        AssertSameBits(narrowSum, wideSum, 0);
        AssertSameBits(narrowWeighted, wideWeighted, 0);
        Assert.Equal(residualsNarrow, residualsWide);
        Assert.Equal(Vector256<double>.Zero, invalidWide);

        // A label that is not 0 or 1 is flagged in either half of the eight.
        double[] labels = [0, 1, 0, 1, 1, 0.5, 0, 1];
        var flagged = Vector256<double>.Zero;
        var ignored = Vector256<double>.Zero;
        FusedPass.EightRows<double, DoubleElements, BinomialLogLikelihood, Unweighted>(loss, default, default, ref labels[0], ref s[0], ref residualsWide[0], false, 0, ref ignored, ref flagged, out _);
        Assert.NotEqual(Vector256<double>.Zero, flagged);
    }

    [Fact]
    public void The_eight_lane_exp_and_log1p_are_the_four_lane_ones()
    {
        var random = new Random(3);
        for (var i = 0; i < 20_000; i++)
        {
            var x = Vector512.Create(Enumerable.Range(0, 8).Select(_ => -random.NextDouble() * (random.Next(2) == 0 ? 10 : 760)).ToArray());
            var wide = VectorMath.ExpOfNonPositive(x);
            Assert.Equal(Vector512.Create(VectorMath.ExpOfNonPositive(x.GetLower()), VectorMath.ExpOfNonPositive(x.GetUpper())), wide);

            var s = Vector512.Create(Enumerable.Range(0, 8).Select(_ => random.NextDouble() / 3).ToArray());
            Assert.Equal(Vector512.Create(VectorMath.Log1pOfRatio(s.GetLower()), VectorMath.Log1pOfRatio(s.GetUpper())), VectorMath.Log1pOfRatio(s));
        }

        Assert.True(double.IsNaN(VectorMath.ExpOfNonPositive(Vector512.Create(double.NaN)).ToScalar()));
        Assert.Equal(0.0, VectorMath.ExpOfNonPositive(Vector512.Create(double.NegativeInfinity)).ToScalar());
    }

    /// <summary>
    /// log z for z ∈ [1, K]: Log1pOfUnit's error (≤ 4 ulps of log1p(m − 1), see <see cref="VectorMathTests"/>) plus the
    /// roundings of e·Ln2Low and the two additions, against Math.Log's one ulp: 8 ulps of log z (log z ≥ 0; at z = 1
    /// both are exactly 0).
    /// </summary>
    [Fact]
    public void Log_of_at_least_one_matches_Math_Log()
    {
        var random = new Random(11);
        var points = Enumerable.Range(0, 400_000).Select(i => i switch
        {
            < 100_000 => 1.0 + random.NextDouble(),
            < 200_000 => 1.0 + (random.NextDouble() * 1000),
            < 300_000 => Math.Pow(2, random.Next(0, 60)) * (1 + (random.NextDouble() * 1e-12)),
            _ => Math.Exp(random.NextDouble() * 700),
        }).Concat([1.0, Math.BitIncrement(1.0), 2.0, Math.BitDecrement(2.0), 3.0, 4.0, 5.0, 7.0, 10.0, 1000.0, 1e308, double.MaxValue]).ToArray();
        for (var i = 0; i + 4 <= points.Length; i += 4)
        {
            var z = Vector256.Create(points[i], points[i + 1], points[i + 2], points[i + 3]);
            var log = VectorMath.LogOfAtLeastOne(z);
            for (var lane = 0; lane < 4; lane++)
            {
                var expected = Math.Log(z.GetElement(lane));
                var error = Math.Abs(log.GetElement(lane) - expected);
                Assert.True(error <= 8 * (Math.BitIncrement(expected) - expected), $"log({z.GetElement(lane):R}) = {log.GetElement(lane):R}, Math.Log {expected:R}");
            }
        }

        Assert.Equal(0.0, VectorMath.LogOfAtLeastOne(Vector256<double>.One).ToScalar());
        var special = VectorMath.LogOfAtLeastOne(Vector256.Create(double.NaN, double.PositiveInfinity, 1.0, 4.0));
        Assert.True(double.IsNaN(special.GetElement(0)));
        Assert.Equal(double.PositiveInfinity, special.GetElement(1));
        Assert.Equal(0.0, special.GetElement(2));
    }

    private static void AssertSameBits(Vector256<double> expected, Vector256<double> actual, nuint row)
    {
        for (var lane = 0; lane < 4; lane++)
        {
            Assert.True(
                BitConverter.DoubleToInt64Bits(expected.GetElement(lane)) == BitConverter.DoubleToInt64Bits(actual.GetElement(lane)),
                $"row {row + (nuint)lane}: {expected.GetElement(lane):R} vs {actual.GetElement(lane):R}");
        }
    }
}
