using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Gradients;

internal static partial class FusedPass
{
    /// <summary>
    /// The wide float kernels (D from 16 to <see cref="SingleDimensionLimit"/>, full chunks): blocks of eight rows, one
    /// sweep over the columns per block that computes the block's eight η in double and, in the same sweep, adds the
    /// gradient terms of the previous block (whose residuals the end of the previous sweep produced, whose rows are
    /// still in L1), summed in float over its eight rows and folded into the double sums. 512-bit vectors where
    /// AVX-512 is available (<see cref="SingleWide512{TLoss, TWeighting, TArithmetic}"/>), 256-bit ones otherwise and for the rows that
    /// run faster with them (<see cref="SingleWide256{TLoss, TWeighting, TArithmetic}"/>, <see cref="RowsSuit256BitVectors(int)"/>); the leftover rows (fewer than eight) in double. Without
    /// accelerated 256-bit vectors, <see cref="SingleWide128{TLoss, TWeighting}"/> (blocks of four rows) from
    /// <see cref="Chunk{T, TLanes, TLoss, TWeighting}"/>.
    /// </summary>
    /// <remarks>
    /// <para>
    /// Error model. η = Σⱼ xⱼwⱼ: a float times a float is exact in double, and the D products are summed in double, so
    /// η is off by at most γ_D·Σⱼ|xⱼwⱼ| with γ_D ≈ D·2⁻⁵³, and so is r = η + b − y (y and b are exact in double).
    /// The danger with float data is cancellation in r when X has a large offset (X = 10⁶ + noise near the optimum: η
    /// ≈ 10⁶·Σw, r of the size of the noise); in double that costs D·2⁻⁵³·Σ|xw| ≈ 10⁻⁹ at D = 24, far inside 10⁻⁶
    /// of r. In float it would cost D·2⁻²⁴·Σ|xw|, about the size of r itself, which is why η is not computed in float.
    /// </para>
    /// <para>
    /// The gradient Σᵢ rᵢxᵢⱼ: each block of eight rows sums its terms in float — r rounded to float once, rows 0, 2,
    /// 4, 6 in one multiply-and-FMA chain and 1, 3, 5, 7 in another, the two chains added — so each term passes through
    /// at most six roundings and the block sum is off by less than 6.01·2⁻²⁴·Σ_block|r·xⱼ| (the bound of
    /// <see cref="SingleSmall{TQuads, TRowEnd, TLoss, TWeighting}"/>). The block sums are widened exactly and added in
    /// double, so over N rows the error is at most 6.01·2⁻²⁴·Σ|r·xⱼ| + γ_{N/8}·Σ|r·xⱼ| (γ at double's unit roundoff):
    /// the float part is set by the block length (eight rows), not by N (blocked summation: Blanchard, Higham and
    /// Mary, SIAM J. Sci. Comput. 42(3), 2020). Products below float's normal range lose their relative precision
    /// (absolute error ≤ 2⁻¹⁴⁹ each).
    /// </para>
    /// <para>
    /// Non-finite values: a NaN or ∞ in X, or a residual or product past float's range, makes a float block sum, and so
    /// a double gradient sum, NaN or ∞. A chunk whose gradient sums are not all finite after its blocks is computed
    /// again by the scalar kernel (every product in double), so such data gives what the double kernels give.
    /// </para>
    /// </remarks>
    private static ChunkSums SingleWide<TLoss, TWeighting, TArithmetic>(
        ref float features, ref float targets, ref float weights, int dimension, int rows, double bias,
        Span<double> gradientSums, ref float residuals, bool writeResiduals, TLoss loss, ref float sampleWeights)
        where TLoss : struct, IPointwiseLoss
        where TWeighting : struct, IRowWeighting
        where TArithmetic : struct, IDoubleLanes<float> =>
        Vector512.IsHardwareAccelerated && Avx512F.IsSupported && !RowsSuit256BitVectors(dimension)
            ? SingleWide512<TLoss, TWeighting, TArithmetic>(ref features, ref targets, ref weights, dimension, rows, bias, gradientSums, ref residuals, writeResiduals, loss, ref sampleWeights)
            : SingleWide256<TLoss, TWeighting, TArithmetic>(ref features, ref targets, ref weights, dimension, rows, bias, gradientSums, ref residuals, writeResiduals, loss, ref sampleWeights);

