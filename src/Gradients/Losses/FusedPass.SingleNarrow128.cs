using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Gradients;

internal static partial class FusedPass
{
    /// <summary>
    /// Whether a chunk of float data runs <see cref="SingleNarrow128{TRowEnd, TLoss, TWeighting}"/>: D = 3 or 4 (rows of one
    /// or two features run <see cref="Narrow128{T, TLanes, TLoss, TWeighting}"/>, as fast or faster in L1 too: float 1000 × 1
    /// 3.26 against 4.13× the 128-bit read-only pass, 1000 × 2 3.48–3.50 against 3.60–3.65, 50 × 2 1.17–1.19 against
    /// 1.19–1.21), no 256-bit
    /// vectors (<c>DOTNET_EnableAVX2=0</c>: SSE, the width of Arm64's AdvSimd) on x86, and a chunk in L1 (as for
    /// <see cref="SingleNarrowApplies(int, int)"/>). The choice depends on the chunk only.
    /// </summary>
    internal static bool SingleNarrow128Applies(int dimension, int rows) =>
        dimension is 3 or 4 && !Vector256.IsHardwareAccelerated && Vector128.IsHardwareAccelerated && Sse2.IsSupported
        && (long)rows * dimension < 16 * 1024;

    /// <summary>
    /// <see cref="SingleNarrow128{TRowEnd, TLoss, TWeighting}"/> for D ≤ 4: the row-end choice (D = 4 needs no masks).
    /// Requires <see cref="SingleNarrow128Applies(int, int)"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static ChunkSums SingleNarrow128<TLoss, TWeighting>(
        ref float features, ref float targets, ref float weights, int dimension, int rows, nuint available, double bias,
        Span<double> gradientSums, ref float residuals, bool writeResiduals, TLoss loss, ref float sampleWeights)
        where TLoss : struct, IPointwiseLoss
        where TWeighting : struct, IRowWeighting =>
        dimension == 4
            ? SingleNarrow128<AlignedRowEnd, TLoss, TWeighting>(ref features, ref targets, ref weights, dimension, rows, available, bias, gradientSums, ref residuals, writeResiduals, loss, ref sampleWeights)
            : SingleNarrow128<MaskedRowEnd, TLoss, TWeighting>(ref features, ref targets, ref weights, dimension, rows, available, bias, gradientSums, ref residuals, writeResiduals, loss, ref sampleWeights);

    /// <summary>
    /// The float kernel for D ≤ 4 with 128-bit vectors, on data in cache: two rows per iteration, read as four floats
    /// each and transposed in float by two unpacks (one vector holds columns 0 and 1 of both rows, the other columns 2
    /// and 3), widened by four conversions into one vector of doubles per column (lane i: row i). η is four
    /// multiply-adds with the weights broadcast, and Σᵢ rᵢ·xᵢⱼ accumulates lane-wise in four more, so no horizontal sum
    /// runs in the loop and the weights and the gradient sums stay in registers. The generic 128-bit kernel
    /// (<see cref="Wide128"/>), which float ran before, widened every element twice and the weights once per row, and
    /// loaded and stored the gradient sums once per four rows (50 × 4: 1.15–1.20× double's time).
    /// </summary>
    /// <remarks>
    /// No float arithmetic: every product xᵢⱼ·wⱼ and rᵢ·xᵢⱼ is formed in double from exactly widened floats, so the
    /// error is that of the double kernels (a few units of double's roundoff per row, summed in double), far inside
    /// float's own resolution. Multiply-adds are <c>MultiplyAddEstimate</c> (fused only where the hardware has FMA, see
    /// <see cref="Wide128"/>).
    /// </remarks>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static ChunkSums SingleNarrow128<TRowEnd, TLoss, TWeighting>(
        ref float features, ref float targets, ref float weights, int dimension, int rows, nuint available, double bias,
        Span<double> gradientSums, ref float residuals, bool writeResiduals, TLoss loss, ref float sampleWeights)
        where TRowEnd : struct, IRowEnd
        where TLoss : struct, IPointwiseLoss
        where TWeighting : struct, IRowWeighting
    {
        var d = (nuint)dimension;

        // The weights, each broadcast over the two rows of its column; zero past D.
        var w0 = SingleElements.Load(ref weights, 0);
        var w1 = dimension > 1 ? SingleElements.Load(ref weights, 1) : 0.0;
        var w2 = dimension > 2 ? SingleElements.Load(ref weights, 2) : 0.0;
        var w3 = dimension > 3 ? SingleElements.Load(ref weights, 3) : 0.0;
        var (wb0, wb1, wb2, wb3) = (Vector128.Create(w0), Vector128.Create(w1), Vector128.Create(w2), Vector128.Create(w3));
        var bias2 = Vector128.Create(bias);

        // Columns past D belong to the next row and are zeroed (masking, not the zero weights, keeps a NaN or ∞ in the
        // next row from leaking into this one): lanes 0, 1 of the unpacked vectors are column 0 or 2, lanes 2, 3 column 1 or 3.
        var keep01 = Vector128.Create(-1, -1, dimension > 1 ? -1 : 0, dimension > 1 ? -1 : 0).AsSingle();
        var keep23 = Vector128.Create(dimension > 2 ? -1 : 0, dimension > 2 ? -1 : 0, dimension > 3 ? -1 : 0, dimension > 3 ? -1 : 0).AsSingle();

        // A pair of rows is read as four floats from each row: only pairs whose second row's four floats lie inside X.
        var pairEnd = (nuint)rows & ~(nuint)1;
        while (pairEnd > 0 && ((pairEnd - 1) * d) + 4 > available)
        {
            pairEnd -= 2;
        }

        Vector128<double> g0 = default, g1 = default, g2 = default, g3 = default;
        Vector128<double> squares = default, residualSum = default;
        // The sums as scalars: a ChunkSums passed by reference lives in memory, and the other losses add to them per pair.
        double lossSum = 0, derivativeSum = 0;
        var invalidRow = false;
        nuint row = 0;
        for (; row < pairEnd; row += 2)
        {
            ref var x = ref Unsafe.Add(ref features, row * d);
            var first = Vector128.LoadUnsafe(ref x);
            var second = Vector128.LoadUnsafe(ref x, d);
            var columns01 = Sse.UnpackLow(first, second);
            var columns23 = Sse.UnpackHigh(first, second);
            if (TRowEnd.IsMasked)
            {
                columns01 &= keep01;
                columns23 &= keep23;
            }

            var c0 = Vector128.WidenLower(columns01);
            var c1 = Vector128.WidenUpper(columns01);
            var c2 = Vector128.WidenLower(columns23);
            var c3 = Vector128.WidenUpper(columns23);
            var eta = Vector128.MultiplyAddEstimate(c1, wb1, Vector128.MultiplyAddEstimate(c0, wb0, bias2))
                + Vector128.MultiplyAddEstimate(c3, wb3, c2 * wb2);

            Vector128<double> r;
            if (typeof(TLoss) == typeof(SquaredResidual) && !TWeighting.IsWeighted)
            {
                // SquaredResidual.Add's operations (r = η − y, Σ r²) on both rows at once.
                r = eta - SingleElements.Load128(ref targets, row);
                if (writeResiduals)
                {
                    Unsafe.Add(ref residuals, row) = (float)r.ToScalar();
                    Unsafe.Add(ref residuals, row + 1) = (float)r.GetElement(1);
                }

                squares = Vector128.MultiplyAddEstimate(r, r, squares);
                residualSum += r;
            }
            else
            {
                lossSum += OneRow<float, SingleElements, TLoss, TWeighting>(loss, eta.ToScalar(), ref targets, ref sampleWeights, ref residuals, writeResiduals, row, ref invalidRow, out var r0);
                lossSum += OneRow<float, SingleElements, TLoss, TWeighting>(loss, eta.GetElement(1), ref targets, ref sampleWeights, ref residuals, writeResiduals, row + 1, ref invalidRow, out var r1);
                derivativeSum += r0 + r1;
                r = Vector128.Create(r0, r1);
            }

            g0 = Vector128.MultiplyAddEstimate(c0, r, g0);
            g1 = Vector128.MultiplyAddEstimate(c1, r, g1);
            g2 = Vector128.MultiplyAddEstimate(c2, r, g2);
            g3 = Vector128.MultiplyAddEstimate(c3, r, g3);
        }

        lossSum += squares.ToScalar() + squares.GetElement(1);
        derivativeSum += residualSum.ToScalar() + residualSum.GetElement(1);

        // Lane j: the sum of column j's two lanes, then the rows after the pairs one at a time in double.
        ref var gradient = ref MemoryMarshal.GetReference(gradientSums);
        gradient = g0.ToScalar() + g0.GetElement(1);
        if (dimension > 1)
        {
            Unsafe.Add(ref gradient, 1) = g1.ToScalar() + g1.GetElement(1);
        }

        if (dimension > 2)
        {
            Unsafe.Add(ref gradient, 2) = g2.ToScalar() + g2.GetElement(1);
        }

        if (dimension > 3)
        {
            Unsafe.Add(ref gradient, 3) = g3.ToScalar() + g3.GetElement(1);
        }

        (lossSum, derivativeSum) = SingleRowsOneByOne<TLoss, TWeighting>(loss, ref features, ref weights, d, row, (nuint)rows, bias, ref targets, ref sampleWeights, ref residuals, writeResiduals, ref gradient, lossSum, derivativeSum, ref invalidRow);
        if (invalidRow)
        {
            lossSum = double.NaN;
        }

        return new ChunkSums { LossSum = lossSum, DerivativeSum = derivativeSum };
    }
}
