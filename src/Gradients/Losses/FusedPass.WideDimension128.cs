using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Gradients;

internal static partial class FusedPass
{
    /// <summary>
    /// <see cref="Wide256"/> with 128-bit vectors, for hardware without AVX2 (<c>DOTNET_EnableAVX2=0</c>), D ≥ 5 (rows of three and four it passes to <see cref="Narrow128ThreeOrFour{T, TLanes, TLoss, TWeighting}"/>): four rows at a time, first their four dot products
    /// (row after row, so X is read as one sequential stream), then one sweep adding r₀x₀ + r₁x₁ + r₂x₂ + r₃x₃
    /// into the gradient sums (each sum loaded and stored once per four rows). The second read of the four rows
    /// hits L1/L2, so X is read from memory once.
    /// The column remainder is one overlapping vector ending at D, masked so no element counts twice.
    /// Multiply-adds are <c>MultiplyAddEstimate</c>, fused only where the hardware has FMA: x86 without AVX2 usually
    /// has no FMA either (<c>DOTNET_EnableAVX2=0</c> turns it off), and there <c>FusedMultiplyAdd</c> is a software
    /// emulation per lane (measured: 10–100× the time of a 128-bit read-only pass over X).
    /// </summary>
    internal static ChunkSums Wide128<T, TLanes, TLoss, TWeighting>(
        ref T features, ref T targets, ref T weights, int dimension, int rows, double bias,
        Span<double> gradientSums, ref T residuals, bool writeResiduals, TLoss loss, ref T sampleWeights)
        where TLanes : struct, IDoubleLanes<T>
        where TLoss : struct, IPointwiseLoss
        where TWeighting : struct, IRowWeighting
    {
        // Rows of three and four features run the narrow kernel, dispatched here rather than beside Narrow128 (see
        // Narrow128ThreeOrFour).
        if (dimension <= 4)
        {
            return Narrow128ThreeOrFour<T, TLanes, TLoss, TWeighting>(ref features, ref targets, ref weights, dimension, rows, bias, gradientSums, ref residuals, writeResiduals, loss, ref sampleWeights);
        }

        const int Lanes = 2;
        var d = (nuint)dimension;
        var (fullEnd, last, hasTail, counted) = SplitColumns(d, Lanes);
        var tailMask = Vector128.GreaterThanOrEqual(Vector128.Create(0L, 1L), Vector128.Create((long)counted)).AsDouble();

        gradientSums.Clear();
        ref var g = ref MemoryMarshal.GetReference(gradientSums);
        var sums = default(ChunkSums);
        var invalid = false;
        var invalidLanes = Vector128<double>.Zero;

        // Each row's dot product asks for its lines 4 KB ahead as it reads them (see PrefetchDistance and DotRow256), on
        // Intel's processors only (HintsTheNarrowKernel).
        var blockBytes = 4 * d * (nuint)Unsafe.SizeOf<T>();
        var prefetch = HintsTheNarrowKernel && Prefetches<T>(rows, d, blockBytes);
        nuint row = 0;
        for (; row + 4 <= (nuint)rows; row += 4)
        {
            ref var x0 = ref Unsafe.Add(ref features, row * d);
            ref var x1 = ref Unsafe.Add(ref x0, d);
            ref var x2 = ref Unsafe.Add(ref x1, d);
            ref var x3 = ref Unsafe.Add(ref x2, d);

            // Row by row, not four rows interleaved: one sequential stream keeps the hardware prefetchers
            // trained (four interleaved 1 KB streams at D = 128 ran 2–3× slower from memory).
            var a0 = DotRow128<T, TLanes>(ref x0, ref weights, fullEnd, last, hasTail, tailMask, prefetch);
            var a1 = DotRow128<T, TLanes>(ref x1, ref weights, fullEnd, last, hasTail, tailMask, prefetch);
            var a2 = DotRow128<T, TLanes>(ref x2, ref weights, fullEnd, last, hasTail, tailMask, prefetch);
            var a3 = DotRow128<T, TLanes>(ref x3, ref weights, fullEnd, last, hasTail, tailMask, prefetch);

            // Two rows' η in each vector for the losses that prefer vectors (the scalar form took the logistic loss to 6.6×
            // the read-only pass at 2,000,000 × 16 with AVX2 off).
            BlockDerivatives128<T, TLanes, TLoss, TWeighting>(loss, a0, a1, a2, a3, bias, ref targets, ref sampleWeights, ref residuals, writeResiduals, row, ref sums, ref invalid, ref invalidLanes, out var r0, out var r1, out var r2, out var r3);

            var s0 = Vector128.Create(r0);
            var s1 = Vector128.Create(r1);
            var s2 = Vector128.Create(r2);
            var s3 = Vector128.Create(r3);
            for (nuint j = 0; j < fullEnd; j += Lanes)
            {
                var sum = Vector128.MultiplyAddEstimate(s1, TLanes.Load128(ref x1, j), s0 * TLanes.Load128(ref x0, j))
                    + Vector128.MultiplyAddEstimate(s3, TLanes.Load128(ref x3, j), s2 * TLanes.Load128(ref x2, j));
                (Vector128.LoadUnsafe(ref g, j) + sum).StoreUnsafe(ref g, j);
            }

            if (hasTail)
            {
                var sum = Vector128.MultiplyAddEstimate(s1, TLanes.Load128(ref x1, last), s0 * TLanes.Load128(ref x0, last))
                    + Vector128.MultiplyAddEstimate(s3, TLanes.Load128(ref x3, last), s2 * TLanes.Load128(ref x2, last));
                (Vector128.LoadUnsafe(ref g, last) + (sum & tailMask)).StoreUnsafe(ref g, last);
            }
        }

        for (; row < (nuint)rows; row++)
        {
            ref var x = ref Unsafe.Add(ref features, row * d);
            var a = DotRow128<T, TLanes>(ref x, ref weights, fullEnd, last, hasTail, tailMask, prefetch: false);
            sums.LossSum += OneRow<T, TLanes, TLoss, TWeighting>(loss, Vector128.Sum(a) + bias, ref targets, ref sampleWeights, ref residuals, writeResiduals, row, ref invalid, out var r);
            sums.DerivativeSum += r;

            var s = Vector128.Create(r);
            for (nuint j = 0; j < fullEnd; j += Lanes)
            {
                Vector128.MultiplyAddEstimate(s, TLanes.Load128(ref x, j), Vector128.LoadUnsafe(ref g, j)).StoreUnsafe(ref g, j);
            }

            if (hasTail)
            {
                (Vector128.LoadUnsafe(ref g, last) + ((s * TLanes.Load128(ref x, last)) & tailMask)).StoreUnsafe(ref g, last);
            }
        }

        if (invalid || invalidLanes != Vector128<double>.Zero)
        {
            sums.LossSum = double.NaN;
        }

        return new ChunkSums { LossSum = sums.LossSum, DerivativeSum = sums.DerivativeSum };
    }

