using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Gradients;

/// <summary>
/// The layout vectorized over the features, for D ≥ <see cref="MinDimensionOverFeatures"/> and few classes: W is held
/// transposed (Wᵀ, K′×D with K′ = 2⌈K/2⌉, a padded class's row 0), each row's K scores are dot products over D
/// (vectors of x times vectors of a Wᵀ row, reduced once per row and class), and the gradient sums are held as Gᵀ
/// (K′×D) gaining dₖ·x, a vector of x at a time. At K = 10 and D = 128 this issues K·D/8 + K·D/8 = 320 vector FMAs
/// per row with 512-bit vectors, against 512 with the classes padded to 16 lanes; there is no padding lane to waste.
/// Rows go four at a time (as in the class-vectorized kernels), and the classes two or four at a time, so each vector
/// of x loaded serves two or four classes and each vector of Wᵀ and Gᵀ four rows (the 256-bit score kernel, with 16
/// registers, takes two rows × four classes). With 256-bit vectors the count is 640 against 768, and measured no
/// faster than the class-vectorized kernels (docs/benchmarks.md); with 512-bit ones 15–25 % faster at K = 10.
/// The thresholds are set, not tuned: D ≥ 32 keeps a dot product at four or more 512-bit vectors; beyond K = 64 the
/// class padding is at most a tenth.
/// </summary>
internal static partial class SoftmaxPass
{
    /// <summary>The least D for the feature-vectorized layout: four 512-bit vectors per dot product.</summary>
    private const int MinDimensionOverFeatures = 32;

    /// <summary>
    /// The most classes for the feature-vectorized layout; beyond, the classes fill vectors with little padding and
    /// the class-vectorized kernels need no reduction per class.
    /// </summary>
    private const int MaxClassesOverFeatures = 64;

    /// <summary>
    /// Whether the pass runs vectorized over the features (W and the gradient sums transposed inside the pass): a
    /// function of D, K, the element type and the machine only, so the one-shot call and the accumulator choose alike.
    /// </summary>
    internal static bool IsOverFeatures<T, TLanes>(int dimension, int classes)
        where TLanes : struct, IDoubleLanes<T> =>
        TLanes.IsVectorizable && Vector256.IsHardwareAccelerated && Avx.IsSupported
        && dimension >= MinDimensionOverFeatures && classes <= MaxClassesOverFeatures;

    /// <summary>K′ = 2⌈K/2⌉: the rows of Wᵀ and Gᵀ (the class kernels take two or four classes).</summary>
    private static int EvenClasses(int classes) => (classes + 1) & ~1;

    /// <summary>
    /// Rewrites Gᵀ (K′×D, at the start of <paramref name="gradientSums"/>) as the D×Kp layout the callers read, the
    /// padding 0; <paramref name="scratch"/> holds at least K′·D doubles. The values are moved, not summed, so the
    /// result is the same bit for bit whichever layout the sums were formed in.
    /// </summary>
    private static void TransposeGradientSums(Span<double> gradientSums, Span<double> scratch, int dimension, int classes)
    {
        var kp = PaddedClasses(classes);
        var transposed = scratch[..(EvenClasses(classes) * dimension)];
        gradientSums[..transposed.Length].CopyTo(transposed);
        gradientSums.Clear();
        for (var k = 0; k < classes; k++)
        {
            for (var j = 0; j < dimension; j++)
            {
                gradientSums[(j * kp) + k] = transposed[(k * dimension) + j];
            }
        }
    }

    /// <summary>x[j…j+7] as doubles (a float row is widened four elements at a time).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<double> LoadFeatures512<T, TLanes>(ref T x, nuint j)
        where TLanes : struct, IDoubleLanes<T> =>
        typeof(T) == typeof(double)
            ? Vector512.LoadUnsafe(ref Unsafe.As<T, double>(ref x), j)
            : Vector512.Create(TLanes.Load256(ref x, j), TLanes.Load256(ref x, j + 4));

