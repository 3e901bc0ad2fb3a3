using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Gradients;

/// <summary>How many 256-bit vectors of doubles hold one row in the small-dimension kernel (a JIT-time constant).</summary>
internal interface IVectorCount
{
    /// <summary>The count, 1 to 4.</summary>
    static abstract int Value { get; }
}

/// <summary>D in 1…4.</summary>
internal readonly struct OneVector : IVectorCount
{
    public static int Value => 1;
}

/// <summary>D in 5…8.</summary>
internal readonly struct TwoVectors : IVectorCount
{
    public static int Value => 2;
}

/// <summary>D in 9…12.</summary>
internal readonly struct ThreeVectors : IVectorCount
{
    public static int Value => 3;
}

/// <summary>D in 13…16.</summary>
internal readonly struct FourVectors : IVectorCount
{
    public static int Value => 4;
}

internal static partial class FusedPass
{
    /// <summary>
    /// The register kernel for D ≤ 16: the weights and the gradient sums stay in registers, four rows per
    /// iteration. Each row is read as ⌈D/4⌉ vectors starting at the row (the last one runs into the next row
    /// and is masked), the four row dot products are reduced together by one transpose-add, and the four
    /// residuals are broadcast into the gradient FMAs. Per-row <c>TensorPrimitives</c> calls cost about 3 ns each,
    /// which is the whole budget at D = 4, hence a kernel of its own.
    /// </summary>
    internal static ChunkSums SmallDimension<T, TLanes>(
        ref T features, ref T targets, ref T weights, int dimension, int rows, nuint available, double bias,
        Span<double> gradientSums, ref T residuals, bool writeResiduals)
        where TLanes : struct, IDoubleLanes<T> =>
        ((dimension + 3) >> 2) switch
        {
            1 => Small<T, TLanes, OneVector>(ref features, ref targets, ref weights, dimension, rows, available, bias, gradientSums, ref residuals, writeResiduals),
            2 => Small<T, TLanes, TwoVectors>(ref features, ref targets, ref weights, dimension, rows, available, bias, gradientSums, ref residuals, writeResiduals),
            3 => Small<T, TLanes, ThreeVectors>(ref features, ref targets, ref weights, dimension, rows, available, bias, gradientSums, ref residuals, writeResiduals),
            _ => Small<T, TLanes, FourVectors>(ref features, ref targets, ref weights, dimension, rows, available, bias, gradientSums, ref residuals, writeResiduals),
        };

