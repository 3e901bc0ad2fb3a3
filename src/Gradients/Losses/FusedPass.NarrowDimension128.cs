using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Gradients;

internal static partial class FusedPass
{
    /// <summary>The widest D that <see cref="Narrow128{T, TLanes, TLoss, TWeighting}"/> serves.</summary>
    internal const int Narrow128DimensionLimit = 2;

    /// <summary>
    /// <see cref="Narrow256{T, TLanes, TLoss, TWeighting}"/> with 128-bit vectors, for hardware without AVX2
    /// (<c>DOTNET_EnableAVX2=0</c>) and Arm64: two rows per step as D column vectors (D = 2: the two rows' first
    /// elements, and their second ones), η and the gradient terms D multiply-adds each, the loss terms one vector
    /// (<see cref="TwoRows{T, TLanes, TLoss, TWeighting}"/>). Losses without transcendental functions take four rows per
    /// step in two sets of sums. Multiply-adds are <c>MultiplyAddEstimate</c>, fused only where the hardware has FMA
    /// (see <see cref="Wide128"/>). Before, rows of one feature ran the scalar kernel and rows of two the 128-bit wide
    /// kernel, one row at a time.
    /// </summary>
    internal static ChunkSums Narrow128<T, TLanes, TLoss, TWeighting>(
        ref T features, ref T targets, ref T weights, int dimension, int rows, double bias,
        Span<double> gradientSums, ref T residuals, bool writeResiduals, TLoss loss, ref T sampleWeights)
        where TLanes : struct, IDoubleLanes<T>
        where TLoss : struct, IPointwiseLoss
        where TWeighting : struct, IRowWeighting =>
        dimension == 1
            ? NarrowRows128<T, TLanes, TLoss, TWeighting, OneColumn>(ref features, ref targets, ref weights, rows, bias, gradientSums, ref residuals, writeResiduals, loss, ref sampleWeights)
            : NarrowRows128<T, TLanes, TLoss, TWeighting, TwoColumns>(ref features, ref targets, ref weights, rows, bias, gradientSums, ref residuals, writeResiduals, loss, ref sampleWeights);

    private static ChunkSums NarrowRows128<T, TLanes, TLoss, TWeighting, TRow>(
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
        var (w0, w1, bias2) = (Vector128.Create(weight0), Vector128.Create(weight1), Vector128.Create(bias));
        Vector128<double> g0 = default, g1 = default, lossSum = default, derivativeSum = default, invalidLanes = default;
        nuint row = 0;
        if (!TLoss.UsesTranscendentalFunctions)
        {
            // The second set of sums.
            Vector128<double> g0B = default, g1B = default, lossSumB = default, derivativeSumB = default;
            for (; row + 4 <= (nuint)rows; row += 4)
            {
                derivativeSum += NarrowStep128<T, TLanes, TLoss, TWeighting, TRow>(
                    loss, ref features, ref targets, ref sampleWeights, ref residuals, writeResiduals, row, w0, w1, bias2, ref lossSum, ref invalidLanes, ref g0, ref g1);
                derivativeSumB += NarrowStep128<T, TLanes, TLoss, TWeighting, TRow>(
                    loss, ref features, ref targets, ref sampleWeights, ref residuals, writeResiduals, row + 2, w0, w1, bias2, ref lossSumB, ref invalidLanes, ref g0B, ref g1B);
            }

            (g0, g1, lossSum, derivativeSum) = (g0 + g0B, g1 + g1B, lossSum + lossSumB, derivativeSum + derivativeSumB);
        }

        for (; row + 2 <= (nuint)rows; row += 2)
        {
            derivativeSum += NarrowStep128<T, TLanes, TLoss, TWeighting, TRow>(
                loss, ref features, ref targets, ref sampleWeights, ref residuals, writeResiduals, row, w0, w1, bias2, ref lossSum, ref invalidLanes, ref g0, ref g1);
        }

        var sums = default(ChunkSums);
        sums.LossSum = Vector128.Sum(lossSum);
        sums.DerivativeSum = Vector128.Sum(derivativeSum);
        var gradient0 = Vector128.Sum(g0);
        var gradient1 = Vector128.Sum(g1);
        var invalid = false;
        if (row < (nuint)rows)
        {
            // The last row of an odd N, η as the vector steps form it: (x₀w₀ + b) + x₁w₁.
            var x0 = TLanes.Load(ref features, two ? 2 * row : row);
            var x1 = two ? TLanes.Load(ref features, (2 * row) + 1) : 0.0;
            var eta = double.MultiplyAddEstimate(x0, weight0, bias);
            if (two)
            {
                eta = double.MultiplyAddEstimate(x1, weight1, eta);
            }

            sums.LossSum += OneRow<T, TLanes, TLoss, TWeighting>(loss, eta, ref targets, ref sampleWeights, ref residuals, writeResiduals, row, ref invalid, out var r);
            sums.DerivativeSum += r;
            gradient0 = double.MultiplyAddEstimate(x0, r, gradient0);
            gradient1 = double.MultiplyAddEstimate(x1, r, gradient1);
        }

        ref var g = ref MemoryMarshal.GetReference(gradientSums);
        g = gradient0;
        if (two)
        {
            Unsafe.Add(ref g, 1) = gradient1;
        }

        sums.HasInvalidLabel = invalid || invalidLanes != Vector128<double>.Zero;
        return sums;
    }

