using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Gradients;

internal static partial class FusedPass
{
    /// <summary>Rows per group of the float kernels: the residuals of a group are computed before its gradient terms.</summary>
    private const int SingleGroupRows = 64;

    /// <summary>Rows per group of the float register kernel where it runs short groups (<see cref="ShortSingleGroups"/>).</summary>
    private const int ShortSingleGroupRows = 16;

    /// <summary>
    /// Whether the float register kernel runs groups of <see cref="ShortSingleGroupRows"/> rows with no prefetch hints,
    /// and serves D = 16 too (instead of the wide kernel): on processors other than Intel's where 512-bit vectors are
    /// accelerated. On an AMD EPYC (Zen 4) VM, mean squared error at (2,000,000 × 16) ÷ the 512-bit float read-only
    /// pass, <c>ab-launch</c> pairs: the wide kernel 1.17–1.28× (kernel 7.7–7.8 ms, three rounds); the register kernel in
    /// groups of 64 rows with hints 1.12–1.32×, of 16 rows with hints 1.16–1.30×, of 16 rows without 0.93–1.16× (median
    /// 1.08, 5.5–6.5 ms, six rounds), of 8 or 32 rows without 0.97–1.14×, of 64 without 1.24–1.36×. With AVX-512 off
    /// (16 vector registers) the short groups were slower than the wide 256-bit kernel (7.3–7.7 against 7.1–7.3 ms), so
    /// there, and on Intel's processors (unmeasured), the kernels stay as they were.
    /// </summary>
    private static bool ShortSingleGroups => !ProcessorVendor.IsIntel && Vector512.IsHardwareAccelerated;

    /// <summary>How far ahead of the rows being read the float kernels prefetch X, in bytes.</summary>
    private const int PrefetchBytes = 2048;

    /// <summary>
    /// Prefetches the cache lines <see cref="PrefetchBytes"/> ahead of <paramref name="count"/> floats from
    /// <paramref name="x"/>. The kernels do enough work per byte that the out-of-order window alone keeps too few
    /// cache lines in flight to reach the bandwidth of a read-only pass. The address is a hint only: a prefetch never
    /// faults, past the end of X or after the collector moved it.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void PrefetchAhead(ref float x, nuint count)
    {
        if (!Sse.IsSupported)
        {
            return;
        }

        var ahead = (byte*)Unsafe.AsPointer(ref x) + PrefetchBytes;
        for (nuint k = 0; k < count * sizeof(float); k += 64)
        {
            Sse.Prefetch0(ahead + k);
        }
    }

    /// <summary>The widest D the float kernels serve (a group of eight rows then fills 16 KB of L1).</summary>
    internal const int SingleDimensionLimit = 512;

    /// <summary>
    /// Whether a chunk of float data runs the float kernels (this file and the wide one): 256-bit vectors with AVX2 and
    /// FMA, 5 ≤ D ≤ <see cref="SingleDimensionLimit"/>, and a full chunk (rows·D ≥ <see cref="TargetChunkElements"/>:
    /// large data, which streams from memory). Their gain is bandwidth: X is read once with prefetching and the gradient
    /// terms cost half the FMAs, but η in double costs a conversion per element, so with X in cache (50 × 16, and
    /// 1000 × 1000, whose groups of eight rows of 4 KB overflow L1) the kernels that widen every element were faster
    /// (measured). The choice depends on the chunk plan only, so it is the same for any thread count and for the
    /// accumulators. D ≤ 4 keeps the transposed register kernel (in L1 with AVX-512, <see cref="SingleNarrow{TLoss, TWeighting}"/>);
    /// machines without AVX2 the 128-bit and scalar ones (for 16 ≤ D ≤ 512 and full chunks the 128-bit wide float kernel,
    /// <see cref="SingleWide128Applies(int, int)"/>).
    /// </summary>
    internal static bool SingleKernelsApply(int dimension, int rows) =>
        Vector256.IsHardwareAccelerated && Avx2.IsSupported && Fma.IsSupported
        && dimension is > 4 and <= SingleDimensionLimit && (long)rows * dimension >= TargetChunkElements;

