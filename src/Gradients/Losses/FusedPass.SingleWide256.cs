using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Gradients;

internal static partial class FusedPass
{
    /// <summary>
    /// The wide float kernel with 256-bit vectors (no AVX-512; see <see cref="SingleWide{TLoss, TWeighting, TArithmetic}"/>): the
    /// sweep of <see cref="SingleWide512{TLoss, TWeighting, TArithmetic}"/> eight columns at a time, each four floats widened by one
    /// conversion. With sixteen vector registers the eight accumulators, two weight vectors and the float chains leave
    /// no room for the eight broadcast residuals, so the gradient terms broadcast them from memory (a load each, not a
    /// spill). Against the two-phase kernel it replaced, with AVX-512 off at (100,000 × 128): 1.21–1.31× a 256-bit
    /// read-only pass against 1.41–1.46× (thread CPU time, alternating runs on a loaded machine).
    /// </summary>
    private static ChunkSums SingleWide256<TLoss, TWeighting, TArithmetic>(
        ref float features, ref float targets, ref float weights, int dimension, int rows, double bias,
        Span<double> gradientSums, ref float residuals, bool writeResiduals, TLoss loss, ref float sampleWeights)
        where TLoss : struct, IPointwiseLoss
        where TWeighting : struct, IRowWeighting
        where TArithmetic : struct, IDoubleLanes<float> =>
        (dimension % 8) switch
        {
            0 => SingleWide256<TLoss, TWeighting, NoColumnTail, TArithmetic>(ref features, ref targets, ref weights, dimension, rows, bias, gradientSums, ref residuals, writeResiduals, loss, ref sampleWeights),
            <= 4 => SingleWide256<TLoss, TWeighting, ShortColumnTail, TArithmetic>(ref features, ref targets, ref weights, dimension, rows, bias, gradientSums, ref residuals, writeResiduals, loss, ref sampleWeights),
            _ => SingleWide256<TLoss, TWeighting, OverlappingColumnTail, TArithmetic>(ref features, ref targets, ref weights, dimension, rows, bias, gradientSums, ref residuals, writeResiduals, loss, ref sampleWeights),
        };

