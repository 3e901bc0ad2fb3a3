using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Gradients;

internal static partial class FusedPass
{
    // FastSquaredNarrow's fold: lanes 0–3 and 4–7 of each eight-lane sum (of two vectors of sixteen: 16–31 the second's).
    private static readonly Vector512<int> FirstHalves = Vector512.Create(0, 1, 2, 3, 8, 9, 10, 11, 16, 17, 18, 19, 24, 25, 26, 27);
    private static readonly Vector512<int> SecondHalves = Vector512.Create(4, 5, 6, 7, 12, 13, 14, 15, 20, 21, 22, 23, 28, 29, 30, 31);

    // Its final tree: lanes (0, 1) and (2, 3) of each four-lane sum, then the even and the odd lanes.
    private static readonly Vector512<long> PairsFirst = Vector512.Create(0L, 1, 4, 5, 8, 9, 12, 13);
    private static readonly Vector512<long> PairsSecond = Vector512.Create(2L, 3, 6, 7, 10, 11, 14, 15);
    private static readonly Vector512<long> EvenLanes = Vector512.Create(0L, 2, 4, 6, 0, 2, 4, 6);
    private static readonly Vector512<long> OddLanes = Vector512.Create(1L, 3, 5, 7, 1, 3, 5, 7);

    /// <summary>
    /// The fewest elements (rows·D) of a chunk that runs <see cref="FastSquaredNarrow"/> (24 rows of four, 32 of three),
    /// or without AVX-512 <see cref="FastNarrow256{TLoss, TWeighting}"/>. Below, <see cref="FloatArithmetic.Fast"/> runs
    /// the default kernel (<see cref="SquaredNarrow"/> for the unweighted mean squared error), which took less time there (a call loop alternating both arithmetics in one
    /// process, thread CPU time, Zen 4: fast ÷ default at (8 × 4) 1.47, (16 × 4) 1.11, (24 × 4) 0.95, (32 × 4) 0.94; (8 × 3)
    /// 1.20, (16 × 3) 1.09, (24 × 3) 1.17, (32 × 3) 0.91).
    /// </summary>
    internal const int FastSquaredMinimumElements = 96;

