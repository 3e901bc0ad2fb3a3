using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace Gradients;

/// <summary>
/// e^x and log1p(t) for t ∈ [0, 1], the two functions the logistic and softmax losses spend their per-row time in,
/// as plain FMA polynomials in double with no per-lane special-case handling on the common path. A vector and a
/// scalar form of each run the same operations in the same order, so a row's value does not depend on which
/// kernel path computed it. log z for z ≥ 1 (the softmax's log of its sum of shifted exponentials, four rows at a
/// time) is built on log1p and has a vector form only.
/// </summary>
/// <remarks>
/// <para>
/// <see cref="Vector256.Exp(Vector256{double})"/> and <see cref="Vector256.Log(Vector256{double})"/> test every
/// lane for special values and cost about as much again as the polynomials; together they were most of the
/// logistic loss's time over the read of X.
/// </para>
/// <para>
/// e^x = 2^k·e^r with k = round(x/ln 2), r = x − k·ln 2 (ln 2 in two parts, Cody and Waite), |r| ≤ ln2/2, and e^r a
/// degree-11 polynomial (interpolation error 3·10⁻¹⁸); 2^k is applied as two factors, so overflow to ∞ and gradual
/// underflow to 0 come out right with no special-case lanes.
/// Error: a few ulps (the reduction's rounding of r, one ulp relative, plus the polynomial's evaluation).
/// </para>
/// <para>
/// log1p(t) = 2·atanh(s) = s·h(s²) with s = t/(2 + t) ∈ [0, 1/3], h a degree-10 polynomial in s² (interpolation
/// error 3·10⁻¹⁸). t enters exactly (no rounded 1 + t), so small t keep their relative accuracy: s has at most two
/// roundings, h one ulp or so, the product one more — a few ulps in all.
/// </para>
/// <para>The coefficients come from <c>tests/reference/vector_math_coefficients.py</c> (mpmath).</para>
/// </remarks>
internal static class VectorMath
{
    /// <summary>e^x rounds to 0 below −745.2: clamping there changes nothing and bounds k from below.</summary>
    private const double ExpLower = -746.0;

    /// <summary>e^x overflows above 709.8: clamping there changes nothing and bounds k from above.</summary>
    private const double ExpUpper = 710.0;

    /// <summary>2⁻⁵¹².</summary>
    private const double TwoToMinus512 = 7.458340731200207e-155;

    private const double Log2OfE = 1.4426950408889634;

    /// <summary>ln 2's leading 32 bits (k·Ln2High is exact for |k| ≤ 2¹⁰) and the rest (fdlibm's split).</summary>
    private const double Ln2High = 6.93147180369123816490e-01;

    private const double Ln2Low = 1.90821492927058770002e-10;

    /// <summary>1.5·2⁵²: x + Shifter rounds x to an integer held in the low mantissa bits.</summary>
    private const double Shifter = 6755399441055744.0;

    private const double E0 = 1.0;
    private const double E1 = 1.0;
    private const double E2 = 5.0000000000000184e-1;
    private const double E3 = 1.6666666666666681e-1;
    private const double E4 = 4.1666666666488095e-2;
    private const double E5 = 8.3333333333196006e-3;
    private const double E6 = 1.3888888952314775e-3;
    private const double E7 = 1.9841269890047114e-4;
    private const double E8 = 2.4801485482328492e-5;
    private const double E9 = 2.7557240918578970e-6;
    private const double E10 = 2.7632639639041030e-7;
    private const double E11 = 2.5110037605963778e-8;

    private const double H0 = 2.0;
    private const double H1 = 6.6666666666666150e-1;
    private const double H2 = 4.0000000000185747e-1;
    private const double H3 = 2.8571428545454115e-1;
    private const double H4 = 2.2222224080747673e-1;
    private const double H5 = 1.8181740832504805e-1;
    private const double H6 = 1.5386614042304008e-1;
    private const double H7 = 1.3300374032674624e-1;
    private const double H8 = 1.2110168728069218e-1;
    private const double H9 = 8.3245065118608206e-2;
    private const double H10 = 1.7044163562781398e-1;

