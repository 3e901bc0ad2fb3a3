using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Gradients;

/// <summary>The sums the register kernel keeps in registers: two sets of gradient sums (rows 0, 2 and 1, 3 of each block of four), Σℓ, Σ∂ℓ/∂η and the invalid-label lanes.</summary>
internal struct RegisterKernelSums
{
    /// <summary>Σ rᵢ·xᵢ over rows 0 and 2 of each block, columns 0–3, 4–7, 8–11, 12–15.</summary>
    public Vector256<double> A0, A1, A2, A3;

    /// <summary>Σ rᵢ·xᵢ over rows 1 and 3 of each block, columns 0–3, 4–7, 8–11, 12–15.</summary>
    public Vector256<double> B0, B1, B2, B3;

    /// <summary>Σℓ, lane by lane (lane i: row i of each block).</summary>
    public Vector256<double> Loss;

    /// <summary>Σ ∂ℓ/∂η, lane by lane.</summary>
    public Vector256<double> Derivative;

    /// <summary>All-ones lanes where a row's label was invalid.</summary>
    public Vector256<double> Invalid;
}

internal static partial class FusedPass
{
    /// <summary>Rows per group of <see cref="SmallInGroups{T, TLanes, TCount, TRowEnd, TLoss, TWeighting}"/> (2 KB of X at D = 16).</summary>
    internal const int RegisterGroupRows = 16;

    /// <summary>
    /// Whether the double register kernel (5 ≤ D ≤ 16) runs a chunk of <paramref name="rows"/> rows in groups
    /// (<see cref="SmallInGroups{T, TLanes, TCount, TRowEnd, TLoss, TWeighting}"/>, no prefetch hints): on processors
    /// other than Intel's (measured on AMD's Zen 4; Intel keeps its hinted one-phase loop, unmeasured there), for chunks
    /// larger than L1 (streamed from memory; in cache the one-phase loop does less work), every loss.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool GroupsTheRegisterKernel(int rows, nuint dimension) =>
        !ProcessorVendor.IsIntel && (nuint)rows * dimension * sizeof(double) >= 64 * 1024;