    /// <summary>The sums of the lanes of four vectors, as one vector [Σa, Σb, Σc, Σd].</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> SumEach(Vector256<double> a, Vector256<double> b, Vector256<double> c, Vector256<double> d)
    {
        var ab = Avx.HorizontalAdd(a, b);
        var cd = Avx.HorizontalAdd(c, d);
        return Avx.Permute2x128(ab, cd, 0x20) + Avx.Permute2x128(ab, cd, 0x31);
    }

    /// <summary>The sums of the lanes of two vectors, as one vector [Σa, Σb].</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<double> SumEach(Vector256<double> a, Vector256<double> b)
    {
        var ab = Avx.HorizontalAdd(a, b);
        return ab.GetLower() + ab.GetUpper();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> Halves(Vector512<double> a) => a.GetLower() + a.GetUpper();

    /// <summary>
    /// Four rows' scores η[r, k] = b[k] + Σⱼ x_r[j]·Wᵀ[k, j] for k &lt; K, written to <paramref name="scores"/> (row r at
    /// r·<paramref name="stride"/>); the lanes from K on are left for the caller's mask.
    /// </summary>
    private static void ScoresOverFeatures<T, TLanes>(
        ref T x0, ref T x1, ref T x2, ref T x3, ref double transposedWeights, ref double intercepts, int dimension, int classes, nuint stride, ref double scores)
        where TLanes : struct, IDoubleLanes<T>
    {
        var d = (nuint)dimension;
        var even = (nuint)EvenClasses(classes);
        nuint k = 0;
        nuint full;
        if (Vector512.IsHardwareAccelerated)
        {
            full = d & ~(nuint)7;
            for (; k + 4 <= even; k += 4)
            {
                FeatureScoresQuad512<T, TLanes>(ref x0, ref x1, ref x2, ref x3, ref Unsafe.Add(ref transposedWeights, k * d), d, full, ref Unsafe.Add(ref intercepts, k), stride, ref Unsafe.Add(ref scores, k));
            }

            if (k < even)
            {
                FeatureScoresPair512<T, TLanes>(ref x0, ref x1, ref x2, ref x3, ref Unsafe.Add(ref transposedWeights, k * d), d, full, ref Unsafe.Add(ref intercepts, k), stride, ref Unsafe.Add(ref scores, k));
            }
        }
        else
        {
            full = d & ~(nuint)3;
            for (; k + 4 <= even; k += 4)
            {
                FeatureScoresQuad256<T, TLanes>(ref x0, ref x1, ref Unsafe.Add(ref transposedWeights, k * d), d, full, ref Unsafe.Add(ref intercepts, k), stride, ref Unsafe.Add(ref scores, k));
                FeatureScoresQuad256<T, TLanes>(ref x2, ref x3, ref Unsafe.Add(ref transposedWeights, k * d), d, full, ref Unsafe.Add(ref intercepts, k), stride, ref Unsafe.Add(ref scores, (2 * stride) + k));
            }

            if (k < even)
            {
                FeatureScoresPair256<T, TLanes>(ref x0, ref x1, ref x2, ref x3, ref Unsafe.Add(ref transposedWeights, k * d), d, full, ref Unsafe.Add(ref intercepts, k), stride, ref Unsafe.Add(ref scores, k));
            }
        }

        // The last D mod 8 (or 4) features, one at a time.
        for (var j = full; j < d; j++)
        {
            var f0 = TLanes.Load(ref x0, j);
            var f1 = TLanes.Load(ref x1, j);
            var f2 = TLanes.Load(ref x2, j);
            var f3 = TLanes.Load(ref x3, j);
            for (nuint c = 0; c < (nuint)classes; c++)
            {
                var w = Unsafe.Add(ref transposedWeights, (c * d) + j);
                ref var s0 = ref Unsafe.Add(ref scores, c);
                s0 = Math.FusedMultiplyAdd(f0, w, s0);
                ref var s1 = ref Unsafe.Add(ref scores, stride + c);
                s1 = Math.FusedMultiplyAdd(f1, w, s1);
                ref var s2 = ref Unsafe.Add(ref scores, (2 * stride) + c);
                s2 = Math.FusedMultiplyAdd(f2, w, s2);
                ref var s3 = ref Unsafe.Add(ref scores, (3 * stride) + c);
                s3 = Math.FusedMultiplyAdd(f3, w, s3);
            }
        }
    }

    /// <summary>
    /// Gᵀ[k, ·] gains Σ_r d[r, k]·x_r for k &lt; K′ (the derivatives of a padded class are 0), and the intercept sums
    /// gain Σ_r d_r, over four rows (row r's derivatives at r·<paramref name="stride"/> in <paramref name="derivatives"/>).
    /// </summary>
    private static void GradientsOverFeatures<T, TLanes>(
        ref T x0, ref T x1, ref T x2, ref T x3, ref double derivatives, nuint stride, int dimension, int classes, ref double transposedGradientSums, ref double interceptSums)
        where TLanes : struct, IDoubleLanes<T>
    {
        var d = (nuint)dimension;
        for (nuint v = 0; v < (nuint)((classes + 3) / 4); v++)
        {
            var d0 = Vector256.LoadUnsafe(ref derivatives, 4 * v);
            var d1 = Vector256.LoadUnsafe(ref derivatives, stride + (4 * v));
            var d2 = Vector256.LoadUnsafe(ref derivatives, (2 * stride) + (4 * v));
            var d3 = Vector256.LoadUnsafe(ref derivatives, (3 * stride) + (4 * v));
            (Vector256.LoadUnsafe(ref interceptSums, 4 * v) + ((d0 + d1) + (d2 + d3))).StoreUnsafe(ref interceptSums, 4 * v);
        }

        var even = (nuint)EvenClasses(classes);
        nuint k = 0;
        nuint full;
        if (Vector512.IsHardwareAccelerated)
        {
            full = d & ~(nuint)7;
            for (; k + 4 <= even; k += 4)
            {
                FeatureGradientsQuad512<T, TLanes>(ref x0, ref x1, ref x2, ref x3, ref Unsafe.Add(ref derivatives, k), stride, ref Unsafe.Add(ref transposedGradientSums, k * d), d, full);
            }

            if (k < even)
            {
                FeatureGradientsPair512<T, TLanes>(ref x0, ref x1, ref x2, ref x3, ref Unsafe.Add(ref derivatives, k), stride, ref Unsafe.Add(ref transposedGradientSums, k * d), d, full);
            }
        }
        else
        {
            full = d & ~(nuint)3;
            for (; k < even; k += 2)
            {
                FeatureGradientsPair256<T, TLanes>(ref x0, ref x1, ref x2, ref x3, ref Unsafe.Add(ref derivatives, k), stride, ref Unsafe.Add(ref transposedGradientSums, k * d), d, full);
            }
        }

        for (var j = full; j < d; j++)
        {
            var f0 = TLanes.Load(ref x0, j);
            var f1 = TLanes.Load(ref x1, j);
            var f2 = TLanes.Load(ref x2, j);
            var f3 = TLanes.Load(ref x3, j);
            for (nuint c = 0; c < (nuint)classes; c++)
            {
                ref var g = ref Unsafe.Add(ref transposedGradientSums, (c * d) + j);
                var sum = Math.FusedMultiplyAdd(f0, Unsafe.Add(ref derivatives, c), g);
                sum = Math.FusedMultiplyAdd(f1, Unsafe.Add(ref derivatives, stride + c), sum);
                sum = Math.FusedMultiplyAdd(f2, Unsafe.Add(ref derivatives, (2 * stride) + c), sum);
                g = Math.FusedMultiplyAdd(f3, Unsafe.Add(ref derivatives, (3 * stride) + c), sum);
            }
        }
    }

    /// <summary>
    /// Four classes of four rows' scores over the first <paramref name="full"/> features: sixteen accumulators, each
    /// vector of x loaded once for the four classes and each vector of a Wᵀ row once for the four rows.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void FeatureScoresQuad512<T, TLanes>(ref T x0, ref T x1, ref T x2, ref T x3, ref double weights, nuint d, nuint full, ref double intercepts, nuint stride, ref double scores)
        where TLanes : struct, IDoubleLanes<T>
    {
        ref var w1 = ref Unsafe.Add(ref weights, d);
        ref var w2 = ref Unsafe.Add(ref weights, 2 * d);
        ref var w3 = ref Unsafe.Add(ref weights, 3 * d);
        Vector512<double> a00 = default, a01 = default, a02 = default, a03 = default;
        Vector512<double> a10 = default, a11 = default, a12 = default, a13 = default;
        Vector512<double> a20 = default, a21 = default, a22 = default, a23 = default;
        Vector512<double> a30 = default, a31 = default, a32 = default, a33 = default;
        for (nuint j = 0; j < full; j += 8)
        {
            var f0 = LoadFeatures512<T, TLanes>(ref x0, j);
            var f1 = LoadFeatures512<T, TLanes>(ref x1, j);
            var f2 = LoadFeatures512<T, TLanes>(ref x2, j);
            var f3 = LoadFeatures512<T, TLanes>(ref x3, j);
            var w = Vector512.LoadUnsafe(ref weights, j);
            a00 = Vector512.FusedMultiplyAdd(f0, w, a00);
            a10 = Vector512.FusedMultiplyAdd(f1, w, a10);
            a20 = Vector512.FusedMultiplyAdd(f2, w, a20);
            a30 = Vector512.FusedMultiplyAdd(f3, w, a30);
            w = Vector512.LoadUnsafe(ref w1, j);
            a01 = Vector512.FusedMultiplyAdd(f0, w, a01);
            a11 = Vector512.FusedMultiplyAdd(f1, w, a11);
            a21 = Vector512.FusedMultiplyAdd(f2, w, a21);
            a31 = Vector512.FusedMultiplyAdd(f3, w, a31);
            w = Vector512.LoadUnsafe(ref w2, j);
            a02 = Vector512.FusedMultiplyAdd(f0, w, a02);
            a12 = Vector512.FusedMultiplyAdd(f1, w, a12);
            a22 = Vector512.FusedMultiplyAdd(f2, w, a22);
            a32 = Vector512.FusedMultiplyAdd(f3, w, a32);
            w = Vector512.LoadUnsafe(ref w3, j);
            a03 = Vector512.FusedMultiplyAdd(f0, w, a03);
            a13 = Vector512.FusedMultiplyAdd(f1, w, a13);
            a23 = Vector512.FusedMultiplyAdd(f2, w, a23);
            a33 = Vector512.FusedMultiplyAdd(f3, w, a33);
        }

        var b = Vector256.LoadUnsafe(ref intercepts);
        (SumEach(Halves(a00), Halves(a01), Halves(a02), Halves(a03)) + b).StoreUnsafe(ref scores);
        (SumEach(Halves(a10), Halves(a11), Halves(a12), Halves(a13)) + b).StoreUnsafe(ref scores, stride);
        (SumEach(Halves(a20), Halves(a21), Halves(a22), Halves(a23)) + b).StoreUnsafe(ref scores, 2 * stride);
        (SumEach(Halves(a30), Halves(a31), Halves(a32), Halves(a33)) + b).StoreUnsafe(ref scores, 3 * stride);
    }

    /// <summary>
    /// <see cref="FeatureScoresQuad512{T, TLanes}"/> for two classes (eight accumulators), at the start of a vector of
    /// four classes: each row's two scores are stored as a whole vector (the two lanes past them are padding, masked
    /// later), because the softmax loads that vector next, and a load wider than the store it reads from cannot take
    /// its data from the store buffer (a failed store forward waits for the store to reach the cache).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void FeatureScoresPair512<T, TLanes>(ref T x0, ref T x1, ref T x2, ref T x3, ref double weights, nuint d, nuint full, ref double intercepts, nuint stride, ref double scores)
        where TLanes : struct, IDoubleLanes<T>
    {
        ref var w1 = ref Unsafe.Add(ref weights, d);
        Vector512<double> a00 = default, a01 = default, a10 = default, a11 = default;
        Vector512<double> a20 = default, a21 = default, a30 = default, a31 = default;
        for (nuint j = 0; j < full; j += 8)
        {
            var f0 = LoadFeatures512<T, TLanes>(ref x0, j);
            var f1 = LoadFeatures512<T, TLanes>(ref x1, j);
            var f2 = LoadFeatures512<T, TLanes>(ref x2, j);
            var f3 = LoadFeatures512<T, TLanes>(ref x3, j);
            var w = Vector512.LoadUnsafe(ref weights, j);
            a00 = Vector512.FusedMultiplyAdd(f0, w, a00);
            a10 = Vector512.FusedMultiplyAdd(f1, w, a10);
            a20 = Vector512.FusedMultiplyAdd(f2, w, a20);
            a30 = Vector512.FusedMultiplyAdd(f3, w, a30);
            w = Vector512.LoadUnsafe(ref w1, j);
            a01 = Vector512.FusedMultiplyAdd(f0, w, a01);
            a11 = Vector512.FusedMultiplyAdd(f1, w, a11);
            a21 = Vector512.FusedMultiplyAdd(f2, w, a21);
            a31 = Vector512.FusedMultiplyAdd(f3, w, a31);
        }

        var b = Vector128.LoadUnsafe(ref intercepts);
        Vector256.Create(SumEach(Halves(a00), Halves(a01)) + b, Vector128<double>.Zero).StoreUnsafe(ref scores);
        Vector256.Create(SumEach(Halves(a10), Halves(a11)) + b, Vector128<double>.Zero).StoreUnsafe(ref scores, stride);
        Vector256.Create(SumEach(Halves(a20), Halves(a21)) + b, Vector128<double>.Zero).StoreUnsafe(ref scores, 2 * stride);
        Vector256.Create(SumEach(Halves(a30), Halves(a31)) + b, Vector128<double>.Zero).StoreUnsafe(ref scores, 3 * stride);
    }

    /// <summary><see cref="FeatureScoresPair512{T, TLanes}"/> with 256-bit vectors (eight accumulators, four x and two Wᵀ vectors: 14 of the 16 registers).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void FeatureScoresPair256<T, TLanes>(ref T x0, ref T x1, ref T x2, ref T x3, ref double weights, nuint d, nuint full, ref double intercepts, nuint stride, ref double scores)
        where TLanes : struct, IDoubleLanes<T>
    {
        ref var w1 = ref Unsafe.Add(ref weights, d);
        Vector256<double> a00 = default, a01 = default, a10 = default, a11 = default;
        Vector256<double> a20 = default, a21 = default, a30 = default, a31 = default;
        for (nuint j = 0; j < full; j += 4)
        {
            var f0 = TLanes.Load256(ref x0, j);
            var f1 = TLanes.Load256(ref x1, j);
            var f2 = TLanes.Load256(ref x2, j);
            var f3 = TLanes.Load256(ref x3, j);
            var w = Vector256.LoadUnsafe(ref weights, j);
            a00 = Vector256.FusedMultiplyAdd(f0, w, a00);
            a10 = Vector256.FusedMultiplyAdd(f1, w, a10);
            a20 = Vector256.FusedMultiplyAdd(f2, w, a20);
            a30 = Vector256.FusedMultiplyAdd(f3, w, a30);
            w = Vector256.LoadUnsafe(ref w1, j);
            a01 = Vector256.FusedMultiplyAdd(f0, w, a01);
            a11 = Vector256.FusedMultiplyAdd(f1, w, a11);
            a21 = Vector256.FusedMultiplyAdd(f2, w, a21);
            a31 = Vector256.FusedMultiplyAdd(f3, w, a31);
        }

        var b = Vector128.LoadUnsafe(ref intercepts);
        Vector256.Create(SumEach(a00, a01) + b, Vector128<double>.Zero).StoreUnsafe(ref scores);
        Vector256.Create(SumEach(a10, a11) + b, Vector128<double>.Zero).StoreUnsafe(ref scores, stride);
        Vector256.Create(SumEach(a20, a21) + b, Vector128<double>.Zero).StoreUnsafe(ref scores, 2 * stride);
        Vector256.Create(SumEach(a30, a31) + b, Vector128<double>.Zero).StoreUnsafe(ref scores, 3 * stride);
    }

    /// <summary>
    /// Four classes of two rows' scores with 256-bit vectors (eight accumulators, two x and one Wᵀ vector: 11 of the
    /// 16 registers), each row's four scores stored as one vector (see <see cref="FeatureScoresPair512{T, TLanes}"/>).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void FeatureScoresQuad256<T, TLanes>(ref T x0, ref T x1, ref double weights, nuint d, nuint full, ref double intercepts, nuint stride, ref double scores)
        where TLanes : struct, IDoubleLanes<T>
    {
        ref var w1 = ref Unsafe.Add(ref weights, d);
        ref var w2 = ref Unsafe.Add(ref weights, 2 * d);
        ref var w3 = ref Unsafe.Add(ref weights, 3 * d);
        Vector256<double> a00 = default, a01 = default, a02 = default, a03 = default;
        Vector256<double> a10 = default, a11 = default, a12 = default, a13 = default;
        for (nuint j = 0; j < full; j += 4)
        {
            var f0 = TLanes.Load256(ref x0, j);
            var f1 = TLanes.Load256(ref x1, j);
            var w = Vector256.LoadUnsafe(ref weights, j);
            a00 = Vector256.FusedMultiplyAdd(f0, w, a00);
            a10 = Vector256.FusedMultiplyAdd(f1, w, a10);
            w = Vector256.LoadUnsafe(ref w1, j);
            a01 = Vector256.FusedMultiplyAdd(f0, w, a01);
            a11 = Vector256.FusedMultiplyAdd(f1, w, a11);
            w = Vector256.LoadUnsafe(ref w2, j);
            a02 = Vector256.FusedMultiplyAdd(f0, w, a02);
            a12 = Vector256.FusedMultiplyAdd(f1, w, a12);
            w = Vector256.LoadUnsafe(ref w3, j);
            a03 = Vector256.FusedMultiplyAdd(f0, w, a03);
            a13 = Vector256.FusedMultiplyAdd(f1, w, a13);
        }

        var b = Vector256.LoadUnsafe(ref intercepts);
        (SumEach(a00, a01, a02, a03) + b).StoreUnsafe(ref scores);
        (SumEach(a10, a11, a12, a13) + b).StoreUnsafe(ref scores, stride);
    }

    /// <summary>
    /// Four rows of Gᵀ gain Σ_r d[r, k]·x_r over the first <paramref name="full"/> features: the sixteen derivatives
    /// broadcast in registers, each vector of x loaded once for the four classes, each vector of Gᵀ loaded and stored
    /// once for the four rows (summed in row order, as the class-vectorized kernels do).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void FeatureGradientsQuad512<T, TLanes>(ref T x0, ref T x1, ref T x2, ref T x3, ref double derivatives, nuint stride, ref double gradientSums, nuint d, nuint full)
        where TLanes : struct, IDoubleLanes<T>
    {
        ref var e1 = ref Unsafe.Add(ref derivatives, stride);
        ref var e2 = ref Unsafe.Add(ref derivatives, 2 * stride);
        ref var e3 = ref Unsafe.Add(ref derivatives, 3 * stride);
        var d00 = Vector512.Create(derivatives);
        var d01 = Vector512.Create(Unsafe.Add(ref derivatives, 1));
        var d02 = Vector512.Create(Unsafe.Add(ref derivatives, 2));
        var d03 = Vector512.Create(Unsafe.Add(ref derivatives, 3));
        var d10 = Vector512.Create(e1);
        var d11 = Vector512.Create(Unsafe.Add(ref e1, 1));
        var d12 = Vector512.Create(Unsafe.Add(ref e1, 2));
        var d13 = Vector512.Create(Unsafe.Add(ref e1, 3));
        var d20 = Vector512.Create(e2);
        var d21 = Vector512.Create(Unsafe.Add(ref e2, 1));
        var d22 = Vector512.Create(Unsafe.Add(ref e2, 2));
        var d23 = Vector512.Create(Unsafe.Add(ref e2, 3));
        var d30 = Vector512.Create(e3);
        var d31 = Vector512.Create(Unsafe.Add(ref e3, 1));
        var d32 = Vector512.Create(Unsafe.Add(ref e3, 2));
        var d33 = Vector512.Create(Unsafe.Add(ref e3, 3));
        ref var g1 = ref Unsafe.Add(ref gradientSums, d);
        ref var g2 = ref Unsafe.Add(ref gradientSums, 2 * d);
        ref var g3 = ref Unsafe.Add(ref gradientSums, 3 * d);
        for (nuint j = 0; j < full; j += 8)
        {
            var f0 = LoadFeatures512<T, TLanes>(ref x0, j);
            var f1 = LoadFeatures512<T, TLanes>(ref x1, j);
            var f2 = LoadFeatures512<T, TLanes>(ref x2, j);
            var f3 = LoadFeatures512<T, TLanes>(ref x3, j);
            var g = Vector512.FusedMultiplyAdd(f0, d00, Vector512.LoadUnsafe(ref gradientSums, j));
            g = Vector512.FusedMultiplyAdd(f1, d10, g);
            g = Vector512.FusedMultiplyAdd(f2, d20, g);
            Vector512.FusedMultiplyAdd(f3, d30, g).StoreUnsafe(ref gradientSums, j);
            g = Vector512.FusedMultiplyAdd(f0, d01, Vector512.LoadUnsafe(ref g1, j));
            g = Vector512.FusedMultiplyAdd(f1, d11, g);
            g = Vector512.FusedMultiplyAdd(f2, d21, g);
            Vector512.FusedMultiplyAdd(f3, d31, g).StoreUnsafe(ref g1, j);
            g = Vector512.FusedMultiplyAdd(f0, d02, Vector512.LoadUnsafe(ref g2, j));
            g = Vector512.FusedMultiplyAdd(f1, d12, g);
            g = Vector512.FusedMultiplyAdd(f2, d22, g);
            Vector512.FusedMultiplyAdd(f3, d32, g).StoreUnsafe(ref g2, j);
            g = Vector512.FusedMultiplyAdd(f0, d03, Vector512.LoadUnsafe(ref g3, j));
            g = Vector512.FusedMultiplyAdd(f1, d13, g);
            g = Vector512.FusedMultiplyAdd(f2, d23, g);
            Vector512.FusedMultiplyAdd(f3, d33, g).StoreUnsafe(ref g3, j);
        }
    }

    /// <summary><see cref="FeatureGradientsQuad512{T, TLanes}"/> for two classes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void FeatureGradientsPair512<T, TLanes>(ref T x0, ref T x1, ref T x2, ref T x3, ref double derivatives, nuint stride, ref double gradientSums, nuint d, nuint full)
        where TLanes : struct, IDoubleLanes<T>
    {
        var d00 = Vector512.Create(derivatives);
        var d01 = Vector512.Create(Unsafe.Add(ref derivatives, 1));
        var d10 = Vector512.Create(Unsafe.Add(ref derivatives, stride));
        var d11 = Vector512.Create(Unsafe.Add(ref derivatives, stride + 1));
        var d20 = Vector512.Create(Unsafe.Add(ref derivatives, 2 * stride));
        var d21 = Vector512.Create(Unsafe.Add(ref derivatives, (2 * stride) + 1));
        var d30 = Vector512.Create(Unsafe.Add(ref derivatives, 3 * stride));
        var d31 = Vector512.Create(Unsafe.Add(ref derivatives, (3 * stride) + 1));
        ref var g1 = ref Unsafe.Add(ref gradientSums, d);
        for (nuint j = 0; j < full; j += 8)
        {
            var f0 = LoadFeatures512<T, TLanes>(ref x0, j);
            var f1 = LoadFeatures512<T, TLanes>(ref x1, j);
            var f2 = LoadFeatures512<T, TLanes>(ref x2, j);
            var f3 = LoadFeatures512<T, TLanes>(ref x3, j);
            var g = Vector512.FusedMultiplyAdd(f0, d00, Vector512.LoadUnsafe(ref gradientSums, j));
            g = Vector512.FusedMultiplyAdd(f1, d10, g);
            g = Vector512.FusedMultiplyAdd(f2, d20, g);
            Vector512.FusedMultiplyAdd(f3, d30, g).StoreUnsafe(ref gradientSums, j);
            g = Vector512.FusedMultiplyAdd(f0, d01, Vector512.LoadUnsafe(ref g1, j));
            g = Vector512.FusedMultiplyAdd(f1, d11, g);
            g = Vector512.FusedMultiplyAdd(f2, d21, g);
            Vector512.FusedMultiplyAdd(f3, d31, g).StoreUnsafe(ref g1, j);
        }
    }

    /// <summary><see cref="FeatureGradientsPair512{T, TLanes}"/> with 256-bit vectors.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void FeatureGradientsPair256<T, TLanes>(ref T x0, ref T x1, ref T x2, ref T x3, ref double derivatives, nuint stride, ref double gradientSums, nuint d, nuint full)
        where TLanes : struct, IDoubleLanes<T>
    {
        var d00 = Vector256.Create(derivatives);
        var d01 = Vector256.Create(Unsafe.Add(ref derivatives, 1));
        var d10 = Vector256.Create(Unsafe.Add(ref derivatives, stride));
        var d11 = Vector256.Create(Unsafe.Add(ref derivatives, stride + 1));
        var d20 = Vector256.Create(Unsafe.Add(ref derivatives, 2 * stride));
        var d21 = Vector256.Create(Unsafe.Add(ref derivatives, (2 * stride) + 1));
        var d30 = Vector256.Create(Unsafe.Add(ref derivatives, 3 * stride));
        var d31 = Vector256.Create(Unsafe.Add(ref derivatives, (3 * stride) + 1));
        ref var g1 = ref Unsafe.Add(ref gradientSums, d);
        for (nuint j = 0; j < full; j += 4)
        {
            var f0 = TLanes.Load256(ref x0, j);
            var f1 = TLanes.Load256(ref x1, j);
            var f2 = TLanes.Load256(ref x2, j);
            var f3 = TLanes.Load256(ref x3, j);
            var g = Vector256.FusedMultiplyAdd(f0, d00, Vector256.LoadUnsafe(ref gradientSums, j));
            g = Vector256.FusedMultiplyAdd(f1, d10, g);
            g = Vector256.FusedMultiplyAdd(f2, d20, g);
            Vector256.FusedMultiplyAdd(f3, d30, g).StoreUnsafe(ref gradientSums, j);
            g = Vector256.FusedMultiplyAdd(f0, d01, Vector256.LoadUnsafe(ref g1, j));
            g = Vector256.FusedMultiplyAdd(f1, d11, g);
            g = Vector256.FusedMultiplyAdd(f2, d21, g);
            Vector256.FusedMultiplyAdd(f3, d31, g).StoreUnsafe(ref g1, j);
        }
    }
}