    // The multiply-adds are fused where the hardware has FMA (x64 with FMA3, Arm64). Without it (x64 with
    // DOTNET_EnableAVX2=0, which turns FMA off too) Math.FusedMultiplyAdd is a software emulation that made the logistic
    // loss 7× a read-only pass over X; there the vector and scalar forms both multiply and add with two roundings, so they
    // still agree bit for bit. Each MultiplyAdd tests the two IsSupported flags itself, in an `if`: as a property in a
    // conditional expression the JIT imported both arms before folding the condition, and without FMA it expanded
    // Vector128.FusedMultiplyAdd's software fallback into every caller (197 inlinees in ExpOfNonPositive) and kept all
    // the vector locals on the stack (the 128-bit logistic loss at 6.6× the read-only pass with AVX2 off).

    /// <summary>a·b + c, fused where the hardware has FMA (one rounding), else two roundings.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double MultiplyAdd(double a, double b, double c)
    {
        if (Fma.IsSupported || AdvSimd.Arm64.IsSupported)
        {
            return Math.FusedMultiplyAdd(a, b, c);
        }

        return (a * b) + c;
    }

    /// <summary>a·b + c lane by lane, fused where the hardware has FMA (one rounding), else two roundings.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> MultiplyAdd(Vector256<double> a, Vector256<double> b, Vector256<double> c)
    {
        if (Fma.IsSupported || AdvSimd.Arm64.IsSupported)
        {
            return Vector256.FusedMultiplyAdd(a, b, c);
        }

        return (a * b) + c;
    }

    /// <summary>a·b + c on two lanes, fused where the hardware has FMA (one rounding), else two roundings.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<double> MultiplyAdd(Vector128<double> a, Vector128<double> b, Vector128<double> c)
    {
        if (Fma.IsSupported || AdvSimd.Arm64.IsSupported)
        {
            return Vector128.FusedMultiplyAdd(a, b, c);
        }

        return (a * b) + c;
    }

    /// <summary>a·b + c on eight lanes, fused where the hardware has FMA (one rounding), else two roundings.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<double> MultiplyAdd(Vector512<double> a, Vector512<double> b, Vector512<double> c)
    {
        if (Fma.IsSupported || AdvSimd.Arm64.IsSupported)
        {
            return Vector512.FusedMultiplyAdd(a, b, c);
        }

        return (a * b) + c;
    }

    /// <summary>e^x lane by lane (NaN stays NaN, −∞ gives 0, +∞ gives +∞). Branch-free and call-free, so a kernel
    /// loop that uses it keeps its accumulators in registers (a call, even on a cold path, made the JIT spill them).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Exp(Vector256<double> x)
    {
        // Clamped so that k stays in [−1076, 1025] (compare and select: a NaN lane compares false and stays NaN).
        x = Vector256.ConditionalSelect(Vector256.LessThan(x, Vector256.Create(ExpLower)), Vector256.Create(ExpLower), x);
        x = Vector256.ConditionalSelect(Vector256.GreaterThan(x, Vector256.Create(ExpUpper)), Vector256.Create(ExpUpper), x);
        var shifted = MultiplyAdd(x, Vector256.Create(Log2OfE), Vector256.Create(Shifter));
        var k = shifted - Vector256.Create(Shifter);
        var p = ExpOfReduced(x, k);

        // 2^k as 2^k₁·2^k₂ with k₁ = round(k/2), each factor a normal double for every clamped x, so overflow to ∞
        // and gradual underflow come out of the last product with one rounding. kᵢ + Shifter holds kᵢ in its low
        // mantissa bits; adding (1023 − those of Shifter) and shifting left 52 puts 1023 + kᵢ in the exponent field.
        var half = MultiplyAdd(k, Vector256.Create(0.5), Vector256.Create(Shifter));
        var k1 = half - Vector256.Create(Shifter);
        var second = (k - k1) + Vector256.Create(Shifter);
        var bias = Vector256.Create(1023L - BitConverter.DoubleToInt64Bits(Shifter));
        var scale1 = ((half.AsInt64() + bias) << 52).AsDouble();
        var scale2 = ((second.AsInt64() + bias) << 52).AsDouble();
        return (p * scale1) * scale2;
    }

