using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Gradients;

internal static partial class FusedPass
{
    /// <summary>
    /// The widest D that the dispatch sends to <see cref="Narrow128{T, TLanes, TLoss, TWeighting}"/>; rows of three and four
    /// reach <see cref="Narrow128ThreeOrFour{T, TLanes, TLoss, TWeighting}"/> through <see cref="Wide128"/>.
    /// </summary>
    internal const int Narrow128DimensionLimit = 2;

    /// <summary>
    /// <see cref="Narrow256{T, TLanes, TLoss, TWeighting}"/> with 128-bit vectors, for hardware without AVX2
    /// (<c>DOTNET_EnableAVX2=0</c>) and Arm64, D = 1 and 2 (3 and 4: <see cref="Narrow128ThreeOrFour{T, TLanes, TLoss, TWeighting}"/>):
    /// two rows per step as D column vectors (D = 2: the two rows' first elements, and their second ones),
    /// η and the gradient terms D multiply-adds each, the loss terms one vector
    /// (<see cref="TwoRows{T, TLanes, TLoss, TWeighting}"/>). Losses without transcendental functions take four rows per
    /// step in two sets of sums at D ≤ 2. Multiply-adds are <c>MultiplyAddEstimate</c>, fused only where the hardware has FMA
    /// (see <see cref="Wide128"/>). Before, rows of one feature ran the scalar kernel and rows of two to four the 128-bit wide
    /// kernel, one row at a time, with a horizontal sum and a broadcast per row.
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

    /// <summary>
    /// <see cref="Narrow128{T, TLanes, TLoss, TWeighting}"/> at D = 3 and 4, reached through <see cref="Wide128"/> (a call
    /// already): a third call in the inlined dispatch, or these widths' loops beside those of D = 1 and 2, changed the
    /// code the JIT made of the callers, and at (50 × 1) and (50 × 2) double with AVX2 off the call took 44–50 and 67–72 ns
    /// instead of 38 and 60.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)] // Inlined into Wide128, it took (50 × 4) from 104 to 143–157 ns.
    internal static ChunkSums Narrow128ThreeOrFour<T, TLanes, TLoss, TWeighting>(
        ref T features, ref T targets, ref T weights, int dimension, int rows, double bias,
        Span<double> gradientSums, ref T residuals, bool writeResiduals, TLoss loss, ref T sampleWeights)
        where TLanes : struct, IDoubleLanes<T>
        where TLoss : struct, IPointwiseLoss
        where TWeighting : struct, IRowWeighting =>
        dimension == 3
            ? NarrowRows128ThreeOrFour<T, TLanes, TLoss, TWeighting, ThreeColumns>(ref features, ref targets, ref weights, rows, bias, gradientSums, ref residuals, writeResiduals, loss, ref sampleWeights)
            : NarrowRows128ThreeOrFour<T, TLanes, TLoss, TWeighting, FourColumns>(ref features, ref targets, ref weights, rows, bias, gradientSums, ref residuals, writeResiduals, loss, ref sampleWeights);

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

        var lossTotal = Vector128.Sum(lossSum);
        var derivativeTotal = Vector128.Sum(derivativeSum);
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

