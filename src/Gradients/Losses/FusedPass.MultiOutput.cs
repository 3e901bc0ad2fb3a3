using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Gradients;

internal static partial class FusedPass
{
    /// <summary>
    /// K regressions in one pass over X: targets N×K, weights D×K, both row-major. Per row, the K residuals
    /// r = xᵀW − y are built by D axpy updates over K (row j of W scaled by xⱼ), then the D×K gradient sums gain
    /// the outer product x·rᵀ (row j gains xⱼ·r). The working set is W, the sums and one row: O(D·K), cache-resident
    /// for the usual K.
    /// </summary>
    /// <param name="features">X, N×D.</param>
    /// <param name="targets">Y, N×K.</param>
    /// <param name="weights">W, D×K.</param>
    /// <param name="outputs">K.</param>
    /// <param name="gradientSums">Receives Σ x·rᵀ, D×K (overwritten).</param>
    /// <param name="squares">Receives Σ r_k², K (overwritten).</param>
    /// <param name="residuals">Scratch for one row's K residuals.</param>
    internal static void MultiOutput<T, TLanes>(
        ReadOnlySpan<T> features, ReadOnlySpan<T> targets, ReadOnlySpan<T> weights, int outputs,
        Span<double> gradientSums, Span<double> squares, Span<double> residuals)
        where TLanes : struct, IDoubleLanes<T>
    {
        var k = (nuint)outputs;
        var rows = targets.Length / outputs;
        var d = (nuint)(weights.Length / outputs);
        ref var x = ref MemoryMarshal.GetReference(features);
        ref var y = ref MemoryMarshal.GetReference(targets);
        ref var w = ref MemoryMarshal.GetReference(weights);
        ref var g = ref MemoryMarshal.GetReference(gradientSums);
        ref var s = ref MemoryMarshal.GetReference(squares);
        ref var r = ref MemoryMarshal.GetReference(residuals);
        gradientSums.Clear();
        squares.Clear();

        for (nuint row = 0; row < (nuint)rows; row++)
        {
            ref var xRow = ref Unsafe.Add(ref x, row * d);
            ref var yRow = ref Unsafe.Add(ref y, row * k);
            for (nuint c = 0; c < k; c++)
            {
                Unsafe.Add(ref r, c) = 0.0;
            }

            for (nuint j = 0; j < d; j++)
            {
                AddScaled<T, TLanes>(ref r, TLanes.Load(ref xRow, j), ref Unsafe.Add(ref w, j * k), k);
            }

            for (nuint c = 0; c < k; c++)
            {
                var residual = Unsafe.Add(ref r, c) - TLanes.Load(ref yRow, c);
                Unsafe.Add(ref r, c) = residual;
                Unsafe.Add(ref s, c) += residual * residual;
            }

            for (nuint j = 0; j < d; j++)
            {
                AddScaled<double, DoubleElements>(ref Unsafe.Add(ref g, j * k), TLanes.Load(ref xRow, j), ref r, k);
            }
        }
    }

    /// <summary>destination[0…count) += scale·source[0…count), in double.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddScaled<T, TLanes>(ref double destination, double scale, ref T source, nuint count)
        where TLanes : struct, IDoubleLanes<T>
    {
        nuint c = 0;
        if (TLanes.IsVectorizable && Vector256.IsHardwareAccelerated)
        {
            var factor = Vector256.Create(scale);
            for (; c + 4 <= count; c += 4)
            {
                Vector256.FusedMultiplyAdd(factor, TLanes.Load256(ref source, c), Vector256.LoadUnsafe(ref destination, c))
                    .StoreUnsafe(ref destination, c);
            }
        }

        for (; c < count; c++)
        {
            Unsafe.Add(ref destination, c) += scale * TLanes.Load(ref source, c);
        }
    }
}