    /// <summary>
    /// <see cref="Exp(Vector256{double})"/> on two lanes: the same operations lane by lane, so the same results bit for bit
    /// (the 128-bit kernel's form, for the Poisson loss without AVX2 and on Arm64).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<double> Exp(Vector128<double> x)
    {
        x = Vector128.ConditionalSelect(Vector128.LessThan(x, Vector128.Create(ExpLower)), Vector128.Create(ExpLower), x);
        x = Vector128.ConditionalSelect(Vector128.GreaterThan(x, Vector128.Create(ExpUpper)), Vector128.Create(ExpUpper), x);
        var shifted = MultiplyAdd(x, Vector128.Create(Log2OfE), Vector128.Create(Shifter));
        var k = shifted - Vector128.Create(Shifter);
        var p = ExpOfReduced(x, k);
        var half = MultiplyAdd(k, Vector128.Create(0.5), Vector128.Create(Shifter));
        var k1 = half - Vector128.Create(Shifter);
        var second = (k - k1) + Vector128.Create(Shifter);
        var bias = Vector128.Create(1023L - BitConverter.DoubleToInt64Bits(Shifter));
        var scale1 = ((half.AsInt64() + bias) << 52).AsDouble();
        var scale2 = ((second.AsInt64() + bias) << 52).AsDouble();
        return (p * scale1) * scale2;
    }

    /// <summary>
    /// e^x for x ≤ 0 (or NaN), bit-identical to <see cref="Exp(Vector256{double})"/> there with fewer operations: k ≤ 0,
    /// so 2^k is applied as 2^(k+512)·2^−512, both normal for every clamped x (the product p·2^(k+512) is exact and the
    /// last multiplication rounds once, as in the two-factor form). What the logistic (e^−|η|) and softmax (e^(η − max)) need.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> ExpOfNonPositive(Vector256<double> x)
    {
        x = Vector256.ConditionalSelect(Vector256.LessThan(x, Vector256.Create(ExpLower)), Vector256.Create(ExpLower), x);
        var shifted = MultiplyAdd(x, Vector256.Create(Log2OfE), Vector256.Create(Shifter));
        var k = shifted - Vector256.Create(Shifter);
        var p = ExpOfReduced(x, k);
        var scale = ((shifted.AsInt64() + Vector256.Create(1023L + 512L - BitConverter.DoubleToInt64Bits(Shifter))) << 52).AsDouble();
        return (p * scale) * Vector256.Create(TwoToMinus512);
    }

    /// <summary>
    /// <see cref="ExpOfNonPositive(Vector256{double})"/> on two lanes: the same operations lane by lane, so the same
    /// results bit for bit (the 128-bit kernel's form, for the logistic loss without AVX2 and on Arm64).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<double> ExpOfNonPositive(Vector128<double> x)
    {
        x = Vector128.ConditionalSelect(Vector128.LessThan(x, Vector128.Create(ExpLower)), Vector128.Create(ExpLower), x);
        var shifted = MultiplyAdd(x, Vector128.Create(Log2OfE), Vector128.Create(Shifter));
        var k = shifted - Vector128.Create(Shifter);
        var p = ExpOfReduced(x, k);
        var scale = ((shifted.AsInt64() + Vector128.Create(1023L + 512L - BitConverter.DoubleToInt64Bits(Shifter))) << 52).AsDouble();
        return (p * scale) * Vector128.Create(TwoToMinus512);
    }

    /// <summary>
    /// <see cref="ExpOfNonPositive(Vector256{double})"/> on eight lanes: the same operations lane by lane, so the same
    /// results bit for bit (what the softmax uses for two classes of four rows at once where 512-bit vectors are accelerated).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> ExpOfNonPositive(Vector512<double> x)
    {
        x = Vector512.ConditionalSelect(Vector512.LessThan(x, Vector512.Create(ExpLower)), Vector512.Create(ExpLower), x);
        var shifted = MultiplyAdd(x, Vector512.Create(Log2OfE), Vector512.Create(Shifter));
        var k = shifted - Vector512.Create(Shifter);
        var p = ExpOfReduced(x, k);
        var scale = ((shifted.AsInt64() + Vector512.Create(1023L + 512L - BitConverter.DoubleToInt64Bits(Shifter))) << 52).AsDouble();
        return (p * scale) * Vector512.Create(TwoToMinus512);
    }

