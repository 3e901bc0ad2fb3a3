using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Gradients;

internal static partial class FusedPass
{
    /// <summary>
    /// The kernel for any D ≥ 4 with 256-bit vectors: four rows at a time, first their four dot products
    /// (row after row, so X is read as one sequential stream), then one sweep adding r₀x₀ + r₁x₁ + r₂x₂ + r₃x₃
    /// into the gradient sums (each sum loaded and stored once per four rows). The second read of the four rows
    /// hits L1/L2, so X is read from memory once.
    /// The column remainder is one overlapping vector ending at D, masked so no element counts twice.
    /// Float rows from D = <see cref="EightRowMinimum"/> go eight at a time (<see cref="EightRows256{T, TLanes, TLoss, TWeighting}"/>);
    /// with <see cref="OverlappedBlocks"/> (double rows of fewer than <see cref="OverlappedRowsLimit"/> columns), the
    /// two phases run overlapped (<see cref="OverlappedRows256{T, TLanes, TLoss, TWeighting}"/>), and with
    /// <see cref="SpreadBlocks"/> (double rows of <see cref="OverlappedRowsLimit"/> columns and more, at any D) a block's
    /// gradient terms are spread over the next block's dot products (<see cref="SpreadRows256{T, TLanes, TLoss, TWeighting}"/>).
    /// The four-row sweep below serves float, and the rows after the last block of four. The choice is a type
    /// argument: as a run-time test inside this kernel, the JIT gave the four-row sweep a reload from the stack per step.
    /// </summary>
    internal static ChunkSums Wide256<T, TLanes, TLoss, TWeighting, TBlocks>(
        ref T features, ref T targets, ref T weights, int dimension, int rows, double bias,
        Span<double> gradientSums, ref T residuals, bool writeResiduals, TLoss loss, ref T sampleWeights)
        where TLanes : struct, IDoubleLanes<T>
        where TLoss : struct, IPointwiseLoss
        where TWeighting : struct, IRowWeighting
        where TBlocks : struct, IWideBlocks
    {
        const int Lanes = 4;
        var d = (nuint)dimension;
        var (fullEnd, last, hasTail, counted) = SplitColumns(d, Lanes);
        var tailMask = Vector256.GreaterThanOrEqual(Vector256.Create(0L, 1L, 2L, 3L), Vector256.Create((long)counted)).AsDouble();

        gradientSums.Clear();
        ref var g = ref MemoryMarshal.GetReference(gradientSums);
        var sums = default(ChunkSums);
        var invalid = false;
        var invalidLanes = Vector256<double>.Zero;

        // float: ∞ or NaN in any float block sum of SweepSingleBlock (0 while every block is finite).
        var nonFinite = Vector256<float>.Zero;

        // Each row's dot product asks for its lines 4 KB ahead as it reads them (see PrefetchDistance and DotRow256).
        var blockBytes = 4 * d * (nuint)Unsafe.SizeOf<T>();
        var prefetch = Prefetches<T>(rows, d, blockBytes);

        nuint row = 0;
        if (d >= EightRowMinimum && !TBlocks.Spread)
        {
            row = EightRows256<T, TLanes, TLoss, TWeighting>(ref features, ref targets, ref weights, d, rows, bias, ref g, ref residuals, writeResiduals, loss, ref sampleWeights, fullEnd, last, hasTail, tailMask, ref sums, ref nonFinite);
        }
        else if (TBlocks.Spread)
        {
            row = SpreadRows256<T, TLanes, TLoss, TWeighting>(ref features, ref targets, ref weights, d, rows, bias, ref g, ref residuals, writeResiduals, loss, ref sampleWeights, fullEnd, last, hasTail, tailMask, ref sums, SpreadPrefetches<T>(rows, d), prefetch);
        }
        else if (TBlocks.Overlapped)
        {
            row = OverlappedRows256<T, TLanes, TLoss, TWeighting>(ref features, ref targets, ref weights, d, rows, bias, ref g, ref residuals, writeResiduals, loss, ref sampleWeights, fullEnd, last, hasTail, tailMask, ref sums, prefetch);
        }

        for (; row + 4 <= (nuint)rows; row += 4)
        {
            ref var x0 = ref Unsafe.Add(ref features, row * d);
            ref var x1 = ref Unsafe.Add(ref x0, d);
            ref var x2 = ref Unsafe.Add(ref x1, d);
            ref var x3 = ref Unsafe.Add(ref x2, d);

            // Row by row, not four rows interleaved: one sequential stream keeps the hardware prefetchers
            // trained (four interleaved 1 KB streams at D = 128 ran 2–3× slower from memory).
            var a0 = DotRow256<T, TLanes>(ref x0, ref weights, fullEnd, last, hasTail, tailMask, prefetch);
            var a1 = DotRow256<T, TLanes>(ref x1, ref weights, fullEnd, last, hasTail, tailMask, prefetch);
            var a2 = DotRow256<T, TLanes>(ref x2, ref weights, fullEnd, last, hasTail, tailMask, prefetch);
            var a3 = DotRow256<T, TLanes>(ref x3, ref weights, fullEnd, last, hasTail, tailMask, prefetch);

            BlockDerivatives<T, TLanes, TLoss, TWeighting>(loss, a0, a1, a2, a3, bias, ref targets, ref sampleWeights, ref residuals, writeResiduals, row, ref sums, ref invalid, ref invalidLanes, out var r0, out var r1, out var r2, out var r3);

            var s0 = Vector256.Create(r0);
            var s1 = Vector256.Create(r1);
            var s2 = Vector256.Create(r2);
            var s3 = Vector256.Create(r3);
            nuint start = 0;
            if (typeof(T) == typeof(float) && FitsSingle(Vector256.Create(r0, r1, r2, r3)))
            {
                start = SweepSingleBlock(ref Unsafe.As<T, float>(ref x0), ref Unsafe.As<T, float>(ref x1), ref Unsafe.As<T, float>(ref x2), ref Unsafe.As<T, float>(ref x3), Vector256.Create(r0, r1, r2, r3), ref g, fullEnd, ref nonFinite);
            }

            for (nuint j = start; j < fullEnd; j += Lanes)
            {
                var sum = Vector256.FusedMultiplyAdd(s1, TLanes.Load256(ref x1, j), s0 * TLanes.Load256(ref x0, j))
                    + Vector256.FusedMultiplyAdd(s3, TLanes.Load256(ref x3, j), s2 * TLanes.Load256(ref x2, j));
                (Vector256.LoadUnsafe(ref g, j) + sum).StoreUnsafe(ref g, j);
            }

            if (hasTail)
            {
                var sum = Vector256.FusedMultiplyAdd(s1, TLanes.Load256(ref x1, last), s0 * TLanes.Load256(ref x0, last))
                    + Vector256.FusedMultiplyAdd(s3, TLanes.Load256(ref x3, last), s2 * TLanes.Load256(ref x2, last));
                (Vector256.LoadUnsafe(ref g, last) + (sum & tailMask)).StoreUnsafe(ref g, last);
            }
        }

        for (; row < (nuint)rows; row++)
        {
            ref var x = ref Unsafe.Add(ref features, row * d);
            var a = DotRow256<T, TLanes>(ref x, ref weights, fullEnd, last, hasTail, tailMask, prefetch: false);
            sums.LossSum += OneRow<T, TLanes, TLoss, TWeighting>(loss, Vector256.Sum(a) + bias, ref targets, ref sampleWeights, ref residuals, writeResiduals, row, ref invalid, out var r);
            sums.DerivativeSum += r;

            var s = Vector256.Create(r);
            for (nuint j = 0; j < fullEnd; j += Lanes)
            {
                Vector256.FusedMultiplyAdd(s, TLanes.Load256(ref x, j), Vector256.LoadUnsafe(ref g, j)).StoreUnsafe(ref g, j);
            }

            if (hasTail)
            {
                (Vector256.LoadUnsafe(ref g, last) + ((s * TLanes.Load256(ref x, last)) & tailMask)).StoreUnsafe(ref g, last);
            }
        }

        if (typeof(T) == typeof(float) && !Vector256.EqualsAll(nonFinite, Vector256<float>.Zero))
        {
            // A float block sum overflowed (or the data holds ∞ or NaN): the chunk again, every product in double, as
            // the float kernels do (rare data; the scalar kernel, whose products never round to float).
            return Scalar<T, TLanes, TLoss, TWeighting>(ref features, ref targets, ref weights, dimension, rows, bias, gradientSums, ref residuals, writeResiduals, loss, ref sampleWeights);
        }

        if (invalid || invalidLanes != Vector256<double>.Zero)
        {
            sums.LossSum = double.NaN;
        }

        return new ChunkSums { LossSum = sums.LossSum, DerivativeSum = sums.DerivativeSum };
    }

