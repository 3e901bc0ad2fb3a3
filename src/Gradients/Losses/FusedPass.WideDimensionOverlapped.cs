using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Gradients;

/// <summary>
/// How <see cref="FusedPass.Wide256{T, TLanes, TLoss, TWeighting, TBlocks}"/> goes through its blocks of four rows (a type
/// argument, so each way compiles to a kernel of its own).
/// </summary>
internal interface IWideBlocks
{
    /// <summary>Whether block b's dot products run beside block b − 1's gradient terms, in one loop.</summary>
    static abstract bool Overlapped { get; }

    /// <summary>
    /// Whether block b's rows are read one after another with block b − 1's gradient terms spread over their dot
    /// products (<see cref="FusedPass.SpreadRows256{T, TLanes, TLoss, TWeighting}"/>).
    /// </summary>
    static abstract bool Spread { get; }
}

/// <summary>The dot products of a block, then its gradient terms (float).</summary>
internal readonly struct SequentialBlocks : IWideBlocks
{
    public static bool Overlapped => false;

    public static bool Spread => false;
}

/// <summary>Block b's dot products beside block b − 1's gradient terms (double rows of fewer than 32 columns).</summary>
internal readonly struct OverlappedBlocks : IWideBlocks
{
    public static bool Overlapped => true;

    public static bool Spread => false;
}

/// <summary>Block b − 1's gradient terms spread over block b's four dot products (double rows of 32 columns and more).</summary>
internal readonly struct SpreadBlocks : IWideBlocks
{
    public static bool Overlapped => false;

    public static bool Spread => true;
}

internal static partial class FusedPass
{
    /// <summary>
    /// The D below which double rows in <see cref="Wide256{T, TLanes, TLoss, TWeighting, TBlocks}"/> go through
    /// <see cref="OverlappedRows256{T, TLanes, TLoss, TWeighting}"/>: rows of fewer than 32 columns (256 bytes), where the
    /// four-row kernel's work per row, not the stream from memory, set its speed.
    /// </summary>
    /// <remarks>
    /// Measured on an AMD EPYC (Zen 4) VM with the two kernels alternating call by call in one process, each after the
    /// 256-bit read-only pass over the same X (the mean squared error, X of 102 MB, medians of 40 calls, two to four
    /// processes per shape; overlapped ÷ four-row): D = 17 0.84–0.95 (the four-row kernel at 1.65–1.90× the read-only
    /// pass), D = 20 0.84–0.88 (1.38–1.44×), D = 24 0.92–0.95 (1.23–1.31×); with AVX-512 off the same within 0.04. From D = 32
    /// on, the four-row kernel is near the pass (1.10–1.19×) and the overlapped one no faster from memory: D = 32 0.96–1.18
    /// (median 1.02), D = 64 0.99–1.20 (median 1.035), D = 128 0.95–1.12 (median 0.98), though 6–30 % faster with X in
    /// cache. Its four rows are read side by side, where the four-row kernel reads one row after the other. See
    /// docs/benchmarks.md, Zen 4 section, item 12.
    /// </remarks>
    internal const int OverlappedRowsLimit = 32;