    /// <summary>e^x for one x ≤ 0, the same operations as <see cref="ExpOfNonPositive(Vector256{double})"/> on one lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double ExpOfNonPositive(double x)
    {
        x = x < ExpLower ? ExpLower : x;
        var shifted = MultiplyAdd(x, Log2OfE, Shifter);
        var k = shifted - Shifter;
        var p = ExpOfReduced(x, k);
        var scale = BitConverter.Int64BitsToDouble((BitConverter.DoubleToInt64Bits(shifted) + (1023L + 512L - BitConverter.DoubleToInt64Bits(Shifter))) << 52);
        return (p * scale) * TwoToMinus512;
    }

    /// <summary>e^x for one value, the same operations as <see cref="Exp(Vector256{double})"/> on one lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Exp(double x)
    {
        x = x < ExpLower ? ExpLower : x;
        x = x > ExpUpper ? ExpUpper : x;
        var shifted = MultiplyAdd(x, Log2OfE, Shifter);
        var k = shifted - Shifter;
        var p = ExpOfReduced(x, k);
        var half = MultiplyAdd(k, 0.5, Shifter);
        var k1 = half - Shifter;
        var second = (k - k1) + Shifter;
        var bias = 1023L - BitConverter.DoubleToInt64Bits(Shifter);
        var scale1 = BitConverter.Int64BitsToDouble((BitConverter.DoubleToInt64Bits(half) + bias) << 52);
        var scale2 = BitConverter.Int64BitsToDouble((BitConverter.DoubleToInt64Bits(second) + bias) << 52);
        return (p * scale1) * scale2;
    }

    /// <summary>
    /// e^r for r = x − k·ln 2 (k = round(x·log₂e), ln 2 split in two so r is exact): the reduction and the degree-11
    /// polynomial every exponential here shares; the caller applies 2^k in the way its range needs.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> ExpOfReduced(Vector256<double> x, Vector256<double> k)
    {
        var r = MultiplyAdd(k, Vector256.Create(-Ln2High), x);
        r = MultiplyAdd(k, Vector256.Create(-Ln2Low), r);

        // Estrin's scheme: six independent pairs, then three levels, instead of an 11-deep chain of FMAs.
        var r2 = r * r;
        var r4 = r2 * r2;
        var p01 = MultiplyAdd(Vector256.Create(E1), r, Vector256.Create(E0));
        var p23 = MultiplyAdd(Vector256.Create(E3), r, Vector256.Create(E2));
        var p45 = MultiplyAdd(Vector256.Create(E5), r, Vector256.Create(E4));
        var p67 = MultiplyAdd(Vector256.Create(E7), r, Vector256.Create(E6));
        var p89 = MultiplyAdd(Vector256.Create(E9), r, Vector256.Create(E8));
        var p1011 = MultiplyAdd(Vector256.Create(E11), r, Vector256.Create(E10));
        var p03 = MultiplyAdd(p23, r2, p01);
        var p47 = MultiplyAdd(p67, r2, p45);
        var p811 = MultiplyAdd(p1011, r2, p89);
        return MultiplyAdd(MultiplyAdd(p811, r4, p47), r4, p03);
    }

