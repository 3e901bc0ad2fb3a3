using System.Runtime.CompilerServices;

namespace Gradients;

internal static partial class FusedPass
{
    /// <summary>
    /// The scalar kernel: every element type and every D, used when no vector hardware is available
    /// (<c>DOTNET_EnableHWIntrinsic=0</c>) and for element types other than float and double.
    /// Plain multiply-add, not <c>Math.FusedMultiplyAdd</c>: without FMA hardware the latter is a slow library call.
    /// </summary>
    internal static ChunkSums Scalar<T, TLanes>(
        ref T features, ref T targets, ref T weights, int dimension, int rows, double bias,
        Span<double> gradientSums, ref T residuals, bool writeResiduals)
        where TLanes : struct, IDoubleLanes<T>
    {
        var d = (nuint)dimension;
        ref var gradient = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(gradientSums);
        gradientSums.Clear();
        var sums = default(ChunkSums);
        for (nuint row = 0; row < (nuint)rows; row++)
        {
            ref var x = ref Unsafe.Add(ref features, row * d);
            var dot = 0.0;
            for (nuint j = 0; j < d; j++)
            {
                dot += TLanes.Load(ref x, j) * TLanes.Load(ref weights, j);
            }

            var r = dot + bias - TLanes.Load(ref targets, row);
            sums.SumOfSquares += r * r;
            sums.SumOfResiduals += r;
            if (writeResiduals)
            {
                TLanes.Store(r, ref residuals, row);
            }

            for (nuint j = 0; j < d; j++)
            {
                Unsafe.Add(ref gradient, j) += r * TLanes.Load(ref x, j);
            }
        }

        return sums;
    }
}
