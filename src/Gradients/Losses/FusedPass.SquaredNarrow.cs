using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Gradients;

internal static partial class FusedPass
{
    /// <summary>
    /// The mean squared error (no sample weights) of a chunk of float rows of three or four features in L1 in the default
    /// arithmetic, with AVX-512 (<see cref="SingleNarrowApplies(int, int)"/>): η, the residuals, their squares and sums
    /// and the gradient terms in double from exactly widened floats, as in
    /// <see cref="SingleNarrow{TLoss, TWeighting}"/>, with the floats widened from memory. Each block of eight
    /// rows is transposed in float by the two permutes and stored to a buffer on the stack one block ahead of its
    /// arithmetic; its columns are then widened four floats at a time by conversions that read the buffer, and the double
    /// arithmetic runs on 256-bit vectors, the block's rows 0–3 and 4–7.
    /// </summary>
    /// <remarks>
    /// <para>
    /// Why from memory: on Zen 4 a 512-bit conversion from float to double costs 1.31 cycles from a register, and each
    /// upper half needs an extract first (0.99), while a 256-bit conversion of four floats read from memory costs 0.50
    /// (<c>benchmarks/instruction-throughput/</c>): 4.0 cycles a block for X instead of 7.2, 1.0 for y instead of 1.31. The
    /// loop is bound by the work it issues; in C (<c>narrow-kernel.c</c>, variants 5 and 6) the pipelined loop took 15.0
    /// cycles a block at (400 × 4) against 18.4 with the 512-bit widening from registers.
    /// </para>
    /// <para>
    /// Against <see cref="SingleNarrow{TLoss, TWeighting}"/>'s squared-residual loop, which it replaces (one
    /// process alternating the two builds, <c>builds</c>, Zen 4, each build as head and as base): (400 × 4) 0.91, (1000 × 4)
    /// and (4000 × 4) 0.92, (400 × 3) 0.95–0.97, (55 × 4) 0.86–0.90, (8 × 4) 0.90–0.98; at (50 × 4) and (50 × 3) no gain
    /// (six runs at (50 × 4) 0.96–1.09, median 1.02, where the same build against itself read 0.97–1.05). On small data
    /// the time is mostly latency, which the store and reload lengthen. The last N mod 8 rows: four to seven of them are
    /// one block over the last eight rows, widened from registers before the blocks (the lanes of rows the blocks count
    /// zeroed); one to three stay one at a time after the blocks, where a block cost more (N mod 8 = 2: 1.03, 3: 1.01;
    /// 4: 0.96, 5: 0.95, 7: 0.90). The same block after the blocks, through the buffer, ran 1.03–1.08 at (50 × 4) and
    /// (55 × 4); the first block from registers instead of the buffer, 1.02 at (50 × 4).
    /// </para>
    /// <para>
    /// Error: each residual is η − y with every product exact and six roundings in double (y − b, two in each chain, their
    /// sum), as in the kernel it replaces (a different order, so the last bits differ); the sums are in double. A row in
    /// both the last block and a block gets the same residual from both (the same operations, lane by lane), so a
    /// residual written twice is written with the same value.
    /// </para>
    /// </remarks>
    [MethodImpl(MethodImplOptions.NoInlining)]
    [SkipLocalsInit]
    private static unsafe ChunkSums SquaredNarrow(
        ref float features, ref float targets, ref float weights, int dimension, int rows, nuint available, double bias,
        Span<double> gradientSums, ref float residuals, bool writeResiduals)
    {
        var d = (nuint)dimension;
        var masksColumn3 = dimension == 3;
        var secondStart = EightRowTranspose(dimension, out var index01, out var index23, out var keep23);

        var w0 = SingleElements.Load(ref weights, 0);
        var w1 = SingleElements.Load(ref weights, 1);
        var w2 = SingleElements.Load(ref weights, 2);
        var w3 = dimension > 3 ? SingleElements.Load(ref weights, 3) : 0.0;
        var (wy0, wy1, wy2, wy3) = (Vector256.Create(w0), Vector256.Create(w1), Vector256.Create(w2), Vector256.Create(w3));
        var bias4 = Vector256.Create(bias);

        // Two blocks' transposed floats, 64-byte aligned (a store across two cache lines costs two): block k in half k mod 2.
        ColumnBuffer space;
        var columns = (float*)(((nuint)space.Values + 63) & ~(nuint)63);

        var blockEnd = (nuint)rows & ~(nuint)7;
        Vector256<double> a0 = default, a1 = default, a2 = default, a3 = default, b0 = default, b1 = default, b2 = default, b3 = default;
        Vector256<double> squaresA = default, squaresB = default, sumsA = default, sumsB = default;
        var row0 = blockEnd;
        if (blockEnd > 0 && (nuint)rows - blockEnd >= 4)
        {
            // Four to seven last rows, before the blocks: the last eight rows widened from registers, the lanes of rows
            // the blocks count zeroed. (One to three go one at a time after the blocks, which costs less; see the remarks.)
            var start = (nuint)rows - 8;
            WidenBlock(ref Unsafe.Add(ref features, start * d), secondStart, index01, index23, masksColumn3, keep23, out var c0, out var c1, out var c2, out var c3);
            var residual = Avx512F.ConvertToVector512Double(Vector256.LoadUnsafe(ref targets, start)) - Vector512.Create(bias);
            residual = Avx512F.FusedMultiplySubtract(c0, Vector512.Create(w0), residual);
            residual = Vector512.FusedMultiplyAdd(c1, Vector512.Create(w1), residual);
            var second = c2 * Vector512.Create(w2);
            second = Vector512.FusedMultiplyAdd(c3, Vector512.Create(w3), second);
            residual += second;
            if (writeResiduals)
            {
                Avx512F.ConvertToVector256Single(residual).StoreUnsafe(ref residuals, start);
            }

            residual &= Vector512.GreaterThanOrEqual(Vector512.Create(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L), Vector512.Create((long)(8 - (rows - (int)blockEnd)))).AsDouble();
            var (rA, rB) = (residual.GetLower(), residual.GetUpper());
            squaresA = rA * rA;
            squaresB = rB * rB;
            (sumsA, sumsB) = (rA, rB);
            (a0, b0) = (c0.GetLower() * rA, c0.GetUpper() * rB);
            (a1, b1) = (c1.GetLower() * rA, c1.GetUpper() * rB);
            (a2, b2) = (c2.GetLower() * rA, c2.GetUpper() * rB);
            (a3, b3) = (c3.GetLower() * rA, c3.GetUpper() * rB);
            row0 = (nuint)rows;
        }

        if (blockEnd > 0)
        {
            StoreTransposedBlock(ref features, columns, secondStart, index01, index23, masksColumn3, keep23);
        }

        for (nuint row = 0; row < blockEnd; row += 8)
        {
            var current = columns + (((row >> 3) & 1) * 32);
            if (row + 8 < blockEnd)
            {
                StoreTransposedBlock(ref Unsafe.Add(ref features, (row + 8) * d), columns + ((((row >> 3) + 1) & 1) * 32), secondStart, index01, index23, masksColumn3, keep23);
            }

            FourWidenedRows(current, ref targets, row, wy0, wy1, wy2, wy3, bias4, ref residuals, writeResiduals, ref a0, ref a1, ref a2, ref a3, ref squaresA, ref sumsA);
            FourWidenedRows(current + 4, ref targets, row + 4, wy0, wy1, wy2, wy3, bias4, ref residuals, writeResiduals, ref b0, ref b1, ref b2, ref b3, ref squaresB, ref sumsB);
        }

        // Rows 0–3 and 4–7 of every block added, then across the lanes.
        var pair = Avx.HorizontalAdd(squaresA + squaresB, sumsA + sumsB);
        var folded = pair.GetLower() + pair.GetUpper();
        var lossSum = folded.ToScalar();
        var derivativeSum = folded.GetElement(1);
        var g = TransposeAdd4(a0 + b0, a1 + b1, a2 + b2, a3 + b3);

        // The other last rows as SingleNarrow takes them.
        (lossSum, derivativeSum) = NarrowLastRows<SquaredResidual, Unweighted>(
            default, ref features, ref weights, dimension, row0, rows, available, bias, w0, w1, w2, w3, ref targets, ref Unsafe.NullRef<float>(),
            ref residuals, writeResiduals, gradientSums, g, lossSum, derivativeSum, out var invalidRow);
        if (invalidRow)
        {
            lossSum = double.NaN;
        }

        return new ChunkSums { LossSum = lossSum, DerivativeSum = derivativeSum };
    }

