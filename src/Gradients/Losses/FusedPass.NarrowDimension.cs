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

/// <summary>Rows of three columns.</summary>
internal readonly struct ThreeColumns : INarrowRow
{
}

/// <summary>Rows of four columns.</summary>
internal readonly struct FourColumns : INarrowRow
{
}

internal static partial class FusedPass
{
    /// <summary>
    /// Whether <see cref="Narrow256{T, TLanes, TLoss, TWeighting}"/> serves rows of <paramref name="dimension"/> elements of
    /// <typeparamref name="T"/>: D ≤ 2 for double, D ≤ 4 for float. From memory, double rows of three and four features
    /// measured the same as in the register kernel or slower (4,000,000 × 4 with AVX-512 off 1.74 against 1.47× the
    /// read-only pass, one process each; 1.44 against 1.45 by default, in one process), float rows 6–30 % faster
    /// (5,333,333 × 3 2.26–2.62 → 1.66–2.03, 4,000,000 × 4 1.89–2.29 → 1.64–1.72, AVX-512 on and off), where the register
    /// kernel widens every element of a row as its own vector.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static bool NarrowApplies<T>(int dimension) => dimension <= (typeof(T) == typeof(float) ? 4 : 2);

    /// <summary>
    /// The kernel for rows of one to four features with AVX2 (<see cref="NarrowApplies{T}(int)"/>), double and float: four rows per step, read as D whole
    /// vectors (X is one stream, nothing read twice or past the chunk) and turned into D column vectors, lane i row i
    /// (<see cref="ColumnPair{T, TLanes}"/>, <see cref="ColumnTriple{T, TLanes}"/>, <see cref="ColumnQuad{T, TLanes}"/>). η of
    /// the four rows is D multiply-adds, their loss terms one vector (<see cref="FourRows{T, TLanes, TLoss, TWeighting}"/>),
    /// and their gradient terms D multiply-adds into D vectors of column sums: no horizontal sum and no broadcast per row.
    /// The register kernel (<see cref="SmallDimension{T, TLanes, TLoss, TWeighting}"/>) reads each row as a masked vector of
    /// four columns, most of it zero at D = 1 and 2, and sums each row's products across the vector. Losses without transcendental functions take
    /// eight rows per step in two sets of sums at D ≤ 2 (each sum is a chain of one multiply-add or add per step; two sets
    /// halve the time a step waits on the one before); for the others, whose steps are long, the second set measured
    /// slower, and at D = 3 and 4, with 16 vector registers (AVX-512 off), its sums spilled to the stack (50 × 4 double,
    /// the call in a loop: 80–83 against 72–76 ns with one set).
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
    /// 2.96 → 1.60 (÷ the float pass). Float rows of three and four: see <see cref="NarrowApplies{T}(int)"/>. See
    /// docs/benchmarks.md, Zen 4 section, item 16.
    /// </para>
    /// <para>
    /// Each width's loop is a method of its own (<see cref="NarrowRows{T, TLanes, TLoss, TWeighting, TRow}"/>, not inlined into this switch) and each step
    /// one (chosen by type tests the JIT folds): with all four widths' loops in one method the JIT ran out of inlining
    /// budget and called the steps, and the logistic loss took 2.6× the time.
    /// </para>
    /// </remarks>
    internal static ChunkSums Narrow256<T, TLanes, TLoss, TWeighting>(
        ref T features, ref T targets, ref T weights, int dimension, int rows, double bias,
        Span<double> gradientSums, ref T residuals, bool writeResiduals, TLoss loss, ref T sampleWeights)
        where TLanes : struct, IDoubleLanes<T>
        where TLoss : struct, IPointwiseLoss
        where TWeighting : struct, IRowWeighting =>
        dimension switch
        {
            1 => NarrowRows<T, TLanes, TLoss, TWeighting, OneColumn>(ref features, ref targets, ref weights, rows, bias, gradientSums, ref residuals, writeResiduals, loss, ref sampleWeights),
            2 => NarrowRows<T, TLanes, TLoss, TWeighting, TwoColumns>(ref features, ref targets, ref weights, rows, bias, gradientSums, ref residuals, writeResiduals, loss, ref sampleWeights),
            3 => NarrowRows<T, TLanes, TLoss, TWeighting, ThreeColumns>(ref features, ref targets, ref weights, rows, bias, gradientSums, ref residuals, writeResiduals, loss, ref sampleWeights),
            _ => NarrowRows<T, TLanes, TLoss, TWeighting, FourColumns>(ref features, ref targets, ref weights, rows, bias, gradientSums, ref residuals, writeResiduals, loss, ref sampleWeights),
        };

