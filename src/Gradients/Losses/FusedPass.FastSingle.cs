using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Gradients;

internal static partial class FusedPass
{
    /// <summary>
    /// A chunk of float data under <see cref="FloatArithmetic.Fast"/>: the kernels with η in float where they exist
    /// (<see cref="SingleNarrow{TLoss, TWeighting, TArithmetic}"/> for D = 3 and 4 in L1,
    /// <see cref="SingleWide512{TLoss, TWeighting, TArithmetic}"/> for the full chunks it serves), and otherwise the
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
            return SingleNarrow<TLoss, TWeighting, FastSingleElements>(
                ref features, ref targets, ref weights, dimension, rows, available, bias, gradientSums, ref residuals, writeResiduals, loss, ref sampleWeights);
        }

        if (FastSingleWideApplies(dimension, rows))
        {
            return SingleWide512<TLoss, TWeighting, FastSingleElements>(
                ref features, ref targets, ref weights, dimension, rows, bias, gradientSums, ref residuals, writeResiduals, loss, ref sampleWeights);
        }

        return Chunk<float, SingleElements, TLoss, TWeighting>(
            ref features, ref targets, ref weights, dimension, rows, available, bias, gradientSums, ref residuals, writeResiduals, loss, ref sampleWeights);
    }

    /// <summary>
    /// Whether a chunk of float data under <see cref="FloatArithmetic.Fast"/> runs the 512-bit wide kernel with η in
    /// float: exactly the chunks whose default arithmetic runs the 512-bit wide kernel (<see cref="Single{TLoss, TWeighting}"/>
    /// with D &gt; 16, or D = 16 where <see cref="ShortSingleGroups"/> is off, and <see cref="SingleWide{TLoss, TWeighting}"/>'s choice).
    /// </summary>
    internal static bool FastSingleWideApplies(int dimension, int rows) =>
        SingleKernelsApply(dimension, rows)
        && (dimension > SmallDimensionLimit || (dimension == SmallDimensionLimit && !ShortSingleGroups))
        && Vector512.IsHardwareAccelerated && Avx512F.IsSupported && !RowsSuit256BitVectors(dimension);
}