    [SkipLocalsInit]
    private static unsafe ChunkSums Small<T, TLanes, TCount>(
        ref T features, ref T targets, ref T weights, int dimension, int rows, nuint available, double bias,
        Span<double> gradientSums, ref T residuals, bool writeResiduals)
        where TLanes : struct, IDoubleLanes<T>
        where TCount : struct, IVectorCount
    {
        var m = TCount.Value;
        var d = (nuint)dimension;

        // Weights padded with zeros to 4m lanes.
        var padded = stackalloc double[16];
        for (var j = 0; j < 16; j++)
        {
            padded[j] = j < dimension ? TLanes.Load(ref weights, (nuint)j) : 0.0;
        }

        var w0 = Vector256.Load(padded);
        var w1 = m > 1 ? Vector256.Load(padded + 4) : default;
        var w2 = m > 2 ? Vector256.Load(padded + 8) : default;
        var w3 = m > 3 ? Vector256.Load(padded + 12) : default;

        // The last vector of a row holds D − 4(m−1) real lanes; the rest belong to the next row and are
        // zeroed by this mask (masking, not multiplying by the zero weights, keeps a NaN or ∞ in the next row
        // from leaking into this one).
        var mask = Vector256.LessThan(Vector256.Create(0L, 1L, 2L, 3L), Vector256.Create((long)(dimension - (4 * (m - 1))))).AsDouble();
        var bias4 = Vector256.Create(bias);

        // A row may be read with vectors only if its 4m lanes lie inside X.
        var span = (nuint)(4 * m);
        var safeRows = available >= span ? Math.Min((nuint)rows, ((available - span) / d) + 1) : 0;
        var blockEnd = safeRows & ~(nuint)3;

        Vector256<double> ga0 = default, ga1 = default, ga2 = default, ga3 = default;
        Vector256<double> gb0 = default, gb1 = default, gb2 = default, gb3 = default;
        var squares = Vector256<double>.Zero;
        var residualSum = Vector256<double>.Zero;

        nuint row = 0;
        for (; row < blockEnd; row += 4)
        {
            var at = row * d;
            var p0 = RowProducts<T, TLanes, TCount>(ref features, at, mask, w0, w1, w2, w3, out var x00, out var x01, out var x02, out var x03);
            var p1 = RowProducts<T, TLanes, TCount>(ref features, at + d, mask, w0, w1, w2, w3, out var x10, out var x11, out var x12, out var x13);
            var p2 = RowProducts<T, TLanes, TCount>(ref features, at + (2 * d), mask, w0, w1, w2, w3, out var x20, out var x21, out var x22, out var x23);
            var p3 = RowProducts<T, TLanes, TCount>(ref features, at + (3 * d), mask, w0, w1, w2, w3, out var x30, out var x31, out var x32, out var x33);

            // Transpose-add: lane i of the result is the sum of pᵢ's four lanes.
            var h01 = Avx.HorizontalAdd(p0, p1);
            var h23 = Avx.HorizontalAdd(p2, p3);
            var dots = Avx.Blend(h01, h23, 0b1100) + Avx.Permute2x128(h01, h23, 0x21);

            var r = dots + bias4 - TLanes.Load256(ref targets, row);
            squares = Vector256.FusedMultiplyAdd(r, r, squares);
            residualSum += r;
            if (writeResiduals)
            {
                TLanes.Store256(r, ref residuals, row);
            }

            var r0 = Avx2.Permute4x64(r, 0x00);
            var r1 = Avx2.Permute4x64(r, 0x55);
            var r2 = Avx2.Permute4x64(r, 0xAA);
            var r3 = Avx2.Permute4x64(r, 0xFF);

            // Two accumulator sets (rows 0, 2 and rows 1, 3) halve the FMA dependency chain.
            ga0 = Vector256.FusedMultiplyAdd(r2, x20, Vector256.FusedMultiplyAdd(r0, x00, ga0));
            gb0 = Vector256.FusedMultiplyAdd(r3, x30, Vector256.FusedMultiplyAdd(r1, x10, gb0));
            if (m > 1)
            {
                ga1 = Vector256.FusedMultiplyAdd(r2, x21, Vector256.FusedMultiplyAdd(r0, x01, ga1));
                gb1 = Vector256.FusedMultiplyAdd(r3, x31, Vector256.FusedMultiplyAdd(r1, x11, gb1));
            }

            if (m > 2)
            {
                ga2 = Vector256.FusedMultiplyAdd(r2, x22, Vector256.FusedMultiplyAdd(r0, x02, ga2));
                gb2 = Vector256.FusedMultiplyAdd(r3, x32, Vector256.FusedMultiplyAdd(r1, x12, gb2));
            }

            if (m > 3)
            {
                ga3 = Vector256.FusedMultiplyAdd(r2, x23, Vector256.FusedMultiplyAdd(r0, x03, ga3));
                gb3 = Vector256.FusedMultiplyAdd(r3, x33, Vector256.FusedMultiplyAdd(r1, x13, gb3));
            }
        }

        var sums = default(ChunkSums);

        // Leftover rows that may still be read with vectors: one at a time.
        for (; row < safeRows; row++)
        {
            var p = RowProducts<T, TLanes, TCount>(ref features, row * d, mask, w0, w1, w2, w3, out var x0, out var x1, out var x2, out var x3);
            var r = Vector256.Sum(p) + bias - TLanes.Load(ref targets, row);
            sums.SumOfSquares += r * r;
            sums.SumOfResiduals += r;
            if (writeResiduals)
            {
                TLanes.Store(r, ref residuals, row);
            }

            var rv = Vector256.Create(r);
            ga0 = Vector256.FusedMultiplyAdd(rv, x0, ga0);
            ga1 = m > 1 ? Vector256.FusedMultiplyAdd(rv, x1, ga1) : ga1;
            ga2 = m > 2 ? Vector256.FusedMultiplyAdd(rv, x2, ga2) : ga2;
            ga3 = m > 3 ? Vector256.FusedMultiplyAdd(rv, x3, ga3) : ga3;
        }

        sums.SumOfSquares += Vector256.Sum(squares);
        sums.SumOfResiduals += Vector256.Sum(residualSum);

        var gradient = stackalloc double[16];
        (ga0 + gb0).Store(gradient);
        if (m > 1)
        {
            (ga1 + gb1).Store(gradient + 4);
        }

        if (m > 2)
        {
            (ga2 + gb2).Store(gradient + 8);
        }

        if (m > 3)
        {
            (ga3 + gb3).Store(gradient + 12);
        }

        // The last rows, whose vectors would run past the end of X: scalar.
        for (; row < (nuint)rows; row++)
        {
            var dot = 0.0;
            for (nuint j = 0; j < d; j++)
            {
                dot += TLanes.Load(ref features, (row * d) + j) * padded[j];
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
                gradient[j] += r * TLanes.Load(ref features, (row * d) + j);
            }
        }

        new ReadOnlySpan<double>(gradient, dimension).CopyTo(gradientSums);
        return sums;
    }

    /// <summary>The lane-wise products x∘w of one row (summed over its m vectors), and the row's vectors.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> RowProducts<T, TLanes, TCount>(
        ref T features, nuint at, Vector256<double> mask,
        Vector256<double> w0, Vector256<double> w1, Vector256<double> w2, Vector256<double> w3,
        out Vector256<double> x0, out Vector256<double> x1, out Vector256<double> x2, out Vector256<double> x3)
        where TLanes : struct, IDoubleLanes<T>
        where TCount : struct, IVectorCount
    {
        var m = TCount.Value;
        x0 = TLanes.Load256(ref features, at);
        x1 = m > 1 ? TLanes.Load256(ref features, at + 4) : default;
        x2 = m > 2 ? TLanes.Load256(ref features, at + 8) : default;
        x3 = m > 3 ? TLanes.Load256(ref features, at + 12) : default;
        switch (m)
        {
            case 1:
                x0 &= mask;
                return x0 * w0;
            case 2:
                x1 &= mask;
                return Vector256.FusedMultiplyAdd(x1, w1, x0 * w0);
            case 3:
                x2 &= mask;
                return Vector256.FusedMultiplyAdd(x2, w2, Vector256.FusedMultiplyAdd(x1, w1, x0 * w0));
            default:
                x3 &= mask;
                return Vector256.FusedMultiplyAdd(x3, w3, x2 * w2) + Vector256.FusedMultiplyAdd(x1, w1, x0 * w0);
        }
    }
}