    /// <summary>
    /// The D from which float rows (in chunks the float kernels do not serve) go eight at a time with interleaved dot
    /// products (rows of 2 KB and more were long enough streams for the prefetchers; at D = 128, interleaved 1 KB rows
    /// ran slower from memory). Double rows no longer do: on an AMD EPYC (Zen 4) VM whose memory was fast, eight rows
    /// read side by side ran at 1.5–3.3× the read-only pass from memory (D = 256 to 1000), where
    /// <see cref="SpreadRows256{T, TLanes, TLoss, TWeighting}"/> ran at 1.15–1.30× (docs/benchmarks.md, Zen 4 section,
    /// item 15), and neither do float rows past the float kernels' limit (D &gt; 512: 2.4–3.2× against 1.5–1.6×, item 21).
    /// What is left: float chunks of D = 256 to 512 too small for the float kernels (rows·D below 65,536), in cache.
    /// </summary>
    internal const int EightRowMinimum = 256;

    /// <summary>
    /// Long rows, eight at a time. The time of an in-cache pass follows the bytes that go through L1: X twice (the
    /// dot products, then the gradient sweep, by which time the rows have left L1), plus w once and the gradient
    /// sums twice per block. Eight rows with one load of each weight vector for all eight dot products cut that
    /// from about 44 to 37 bytes per element (TensorPrimitives' two passes move about 56).
    /// Returns the rows done (a multiple of eight).
    /// </summary>
    private static nuint EightRows256<T, TLanes, TLoss, TWeighting>(
        ref T features, ref T targets, ref T weights, nuint d, int rows, double bias, ref double g,
        ref T residuals, bool writeResiduals, TLoss loss, ref T sampleWeights, nuint fullEnd, nuint last, bool hasTail, Vector256<double> tailMask, ref ChunkSums sums, ref Vector256<float> nonFinite)
        where TLanes : struct, IDoubleLanes<T>
        where TLoss : struct, IPointwiseLoss
        where TWeighting : struct, IRowWeighting
    {
        const int Lanes = 4;
        var invalid = false;
        var invalidLanes = Vector256<double>.Zero;
        nuint row = 0;
        for (; row + 8 <= (nuint)rows; row += 8)
        {
            ref var x0 = ref Unsafe.Add(ref features, row * d);
            ref var x1 = ref Unsafe.Add(ref x0, d);
            ref var x2 = ref Unsafe.Add(ref x1, d);
            ref var x3 = ref Unsafe.Add(ref x2, d);
            ref var x4 = ref Unsafe.Add(ref x3, d);
            ref var x5 = ref Unsafe.Add(ref x4, d);
            ref var x6 = ref Unsafe.Add(ref x5, d);
            ref var x7 = ref Unsafe.Add(ref x6, d);

            Vector256<double> p0 = default, p1 = default, p2 = default, p3 = default;
            Vector256<double> p4 = default, p5 = default, p6 = default, p7 = default;
            for (nuint j = 0; j < fullEnd; j += Lanes)
            {
                var w = TLanes.Load256(ref weights, j);
                p0 = Vector256.FusedMultiplyAdd(TLanes.Load256(ref x0, j), w, p0);
                p1 = Vector256.FusedMultiplyAdd(TLanes.Load256(ref x1, j), w, p1);
                p2 = Vector256.FusedMultiplyAdd(TLanes.Load256(ref x2, j), w, p2);
                p3 = Vector256.FusedMultiplyAdd(TLanes.Load256(ref x3, j), w, p3);
                p4 = Vector256.FusedMultiplyAdd(TLanes.Load256(ref x4, j), w, p4);
                p5 = Vector256.FusedMultiplyAdd(TLanes.Load256(ref x5, j), w, p5);
                p6 = Vector256.FusedMultiplyAdd(TLanes.Load256(ref x6, j), w, p6);
                p7 = Vector256.FusedMultiplyAdd(TLanes.Load256(ref x7, j), w, p7);
            }

            if (hasTail)
            {
                // The product is masked, not w: an infinity in an already-counted lane times a zero weight would be NaN.
                var w = TLanes.Load256(ref weights, last);
                p0 += (TLanes.Load256(ref x0, last) * w) & tailMask;
                p1 += (TLanes.Load256(ref x1, last) * w) & tailMask;
                p2 += (TLanes.Load256(ref x2, last) * w) & tailMask;
                p3 += (TLanes.Load256(ref x3, last) * w) & tailMask;
                p4 += (TLanes.Load256(ref x4, last) * w) & tailMask;
                p5 += (TLanes.Load256(ref x5, last) * w) & tailMask;
                p6 += (TLanes.Load256(ref x6, last) * w) & tailMask;
                p7 += (TLanes.Load256(ref x7, last) * w) & tailMask;
            }

            double r0, r1, r2, r3, r4, r5, r6, r7;
            if (TLoss.PrefersVectors)
            {
                var biases = Vector256.Create(bias);
                var etaA = Vector256.Create(Vector256.Sum(p0), Vector256.Sum(p1), Vector256.Sum(p2), Vector256.Sum(p3)) + biases;
                var etaB = Vector256.Create(Vector256.Sum(p4), Vector256.Sum(p5), Vector256.Sum(p6), Vector256.Sum(p7)) + biases;
                var lossLanes = Vector256<double>.Zero;
                var ra = FourRows<T, TLanes, TLoss, TWeighting>(loss, etaA, ref targets, ref sampleWeights, ref residuals, writeResiduals, row, ref lossLanes, ref invalidLanes);
                var rb = FourRows<T, TLanes, TLoss, TWeighting>(loss, etaB, ref targets, ref sampleWeights, ref residuals, writeResiduals, row + 4, ref lossLanes, ref invalidLanes);
                sums.LossSum += Vector256.Sum(lossLanes);
                sums.DerivativeSum += Vector256.Sum(ra + rb);
                (r0, r1, r2, r3) = (ra.ToScalar(), ra.GetElement(1), ra.GetElement(2), ra.GetElement(3));
                (r4, r5, r6, r7) = (rb.ToScalar(), rb.GetElement(1), rb.GetElement(2), rb.GetElement(3));
            }
            else
            {
                var l0 = OneRow<T, TLanes, TLoss, TWeighting>(loss, Vector256.Sum(p0) + bias, ref targets, ref sampleWeights, ref residuals, writeResiduals, row, ref invalid, out r0);
                var l1 = OneRow<T, TLanes, TLoss, TWeighting>(loss, Vector256.Sum(p1) + bias, ref targets, ref sampleWeights, ref residuals, writeResiduals, row + 1, ref invalid, out r1);
                var l2 = OneRow<T, TLanes, TLoss, TWeighting>(loss, Vector256.Sum(p2) + bias, ref targets, ref sampleWeights, ref residuals, writeResiduals, row + 2, ref invalid, out r2);
                var l3 = OneRow<T, TLanes, TLoss, TWeighting>(loss, Vector256.Sum(p3) + bias, ref targets, ref sampleWeights, ref residuals, writeResiduals, row + 3, ref invalid, out r3);
                var l4 = OneRow<T, TLanes, TLoss, TWeighting>(loss, Vector256.Sum(p4) + bias, ref targets, ref sampleWeights, ref residuals, writeResiduals, row + 4, ref invalid, out r4);
                var l5 = OneRow<T, TLanes, TLoss, TWeighting>(loss, Vector256.Sum(p5) + bias, ref targets, ref sampleWeights, ref residuals, writeResiduals, row + 5, ref invalid, out r5);
                var l6 = OneRow<T, TLanes, TLoss, TWeighting>(loss, Vector256.Sum(p6) + bias, ref targets, ref sampleWeights, ref residuals, writeResiduals, row + 6, ref invalid, out r6);
                var l7 = OneRow<T, TLanes, TLoss, TWeighting>(loss, Vector256.Sum(p7) + bias, ref targets, ref sampleWeights, ref residuals, writeResiduals, row + 7, ref invalid, out r7);
                sums.LossSum += (l0 + l1 + (l2 + l3)) + (l4 + l5 + (l6 + l7));
                sums.DerivativeSum += (r0 + r1 + (r2 + r3)) + (r4 + r5 + (r6 + r7));
            }

            var s0 = Vector256.Create(r0);
            var s1 = Vector256.Create(r1);
            var s2 = Vector256.Create(r2);
            var s3 = Vector256.Create(r3);
            var s4 = Vector256.Create(r4);
            var s5 = Vector256.Create(r5);
            var s6 = Vector256.Create(r6);
            var s7 = Vector256.Create(r7);
            nuint start = 0;
            if (typeof(T) == typeof(float) && FitsSingle(Vector256.Create(r0, r1, r2, r3)) && FitsSingle(Vector256.Create(r4, r5, r6, r7)))
            {
                // Two blocks of four rows, each summed in float (the same error per term as the four-row kernel).
                SweepSingleBlock(ref Unsafe.As<T, float>(ref x0), ref Unsafe.As<T, float>(ref x1), ref Unsafe.As<T, float>(ref x2), ref Unsafe.As<T, float>(ref x3), Vector256.Create(r0, r1, r2, r3), ref g, fullEnd, ref nonFinite);
                start = SweepSingleBlock(ref Unsafe.As<T, float>(ref x4), ref Unsafe.As<T, float>(ref x5), ref Unsafe.As<T, float>(ref x6), ref Unsafe.As<T, float>(ref x7), Vector256.Create(r4, r5, r6, r7), ref g, fullEnd, ref nonFinite);
            }

            for (nuint j = start; j < fullEnd; j += Lanes)
            {
                var a = Vector256.FusedMultiplyAdd(s2, TLanes.Load256(ref x2, j), Vector256.FusedMultiplyAdd(s0, TLanes.Load256(ref x0, j), Vector256.LoadUnsafe(ref g, j)));
                var b = Vector256.FusedMultiplyAdd(s3, TLanes.Load256(ref x3, j), s1 * TLanes.Load256(ref x1, j));
                a = Vector256.FusedMultiplyAdd(s6, TLanes.Load256(ref x6, j), Vector256.FusedMultiplyAdd(s4, TLanes.Load256(ref x4, j), a));
                b = Vector256.FusedMultiplyAdd(s7, TLanes.Load256(ref x7, j), Vector256.FusedMultiplyAdd(s5, TLanes.Load256(ref x5, j), b));
                (a + b).StoreUnsafe(ref g, j);
            }

            if (hasTail)
            {
                var a = Vector256.FusedMultiplyAdd(s2, TLanes.Load256(ref x2, last), s0 * TLanes.Load256(ref x0, last));
                var b = Vector256.FusedMultiplyAdd(s3, TLanes.Load256(ref x3, last), s1 * TLanes.Load256(ref x1, last));
                a = Vector256.FusedMultiplyAdd(s6, TLanes.Load256(ref x6, last), Vector256.FusedMultiplyAdd(s4, TLanes.Load256(ref x4, last), a));
                b = Vector256.FusedMultiplyAdd(s7, TLanes.Load256(ref x7, last), Vector256.FusedMultiplyAdd(s5, TLanes.Load256(ref x5, last), b));
                (Vector256.LoadUnsafe(ref g, last) + ((a + b) & tailMask)).StoreUnsafe(ref g, last);
            }
        }

        if (invalid || invalidLanes != Vector256<double>.Zero)
        {
            sums.LossSum = double.NaN;
        }

        return row;
    }

