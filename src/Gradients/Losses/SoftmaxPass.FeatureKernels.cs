using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Gradients;

/// <summary>
/// The product kernels of the feature-vectorized layout, written once over the vector width: <see cref="Lanes512"/>
/// (32 registers: four classes of four rows at a time) and <see cref="Lanes256"/> (16 registers: two classes). Each
/// width struct inlines to the same instructions the width-specific kernels had. The class-vectorized kernels
/// (<c>ScorePair</c>, <c>GradientPair</c> and their single-vector forms in SoftmaxPass.cs) use the same width structs.
/// </summary>
internal static partial class SoftmaxPass
{
    /// <summary>The operations the product kernels of both layouts need from a vector of doubles of one width.</summary>
    private interface IFeatureLanes<TVector>
        where TVector : struct
    {
        /// <summary>The doubles in a vector.</summary>
        static abstract nuint Count { get; }

        static abstract TVector Broadcast(double value);

        static abstract TVector Load(ref double source, nuint index);

        /// <summary>x[j…j+Count−1] as doubles (float rows widened).</summary>
        static abstract TVector LoadFeatures<T, TLanes>(ref T source, nuint index)
            where TLanes : struct, IDoubleLanes<T>;

        static abstract TVector MultiplyAdd(TVector a, TVector b, TVector c);

        static abstract TVector Add(TVector a, TVector b);

        static abstract void Store(TVector value, ref double destination, nuint index);

        /// <summary>
        /// Stores the sums of the lanes of two classes' four rows' accumulators, plus each class's intercept, class-major
        /// at <paramref name="scores"/>: [Σa₀, Σa₁, Σa₂, Σa₃] + b_k, then [Σc₀, …] + b_k+1.
        /// </summary>
        static abstract void StoreClassPair(
            TVector a0, TVector a1, TVector a2, TVector a3, TVector c0, TVector c1, TVector c2, TVector c3, ref double intercepts, ref double scores);

        /// <summary>Stores [Σa₀, Σa₁, Σa₂, Σa₃] + b_k at <paramref name="scores"/>: one class's four rows.</summary>
        static abstract void StoreClass(TVector a0, TVector a1, TVector a2, TVector a3, double intercept, ref double scores);
    }

    /// <summary>512-bit vectors; a class pair's eight sums in one vector by a transposing tree.</summary>
    private readonly struct Lanes512 : IFeatureLanes<Vector512<double>>
    {
        public static nuint Count => 8;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<double> Broadcast(double value) => Vector512.Create(value);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<double> Load(ref double source, nuint index) => Vector512.LoadUnsafe(ref source, index);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<double> LoadFeatures<T, TLanes>(ref T source, nuint index)
            where TLanes : struct, IDoubleLanes<T> => LoadFeatures512<T, TLanes>(ref source, index);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<double> MultiplyAdd(Vector512<double> a, Vector512<double> b, Vector512<double> c) => Vector512.FusedMultiplyAdd(a, b, c);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<double> Add(Vector512<double> a, Vector512<double> b) => a + b;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Store(Vector512<double> value, ref double destination, nuint index) => value.StoreUnsafe(ref destination, index);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void StoreClassPair(
            Vector512<double> a0, Vector512<double> a1, Vector512<double> a2, Vector512<double> a3,
            Vector512<double> c0, Vector512<double> c1, Vector512<double> c2, Vector512<double> c3, ref double intercepts, ref double scores) =>
            (SumEach(a0, a1, a2, a3, c0, c1, c2, c3) + ClassPair(ref intercepts)).StoreUnsafe(ref scores);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void StoreClass(Vector512<double> a0, Vector512<double> a1, Vector512<double> a2, Vector512<double> a3, double intercept, ref double scores) =>
            (SumEach(a0.GetLower() + a0.GetUpper(), a1.GetLower() + a1.GetUpper(), a2.GetLower() + a2.GetUpper(), a3.GetLower() + a3.GetUpper())
                + Vector256.Create(intercept)).StoreUnsafe(ref scores);
    }

