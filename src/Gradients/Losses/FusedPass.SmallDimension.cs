using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Gradients;

/// <summary>How many 256-bit vectors of doubles hold one row in the small-dimension kernels, double and float (a JIT-time constant).</summary>
internal interface IVectorCount
{
    /// <summary>The count, 1 to 4.</summary>
    static abstract int Value { get; }
}

/// <summary>D in 1…4.</summary>
internal readonly struct OneVector : IVectorCount
{
    public static int Value => 1;
}

/// <summary>D in 5…8.</summary>
internal readonly struct TwoVectors : IVectorCount
{
    public static int Value => 2;
}

/// <summary>D in 9…12.</summary>
internal readonly struct ThreeVectors : IVectorCount
{
    public static int Value => 3;
}

/// <summary>D in 13…16.</summary>
internal readonly struct FourVectors : IVectorCount
{
    public static int Value => 4;
}

/// <summary>Whether rows end inside a vector (D not a multiple of 4), so the last vector of a row needs masking.</summary>
internal interface IRowEnd
{
    /// <summary>True when D mod 4 ≠ 0.</summary>
    static abstract bool IsMasked { get; }
}

/// <summary>D mod 4 ≠ 0: the last vector of each row runs into the next row and is masked.</summary>
internal readonly struct MaskedRowEnd : IRowEnd
{
    public static bool IsMasked => true;
}

/// <summary>D mod 4 = 0: rows are whole vectors; four AND operations per block saved.</summary>
internal readonly struct AlignedRowEnd : IRowEnd
{
    public static bool IsMasked => false;
}

