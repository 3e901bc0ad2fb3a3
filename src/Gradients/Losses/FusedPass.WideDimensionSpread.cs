using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Gradients;

internal static partial class FusedPass
{
    /// <summary>
    /// Whether <see cref="SpreadRows256{T, TLanes, TLoss, TWeighting}"/> asks for X ahead: for chunks larger than L1, as the
    /// other kernels (<see cref="Prefetches{T}(int, nuint, nuint)"/>), but at any D: its hints go
    /// <see cref="L2PrefetchDistance"/> ahead in one sequential stream, which never lands in the block being read.
    /// </summary>
    /// <remarks>
    /// Measured on an AMD EPYC (Zen 4) VM with both kernels alternating call by call in one process, each timed against the
    /// 256-bit read-only pass over the same X (X of 102–160 MB, 20–40 calls per process; spread ÷ the kernel before it,
    /// the ratio of their ratios to the pass): D = 128 0.92–0.97 for the mean squared error (twelve processes, AVX-512 on
    /// and off; the four-row kernel at 1.19–1.29×), 0.95–1.01 for the logistic loss, 0.94–0.98 for the Huber and Poisson
    /// losses; D = 64 0.94–1.0; D = 37 0.85–0.95; D = 32 1.0–1.03; D = 160 and 200 (the four-row kernel without hints)
    /// 0.81–1.0; D = 256 to 1000 (the eight-row kernel, eight rows side by side, without hints) 0.50–0.85 for the mean
    /// squared error and the Huber loss, 0.36–0.55 for the logistic loss. With X in cache (400 × 128 to 20,000 × 100)
    /// 0.79–1.03; at 1000 × 1000 and 3000 × 256 (X in L3) 1.07–1.23 for the mean squared error and the Huber loss, whose
    /// eight-row kernel moved fewer bytes through L1, and 0.45–0.55 for the logistic loss. See docs/benchmarks.md, Zen 4
    /// section, item 15.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool SpreadPrefetches<T>(int rows, nuint dimension) =>
        System.Runtime.Intrinsics.X86.Sse.IsSupported && (nuint)rows * dimension * (nuint)Unsafe.SizeOf<T>() >= 64 * 1024;

    /// <summary>
    /// Whether <see cref="SpreadRows256{T, TLanes, TLoss, TWeighting}"/> asks for its lines into L1
    /// (<see cref="PrefetchDistance"/> ahead) as well as into L2: on Intel's processors only, where the kernels' hints into L1
    /// took the loss kernels from 1.2–1.8× to 0.9–1.0× the read-only pass (<see cref="PrefetchDistance"/>) and whose
    /// hints the earlier kernels kept in their dot products. Not measured with this kernel on Intel; on an AMD EPYC (Zen 4)
    /// the L1 hints made it 0.99–1.07× slower (median 1.04).
    /// </summary>
    private static readonly bool SpreadHintsIntoL1 = ProcessorVendor.IsIntel;

