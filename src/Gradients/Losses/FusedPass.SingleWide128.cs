using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Gradients;

internal static partial class FusedPass
{
    /// <summary>
    /// Whether a chunk of float data runs <see cref="SingleWide128{TLoss, TWeighting}"/>: 128-bit vectors but no
    /// accelerated 256-bit ones (x86 with <c>DOTNET_EnableAVX2=0</c>, or Arm64's AdvSimd), and otherwise the conditions
    /// of the wide kernels of <see cref="SingleKernelsApply(int, int)"/>: 16 ≤ D ≤ <see cref="SingleDimensionLimit"/> and
    /// a full chunk (rows·D ≥ <see cref="TargetChunkElements"/>). The choice depends on the chunk plan only.
    /// </summary>
    internal static bool SingleWide128Applies(int dimension, int rows) =>
        !Vector256.IsHardwareAccelerated && Vector128.IsHardwareAccelerated
        && dimension is >= SmallDimensionLimit and <= SingleDimensionLimit && (long)rows * dimension >= TargetChunkElements;

    /// <summary>
    /// The wide float kernel with 128-bit vectors (see <see cref="SingleWide{TLoss, TWeighting, TArithmetic}"/> for the plan):
    /// blocks of four rows, one sweep over the columns per block, four at a time, that adds each row's products with
    /// the widened weights to its η in double (two conversions per four floats) and, in the same sweep, the previous
    /// block's gradient terms summed in float over its four rows, widened once per four columns and added to the double
    /// sums. Four rows, not eight: with sixteen registers the four η accumulators, the four residuals broadcast once per
    /// block, the two weight vectors and the temporaries fill the register file (SSE broadcasts from memory cost a load
    /// and a shuffle). Multiply-adds are <c>MultiplyAddEstimate</c> (fused only with FMA hardware, see
    /// <see cref="Wide128"/>). It replaced <see cref="Wide128"/>, which widened every element twice and loaded and
    /// stored the D double sums once per four rows. Measured with <c>DOTNET_EnableAVX2=0</c> (thread CPU time, one
    /// process per case, four alternating rounds on a loaded 2-core VM; docs/benchmarks.md, "float without AVX2"):
    /// MSE at (100,000 × 128) 7.1–7.7 → 4.05–4.22 ms, 3.3–4.1× → 1.76–1.92× a 128-bit float read-only pass; at
    /// (2,000,000 × 16) 20.6–21.5 → 15.0–16.5 ms, 1.47–1.72× → 1.04–1.23×. At D = 128 the pass is compute-bound: the
    /// η of four floats is two conversions, two multiplies and two adds per row without FMA, which no blocking removes.
    /// </summary>
    /// <remarks>
    /// Error model: that of <see cref="SingleWide{TLoss, TWeighting, TArithmetic}"/> with blocks of four rows. η: every product of
    /// a float and a float is exact in double and the sum is in double, with or without FMA. The gradient: r rounded to
    /// float once; rows 0 and 2 in one chain (a product, then a multiply-add), rows 1 and 3 in another, the two chains
    /// added. With an FMA a term passes through at most four roundings (r, the product or the FMA, the FMA, the final
    /// add); with a multiply and an add, also at most four (r, its product, the chain's add, the final add). So each
    /// block sum is off by less than 4.01·2⁻²⁴·Σ_block|r·xⱼ|, and the blocks are added in double. Non-finite values
    /// fall back to the scalar kernel for the chunk, as in <see cref="SingleWideEnd{TLoss, TWeighting}"/>.
    /// </remarks>
    [SkipLocalsInit]
    internal static ChunkSums SingleWide128<TLoss, TWeighting>(
        ref float features, ref float targets, ref float weights, int dimension, int rows, double bias,
        Span<double> gradientSums, ref float residuals, bool writeResiduals, TLoss loss, ref float sampleWeights)
        where TLoss : struct, IPointwiseLoss
        where TWeighting : struct, IRowWeighting
    {
        const int Lanes = 4;
        var d = (nuint)dimension;
        var (fullEnd, last, hasTail, counted) = SplitColumns(d, Lanes);
        var floatTail = Vector128.GreaterThanOrEqual(Vector128.Create(0, 1, 2, 3), Vector128.Create(counted)).AsSingle();
        var lowerTail = Vector128.GreaterThanOrEqual(Vector128.Create(0L, 1L), Vector128.Create((long)counted)).AsDouble();
        var upperTail = Vector128.GreaterThanOrEqual(Vector128.Create(2L, 3L), Vector128.Create((long)counted)).AsDouble();

        Span<double> widened = stackalloc double[dimension];
        TensorPrimitives.ConvertChecked<float, double>(MemoryMarshal.CreateReadOnlySpan(ref weights, dimension), widened);
        ref var wd = ref MemoryMarshal.GetReference(widened);

        gradientSums.Clear();
        ref var g = ref MemoryMarshal.GetReference(gradientSums);
        var sums = default(ChunkSums);
        var invalid = false;
        var invalidLanes = Vector128<double>.Zero;

        // Each row's line at least 1 K floats (4 KB), whole blocks, ahead into L1, once per sixteen columns (a line);
        // x86 only. From D = 64 also at least 4 K floats (16 KB) ahead into L2, on every row. On an AMD EPYC (Zen 4) VM
        // with AVX2 off, against the L1 hint alone: at (100,000 × 128) 3.56 → 2.31× the 128-bit read-only pass
        // (`ab-launch`, three alternating rounds); in one process per case (thread CPU time, two rounds) D = 64
        // 2.45–2.59 → 2.33–2.41, but D = 32 2.27–2.36 → 2.57–2.58 and D = 16 2.07–2.65 → 2.52–3.10, confirmed at
        // (2,000,000 × 16) by `ab-launch` (1.98 → 2.31, five rounds): rows of one or two lines keep the L1 hint only.
        // Not measured on Intel. See docs/benchmarks.md.
        var blockFloats = 4 * d;
        var ahead = ((1024 + blockFloats - 1) / blockFloats) * blockFloats;
        var aheadL2 = ((4096 + blockFloats - 1) / blockFloats) * blockFloats;
        var hintIntoL2 = d >= 64;

        // The previous block's residuals in float (zero before the first block, whose sweep adds 0·x of its own rows)
        // and its rows 4·D floats before the current block's (`back`, unsigned wrap-around).
        float r0 = 0, r1 = 0, r2 = 0, r3 = 0;
        nuint back = 0;
        var blocks = (nuint)rows / 4;
        for (nuint block = 0; block < blocks; block++)
        {
            var at = block * 4;
            ref var x0 = ref Unsafe.Add(ref features, at * d);
            ref var x1 = ref Unsafe.Add(ref x0, d);
            ref var x2 = ref Unsafe.Add(ref x1, d);
            ref var x3 = ref Unsafe.Add(ref x2, d);
            var s0 = Vector128.Create(r0);
            var s1 = Vector128.Create(r1);
            var s2 = Vector128.Create(r2);
            var s3 = Vector128.Create(r3);
            Vector128<double> a0 = default, a1 = default, a2 = default, a3 = default;
            for (nuint j = 0; j < fullEnd; j += Lanes)
            {
                if ((j & 12) == 0)
                {
                    Prefetch4(ref x0, ref x1, ref x2, ref x3, j + ahead);
                    if (hintIntoL2)
                    {
                        Prefetch4(ref x0, ref x1, ref x2, ref x3, j + aheadL2, intoL2: true);
                    }
                }

                var wl = Vector128.LoadUnsafe(ref wd, j);
                var wu = Vector128.LoadUnsafe(ref wd, j + 2);
                a0 = DotStep128(ref x0, j, wl, wu, a0);
                a1 = DotStep128(ref x1, j, wl, wu, a1);
                a2 = DotStep128(ref x2, j, wl, wu, a2);
                a3 = DotStep128(ref x3, j, wl, wu, a3);
                AddWidened128(FloatBlock128(s0, s1, s2, s3, ref x0, ref x1, ref x2, ref x3, j + back), ref g, j);
            }

            if (hasTail)
            {
                var wl = Vector128.LoadUnsafe(ref wd, last);
                var wu = Vector128.LoadUnsafe(ref wd, last + 2);
                a0 = DotStepMasked128(ref x0, last, wl, wu, lowerTail, upperTail, a0);
                a1 = DotStepMasked128(ref x1, last, wl, wu, lowerTail, upperTail, a1);
                a2 = DotStepMasked128(ref x2, last, wl, wu, lowerTail, upperTail, a2);
                a3 = DotStepMasked128(ref x3, last, wl, wu, lowerTail, upperTail, a3);
                AddWidened128(FloatBlock128(s0, s1, s2, s3, ref x0, ref x1, ref x2, ref x3, last + back) & floatTail, ref g, last);
            }

            BlockDerivatives128<float, SingleElements, TLoss, TWeighting>(loss, a0, a1, a2, a3, bias, ref targets, ref sampleWeights, ref residuals, writeResiduals, at, ref sums, ref invalid, ref invalidLanes, out var d0, out var d1, out var d2, out var d3);
            r0 = (float)d0;
            r1 = (float)d1;
            r2 = (float)d2;
            r3 = (float)d3;
            back = unchecked(0 - blockFloats);
        }

        if (blocks > 0)
        {
            ref var x0 = ref Unsafe.Add(ref features, (blocks - 1) * blockFloats);
            ref var x1 = ref Unsafe.Add(ref x0, d);
            ref var x2 = ref Unsafe.Add(ref x1, d);
            ref var x3 = ref Unsafe.Add(ref x2, d);
            var s0 = Vector128.Create(r0);
            var s1 = Vector128.Create(r1);
            var s2 = Vector128.Create(r2);
            var s3 = Vector128.Create(r3);
            for (nuint j = 0; j < fullEnd; j += Lanes)
            {
                AddWidened128(FloatBlock128(s0, s1, s2, s3, ref x0, ref x1, ref x2, ref x3, j), ref g, j);
            }

            if (hasTail)
            {
                AddWidened128(FloatBlock128(s0, s1, s2, s3, ref x0, ref x1, ref x2, ref x3, last) & floatTail, ref g, last);
            }
        }

        // A gradient sum that is not finite: the chunk again with every product in double (see SingleWide's remarks).
        var probe = Vector128<double>.Zero;
        var pairEnd = d & ~(nuint)1;
        for (nuint j = 0; j < pairEnd; j += 2)
        {
            probe += Vector128.LoadUnsafe(ref g, j) * Vector128<double>.Zero;
        }

        if (!Vector128.EqualsAll(probe, Vector128<double>.Zero) || (pairEnd != d && Unsafe.Add(ref g, pairEnd) * 0.0 != 0.0))
        {
            return Scalar<float, SingleElements, TLoss, TWeighting>(ref features, ref targets, ref weights, dimension, rows, bias, gradientSums, ref residuals, writeResiduals, loss, ref sampleWeights);
        }

        // The leftover rows (fewer than four) one at a time in double, as Wide128 does them.
        var pairMask = Vector128.GreaterThanOrEqual(Vector128.Create(0L, 1L), Vector128.Create((long)(2 - (int)(d - pairEnd)))).AsDouble();
        var pairLast = d - 2;
        for (var row = blocks * 4; row < (nuint)rows; row++)
        {
            ref var x = ref Unsafe.Add(ref features, row * d);
            var a = DotRow128<float, SingleElements>(ref x, ref weights, pairEnd, pairLast, pairEnd != d, pairMask, prefetch: false);
            sums.LossSum += OneRow<float, SingleElements, TLoss, TWeighting>(loss, Vector128.Sum(a) + bias, ref targets, ref sampleWeights, ref residuals, writeResiduals, row, ref invalid, out var r);
            sums.DerivativeSum += r;

            var s = Vector128.Create(r);
            for (nuint j = 0; j < pairEnd; j += 2)
            {
                Vector128.MultiplyAddEstimate(s, SingleElements.Load128(ref x, j), Vector128.LoadUnsafe(ref g, j)).StoreUnsafe(ref g, j);
            }

            if (pairEnd != d)
            {
                (Vector128.LoadUnsafe(ref g, pairLast) + ((s * SingleElements.Load128(ref x, pairLast)) & pairMask)).StoreUnsafe(ref g, pairLast);
            }
        }

        if (invalid || invalidLanes != Vector128<double>.Zero)
        {
            sums.LossSum = double.NaN;
        }

        return new ChunkSums { LossSum = sums.LossSum, DerivativeSum = sums.DerivativeSum };
    }