    /// <summary>
    /// Double rows of fewer than <see cref="OverlappedRowsLimit"/> columns, four at a time, with the two phases of the
    /// four-row kernel overlapped: one sweep over the columns adds the dot-product terms of block b (one FMA chain per
    /// row, each weight vector loaded once for the four rows) and the gradient terms of block b − 1, whose rows are still
    /// in L1 and whose residuals were computed at the end of the previous step (the four rows' loss terms in one vector,
    /// <see cref="FourRows{T, TLanes, TLoss, TWeighting}"/>, for every loss). Each row's line is asked for
    /// <see cref="PrefetchDistance"/> ahead into L1 and <see cref="L2PrefetchDistance"/> ahead into L2 (whole blocks
    /// ahead, so a hint lands on the same row of a later block) when <paramref name="prefetch"/>.
    /// The gradient terms of a block are the four-row kernel's, in the same order: (r₀x₀ + r₁x₁) + (r₂x₂ + r₃x₃) added to
    /// the sums. Returns the rows done (a multiple of four).
    /// </summary>
    private static nuint OverlappedRows256<T, TLanes, TLoss, TWeighting>(
        ref T features, ref T targets, ref T weights, nuint d, int rows, double bias, ref double g,
        ref T residuals, bool writeResiduals, TLoss loss, ref T sampleWeights, nuint fullEnd, nuint last, bool hasTail, Vector256<double> tailMask,
        ref ChunkSums sums, bool prefetch)
        where TLanes : struct, IDoubleLanes<T>
        where TLoss : struct, IPointwiseLoss
        where TWeighting : struct, IRowWeighting
    {
        const int Lanes = 4;
        var invalidLanes = Vector256<double>.Zero;
        var blockElements = 4 * d;
        var elementBytes = (nuint)Unsafe.SizeOf<T>();
        var ahead = WholeBlocks(PrefetchDistance / elementBytes, blockElements);
        var aheadL2 = WholeBlocks(L2PrefetchDistance / elementBytes, blockElements);
        var lineElements = 64 / elementBytes;
        var blocks = (nuint)rows / 4;

        // Block 0 sweeps the previous block's rows at `back` = 0: its own rows, times residuals of 0 (adding +0 or −0
        // to sums that start at +0 leaves them +0; an ∞ or NaN in those rows reaches the sums through the block's own
        // residuals anyway).
        Vector256<double> s0 = default, s1 = default, s2 = default, s3 = default;
        nuint back = 0;
        for (nuint block = 0; block < blocks; block++)
        {
            var row = block * 4;
            ref var x0 = ref Unsafe.Add(ref features, row * d);
            ref var x1 = ref Unsafe.Add(ref x0, d);
            ref var x2 = ref Unsafe.Add(ref x1, d);
            ref var x3 = ref Unsafe.Add(ref x2, d);
            ref var p0 = ref Unsafe.Subtract(ref x0, back);
            ref var p1 = ref Unsafe.Subtract(ref x1, back);
            ref var p2 = ref Unsafe.Subtract(ref x2, back);
            ref var p3 = ref Unsafe.Subtract(ref x3, back);
            Vector256<double> a0 = default, a1 = default, a2 = default, a3 = default;
            for (nuint j = 0; j < fullEnd; j += Lanes)
            {
                if (prefetch && (j & (lineElements - 1)) == 0)
                {
                    PrefetchLine(ref Unsafe.Add(ref x0, j + ahead), intoL2: false);
                    PrefetchLine(ref Unsafe.Add(ref x1, j + ahead), intoL2: false);
                    PrefetchLine(ref Unsafe.Add(ref x2, j + ahead), intoL2: false);
                    PrefetchLine(ref Unsafe.Add(ref x3, j + ahead), intoL2: false);
                    PrefetchLine(ref Unsafe.Add(ref x0, j + aheadL2), intoL2: true);
                    PrefetchLine(ref Unsafe.Add(ref x1, j + aheadL2), intoL2: true);
                    PrefetchLine(ref Unsafe.Add(ref x2, j + aheadL2), intoL2: true);
                    PrefetchLine(ref Unsafe.Add(ref x3, j + aheadL2), intoL2: true);
                }

                var w = TLanes.Load256(ref weights, j);
                a0 = Vector256.FusedMultiplyAdd(TLanes.Load256(ref x0, j), w, a0);
                a1 = Vector256.FusedMultiplyAdd(TLanes.Load256(ref x1, j), w, a1);
                a2 = Vector256.FusedMultiplyAdd(TLanes.Load256(ref x2, j), w, a2);
                a3 = Vector256.FusedMultiplyAdd(TLanes.Load256(ref x3, j), w, a3);
                AddBlockTerms256<T, TLanes>(ref p0, ref p1, ref p2, ref p3, s0, s1, s2, s3, ref g, j);
            }

            if (hasTail)
            {
                // The product is masked, not w: an infinity in an already-counted lane times a zero weight would be NaN.
                var w = TLanes.Load256(ref weights, last);
                a0 += (TLanes.Load256(ref x0, last) * w) & tailMask;
                a1 += (TLanes.Load256(ref x1, last) * w) & tailMask;
                a2 += (TLanes.Load256(ref x2, last) * w) & tailMask;
                a3 += (TLanes.Load256(ref x3, last) * w) & tailMask;
                AddBlockTailTerms256<T, TLanes>(ref p0, ref p1, ref p2, ref p3, s0, s1, s2, s3, ref g, last, tailMask);
            }

            var eta = TransposeAdd4(a0, a1, a2, a3) + Vector256.Create(bias);
            // Every loss through its vector form, the mean squared error too (whose four-row kernel takes its rows one by
            // one): at D = 17, 1.61–1.66 → 1.45–1.51 of the read-only pass (three processes each).
            var lossLanes = Vector256<double>.Zero;
            var r = FourRows<T, TLanes, TLoss, TWeighting>(loss, eta, ref targets, ref sampleWeights, ref residuals, writeResiduals, row, ref lossLanes, ref invalidLanes);
            sums.LossSum += Vector256.Sum(lossLanes);
            sums.DerivativeSum += Vector256.Sum(r);
            s0 = Vector256.Create(r.ToScalar());
            s1 = Vector256.Create(r.GetElement(1));
            s2 = Vector256.Create(r.GetElement(2));
            s3 = Vector256.Create(r.GetElement(3));
            back = blockElements;
        }

        if (blocks > 0)
        {
            // The last block's gradient terms.
            ref var p0 = ref Unsafe.Add(ref features, (blocks - 1) * blockElements);
            ref var p1 = ref Unsafe.Add(ref p0, d);
            ref var p2 = ref Unsafe.Add(ref p1, d);
            ref var p3 = ref Unsafe.Add(ref p2, d);
            for (nuint j = 0; j < fullEnd; j += Lanes)
            {
                AddBlockTerms256<T, TLanes>(ref p0, ref p1, ref p2, ref p3, s0, s1, s2, s3, ref g, j);
            }

            if (hasTail)
            {
                AddBlockTailTerms256<T, TLanes>(ref p0, ref p1, ref p2, ref p3, s0, s1, s2, s3, ref g, last, tailMask);
            }
        }

        if (invalidLanes != Vector256<double>.Zero)
        {
            sums.LossSum = double.NaN;
        }

        return blocks * 4;
    }