            lossTotal += OneRow<T, TLanes, TLoss, TWeighting>(loss, eta, ref targets, ref sampleWeights, ref residuals, writeResiduals, row, ref invalid, out var r);
            derivativeTotal += r;
            gradient0 = double.MultiplyAddEstimate(x0, r, gradient0);
            gradient1 = double.MultiplyAddEstimate(x1, r, gradient1);
        }

        ref var g = ref MemoryMarshal.GetReference(gradientSums);
        g = gradient0;
        if (two)
        {
            Unsafe.Add(ref g, 1) = gradient1;
        }

        if (invalid || invalidLanes != Vector128<double>.Zero)
        {
            lossTotal = double.NaN;
        }

        return new ChunkSums { LossSum = lossTotal, DerivativeSum = derivativeTotal };
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

    /// <summary>
    /// The loop of <see cref="Narrow128ThreeOrFour{T, TLanes, TLoss, TWeighting}"/>: one set of sums (a second would not fit in
    /// 16 registers beside the four weights).
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static ChunkSums NarrowRows128ThreeOrFour<T, TLanes, TLoss, TWeighting, TRow>(
        ref T features, ref T targets, ref T weights, int rows, double bias,
        Span<double> gradientSums, ref T residuals, bool writeResiduals, TLoss loss, ref T sampleWeights)
        where TLanes : struct, IDoubleLanes<T>
        where TLoss : struct, IPointwiseLoss
        where TWeighting : struct, IRowWeighting
        where TRow : struct, INarrowRow
    {
        var four = typeof(TRow) == typeof(FourColumns);
        var weight0 = TLanes.Load(ref weights, 0);
        var weight1 = TLanes.Load(ref weights, 1);
        var weight2 = TLanes.Load(ref weights, 2);
        var weight3 = four ? TLanes.Load(ref weights, 3) : 0.0;
        var (w0, w1, w2, w3, bias2) = (Vector128.Create(weight0), Vector128.Create(weight1), Vector128.Create(weight2), Vector128.Create(weight3), Vector128.Create(bias));
        Vector128<double> g0 = default, g1 = default, g2 = default, g3 = default, lossSum = default, derivativeSum = default, invalidLanes = default;
        nuint row = 0;
        for (; row + 2 <= (nuint)rows; row += 2)
        {
            // The two rows as D column vectors, lane i row i.
            Vector128<double> c0, c1, c2, c3 = default;
            if (four)
            {
                // (x₀₀, x₀₁), (x₀₂, x₀₃), (x₁₀, x₁₁) and (x₁₂, x₁₃), unpacked pairwise.
                var a = TLanes.Load128(ref features, 4 * row);
                var b = TLanes.Load128(ref features, (4 * row) + 2);
                var e = TLanes.Load128(ref features, (4 * row) + 4);
                var f = TLanes.Load128(ref features, (4 * row) + 6);
                c0 = Vector128.Create(a.ToScalar(), e.ToScalar());
                c1 = Vector128.Create(a.GetElement(1), e.GetElement(1));
                c2 = Vector128.Create(b.ToScalar(), f.ToScalar());
                c3 = Vector128.Create(b.GetElement(1), f.GetElement(1));
            }
            else
            {
                // (x₀₀, x₀₁), (x₀₂, x₁₀) and (x₁₁, x₁₂).
                var a = TLanes.Load128(ref features, 3 * row);
                var b = TLanes.Load128(ref features, (3 * row) + 2);
                var e = TLanes.Load128(ref features, (3 * row) + 4);
                c0 = Vector128.Create(a.ToScalar(), b.GetElement(1));
                c1 = Vector128.Create(a.GetElement(1), e.ToScalar());
                c2 = Vector128.Create(b.ToScalar(), e.GetElement(1));
            }

            // η as ((x₀w₀ + b) + x₁w₁) + x₂w₂ (+ x₃w₃), the order of the row-by-row tail.
            var eta = Vector128.MultiplyAddEstimate(c2, w2, Vector128.MultiplyAddEstimate(c1, w1, Vector128.MultiplyAddEstimate(c0, w0, bias2)));
            if (four)
            {
                eta = Vector128.MultiplyAddEstimate(c3, w3, eta);
            }

            var derivatives = TwoRows<T, TLanes, TLoss, TWeighting>(loss, eta, ref targets, ref sampleWeights, ref residuals, writeResiduals, row, ref lossSum, ref invalidLanes);
            derivativeSum += derivatives;
            g0 = Vector128.MultiplyAddEstimate(c0, derivatives, g0);
            g1 = Vector128.MultiplyAddEstimate(c1, derivatives, g1);
            g2 = Vector128.MultiplyAddEstimate(c2, derivatives, g2);
            if (four)
            {
                g3 = Vector128.MultiplyAddEstimate(c3, derivatives, g3);
            }
        }

        var lossTotal = Vector128.Sum(lossSum);
        var derivativeTotal = Vector128.Sum(derivativeSum);
        var (gradient0, gradient1, gradient2, gradient3) = (Vector128.Sum(g0), Vector128.Sum(g1), Vector128.Sum(g2), Vector128.Sum(g3));
        var invalid = false;
        if (row < (nuint)rows)
        {
            // The last row of an odd N, η as the vector steps form it.
            var at = row * (four ? 4u : 3u);
            var x0 = TLanes.Load(ref features, at);
            var x1 = TLanes.Load(ref features, at + 1);
            var x2 = TLanes.Load(ref features, at + 2);
            var x3 = four ? TLanes.Load(ref features, at + 3) : 0.0;
            var eta = double.MultiplyAddEstimate(x2, weight2, double.MultiplyAddEstimate(x1, weight1, double.MultiplyAddEstimate(x0, weight0, bias)));
            if (four)
            {
                eta = double.MultiplyAddEstimate(x3, weight3, eta);
            }

            lossTotal += OneRow<T, TLanes, TLoss, TWeighting>(loss, eta, ref targets, ref sampleWeights, ref residuals, writeResiduals, row, ref invalid, out var r);
            derivativeTotal += r;
            gradient0 = double.MultiplyAddEstimate(x0, r, gradient0);
            gradient1 = double.MultiplyAddEstimate(x1, r, gradient1);
            gradient2 = double.MultiplyAddEstimate(x2, r, gradient2);
            gradient3 = double.MultiplyAddEstimate(x3, r, gradient3);
        }

        ref var g = ref MemoryMarshal.GetReference(gradientSums);
        g = gradient0;
        Unsafe.Add(ref g, 1) = gradient1;
        Unsafe.Add(ref g, 2) = gradient2;
        if (four)
        {
            Unsafe.Add(ref g, 3) = gradient3;
        }

        if (invalid || invalidLanes != Vector128<double>.Zero)
        {
            lossTotal = double.NaN;
        }

        return new ChunkSums { LossSum = lossTotal, DerivativeSum = derivativeTotal };
    }
}