    /// <summary>
    /// Whether four residuals survive rounding to float: finite and at most float's largest value (a residual past
    /// it would become ∞, and ∞·0 a NaN where the double sweep has 0). NaN fails too (the double sweep propagates it).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool FitsSingle(Vector256<double> residuals) =>
        Vector256.LessThanOrEqualAll(Vector256.Abs(residuals), Vector256.Create((double)float.MaxValue));

    /// <summary>
    /// The gradient sweep of four float rows at float speed: Σᵢ sᵢ·xᵢⱼ over the block's four rows in float (eight
    /// lanes, sᵢ the residual rounded to float), widened exactly and added to the double sums <paramref name="g"/>.
    /// Each term of a block carries a relative error of at most (1 + u)⁴ − 1 ≈ 4u, u = 2⁻²⁴ (the rounding of
    /// rᵢ, then two roundings in the FMA chain and one in the final add), and the block sums are added in double, so
    /// the error of Σ r·xⱼ over N rows is at most 4u·Σ|r·xⱼ| + γ_{N/4}(double)·Σ|r·xⱼ| (blocked summation:
    /// Blanchard, Higham and Mary, SIAM J. Sci. Comput. 42(3), 2020): it does not grow with N at float's u.
    /// Products below float's normal range lose their relative precision (absolute error ≤ 2⁻¹⁴⁹ each); a block sum
    /// past float's range (products of large residuals and large features overflow in float, where double holds them)
    /// turns <paramref name="nonFinite"/> to NaN, and the caller computes the chunk again in double.
    /// Returns the first column not swept (a multiple of eight); the caller finishes the rest in double.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static nuint SweepSingleBlock(ref float x0, ref float x1, ref float x2, ref float x3, Vector256<double> residuals, ref double g, nuint fullEnd, ref Vector256<float> nonFinite)
    {
        const int Lanes = 8;
        var narrow = Vector128.Narrow(residuals.GetLower(), residuals.GetUpper());
        var s0 = Vector256.Create(narrow.ToScalar());
        var s1 = Vector256.Create(narrow.GetElement(1));
        var s2 = Vector256.Create(narrow.GetElement(2));
        var s3 = Vector256.Create(narrow.GetElement(3));
        var end = fullEnd & ~(nuint)(Lanes - 1);
        for (nuint j = 0; j < end; j += Lanes)
        {
            var sum = Vector256.FusedMultiplyAdd(s1, Vector256.LoadUnsafe(ref x1, j), s0 * Vector256.LoadUnsafe(ref x0, j))
                + Vector256.FusedMultiplyAdd(s3, Vector256.LoadUnsafe(ref x3, j), s2 * Vector256.LoadUnsafe(ref x2, j));
            nonFinite += sum * Vector256<float>.Zero;
            var (lower, upper) = Vector256.Widen(sum);
            (Vector256.LoadUnsafe(ref g, j) + lower).StoreUnsafe(ref g, j);
            (Vector256.LoadUnsafe(ref g, j + 4) + upper).StoreUnsafe(ref g, j + 4);
        }

        return end;
    }