    /// <summary>Adds the products of four floats of a row (from <paramref name="column"/>) and their widened weights to <paramref name="sum"/>, in double.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<double> DotStep128(ref float x, nuint column, Vector128<double> lower, Vector128<double> upper, Vector128<double> sum)
    {
        return sum + Vector128.MultiplyAddEstimate(SingleElements.Load128(ref x, column + 2), upper, SingleElements.Load128(ref x, column) * lower);
    }

    /// <summary><see cref="DotStep128"/> over the row's last four columns, the lanes counted already masked off (the products, not w: ∞·0 would be NaN).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<double> DotStepMasked128(
        ref float x, nuint column, Vector128<double> lower, Vector128<double> upper, Vector128<double> lowerMask, Vector128<double> upperMask, Vector128<double> sum)
    {
        var four = Vector128.LoadUnsafe(ref x, column);
        sum += (Vector128.WidenLower(four) * lower) & lowerMask;
        return sum + ((Vector128.WidenUpper(four) * upper) & upperMask);
    }

    /// <summary>
    /// The gradient terms of four rows over four columns summed in float: rows 0 and 2 in one chain, 1 and 3 in
    /// another, the chains added (at most four roundings per term, see the remarks of
    /// <see cref="SingleWide128{TLoss, TWeighting}"/>).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<float> FloatBlock128(
        Vector128<float> r0, Vector128<float> r1, Vector128<float> r2, Vector128<float> r3,
        ref float x0, ref float x1, ref float x2, ref float x3, nuint column)
    {
        var a = Vector128.MultiplyAddEstimate(r2, Vector128.LoadUnsafe(ref x2, column), r0 * Vector128.LoadUnsafe(ref x0, column));
        var b = Vector128.MultiplyAddEstimate(r3, Vector128.LoadUnsafe(ref x3, column), r1 * Vector128.LoadUnsafe(ref x1, column));
        return a + b;
    }

    /// <summary>Four float block sums widened (exactly) and added to the double gradient sums from <paramref name="column"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddWidened128(Vector128<float> terms, ref double g, nuint column)
    {
        (Vector128.LoadUnsafe(ref g, column) + Vector128.WidenLower(terms)).StoreUnsafe(ref g, column);
        (Vector128.LoadUnsafe(ref g, column + 2) + Vector128.WidenUpper(terms)).StoreUnsafe(ref g, column + 2);
    }

    /// <summary>
    /// Asks for the line at <paramref name="offset"/> floats into each of four rows, into L1 or, with
    /// <paramref name="intoL2"/> (a constant at every call), into L2 (x86 only, a hint that never faults).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Prefetch4(ref float x0, ref float x1, ref float x2, ref float x3, nuint offset, bool intoL2 = false)
    {
        if (!Sse.IsSupported)
        {
            return;
        }

        PrefetchLine(ref Unsafe.Add(ref x0, offset), intoL2);
        PrefetchLine(ref Unsafe.Add(ref x1, offset), intoL2);
        PrefetchLine(ref Unsafe.Add(ref x2, offset), intoL2);
        PrefetchLine(ref Unsafe.Add(ref x3, offset), intoL2);
    }
}