    /// <summary>Adds (s₀x₀ + s₁x₁) + (s₂x₂ + s₃x₃) at <paramref name="column"/> to the gradient sums <paramref name="g"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddBlockTerms256<T, TLanes>(
        ref T x0, ref T x1, ref T x2, ref T x3, Vector256<double> s0, Vector256<double> s1, Vector256<double> s2, Vector256<double> s3, ref double g, nuint column)
        where TLanes : struct, IDoubleLanes<T> =>
        (Vector256.LoadUnsafe(ref g, column) + BlockTerms256<T, TLanes>(ref x0, ref x1, ref x2, ref x3, s0, s1, s2, s3, column)).StoreUnsafe(ref g, column);

    /// <summary><see cref="AddBlockTerms256"/> at the remainder vector ending at D, the lanes already counted masked off.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddBlockTailTerms256<T, TLanes>(
        ref T x0, ref T x1, ref T x2, ref T x3, Vector256<double> s0, Vector256<double> s1, Vector256<double> s2, Vector256<double> s3, ref double g, nuint last,
        Vector256<double> tailMask)
        where TLanes : struct, IDoubleLanes<T> =>
        (Vector256.LoadUnsafe(ref g, last) + (BlockTerms256<T, TLanes>(ref x0, ref x1, ref x2, ref x3, s0, s1, s2, s3, last) & tailMask)).StoreUnsafe(ref g, last);

    /// <summary>(s₀x₀ + s₁x₁) + (s₂x₂ + s₃x₃) at <paramref name="column"/>: the four-row kernel's terms, in its order.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> BlockTerms256<T, TLanes>(
        ref T x0, ref T x1, ref T x2, ref T x3, Vector256<double> s0, Vector256<double> s1, Vector256<double> s2, Vector256<double> s3, nuint column)
        where TLanes : struct, IDoubleLanes<T> =>
        Vector256.FusedMultiplyAdd(s1, TLanes.Load256(ref x1, column), s0 * TLanes.Load256(ref x0, column))
            + Vector256.FusedMultiplyAdd(s3, TLanes.Load256(ref x3, column), s2 * TLanes.Load256(ref x2, column));

    /// <summary><paramref name="elements"/> rounded up to a whole number of blocks of <paramref name="blockElements"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static nuint WholeBlocks(nuint elements, nuint blockElements) =>
        (elements + blockElements - 1) / blockElements * blockElements;
}