    /// <summary>
    /// The double register kernel for 5 ≤ D ≤ 16 in three phases per group of <see cref="RegisterGroupRows"/> rows: the
    /// dot products of all its rows (η to a stack buffer), then their loss terms four rows at a time, then their gradient
    /// terms (the rows again, from L1). Rows <c>0…end</c>, <c>end</c> a multiple of the group. The same operations in
    /// the same order as the one-phase loop of <see cref="SmallDimension{T, TLanes, TLoss, TWeighting}"/>, so the same
    /// results bit for bit.
    /// </summary>
    /// <remarks>
    /// In the one-phase loop each block's chain — loads from memory, dot products, e^x and log1p, two divisions, the
    /// residual broadcasts — sits between its loads and its gradient FMAs, and the out-of-order window fills with
    /// waiting operations long before it holds enough loads to keep memory busy. In the first phase the window holds
    /// nothing but loads and dot products. On an AMD EPYC (Zen 4) VM, logistic loss at (2,000,000 × 16), <c>ab-launch</c>
    /// pairs with the 256-bit read-only pass: 12.5–13.6 ms (1.21–1.34×) in groups of 16 rows against 14.4–17.2 ms
    /// (1.32–1.60×) in one phase; groups of 8 rows 13.8–14.1 ms, of 64 rows 16.5–18.5 ms and of 128 rows 21.5–22.9 ms
    /// (while the loss phase of a long group runs no new line of X is asked for). A lagged pipeline (block i's dot products
    /// with block i − 4's loss and gradient terms in one loop) ran 15.6–15.8 ms. The Poisson loss (one e^x per row) was
    /// within noise either way. The mean squared error in groups, without hints, against its hinted one-phase loop (seven
    /// alternating rounds): 1.05–1.35× (median 1.16) against 1.20–1.41× (1.28), kernel time 11.0–14.2 ms against 13.1–15.0.
    /// The sums are held in memory between phases: held in registers through all three, with AVX-512 off (16 vector
    /// registers) every phase spilled, and the logistic loss ran 18.2–18.3 ms against 14.6–15.7 (three rounds), the mean
    /// squared error 1.26–1.87× the read-only pass; with the sums in memory 1.05–1.24× (seven rounds) against 1.11–1.33×
    /// for its hinted one-phase loop.
    /// </remarks>
    [MethodImpl(MethodImplOptions.NoInlining)]
    [SkipLocalsInit]
    private static RegisterKernelSums SmallInGroups<T, TLanes, TCount, TRowEnd, TLoss, TWeighting>(
        ref T features, ref T targets, nuint d, nuint end, Vector256<double> bias4, Vector256<double> mask,
        Vector256<double> w0, Vector256<double> w1, Vector256<double> w2, Vector256<double> w3,
        ref T residuals, bool writeResiduals, TLoss loss, ref T sampleWeights)
        where TLanes : struct, IDoubleLanes<T>
        where TLoss : struct, IPointwiseLoss
        where TWeighting : struct, IRowWeighting
        where TCount : struct, IVectorCount
        where TRowEnd : struct, IRowEnd
    {
        // The sums stay in memory between groups (in L1), so that the registers hold only what the phase at hand needs:
        // with 16 vector registers (AVX-512 off) the sums held across all three phases spilled in every phase.
        var sums = default(RegisterKernelSums);

        // η of the group's rows, then their derivatives in the same slots.
        Span<double> group = stackalloc double[RegisterGroupRows];
        ref var values = ref MemoryMarshal.GetReference(group);
        for (nuint row = 0; row < end; row += RegisterGroupRows)
        {
            for (nuint i = 0; i < RegisterGroupRows; i += 4)
            {
                var at = (row + i) * d;
                var p0 = RowProducts<T, TLanes, TCount, TRowEnd>(ref features, at, mask, w0, w1, w2, w3, out _, out _, out _, out _);
                var p1 = RowProducts<T, TLanes, TCount, TRowEnd>(ref features, at + d, mask, w0, w1, w2, w3, out _, out _, out _, out _);
                var p2 = RowProducts<T, TLanes, TCount, TRowEnd>(ref features, at + (2 * d), mask, w0, w1, w2, w3, out _, out _, out _, out _);
                var p3 = RowProducts<T, TLanes, TCount, TRowEnd>(ref features, at + (3 * d), mask, w0, w1, w2, w3, out _, out _, out _, out _);
                (TransposeAdd4(p0, p1, p2, p3) + bias4).StoreUnsafe(ref values, i);
            }

            var (lossSums, residualSum, invalid) = (sums.Loss, sums.Derivative, sums.Invalid);
            for (nuint i = 0; i < RegisterGroupRows; i += 4)
            {
                var r = FourRows<T, TLanes, TLoss, TWeighting>(loss, Vector256.LoadUnsafe(ref values, i), ref targets, ref sampleWeights, ref residuals, writeResiduals, row + i, ref lossSums, ref invalid);
                residualSum += r;
                r.StoreUnsafe(ref values, i);
            }

            (sums.Loss, sums.Derivative, sums.Invalid) = (lossSums, residualSum, invalid);
            if (SplitsTheGradientPhase)
            {
                AddGroupTermsInHalves<T, TLanes, TCount>(ref Unsafe.Add(ref features, row * d), d, ref values, ref sums);
                continue;
            }

            var (ga0, ga1, ga2, ga3) = (sums.A0, sums.A1, sums.A2, sums.A3);
            var (gb0, gb1, gb2, gb3) = (sums.B0, sums.B1, sums.B2, sums.B3);
            for (nuint i = 0; i < RegisterGroupRows; i += 4)
            {
                // Each derivative broadcast by a load (vbroadcastsd), not a permute of a register.
                ref var r = ref Unsafe.Add(ref values, i);
                AddFourRowTerms<T, TLanes, TCount>(
                    ref Unsafe.Add(ref features, (row + i) * d), d,
                    Vector256.Create(r), Vector256.Create(Unsafe.Add(ref r, 1)), Vector256.Create(Unsafe.Add(ref r, 2)), Vector256.Create(Unsafe.Add(ref r, 3)),
                    ref ga0, ref ga1, ref ga2, ref ga3, ref gb0, ref gb1, ref gb2, ref gb3);
            }

            (sums.A0, sums.A1, sums.A2, sums.A3) = (ga0, ga1, ga2, ga3);
            (sums.B0, sums.B1, sums.B2, sums.B3) = (gb0, gb1, gb2, gb3);
        }

        return sums;
    }

