using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Gradients;

/// <summary>D of <see cref="FusedPass.Narrow256{T, TLanes, TLoss, TWeighting}"/>'s rows (a type argument: a JIT-time constant).</summary>
internal interface INarrowRow
{
}

/// <summary>Rows of one column.</summary>
internal readonly struct OneColumn : INarrowRow
{
}

/// <summary>Rows of two columns.</summary>
internal readonly struct TwoColumns : INarrowRow
{
}

internal static partial class FusedPass
{
    /// <summary>The widest D that <see cref="Narrow256{T, TLanes, TLoss, TWeighting}"/> serves.</summary>
    internal const int NarrowDimensionLimit = 2;

    /// <summary>
    /// The kernel for D ≤ <see cref="NarrowDimensionLimit"/> with AVX2, double and float: four rows per step, read as D whole
    /// vectors (X is one stream, nothing read twice or past the chunk) and turned into D column vectors, lane i row i
    /// (<see cref="ColumnPair{T, TLanes}"/> for D = 2). η of the four rows is D multiply-adds, their loss terms one vector
    /// (<see cref="FourRows{T, TLanes, TLoss, TWeighting}"/>), and their gradient terms D multiply-adds into D vectors of
    /// column sums: no horizontal sum and no broadcast per row. The register kernel
    /// (<see cref="SmallDimension{T, TLanes, TLoss, TWeighting}"/>) read each row as a masked vector of four columns, most of
    /// it zero at these D, and summed each row's products across the vector. Losses without transcendental functions take
    /// eight rows per step in two sets of sums (each sum is a chain of one multiply-add or add per step; two sets halve
    /// the time a step waits on the one before); for the others, whose steps are long, the second set measured slower.
    /// Rows after the last step go one by one.
    /// </summary>
    /// <remarks>
    /// <para>
    /// Every product and sum is in double (float elements are widened exactly on load), and each sum runs in four lanes
    /// over the chunk, so the error is that of the other double kernels.
    /// </para>
    /// <para>
    /// Measured on an AMD EPYC (Zen 4) VM with the register kernel and this one alternating call by call in one process,
    /// each after a 256-bit read-only pass over the same X (medians of 20 calls; X of 128 MB, double, or 64 MB, float).
    /// The kernel reads y as well, as many bytes as X at D = 1 and half as many at D = 2, so 2 and 1.5 are its floors:
    /// mean squared error, double, 16,000,000 × 1 4.33 → 2.12 and 8,000,000 × 2 2.25 → 1.54; float 7.81 → 2.11 and
    /// 2.96 → 1.60 (÷ the float pass). See docs/benchmarks.md, Zen 4 section, item 16.
    /// </para>
    /// </remarks>
    internal static ChunkSums Narrow256<T, TLanes, TLoss, TWeighting>(
        ref T features, ref T targets, ref T weights, int dimension, int rows, double bias,
        Span<double> gradientSums, ref T residuals, bool writeResiduals, TLoss loss, ref T sampleWeights)
        where TLanes : struct, IDoubleLanes<T>
        where TLoss : struct, IPointwiseLoss
        where TWeighting : struct, IRowWeighting =>
        dimension == 1
            ? NarrowRows<T, TLanes, TLoss, TWeighting, OneColumn>(ref features, ref targets, ref weights, rows, bias, gradientSums, ref residuals, writeResiduals, loss, ref sampleWeights)
            : NarrowRows<T, TLanes, TLoss, TWeighting, TwoColumns>(ref features, ref targets, ref weights, rows, bias, gradientSums, ref residuals, writeResiduals, loss, ref sampleWeights);