    /// <summary>
    /// x·w over one row as a vector of partial sums: four accumulators (four FMA chains in flight), the column remainder
    /// as one overlapping vector ending at D with the already-counted lanes masked off. With
    /// <paramref name="prefetch"/>, each step of sixteen columns asks for the same columns'
    /// lines <see cref="PrefetchDistance"/> ahead into L1 and <see cref="L2PrefetchDistance"/>
    /// ahead into L2 (<see cref="PrefetchAhead{T}(ref T, nuint)"/>), so the hints go out at the rate the row is read.
    /// </summary>
    /// <remarks>
    /// The kernels asked for a whole block of four rows (4 KB at D = 128) in one burst before its dot products until an
    /// AMD EPYC (Zen 4) VM measured the burst against hints spread over the rows' steps (`ab-launch`, the builds
    /// alternating, three rounds, ratio to the read-only pass of the same width at (100,000 × 128)): MSE 1.96 → 1.07,
    /// logistic 2.01 → 1.08, Poisson 1.94 → 1.13, Huber 2.18 → 1.16; with AVX2 off (<see cref="DotRow128{T, TLanes}"/>)
    /// MSE 2.65 → 1.26. Four bursts of a row each, one before each row's dot product, gave 1.25 (MSE) and 1.35
    /// (logistic). The choice is a flag tested per step, not a type argument: with the dot products compiled once per
    /// choice the logistic kernel ran 4.95× (not investigated). Not measured on Intel, where the burst had taken the
    /// same shapes from 1.2–1.8× to 0.9–1.0× against no hint at all. See docs/benchmarks.md.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> DotRow256<T, TLanes>(ref T x, ref T weights, nuint fullEnd, nuint last, bool hasTail, Vector256<double> tailMask, bool prefetch)
        where TLanes : struct, IDoubleLanes<T>
    {
        const int Lanes = 4;
        Vector256<double> a = default, b = default, c = default, e = default;
        nuint j = 0;
        var quadEnd = fullEnd & ~(nuint)((4 * Lanes) - 1);
        for (; j < quadEnd; j += 4 * Lanes)
        {
            if (prefetch)
            {
                PrefetchAhead(ref Unsafe.Add(ref x, j), 4 * Lanes * (nuint)Unsafe.SizeOf<T>());
            }

            a = Vector256.FusedMultiplyAdd(TLanes.Load256(ref x, j), TLanes.Load256(ref weights, j), a);
            b = Vector256.FusedMultiplyAdd(TLanes.Load256(ref x, j + Lanes), TLanes.Load256(ref weights, j + Lanes), b);
            c = Vector256.FusedMultiplyAdd(TLanes.Load256(ref x, j + (2 * Lanes)), TLanes.Load256(ref weights, j + (2 * Lanes)), c);
            e = Vector256.FusedMultiplyAdd(TLanes.Load256(ref x, j + (3 * Lanes)), TLanes.Load256(ref weights, j + (3 * Lanes)), e);
        }

        if (prefetch && j < fullEnd + (hasTail ? (nuint)Lanes : 0))
        {
            // The row's last columns, fewer than sixteen (with the remainder vector, which may end before fullEnd + 4).
            PrefetchAhead(ref Unsafe.Add(ref x, j), (fullEnd - j + (hasTail ? (nuint)Lanes : 0)) * (nuint)Unsafe.SizeOf<T>());
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

}