    /// <summary>
    /// Whether rows of <paramref name="dimension"/> floats run the 256-bit wide kernel where AVX-512 is available: D not a
    /// multiple of 16 and either below 32 or 8 past a multiple of 16 (24, 40, 56, …), on every processor but Intel's.
    /// </summary>
    /// <remarks>
    /// On an AMD EPYC (Zen 4) VM, both kernels in one process, switched call by call (MSE, about 24,000,000 floats of X,
    /// ÷ the 256-bit read-only pass, medians of 15 calls): the 512-bit kernel, whose rows end in a half-width or masked
    /// step, against the 256-bit one at D = 24 2.03 against 1.39, 40 1.96/1.26, 56 1.98/1.25, 88 1.60/1.25, 120
    /// 2.03/1.44, 152 1.77/1.27, 248 1.52/1.24, 264 1.37/1.25, 504 1.54/1.35; 17 1.91/1.69, 20 1.98/1.68, 25 2.19/1.61,
    /// 27 2.83/1.51, 30 2.64/1.39, 31 2.13/1.45; the logistic, Huber and Poisson losses at 24 and 40 1.9–2.4 against
    /// 1.3–2.0; close at 22 and 23 (2.16/2.05, 2.01/2.12). Left with the 512-bit kernel: the other D from 32 on (36
    /// 1.85/2.08, 100 1.68/1.68, 500 1.46/1.51) and the multiples of 16 (32 1.30/1.41, 64 1.19/1.25, 256 1.17/1.40, 512
    /// 1.77/2.22), where it was as fast or faster. Intel's processors, where the 512-bit kernel was tuned, were not measured at these D and keep it.
    /// See docs/benchmarks.md (Zen 4 section, item 17).
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static bool RowsSuit256BitVectors(int dimension) =>
        !ProcessorVendor.IsIntel && dimension % 16 != 0 && (dimension < 32 || dimension % 16 == 8);

    /// <summary>
    /// Whether the wide float kernels (<see cref="SingleWide512{TLoss, TWeighting, TArithmetic}"/>,
    /// <see cref="SingleWide256{TLoss, TWeighting, TArithmetic}"/>) give the L2 hint (<c>prefetcht1</c>, at least 16 KB ahead) to every
    /// row of a block, or only to rows 0, 2, 4 and 6. Only hints change with it, never a result.
    /// </summary>
    /// <remarks>
    /// On Intel, from D = 32 (rows of at least two lines), the even rows: against the hint on every row, switched between
    /// calls in one process (thread CPU time, 51 MB of X, Intel Xeon VM, 512-bit kernel), 2–5 % faster at D = 128 (five
    /// processes), 4–8 % at 64, 6–8 % at 512, within ±3 % at 32 and 256; at D = 16, where a block's rows are eight
    /// consecutive lines, 6–10 % slower, so below 32 every row keeps its hint. Rows 0–3 only (+11 %) or every row on every
    /// second column step (+26 %) were slower at D = 128. By `ab-launch` at (100,000 × 128) 1.12 → 1.08× the read-only
    /// pass (22 alternating rounds). On an AMD EPYC (Zen 4) VM the even rows were the 512-bit kernel's largest cost: with
    /// the hint on every row it took 0.40–0.48 of the time at D = 128 (2.4–2.6 → 1.03–1.15× the read-only pass), 0.50 at
    /// 64, 0.56 at 32, 0.43 at 256 and 0.94 at 512 (both patterns in one process, thread CPU time; by `ab-launch` at
    /// (100,000 × 128) 2.74 → 1.18×, four alternating rounds). So every processor but Intel's hints every row. The 256-bit
    /// kernel had no L2 hint: on the same AMD VM with AVX-512 off, at (100,000 × 128) 3.82× the 256-bit read-only pass
    /// without it and 1.45× with it on every row, and at (2,000,000 × 16) 1.76 → 1.39× (`ab-launch`, three alternating
    /// rounds); it follows the same rule, its Intel case not measured. Why the even rows suit Intel's prefetchers, not measured. See docs/benchmarks.md.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool L2HintOnEveryRow(nuint dimension) => dimension < 32 || !ProcessorVendor.IsIntel;