    /// <summary>
    /// Whether the grouped kernel's gradient phase runs in two halves of the columns (<see cref="AddGroupTermsInHalves{T, TLanes, TCount}"/>):
    /// with 16 vector registers, where AVX-512 is off or absent. In one sweep the phase needs the eight gradient sums,
    /// the four derivative broadcasts and a loaded vector, while w, the intercept and the column mask stay live for the next
    /// group's dot products: one register short, the JIT kept a gradient sum in memory, a store and a load per block
    /// of four rows with the sum's chain running through them.
    /// </summary>
    /// <remarks>
    /// On an AMD EPYC (Zen 4) VM with AVX-512 off, MSE at (2,000,000 × 16) ÷ the read-only pass over the same X
    /// (benchmarks' <c>paired</c> probe, processes alternating between the builds): 1.17–1.24 in one sweep against
    /// 1.13–1.16 in halves (seven processes each, one outlier at 1.28), and for the final build 1.17–1.19 against
    /// 1.13–1.16 (three each); the logistic, Huber and Poisson losses within noise of before. With AVX-512's 32
    /// registers the halves were slower (1.13–1.16 against 1.11–1.12), so they stay off there.
    /// </remarks>
    private static bool SplitsTheGradientPhase => !System.Runtime.Intrinsics.X86.Avx512F.IsSupported;

    /// <summary>
    /// The gradient phase of one group in two sweeps over its rows: the sums of columns 0–7 (<c>A0</c>, <c>A1</c>,
    /// <c>B0</c>, <c>B1</c>), then of columns 8–15, each sum gaining the same terms in the same order as in one sweep
    /// (<see cref="AddFourRowTerms{T, TLanes, TCount}"/>), so the same bits, with four sums in registers instead of eight.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddGroupTermsInHalves<T, TLanes, TCount>(ref T group, nuint d, ref double derivatives, ref RegisterKernelSums sums)
        where TLanes : struct, IDoubleLanes<T>
        where TCount : struct, IVectorCount
    {
        var m = TCount.Value;
        var (ga0, ga1, gb0, gb1) = (sums.A0, sums.A1, sums.B0, sums.B1);
        for (nuint i = 0; i < RegisterGroupRows; i += 4)
        {
            AddFourRowTermsToTwoVectors<T, TLanes>(ref Unsafe.Add(ref group, i * d), d, 0, m > 1, ref Unsafe.Add(ref derivatives, i), ref ga0, ref ga1, ref gb0, ref gb1);
        }

        (sums.A0, sums.A1, sums.B0, sums.B1) = (ga0, ga1, gb0, gb1);
        if (m > 2)
        {
            (ga0, ga1, gb0, gb1) = (sums.A2, sums.A3, sums.B2, sums.B3);
            for (nuint i = 0; i < RegisterGroupRows; i += 4)
            {
                AddFourRowTermsToTwoVectors<T, TLanes>(ref Unsafe.Add(ref group, i * d), d, 8, m > 3, ref Unsafe.Add(ref derivatives, i), ref ga0, ref ga1, ref gb0, ref gb1);
            }

            (sums.A2, sums.A3, sums.B2, sums.B3) = (ga0, ga1, gb0, gb1);
        }
    }