    /// <summary>A block of eight rows transposed (<see cref="TransposeBlock"/>) and stored to <paramref name="columns"/>: column j at 8j.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void StoreTransposedBlock(
        ref float x, float* columns, nuint secondStart, Vector512<int> index01, Vector512<int> index23, bool masksColumn3, Vector512<float> keep23)
    {
        TransposeBlock(ref x, secondStart, index01, index23, masksColumn3, keep23, out var columns01, out var columns23);
        columns01.Store(columns);
        columns23.Store(columns + 16);
    }

    /// <summary>
    /// Four rows of <see cref="SquaredNarrow"/>: row i's feature j at <paramref name="columns"/>[8j + i], widened from
    /// memory; their residuals r = η − y in double, r² and r into <paramref name="squares"/> and <paramref name="sums"/>,
    /// rᵢ·xᵢⱼ into <paramref name="g0"/>…<paramref name="g3"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void FourWidenedRows(
        float* columns, ref float targets, nuint row, Vector256<double> w0, Vector256<double> w1, Vector256<double> w2, Vector256<double> w3,
        Vector256<double> bias, ref float residuals, bool writeResiduals,
        ref Vector256<double> g0, ref Vector256<double> g1, ref Vector256<double> g2, ref Vector256<double> g3,
        ref Vector256<double> squares, ref Vector256<double> sums)
    {
        var c0 = Avx.ConvertToVector256Double(Sse.LoadAlignedVector128(columns));
        var c1 = Avx.ConvertToVector256Double(Sse.LoadAlignedVector128(columns + 8));
        var c2 = Avx.ConvertToVector256Double(Sse.LoadAlignedVector128(columns + 16));
        var c3 = Avx.ConvertToVector256Double(Sse.LoadAlignedVector128(columns + 24));

        // r = ((x₀w₀ − (y − b)) + x₁w₁) + (x₂w₂ + x₃w₃): two chains of two and an add. (SingleNarrow's order, y subtracted
        // last, ran 0.99 of SingleNarrow's time at (400 × 4), this one 0.91–0.92.)
        var residual = Avx.ConvertToVector256Double(Vector128.LoadUnsafe(ref targets, row)) - bias;
        residual = Fma.MultiplySubtract(c0, w0, residual);
        residual = Vector256.FusedMultiplyAdd(c1, w1, residual);
        var second = c2 * w2;
        second = Vector256.FusedMultiplyAdd(c3, w3, second);
        residual += second;
        if (writeResiduals)
        {
            Avx.ConvertToVector128Single(residual).StoreUnsafe(ref residuals, row);
        }

        squares = Vector256.FusedMultiplyAdd(residual, residual, squares);
        sums += residual;
        g0 = Vector256.FusedMultiplyAdd(c0, residual, g0);
        g1 = Vector256.FusedMultiplyAdd(c1, residual, g1);
        g2 = Vector256.FusedMultiplyAdd(c2, residual, g2);
        g3 = Vector256.FusedMultiplyAdd(c3, residual, g3);
    }

    /// <summary>Room for two blocks' transposed floats, 64-byte aligned within it.</summary>
    private unsafe struct ColumnBuffer
    {
        public fixed float Values[64 + 16];
    }
}
