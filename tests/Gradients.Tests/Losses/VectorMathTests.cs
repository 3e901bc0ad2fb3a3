using System.Runtime.Intrinsics;

namespace Gradients.Tests.Losses;

/// <summary>
/// The polynomial e^x and log1p(t) of the logistic and softmax kernels against <see cref="Math"/>, at random points of
/// their whole ranges and at the special values; vector (128-, 256- and 512-bit) and scalar forms bit-identical.
/// </summary>
/// <remarks>
/// Error model. e^x: the reduction r = x − k·ln2 (ln 2 in two parts) is exact to an ulp of r, the degree-11 polynomial's
/// interpolation error is 3·10⁻¹⁸, and its Estrin evaluation adds at most about two ulps; <see cref="Math.Exp(double)"/>
/// is within one ulp: so 4 ulps relative (4·2⁻⁵² ≈ 8.9·10⁻¹⁶) between the two for normal results. A subnormal result
/// carries that relative error before its one rounding to the subnormal grid: at most one subnormal step apart from
/// Math.Exp's correctly rounded value, plus one for Math.Exp's own rounding.
/// log1p(t), t ∈ [0, 1]: s = t/(2+t) carries two roundings, h(s²) about one ulp, the product one more: ≤ 4 ulps. The
/// reference log(u)·t/(u − 1), u = 1 + t (Goldberg 1991, Theorem 4) is within 5 ulps; so 9 ulps of the value between them,
/// plus one subnormal step where t/2 is subnormal (t &lt; 2⁻¹⁰²¹, from |η| &gt; 707 in the logistic loss).
/// </remarks>
public sealed class VectorMathTests
{
    private const double Ulp = 2.220446049250313e-16;

    [Fact]
    public void Exp_matches_Math_Exp_over_the_whole_range()
    {
        var random = new Random(20261206);
        for (var i = 0; i < 200_000; i++)
        {
            var x = (random.NextDouble() * 1460.0) - 750.0;
            AssertExp(x);
        }

        foreach (var x in new[] { 0.0, -0.0, 1.0, -1.0, 1e-300, -1e-300, 0.34657359, -0.34657359, 708.0, -708.0, 709.78, 709.782712893384, -744.4, -745.1, -745.2, 700.0, -700.0 })
        {
            AssertExp(x);
        }
    }

    [Fact]
    public void Exp_special_values()
    {
        Assert.True(double.IsNaN(VectorMath.Exp(double.NaN)));
        Assert.Equal(0.0, VectorMath.Exp(double.NegativeInfinity));
        Assert.Equal(double.PositiveInfinity, VectorMath.Exp(double.PositiveInfinity));
        Assert.Equal(double.PositiveInfinity, VectorMath.Exp(710.0));
        Assert.Equal(double.PositiveInfinity, VectorMath.Exp(1e300));
        Assert.Equal(0.0, VectorMath.Exp(-746.0));
        Assert.Equal(0.0, VectorMath.Exp(-1e300));
        Assert.True(double.IsFinite(VectorMath.Exp(709.78)));

        var pair = VectorMath.Exp(Vector128.Create(double.NaN, double.PositiveInfinity));
        Assert.True(double.IsNaN(pair.ToScalar()));
        Assert.Equal(double.PositiveInfinity, pair.GetElement(1));

        var lanes = VectorMath.Exp(Vector256.Create(double.NaN, double.NegativeInfinity, double.PositiveInfinity, 1.0));
        Assert.True(double.IsNaN(lanes.GetElement(0)));
        Assert.Equal(0.0, lanes.GetElement(1));
        Assert.Equal(double.PositiveInfinity, lanes.GetElement(2));
        Assert.Equal(VectorMath.Exp(1.0), lanes.GetElement(3));
    }

    [Fact]
    public void Log1p_of_unit_matches_Goldbergs_formula()
    {
        var random = new Random(7);
        for (var i = 0; i < 200_000; i++)
        {
            AssertLog1p(random.NextDouble());
            AssertLog1p(Math.ScaleB(1.0 + random.NextDouble(), -random.Next(1, 1070)));
        }

        foreach (var t in new[] { 1.0, 0.5, 1e-300, double.Epsilon, 1e-17, 0.9999999999999999 })
        {
            AssertLog1p(t);
        }

        Assert.Equal(0.0, VectorMath.Log1pOfUnit(0.0));
        Assert.True(double.IsNaN(VectorMath.Log1pOfUnit(double.NaN)));
    }