    /// <summary>
    /// Whether the wide float kernels (<see cref="SingleWide512{TLoss, TWeighting, TArithmetic}"/>,
    /// <see cref="SingleWide256{TLoss, TWeighting, TArithmetic}"/>) give each row's line the L1 hint (<c>prefetcht0</c>; 2 KB ahead in
    /// the 512-bit kernel, whole blocks and at least 4 KB ahead in the 256-bit one) beside the L2 hint: for rows of fewer
    /// than 64 floats, for rows that are not a whole number of lines (D not a multiple of 16), and on Intel at every D.
    /// Only hints change with it, never a result.
    /// </summary>
    /// <remarks>
    /// Long rows make the L1 hint a cost: in the 512-bit kernel 2 KB ahead is, from D = 128, a line of the block being
    /// read (rows 4 to 7 at 128, the next row at 512) that the sweep loads a step later anyway; in the 256-bit kernel a
    /// whole block ahead is 16 KB from D = 512, the line the L2 hint asks for. The hints then only take load slots and
    /// fill buffers, and pull lines into L1 early enough to be evicted. On an AMD EPYC (Zen 4) VM, with and without
    /// the L1 hint in one process, switched call by call (MSE, 51–102 MB of X, thread CPU time, ÷ the 256-bit read-only
    /// pass, medians of 15 calls; without ÷ with, one pair per process):
    /// <list type="bullet">
    /// <item>512-bit kernel: D = 128 1.146/1.152, 1.112/1.163, 1.180/1.223, 1.180/1.202, 1.205/1.353, 1.175/1.201 (faster in
    /// all eleven processes measured); 256 1.107/1.146, 1.123/1.189; 512 1.546/1.763, 1.603/1.821; 96 1.264/1.284,
    /// 1.201/1.213; 32, 48 and 64 within ±0.01; 16 1.266/1.218, 1.255/1.201 (slower: a block is 512 bytes there and 2 KB
    /// ahead is four blocks on).</item>
    /// <item>256-bit kernel (<c>DOTNET_EnableAVX512=0</c>): 512 1.544/2.024, 1.623/2.134; 384 1.361/1.572, 1.413/1.556; 256
    /// 1.420/1.545, 1.369/1.440; 64 1.279/1.332, 1.281/1.353; 48 1.252/1.297, 1.263/1.303; 96 and 128 the same or 1–3 %
    /// faster; 16 and 32 within ±0.05 either way; 20 3.05/1.64, 3.13/1.61 (the L2 hints, once a line per row start, do not
    /// reach every line of such rows); with AVX-512 at D = 24 and 40 (where it runs) within ±0.03.</item>
    /// </list>
    /// With the L2 hints in address order (<see cref="L2HintsInAddressOrder(nuint)"/>, D not a multiple of 16) the L1 hint
    /// was kept: without ÷ with it, 512-bit kernel D = 100 1.25–1.31/1.18–1.22, 132 1.25–1.26/1.21–1.24, 500
    /// 1.33–1.45/1.31–1.55, 36 and 52 1.24–1.36/1.26–1.40; 256-bit kernel within ±0.02 at 20, 36, 100 and 132. Intel,
    /// where the hints were tuned, was not measured without it and keeps it. See docs/benchmarks.md (Zen 4 section, item
    /// 20).
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool L1HintApplies(nuint dimension) => dimension < 64 || dimension % 16 != 0 || ProcessorVendor.IsIntel;