    // Not inlined into Narrow256's switch (see its remarks).
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static ChunkSums NarrowRows<T, TLanes, TLoss, TWeighting, TRow>(
        ref T features, ref T targets, ref T weights, int rows, double bias,
        Span<double> gradientSums, ref T residuals, bool writeResiduals, TLoss loss, ref T sampleWeights)
        where TLanes : struct, IDoubleLanes<T>
        where TLoss : struct, IPointwiseLoss
        where TWeighting : struct, IRowWeighting
        where TRow : struct, INarrowRow
    {
        var d = typeof(TRow) == typeof(OneColumn) ? 1 : typeof(TRow) == typeof(TwoColumns) ? 2 : typeof(TRow) == typeof(ThreeColumns) ? 3 : 4;
        var weight0 = TLanes.Load(ref weights, 0);
        var weight1 = d > 1 ? TLanes.Load(ref weights, 1) : 0.0;
        var weight2 = d > 2 ? TLanes.Load(ref weights, 2) : 0.0;
        var weight3 = d > 3 ? TLanes.Load(ref weights, 3) : 0.0;
        var w = new ColumnWeights(Vector256.Create(weight0), Vector256.Create(weight1), Vector256.Create(weight2), Vector256.Create(weight3), Vector256.Create(bias));
        Vector256<double> g0 = default, g1 = default, g2 = default, g3 = default, lossSum = default, derivativeSum = default, invalidLanes = default;
        nuint row = 0;
        if (!TLoss.UsesTranscendentalFunctions && (typeof(TRow) == typeof(OneColumn) || typeof(TRow) == typeof(TwoColumns)))
        {
            // The second set of sums.
            Vector256<double> g0B = default, g1B = default, g2B = default, g3B = default, lossSumB = default, derivativeSumB = default;
            for (; row + 8 <= (nuint)rows; row += 8)
            {
                derivativeSum += NarrowStep<T, TLanes, TLoss, TWeighting, TRow>(
                    loss, ref features, ref targets, ref sampleWeights, ref residuals, writeResiduals, row, w, ref lossSum, ref invalidLanes, ref g0, ref g1, ref g2, ref g3);
                derivativeSumB += NarrowStep<T, TLanes, TLoss, TWeighting, TRow>(
                    loss, ref features, ref targets, ref sampleWeights, ref residuals, writeResiduals, row + 4, w, ref lossSumB, ref invalidLanes, ref g0B, ref g1B, ref g2B, ref g3B);
            }

            (g0, g1, g2, g3) = (g0 + g0B, g1 + g1B, g2 + g2B, g3 + g3B);
            (lossSum, derivativeSum) = (lossSum + lossSumB, derivativeSum + derivativeSumB);
        }

        for (; row + 4 <= (nuint)rows; row += 4)
        {
            derivativeSum += NarrowStep<T, TLanes, TLoss, TWeighting, TRow>(
                loss, ref features, ref targets, ref sampleWeights, ref residuals, writeResiduals, row, w, ref lossSum, ref invalidLanes, ref g0, ref g1, ref g2, ref g3);
        }

        // The sums as scalars through the last rows (the JIT kept a ChunkSums local in memory).
        var lossTotal = Vector256.Sum(lossSum);
        var derivativeTotal = Vector256.Sum(derivativeSum);

        // The last rows one at a time, the weights and gradient sums in scalars (spans of them lived on the stack, a
        // store and a reload per row and column).
        var (gradient0, gradient1, gradient2, gradient3) = (Vector256.Sum(g0), Vector256.Sum(g1), Vector256.Sum(g2), Vector256.Sum(g3));
        var invalid = false;
        for (; row < (nuint)rows; row++)
        {
            // η as the vector steps form it: (((x₀w₀ + b) + x₁w₁) + x₂w₂) + x₃w₃, each a fused multiply-add.
            var at = row * (nuint)d;
            var x0 = TLanes.Load(ref features, at);
            var x1 = d > 1 ? TLanes.Load(ref features, at + 1) : 0.0;
            var x2 = d > 2 ? TLanes.Load(ref features, at + 2) : 0.0;
            var x3 = d > 3 ? TLanes.Load(ref features, at + 3) : 0.0;
            var eta = Math.FusedMultiplyAdd(x0, weight0, bias);
            eta = d > 1 ? Math.FusedMultiplyAdd(x1, weight1, eta) : eta;
            eta = d > 2 ? Math.FusedMultiplyAdd(x2, weight2, eta) : eta;
            eta = d > 3 ? Math.FusedMultiplyAdd(x3, weight3, eta) : eta;

            lossTotal += OneRow<T, TLanes, TLoss, TWeighting>(loss, eta, ref targets, ref sampleWeights, ref residuals, writeResiduals, row, ref invalid, out var r);
            derivativeTotal += r;
            gradient0 = Math.FusedMultiplyAdd(x0, r, gradient0);
            gradient1 = Math.FusedMultiplyAdd(x1, r, gradient1);
            gradient2 = Math.FusedMultiplyAdd(x2, r, gradient2);
            gradient3 = Math.FusedMultiplyAdd(x3, r, gradient3);
        }

        ref var gradient = ref MemoryMarshal.GetReference(gradientSums);
        gradient = gradient0;
        if (d > 1)
        {
            Unsafe.Add(ref gradient, 1) = gradient1;
        }

        if (d > 2)
        {
            Unsafe.Add(ref gradient, 2) = gradient2;
        }

        if (d > 3)
        {
            Unsafe.Add(ref gradient, 3) = gradient3;
        }

        if (invalid || invalidLanes != Vector256<double>.Zero)
        {
            lossTotal = double.NaN;
        }

        return new ChunkSums { LossSum = lossTotal, DerivativeSum = derivativeTotal };
    }