    /// <summary>256-bit vectors; each class's four sums in one vector.</summary>
    private readonly struct Lanes256 : IFeatureLanes<Vector256<double>>
    {
        public static nuint Count => 4;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<double> Broadcast(double value) => Vector256.Create(value);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<double> Load(ref double source, nuint index) => Vector256.LoadUnsafe(ref source, index);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<double> LoadFeatures<T, TLanes>(ref T source, nuint index)
            where TLanes : struct, IDoubleLanes<T> => TLanes.Load256(ref source, index);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<double> MultiplyAdd(Vector256<double> a, Vector256<double> b, Vector256<double> c) => Vector256.FusedMultiplyAdd(a, b, c);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<double> Add(Vector256<double> a, Vector256<double> b) => a + b;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Store(Vector256<double> value, ref double destination, nuint index) => value.StoreUnsafe(ref destination, index);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void StoreClassPair(
            Vector256<double> a0, Vector256<double> a1, Vector256<double> a2, Vector256<double> a3,
            Vector256<double> c0, Vector256<double> c1, Vector256<double> c2, Vector256<double> c3, ref double intercepts, ref double scores)
        {
            (SumEach(a0, a1, a2, a3) + Vector256.Create(intercepts)).StoreUnsafe(ref scores);
            (SumEach(c0, c1, c2, c3) + Vector256.Create(Unsafe.Add(ref intercepts, 1))).StoreUnsafe(ref scores, 4);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void StoreClass(Vector256<double> a0, Vector256<double> a1, Vector256<double> a2, Vector256<double> a3, double intercept, ref double scores) =>
            (SumEach(a0, a1, a2, a3) + Vector256.Create(intercept)).StoreUnsafe(ref scores);
    }

    /// <summary>
    /// Four classes of four rows' scores over the first <paramref name="full"/> features: sixteen accumulators, each
    /// vector of x loaded once for the four classes and each vector of a Wᵀ row once for the four rows (with 32 registers).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void FeatureScoresQuad<T, TLanes, TVector, TWidth>(
        ref T x0, ref T x1, ref T x2, ref T x3, ref double weights, nuint d, nuint full, ref double intercepts, ref double scores)
        where TLanes : struct, IDoubleLanes<T>
        where TVector : struct
        where TWidth : struct, IFeatureLanes<TVector>
    {
        ref var w1 = ref Unsafe.Add(ref weights, d);
        ref var w2 = ref Unsafe.Add(ref weights, 2 * d);
        ref var w3 = ref Unsafe.Add(ref weights, 3 * d);
        TVector a00 = default, a01 = default, a02 = default, a03 = default;
        TVector a10 = default, a11 = default, a12 = default, a13 = default;
        TVector a20 = default, a21 = default, a22 = default, a23 = default;
        TVector a30 = default, a31 = default, a32 = default, a33 = default;
        for (nuint j = 0; j < full; j += TWidth.Count)
        {
            var f0 = TWidth.LoadFeatures<T, TLanes>(ref x0, j);
            var f1 = TWidth.LoadFeatures<T, TLanes>(ref x1, j);
            var f2 = TWidth.LoadFeatures<T, TLanes>(ref x2, j);
            var f3 = TWidth.LoadFeatures<T, TLanes>(ref x3, j);
            var w = TWidth.Load(ref weights, j);
            a00 = TWidth.MultiplyAdd(f0, w, a00);
            a10 = TWidth.MultiplyAdd(f1, w, a10);
            a20 = TWidth.MultiplyAdd(f2, w, a20);
            a30 = TWidth.MultiplyAdd(f3, w, a30);
            w = TWidth.Load(ref w1, j);
            a01 = TWidth.MultiplyAdd(f0, w, a01);
            a11 = TWidth.MultiplyAdd(f1, w, a11);
            a21 = TWidth.MultiplyAdd(f2, w, a21);
            a31 = TWidth.MultiplyAdd(f3, w, a31);
            w = TWidth.Load(ref w2, j);
            a02 = TWidth.MultiplyAdd(f0, w, a02);
            a12 = TWidth.MultiplyAdd(f1, w, a12);
            a22 = TWidth.MultiplyAdd(f2, w, a22);
            a32 = TWidth.MultiplyAdd(f3, w, a32);
            w = TWidth.Load(ref w3, j);
            a03 = TWidth.MultiplyAdd(f0, w, a03);
            a13 = TWidth.MultiplyAdd(f1, w, a13);
            a23 = TWidth.MultiplyAdd(f2, w, a23);
            a33 = TWidth.MultiplyAdd(f3, w, a33);
        }

        TWidth.StoreClassPair(a00, a10, a20, a30, a01, a11, a21, a31, ref intercepts, ref scores);
        TWidth.StoreClassPair(a02, a12, a22, a32, a03, a13, a23, a33, ref Unsafe.Add(ref intercepts, 2), ref Unsafe.Add(ref scores, 8));
    }

