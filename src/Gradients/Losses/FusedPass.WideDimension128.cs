using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Gradients;

internal static partial class FusedPass
{
    /// <summary>
    /// <see cref="Wide256"/> with 128-bit vectors, for hardware without AVX2 (<c>DOTNET_EnableAVX2=0</c>): any D ≥ 2: four rows at a time, first their four dot products
    /// (each weight vector loaded once for four rows, two accumulators per row so eight FMA chains are in
    /// flight), then one sweep adding r₀x₀ + r₁x₁ + r₂x₂ + r₃x₃ into the gradient sums (each sum loaded and
    /// stored once per four rows). The second read of the four rows hits L1/L2, so X is read from memory once.
    /// The column remainder is one overlapping vector ending at D, masked so no element counts twice.
    /// </summary>
    internal static ChunkSums Wide128<T, TLanes>(
        ref T features, ref T targets, ref T weights, int dimension, int rows, double bias,
        Span<double> gradientSums, ref T residuals, bool writeResiduals)
        where TLanes : struct, IDoubleLanes<T>
    {
        const int Lanes = 2;
        var d = (nuint)dimension;
        var fullEnd = d & ~(nuint)(Lanes - 1);
        var pairEnd = d & ~(nuint)((2 * Lanes) - 1);
        var last = d - Lanes;
        var hasTail = fullEnd != d;
        var tailMask = Vector128.GreaterThanOrEqual(Vector128.Create(0L, 1L), Vector128.Create((long)(Lanes - (int)(d - fullEnd)))).AsDouble();

        gradientSums.Clear();
        ref var g = ref MemoryMarshal.GetReference(gradientSums);
        var sums = default(ChunkSums);

        nuint row = 0;
        for (; row + 4 <= (nuint)rows; row += 4)
        {
            ref var x0 = ref Unsafe.Add(ref features, row * d);
            ref var x1 = ref Unsafe.Add(ref x0, d);
            ref var x2 = ref Unsafe.Add(ref x1, d);
            ref var x3 = ref Unsafe.Add(ref x2, d);

            Vector128<double> a0 = default, a1 = default, a2 = default, a3 = default;
            Vector128<double> b0 = default, b1 = default, b2 = default, b3 = default;
            nuint j = 0;
            for (; j < pairEnd; j += 2 * Lanes)
            {
                var w = TLanes.Load128(ref weights, j);
                var v = TLanes.Load128(ref weights, j + Lanes);
                a0 = Vector128.FusedMultiplyAdd(TLanes.Load128(ref x0, j), w, a0);
                a1 = Vector128.FusedMultiplyAdd(TLanes.Load128(ref x1, j), w, a1);
                a2 = Vector128.FusedMultiplyAdd(TLanes.Load128(ref x2, j), w, a2);
                a3 = Vector128.FusedMultiplyAdd(TLanes.Load128(ref x3, j), w, a3);
                b0 = Vector128.FusedMultiplyAdd(TLanes.Load128(ref x0, j + Lanes), v, b0);
                b1 = Vector128.FusedMultiplyAdd(TLanes.Load128(ref x1, j + Lanes), v, b1);
                b2 = Vector128.FusedMultiplyAdd(TLanes.Load128(ref x2, j + Lanes), v, b2);
                b3 = Vector128.FusedMultiplyAdd(TLanes.Load128(ref x3, j + Lanes), v, b3);
            }

            if (j < fullEnd)
            {
                var w = TLanes.Load128(ref weights, j);
                a0 = Vector128.FusedMultiplyAdd(TLanes.Load128(ref x0, j), w, a0);
                a1 = Vector128.FusedMultiplyAdd(TLanes.Load128(ref x1, j), w, a1);
                a2 = Vector128.FusedMultiplyAdd(TLanes.Load128(ref x2, j), w, a2);
                a3 = Vector128.FusedMultiplyAdd(TLanes.Load128(ref x3, j), w, a3);
            }

            if (hasTail)
            {
                var w = TLanes.Load128(ref weights, last);
                b0 += (TLanes.Load128(ref x0, last) * w) & tailMask;
                b1 += (TLanes.Load128(ref x1, last) * w) & tailMask;
                b2 += (TLanes.Load128(ref x2, last) * w) & tailMask;
                b3 += (TLanes.Load128(ref x3, last) * w) & tailMask;
            }

            var r0 = Vector128.Sum(a0 + b0) + bias - TLanes.Load(ref targets, row);
            var r1 = Vector128.Sum(a1 + b1) + bias - TLanes.Load(ref targets, row + 1);
            var r2 = Vector128.Sum(a2 + b2) + bias - TLanes.Load(ref targets, row + 2);
            var r3 = Vector128.Sum(a3 + b3) + bias - TLanes.Load(ref targets, row + 3);
            sums.SumOfSquares += (r0 * r0) + (r1 * r1) + ((r2 * r2) + (r3 * r3));
            sums.SumOfResiduals += r0 + r1 + (r2 + r3);
            if (writeResiduals)
            {
                TLanes.Store(r0, ref residuals, row);
                TLanes.Store(r1, ref residuals, row + 1);
                TLanes.Store(r2, ref residuals, row + 2);
                TLanes.Store(r3, ref residuals, row + 3);
            }

            var s0 = Vector128.Create(r0);
            var s1 = Vector128.Create(r1);
            var s2 = Vector128.Create(r2);
            var s3 = Vector128.Create(r3);
            for (j = 0; j < fullEnd; j += Lanes)
            {
                var sum = Vector128.FusedMultiplyAdd(s1, TLanes.Load128(ref x1, j), s0 * TLanes.Load128(ref x0, j))
                    + Vector128.FusedMultiplyAdd(s3, TLanes.Load128(ref x3, j), s2 * TLanes.Load128(ref x2, j));
                (Vector128.LoadUnsafe(ref g, j) + sum).StoreUnsafe(ref g, j);
            }

            if (hasTail)
            {
                var sum = Vector128.FusedMultiplyAdd(s1, TLanes.Load128(ref x1, last), s0 * TLanes.Load128(ref x0, last))
                    + Vector128.FusedMultiplyAdd(s3, TLanes.Load128(ref x3, last), s2 * TLanes.Load128(ref x2, last));
                (Vector128.LoadUnsafe(ref g, last) + (sum & tailMask)).StoreUnsafe(ref g, last);
            }
        }

        for (; row < (nuint)rows; row++)
        {
            ref var x = ref Unsafe.Add(ref features, row * d);
            Vector128<double> a = default, b = default;
            nuint j = 0;
            for (; j < fullEnd; j += Lanes)
            {
                a = Vector128.FusedMultiplyAdd(TLanes.Load128(ref x, j), TLanes.Load128(ref weights, j), a);
            }

            if (hasTail)
            {
                b = (TLanes.Load128(ref x, last) * TLanes.Load128(ref weights, last)) & tailMask;
            }

            var r = Vector128.Sum(a + b) + bias - TLanes.Load(ref targets, row);
            sums.SumOfSquares += r * r;
            sums.SumOfResiduals += r;
            if (writeResiduals)
            {
                TLanes.Store(r, ref residuals, row);
            }

            var s = Vector128.Create(r);
            for (j = 0; j < fullEnd; j += Lanes)
            {
                Vector128.FusedMultiplyAdd(s, TLanes.Load128(ref x, j), Vector128.LoadUnsafe(ref g, j)).StoreUnsafe(ref g, j);
            }

            if (hasTail)
            {
                (Vector128.LoadUnsafe(ref g, last) + ((s * TLanes.Load128(ref x, last)) & tailMask)).StoreUnsafe(ref g, last);
            }
        }

        return sums;
    }
}