    /// <summary>
    /// Rows <paramref name="row"/> and <paramref name="row"/> + 1: their loss terms into <paramref name="lossSum"/>, their
    /// gradient terms into <paramref name="g0"/> (and <paramref name="g1"/>); returns their (weighted) derivatives.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<double> NarrowStep128<T, TLanes, TLoss, TWeighting, TRow>(
        TLoss loss, ref T features, ref T targets, ref T sampleWeights, ref T residuals, bool writeResiduals, nuint row,
        Vector128<double> w0, Vector128<double> w1, Vector128<double> bias2,
        ref Vector128<double> lossSum, ref Vector128<double> invalidLanes, ref Vector128<double> g0, ref Vector128<double> g1)
        where TLanes : struct, IDoubleLanes<T>
        where TLoss : struct, IPointwiseLoss
        where TWeighting : struct, IRowWeighting
        where TRow : struct, INarrowRow
    {
        if (typeof(TRow) == typeof(OneColumn))
        {
            var c = TLanes.Load128(ref features, row);
            var r = TwoRows<T, TLanes, TLoss, TWeighting>(
                loss, Vector128.MultiplyAddEstimate(c, w0, bias2), ref targets, ref sampleWeights, ref residuals, writeResiduals, row, ref lossSum, ref invalidLanes);
            g0 = Vector128.MultiplyAddEstimate(c, r, g0);
            return r;
        }

        // The rows read as (x₀₀, x₀₁) and (x₁₀, x₁₁); the columns are their first elements and their second ones.
        var a = TLanes.Load128(ref features, 2 * row);
        var b = TLanes.Load128(ref features, (2 * row) + 2);
        var c0 = Vector128.Create(a.ToScalar(), b.ToScalar());
        var c1 = Vector128.Create(a.GetElement(1), b.GetElement(1));
        var eta = Vector128.MultiplyAddEstimate(c1, w1, Vector128.MultiplyAddEstimate(c0, w0, bias2));
        var derivatives = TwoRows<T, TLanes, TLoss, TWeighting>(loss, eta, ref targets, ref sampleWeights, ref residuals, writeResiduals, row, ref lossSum, ref invalidLanes);
        g0 = Vector128.MultiplyAddEstimate(c0, derivatives, g0);
        g1 = Vector128.MultiplyAddEstimate(c1, derivatives, g1);
        return derivatives;
    }
}