    [Fact]
    public void Exp_of_non_positive_is_bit_identical_to_exp()
    {
        var random = new Random(3);
        for (var i = 0; i < 200_000; i++)
        {
            var x = -random.NextDouble() * 760.0;
            Assert.Equal(BitConverter.DoubleToInt64Bits(VectorMath.Exp(x)), BitConverter.DoubleToInt64Bits(VectorMath.ExpOfNonPositive(x)));
            Assert.Equal(BitConverter.DoubleToInt64Bits(VectorMath.Exp(x)), BitConverter.DoubleToInt64Bits(VectorMath.ExpOfNonPositive(Vector256.Create(x)).GetElement(3)));
            Assert.Equal(BitConverter.DoubleToInt64Bits(VectorMath.Exp(x)), BitConverter.DoubleToInt64Bits(VectorMath.ExpOfNonPositive(Vector512.Create(x)).GetElement(6)));
            Assert.Equal(BitConverter.DoubleToInt64Bits(VectorMath.Exp(x)), BitConverter.DoubleToInt64Bits(VectorMath.ExpOfNonPositive(Vector128.Create(x)).GetElement(1)));
        }

        foreach (var x in new[] { 0.0, -0.0, -708.0, -745.1, -745.2, -746.0, -1e300, double.NegativeInfinity })
        {
            Assert.Equal(BitConverter.DoubleToInt64Bits(VectorMath.Exp(x)), BitConverter.DoubleToInt64Bits(VectorMath.ExpOfNonPositive(x)));
        }

        Assert.True(double.IsNaN(VectorMath.ExpOfNonPositive(double.NaN)));
        Assert.True(double.IsNaN(VectorMath.ExpOfNonPositive(Vector256.Create(double.NaN)).ToScalar()));
        Assert.True(double.IsNaN(VectorMath.ExpOfNonPositive(Vector512.Create(double.NaN)).ToScalar()));
        Assert.True(double.IsNaN(VectorMath.ExpOfNonPositive(Vector128.Create(double.NaN)).ToScalar()));
    }

    private static void AssertExp(double x)
    {
        var actual = VectorMath.Exp(x);
        Assert.Equal(BitConverter.DoubleToInt64Bits(actual), BitConverter.DoubleToInt64Bits(VectorMath.Exp(Vector256.Create(x)).GetElement(2)));
        Assert.Equal(BitConverter.DoubleToInt64Bits(actual), BitConverter.DoubleToInt64Bits(VectorMath.Exp(Vector128.Create(x)).GetElement(1)));
        var expected = Math.Exp(x);
        if (double.IsPositiveInfinity(expected))
        {
            Assert.Equal(expected, actual);
        }
        else if (expected >= 2.2250738585072014e-308)
        {
            Assert.True(Math.Abs(actual - expected) <= 4 * Ulp * expected, $"e^{x:R}: {actual:R}, Math.Exp {expected:R}");
        }
        else
        {
            Assert.True(Math.Abs(actual - expected) <= 2 * double.Epsilon, $"e^{x:R}: {actual:R}, Math.Exp {expected:R}");
        }
    }

    private static void AssertLog1p(double t)
    {
        var actual = VectorMath.Log1pOfUnit(t);
        Assert.Equal(BitConverter.DoubleToInt64Bits(actual), BitConverter.DoubleToInt64Bits(VectorMath.Log1pOfUnit(Vector256.Create(t)).GetElement(1)));
        Assert.Equal(BitConverter.DoubleToInt64Bits(actual), BitConverter.DoubleToInt64Bits(VectorMath.Log1pOfUnit(Vector128.Create(t)).GetElement(1)));
        var u = 1.0 + t;
        var expected = u == 1.0 ? t : Math.Log(u) * (t / (u - 1.0));
        Assert.True(Math.Abs(actual - expected) <= (9 * Ulp * expected) + double.Epsilon, $"log1p({t:R}): {actual:R}, reference {expected:R}");
    }
}
