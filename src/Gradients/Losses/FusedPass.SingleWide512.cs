using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Gradients;

internal static partial class FusedPass
{
    /// <summary>
    /// The wide float kernel with 512-bit vectors (see <see cref="SingleWide{TLoss, TWeighting, TArithmetic}"/>): per block of eight
    /// rows and per sixteen columns, each row's sixteen floats widened by two conversions (eight floats each) and
    /// multiplied by the widened weights in double (one accumulator per row, the weights loaded once for the eight
    /// rows), and the previous block's sixteen gradient terms in float (<see cref="FloatBlock512"/>). One sweep instead
    /// of two phases keeps the memory stream going while the gradient terms are computed: the two-phase kernel it
    /// replaced (η of a group of rows, then its gradient terms from L1) measured 1.41–1.52× a 512-bit read-only pass at
    /// (100,000 × 128), this one 1.18–1.21× (thread CPU time, alternating runs). Software prefetch: each row's line
    /// 2 KB ahead into L1 (below 64 columns and on Intel: <see cref="L1HintApplies(nuint)"/>) and at least 16 KB (whole
    /// blocks) ahead into L2 (on Intel from D = 32 for every second row only).
    /// </summary>
    /// <remarks>
    /// With <typeparamref name="TArithmetic"/> = <see cref="FastSingleElements"/> (<see cref="FloatArithmetic.Fast"/>)
    /// each row's η over the steps of sixteen columns is summed in float, one FMA per sixteen floats instead of two
    /// conversions and two double FMAs, then its two halves added, widened and summed in double (the column remainder
    /// and everything after η as above). Each η is off by at most (⌈D/16⌉ + 1)·2⁻²⁴·Σⱼ|xⱼwⱼ|. A chunk whose gradient
    /// sums are not finite (η or a product past float's range among them) runs again in the scalar kernel, all in
    /// double, as in the default arithmetic.
    /// </remarks>
    [SkipLocalsInit]
    private static ChunkSums SingleWide512<TLoss, TWeighting, TArithmetic>(
        ref float features, ref float targets, ref float weights, int dimension, int rows, double bias,
        Span<double> gradientSums, ref float residuals, bool writeResiduals, TLoss loss, ref float sampleWeights)
        where TLoss : struct, IPointwiseLoss
        where TWeighting : struct, IRowWeighting
        where TArithmetic : struct, IDoubleLanes<float>
    {
        const int Lanes = 16;
        var d = (nuint)dimension;

        // Columns come in vectors of sixteen floats; the remainder is one overlapping vector ending at D whose lanes
        // below fullEnd (counted already) are masked off, in float for the gradient terms and in double for η. A
        // remainder of one to eight columns is one vector of eight floats ending at D (`shortTail`: one conversion,
        // one double FMA per row for η and eight-lane float chains for the gradient terms), whose first `counted` − 8
        // lanes are masked: the sixteen-lane vector's lower half would be all counted columns, masked whole. Kernel
        // time against the sixteen-lane remainder, both builds alternating in one process (51 MB of X, thread CPU
        // time): D = 17, 20, 24 −19 to −23 %, 40 −11 to −14 %, 72 −5 to −7 %, 136 −3 to −4 %; D = 16, 48 and 128 (no
        // remainder) unchanged. Nine to fifteen columns keep the sixteen-lane vector: an eight-float step and a masked
        // one would convert as many floats. See docs/benchmarks.md.
        var (fullEnd, last, hasTail, counted) = SplitColumns(d, Lanes);
        var shortTail = hasTail && counted >= 8;
        var last8 = d - 8;
        var floatTail = Vector512.GreaterThanOrEqual(Vector512.Create(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15), Vector512.Create(counted)).AsSingle();
        var lowerTail = Vector512.GreaterThanOrEqual(Vector512.Create(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L), Vector512.Create((long)counted)).AsDouble();
        var upperTail = Vector512.GreaterThanOrEqual(Vector512.Create(8L, 9L, 10L, 11L, 12L, 13L, 14L, 15L), Vector512.Create((long)counted)).AsDouble();
        var floatTail8 = floatTail.GetUpper();

        Span<double> widened = stackalloc double[dimension];
        TensorPrimitives.ConvertChecked<float, double>(MemoryMarshal.CreateReadOnlySpan(ref weights, dimension), widened);
        ref var wd = ref MemoryMarshal.GetReference(widened);

        gradientSums.Clear();
        ref var g = ref MemoryMarshal.GetReference(gradientSums);
        var bias4 = Vector256.Create(bias);
        var lossSums = Vector256<double>.Zero;
        var residualSum = Vector256<double>.Zero;
        var invalid = Vector256<double>.Zero;

        // Prefetch distances: 2 KB ahead into L1 (512 floats, not rounded to whole blocks) and at least 16 KB (whole
        // blocks) ahead into L2. With the L1 hints alone the lines in flight are bounded by L1's fill buffers; the
        // second hint, further ahead, has most lines in L2 by then (at (2,000,000 × 16) 1.27–1.31× a 512-bit read-only
        // pass without it, 1.17–1.19× with it). The L1 hint was whole blocks and at least 4 KB ahead until a harness
        // timed each call against a read-only pass in the same process, the distances switched between calls: at
        // (100,000 × 128), where a block is 4 KB, 1.44–1.47× with the hint a block ahead and 1.19–1.24× with it
        // 0.5–2.5 KB ahead (a row later in the same block, or the next block's first rows); at D = 16 1 to 4 KB
        // measured the same. By `ab-launch` (38 alternating rounds, loaded VM) 1.30 → 1.23× at (100,000 × 128).
        // See docs/benchmarks.md.
        var blockFloats = 8 * d;
        const nuint ahead = 512;
        var aheadL2 = ((4096 + blockFloats - 1) / blockFloats) * blockFloats;

        var hintEveryRow = L2HintOnEveryRow(d);
        var hintIntoL1 = L1HintApplies(d);
        var hintInOrder = L2HintsInAddressOrder(d);

        // The previous block's rows are 8·D floats before the current block's: `back` reaches them from the current
        // rows (unsigned wrap-around). The first block has no previous one: its residuals are zero and it adds
        // 0·x of its own rows (exact zeros, for finite X).
        Span<float> blockResiduals = stackalloc float[8];
        ref var rf = ref MemoryMarshal.GetReference(blockResiduals);
        var blocks = (nuint)rows / 8;
        nuint back = 0;
        Vector512<float> s0 = default, s1 = default, s2 = default, s3 = default, s4 = default, s5 = default, s6 = default, s7 = default;
        for (nuint block = 0; block < blocks; block++)
        {
            var at = block * 8;
            ref var x0 = ref Unsafe.Add(ref features, at * d);
            ref var x1 = ref Unsafe.Add(ref x0, d);
            ref var x2 = ref Unsafe.Add(ref x1, d);
            ref var x3 = ref Unsafe.Add(ref x2, d);
            ref var x4 = ref Unsafe.Add(ref x3, d);
            ref var x5 = ref Unsafe.Add(ref x4, d);
            ref var x6 = ref Unsafe.Add(ref x5, d);
            ref var x7 = ref Unsafe.Add(ref x6, d);
            Vector512<double> a0 = default, a1 = default, a2 = default, a3 = default, a4 = default, a5 = default, a6 = default, a7 = default;
            Vector512<float> f0 = default, f1 = default, f2 = default, f3 = default, f4 = default, f5 = default, f6 = default, f7 = default;
            for (nuint j = 0; j < fullEnd; j += Lanes)
            {
                if (hintIntoL1)
                {
                    Prefetch8(ref x0, ref x1, ref x2, ref x3, ref x4, ref x5, ref x6, ref x7, j + ahead);
                }

                if (hintInOrder)
                {
                    PrefetchEightLinesIntoL2(ref x0, (8 * j) + aheadL2);
                }
                else if (hintEveryRow)
                {
                    Prefetch8(ref x0, ref x1, ref x2, ref x3, ref x4, ref x5, ref x6, ref x7, j + aheadL2, intoL2: true);
                }
                else
                {
                    PrefetchEvenRowsIntoL2(ref x0, ref x2, ref x4, ref x6, j + aheadL2);
                }

                if (typeof(TArithmetic) == typeof(FastSingleElements))
                {
                    var wf = Vector512.LoadUnsafe(ref weights, j);
                    f0 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref x0, j), wf, f0);
                    f1 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref x1, j), wf, f1);
                    f2 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref x2, j), wf, f2);
                    f3 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref x3, j), wf, f3);
                    f4 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref x4, j), wf, f4);
                    f5 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref x5, j), wf, f5);
                    f6 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref x6, j), wf, f6);
                    f7 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref x7, j), wf, f7);
                }
                else
                {
                    var wl = Vector512.LoadUnsafe(ref wd, j);
                    var wu = Vector512.LoadUnsafe(ref wd, j + 8);
                    a0 = DotStep(ref x0, j, wl, wu, a0);
                    a1 = DotStep(ref x1, j, wl, wu, a1);
                    a2 = DotStep(ref x2, j, wl, wu, a2);
                    a3 = DotStep(ref x3, j, wl, wu, a3);
                    a4 = DotStep(ref x4, j, wl, wu, a4);
                    a5 = DotStep(ref x5, j, wl, wu, a5);
                    a6 = DotStep(ref x6, j, wl, wu, a6);
                    a7 = DotStep(ref x7, j, wl, wu, a7);
                }

                var terms = FloatBlock512(s0, s1, s2, s3, s4, s5, s6, s7, ref x0, ref x1, ref x2, ref x3, ref x4, ref x5, ref x6, ref x7, j + back);
                AddWidened(terms, ref g, j);
            }

            if (typeof(TArithmetic) == typeof(FastSingleElements))
            {
                (a0, a1, a2, a3) = (WidenedSum(f0), WidenedSum(f1), WidenedSum(f2), WidenedSum(f3));
                (a4, a5, a6, a7) = (WidenedSum(f4), WidenedSum(f5), WidenedSum(f6), WidenedSum(f7));
            }

            if (hintInOrder)
            {
                PrefetchLinesIntoL2(ref x0, aheadL2 + (8 * fullEnd), aheadL2 + blockFloats);
            }

            if (hasTail)
            {
                if (shortTail)
                {
                    // Lane t of the eight-float vector is column D − 8 + t, the lane the sixteen-lane vector's upper half
                    // gave it, so η's sums and the gradient terms are the ones that vector computed.
                    var wt = Vector512.LoadUnsafe(ref wd, last8);
                    a0 = DotStepMasked8(ref x0, last8, wt, upperTail, a0);
                    a1 = DotStepMasked8(ref x1, last8, wt, upperTail, a1);
                    a2 = DotStepMasked8(ref x2, last8, wt, upperTail, a2);
                    a3 = DotStepMasked8(ref x3, last8, wt, upperTail, a3);
                    a4 = DotStepMasked8(ref x4, last8, wt, upperTail, a4);
                    a5 = DotStepMasked8(ref x5, last8, wt, upperTail, a5);
                    a6 = DotStepMasked8(ref x6, last8, wt, upperTail, a6);
                    a7 = DotStepMasked8(ref x7, last8, wt, upperTail, a7);
                    var terms = FloatBlock8(s0, s1, s2, s3, s4, s5, s6, s7, ref x0, ref x1, ref x2, ref x3, ref x4, ref x5, ref x6, ref x7, last8 + back) & floatTail8;
                    AddWidened8(terms, ref g, last8);
                }
                else
                {
                    var wl = Vector512.LoadUnsafe(ref wd, last);
                    var wu = Vector512.LoadUnsafe(ref wd, last + 8);
                    a0 = DotStepMasked(ref x0, last, wl, wu, lowerTail, upperTail, a0);
                    a1 = DotStepMasked(ref x1, last, wl, wu, lowerTail, upperTail, a1);
                    a2 = DotStepMasked(ref x2, last, wl, wu, lowerTail, upperTail, a2);
                    a3 = DotStepMasked(ref x3, last, wl, wu, lowerTail, upperTail, a3);
                    a4 = DotStepMasked(ref x4, last, wl, wu, lowerTail, upperTail, a4);
                    a5 = DotStepMasked(ref x5, last, wl, wu, lowerTail, upperTail, a5);
                    a6 = DotStepMasked(ref x6, last, wl, wu, lowerTail, upperTail, a6);
                    a7 = DotStepMasked(ref x7, last, wl, wu, lowerTail, upperTail, a7);
                    var terms = FloatBlock512(s0, s1, s2, s3, s4, s5, s6, s7, ref x0, ref x1, ref x2, ref x3, ref x4, ref x5, ref x6, ref x7, last + back) & floatTail;
                    AddWidened(terms, ref g, last);
                }
            }

            var eta = SumEach8(a0, a1, a2, a3, a4, a5, a6, a7);
            var rA = FourRows<float, SingleElements, TLoss, TWeighting>(loss, eta.GetLower() + bias4, ref targets, ref sampleWeights, ref residuals, writeResiduals, at, ref lossSums, ref invalid);
            var rB = FourRows<float, SingleElements, TLoss, TWeighting>(loss, eta.GetUpper() + bias4, ref targets, ref sampleWeights, ref residuals, writeResiduals, at + 4, ref lossSums, ref invalid);
            residualSum += rA + rB;

            // The residuals in float go through memory: a broadcast from memory is a load, one from a register a shuffle.
            Avx.ConvertToVector128Single(rA).StoreUnsafe(ref rf);
            Avx.ConvertToVector128Single(rB).StoreUnsafe(ref rf, 4);
            (s0, s1, s2, s3) = (Vector512.Create(rf), Vector512.Create(Unsafe.Add(ref rf, 1)), Vector512.Create(Unsafe.Add(ref rf, 2)), Vector512.Create(Unsafe.Add(ref rf, 3)));
            (s4, s5, s6, s7) = (Vector512.Create(Unsafe.Add(ref rf, 4)), Vector512.Create(Unsafe.Add(ref rf, 5)), Vector512.Create(Unsafe.Add(ref rf, 6)), Vector512.Create(Unsafe.Add(ref rf, 7)));
            back = unchecked(0 - blockFloats);
        }

        // The last block's gradient terms.
        if (blocks > 0)
        {
            ref var x0 = ref Unsafe.Add(ref features, (blocks - 1) * blockFloats);
            ref var x1 = ref Unsafe.Add(ref x0, d);
            ref var x2 = ref Unsafe.Add(ref x1, d);
            ref var x3 = ref Unsafe.Add(ref x2, d);
            ref var x4 = ref Unsafe.Add(ref x3, d);
            ref var x5 = ref Unsafe.Add(ref x4, d);
            ref var x6 = ref Unsafe.Add(ref x5, d);
            ref var x7 = ref Unsafe.Add(ref x6, d);
            for (nuint j = 0; j < fullEnd; j += Lanes)
            {
                var terms = FloatBlock512(s0, s1, s2, s3, s4, s5, s6, s7, ref x0, ref x1, ref x2, ref x3, ref x4, ref x5, ref x6, ref x7, j);
                AddWidened(terms, ref g, j);
            }

            if (hasTail)
            {
                if (shortTail)
                {
                    var terms = FloatBlock8(s0, s1, s2, s3, s4, s5, s6, s7, ref x0, ref x1, ref x2, ref x3, ref x4, ref x5, ref x6, ref x7, last8) & floatTail8;
                    AddWidened8(terms, ref g, last8);
                }
                else
                {
                    var terms = FloatBlock512(s0, s1, s2, s3, s4, s5, s6, s7, ref x0, ref x1, ref x2, ref x3, ref x4, ref x5, ref x6, ref x7, last) & floatTail;
                    AddWidened(terms, ref g, last);
                }
            }
        }

        return SingleWideEnd<TLoss, TWeighting>(
            ref features, ref targets, ref weights, ref wd, dimension, rows, blocks * 8, bias, gradientSums, ref residuals, writeResiduals, loss, ref sampleWeights,
            lossSums, residualSum, invalid);
    }

    /// <summary>The two halves of a float accumulator added (in float) and widened: eight lanes whose sum is the accumulator's.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<double> WidenedSum(Vector512<float> sum) => Avx512F.ConvertToVector512Double(sum.GetLower() + sum.GetUpper());

    /// <summary>Adds the products of sixteen floats of a row (from <paramref name="column"/>) and their widened weights to <paramref name="sum"/>, in double.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<double> DotStep(ref float x, nuint column, Vector512<double> lower, Vector512<double> upper, Vector512<double> sum)
    {
        sum = Vector512.FusedMultiplyAdd(Avx512F.ConvertToVector512Double(Vector256.LoadUnsafe(ref x, column)), lower, sum);
        return Vector512.FusedMultiplyAdd(Avx512F.ConvertToVector512Double(Vector256.LoadUnsafe(ref x, column + 8)), upper, sum);
    }

    /// <summary><see cref="DotStep"/> over the row's last sixteen columns, the lanes counted already masked off.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<double> DotStepMasked(
        ref float x, nuint column, Vector512<double> lower, Vector512<double> upper, Vector512<double> lowerMask, Vector512<double> upperMask, Vector512<double> sum)
    {
        // The products are masked, not w: an infinity in an already-counted lane times a zero weight would be NaN.
        sum += (Avx512F.ConvertToVector512Double(Vector256.LoadUnsafe(ref x, column)) * lower) & lowerMask;
        return sum + ((Avx512F.ConvertToVector512Double(Vector256.LoadUnsafe(ref x, column + 8)) * upper) & upperMask);
    }

    /// <summary>
    /// The products of a row's eight floats from <paramref name="column"/> and their widened weights, the lanes counted
    /// already masked off, added to <paramref name="sum"/> in double (the upper half of <see cref="DotStepMasked"/>:
    /// each product is exact in double, so the sums are the ones the sixteen-lane step gives).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<double> DotStepMasked8(ref float x, nuint column, Vector512<double> weights, Vector512<double> mask, Vector512<double> sum) =>
        sum + ((Avx512F.ConvertToVector512Double(Vector256.LoadUnsafe(ref x, column)) * weights) & mask);

    /// <summary>
    /// The sums of the lanes of eight vectors, as one vector [Σa₀, Σa₁, …, Σa₇]: a transposing tree of three levels, each
    /// adding a blend of a pair of vectors (any vector port) to one shuffle of it (port 5 on Intel): 7 shuffles, 7 blends
    /// and 7 additions, against about 18 shuffles for the eight 256-bit halves and two four-vector transposes.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<double> SumEach8(
        Vector512<double> a0, Vector512<double> a1, Vector512<double> a2, Vector512<double> a3,
        Vector512<double> a4, Vector512<double> a5, Vector512<double> a6, Vector512<double> a7)
    {
        // The pairing puts row i's sum in lane i: level 1 sends its first vector to lanes 0…3, level 2 its first
        // vector's halves to lanes 0, 1 and 4, 5, level 3 its first vector to the even lanes.
        var upper = Vector512.Create(0L, 0L, 0L, 0L, -1L, -1L, -1L, -1L).AsDouble();
        var p04 = Vector512.ConditionalSelect(upper, a4, a0) + Avx512F.Shuffle4x128(a0, a4, 0b01_00_11_10);
        var p26 = Vector512.ConditionalSelect(upper, a6, a2) + Avx512F.Shuffle4x128(a2, a6, 0b01_00_11_10);
        var p15 = Vector512.ConditionalSelect(upper, a5, a1) + Avx512F.Shuffle4x128(a1, a5, 0b01_00_11_10);
        var p37 = Vector512.ConditionalSelect(upper, a7, a3) + Avx512F.Shuffle4x128(a3, a7, 0b01_00_11_10);

        // [x₀ x₁ x₂ x₃ | y₀ y₁ y₂ y₃] and [z… | t…] to [x₀+x₂ x₁+x₃ z₂+z₀ z₃+z₁ | y… t…].
        var pairs = Vector512.Create(0L, 0L, -1L, -1L, 0L, 0L, -1L, -1L).AsDouble();
        var crossed = Vector512.Create(2L, 3L, 8L, 9L, 6L, 7L, 12L, 13L);
        var q0246 = Vector512.ConditionalSelect(pairs, p26, p04) + Avx512F.PermuteVar8x64x2(p04, crossed, p26);
        var q1357 = Vector512.ConditionalSelect(pairs, p37, p15) + Avx512F.PermuteVar8x64x2(p15, crossed, p37);

        var odd = Vector512.Create(0L, -1L, 0L, -1L, 0L, -1L, 0L, -1L).AsDouble();
        return Vector512.ConditionalSelect(odd, q1357, q0246) + Avx512F.Shuffle(q0246, q1357, 0b01_01_01_01);
    }

    /// <summary>Sixteen float block sums widened (exactly) and added to the double gradient sums from <paramref name="column"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddWidened(Vector512<float> terms, ref double g, nuint column)
    {
        (Vector512.LoadUnsafe(ref g, column) + Avx512F.ConvertToVector512Double(terms.GetLower())).StoreUnsafe(ref g, column);
        (Vector512.LoadUnsafe(ref g, column + 8) + Avx512F.ConvertToVector512Double(terms.GetUpper())).StoreUnsafe(ref g, column + 8);
    }

    /// <summary>Eight float block sums widened (exactly) and added to the double gradient sums from <paramref name="column"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddWidened8(Vector256<float> terms, ref double g, nuint column) =>
        (Vector512.LoadUnsafe(ref g, column) + Avx512F.ConvertToVector512Double(terms)).StoreUnsafe(ref g, column);

    /// <summary>
    /// Prefetches the line <paramref name="offset"/> floats past each of eight rows, into L1 (<c>prefetcht0</c>) or, for
    /// a line further ahead, into L2 (<c>prefetcht1</c>; <paramref name="intoL2"/> is a constant at every call, so the
    /// choice is made when the kernel is compiled). The address is a hint only: a prefetch never faults, past the end of
    /// X or after the collector moved it.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Prefetch8(ref float x0, ref float x1, ref float x2, ref float x3, ref float x4, ref float x5, ref float x6, ref float x7, nuint offset, bool intoL2 = false)
    {
        PrefetchLine(ref Unsafe.Add(ref x0, offset), intoL2);
        PrefetchLine(ref Unsafe.Add(ref x1, offset), intoL2);
        PrefetchLine(ref Unsafe.Add(ref x2, offset), intoL2);
        PrefetchLine(ref Unsafe.Add(ref x3, offset), intoL2);
        PrefetchLine(ref Unsafe.Add(ref x4, offset), intoL2);
        PrefetchLine(ref Unsafe.Add(ref x5, offset), intoL2);
        PrefetchLine(ref Unsafe.Add(ref x6, offset), intoL2);
        PrefetchLine(ref Unsafe.Add(ref x7, offset), intoL2);
    }

    /// <summary>
    /// The L2 hint (<c>prefetcht1</c>) for the eight lines from <paramref name="offset"/> floats past
    /// <paramref name="start"/>: 128 floats in address order (see <see cref="L2HintsInAddressOrder(nuint)"/>).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void PrefetchEightLinesIntoL2(ref float start, nuint offset)
    {
        ref var at = ref Unsafe.Add(ref start, offset);
        Prefetch8(ref at, ref Unsafe.Add(ref at, 16), ref Unsafe.Add(ref at, 32), ref Unsafe.Add(ref at, 48), ref Unsafe.Add(ref at, 64), ref Unsafe.Add(ref at, 80), ref Unsafe.Add(ref at, 96), ref Unsafe.Add(ref at, 112), 0, intoL2: true);
    }

    /// <summary>
    /// The L2 hint for every line from <paramref name="from"/> floats past <paramref name="start"/> through the line
    /// that holds float <paramref name="through"/>, in address order (the end of a block that the steps of sixteen
    /// columns did not reach; at most nine lines).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void PrefetchLinesIntoL2(ref float start, nuint from, nuint through)
    {
        for (var k = from; k <= through; k += 16)
        {
            PrefetchLine(ref Unsafe.Add(ref start, k), intoL2: true);
        }
    }

    /// <summary>The L2 hint (<c>prefetcht1</c>) for the line <paramref name="offset"/> floats past rows 0, 2, 4 and 6 of a block.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void PrefetchEvenRowsIntoL2(ref float x0, ref float x2, ref float x4, ref float x6, nuint offset)
    {
        PrefetchLine(ref Unsafe.Add(ref x0, offset), intoL2: true);
        PrefetchLine(ref Unsafe.Add(ref x2, offset), intoL2: true);
        PrefetchLine(ref Unsafe.Add(ref x4, offset), intoL2: true);
        PrefetchLine(ref Unsafe.Add(ref x6, offset), intoL2: true);
    }

    /// <summary>
    /// Σᵢ sᵢ·xᵢ over a block of eight rows at <paramref name="column"/> (sixteen lanes), in float: rows 0, 2, 4, 6 in
    /// one FMA chain, 1, 3, 5, 7 in another, added at the end (the chains of <c>FloatBlock</c>, so the same error bound).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> FloatBlock512(
        Vector512<float> s0, Vector512<float> s1, Vector512<float> s2, Vector512<float> s3,
        Vector512<float> s4, Vector512<float> s5, Vector512<float> s6, Vector512<float> s7,
        ref float x0, ref float x1, ref float x2, ref float x3, ref float x4, ref float x5, ref float x6, ref float x7, nuint column)
    {
        var a = s0 * Vector512.LoadUnsafe(ref x0, column);
        var b = s1 * Vector512.LoadUnsafe(ref x1, column);
        a = Vector512.FusedMultiplyAdd(s2, Vector512.LoadUnsafe(ref x2, column), a);
        b = Vector512.FusedMultiplyAdd(s3, Vector512.LoadUnsafe(ref x3, column), b);
        a = Vector512.FusedMultiplyAdd(s4, Vector512.LoadUnsafe(ref x4, column), a);
        b = Vector512.FusedMultiplyAdd(s5, Vector512.LoadUnsafe(ref x5, column), b);
        a = Vector512.FusedMultiplyAdd(s6, Vector512.LoadUnsafe(ref x6, column), a);
        b = Vector512.FusedMultiplyAdd(s7, Vector512.LoadUnsafe(ref x7, column), b);
        return a + b;
    }

    /// <summary>
    /// <see cref="FloatBlock512"/> over eight lanes (<paramref name="column"/> to <paramref name="column"/> + 7): the same
    /// two chains per lane, so the same sums lane by lane and the same error bound.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> FloatBlock8(
        Vector512<float> s0, Vector512<float> s1, Vector512<float> s2, Vector512<float> s3,
        Vector512<float> s4, Vector512<float> s5, Vector512<float> s6, Vector512<float> s7,
        ref float x0, ref float x1, ref float x2, ref float x3, ref float x4, ref float x5, ref float x6, ref float x7, nuint column)
    {
        var a = s0.GetLower() * Vector256.LoadUnsafe(ref x0, column);
        var b = s1.GetLower() * Vector256.LoadUnsafe(ref x1, column);
        a = Vector256.FusedMultiplyAdd(s2.GetLower(), Vector256.LoadUnsafe(ref x2, column), a);
        b = Vector256.FusedMultiplyAdd(s3.GetLower(), Vector256.LoadUnsafe(ref x3, column), b);
        a = Vector256.FusedMultiplyAdd(s4.GetLower(), Vector256.LoadUnsafe(ref x4, column), a);
        b = Vector256.FusedMultiplyAdd(s5.GetLower(), Vector256.LoadUnsafe(ref x5, column), b);
        a = Vector256.FusedMultiplyAdd(s6.GetLower(), Vector256.LoadUnsafe(ref x6, column), a);
        b = Vector256.FusedMultiplyAdd(s7.GetLower(), Vector256.LoadUnsafe(ref x7, column), b);
        return a + b;
    }
}