    /// <summary>
    /// The float kernels: η in double, the gradient sums of each block of eight rows in float (see
    /// <see cref="SingleSmall{TQuads, TRowEnd, TLoss, TWeighting}"/> and <see cref="SingleWide{TLoss, TWeighting, TArithmetic}"/>).
    /// Requires <see cref="SingleKernelsApply(int, int)"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static ChunkSums Single<TLoss, TWeighting>(
        ref float features, ref float targets, ref float weights, int dimension, int rows, nuint available, double bias,
        Span<double> gradientSums, ref float residuals, bool writeResiduals, TLoss loss, ref float sampleWeights)
        where TLoss : struct, IPointwiseLoss
        where TWeighting : struct, IRowWeighting
    {
        // D ≥ 16: the wide kernels, except D = 16 where the register kernel runs short groups (ShortSingleGroups). At
        // D = 16 they had taken the place of the register kernel below at (2,000,000 × 16): 1.27–1.34× a 512-bit
        // read-only pass against 1.32–1.40× (thread CPU time, three alternating runs; with AVX-512 off 1.13–1.14×
        // against 1.18–1.19× the 256-bit pass, two runs), before the short groups.
        if (dimension > SmallDimensionLimit || (dimension == SmallDimensionLimit && !ShortSingleGroups))
        {
            return SingleWide<TLoss, TWeighting, SingleElements>(ref features, ref targets, ref weights, dimension, rows, bias, gradientSums, ref residuals, writeResiduals, loss, ref sampleWeights);
        }

        return (dimension & 3) == 0
            ? (dimension >> 2) switch
            {
                2 => SingleSmall<TwoVectors, AlignedRowEnd, TLoss, TWeighting>(ref features, ref targets, ref weights, dimension, rows, available, bias, gradientSums, ref residuals, writeResiduals, loss, ref sampleWeights),
                3 => SingleSmall<ThreeVectors, AlignedRowEnd, TLoss, TWeighting>(ref features, ref targets, ref weights, dimension, rows, available, bias, gradientSums, ref residuals, writeResiduals, loss, ref sampleWeights),
                _ => SingleSmall<FourVectors, AlignedRowEnd, TLoss, TWeighting>(ref features, ref targets, ref weights, dimension, rows, available, bias, gradientSums, ref residuals, writeResiduals, loss, ref sampleWeights),
            }
            : ((dimension + 3) >> 2) switch
            {
                2 => SingleSmall<TwoVectors, MaskedRowEnd, TLoss, TWeighting>(ref features, ref targets, ref weights, dimension, rows, available, bias, gradientSums, ref residuals, writeResiduals, loss, ref sampleWeights),
                3 => SingleSmall<ThreeVectors, MaskedRowEnd, TLoss, TWeighting>(ref features, ref targets, ref weights, dimension, rows, available, bias, gradientSums, ref residuals, writeResiduals, loss, ref sampleWeights),
                _ => SingleSmall<FourVectors, MaskedRowEnd, TLoss, TWeighting>(ref features, ref targets, ref weights, dimension, rows, available, bias, gradientSums, ref residuals, writeResiduals, loss, ref sampleWeights),
            };
    }

    /// <summary>
    /// The float register kernel for D in 5…15 (and 16 where <see cref="ShortSingleGroups"/>; otherwise D ≥ 16 runs the
    /// wide kernels), eight rows per iteration. η of each row is computed in double (the product of two floats is exact in double, and data with a large offset,
    /// X = 10⁶ + noise, needs the residual η − y in double; 512-bit vectors, eight floats widened by one conversion,
    /// measured slower than 256-bit ones).
    /// The gradient terms r·xⱼ of the eight rows are summed in float (eight lanes per FMA, the residuals rounded to
    /// float), in two chains of four rows, and the block's sums are widened exactly and added to the double sums held
    /// in registers.
    /// </summary>
    /// <remarks>
    /// Error of the float blocks: each term r·xⱼ of a block passes through at most six roundings to float (r to float,
    /// four in its FMA chain, one where the chains meet), so it carries a relative error below (1 + u)⁶ − 1 &lt; 6.01u,
    /// u = 2⁻²⁴; the block sums are added in double, so the error of Σ r·xⱼ over N rows is at most
    /// 6.01u·Σ|r·xⱼ| + γ_{N/8}·Σ|r·xⱼ| with γ at double's unit roundoff: it does not grow with N at float's u
    /// (blocked summation, Blanchard, Higham and Mary, SIAM J. Sci. Comput. 42(3), 2020). Products below float's
    /// normal range lose their relative precision (absolute error ≤ 2⁻¹⁴⁹ each). A chunk in which a float block sum
    /// is not finite (a residual or a product past float's range, or a NaN or ∞ in X) is computed again by the kernel
    /// that widens every element to double, so such data gives what it gives.
    /// </remarks>
    [SkipLocalsInit]
    private static ChunkSums SingleSmall<TQuads, TRowEnd, TLoss, TWeighting>(
        ref float features, ref float targets, ref float weights, int dimension, int rows, nuint available, double bias,
        Span<double> gradientSums, ref float residuals, bool writeResiduals, TLoss loss, ref float sampleWeights)
        where TQuads : struct, IVectorCount
        where TRowEnd : struct, IRowEnd
        where TLoss : struct, IPointwiseLoss
        where TWeighting : struct, IRowWeighting
    {
        var m = TQuads.Value;
        var halves = (m + 1) >> 1;
        var d = (nuint)dimension;

        // The weights as m quads of doubles, the last padded with zeros (built in registers, see SmallDimension).
        var last = dimension - (4 * (m - 1));
        var w0 = WeightVector<float, SingleElements, TRowEnd>(ref weights, 0, 4);
        var w1 = WeightVector<float, SingleElements, TRowEnd>(ref weights, 4, m == 2 ? last : 4);
        var w2 = m > 2 ? WeightVector<float, SingleElements, TRowEnd>(ref weights, 8, m == 3 ? last : 4) : default;
        var w3 = m > 3 ? WeightVector<float, SingleElements, TRowEnd>(ref weights, 12, last) : default;

        // Lanes past D belong to the next row and are zeroed by masks (not by the zero weights, so that a NaN or ∞ in
        // the next row does not leak into this one): the last quad of doubles, the last eight doubles, the last eight floats.
        var quadMask = Vector256.LessThan(Vector256.Create(0L, 1L, 2L, 3L), Vector256.Create((long)last)).AsDouble();
        var floatLast = dimension - (8 * (halves - 1));
        var floatMask = Vector256.LessThan(Vector256.Create(0, 1, 2, 3, 4, 5, 6, 7), Vector256.Create(floatLast)).AsSingle();
        var floatMasked = TRowEnd.IsMasked || m == 3;
        var bias4 = Vector256.Create(bias);

        // A row may be read with vectors only if its 8·halves lanes lie inside X.
        var span = (nuint)(8 * halves);
        var safeRows = ((nuint)(rows - 1) * d) + span <= available
            ? (nuint)rows
            : available >= span ? ((available - span) / d) + 1 : 0;
        var blockEnd = safeRows & ~(nuint)7;

        Vector256<double> g0 = default, g1 = default, g2 = default, g3 = default;
        var lossSums = Vector256<double>.Zero;
        var residualSum = Vector256<double>.Zero;
        var invalid = Vector256<double>.Zero;

        // NaN once a float block sum was not finite (sticky: NaN + anything is NaN), ±0 otherwise.
        var nonFinite = Vector256<float>.Zero;

        // The residuals of a group of rows, in float: each is broadcast by a load (vbroadcastss), not a shuffle.
        Span<float> groupResiduals = stackalloc float[SingleGroupRows];
        ref var rf = ref MemoryMarshal.GetReference(groupResiduals);

        // Two phases per group: the residuals of all its rows, then its gradient terms (the rows again, from L1), so the
        // gradient FMAs do not wait on each block's chain of dot product, reduction, loss and rounding to float.
        nuint row = 0;
        while (row < blockEnd)
        {
            var groupEnd = Math.Min(row + (nuint)(ShortSingleGroups ? ShortSingleGroupRows : SingleGroupRows), blockEnd);
            for (var at = row; at < groupEnd; at += 8)
            {
                ref var x0 = ref Unsafe.Add(ref features, at * d);
                if (!ShortSingleGroups)
                {
                    PrefetchAhead(ref x0, 8 * d);
                }

                var etaA = TransposeAdd4(
                    SingleRowProducts256<TQuads, TRowEnd>(ref x0, quadMask, w0, w1, w2, w3),
                    SingleRowProducts256<TQuads, TRowEnd>(ref Unsafe.Add(ref x0, d), quadMask, w0, w1, w2, w3),
                    SingleRowProducts256<TQuads, TRowEnd>(ref Unsafe.Add(ref x0, 2 * d), quadMask, w0, w1, w2, w3),
                    SingleRowProducts256<TQuads, TRowEnd>(ref Unsafe.Add(ref x0, 3 * d), quadMask, w0, w1, w2, w3));
                var etaB = TransposeAdd4(
                    SingleRowProducts256<TQuads, TRowEnd>(ref Unsafe.Add(ref x0, 4 * d), quadMask, w0, w1, w2, w3),
                    SingleRowProducts256<TQuads, TRowEnd>(ref Unsafe.Add(ref x0, 5 * d), quadMask, w0, w1, w2, w3),
                    SingleRowProducts256<TQuads, TRowEnd>(ref Unsafe.Add(ref x0, 6 * d), quadMask, w0, w1, w2, w3),
                    SingleRowProducts256<TQuads, TRowEnd>(ref Unsafe.Add(ref x0, 7 * d), quadMask, w0, w1, w2, w3));

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

                // lo holds columns 0…7, hi 8…15.
                var lo = FloatBlock(s0, s1, s2, s3, s4, s5, s6, s7, ref x0, ref x1, ref x2, ref x3, ref x4, ref x5, ref x6, ref x7, 0, floatMask, halves == 1 && floatMasked);
                var hi = halves > 1
                    ? FloatBlock(s0, s1, s2, s3, s4, s5, s6, s7, ref x0, ref x1, ref x2, ref x3, ref x4, ref x5, ref x6, ref x7, 8, floatMask, floatMasked)
                    : Vector256<float>.Zero;
                nonFinite += (lo + hi) * Vector256<float>.Zero;

                g0 += Avx.ConvertToVector256Double(lo.GetLower());
                g1 += Avx.ConvertToVector256Double(lo.GetUpper());
                if (m > 2)
                {
                    g2 += Avx.ConvertToVector256Double(hi.GetLower());
                }

                if (m > 3)
                {
                    g3 += Avx.ConvertToVector256Double(hi.GetUpper());
                }
            }

            row = groupEnd;
        }

        if (!Vector256.EqualsAll(nonFinite, Vector256<float>.Zero))
        {
            // A residual or a product past float's range, or a NaN or ∞ in X: the chunk again with the double kernel,
            // so such data gives what double arithmetic gives (∞·0 would be NaN in float where double has 0).
            return SmallDimension<float, SingleElements, TLoss, TWeighting>(ref features, ref targets, ref weights, dimension, rows, available, bias, gradientSums, ref residuals, writeResiduals, loss, ref sampleWeights);
        }

        var pair = Avx.HorizontalAdd(lossSums, residualSum);
        var folded = pair.GetLower() + pair.GetUpper();
        var lossSum = folded.ToScalar();
        var derivativeSum = folded.GetElement(1);

        // The last rows (fewer than eight): one at a time in double, read by quads while those lie inside X (a scalar
        // loop over up to eight rows cost more than the rest of a 48 × 12 pass), then scalar.
        var invalidRow = false;
        var quadSpan = (nuint)(4 * m);
        var quadRows = ((nuint)(rows - 1) * d) + quadSpan <= available
            ? (nuint)rows
            : available >= quadSpan ? ((available - quadSpan) / d) + 1 : 0;
        for (; row < quadRows; row++)
        {
            ref var x = ref Unsafe.Add(ref features, row * d);
            var p = SingleRowProducts256<TQuads, TRowEnd>(ref x, quadMask, w0, w1, w2, w3);
            lossSum += OneRow<float, SingleElements, TLoss, TWeighting>(loss, Vector256.Sum(p) + bias, ref targets, ref sampleWeights, ref residuals, writeResiduals, row, ref invalidRow, out var r);
            derivativeSum += r;
            var rv = Vector256.Create(r);
            g0 = Vector256.FusedMultiplyAdd(rv, SingleElements.Load256(ref x, 0), g0);
            g1 = Vector256.FusedMultiplyAdd(rv, SingleQuad<TRowEnd>(ref x, 4, quadMask, m == 2), g1);
            if (m > 2)
            {
                g2 = Vector256.FusedMultiplyAdd(rv, SingleQuad<TRowEnd>(ref x, 8, quadMask, m == 3), g2);
            }

            if (m > 3)
            {
                g3 = Vector256.FusedMultiplyAdd(rv, SingleQuad<TRowEnd>(ref x, 12, quadMask, true), g3);
            }
        }

        ref var gradient = ref MemoryMarshal.GetReference(gradientSums);
        StoreGradient<TRowEnd>(4, g0, ref gradient, 0);
        StoreGradient<TRowEnd>(m == 2 ? last : 4, g1, ref gradient, 4);
        if (m > 2)
        {
            StoreGradient<TRowEnd>(m == 3 ? last : 4, g2, ref gradient, 8);
        }

        if (m > 3)
        {
            StoreGradient<TRowEnd>(last, g3, ref gradient, 12);
        }

        (lossSum, derivativeSum) = SingleRowsOneByOne<TLoss, TWeighting>(loss, ref features, ref weights, d, row, (nuint)rows, bias, ref targets, ref sampleWeights, ref residuals, writeResiduals, ref gradient, lossSum, derivativeSum, ref invalidRow);
        if (invalidRow || invalid != Vector256<double>.Zero)
        {
            lossSum = double.NaN;
        }

        return new ChunkSums { LossSum = lossSum, DerivativeSum = derivativeSum };
    }

    /// <summary>
    /// The rows from <paramref name="row"/> to <paramref name="rows"/> one at a time, η and Σ r·xⱼ in double: the float
    /// kernels' remainder after their blocks. Takes the sums so far and returns them with these rows added: by value, so
    /// the callers keep them in registers (a ChunkSums passed by reference lives in memory for the whole kernel).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (double LossSum, double DerivativeSum) SingleRowsOneByOne<TLoss, TWeighting>(
        TLoss loss, ref float features, ref float weights, nuint d, nuint row, nuint rows, double bias, ref float targets, ref float sampleWeights,
        ref float residuals, bool writeResiduals, ref double gradient, double lossSum, double derivativeSum, ref bool invalidRow)
        where TLoss : struct, IPointwiseLoss
        where TWeighting : struct, IRowWeighting
    {
        for (; row < rows; row++)
        {
            ref var x = ref Unsafe.Add(ref features, row * d);
            var dot = 0.0;
            for (nuint j = 0; j < d; j++)
            {
                dot += SingleElements.Load(ref x, j) * SingleElements.Load(ref weights, j);
            }

            lossSum += OneRow<float, SingleElements, TLoss, TWeighting>(loss, dot + bias, ref targets, ref sampleWeights, ref residuals, writeResiduals, row, ref invalidRow, out var r);
            derivativeSum += r;
            for (nuint j = 0; j < d; j++)
            {
                Unsafe.Add(ref gradient, j) += r * SingleElements.Load(ref x, j);
            }
        }

        return (lossSum, derivativeSum);
    }

    /// <summary>
    /// Σᵢ sᵢ·xᵢ over a block of eight rows at column <paramref name="column"/> (eight lanes), in float: rows 0, 2, 4, 6
    /// in one FMA chain, 1, 3, 5, 7 in another, added at the end. Lanes are zeroed by <paramref name="mask"/> when
    /// <paramref name="masked"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> FloatBlock(
        Vector256<float> s0, Vector256<float> s1, Vector256<float> s2, Vector256<float> s3,
        Vector256<float> s4, Vector256<float> s5, Vector256<float> s6, Vector256<float> s7,
        ref float x0, ref float x1, ref float x2, ref float x3, ref float x4, ref float x5, ref float x6, ref float x7,
        nuint column, Vector256<float> mask, bool masked)
    {
        var a = s0 * Vector256.LoadUnsafe(ref x0, column);
        var b = s1 * Vector256.LoadUnsafe(ref x1, column);
        a = Vector256.FusedMultiplyAdd(s2, Vector256.LoadUnsafe(ref x2, column), a);
        b = Vector256.FusedMultiplyAdd(s3, Vector256.LoadUnsafe(ref x3, column), b);
        a = Vector256.FusedMultiplyAdd(s4, Vector256.LoadUnsafe(ref x4, column), a);
        b = Vector256.FusedMultiplyAdd(s5, Vector256.LoadUnsafe(ref x5, column), b);
        a = Vector256.FusedMultiplyAdd(s6, Vector256.LoadUnsafe(ref x6, column), a);
        b = Vector256.FusedMultiplyAdd(s7, Vector256.LoadUnsafe(ref x7, column), b);
        var sum = a + b;
        return masked ? sum & mask : sum;
    }

    /// <summary>Four floats from <paramref name="offset"/> as doubles, masked when they are a row's partial last quad.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> SingleQuad<TRowEnd>(ref float x, nuint offset, Vector256<double> quadMask, bool isLast)
        where TRowEnd : struct, IRowEnd
    {
        var quad = SingleElements.Load256(ref x, offset);
        return TRowEnd.IsMasked && isLast ? quad & quadMask : quad;
    }

    /// <summary>The lane-wise products x∘w of one row in double (summed over its quads), 256-bit vectors.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> SingleRowProducts256<TQuads, TRowEnd>(
        ref float x, Vector256<double> quadMask, Vector256<double> w0, Vector256<double> w1, Vector256<double> w2, Vector256<double> w3)
        where TQuads : struct, IVectorCount
        where TRowEnd : struct, IRowEnd
    {
        var m = TQuads.Value;
        var p = Vector256.FusedMultiplyAdd(SingleQuad<TRowEnd>(ref x, 4, quadMask, m == 2), w1, SingleElements.Load256(ref x, 0) * w0);
        if (m > 2)
        {
            p = Vector256.FusedMultiplyAdd(SingleQuad<TRowEnd>(ref x, 8, quadMask, m == 3), w2, p);
        }

        if (m > 3)
        {
            p = Vector256.FusedMultiplyAdd(SingleQuad<TRowEnd>(ref x, 12, quadMask, true), w3, p);
        }

        return p;
    }

    /// <summary>Transpose-add of four vectors: lane i of the result is the sum of pᵢ's four lanes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector256<double> TransposeAdd4(Vector256<double> p0, Vector256<double> p1, Vector256<double> p2, Vector256<double> p3)
    {
        var h01 = Avx.HorizontalAdd(p0, p1);
        var h23 = Avx.HorizontalAdd(p2, p3);
        return Avx.Blend(h01, h23, 0b1100) + Avx.Permute2x128(h01, h23, 0x21);
    }
}
