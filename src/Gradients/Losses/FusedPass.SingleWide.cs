using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Gradients;

internal static partial class FusedPass
{
    /// <summary>
    /// The float kernel for D in 17…<see cref="SingleDimensionLimit"/>, eight rows at a time: first their eight dot products in double, row after row (one
    /// sequential stream for the prefetchers; with 512-bit vectors each eight floats widen to eight doubles in one
    /// conversion), then one sweep over the columns adding Σᵢ rᵢ·xᵢⱼ of the eight rows, summed in float, into the
    /// double gradient sums (each sum loaded and stored once per eight rows; the rows come from L1 the second time).
    /// The error of the float blocks is that of <see cref="SingleSmall{TQuads, TRowEnd, TLoss, TWeighting}"/>: each
    /// term carries at most six roundings to float, and the blocks are added in double; the dot products and the
    /// gradient terms run in two phases per group of rows, as there. 512-bit vectors for the dot products (one
    /// conversion per eight floats) measured slower here than 256-bit ones, as did they in the register kernel.
    /// </summary>
    [SkipLocalsInit]
    private static ChunkSums SingleWide<TLoss, TWeighting>(
        ref float features, ref float targets, ref float weights, int dimension, int rows, double bias,
        Span<double> gradientSums, ref float residuals, bool writeResiduals, TLoss loss, ref float sampleWeights)
        where TLoss : struct, IPointwiseLoss
        where TWeighting : struct, IRowWeighting
    {
        if (Vector512.IsHardwareAccelerated && Avx512F.IsSupported)
        {
            return SingleWide512<TLoss, TWeighting>(ref features, ref targets, ref weights, dimension, rows, bias, gradientSums, ref residuals, writeResiduals, loss, ref sampleWeights);
        }

        if (!XOld256)
        {
            return SingleWide256<TLoss, TWeighting>(ref features, ref targets, ref weights, dimension, rows, bias, gradientSums, ref residuals, writeResiduals, loss, ref sampleWeights);
        }

        const int Lanes = 8;
        var d = (nuint)dimension;

        // Columns come in vectors of eight floats; the remainder is one overlapping vector ending at D whose lanes
        // below fullEnd (counted already) are masked off, in float for the sweep and in double for the dot products.
        var fullEnd = d & ~(nuint)(Lanes - 1);
        var last = d - Lanes;
        var hasTail = fullEnd != d;
        var counted = Lanes - (int)(d - fullEnd);
        var floatTail = Vector256.GreaterThanOrEqual(Vector256.Create(0, 1, 2, 3, 4, 5, 6, 7), Vector256.Create(counted)).AsSingle();
        var lowerTail = Vector256.GreaterThanOrEqual(Vector256.Create(0L, 1L, 2L, 3L), Vector256.Create((long)counted)).AsDouble();
        var upperTail = Vector256.GreaterThanOrEqual(Vector256.Create(4L, 5L, 6L, 7L), Vector256.Create((long)counted)).AsDouble();

        // The weights widened to double once per chunk (at most 4 KB: D ≤ SingleDimensionLimit), so each product costs
        // one conversion (of x), not two.
        Span<double> widened = stackalloc double[dimension];
        TensorPrimitives.ConvertChecked<float, double>(MemoryMarshal.CreateReadOnlySpan(ref weights, dimension), widened);
        ref var wd = ref MemoryMarshal.GetReference(widened);

        gradientSums.Clear();
        ref var g = ref MemoryMarshal.GetReference(gradientSums);
        var bias4 = Vector256.Create(bias);
        var lossSums = Vector256<double>.Zero;
        var residualSum = Vector256<double>.Zero;
        var invalid = Vector256<double>.Zero;
        var nonFinite = Vector256<float>.Zero;
        Span<float> groupResiduals = stackalloc float[SingleGroupRows];
        ref var rf = ref MemoryMarshal.GetReference(groupResiduals);

        // Groups of about 16 KB of X (8 to 64 rows): the residuals of the group, then its gradient terms from L1.
        var groupRows = (nuint)Math.Clamp((4096 / dimension) & ~7, 8, SingleGroupRows);
        var blockEnd = (nuint)rows & ~(nuint)7;
        nuint row = 0;
        while (row < blockEnd)
        {
            var groupEnd = row + groupRows <= blockEnd ? row + groupRows : blockEnd;
            for (var at = row; at < groupEnd; at += 8)
            {
                ref var x0 = ref Unsafe.Add(ref features, at * d);
                var etaA = TransposeAdd4(
                    SingleDotRow(ref x0, ref wd, fullEnd, last, hasTail, lowerTail, upperTail),
                    SingleDotRow(ref Unsafe.Add(ref x0, d), ref wd, fullEnd, last, hasTail, lowerTail, upperTail),
                    SingleDotRow(ref Unsafe.Add(ref x0, 2 * d), ref wd, fullEnd, last, hasTail, lowerTail, upperTail),
                    SingleDotRow(ref Unsafe.Add(ref x0, 3 * d), ref wd, fullEnd, last, hasTail, lowerTail, upperTail));
                var etaB = TransposeAdd4(
                    SingleDotRow(ref Unsafe.Add(ref x0, 4 * d), ref wd, fullEnd, last, hasTail, lowerTail, upperTail),
                    SingleDotRow(ref Unsafe.Add(ref x0, 5 * d), ref wd, fullEnd, last, hasTail, lowerTail, upperTail),
                    SingleDotRow(ref Unsafe.Add(ref x0, 6 * d), ref wd, fullEnd, last, hasTail, lowerTail, upperTail),
                    SingleDotRow(ref Unsafe.Add(ref x0, 7 * d), ref wd, fullEnd, last, hasTail, lowerTail, upperTail));

                var rA = FourRows<float, SingleElements, TLoss, TWeighting>(loss, etaA + bias4, ref targets, ref sampleWeights, ref residuals, writeResiduals, at, ref lossSums, ref invalid);
                var rB = FourRows<float, SingleElements, TLoss, TWeighting>(loss, etaB + bias4, ref targets, ref sampleWeights, ref residuals, writeResiduals, at + 4, ref lossSums, ref invalid);
                residualSum += rA + rB;
                Vector256.Create(Avx.ConvertToVector128Single(rA), Avx.ConvertToVector128Single(rB)).StoreUnsafe(ref rf, at - row);
            }

            for (var at = row; at < groupEnd; at += 8)
            {
                ref var x0 = ref Unsafe.Add(ref features, at * d);
                ref var x1 = ref Unsafe.Add(ref x0, d);
                ref var x2 = ref Unsafe.Add(ref x1, d);
                ref var x3 = ref Unsafe.Add(ref x2, d);
                ref var x4 = ref Unsafe.Add(ref x3, d);
                ref var x5 = ref Unsafe.Add(ref x4, d);
                ref var x6 = ref Unsafe.Add(ref x5, d);
                ref var x7 = ref Unsafe.Add(ref x6, d);
                ref var r = ref Unsafe.Add(ref rf, at - row);
                var (s0, s1, s2, s3) = (Vector256.Create(r), Vector256.Create(Unsafe.Add(ref r, 1)), Vector256.Create(Unsafe.Add(ref r, 2)), Vector256.Create(Unsafe.Add(ref r, 3)));
                var (s4, s5, s6, s7) = (Vector256.Create(Unsafe.Add(ref r, 4)), Vector256.Create(Unsafe.Add(ref r, 5)), Vector256.Create(Unsafe.Add(ref r, 6)), Vector256.Create(Unsafe.Add(ref r, 7)));
                for (nuint j = 0; j < fullEnd; j += Lanes)
                {
                    var block = FloatBlock(s0, s1, s2, s3, s4, s5, s6, s7, ref x0, ref x1, ref x2, ref x3, ref x4, ref x5, ref x6, ref x7, j, floatTail, false);
                    nonFinite += block * Vector256<float>.Zero;
                    (Vector256.LoadUnsafe(ref g, j) + Avx.ConvertToVector256Double(block.GetLower())).StoreUnsafe(ref g, j);
                    (Vector256.LoadUnsafe(ref g, j + 4) + Avx.ConvertToVector256Double(block.GetUpper())).StoreUnsafe(ref g, j + 4);
                }

                if (hasTail)
                {
                    var block = FloatBlock(s0, s1, s2, s3, s4, s5, s6, s7, ref x0, ref x1, ref x2, ref x3, ref x4, ref x5, ref x6, ref x7, last, floatTail, true);
                    nonFinite += block * Vector256<float>.Zero;
                    (Vector256.LoadUnsafe(ref g, last) + Avx.ConvertToVector256Double(block.GetLower())).StoreUnsafe(ref g, last);
                    (Vector256.LoadUnsafe(ref g, last + 4) + Avx.ConvertToVector256Double(block.GetUpper())).StoreUnsafe(ref g, last + 4);
                }
            }

            row = groupEnd;
        }

        if (!Vector256.EqualsAll(nonFinite, Vector256<float>.Zero))
        {
            // As in SingleSmall: the chunk again, every product in double. The scalar kernel, not Wide256, whose
            // four-row float blocks would overflow the same way (rare data: a NaN, ∞ or float-overflowing product).
            return Scalar<float, SingleElements, TLoss, TWeighting>(ref features, ref targets, ref weights, dimension, rows, bias, gradientSums, ref residuals, writeResiduals, loss, ref sampleWeights);
        }

        var sums = default(ChunkSums);
        var pair = Avx.HorizontalAdd(lossSums, residualSum);
        var folded = pair.GetLower() + pair.GetUpper();
        sums.LossSum = folded.ToScalar();
        sums.DerivativeSum = folded.GetElement(1);

        // The last rows (fewer than eight): one at a time, in double.
        var invalidRow = false;
        SingleWideRowsOneByOne<TLoss, TWeighting>(
            loss, ref features, ref wd, d, row, (nuint)rows, bias, ref targets, ref sampleWeights, ref residuals, writeResiduals, ref g, ref sums, ref invalidRow);
        sums.HasInvalidLabel = invalidRow || invalid != Vector256<double>.Zero;
        return sums;
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
        var fullEnd = d & ~(nuint)(Lanes - 1);
        var last = d - Lanes;
        var hasTail = fullEnd != d;
        var counted = Lanes - (int)(d - fullEnd);
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

    private static readonly bool XOld256 = Environment.GetEnvironmentVariable("FW_OLD256") == "1";

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
            PrefetchAhead(ref Unsafe.Add(ref x, j), 2 * Lanes);
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
