using System.Runtime.CompilerServices;

namespace Gradients;

internal static partial class FusedPass
{
    /// <summary>
    /// The scalar kernel: every element type and every D, used when no vector hardware is available
    /// (<c>DOTNET_EnableHWIntrinsic=0</c>) and for element types other than float and double.
    /// Plain multiply-add, not <c>Math.FusedMultiplyAdd</c>: without FMA hardware the latter is a slow library call.
    /// </summary>
    internal static ChunkSums Scalar<T, TLanes, TLoss, TWeighting>(
        ref T features, ref T targets, ref T weights, int dimension, int rows, double bias,
        Span<double> gradientSums, ref T residuals, bool writeResiduals, TLoss loss, ref T sampleWeights)
        where TLanes : struct, IDoubleLanes<T>
        where TLoss : struct, IPointwiseLoss
        where TWeighting : struct, IRowWeighting
    {
        var d = (nuint)dimension;
        ref var gradient = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(gradientSums);
        gradientSums.Clear();
        var sums = default(ChunkSums);
        var invalid = false;
        for (nuint row = 0; row < (nuint)rows; row++)
        {
            ref var x = ref Unsafe.Add(ref features, row * d);
            var dot = 0.0;
            for (nuint j = 0; j < d; j++)
            {
                dot += TLanes.Load(ref x, j) * TLanes.Load(ref weights, j);
            }

            sums.LossSum += OneRow<T, TLanes, TLoss, TWeighting>(loss, dot + bias, ref targets, ref sampleWeights, ref residuals, writeResiduals, row, ref invalid, out var r);
            sums.DerivativeSum += r;

            for (nuint j = 0; j < d; j++)
            {
                Unsafe.Add(ref gradient, j) += r * TLanes.Load(ref x, j);
            }
        }

        if (invalid)
        {
            sums.LossSum = double.NaN;
        }

        return new ChunkSums { LossSum = sums.LossSum, DerivativeSum = sums.DerivativeSum };
    }
}