    /// <summary>
    /// Whether <see cref="Wide128"/> gives software prefetch hints: on Intel's processors, where they were measured to
    /// help (docs/benchmarks.md), not elsewhere.
    /// </summary>
    /// <remarks>
    /// On an AMD EPYC (Zen 4) VM with <c>DOTNET_EnableAVX2=0</c> the hints were this kernel's largest cost: MSE double
    /// over the 128-bit read-only pass, five alternating <c>ab-launch</c> rounds (thread CPU time, medians), at
    /// (2,000,000 × 16) 1.76 (1.36–2.70) with the L1 and L2 hints, 1.19 (1.14–1.32) without any; at (100,000 × 128)
    /// 1.37 (1.27–1.61) → 1.17 (1.04–1.29). L1 hints alone were in between (1.16–1.28 and 1.31–1.50, three rounds). The
    /// 256-bit kernels on the same VM (AVX-512 off) measured the same with and without hints (three rounds each), so
    /// they keep them. On Arm64 no kernel hints (<see cref="Prefetches{T}"/> needs SSE).
    /// </remarks>
    private static readonly bool HintsTheNarrowKernel = ProcessorVendor.IsIntel;

    /// <summary>
    /// x·w over one row as a vector of partial sums: four accumulators (four FMA chains in flight), the column remainder
    /// as one overlapping vector ending at D with the already-counted lanes masked off; with
    /// <paramref name="prefetch"/>, the hints of <see cref="DotRow256{T, TLanes}"/> per step of eight columns.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<double> DotRow128<T, TLanes>(ref T x, ref T weights, nuint fullEnd, nuint last, bool hasTail, Vector128<double> tailMask, bool prefetch)
        where TLanes : struct, IDoubleLanes<T>
    {
        const int Lanes = 2;
        Vector128<double> a = default, b = default, c = default, e = default;
        nuint j = 0;
        var quadEnd = fullEnd & ~(nuint)((4 * Lanes) - 1);
        for (; j < quadEnd; j += 4 * Lanes)
        {
            if (prefetch)
            {
                PrefetchAhead(ref Unsafe.Add(ref x, j), 4 * Lanes * (nuint)Unsafe.SizeOf<T>());
            }

            a = Vector128.MultiplyAddEstimate(TLanes.Load128(ref x, j), TLanes.Load128(ref weights, j), a);
            b = Vector128.MultiplyAddEstimate(TLanes.Load128(ref x, j + Lanes), TLanes.Load128(ref weights, j + Lanes), b);
            c = Vector128.MultiplyAddEstimate(TLanes.Load128(ref x, j + (2 * Lanes)), TLanes.Load128(ref weights, j + (2 * Lanes)), c);
            e = Vector128.MultiplyAddEstimate(TLanes.Load128(ref x, j + (3 * Lanes)), TLanes.Load128(ref weights, j + (3 * Lanes)), e);
        }

        if (prefetch && j < fullEnd + (hasTail ? (nuint)Lanes : 0))
        {
            PrefetchAhead(ref Unsafe.Add(ref x, j), (fullEnd - j + (hasTail ? (nuint)Lanes : 0)) * (nuint)Unsafe.SizeOf<T>());
        }

        for (; j < fullEnd; j += Lanes)
        {
            a = Vector128.MultiplyAddEstimate(TLanes.Load128(ref x, j), TLanes.Load128(ref weights, j), a);
        }

        if (hasTail)
        {
            b += (TLanes.Load128(ref x, last) * TLanes.Load128(ref weights, last)) & tailMask;
        }

        return (a + b) + (c + e);
    }
}