    /// <summary><see cref="ExpOfReduced(Vector256{double}, Vector256{double})"/> on two lanes: the same operations.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<double> ExpOfReduced(Vector128<double> x, Vector128<double> k)
    {
        var r = MultiplyAdd(k, Vector128.Create(-Ln2High), x);
        r = MultiplyAdd(k, Vector128.Create(-Ln2Low), r);
        var r2 = r * r;
        var r4 = r2 * r2;
        var p01 = MultiplyAdd(Vector128.Create(E1), r, Vector128.Create(E0));
        var p23 = MultiplyAdd(Vector128.Create(E3), r, Vector128.Create(E2));
        var p45 = MultiplyAdd(Vector128.Create(E5), r, Vector128.Create(E4));
        var p67 = MultiplyAdd(Vector128.Create(E7), r, Vector128.Create(E6));
        var p89 = MultiplyAdd(Vector128.Create(E9), r, Vector128.Create(E8));
        var p1011 = MultiplyAdd(Vector128.Create(E11), r, Vector128.Create(E10));
        var p03 = MultiplyAdd(p23, r2, p01);
        var p47 = MultiplyAdd(p67, r2, p45);
        var p811 = MultiplyAdd(p1011, r2, p89);
        return MultiplyAdd(MultiplyAdd(p811, r4, p47), r4, p03);
    }

    /// <summary><see cref="ExpOfReduced(Vector256{double}, Vector256{double})"/> on eight lanes: the same operations.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<double> ExpOfReduced(Vector512<double> x, Vector512<double> k)
    {
        var r = MultiplyAdd(k, Vector512.Create(-Ln2High), x);
        r = MultiplyAdd(k, Vector512.Create(-Ln2Low), r);
        var r2 = r * r;
        var r4 = r2 * r2;
        var p01 = MultiplyAdd(Vector512.Create(E1), r, Vector512.Create(E0));
        var p23 = MultiplyAdd(Vector512.Create(E3), r, Vector512.Create(E2));
        var p45 = MultiplyAdd(Vector512.Create(E5), r, Vector512.Create(E4));
        var p67 = MultiplyAdd(Vector512.Create(E7), r, Vector512.Create(E6));
        var p89 = MultiplyAdd(Vector512.Create(E9), r, Vector512.Create(E8));
        var p1011 = MultiplyAdd(Vector512.Create(E11), r, Vector512.Create(E10));
        var p03 = MultiplyAdd(p23, r2, p01);
        var p47 = MultiplyAdd(p67, r2, p45);
        var p811 = MultiplyAdd(p1011, r2, p89);
        return MultiplyAdd(MultiplyAdd(p811, r4, p47), r4, p03);
    }

    /// <summary>One lane of <see cref="ExpOfReduced(Vector256{double}, Vector256{double})"/>: the same operations.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double ExpOfReduced(double x, double k)
    {
        var r = MultiplyAdd(k, -Ln2High, x);
        r = MultiplyAdd(k, -Ln2Low, r);
        var r2 = r * r;
        var r4 = r2 * r2;
        var p01 = MultiplyAdd(E1, r, E0);
        var p23 = MultiplyAdd(E3, r, E2);
        var p45 = MultiplyAdd(E5, r, E4);
        var p67 = MultiplyAdd(E7, r, E6);
        var p89 = MultiplyAdd(E9, r, E8);
        var p1011 = MultiplyAdd(E11, r, E10);
        var p03 = MultiplyAdd(p23, r2, p01);
        var p47 = MultiplyAdd(p67, r2, p45);
        var p811 = MultiplyAdd(p1011, r2, p89);
        return MultiplyAdd(MultiplyAdd(p811, r4, p47), r4, p03);
    }

    /// <summary>log(1 + t) lane by lane for t ∈ [0, 1] (the range the logistic loss needs: t = e^−|η|).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Log1pOfUnit(Vector256<double> t)
    {
        var s = t / (Vector256.Create(2.0) + t);
        var z = s * s;
        var z2 = z * z;
        var z4 = z2 * z2;
        var q01 = MultiplyAdd(Vector256.Create(H1), z, Vector256.Create(H0));
        var q23 = MultiplyAdd(Vector256.Create(H3), z, Vector256.Create(H2));
        var q45 = MultiplyAdd(Vector256.Create(H5), z, Vector256.Create(H4));
        var q67 = MultiplyAdd(Vector256.Create(H7), z, Vector256.Create(H6));
        var q89 = MultiplyAdd(Vector256.Create(H9), z, Vector256.Create(H8));
        var q03 = MultiplyAdd(q23, z2, q01);
        var q47 = MultiplyAdd(q67, z2, q45);
        var q810 = MultiplyAdd(Vector256.Create(H10), z2, q89);
        var h = MultiplyAdd(MultiplyAdd(q810, z4, q47), z4, q03);
        return s * h;
    }