internal static partial class FusedPass
{
    /// <summary>
    /// The register kernel for D ≤ 16 (from the fused pass with AVX2, double D = 3…16 and float D = 5…16: narrower rows run
    /// <see cref="Narrow256{T, TLanes, TLoss, TWeighting}"/>): the weights and the gradient sums stay in registers, four rows per
    /// iteration. Each row is read as ⌈D/4⌉ vectors starting at the row (the last one runs into the next row
    /// and is masked), the four row dot products are reduced together by one transpose-add, and the four
    /// residuals are broadcast into the gradient FMAs. Per-row <c>TensorPrimitives</c> calls cost about 3 ns each,
    /// which is the whole budget at D = 4, hence a kernel of its own.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static ChunkSums SmallDimension<T, TLanes, TLoss, TWeighting>(
        ref T features, ref T targets, ref T weights, int dimension, int rows, nuint available, double bias,
        Span<double> gradientSums, ref T residuals, bool writeResiduals, TLoss loss, ref T sampleWeights)
        where TLanes : struct, IDoubleLanes<T>
        where TLoss : struct, IPointwiseLoss
        where TWeighting : struct, IRowWeighting =>
        (dimension & 3) == 0
            ? (dimension >> 2) switch
            {
                1 => Small<T, TLanes, OneVector, AlignedRowEnd, TLoss, TWeighting, NoPrefetch>(ref features, ref targets, ref weights, dimension, rows, available, bias, gradientSums, ref residuals, writeResiduals, loss, ref sampleWeights),
                2 => Small<T, TLanes, TwoVectors, AlignedRowEnd, TLoss, TWeighting, NoPrefetch>(ref features, ref targets, ref weights, dimension, rows, available, bias, gradientSums, ref residuals, writeResiduals, loss, ref sampleWeights),
                3 => Small<T, TLanes, ThreeVectors, AlignedRowEnd, TLoss, TWeighting, NoPrefetch>(ref features, ref targets, ref weights, dimension, rows, available, bias, gradientSums, ref residuals, writeResiduals, loss, ref sampleWeights),
                _ => Small<T, TLanes, FourVectors, AlignedRowEnd, TLoss, TWeighting, NoPrefetch>(ref features, ref targets, ref weights, dimension, rows, available, bias, gradientSums, ref residuals, writeResiduals, loss, ref sampleWeights),
            }
            : ((dimension + 3) >> 2) switch
            {
                1 => Small<T, TLanes, OneVector, MaskedRowEnd, TLoss, TWeighting, NoPrefetch>(ref features, ref targets, ref weights, dimension, rows, available, bias, gradientSums, ref residuals, writeResiduals, loss, ref sampleWeights),
                2 => Small<T, TLanes, TwoVectors, MaskedRowEnd, TLoss, TWeighting, NoPrefetch>(ref features, ref targets, ref weights, dimension, rows, available, bias, gradientSums, ref residuals, writeResiduals, loss, ref sampleWeights),
                3 => Small<T, TLanes, ThreeVectors, MaskedRowEnd, TLoss, TWeighting, NoPrefetch>(ref features, ref targets, ref weights, dimension, rows, available, bias, gradientSums, ref residuals, writeResiduals, loss, ref sampleWeights),
                _ => Small<T, TLanes, FourVectors, MaskedRowEnd, TLoss, TWeighting, NoPrefetch>(ref features, ref targets, ref weights, dimension, rows, available, bias, gradientSums, ref residuals, writeResiduals, loss, ref sampleWeights),
            };

    private static ChunkSums Small<T, TLanes, TCount, TRowEnd, TLoss, TWeighting, TPrefetch>(
        ref T features, ref T targets, ref T weights, int dimension, int rows, nuint available, double bias,
        Span<double> gradientSums, ref T residuals, bool writeResiduals, TLoss loss, ref T sampleWeights)
        where TLanes : struct, IDoubleLanes<T>
        where TLoss : struct, IPointwiseLoss
        where TWeighting : struct, IRowWeighting
        where TCount : struct, IVectorCount
        where TRowEnd : struct, IRowEnd
        where TPrefetch : struct, IPrefetchChoice
    {
        var m = TCount.Value;
        var d = (nuint)dimension;

        // Chunks larger than L1 run in a twin of this kernel that asks for the block 4 KB ahead (see PrefetchDistance);
        // small data (the 50-row calls) keeps a loop with no trace of it.
        // Chunks that run in groups of three phases (see SmallInGroups) take no hints.
        var blockBytes = 4 * d * (nuint)Unsafe.SizeOf<T>();
        var grouped = m > 1 && typeof(T) == typeof(double) && GroupsTheRegisterKernel(rows, d);
        if (!TPrefetch.IsEnabled && !grouped && HintsTheRegisterKernel<TLoss>() && Prefetches<T>(rows, d, blockBytes))
        {
            return Small<T, TLanes, TCount, TRowEnd, TLoss, TWeighting, WithPrefetch>(ref features, ref targets, ref weights, dimension, rows, available, bias, gradientSums, ref residuals, writeResiduals, loss, ref sampleWeights);
        }

        // The weights as m vectors, the last one padded with zeros. Built in registers: four scalar stores
        // followed by a vector load of the same bytes would stall on store-to-load forwarding (measured: a
        // third of the kernel's time at 4 × 4).
        var last = dimension - (4 * (m - 1));
        var w0 = WeightVector<T, TLanes, TRowEnd>(ref weights, 0, m == 1 ? last : 4);
        var w1 = m > 1 ? WeightVector<T, TLanes, TRowEnd>(ref weights, 4, m == 2 ? last : 4) : default;
        var w2 = m > 2 ? WeightVector<T, TLanes, TRowEnd>(ref weights, 8, m == 3 ? last : 4) : default;
        var w3 = m > 3 ? WeightVector<T, TLanes, TRowEnd>(ref weights, 12, last) : default;

        // The last vector of a row holds D − 4(m−1) real lanes; the rest belong to the next row and are
        // zeroed by this mask (masking, not multiplying by the zero weights, keeps a NaN or ∞ in the next row
        // from leaking into this one).
        var mask = Vector256.LessThan(Vector256.Create(0L, 1L, 2L, 3L), Vector256.Create((long)(dimension - (4 * (m - 1))))).AsDouble();
        var bias4 = Vector256.Create(bias);

        // A row may be read with vectors only if its 4m lanes lie inside X.
        var span = (nuint)(4 * m);
        var safeRows = ((nuint)(rows - 1) * d) + span <= available
            ? (nuint)rows
            : available >= span ? ((available - span) / d) + 1 : 0;
        var blockEnd = safeRows & ~(nuint)3;

        Vector256<double> ga0 = default, ga1 = default, ga2 = default, ga3 = default;
        Vector256<double> gb0 = default, gb1 = default, gb2 = default, gb3 = default;
        var lossSums = Vector256<double>.Zero;
        var residualSum = Vector256<double>.Zero;
        var invalid = Vector256<double>.Zero;

        // D ≤ 4: the block is transposed instead (column j of four rows in one vector), so the four dots are
        // FMAs with broadcast weights and the gradient needs no residual broadcasts: Σᵢ rᵢ·xᵢⱼ accumulates lane-wise
        // in cⱼ ⊙ r and is reduced once at the end. About a third fewer vector operations per block.
        var wb0 = Vector256.Create(w0.GetElement(0));
        var wb1 = Vector256.Create(w0.GetElement(1));
        var wb2 = Vector256.Create(w0.GetElement(2));
        var wb3 = Vector256.Create(w0.GetElement(3));
        Vector256<double> c0Sum = default, c1Sum = default, c2Sum = default, c3Sum = default;

        // Column masks for D < 4: the columns past D belong to the next row and are zeroed.
        var keep1 = Vector256.Create(dimension > 1 ? -1L : 0L).AsDouble();
        var keep2 = Vector256.Create(dimension > 2 ? -1L : 0L).AsDouble();

        nuint row = 0;
        for (; m == 1 && row < blockEnd; row += 4)
        {
            if (TPrefetch.IsEnabled)
            {
                PrefetchAhead(ref Unsafe.Add(ref features, row * d), blockBytes);
            }

            // The transpose starts with 128-bit halves: u0 = [a0 a1 c0 c1], u1 = [b0 b1 d0 d1], u2 = [a2 a3 c2 c3],
            // u3 = [b2 b3 d2 d3] for rows a, b, c, d (a load and an insert each), then in-lane unpacks. No
            // vperm2f128, which has no EVEX form and cost register copies when the JIT used ymm16–31.
            var at = row * d;
            var u0 = Vector256.Create(TLanes.Load128(ref features, at), TLanes.Load128(ref features, at + (2 * d)));
            var u1 = Vector256.Create(TLanes.Load128(ref features, at + d), TLanes.Load128(ref features, at + (3 * d)));
            var u2 = Vector256.Create(TLanes.Load128(ref features, at + 2), TLanes.Load128(ref features, at + (2 * d) + 2));
            var u3 = Vector256.Create(TLanes.Load128(ref features, at + d + 2), TLanes.Load128(ref features, at + (3 * d) + 2));
            var c0 = Avx.UnpackLow(u0, u1);
            var c1 = Avx.UnpackHigh(u0, u1);
            var c2 = Avx.UnpackLow(u2, u3);
            var c3 = Avx.UnpackHigh(u2, u3);
            if (TRowEnd.IsMasked)
            {
                c1 &= keep1;
                c2 &= keep2;
                c3 = Vector256<double>.Zero;
            }

            // η as one chain of four multiply-adds from the intercept: four operations and one temporary. Two chains
            // of two joined by an add, then the intercept added (six operations, two temporaries), needed more vector
            // registers than AVX2's 16 with the sums and weights: the JIT reloaded two weights from the stack every
            // block; now only the intercept. With AVX-512 off, (50 × 4) went from 61 to 57 ns and (400 × 4) from 280
            // to 258 (double, one process alternating both forms); by default 2 % faster (docs/benchmarks.md, Zen 4
            // item 23).
            var eta = Vector256.FusedMultiplyAdd(c3, wb3, Vector256.FusedMultiplyAdd(c2, wb2, Vector256.FusedMultiplyAdd(c1, wb1, Vector256.FusedMultiplyAdd(c0, wb0, bias4))));
            var r = FourRows<T, TLanes, TLoss, TWeighting>(loss, eta, ref targets, ref sampleWeights, ref residuals, writeResiduals, row, ref lossSums, ref invalid);
            residualSum += r;

            c0Sum = Vector256.FusedMultiplyAdd(c0, r, c0Sum);
            c1Sum = Vector256.FusedMultiplyAdd(c1, r, c1Sum);
            c2Sum = Vector256.FusedMultiplyAdd(c2, r, c2Sum);
            c3Sum = Vector256.FusedMultiplyAdd(c3, r, c3Sum);
        }

        // Large chunks on processors other than Intel's: rows in groups of three phases.
        if (grouped)
        {
            var end = blockEnd - (blockEnd % RegisterGroupRows);
            var groups = SmallInGroups<T, TLanes, TCount, TRowEnd, TLoss, TWeighting>(ref features, ref targets, d, end, bias4, mask, w0, w1, w2, w3, ref residuals, writeResiduals, loss, ref sampleWeights);
            (ga0, ga1, ga2, ga3, gb0, gb1, gb2, gb3) = (groups.A0, groups.A1, groups.A2, groups.A3, groups.B0, groups.B1, groups.B2, groups.B3);
            (lossSums, residualSum, invalid) = (groups.Loss, groups.Derivative, groups.Invalid);
            row = end;
        }

        for (; m > 1 && row < blockEnd; row += 4)
        {
            var at = row * d;
            if (TPrefetch.IsEnabled)
            {
                PrefetchAhead(ref Unsafe.Add(ref features, at), blockBytes);
            }

            var p0 = RowProducts<T, TLanes, TCount, TRowEnd>(ref features, at, mask, w0, w1, w2, w3, out var x00, out var x01, out var x02, out var x03);
            var p1 = RowProducts<T, TLanes, TCount, TRowEnd>(ref features, at + d, mask, w0, w1, w2, w3, out var x10, out var x11, out var x12, out var x13);
            var p2 = RowProducts<T, TLanes, TCount, TRowEnd>(ref features, at + (2 * d), mask, w0, w1, w2, w3, out var x20, out var x21, out var x22, out var x23);
            var p3 = RowProducts<T, TLanes, TCount, TRowEnd>(ref features, at + (3 * d), mask, w0, w1, w2, w3, out var x30, out var x31, out var x32, out var x33);

            var dots = TransposeAdd4(p0, p1, p2, p3);

            var r = FourRows<T, TLanes, TLoss, TWeighting>(loss, dots + bias4, ref targets, ref sampleWeights, ref residuals, writeResiduals, row, ref lossSums, ref invalid);
            residualSum += r;

            var r0 = Avx2.Permute4x64(r, 0x00);
            var r1 = Avx2.Permute4x64(r, 0x55);
            var r2 = Avx2.Permute4x64(r, 0xAA);
            var r3 = Avx2.Permute4x64(r, 0xFF);

            // Two accumulator sets, each gaining two chained FMAs per iteration: 16 FMAs per block at D = 16 (a
            // product pair plus an add per set cost 24 operations, and a memory-bound pass feels every one: the
            // fewer operations per byte, the further ahead of the loads the out-of-order window runs).
            if (typeof(T) == typeof(double))
            {
                // The rows are read again from L1 as memory operands of the FMAs rather than kept in 4m registers:
                // with them live, the loop needed more than 32 vector registers and spilled every iteration.
                AddFourRowTerms<T, TLanes, TCount>(ref Unsafe.Add(ref features, at), d, r0, r1, r2, r3, ref ga0, ref ga1, ref ga2, ref ga3, ref gb0, ref gb1, ref gb2, ref gb3);
                continue;
            }

            // float rows are kept in registers (widened once); at D > 12 one accumulator set, with four chained FMAs:
            // with two sets the loop needed more than 32 vector registers and took its sums through the stack
            // (50 × 16 float: 170 → 157 ns, double 145 ns).
            if (m > 3)
            {
                ga0 = Vector256.FusedMultiplyAdd(r3, x30, Vector256.FusedMultiplyAdd(r2, x20, Vector256.FusedMultiplyAdd(r1, x10, Vector256.FusedMultiplyAdd(r0, x00, ga0))));
                ga1 = Vector256.FusedMultiplyAdd(r3, x31, Vector256.FusedMultiplyAdd(r2, x21, Vector256.FusedMultiplyAdd(r1, x11, Vector256.FusedMultiplyAdd(r0, x01, ga1))));
                ga2 = Vector256.FusedMultiplyAdd(r3, x32, Vector256.FusedMultiplyAdd(r2, x22, Vector256.FusedMultiplyAdd(r1, x12, Vector256.FusedMultiplyAdd(r0, x02, ga2))));
                ga3 = Vector256.FusedMultiplyAdd(r3, x33, Vector256.FusedMultiplyAdd(r2, x23, Vector256.FusedMultiplyAdd(r1, x13, Vector256.FusedMultiplyAdd(r0, x03, ga3))));
                continue;
            }

            ga0 = Vector256.FusedMultiplyAdd(r2, x20, Vector256.FusedMultiplyAdd(r0, x00, ga0));
            gb0 = Vector256.FusedMultiplyAdd(r3, x30, Vector256.FusedMultiplyAdd(r1, x10, gb0));
            if (m > 1)
            {
                ga1 = Vector256.FusedMultiplyAdd(r2, x21, Vector256.FusedMultiplyAdd(r0, x01, ga1));
                gb1 = Vector256.FusedMultiplyAdd(r3, x31, Vector256.FusedMultiplyAdd(r1, x11, gb1));
            }

            if (m > 2)
            {
                ga2 = Vector256.FusedMultiplyAdd(r2, x22, Vector256.FusedMultiplyAdd(r0, x02, ga2));
                gb2 = Vector256.FusedMultiplyAdd(r3, x32, Vector256.FusedMultiplyAdd(r1, x12, gb2));
            }

            if (m > 3)
            {
                ga3 = Vector256.FusedMultiplyAdd(r2, x23, Vector256.FusedMultiplyAdd(r0, x03, ga3));
                gb3 = Vector256.FusedMultiplyAdd(r3, x33, Vector256.FusedMultiplyAdd(r1, x13, gb3));
            }
        }

        // The two sums as scalars, not ChunkSums fields: the JIT kept the struct in memory, and each leftover row's additions
        // went through it (a store and a reload per row).
        var lossSum = 0.0;
        var derivativeSum = 0.0;
        var invalidRow = false;

        // Leftover rows that may still be read with vectors: one at a time.
        for (; row < safeRows; row++)
        {
            var p = RowProducts<T, TLanes, TCount, TRowEnd>(ref features, row * d, mask, w0, w1, w2, w3, out var x0, out var x1, out var x2, out var x3);
            lossSum += OneRow<T, TLanes, TLoss, TWeighting>(loss, Vector256.Sum(p) + bias, ref targets, ref sampleWeights, ref residuals, writeResiduals, row, ref invalidRow, out var r);
            derivativeSum += r;

            var rv = Vector256.Create(r);
            ga0 = Vector256.FusedMultiplyAdd(rv, x0, ga0);
            ga1 = m > 1 ? Vector256.FusedMultiplyAdd(rv, x1, ga1) : ga1;
            ga2 = m > 2 ? Vector256.FusedMultiplyAdd(rv, x2, ga2) : ga2;
            ga3 = m > 3 ? Vector256.FusedMultiplyAdd(rv, x3, ga3) : ga3;
        }

        // Both reductions in one: lanes 0, 2 of the horizontal add hold Σℓ halves, lanes 1, 3 Σd halves.
        var pair = Avx.HorizontalAdd(lossSums, residualSum);
        var folded = pair.GetLower() + pair.GetUpper();
        lossSum += folded.ToScalar();
        derivativeSum += folded.GetElement(1);

        // The gradient sums leave the registers straight into gradientSums (length D): whole vectors, then
        // the real lanes of the last one.
        ref var gradient = ref MemoryMarshal.GetReference(gradientSums);
        var g0 = ga0 + gb0;
        if (m == 1)
        {
            // Transpose-add: lane j becomes the sum of cⱼSum's four lanes, Σᵢ rᵢ·xᵢⱼ over the transposed blocks.
            var h01 = Avx.HorizontalAdd(c0Sum, c1Sum);
            var h23 = Avx.HorizontalAdd(c2Sum, c3Sum);
            g0 += Avx.Blend(h01, h23, 0b1100) + Avx.Permute2x128(h01, h23, 0x21);
        }

        StoreGradient<TRowEnd>(m == 1 ? last : 4, g0, ref gradient, 0);
        if (m > 1)
        {
            StoreGradient<TRowEnd>(m == 2 ? last : 4, ga1 + gb1, ref gradient, 4);
        }

        if (m > 2)
        {
            StoreGradient<TRowEnd>(m == 3 ? last : 4, ga2 + gb2, ref gradient, 8);
        }

        if (m > 3)
        {
            StoreGradient<TRowEnd>(last, ga3 + gb3, ref gradient, 12);
        }

        // The last rows, whose vectors would run past the end of X: scalar.
        for (; row < (nuint)rows; row++)
        {
            var dot = 0.0;
            for (nuint j = 0; j < d; j++)
            {
                dot += TLanes.Load(ref features, (row * d) + j) * TLanes.Load(ref weights, j);
            }

            lossSum += OneRow<T, TLanes, TLoss, TWeighting>(loss, dot + bias, ref targets, ref sampleWeights, ref residuals, writeResiduals, row, ref invalidRow, out var r);
            derivativeSum += r;

            for (nuint j = 0; j < d; j++)
            {
                Unsafe.Add(ref gradient, j) += r * TLanes.Load(ref features, (row * d) + j);
            }
        }

        if (invalidRow || invalid != Vector256<double>.Zero)
        {
            lossSum = double.NaN;
        }

        return new ChunkSums { LossSum = lossSum, DerivativeSum = derivativeSum };
    }

    /// <summary>
    /// Whether the register kernel gives software prefetch hints for <typeparamref name="TLoss"/>: always on Intel's
    /// processors (where the hints took the logistic loss from 1.2–1.7× to 1.0–1.25× the read-only pass); elsewhere only
    /// for the losses without transcendental functions (<see cref="IPointwiseLoss.UsesTranscendentalFunctions"/> false). Chunks that
    /// run in groups (<see cref="GroupsTheRegisterKernel(int, nuint)"/>: double, 5 ≤ D ≤ 16, every processor but Intel's)
    /// take none whatever this says, so elsewhere than on Intel this now decides for D ≤ 4 and for float only.
    /// </summary>
    /// <remarks>
    /// On an AMD EPYC (Zen 4) VM, at (2,000,000 × 16), <c>ab-launch</c> pairs alternating with and without hints: the logistic
    /// loss took 1.67 (1.55–1.85) × the read-only pass with them and 1.41 (1.38–1.45) without, kernel time 17.9–21.8 ms
    /// against 15.5–17.5 in all eight rounds. The mean squared error without hints was bimodal by process (1.12–2.09,
    /// against a steady 1.15–1.35 with them), so it keeps them; L1 hints only or L2 hints only were no better for either.
    /// The final build against the old one, four alternating rounds: logistic 1.87 → 1.50, Poisson 1.47 → 1.34 (medians).
    /// </remarks>
    private static bool HintsTheRegisterKernel<TLoss>()
        where TLoss : struct, IPointwiseLoss => ProcessorVendor.IsIntel || !TLoss.UsesTranscendentalFunctions;

    /// <summary>Four weights from <paramref name="offset"/>, of which the first <paramref name="count"/> are real and the rest zero.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> WeightVector<T, TLanes, TRowEnd>(ref T weights, nuint offset, int count)
        where TLanes : struct, IDoubleLanes<T>
        where TRowEnd : struct, IRowEnd
    {
        if (!TRowEnd.IsMasked || count == 4)
        {
            return TLanes.Load256(ref weights, offset);
        }

        return Vector256.Create(
            TLanes.Load(ref weights, offset),
            count > 1 ? TLanes.Load(ref weights, offset + 1) : 0.0,
            count > 2 ? TLanes.Load(ref weights, offset + 2) : 0.0,
            0.0);
    }

    /// <summary>Writes the first <paramref name="count"/> lanes of <paramref name="value"/> from <paramref name="offset"/> (lanes are extracted in registers).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreGradient<TRowEnd>(int count, Vector256<double> value, ref double destination, nuint offset)
        where TRowEnd : struct, IRowEnd
    {
        if (!TRowEnd.IsMasked || count == 4)
        {
            value.StoreUnsafe(ref destination, offset);
            return;
        }

        Unsafe.Add(ref destination, offset) = value.ToScalar();
        if (count > 1)
        {
            Unsafe.Add(ref destination, offset + 1) = value.GetElement(1);
        }

        if (count > 2)
        {
            Unsafe.Add(ref destination, offset + 2) = value.GetElement(2);
        }
    }

    /// <summary>The lane-wise products x∘w of one row (summed over its m vectors), and the row's vectors.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> RowProducts<T, TLanes, TCount, TRowEnd>(
        ref T features, nuint at, Vector256<double> mask,
        Vector256<double> w0, Vector256<double> w1, Vector256<double> w2, Vector256<double> w3,
        out Vector256<double> x0, out Vector256<double> x1, out Vector256<double> x2, out Vector256<double> x3)
        where TLanes : struct, IDoubleLanes<T>
        where TCount : struct, IVectorCount
        where TRowEnd : struct, IRowEnd
    {
        var m = TCount.Value;
        x0 = TLanes.Load256(ref features, at);
        x1 = m > 1 ? TLanes.Load256(ref features, at + 4) : default;
        x2 = m > 2 ? TLanes.Load256(ref features, at + 8) : default;
        x3 = m > 3 ? TLanes.Load256(ref features, at + 12) : default;
        switch (m)
        {
            case 1:
                if (TRowEnd.IsMasked)
                {
                    x0 &= mask;
                }

                return x0 * w0;
            case 2:
                if (TRowEnd.IsMasked)
                {
                    x1 &= mask;
                }

                return Vector256.FusedMultiplyAdd(x1, w1, x0 * w0);
            case 3:
                if (TRowEnd.IsMasked)
                {
                    x2 &= mask;
                }

                return Vector256.FusedMultiplyAdd(x2, w2, Vector256.FusedMultiplyAdd(x1, w1, x0 * w0));
            default:
                if (TRowEnd.IsMasked)
                {
                    x3 &= mask;
                }

                return Vector256.FusedMultiplyAdd(x3, w3, Vector256.FusedMultiplyAdd(x2, w2, Vector256.FusedMultiplyAdd(x1, w1, x0 * w0)));
        }
    }
}