    /// <summary>
    /// Double rows of <see cref="OverlappedRowsLimit"/> columns and more, four at a time, the rows
    /// read one after another as in the four-row kernel, with the previous block's gradient sweep spread over them: each
    /// step of sixteen columns of a row's dot product also adds one vector of block b − 1's gradient terms (row k of the
    /// block takes the k-th quarter of the columns; columns past the last step of sixteen follow the fourth row). X is read
    /// as one sequential stream at the rate the work goes, instead of a block's dot products followed by a sweep that asks
    /// for nothing from memory. With <paramref name="prefetch"/> (<see cref="SpreadPrefetches{T}(int, nuint)"/>), each step asks for its two lines
    /// <see cref="L2PrefetchDistance"/> ahead into L2 (and, on Intel's processors, <see cref="PrefetchDistance"/> ahead into
    /// L1: <see cref="SpreadHintsIntoL1"/>). A chunk's first block runs its dot products alone (<see cref="DotRow256{T, TLanes}"/>, with its
    /// hints where <paramref name="firstBlockHints"/>: blocks of at most <see cref="PrefetchDistance"/> bytes), its last
    /// block's gradient terms run after the loop.
    /// Every sum is the four-row kernel's, in its order (each gradient sum still gets block after block, the terms of a
    /// block as (r₀x₀ + r₁x₁) + (r₂x₂ + r₃x₃)): the results are its bits (rows of 256 columns and more, which went
    /// eight at a time before, differ from before in the last bits). Returns the rows done (a multiple of four).
    /// </summary>
    internal static nuint SpreadRows256<T, TLanes, TLoss, TWeighting>(
        ref T features, ref T targets, ref T weights, nuint d, int rows, double bias, ref double g,
        ref T residuals, bool writeResiduals, TLoss loss, ref T sampleWeights, nuint fullEnd, nuint last, bool hasTail, Vector256<double> tailMask,
        ref ChunkSums sums, bool prefetch, bool firstBlockHints)
        where TLanes : struct, IDoubleLanes<T>
        where TLoss : struct, IPointwiseLoss
        where TWeighting : struct, IRowWeighting
    {
        const int Lanes = 4;
        var blocks = (nuint)rows / 4;
        if (blocks == 0)
        {
            return 0;
        }

        var invalid = false;
        var invalidLanes = Vector256<double>.Zero;
        var quarter = (fullEnd & ~(nuint)((4 * Lanes) - 1)) / 4;
        var spreadEnd = 4 * quarter;
        Vector256<double> s0 = default, s1 = default, s2 = default, s3 = default;
        for (nuint block = 0; block < blocks; block++)
        {
            var row = block * 4;
            ref var x0 = ref Unsafe.Add(ref features, row * d);
            ref var x1 = ref Unsafe.Add(ref x0, d);
            ref var x2 = ref Unsafe.Add(ref x1, d);
            ref var x3 = ref Unsafe.Add(ref x2, d);
            Vector256<double> a0, a1, a2, a3;
            if (block == 0)
            {
                a0 = DotRow256<T, TLanes>(ref x0, ref weights, fullEnd, last, hasTail, tailMask, firstBlockHints);
                a1 = DotRow256<T, TLanes>(ref x1, ref weights, fullEnd, last, hasTail, tailMask, firstBlockHints);
                a2 = DotRow256<T, TLanes>(ref x2, ref weights, fullEnd, last, hasTail, tailMask, firstBlockHints);
                a3 = DotRow256<T, TLanes>(ref x3, ref weights, fullEnd, last, hasTail, tailMask, firstBlockHints);
            }
            else
            {
                ref var p0 = ref Unsafe.Subtract(ref x0, 4 * d);
                ref var p1 = ref Unsafe.Add(ref p0, d);
                ref var p2 = ref Unsafe.Add(ref p1, d);
                ref var p3 = ref Unsafe.Add(ref p2, d);
                a0 = DotRowSweeping256<T, TLanes>(ref x0, ref weights, fullEnd, last, hasTail, tailMask, prefetch, ref p0, ref p1, ref p2, ref p3, s0, s1, s2, s3, ref g, 0);
                a1 = DotRowSweeping256<T, TLanes>(ref x1, ref weights, fullEnd, last, hasTail, tailMask, prefetch, ref p0, ref p1, ref p2, ref p3, s0, s1, s2, s3, ref g, quarter);
                a2 = DotRowSweeping256<T, TLanes>(ref x2, ref weights, fullEnd, last, hasTail, tailMask, prefetch, ref p0, ref p1, ref p2, ref p3, s0, s1, s2, s3, ref g, 2 * quarter);
                a3 = DotRowSweeping256<T, TLanes>(ref x3, ref weights, fullEnd, last, hasTail, tailMask, prefetch, ref p0, ref p1, ref p2, ref p3, s0, s1, s2, s3, ref g, 3 * quarter);
                AddBlockTermsFrom256<T, TLanes>(ref p0, ref p1, ref p2, ref p3, s0, s1, s2, s3, ref g, spreadEnd, fullEnd, last, hasTail, tailMask);
            }

            BlockDerivatives<T, TLanes, TLoss, TWeighting>(loss, a0, a1, a2, a3, bias, ref targets, ref sampleWeights, ref residuals, writeResiduals, row, ref sums, ref invalid, ref invalidLanes, out var r0, out var r1, out var r2, out var r3);
            s0 = Vector256.Create(r0);
            s1 = Vector256.Create(r1);
            s2 = Vector256.Create(r2);
            s3 = Vector256.Create(r3);
        }

        // The last block's gradient terms.
        ref var q0 = ref Unsafe.Add(ref features, (blocks - 1) * 4 * d);
        ref var q1 = ref Unsafe.Add(ref q0, d);
        ref var q2 = ref Unsafe.Add(ref q1, d);
        ref var q3 = ref Unsafe.Add(ref q2, d);
        AddBlockTermsFrom256<T, TLanes>(ref q0, ref q1, ref q2, ref q3, s0, s1, s2, s3, ref g, 0, fullEnd, last, hasTail, tailMask);

        if (invalid || invalidLanes != Vector256<double>.Zero)
        {
            sums.LossSum = double.NaN;
        }

        return blocks * 4;
    }