    private static ChunkSums NarrowRows<T, TLanes, TLoss, TWeighting, TRow>(
        ref T features, ref T targets, ref T weights, int rows, double bias,
        Span<double> gradientSums, ref T residuals, bool writeResiduals, TLoss loss, ref T sampleWeights)
        where TLanes : struct, IDoubleLanes<T>
        where TLoss : struct, IPointwiseLoss
        where TWeighting : struct, IRowWeighting
        where TRow : struct, INarrowRow
    {
        var two = typeof(TRow) == typeof(TwoColumns);
        var weight0 = TLanes.Load(ref weights, 0);
        var weight1 = two ? TLanes.Load(ref weights, 1) : 0.0;
        var (w0, w1, bias4) = (Vector256.Create(weight0), Vector256.Create(weight1), Vector256.Create(bias));
        Vector256<double> g0 = default, g1 = default, lossSum = default, derivativeSum = default, invalidLanes = default;
        nuint row = 0;
        if (!TLoss.UsesTranscendentalFunctions)
        {
            // The second set of sums.
            Vector256<double> g0B = default, g1B = default, lossSumB = default, derivativeSumB = default;
            for (; row + 8 <= (nuint)rows; row += 8)
            {
                derivativeSum += NarrowStep<T, TLanes, TLoss, TWeighting, TRow>(
                    loss, ref features, ref targets, ref sampleWeights, ref residuals, writeResiduals, row, w0, w1, bias4, ref lossSum, ref invalidLanes, ref g0, ref g1);
                derivativeSumB += NarrowStep<T, TLanes, TLoss, TWeighting, TRow>(
                    loss, ref features, ref targets, ref sampleWeights, ref residuals, writeResiduals, row + 4, w0, w1, bias4, ref lossSumB, ref invalidLanes, ref g0B, ref g1B);
            }

            (g0, g1, lossSum, derivativeSum) = (g0 + g0B, g1 + g1B, lossSum + lossSumB, derivativeSum + derivativeSumB);
        }

        for (; row + 4 <= (nuint)rows; row += 4)
        {
            derivativeSum += NarrowStep<T, TLanes, TLoss, TWeighting, TRow>(
                loss, ref features, ref targets, ref sampleWeights, ref residuals, writeResiduals, row, w0, w1, bias4, ref lossSum, ref invalidLanes, ref g0, ref g1);
        }

        var sums = default(ChunkSums);
        sums.LossSum = Vector256.Sum(lossSum);
        sums.DerivativeSum = Vector256.Sum(derivativeSum);
        var gradient0 = Vector256.Sum(g0);
        var gradient1 = Vector256.Sum(g1);
        var invalid = false;
        for (; row < (nuint)rows; row++)
        {
            // η as the vector steps form it: (x₀w₀ + b) + x₁w₁, each a fused multiply-add.
            var x0 = TLanes.Load(ref features, two ? 2 * row : row);
            var x1 = two ? TLanes.Load(ref features, (2 * row) + 1) : 0.0;
            var eta = Math.FusedMultiplyAdd(x0, weight0, bias);
            if (two)
            {
                eta = Math.FusedMultiplyAdd(x1, weight1, eta);
            }

            sums.LossSum += OneRow<T, TLanes, TLoss, TWeighting>(loss, eta, ref targets, ref sampleWeights, ref residuals, writeResiduals, row, ref invalid, out var r);
            sums.DerivativeSum += r;
            gradient0 = Math.FusedMultiplyAdd(x0, r, gradient0);
            gradient1 = Math.FusedMultiplyAdd(x1, r, gradient1);
        }

        ref var g = ref MemoryMarshal.GetReference(gradientSums);
        g = gradient0;
        if (two)
        {
            Unsafe.Add(ref g, 1) = gradient1;
        }

        sums.HasInvalidLabel = invalid || invalidLanes != Vector256<double>.Zero;
        return sums;
    }

    /// <summary>
    /// Rows <paramref name="row"/> to <paramref name="row"/> + 3: their loss terms into <paramref name="lossSum"/>, their
    /// gradient terms into <paramref name="g0"/> (and <paramref name="g1"/>); returns their (weighted) derivatives.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> NarrowStep<T, TLanes, TLoss, TWeighting, TRow>(
        TLoss loss, ref T features, ref T targets, ref T sampleWeights, ref T residuals, bool writeResiduals, nuint row,
        Vector256<double> w0, Vector256<double> w1, Vector256<double> bias4,
        ref Vector256<double> lossSum, ref Vector256<double> invalidLanes, ref Vector256<double> g0, ref Vector256<double> g1)
        where TLanes : struct, IDoubleLanes<T>
        where TLoss : struct, IPointwiseLoss
        where TWeighting : struct, IRowWeighting
        where TRow : struct, INarrowRow
    {
        if (typeof(TRow) == typeof(OneColumn))
        {
            var c = TLanes.Load256(ref features, row);
            var r = FourRows<T, TLanes, TLoss, TWeighting>(
                loss, Vector256.FusedMultiplyAdd(c, w0, bias4), ref targets, ref sampleWeights, ref residuals, writeResiduals, row, ref lossSum, ref invalidLanes);
            g0 = Vector256.FusedMultiplyAdd(c, r, g0);
            return r;
        }

        var (c0, c1) = ColumnPair<T, TLanes>(ref features, 2 * row);
        var eta = Vector256.FusedMultiplyAdd(c1, w1, Vector256.FusedMultiplyAdd(c0, w0, bias4));
        var derivatives = FourRows<T, TLanes, TLoss, TWeighting>(loss, eta, ref targets, ref sampleWeights, ref residuals, writeResiduals, row, ref lossSum, ref invalidLanes);
        g0 = Vector256.FusedMultiplyAdd(c0, derivatives, g0);
        g1 = Vector256.FusedMultiplyAdd(c1, derivatives, g1);
        return derivatives;
    }

    /// <summary>
    /// Four rows of two columns from element <paramref name="at"/> as two column vectors, lane i row i: the rows read as
    /// (x₀₀, x₀₁, x₁₀, x₁₁) and (x₂₀, x₂₁, x₃₀, x₃₁) unpack to columns in row order 0, 2, 1, 3, which one lane permute
    /// each puts in order.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector256<double> First, Vector256<double> Second) ColumnPair<T, TLanes>(ref T features, nuint at)
        where TLanes : struct, IDoubleLanes<T>
    {
        var a = TLanes.Load256(ref features, at);
        var b = TLanes.Load256(ref features, at + 4);
        return (Avx2.Permute4x64(Avx.UnpackLow(a, b), 0b11_01_10_00), Avx2.Permute4x64(Avx.UnpackHigh(a, b), 0b11_01_10_00));
    }
}