    /// <summary>
    /// Whether the wide float kernels give their L2 hints in address order over the block 16 KB or more ahead (eight
    /// consecutive lines per step of sixteen columns, the block's last lines after the steps) instead of one line per
    /// row per step: for rows that are not a whole number of lines (D not a multiple of 16), on every processor but
    /// Intel's. Only hints change with it, never a result.
    /// </summary>
    /// <remarks>
    /// A hint per row per step reaches the line where each row's step starts. When rows are whole lines that is every
    /// line; otherwise some lines of each block hold only a row's last columns and are asked for by nobody (two per
    /// block with X line-aligned, at any such D: two of 18 at D = 36, two of 50 at D = 100), and each comes from memory
    /// on demand while the block waits. In address order every line of the block is asked for once. Found with both
    /// orders in one process, switched call by call (AMD EPYC Zen 4 VM, MSE, ÷ the 256-bit read-only pass, medians of 15
    /// calls): 512-bit kernel D = 36 1.67–1.75 → 1.37–1.40, 100 1.66–1.71 → 1.18–1.22, 132 1.33–1.36 → 1.21–1.24; 256-bit
    /// kernel (AVX-512 off) D = 20 1.66 → 1.54, 36 2.32 → 1.37, 100 1.89 → 1.29, 132 1.65 → 1.28. At the multiples of
    /// 16 the 512-bit kernel was as fast either way at 16, 48 and 128 and slower in address order at 512 (1.71–1.77
    /// against 1.48: a block is then 16 KB, the hint one block ahead, and address order reaches the block's last rows,
    /// which the next sweep reads from its first step, only at its end); the 256-bit kernel was 3–6 % faster in address
    /// order at 64 and 128, the same at 256 and 512 and 5 % slower at 384 (one process each). So rows of whole lines
    /// keep a hint per row. The builds
    /// before and after, one process each: 512-bit D = 36 1.77–1.78 → 1.31–1.35, 100 1.70–1.71 → 1.16–1.17, 132
    /// 1.28–1.32 → 1.19–1.21, 500 1.38–1.40 → 1.35–1.37; 256-bit D = 20 1.65–1.72 → 1.47–1.54, 36 2.24–2.26 →
    /// 1.36–1.38, 100 1.91–1.93 → 1.19–1.26. Intel, where the hints were tuned, was not measured and keeps its hints. See
    /// docs/benchmarks.md (Zen 4 section, item 20).
    /// </remarks>
    /// <summary>
    /// The D from which the 256-bit wide float kernel gives its L2 hints per row again, even for rows that are not whole
    /// lines (<see cref="L2HintsInAddressOrder(nuint)"/>): rows of 1 KB and more, where the two lines of a block that per-row
    /// hints miss are a small part of it.
    /// </summary>
    /// <remarks>
    /// Both builds, one process each, `paired` (MSE, ÷ the 256-bit read-only pass, AVX-512 available; these D run the
    /// 256-bit kernel as 8 past a multiple of 16): per row → address order at D = 200 1.26 → 1.17; 248 1.29, 1.22 → 1.45,
    /// 1.24; 264 1.20, 1.24 → 1.31, 1.31; 392 1.25, 1.23 → 1.29, 1.24. The 512-bit kernel gained at every D measured up to
    /// 508 (300 1.65 → 1.37, 508 1.88 → 1.55) and has no such limit.
    /// </remarks>
    private const nuint AddressOrderLimit256 = 256;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool L2HintsInAddressOrder(nuint dimension) => dimension % 16 != 0 && !ProcessorVendor.IsIntel;