    /// <summary>
    /// <see cref="AddFourRowTerms{T, TLanes, TCount}"/> for the column vectors at <paramref name="column"/> and, when
    /// <paramref name="both"/>, <paramref name="column"/> + 4; the four derivatives broadcast from <paramref name="derivatives"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddFourRowTermsToTwoVectors<T, TLanes>(
        ref T b0, nuint d, nuint column, bool both, ref double derivatives,
        ref Vector256<double> ga0, ref Vector256<double> ga1, ref Vector256<double> gb0, ref Vector256<double> gb1)
        where TLanes : struct, IDoubleLanes<T>
    {
        var r0 = Vector256.Create(derivatives);
        var r1 = Vector256.Create(Unsafe.Add(ref derivatives, 1));
        var r2 = Vector256.Create(Unsafe.Add(ref derivatives, 2));
        var r3 = Vector256.Create(Unsafe.Add(ref derivatives, 3));
        ref var b1 = ref Unsafe.Add(ref b0, d);
        ref var b2 = ref Unsafe.Add(ref b1, d);
        ref var b3 = ref Unsafe.Add(ref b2, d);
        ga0 = Vector256.FusedMultiplyAdd(r2, TLanes.Load256(ref b2, column), Vector256.FusedMultiplyAdd(r0, TLanes.Load256(ref b0, column), ga0));
        gb0 = Vector256.FusedMultiplyAdd(r3, TLanes.Load256(ref b3, column), Vector256.FusedMultiplyAdd(r1, TLanes.Load256(ref b1, column), gb0));
        if (both)
        {
            ga1 = Vector256.FusedMultiplyAdd(r2, TLanes.Load256(ref b2, column + 4), Vector256.FusedMultiplyAdd(r0, TLanes.Load256(ref b0, column + 4), ga1));
            gb1 = Vector256.FusedMultiplyAdd(r3, TLanes.Load256(ref b3, column + 4), Vector256.FusedMultiplyAdd(r1, TLanes.Load256(ref b1, column + 4), gb1));
        }
    }

    /// <summary>
    /// Adds four rows' gradient terms rᵢ·xᵢ (rows from <paramref name="b0"/>, D = <paramref name="d"/> apart) to the two
    /// accumulator sets of the double register kernel: rows 0 and 2 into the a set, 1 and 3 into the b set, two chained
    /// FMAs each. The rows are read again as memory operands of the FMAs (from L1) rather than kept in registers.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddFourRowTerms<T, TLanes, TCount>(
        ref T b0, nuint d, Vector256<double> r0, Vector256<double> r1, Vector256<double> r2, Vector256<double> r3,
        ref Vector256<double> ga0, ref Vector256<double> ga1, ref Vector256<double> ga2, ref Vector256<double> ga3,
        ref Vector256<double> gb0, ref Vector256<double> gb1, ref Vector256<double> gb2, ref Vector256<double> gb3)
        where TLanes : struct, IDoubleLanes<T>
        where TCount : struct, IVectorCount
    {
        var m = TCount.Value;
        ref var b1 = ref Unsafe.Add(ref b0, d);
        ref var b2 = ref Unsafe.Add(ref b1, d);
        ref var b3 = ref Unsafe.Add(ref b2, d);
        ga0 = Vector256.FusedMultiplyAdd(r2, TLanes.Load256(ref b2, 0), Vector256.FusedMultiplyAdd(r0, TLanes.Load256(ref b0, 0), ga0));
        gb0 = Vector256.FusedMultiplyAdd(r3, TLanes.Load256(ref b3, 0), Vector256.FusedMultiplyAdd(r1, TLanes.Load256(ref b1, 0), gb0));
        if (m > 1)
        {
            ga1 = Vector256.FusedMultiplyAdd(r2, TLanes.Load256(ref b2, 4), Vector256.FusedMultiplyAdd(r0, TLanes.Load256(ref b0, 4), ga1));
            gb1 = Vector256.FusedMultiplyAdd(r3, TLanes.Load256(ref b3, 4), Vector256.FusedMultiplyAdd(r1, TLanes.Load256(ref b1, 4), gb1));
        }

        if (m > 2)
        {
            ga2 = Vector256.FusedMultiplyAdd(r2, TLanes.Load256(ref b2, 8), Vector256.FusedMultiplyAdd(r0, TLanes.Load256(ref b0, 8), ga2));
            gb2 = Vector256.FusedMultiplyAdd(r3, TLanes.Load256(ref b3, 8), Vector256.FusedMultiplyAdd(r1, TLanes.Load256(ref b1, 8), gb2));
        }

        if (m > 3)
        {
            ga3 = Vector256.FusedMultiplyAdd(r2, TLanes.Load256(ref b2, 12), Vector256.FusedMultiplyAdd(r0, TLanes.Load256(ref b0, 12), ga3));
            gb3 = Vector256.FusedMultiplyAdd(r3, TLanes.Load256(ref b3, 12), Vector256.FusedMultiplyAdd(r1, TLanes.Load256(ref b1, 12), gb3));
        }
    }
}