    /// <summary><see cref="Log1pOfUnit(Vector256{double})"/> on two lanes: the same operations, so the same results bit for bit.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<double> Log1pOfUnit(Vector128<double> t)
    {
        var s = t / (Vector128.Create(2.0) + t);
        var z = s * s;
        var z2 = z * z;
        var z4 = z2 * z2;
        var q01 = MultiplyAdd(Vector128.Create(H1), z, Vector128.Create(H0));
        var q23 = MultiplyAdd(Vector128.Create(H3), z, Vector128.Create(H2));
        var q45 = MultiplyAdd(Vector128.Create(H5), z, Vector128.Create(H4));
        var q67 = MultiplyAdd(Vector128.Create(H7), z, Vector128.Create(H6));
        var q89 = MultiplyAdd(Vector128.Create(H9), z, Vector128.Create(H8));
        var q03 = MultiplyAdd(q23, z2, q01);
        var q47 = MultiplyAdd(q67, z2, q45);
        var q810 = MultiplyAdd(Vector128.Create(H10), z2, q89);
        var h = MultiplyAdd(MultiplyAdd(q810, z4, q47), z4, q03);
        return s * h;
    }

    /// <summary>log(1 + t) for one t ∈ [0, 1], the same operations as <see cref="Log1pOfUnit(Vector256{double})"/> on one lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Log1pOfUnit(double t)
    {
        var s = t / (2.0 + t);
        var z = s * s;
        var z2 = z * z;
        var z4 = z2 * z2;
        var q01 = MultiplyAdd(H1, z, H0);
        var q23 = MultiplyAdd(H3, z, H2);
        var q45 = MultiplyAdd(H5, z, H4);
        var q67 = MultiplyAdd(H7, z, H6);
        var q89 = MultiplyAdd(H9, z, H8);
        var q03 = MultiplyAdd(q23, z2, q01);
        var q47 = MultiplyAdd(q67, z2, q45);
        var q810 = MultiplyAdd(H10, z2, q89);
        var h = MultiplyAdd(MultiplyAdd(q810, z4, q47), z4, q03);
        return s * h;
    }

    /// <summary>
    /// log z lane by lane for z ≥ 1 (NaN and +∞ come back unchanged): z = 2^e·m with m ∈ [1, 2), so
    /// log z = e·ln 2 + log1p(m − 1) with m − 1 ∈ [0, 1) exact; e·ln 2 in the two parts of ln 2 (e·Ln2High exact).
    /// Error: that of <see cref="Log1pOfUnit(Vector256{double})"/> plus two roundings, a few ulps. What the softmax
    /// needs for the log of its sum of shifted exponentials (z ∈ [1, K]), four rows at a time; no scalar form.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> LogOfAtLeastOne(Vector256<double> z)
    {
        var bits = z.AsInt64();
        var m = ((bits & Vector256.Create(0x000F_FFFF_FFFF_FFFFL)) | Vector256.Create(0x3FF0_0000_0000_0000L)).AsDouble();

        // The biased exponent (z ≥ 1 has sign 0) as a double without a 64-bit conversion instruction: its bits under
        // 2⁵²'s exponent read 2⁵² + e_biased.
        var biased = (Vector256.ShiftRightLogical(bits, 52) | Vector256.Create(0x4330_0000_0000_0000L)).AsDouble();
        var e = biased - Vector256.Create(4503599627370496.0 + 1023.0);
        var log = MultiplyAdd(e, Vector256.Create(Ln2High), MultiplyAdd(e, Vector256.Create(Ln2Low), Log1pOfUnit(m - Vector256<double>.One)));
        return Vector256.ConditionalSelect(Vector256.LessThan(z, Vector256.Create(double.PositiveInfinity)), log, z);
    }
}