    /// <summary>
    /// The end of a wide float kernel after its blocks: the chunk again in the scalar kernel if a gradient sum is not
    /// finite (see the remarks of <see cref="SingleWide{TLoss, TWeighting, TArithmetic}"/>); otherwise the block sums of the loss
    /// and the residuals folded, and the leftover rows from <paramref name="row"/> one at a time.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ChunkSums SingleWideEnd<TLoss, TWeighting>(
        ref float features, ref float targets, ref float weights, ref double widened, int dimension, int rows, nuint row, double bias,
        Span<double> gradientSums, ref float residuals, bool writeResiduals, TLoss loss, ref float sampleWeights,
        Vector256<double> lossSums, Vector256<double> residualSum, Vector256<double> invalid)
        where TLoss : struct, IPointwiseLoss
        where TWeighting : struct, IRowWeighting
    {
        var d = (nuint)dimension;
        ref var g = ref MemoryMarshal.GetReference(gradientSums);
        var probe = Vector256<double>.Zero;
        var fullEnd = d & ~(nuint)3;
        for (nuint j = 0; j < fullEnd; j += 4)
        {
            probe += Vector256.LoadUnsafe(ref g, j) * Vector256<double>.Zero;
        }

        var scalarProbe = 0.0;
        for (var j = fullEnd; j < d; j++)
        {
            scalarProbe += Unsafe.Add(ref g, j) * 0.0;
        }

        if (!Vector256.EqualsAll(probe, Vector256<double>.Zero) || scalarProbe != 0.0)
        {
            return Scalar<float, SingleElements, TLoss, TWeighting>(ref features, ref targets, ref weights, dimension, rows, bias, gradientSums, ref residuals, writeResiduals, loss, ref sampleWeights);
        }

        var sums = default(ChunkSums);
        var pair = Avx.HorizontalAdd(lossSums, residualSum);
        var folded = pair.GetLower() + pair.GetUpper();
        sums.LossSum = folded.ToScalar();
        sums.DerivativeSum = folded.GetElement(1);

        var invalidRow = false;
        SingleWideRowsOneByOne<TLoss, TWeighting>(
            loss, ref features, ref widened, d, row, (nuint)rows, bias, ref targets, ref sampleWeights, ref residuals, writeResiduals, ref g, ref sums, ref invalidRow);
        if (invalidRow || invalid != Vector256<double>.Zero)
        {
            sums.LossSum = double.NaN;
        }

        return new ChunkSums { LossSum = sums.LossSum, DerivativeSum = sums.DerivativeSum };
    }

    /// <summary>
    /// The rows from <paramref name="row"/> to <paramref name="rows"/> one at a time (fewer than eight, after the blocks
    /// of the wide float kernels): η and Σ r·xⱼ in double, the weights already widened (<paramref name="weights"/>).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void SingleWideRowsOneByOne<TLoss, TWeighting>(
        TLoss loss, ref float features, ref double weights, nuint d, nuint row, nuint rows, double bias, ref float targets, ref float sampleWeights,
        ref float residuals, bool writeResiduals, ref double g, ref ChunkSums sums, ref bool invalidRow)
        where TLoss : struct, IPointwiseLoss
        where TWeighting : struct, IRowWeighting
    {
        const int Lanes = 8;
        var (fullEnd, last, hasTail, counted) = SplitColumns(d, Lanes);
        var lowerTail = Vector256.GreaterThanOrEqual(Vector256.Create(0L, 1L, 2L, 3L), Vector256.Create((long)counted)).AsDouble();
        var upperTail = Vector256.GreaterThanOrEqual(Vector256.Create(4L, 5L, 6L, 7L), Vector256.Create((long)counted)).AsDouble();
        for (; row < rows; row++)
        {
            ref var x = ref Unsafe.Add(ref features, row * d);
            var a = SingleDotRow(ref x, ref weights, fullEnd, last, hasTail, lowerTail, upperTail);
            sums.LossSum += OneRow<float, SingleElements, TLoss, TWeighting>(loss, Vector256.Sum(a) + bias, ref targets, ref sampleWeights, ref residuals, writeResiduals, row, ref invalidRow, out var r);
            sums.DerivativeSum += r;

            var s = Vector256.Create(r);
            for (nuint j = 0; j < fullEnd; j += Lanes)
            {
                Vector256.FusedMultiplyAdd(s, SingleElements.Load256(ref x, j), Vector256.LoadUnsafe(ref g, j)).StoreUnsafe(ref g, j);
                Vector256.FusedMultiplyAdd(s, SingleElements.Load256(ref x, j + 4), Vector256.LoadUnsafe(ref g, j + 4)).StoreUnsafe(ref g, j + 4);
            }

            if (hasTail)
            {
                (Vector256.LoadUnsafe(ref g, last) + ((s * SingleElements.Load256(ref x, last)) & lowerTail)).StoreUnsafe(ref g, last);
                (Vector256.LoadUnsafe(ref g, last + 4) + ((s * SingleElements.Load256(ref x, last + 4)) & upperTail)).StoreUnsafe(ref g, last + 4);
            }
        }
    }

    /// <summary>
    /// x·w over one float row in double, as a vector of four partial sums: the row's floats widened to double on load,
    /// the weights already widened (<paramref name="weights"/>); four accumulators (four FMA chains in flight); the
    /// column remainder as one overlapping vector of eight ending at D, the already-counted lanes masked off.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> SingleDotRow(
        ref float x, ref double weights, nuint fullEnd, nuint last, bool hasTail, Vector256<double> lowerTail, Vector256<double> upperTail)
    {
        const int Lanes = 8;
        nuint j = 0;
        Vector256<double> a = default, b = default, c = default, e = default;
        var pairEnd = fullEnd & ~(nuint)((2 * Lanes) - 1);
        for (; j < pairEnd; j += 2 * Lanes)
        {
            a = Vector256.FusedMultiplyAdd(SingleElements.Load256(ref x, j), Vector256.LoadUnsafe(ref weights, j), a);
            b = Vector256.FusedMultiplyAdd(SingleElements.Load256(ref x, j + 4), Vector256.LoadUnsafe(ref weights, j + 4), b);
            c = Vector256.FusedMultiplyAdd(SingleElements.Load256(ref x, j + 8), Vector256.LoadUnsafe(ref weights, j + 8), c);
            e = Vector256.FusedMultiplyAdd(SingleElements.Load256(ref x, j + 12), Vector256.LoadUnsafe(ref weights, j + 12), e);
        }

        if (j < fullEnd)
        {
            a = Vector256.FusedMultiplyAdd(SingleElements.Load256(ref x, j), Vector256.LoadUnsafe(ref weights, j), a);
            b = Vector256.FusedMultiplyAdd(SingleElements.Load256(ref x, j + 4), Vector256.LoadUnsafe(ref weights, j + 4), b);
        }

        if (hasTail)
        {
            // The product is masked, not w: an infinity in an already-counted lane times a zero weight would be NaN.
            c += (SingleElements.Load256(ref x, last) * Vector256.LoadUnsafe(ref weights, last)) & lowerTail;
            e += (SingleElements.Load256(ref x, last + 4) * Vector256.LoadUnsafe(ref weights, last + 4)) & upperTail;
        }

        return (a + b) + (c + e);
    }
}