    /// <summary>The narrow kernel's weights, each broadcast (zero past D), and the intercept.</summary>
    private readonly record struct ColumnWeights(Vector256<double> W0, Vector256<double> W1, Vector256<double> W2, Vector256<double> W3, Vector256<double> Bias);

    /// <summary>
    /// Rows <paramref name="row"/> to <paramref name="row"/> + 3: their loss terms into <paramref name="lossSum"/>, their
    /// gradient terms into <paramref name="g0"/> (and <paramref name="g1"/>); returns their (weighted) derivatives.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> NarrowStep<T, TLanes, TLoss, TWeighting, TRow>(
        TLoss loss, ref T features, ref T targets, ref T sampleWeights, ref T residuals, bool writeResiduals, nuint row, ColumnWeights w,
        ref Vector256<double> lossSum, ref Vector256<double> invalidLanes,
        ref Vector256<double> g0, ref Vector256<double> g1, ref Vector256<double> g2, ref Vector256<double> g3)
        where TLanes : struct, IDoubleLanes<T>
        where TLoss : struct, IPointwiseLoss
        where TWeighting : struct, IRowWeighting
        where TRow : struct, INarrowRow
    {
        // One small method per width, chosen by type tests the JIT folds as it reads this one (one method holding every
        // width was too large to inline).
        if (typeof(TRow) == typeof(OneColumn))
        {
            return OneColumnStep<T, TLanes, TLoss, TWeighting>(loss, ref features, ref targets, ref sampleWeights, ref residuals, writeResiduals, row, w, ref lossSum, ref invalidLanes, ref g0);
        }

        if (typeof(TRow) == typeof(TwoColumns))
        {
            return TwoColumnStep<T, TLanes, TLoss, TWeighting>(loss, ref features, ref targets, ref sampleWeights, ref residuals, writeResiduals, row, w, ref lossSum, ref invalidLanes, ref g0, ref g1);
        }

        return typeof(TRow) == typeof(ThreeColumns)
            ? ThreeColumnStep<T, TLanes, TLoss, TWeighting>(loss, ref features, ref targets, ref sampleWeights, ref residuals, writeResiduals, row, w, ref lossSum, ref invalidLanes, ref g0, ref g1, ref g2)
            : FourColumnStep<T, TLanes, TLoss, TWeighting>(loss, ref features, ref targets, ref sampleWeights, ref residuals, writeResiduals, row, w, ref lossSum, ref invalidLanes, ref g0, ref g1, ref g2, ref g3);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> OneColumnStep<T, TLanes, TLoss, TWeighting>(
        TLoss loss, ref T features, ref T targets, ref T sampleWeights, ref T residuals, bool writeResiduals, nuint row, ColumnWeights w,
        ref Vector256<double> lossSum, ref Vector256<double> invalidLanes, ref Vector256<double> g0)
        where TLanes : struct, IDoubleLanes<T>
        where TLoss : struct, IPointwiseLoss
        where TWeighting : struct, IRowWeighting
    {
        var c = TLanes.Load256(ref features, row);
        var r = FourRows<T, TLanes, TLoss, TWeighting>(
            loss, Vector256.FusedMultiplyAdd(c, w.W0, w.Bias), ref targets, ref sampleWeights, ref residuals, writeResiduals, row, ref lossSum, ref invalidLanes);
        g0 = Vector256.FusedMultiplyAdd(c, r, g0);
        return r;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> TwoColumnStep<T, TLanes, TLoss, TWeighting>(
        TLoss loss, ref T features, ref T targets, ref T sampleWeights, ref T residuals, bool writeResiduals, nuint row, ColumnWeights w,
        ref Vector256<double> lossSum, ref Vector256<double> invalidLanes, ref Vector256<double> g0, ref Vector256<double> g1)
        where TLanes : struct, IDoubleLanes<T>
        where TLoss : struct, IPointwiseLoss
        where TWeighting : struct, IRowWeighting
    {
        var (c0, c1) = ColumnPair<T, TLanes>(ref features, 2 * row);
        var eta = Vector256.FusedMultiplyAdd(c1, w.W1, Vector256.FusedMultiplyAdd(c0, w.W0, w.Bias));
        var r = FourRows<T, TLanes, TLoss, TWeighting>(loss, eta, ref targets, ref sampleWeights, ref residuals, writeResiduals, row, ref lossSum, ref invalidLanes);
        g0 = Vector256.FusedMultiplyAdd(c0, r, g0);
        g1 = Vector256.FusedMultiplyAdd(c1, r, g1);
        return r;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> ThreeColumnStep<T, TLanes, TLoss, TWeighting>(
        TLoss loss, ref T features, ref T targets, ref T sampleWeights, ref T residuals, bool writeResiduals, nuint row, ColumnWeights w,
        ref Vector256<double> lossSum, ref Vector256<double> invalidLanes, ref Vector256<double> g0, ref Vector256<double> g1, ref Vector256<double> g2)
        where TLanes : struct, IDoubleLanes<T>
        where TLoss : struct, IPointwiseLoss
        where TWeighting : struct, IRowWeighting
    {
        var (c0, c1, c2) = ColumnTriple<T, TLanes>(ref features, 3 * row);
        var eta = Vector256.FusedMultiplyAdd(c2, w.W2, Vector256.FusedMultiplyAdd(c1, w.W1, Vector256.FusedMultiplyAdd(c0, w.W0, w.Bias)));
        var r = FourRows<T, TLanes, TLoss, TWeighting>(loss, eta, ref targets, ref sampleWeights, ref residuals, writeResiduals, row, ref lossSum, ref invalidLanes);
        g0 = Vector256.FusedMultiplyAdd(c0, r, g0);
        g1 = Vector256.FusedMultiplyAdd(c1, r, g1);
        g2 = Vector256.FusedMultiplyAdd(c2, r, g2);
        return r;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> FourColumnStep<T, TLanes, TLoss, TWeighting>(
        TLoss loss, ref T features, ref T targets, ref T sampleWeights, ref T residuals, bool writeResiduals, nuint row, ColumnWeights w,
        ref Vector256<double> lossSum, ref Vector256<double> invalidLanes,
        ref Vector256<double> g0, ref Vector256<double> g1, ref Vector256<double> g2, ref Vector256<double> g3)
        where TLanes : struct, IDoubleLanes<T>
        where TLoss : struct, IPointwiseLoss
        where TWeighting : struct, IRowWeighting
    {
        var (c0, c1, c2, c3) = ColumnQuad<T, TLanes>(ref features, 4 * row);
        var eta = Vector256.FusedMultiplyAdd(c3, w.W3, Vector256.FusedMultiplyAdd(c2, w.W2, Vector256.FusedMultiplyAdd(c1, w.W1, Vector256.FusedMultiplyAdd(c0, w.W0, w.Bias))));
        var r = FourRows<T, TLanes, TLoss, TWeighting>(loss, eta, ref targets, ref sampleWeights, ref residuals, writeResiduals, row, ref lossSum, ref invalidLanes);
        g0 = Vector256.FusedMultiplyAdd(c0, r, g0);
        g1 = Vector256.FusedMultiplyAdd(c1, r, g1);
        g2 = Vector256.FusedMultiplyAdd(c2, r, g2);
        g3 = Vector256.FusedMultiplyAdd(c3, r, g3);
        return r;
    }

    /// <summary>
    /// Four rows of three columns from element <paramref name="at"/> as three column vectors, lane i row i: the rows read as
    /// v₀ = (x₀₀, x₀₁, x₀₂, x₁₀), v₁ = (x₁₁, x₁₂, x₂₀, x₂₁), v₂ = (x₂₂, x₃₀, x₃₁, x₃₂); each column takes its lanes from the
    /// three by two blends and puts them in order by one lane permute.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector256<double> First, Vector256<double> Second, Vector256<double> Third) ColumnTriple<T, TLanes>(ref T features, nuint at)
        where TLanes : struct, IDoubleLanes<T>
    {
        var v0 = TLanes.Load256(ref features, at);
        var v1 = TLanes.Load256(ref features, at + 4);
        var v2 = TLanes.Load256(ref features, at + 8);

        // (v₀[0], v₂[1], v₁[2], v₀[3]) → lanes 0, 3, 2, 1: (x₀₀, x₁₀, x₂₀, x₃₀).
        var first = Avx2.Permute4x64(Avx.Blend(Avx.Blend(v0, v1, 0b0100), v2, 0b0010), 0b01_10_11_00);

        // (v₁[0], v₀[1], v₂[2], v₁[3]) → lanes 1, 0, 3, 2: (x₀₁, x₁₁, x₂₁, x₃₁).
        var second = Avx2.Permute4x64(Avx.Blend(Avx.Blend(v0, v1, 0b1001), v2, 0b0100), 0b10_11_00_01);

        // (v₂[0], v₁[1], v₀[2], v₂[3]) → lanes 2, 1, 0, 3: (x₀₂, x₁₂, x₂₂, x₃₂).
        var third = Avx2.Permute4x64(Avx.Blend(Avx.Blend(v0, v1, 0b0010), v2, 0b1001), 0b11_00_01_10);
        return (first, second, third);
    }

    /// <summary>Four rows of four columns from element <paramref name="at"/> as four column vectors (a 4 × 4 transpose: four unpacks, four lane-pair permutes).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector256<double> First, Vector256<double> Second, Vector256<double> Third, Vector256<double> Fourth) ColumnQuad<T, TLanes>(ref T features, nuint at)
        where TLanes : struct, IDoubleLanes<T>
    {
        var r0 = TLanes.Load256(ref features, at);
        var r1 = TLanes.Load256(ref features, at + 4);
        var r2 = TLanes.Load256(ref features, at + 8);
        var r3 = TLanes.Load256(ref features, at + 12);
        var even01 = Avx.UnpackLow(r0, r1);
        var odd01 = Avx.UnpackHigh(r0, r1);
        var even23 = Avx.UnpackLow(r2, r3);
        var odd23 = Avx.UnpackHigh(r2, r3);
        return (Avx.Permute2x128(even01, even23, 0x20), Avx.Permute2x128(odd01, odd23, 0x20), Avx.Permute2x128(even01, even23, 0x31), Avx.Permute2x128(odd01, odd23, 0x31));
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