    /// <summary>
    /// <see cref="SingleWide256{TLoss, TWeighting, TArithmetic}"/> for one way of finishing a row (<typeparamref name="TTail"/>: no
    /// remainder of eight, one to four columns, five to seven), each compiled on its own: with the remainder a run-time
    /// choice inside one kernel, D = 16 and 24 (no remainder) measured 1–4 % slower than before the four-column step
    /// existed (AVX-512 off, both builds in one process). With <typeparamref name="TArithmetic"/> =
    /// <see cref="FastSingleElements"/> (<see cref="FloatArithmetic.Fast"/>) each row's η over the steps of eight columns
    /// is summed in float, one FMA per eight floats instead of two conversions and two double FMAs, then its halves
    /// added, widened and summed in double (the column remainder and everything after η as in the default): each η
    /// off by at most (⌈D/8⌉ + 1)·2⁻²⁴·Σⱼ|xⱼwⱼ|.
    /// </summary>
    [SkipLocalsInit]
    private static ChunkSums SingleWide256<TLoss, TWeighting, TTail, TArithmetic>(
        ref float features, ref float targets, ref float weights, int dimension, int rows, double bias,
        Span<double> gradientSums, ref float residuals, bool writeResiduals, TLoss loss, ref float sampleWeights)
        where TLoss : struct, IPointwiseLoss
        where TWeighting : struct, IRowWeighting
        where TTail : struct, IColumnTail
        where TArithmetic : struct, IDoubleLanes<float>
    {
        const int Lanes = 8;
        var d = (nuint)dimension;
        // A remainder of one to four columns is one vector of four floats ending at D (ShortColumnTail), the lanes counted
        // already masked: the overlapping eight-lane vector's lower half would be all counted columns (as in
        // SingleWide512 with eight floats for sixteen). Kernel time, AVX-512 off, against the eight-lane remainder, both
        // builds alternating in one process (51 MB of X, thread CPU time): D = 17, 20 −10 to −13 %, 28 −7 to −11 %, 36,
        // 44, 68 −3 to −6 %; D = 21 (five columns) unchanged. See docs/benchmarks.md.
        var (fullEnd, last, _, counted) = SplitColumns(d, Lanes);
        var last4 = d - 4;
        var floatTail = Vector256.GreaterThanOrEqual(Vector256.Create(0, 1, 2, 3, 4, 5, 6, 7), Vector256.Create(counted)).AsSingle();
        var lowerTail = Vector256.GreaterThanOrEqual(Vector256.Create(0L, 1L, 2L, 3L), Vector256.Create((long)counted)).AsDouble();
        var upperTail = Vector256.GreaterThanOrEqual(Vector256.Create(4L, 5L, 6L, 7L), Vector256.Create((long)counted)).AsDouble();
        var floatTail4 = floatTail.GetUpper();

        Span<double> widened = stackalloc double[dimension];
        TensorPrimitives.ConvertChecked<float, double>(MemoryMarshal.CreateReadOnlySpan(ref weights, dimension), widened);
        ref var wd = ref MemoryMarshal.GetReference(widened);

        gradientSums.Clear();
        ref var g = ref MemoryMarshal.GetReference(gradientSums);
        var bias4 = Vector256.Create(bias);
        var lossSums = Vector256<double>.Zero;
        var residualSum = Vector256<double>.Zero;
        var invalid = Vector256<double>.Zero;
        Span<float> blockResiduals = stackalloc float[8];
        blockResiduals.Clear();
        ref var rf = ref MemoryMarshal.GetReference(blockResiduals);

        // Prefetch each row's line whole blocks, at least 4 KB, ahead into L1 (see L1HintApplies), and at least 16 KB
        // ahead into L2 (see L2HintOnEveryRow and L2HintsInAddressOrder), once per sixteen columns (a line).
        var blockFloats = 8 * d;
        var ahead = ((1024 + blockFloats - 1) / blockFloats) * blockFloats;
        var aheadL2 = ((4096 + blockFloats - 1) / blockFloats) * blockFloats;
        var hintEveryRow = L2HintOnEveryRow(d);
        var hintIntoL1 = L1HintApplies(d);
        var hintInOrder = L2HintsInAddressOrder(d) && d < AddressOrderLimit256;

        // The previous block's rows are 8·D floats before the current block's (`back`, unsigned wrap-around); the first
        // block adds 0·x of its own rows (the residual buffer starts at zero).
        var blocks = (nuint)rows / 8;
        nuint back = 0;
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
            Vector256<double> a0 = default, a1 = default, a2 = default, a3 = default, a4 = default, a5 = default, a6 = default, a7 = default;
            Vector256<float> f0 = default, f1 = default, f2 = default, f3 = default, f4 = default, f5 = default, f6 = default, f7 = default;
            for (nuint j = 0; j < fullEnd; j += Lanes)
            {
                if ((j & Lanes) == 0)
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
                }

                if (typeof(TArithmetic) == typeof(FastSingleElements))
                {
                    var wf = Vector256.LoadUnsafe(ref weights, j);
                    f0 = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref x0, j), wf, f0);
                    f1 = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref x1, j), wf, f1);
                    f2 = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref x2, j), wf, f2);
                    f3 = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref x3, j), wf, f3);
                    f4 = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref x4, j), wf, f4);
                    f5 = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref x5, j), wf, f5);
                    f6 = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref x6, j), wf, f6);
                    f7 = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref x7, j), wf, f7);
                }
                else
                {
                    var wl = Vector256.LoadUnsafe(ref wd, j);
                    var wu = Vector256.LoadUnsafe(ref wd, j + 4);
                    a0 = DotStep256(ref x0, j, wl, wu, a0);
                    a1 = DotStep256(ref x1, j, wl, wu, a1);
                    a2 = DotStep256(ref x2, j, wl, wu, a2);
                    a3 = DotStep256(ref x3, j, wl, wu, a3);
                    a4 = DotStep256(ref x4, j, wl, wu, a4);
                    a5 = DotStep256(ref x5, j, wl, wu, a5);
                    a6 = DotStep256(ref x6, j, wl, wu, a6);
                    a7 = DotStep256(ref x7, j, wl, wu, a7);
                }

                var terms = FloatBlockFromMemory(ref rf, ref x0, ref x1, ref x2, ref x3, ref x4, ref x5, ref x6, ref x7, j + back);
                AddWidened256(terms, ref g, j);
            }

            if (typeof(TArithmetic) == typeof(FastSingleElements))
            {
                (a0, a1, a2, a3) = (WidenedSum(f0), WidenedSum(f1), WidenedSum(f2), WidenedSum(f3));
                (a4, a5, a6, a7) = (WidenedSum(f4), WidenedSum(f5), WidenedSum(f6), WidenedSum(f7));
            }

            if (hintInOrder)
            {
                // The steps that gave hints (every second one: j a multiple of 16) reached 8·16·⌈fullEnd/16⌉ floats.
                PrefetchLinesIntoL2(ref x0, aheadL2 + (8 * ((fullEnd + 15) & ~(nuint)15)), aheadL2 + blockFloats);
            }

            if (TTail.HasTail)
            {
                if (TTail.IsShort)
                {
                    // Lane t is column D − 4 + t, the lane the eight-lane vector's upper half gave it: the same sums.
                    var wt = Vector256.LoadUnsafe(ref wd, last4);
                    a0 = DotStepMasked4(ref x0, last4, wt, upperTail, a0);
                    a1 = DotStepMasked4(ref x1, last4, wt, upperTail, a1);
                    a2 = DotStepMasked4(ref x2, last4, wt, upperTail, a2);
                    a3 = DotStepMasked4(ref x3, last4, wt, upperTail, a3);
                    a4 = DotStepMasked4(ref x4, last4, wt, upperTail, a4);
                    a5 = DotStepMasked4(ref x5, last4, wt, upperTail, a5);
                    a6 = DotStepMasked4(ref x6, last4, wt, upperTail, a6);
                    a7 = DotStepMasked4(ref x7, last4, wt, upperTail, a7);
                    var terms = FloatBlockFromMemory4(ref rf, ref x0, ref x1, ref x2, ref x3, ref x4, ref x5, ref x6, ref x7, last4 + back) & floatTail4;
                    AddWidened4(terms, ref g, last4);
                }
                else
                {
                    var wl = Vector256.LoadUnsafe(ref wd, last);
                    var wu = Vector256.LoadUnsafe(ref wd, last + 4);
                    a0 = DotStepMasked256(ref x0, last, wl, wu, lowerTail, upperTail, a0);
                    a1 = DotStepMasked256(ref x1, last, wl, wu, lowerTail, upperTail, a1);
                    a2 = DotStepMasked256(ref x2, last, wl, wu, lowerTail, upperTail, a2);
                    a3 = DotStepMasked256(ref x3, last, wl, wu, lowerTail, upperTail, a3);
                    a4 = DotStepMasked256(ref x4, last, wl, wu, lowerTail, upperTail, a4);
                    a5 = DotStepMasked256(ref x5, last, wl, wu, lowerTail, upperTail, a5);
                    a6 = DotStepMasked256(ref x6, last, wl, wu, lowerTail, upperTail, a6);
                    a7 = DotStepMasked256(ref x7, last, wl, wu, lowerTail, upperTail, a7);
                    var terms = FloatBlockFromMemory(ref rf, ref x0, ref x1, ref x2, ref x3, ref x4, ref x5, ref x6, ref x7, last + back) & floatTail;
                    AddWidened256(terms, ref g, last);
                }
            }

            var etaA = TransposeAdd4(a0, a1, a2, a3);
            var etaB = TransposeAdd4(a4, a5, a6, a7);
            var rA = FourRows<float, SingleElements, TLoss, TWeighting>(loss, etaA + bias4, ref targets, ref sampleWeights, ref residuals, writeResiduals, at, ref lossSums, ref invalid);
            var rB = FourRows<float, SingleElements, TLoss, TWeighting>(loss, etaB + bias4, ref targets, ref sampleWeights, ref residuals, writeResiduals, at + 4, ref lossSums, ref invalid);
            residualSum += rA + rB;
            Vector256.Create(Avx.ConvertToVector128Single(rA), Avx.ConvertToVector128Single(rB)).StoreUnsafe(ref rf);
            back = unchecked(0 - blockFloats);
        }

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
                var terms = FloatBlockFromMemory(ref rf, ref x0, ref x1, ref x2, ref x3, ref x4, ref x5, ref x6, ref x7, j);
                AddWidened256(terms, ref g, j);
            }

            if (TTail.HasTail)
            {
                if (TTail.IsShort)
                {
                    var terms = FloatBlockFromMemory4(ref rf, ref x0, ref x1, ref x2, ref x3, ref x4, ref x5, ref x6, ref x7, last4) & floatTail4;
                    AddWidened4(terms, ref g, last4);
                }
                else
                {
                    var terms = FloatBlockFromMemory(ref rf, ref x0, ref x1, ref x2, ref x3, ref x4, ref x5, ref x6, ref x7, last) & floatTail;
                    AddWidened256(terms, ref g, last);
                }
            }
        }

        return SingleWideEnd<TLoss, TWeighting>(
            ref features, ref targets, ref weights, ref wd, dimension, rows, blocks * 8, bias, gradientSums, ref residuals, writeResiduals, loss, ref sampleWeights,
            lossSums, residualSum, invalid);
    }

    /// <summary>The two halves of a float accumulator added (in float) and widened: four lanes whose sum is the accumulator's.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> WidenedSum(Vector256<float> sum) => Avx.ConvertToVector256Double(sum.GetLower() + sum.GetUpper());

    /// <summary>Adds the products of eight floats of a row (from <paramref name="column"/>) and their widened weights to <paramref name="sum"/>, in double.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> DotStep256(ref float x, nuint column, Vector256<double> lower, Vector256<double> upper, Vector256<double> sum)
    {
        sum = Vector256.FusedMultiplyAdd(SingleElements.Load256(ref x, column), lower, sum);
        return Vector256.FusedMultiplyAdd(SingleElements.Load256(ref x, column + 4), upper, sum);
    }

    /// <summary><see cref="DotStep256"/> over the row's last eight columns, the lanes counted already masked off (the products, not w: ∞·0 would be NaN).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> DotStepMasked256(
        ref float x, nuint column, Vector256<double> lower, Vector256<double> upper, Vector256<double> lowerMask, Vector256<double> upperMask, Vector256<double> sum)
    {
        sum += (SingleElements.Load256(ref x, column) * lower) & lowerMask;
        return sum + ((SingleElements.Load256(ref x, column + 4) * upper) & upperMask);
    }

    /// <summary>
    /// The products of the row's four floats at <paramref name="column"/> (the last four, a short remainder) and their
    /// widened weights added to <paramref name="sum"/>, the lanes counted already masked off (as SingleWide512's
    /// <c>DotStepMasked8</c>).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> DotStepMasked4(ref float x, nuint column, Vector256<double> weights, Vector256<double> mask, Vector256<double> sum) =>
        sum + ((SingleElements.Load256(ref x, column) * weights) & mask);

    /// <summary>Eight float block sums widened (exactly) and added to the double gradient sums from <paramref name="column"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddWidened256(Vector256<float> terms, ref double g, nuint column)
    {
        (Vector256.LoadUnsafe(ref g, column) + Avx.ConvertToVector256Double(terms.GetLower())).StoreUnsafe(ref g, column);
        (Vector256.LoadUnsafe(ref g, column + 4) + Avx.ConvertToVector256Double(terms.GetUpper())).StoreUnsafe(ref g, column + 4);
    }

    /// <summary>
    /// <c>FloatBlock</c> (the same two chains, so the same error bound) with the eight residuals broadcast from
    /// <paramref name="r"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> FloatBlockFromMemory(
        ref float r, ref float x0, ref float x1, ref float x2, ref float x3, ref float x4, ref float x5, ref float x6, ref float x7, nuint column)
    {
        var a = Vector256.Create(r) * Vector256.LoadUnsafe(ref x0, column);
        var b = Vector256.Create(Unsafe.Add(ref r, 1)) * Vector256.LoadUnsafe(ref x1, column);
        a = Vector256.FusedMultiplyAdd(Vector256.Create(Unsafe.Add(ref r, 2)), Vector256.LoadUnsafe(ref x2, column), a);
        b = Vector256.FusedMultiplyAdd(Vector256.Create(Unsafe.Add(ref r, 3)), Vector256.LoadUnsafe(ref x3, column), b);
        a = Vector256.FusedMultiplyAdd(Vector256.Create(Unsafe.Add(ref r, 4)), Vector256.LoadUnsafe(ref x4, column), a);
        b = Vector256.FusedMultiplyAdd(Vector256.Create(Unsafe.Add(ref r, 5)), Vector256.LoadUnsafe(ref x5, column), b);
        a = Vector256.FusedMultiplyAdd(Vector256.Create(Unsafe.Add(ref r, 6)), Vector256.LoadUnsafe(ref x6, column), a);
        b = Vector256.FusedMultiplyAdd(Vector256.Create(Unsafe.Add(ref r, 7)), Vector256.LoadUnsafe(ref x7, column), b);
        return a + b;
    }

    /// <summary>Four float block sums widened (exactly) and added to the double gradient sums from <paramref name="column"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddWidened4(Vector128<float> terms, ref double g, nuint column) =>
        (Vector256.LoadUnsafe(ref g, column) + Avx.ConvertToVector256Double(terms)).StoreUnsafe(ref g, column);

    /// <summary><see cref="FloatBlockFromMemory"/> over four lanes: the same two chains per lane, so the same sums and bound.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<float> FloatBlockFromMemory4(
        ref float r, ref float x0, ref float x1, ref float x2, ref float x3, ref float x4, ref float x5, ref float x6, ref float x7, nuint column)
    {
        var a = Vector128.Create(r) * Vector128.LoadUnsafe(ref x0, column);
        var b = Vector128.Create(Unsafe.Add(ref r, 1)) * Vector128.LoadUnsafe(ref x1, column);
        a = Vector128.FusedMultiplyAdd(Vector128.Create(Unsafe.Add(ref r, 2)), Vector128.LoadUnsafe(ref x2, column), a);
        b = Vector128.FusedMultiplyAdd(Vector128.Create(Unsafe.Add(ref r, 3)), Vector128.LoadUnsafe(ref x3, column), b);
        a = Vector128.FusedMultiplyAdd(Vector128.Create(Unsafe.Add(ref r, 4)), Vector128.LoadUnsafe(ref x4, column), a);
        b = Vector128.FusedMultiplyAdd(Vector128.Create(Unsafe.Add(ref r, 5)), Vector128.LoadUnsafe(ref x5, column), b);
        a = Vector128.FusedMultiplyAdd(Vector128.Create(Unsafe.Add(ref r, 6)), Vector128.LoadUnsafe(ref x6, column), a);
        b = Vector128.FusedMultiplyAdd(Vector128.Create(Unsafe.Add(ref r, 7)), Vector128.LoadUnsafe(ref x7, column), b);
        return a + b;
    }

    /// <summary>How a wide float kernel finishes a row (a type argument, so each way compiles to a kernel of its own).</summary>
    private interface IColumnTail
    {
        /// <summary>Whether D leaves a remainder after the whole vectors.</summary>
        static abstract bool HasTail { get; }

        /// <summary>Whether the remainder is one half-width step (a vector of half the lanes ending at D).</summary>
        static abstract bool IsShort { get; }
    }

    /// <summary>D is a whole number of vectors.</summary>
    private readonly struct NoColumnTail : IColumnTail
    {
        public static bool HasTail => false;

        public static bool IsShort => false;
    }

    /// <summary>A remainder of at most half a vector: one half-width step ending at D.</summary>
    private readonly struct ShortColumnTail : IColumnTail
    {
        public static bool HasTail => true;

        public static bool IsShort => true;
    }

    /// <summary>A remainder of more than half a vector: one overlapping full-width vector ending at D.</summary>
    private readonly struct OverlappingColumnTail : IColumnTail
    {
        public static bool HasTail => true;

        public static bool IsShort => false;
    }
}
