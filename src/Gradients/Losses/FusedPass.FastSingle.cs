using System.Runtime.CompilerServices;

namespace Gradients;

internal static partial class FusedPass
{
    /// <summary>
    /// A chunk of float data under <see cref="FloatArithmetic.Fast"/>: the kernels with η in float where they exist
    /// (<see cref="FastSquaredNarrow"/> for the unweighted mean squared error of D = 3 and 4 in L1 with AVX-512, from
    /// <see cref="FastSquaredMinimumElements"/> elements; <see cref="FastNarrow256{TLoss, TWeighting}"/> for D = 4 with
    /// AVX2 only, from as many; <see cref="SingleWide{TLoss, TWeighting, TArithmetic}"/> for the full chunks it serves, with AVX2), and otherwise the
    /// default arithmetic's kernel for the chunk (<see cref="SingleElements"/>), whose error is within the fast one's
    /// bound. Like every kernel choice it depends on the chunk only, so results are the same for any thread count.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ChunkSums FastSingle<TLoss, TWeighting>(
        ref float features, ref float targets, ref float weights, int dimension, int rows, nuint available, double bias,
        Span<double> gradientSums, ref float residuals, bool writeResiduals, TLoss loss, ref float sampleWeights)
        where TLoss : struct, IPointwiseLoss
        where TWeighting : struct, IRowWeighting
    {
        if (SingleNarrowApplies(dimension, rows))
        {
            if (typeof(TLoss) == typeof(SquaredResidual) && !TWeighting.IsWeighted)
            {
                return (long)rows * dimension >= FastSquaredMinimumElements
                    ? FastSquaredNarrow(ref features, ref targets, ref weights, dimension, rows, available, bias, gradientSums, ref residuals, writeResiduals)
                    : SquaredNarrow(ref features, ref targets, ref weights, dimension, rows, available, bias, gradientSums, ref residuals, writeResiduals);
            }

            // The other losses: the default arithmetic's kernel, which the fast loop they had did not beat (see SingleNarrow).
            return SingleNarrow<TLoss, TWeighting>(
                ref features, ref targets, ref weights, dimension, rows, available, bias, gradientSums, ref residuals, writeResiduals, loss, ref sampleWeights);
        }

        // Without AVX-512, rows of four: below FastSquaredMinimumElements the default kernel, faster there too (fast ÷
        // default, mean squared error, one process, AVX-512 off: (8 × 4) 1.60, (24 × 4) 0.90, (64 × 4) 0.80).
        if (FastNarrow256Applies(dimension, rows) && (long)rows * dimension >= FastSquaredMinimumElements)
        {
            return FastNarrow256<TLoss, TWeighting>(
                ref features, ref targets, ref weights, dimension, rows, available, bias, gradientSums, ref residuals, writeResiduals, loss, ref sampleWeights);
        }

        if (FastSingleWideApplies(dimension, rows))
        {
            return SingleWide<TLoss, TWeighting, FastSingleElements>(
                ref features, ref targets, ref weights, dimension, rows, bias, gradientSums, ref residuals, writeResiduals, loss, ref sampleWeights);
        }

        return Chunk<float, SingleElements, TLoss, TWeighting>(
            ref features, ref targets, ref weights, dimension, rows, available, bias, gradientSums, ref residuals, writeResiduals, loss, ref sampleWeights);
    }

    /// <summary>
    /// Whether a chunk of float data under <see cref="FloatArithmetic.Fast"/> runs a wide kernel with η in float:
    /// exactly the chunks whose default arithmetic runs a wide kernel (<see cref="Single{TLoss, TWeighting}"/> with
    /// D &gt; 16, or D = 16 where <see cref="ShortSingleGroups"/> is off), with the same choice of 512-bit or 256-bit
    /// vectors (<see cref="SingleWide{TLoss, TWeighting, TArithmetic}"/>).
    /// </summary>
    internal static bool FastSingleWideApplies(int dimension, int rows) =>
        SingleKernelsApply(dimension, rows)
        && (dimension > SmallDimensionLimit || (dimension == SmallDimensionLimit && !ShortSingleGroups));
}