    /// <summary>
    /// <see cref="FeatureScoresQuad{T, TLanes, TVector, TWidth}"/> for two classes (eight accumulators, four x and two Wᵀ
    /// vectors: 14 of 16 registers). Either kernel stores each pair of classes' four rows in one piece where the width
    /// allows, the way the softmax loads it next: a load wider than the store it reads from cannot take its data from
    /// the store buffer (a failed store forward waits for the store to reach the cache).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void FeatureScoresPair<T, TLanes, TVector, TWidth>(
        ref T x0, ref T x1, ref T x2, ref T x3, ref double weights, nuint d, nuint full, ref double intercepts, ref double scores)
        where TLanes : struct, IDoubleLanes<T>
        where TVector : struct
        where TWidth : struct, IFeatureLanes<TVector>
    {
        ref var w1 = ref Unsafe.Add(ref weights, d);
        TVector a00 = default, a01 = default, a10 = default, a11 = default;
        TVector a20 = default, a21 = default, a30 = default, a31 = default;
        for (nuint j = 0; j < full; j += TWidth.Count)
        {
            var f0 = TWidth.LoadFeatures<T, TLanes>(ref x0, j);
            var f1 = TWidth.LoadFeatures<T, TLanes>(ref x1, j);
            var f2 = TWidth.LoadFeatures<T, TLanes>(ref x2, j);
            var f3 = TWidth.LoadFeatures<T, TLanes>(ref x3, j);
            var w = TWidth.Load(ref weights, j);
            a00 = TWidth.MultiplyAdd(f0, w, a00);
            a10 = TWidth.MultiplyAdd(f1, w, a10);
            a20 = TWidth.MultiplyAdd(f2, w, a20);
            a30 = TWidth.MultiplyAdd(f3, w, a30);
            w = TWidth.Load(ref w1, j);
            a01 = TWidth.MultiplyAdd(f0, w, a01);
            a11 = TWidth.MultiplyAdd(f1, w, a11);
            a21 = TWidth.MultiplyAdd(f2, w, a21);
            a31 = TWidth.MultiplyAdd(f3, w, a31);
        }

        TWidth.StoreClassPair(a00, a10, a20, a30, a01, a11, a21, a31, ref intercepts, ref scores);
    }

    /// <summary>
    /// <see cref="FeatureScoresQuad{T, TLanes, TVector, TWidth}"/> for one class (an odd class count's first): each
    /// row's products in two accumulators, even and odd vectors of features, so eight FMA chains are in flight as in
    /// the pair kernel (four would wait on the FMA latency).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void FeatureScoresSingle<T, TLanes, TVector, TWidth>(
        ref T x0, ref T x1, ref T x2, ref T x3, ref double weights, nuint full, double intercept, ref double scores)
        where TLanes : struct, IDoubleLanes<T>
        where TVector : struct
        where TWidth : struct, IFeatureLanes<TVector>
    {
        TVector a0 = default, a1 = default, a2 = default, a3 = default;
        TVector c0 = default, c1 = default, c2 = default, c3 = default;
        var n = TWidth.Count;
        nuint j = 0;
        for (; j + (2 * n) <= full; j += 2 * n)
        {
            var w = TWidth.Load(ref weights, j);
            a0 = TWidth.MultiplyAdd(TWidth.LoadFeatures<T, TLanes>(ref x0, j), w, a0);
            a1 = TWidth.MultiplyAdd(TWidth.LoadFeatures<T, TLanes>(ref x1, j), w, a1);
            a2 = TWidth.MultiplyAdd(TWidth.LoadFeatures<T, TLanes>(ref x2, j), w, a2);
            a3 = TWidth.MultiplyAdd(TWidth.LoadFeatures<T, TLanes>(ref x3, j), w, a3);
            w = TWidth.Load(ref weights, j + n);
            c0 = TWidth.MultiplyAdd(TWidth.LoadFeatures<T, TLanes>(ref x0, j + n), w, c0);
            c1 = TWidth.MultiplyAdd(TWidth.LoadFeatures<T, TLanes>(ref x1, j + n), w, c1);
            c2 = TWidth.MultiplyAdd(TWidth.LoadFeatures<T, TLanes>(ref x2, j + n), w, c2);
            c3 = TWidth.MultiplyAdd(TWidth.LoadFeatures<T, TLanes>(ref x3, j + n), w, c3);
        }

        if (j < full)
        {
            var w = TWidth.Load(ref weights, j);
            a0 = TWidth.MultiplyAdd(TWidth.LoadFeatures<T, TLanes>(ref x0, j), w, a0);
            a1 = TWidth.MultiplyAdd(TWidth.LoadFeatures<T, TLanes>(ref x1, j), w, a1);
            a2 = TWidth.MultiplyAdd(TWidth.LoadFeatures<T, TLanes>(ref x2, j), w, a2);
            a3 = TWidth.MultiplyAdd(TWidth.LoadFeatures<T, TLanes>(ref x3, j), w, a3);
        }

        TWidth.StoreClass(TWidth.Add(a0, c0), TWidth.Add(a1, c1), TWidth.Add(a2, c2), TWidth.Add(a3, c3), intercept, ref scores);
    }

    /// <summary>
    /// Four rows of Gᵀ gain Σ_r d[r, k]·x_r over the first <paramref name="full"/> features: the sixteen derivatives
    /// broadcast in registers, each vector of x loaded once for the four classes, each vector of Gᵀ loaded and stored
    /// once for the four rows (summed in row order, as the class-vectorized kernels do). Each class's sum stays in one
    /// register across the rows (g = fma(x, d, g)), which the JIT compiles without register copies.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void FeatureGradientsQuad<T, TLanes, TVector, TWidth>(
        ref T x0, ref T x1, ref T x2, ref T x3, ref double derivatives, ref double gradientSums, nuint d, nuint full)
        where TLanes : struct, IDoubleLanes<T>
        where TVector : struct
        where TWidth : struct, IFeatureLanes<TVector>
    {
        var d00 = TWidth.Broadcast(derivatives);
        var d10 = TWidth.Broadcast(Unsafe.Add(ref derivatives, 1));
        var d20 = TWidth.Broadcast(Unsafe.Add(ref derivatives, 2));
        var d30 = TWidth.Broadcast(Unsafe.Add(ref derivatives, 3));
        var d01 = TWidth.Broadcast(Unsafe.Add(ref derivatives, 4));
        var d11 = TWidth.Broadcast(Unsafe.Add(ref derivatives, 5));
        var d21 = TWidth.Broadcast(Unsafe.Add(ref derivatives, 6));
        var d31 = TWidth.Broadcast(Unsafe.Add(ref derivatives, 7));
        var d02 = TWidth.Broadcast(Unsafe.Add(ref derivatives, 8));
        var d12 = TWidth.Broadcast(Unsafe.Add(ref derivatives, 9));
        var d22 = TWidth.Broadcast(Unsafe.Add(ref derivatives, 10));
        var d32 = TWidth.Broadcast(Unsafe.Add(ref derivatives, 11));
        var d03 = TWidth.Broadcast(Unsafe.Add(ref derivatives, 12));
        var d13 = TWidth.Broadcast(Unsafe.Add(ref derivatives, 13));
        var d23 = TWidth.Broadcast(Unsafe.Add(ref derivatives, 14));
        var d33 = TWidth.Broadcast(Unsafe.Add(ref derivatives, 15));
        ref var g1r = ref Unsafe.Add(ref gradientSums, d);
        ref var g2r = ref Unsafe.Add(ref gradientSums, 2 * d);
        ref var g3r = ref Unsafe.Add(ref gradientSums, 3 * d);
        for (nuint j = 0; j < full; j += TWidth.Count)
        {
            var f = TWidth.LoadFeatures<T, TLanes>(ref x0, j);
            var g0 = TWidth.Load(ref gradientSums, j);
            var g1 = TWidth.Load(ref g1r, j);
            var g2 = TWidth.Load(ref g2r, j);
            var g3 = TWidth.Load(ref g3r, j);
            g0 = TWidth.MultiplyAdd(f, d00, g0);
            g1 = TWidth.MultiplyAdd(f, d01, g1);
            g2 = TWidth.MultiplyAdd(f, d02, g2);
            g3 = TWidth.MultiplyAdd(f, d03, g3);
            f = TWidth.LoadFeatures<T, TLanes>(ref x1, j);
            g0 = TWidth.MultiplyAdd(f, d10, g0);
            g1 = TWidth.MultiplyAdd(f, d11, g1);
            g2 = TWidth.MultiplyAdd(f, d12, g2);
            g3 = TWidth.MultiplyAdd(f, d13, g3);
            f = TWidth.LoadFeatures<T, TLanes>(ref x2, j);
            g0 = TWidth.MultiplyAdd(f, d20, g0);
            g1 = TWidth.MultiplyAdd(f, d21, g1);
            g2 = TWidth.MultiplyAdd(f, d22, g2);
            g3 = TWidth.MultiplyAdd(f, d23, g3);
            f = TWidth.LoadFeatures<T, TLanes>(ref x3, j);
            g0 = TWidth.MultiplyAdd(f, d30, g0);
            g1 = TWidth.MultiplyAdd(f, d31, g1);
            g2 = TWidth.MultiplyAdd(f, d32, g2);
            g3 = TWidth.MultiplyAdd(f, d33, g3);
            TWidth.Store(g0, ref gradientSums, j);
            TWidth.Store(g1, ref g1r, j);
            TWidth.Store(g2, ref g2r, j);
            TWidth.Store(g3, ref g3r, j);
        }
    }

    /// <summary><see cref="FeatureGradientsQuad{T, TLanes, TVector, TWidth}"/> for two classes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void FeatureGradientsPair<T, TLanes, TVector, TWidth>(
        ref T x0, ref T x1, ref T x2, ref T x3, ref double derivatives, ref double gradientSums, nuint d, nuint full)
        where TLanes : struct, IDoubleLanes<T>
        where TVector : struct
        where TWidth : struct, IFeatureLanes<TVector>
    {
        var d00 = TWidth.Broadcast(derivatives);
        var d10 = TWidth.Broadcast(Unsafe.Add(ref derivatives, 1));
        var d20 = TWidth.Broadcast(Unsafe.Add(ref derivatives, 2));
        var d30 = TWidth.Broadcast(Unsafe.Add(ref derivatives, 3));
        var d01 = TWidth.Broadcast(Unsafe.Add(ref derivatives, 4));
        var d11 = TWidth.Broadcast(Unsafe.Add(ref derivatives, 5));
        var d21 = TWidth.Broadcast(Unsafe.Add(ref derivatives, 6));
        var d31 = TWidth.Broadcast(Unsafe.Add(ref derivatives, 7));
        ref var g1r = ref Unsafe.Add(ref gradientSums, d);
        for (nuint j = 0; j < full; j += TWidth.Count)
        {
            var g0 = TWidth.Load(ref gradientSums, j);
            var g1 = TWidth.Load(ref g1r, j);
            var f = TWidth.LoadFeatures<T, TLanes>(ref x0, j);
            g0 = TWidth.MultiplyAdd(f, d00, g0);
            g1 = TWidth.MultiplyAdd(f, d01, g1);
            f = TWidth.LoadFeatures<T, TLanes>(ref x1, j);
            g0 = TWidth.MultiplyAdd(f, d10, g0);
            g1 = TWidth.MultiplyAdd(f, d11, g1);
            f = TWidth.LoadFeatures<T, TLanes>(ref x2, j);
            g0 = TWidth.MultiplyAdd(f, d20, g0);
            g1 = TWidth.MultiplyAdd(f, d21, g1);
            f = TWidth.LoadFeatures<T, TLanes>(ref x3, j);
            g0 = TWidth.MultiplyAdd(f, d30, g0);
            g1 = TWidth.MultiplyAdd(f, d31, g1);
            TWidth.Store(g0, ref gradientSums, j);
            TWidth.Store(g1, ref g1r, j);
        }
    }

    /// <summary><see cref="FeatureGradientsQuad{T, TLanes, TVector, TWidth}"/> for one class (an odd class count's first).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void FeatureGradientsSingle<T, TLanes, TVector, TWidth>(
        ref T x0, ref T x1, ref T x2, ref T x3, ref double derivatives, ref double gradientSums, nuint full)
        where TLanes : struct, IDoubleLanes<T>
        where TVector : struct
        where TWidth : struct, IFeatureLanes<TVector>
    {
        var d0 = TWidth.Broadcast(derivatives);
        var d1 = TWidth.Broadcast(Unsafe.Add(ref derivatives, 1));
        var d2 = TWidth.Broadcast(Unsafe.Add(ref derivatives, 2));
        var d3 = TWidth.Broadcast(Unsafe.Add(ref derivatives, 3));
        for (nuint j = 0; j < full; j += TWidth.Count)
        {
            var g = TWidth.MultiplyAdd(TWidth.LoadFeatures<T, TLanes>(ref x0, j), d0, TWidth.Load(ref gradientSums, j));
            g = TWidth.MultiplyAdd(TWidth.LoadFeatures<T, TLanes>(ref x1, j), d1, g);
            g = TWidth.MultiplyAdd(TWidth.LoadFeatures<T, TLanes>(ref x2, j), d2, g);
            TWidth.Store(TWidth.MultiplyAdd(TWidth.LoadFeatures<T, TLanes>(ref x3, j), d3, g), ref gradientSums, j);
        }
    }
}