    /// <summary>
    /// The mean squared error (no sample weights) of a chunk of float rows of three or four features in L1 under
    /// <see cref="FloatArithmetic.Fast"/>, with AVX-512 (<see cref="SingleNarrowApplies(int, int)"/>), in a kernel that does
    /// nothing else, so a call on small data pays for little more than its blocks. Eight rows per block are loaded as two
    /// 512-bit vectors and transposed in float by two permutes (as in <see cref="SingleNarrow{TLoss, TWeighting}"/>);
    /// the residuals are two FMAs over sixteen lanes, (b − y) in the lower lanes of the first one's addend, and the two
    /// halves added; their squares, their sum and the gradient terms (two FMAs over sixteen lanes) are summed in float. The
    /// last rows (N mod 8) are one more block whose other lanes are zeroed before they reach a sum: the last eight rows,
    /// read whole (the lanes of rows counted already zeroed). The weights are broadcast to their columns by two permutes
    /// of the four floats. Requires at least <see cref="FastSquaredMinimumElements"/> elements (so at least eight rows).
    /// </summary>
    /// <remarks>
    /// <para>
    /// Error, within what <see cref="FloatArithmetic.Fast"/> states: each residual rounds four times, each time a sum no
    /// larger than Σⱼ|xⱼwⱼ| + |b| + |y| (the bound allows D + 3 such roundings). The float sums run over groups of at most
    /// eight blocks (64 rows, the last block counted), so a term passes at most eight roundings in its lane; each group's
    /// eight lanes are then folded to four in float (a ninth; the bound allows ten), widened exactly, and added in double.
    /// </para>
    /// <para>
    /// Non-finite results: a float sum past float's range, or NaN or ∞ in the data, makes a lane of the double sums not
    /// finite (a non-finite term never becomes finite by addition), and the chunk is computed again in the default
    /// arithmetic (<see cref="SquaredNarrow"/>), whose results it then returns: one check after the last group instead of
    /// one for every group.
    /// </para>
    /// <para>
    /// Against the fast loop it replaces (SingleNarrow's, kept for the other losses), one process alternating the two
    /// builds (<c>builds --arithmetic fast</c>, Zen 4): (50 × 4) 0.93–0.97 of its time, (400 × 4) 0.93, where the old loop's
    /// two leftover rows took a horizontal sum each and its weights a round trip through double; (8 × 4), one block and no
    /// leftover rows, 1.05 (the fold's extra step in float). Its fold and final tree are a chain of about ten dependent
    /// steps after the last block, so on the smallest data the default kernel is faster: chunks of fewer than
    /// <see cref="FastSquaredMinimumElements"/> elements run <see cref="SquaredNarrow"/>.
    /// </para>
    /// </remarks>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static unsafe ChunkSums FastSquaredNarrow(
        ref float features, ref float targets, ref float weights, int dimension, int rows, nuint available, double bias,
        Span<double> gradientSums, ref float residuals, bool writeResiduals)
    {
        Debug.Assert((long)rows * dimension >= FastSquaredMinimumElements, "The last block reads the last eight rows whole.");
        var d = (nuint)dimension;

        // The transpose of SingleNarrow: lane 8j + i takes float i·D + j of the block's eight rows (column 3 zeroed at D = 3).
        var masksColumn3 = dimension == 3;
        var secondStart = EightRowTranspose(dimension, out var index01, out var index23, out var keep23);

        // The D weights (a fourth of zero at D = 3: w has three elements, and a 128-bit load would read past them), w₀ and
        // w₁ over the lanes of columns 0 and 1, w₂ and w₃ over 2 and 3.
        var w = masksColumn3
            ? Vector128.Create(weights, Unsafe.Add(ref weights, 1), Unsafe.Add(ref weights, 2), 0f)
            : Vector128.LoadUnsafe(ref weights);
        var w512 = w.ToVector256Unsafe().ToVector512Unsafe();
        var wf01 = Vector512.Shuffle(w512, Vector512.Create(0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1));
        var wf23 = Vector512.Shuffle(w512, Vector512.Create(2, 2, 2, 2, 2, 2, 2, 2, 3, 3, 3, 3, 3, 3, 3, 3));
        var biasF = Vector256.Create((float)bias); // exact: the intercept of float data is a float

        var blockEnd = (nuint)rows & ~(nuint)7;
        var end = blockEnd == (nuint)rows ? blockEnd : blockEnd + 8;
        // The group sums in double, four lanes per sum: columns 0 and 1, columns 2 and 3, Σr² and Σr.
        Vector512<double> columnSums01 = default, columnSums23 = default, squaresAndSums = default;
        nuint row = 0;
        fixed (float* x = &features, y = &targets, e = &residuals)
        {
            while (row < end)
            {
                var groupEnd = Math.Min(end, row + 64);
                var fullEnd = Math.Min(groupEnd, blockEnd);
                Vector512<float> f01 = default, f23 = default;
                Vector256<float> squaresF = default, sumsF = default;
                for (; row < fullEnd; row += 8)
                {
                    var r = Residuals(
                        Avx512F.LoadVector512(x + (row * d)), Avx512F.LoadVector512(x + (row * d) + secondStart), Avx.LoadVector256(y + row),
                        index01, index23, masksColumn3, keep23, wf01, wf23, biasF, out var columns01, out var columns23);
                    if (writeResiduals)
                    {
                        Avx.Store(e + row, r);
                    }

                    AddTerms(r, columns01, columns23, ref f01, ref f23, ref squaresF, ref sumsF);
                }

                if (row < groupEnd)
                {
                    // The last rows, count = N mod 8 of them, as one more block whose other lanes are zeroed after the
                    // residuals are formed (so they add nothing to any sum): the last eight rows (N ≥ 8 here, see
                    // FastSquaredMinimumElements), read as a whole block; its first 8 − count lanes are rows counted
                    // already, whose residuals it forms again with the same operations (its store writes the same values).
                    var count = rows - (int)row;
                    var start = (nuint)rows - 8;
                    var rowMask = Vector256.GreaterThanOrEqual(Vector256<int>.Indices, Vector256.Create(8 - count)).AsSingle();
                    var r = Residuals(
                        Avx512F.LoadVector512(x + (start * d)), Avx512F.LoadVector512(x + (start * d) + secondStart), Avx.LoadVector256(y + start),
                        index01, index23, masksColumn3, keep23, wf01, wf23, biasF, out var columns01, out var columns23);
                    if (writeResiduals)
                    {
                        Avx.Store(e + start, r);
                    }

                    // The other lanes' residuals: rows counted already.
                    AddTerms(r & rowMask, columns01, columns23, ref f01, ref f23, ref squaresF, ref sumsF);
                    row = groupEnd;
                }

                // Each sum's eight lanes folded to four in float (one more rounding, a term's ninth; the bound allows ten), then
                // widened: three conversions instead of six, and a shorter tree after the last group.
                var columns = Avx512F.PermuteVar16x32x2(f01, FirstHalves, f23) + Avx512F.PermuteVar16x32x2(f01, SecondHalves, f23);
                var squaresAndSumsF = Avx512F.VL.PermuteVar8x32x2(squaresF, FirstHalves.GetLower(), sumsF) + Avx512F.VL.PermuteVar8x32x2(squaresF, SecondHalves.GetLower(), sumsF);
                columnSums01 += Avx512F.ConvertToVector512Double(columns.GetLower());
                columnSums23 += Avx512F.ConvertToVector512Double(columns.GetUpper());
                squaresAndSums += Avx512F.ConvertToVector512Double(squaresAndSumsF);
            }
        }

        // A float sum past float's range, or NaN or ∞ in the data, leaves a lane not finite (·0 gives NaN there, ±0
        // elsewhere; an addition can only spread it): the chunk again, in the default arithmetic.
        var probe = (columnSums01 + columnSums23 + squaresAndSums) * 0.0;
        if (!Vector512.EqualsAll(probe, Vector512<double>.Zero))
        {
            return SquaredNarrow(ref features, ref targets, ref weights, dimension, rows, available, bias, gradientSums, ref residuals, writeResiduals);
        }

        // Four lanes to one: pairs (0 + 2, 1 + 3) across the two vectors, then the pairs' halves; lane j of g is column j.
        var pairs = Avx512F.PermuteVar8x64x2(columnSums01, PairsFirst, columnSums23) + Avx512F.PermuteVar8x64x2(columnSums01, PairsSecond, columnSums23);
        var g = (Vector512.Shuffle(pairs, EvenLanes) + Vector512.Shuffle(pairs, OddLanes)).GetLower();
        var halves = Avx.HorizontalAdd(squaresAndSums.GetLower(), squaresAndSums.GetUpper());
        var folded = halves.GetLower() + halves.GetUpper();
        var lossSum = folded.ToScalar();
        var derivativeSum = folded.GetElement(1);

        StoreGradient<MaskedRowEnd>(dimension, g, ref MemoryMarshal.GetReference(gradientSums), 0);
        return new ChunkSums { LossSum = lossSum, DerivativeSum = derivativeSum };
    }

    /// <summary>
    /// One block of <see cref="FastSquaredNarrow"/>: the eight rows' columns from the block's two vectors (lane 8j + i,
    /// column 3 zeroed at D = 3) and their residuals r = (η + b) − y in float.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Residuals(
        Vector512<float> first, Vector512<float> second, Vector256<float> targets,
        Vector512<int> index01, Vector512<int> index23, bool masksColumn3, Vector512<float> keep23,
        Vector512<float> wf01, Vector512<float> wf23, Vector256<float> biasF, out Vector512<float> columns01, out Vector512<float> columns23)
    {
        Transpose(first, second, index01, index23, masksColumn3, keep23, out columns01, out columns23);

        // (b − y) rides in the lower lanes of the first FMA's addend: r = (x₂w₂ + (x₀w₀ + (b − y))) + (x₃w₃ + x₁w₁), four
        // roundings of sums no larger than Σⱼ|xⱼwⱼ| + |b| + |y| and a chain of two FMAs and one add after the transpose.
        var offsets = (biasF - targets).ToVector512();
        var products = Vector512.FusedMultiplyAdd(columns23, wf23, Vector512.FusedMultiplyAdd(columns01, wf01, offsets));
        return products.GetLower() + products.GetUpper();
    }

    /// <summary>
    /// A block's terms in float: r² and r into <paramref name="squares"/> and <paramref name="sums"/>, and rᵢ·xᵢⱼ over
    /// sixteen lanes (columns 0 and 1, then 2 and 3) into <paramref name="f01"/> and <paramref name="f23"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddTerms(
        Vector256<float> r, Vector512<float> columns01, Vector512<float> columns23,
        ref Vector512<float> f01, ref Vector512<float> f23, ref Vector256<float> squares, ref Vector256<float> sums)
    {
        squares = Vector256.FusedMultiplyAdd(r, r, squares);
        sums += r;
        var r16 = r.ToVector512Unsafe().WithUpper(r);
        f01 = Vector512.FusedMultiplyAdd(columns01, r16, f01);
        f23 = Vector512.FusedMultiplyAdd(columns23, r16, f23);
    }
}