    /// <summary>
    /// <see cref="DotRow256{T, TLanes}"/>'s dot product (its accumulators, in its order), where each step of sixteen
    /// columns also adds the previous block's gradient terms (rows <paramref name="p0"/>…<paramref name="p3"/>, residuals <paramref name="s0"/>…<paramref name="s3"/>) at one vector of columns, from <paramref name="sweepStart"/>
    /// on (<see cref="AddBlockTerms256"/>), and with <paramref name="prefetch"/> asks for its lines
    /// <see cref="L2PrefetchDistance"/> ahead into L2 (and into L1 where <see cref="SpreadHintsIntoL1"/>).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> DotRowSweeping256<T, TLanes>(
        ref T x, ref T weights, nuint fullEnd, nuint last, bool hasTail, Vector256<double> tailMask, bool prefetch,
        ref T p0, ref T p1, ref T p2, ref T p3, Vector256<double> s0, Vector256<double> s1, Vector256<double> s2, Vector256<double> s3, ref double g, nuint sweepStart)
        where TLanes : struct, IDoubleLanes<T>
    {
        const int Lanes = 4;
        Vector256<double> a = default, b = default, c = default, e = default;
        nuint j = 0;
        var column = sweepStart;
        var quadEnd = fullEnd & ~(nuint)((4 * Lanes) - 1);
        for (; j < quadEnd; j += 4 * Lanes, column += Lanes)
        {
            if (prefetch)
            {
                if (SpreadHintsIntoL1)
                {
                    PrefetchAhead(ref Unsafe.Add(ref x, j), 4 * Lanes * (nuint)Unsafe.SizeOf<T>());
                }
                else
                {
                    // Sixteen doubles are two 64-byte lines.
                    PrefetchLineIntoL2(ref Unsafe.Add(ref x, j));
                    PrefetchLineIntoL2(ref Unsafe.Add(ref x, j + (2 * Lanes)));
                }
            }

            a = Vector256.FusedMultiplyAdd(TLanes.Load256(ref x, j), TLanes.Load256(ref weights, j), a);
            b = Vector256.FusedMultiplyAdd(TLanes.Load256(ref x, j + Lanes), TLanes.Load256(ref weights, j + Lanes), b);
            c = Vector256.FusedMultiplyAdd(TLanes.Load256(ref x, j + (2 * Lanes)), TLanes.Load256(ref weights, j + (2 * Lanes)), c);
            e = Vector256.FusedMultiplyAdd(TLanes.Load256(ref x, j + (3 * Lanes)), TLanes.Load256(ref weights, j + (3 * Lanes)), e);
            AddBlockTerms256<T, TLanes>(ref p0, ref p1, ref p2, ref p3, s0, s1, s2, s3, ref g, column);
        }

        if (prefetch && j < fullEnd + (hasTail ? (nuint)Lanes : 0))
        {
            // The row's last columns, fewer than sixteen (with the remainder vector): at most two lines.
            if (SpreadHintsIntoL1)
            {
                PrefetchAhead(ref Unsafe.Add(ref x, j), (fullEnd - j + (hasTail ? (nuint)Lanes : 0)) * (nuint)Unsafe.SizeOf<T>());
            }
            else
            {
                PrefetchLineIntoL2(ref Unsafe.Add(ref x, j));
                PrefetchLineIntoL2(ref Unsafe.Add(ref x, j + (2 * Lanes)));
            }
        }

        for (; j < fullEnd; j += Lanes)
        {
            a = Vector256.FusedMultiplyAdd(TLanes.Load256(ref x, j), TLanes.Load256(ref weights, j), a);
        }

        if (hasTail)
        {
            b += (TLanes.Load256(ref x, last) * TLanes.Load256(ref weights, last)) & tailMask;
        }

        return (a + b) + (c + e);
    }

    /// <summary>A block's gradient terms from column <paramref name="start"/> (a multiple of four) to D, the remainder vector masked.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddBlockTermsFrom256<T, TLanes>(
        ref T x0, ref T x1, ref T x2, ref T x3, Vector256<double> s0, Vector256<double> s1, Vector256<double> s2, Vector256<double> s3, ref double g,
        nuint start, nuint fullEnd, nuint last, bool hasTail, Vector256<double> tailMask)
        where TLanes : struct, IDoubleLanes<T>
    {
        for (var j = start; j < fullEnd; j += 4)
        {
            AddBlockTerms256<T, TLanes>(ref x0, ref x1, ref x2, ref x3, s0, s1, s2, s3, ref g, j);
        }

        if (hasTail)
        {
            AddBlockTailTerms256<T, TLanes>(ref x0, ref x1, ref x2, ref x3, s0, s1, s2, s3, ref g, last, tailMask);
        }
    }
}
