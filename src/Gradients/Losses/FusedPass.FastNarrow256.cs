using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Gradients;

internal static partial class FusedPass
{
    /// <summary>
    /// Whether a chunk of float data under <see cref="FloatArithmetic.Fast"/> runs <see cref="FastNarrow256{TLoss, TWeighting}"/>:
    /// D = 4, AVX2 and FMA, and a chunk in L1 (fewer than 16,384 elements, as <see cref="SingleNarrowApplies(int, int)"/>,
    /// which is checked first: with AVX-512 <see cref="FastSquaredNarrow"/> or <see cref="SingleNarrow{TLoss, TWeighting}"/>
    /// runs instead). At
    /// D = 3, where each row takes a 128-bit load and an insert, the same kernel measured slower than the default's
    /// (400 × 3, AVX-512 off: 1.14× its time, against 0.77× at 400 × 4), and is not used.
    /// </summary>
    internal static bool FastNarrow256Applies(int dimension, int rows) =>
        dimension == 4 && Vector256.IsHardwareAccelerated && Avx2.IsSupported && Fma.IsSupported
        && (long)rows * dimension < 16 * 1024;

    /// <summary>
    /// The float-arithmetic kernel for D = 4 with 256-bit vectors (<see cref="FloatArithmetic.Fast"/>, AVX2): eight rows
    /// per iteration, read as four vectors of two rows and transposed in float by four unpacks and four shuffles into one
    /// vector per column (lanes in row order 0, 2, 4, 6, 1, 3, 5, 7; the targets are permuted to match, the residuals back
    /// on store). η, and for the mean squared error the residual, its square and the sums, in float; the gradient terms in
    /// float. Sums over groups of at most eight blocks (64 rows) are widened and added in double. The default arithmetic
    /// runs the double register kernel here, every float widened, four rows per iteration.
    /// </summary>
    /// <remarks>
    /// Error per η: at most three roundings per product (two chains of two, then their sum and the intercept; four with
    /// the residual), (D + 3)·2⁻²⁴·(Σⱼ|xⱼwⱼ| + |b| + |y|) with the residual; per group sum at most ten roundings per term.
    /// Losses other than the mean squared error take η, summed in float, widened to double for the loss and its
    /// derivative. The rows after the last whole block run one at a time in double; a chunk whose float sums are not finite runs again in the default
    /// arithmetic, so non-finite results are the default's.
    /// </remarks>
    [SkipLocalsInit]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static ChunkSums FastNarrow256<TLoss, TWeighting>(
        ref float features, ref float targets, ref float weights, int dimension, int rows, nuint available, double bias,
        Span<double> gradientSums, ref float residuals, bool writeResiduals, TLoss loss, ref float sampleWeights)
        where TLoss : struct, IPointwiseLoss
        where TWeighting : struct, IRowWeighting
    {
        Debug.Assert(dimension == 4, "FastNarrow256Applies admits D = 4 only.");
        const nuint d = 4;
        var blockEnd = (nuint)rows & ~(nuint)7;

        var w0 = Vector256.Create(weights);
        var w1 = Vector256.Create(Unsafe.Add(ref weights, 1));
        var w2 = Vector256.Create(Unsafe.Add(ref weights, 2));
        var w3 = Vector256.Create(Unsafe.Add(ref weights, 3));
        var biasF = Vector256.Create((float)bias); // exact: the intercept of float data is a float
        var bias4 = Vector256.Create(bias);
        var toLanes = Vector256.Create(0, 2, 4, 6, 1, 3, 5, 7);
        var toRows = Vector256.Create(0, 4, 1, 5, 2, 6, 3, 7);

        Vector256<double> g0 = default, g1 = default, g2 = default, g3 = default, squares = default, residualsSum = default;
        Vector256<double> lossSums = default, lossSumsB = default, derivativeSums = default, invalid = default;
        var notFinite = Vector256<float>.Zero;
        nuint row = 0;
        while (row < blockEnd)
        {
            var groupEnd = Math.Min(blockEnd, row + 64);
            Vector256<float> f0 = default, f1 = default, f2 = default, f3 = default, squaresF = default, residualsF = default;
            for (; row < groupEnd; row += 8)
            {
                ref var x = ref Unsafe.Add(ref features, row * d);
                var (a, b) = (Vector256.LoadUnsafe(ref x), Vector256.LoadUnsafe(ref x, 8));
                var (c, e) = (Vector256.LoadUnsafe(ref x, 16), Vector256.LoadUnsafe(ref x, 24));

                // Per 128-bit lane (rows k and k + 1): t0 = [x₀₀ x₂₀ x₀₁ x₂₁], t2 = [x₄₀ x₆₀ x₄₁ x₆₁], …; column j
                // gathers lanes 0, 2, 4, 6 in the lower half and 1, 3, 5, 7 in the upper one.
                var t0 = Avx.UnpackLow(a, b);
                var t1 = Avx.UnpackHigh(a, b);
                var t2 = Avx.UnpackLow(c, e);
                var t3 = Avx.UnpackHigh(c, e);
                var c0 = Avx.Shuffle(t0, t2, 0b01_00_01_00);
                var c1 = Avx.Shuffle(t0, t2, 0b11_10_11_10);
                var c2 = Avx.Shuffle(t1, t3, 0b01_00_01_00);
                var c3 = Avx.Shuffle(t1, t3, 0b11_10_11_10);

                var eta = Vector256.FusedMultiplyAdd(c1, w1, c0 * w0) + Vector256.FusedMultiplyAdd(c3, w3, c2 * w2);
                Vector256<float> r;
                if (typeof(TLoss) == typeof(SquaredResidual) && !TWeighting.IsWeighted)
                {
                    r = eta + biasF - Avx2.PermuteVar8x32(Vector256.LoadUnsafe(ref targets, row), toLanes);
                    if (writeResiduals)
                    {
                        Avx2.PermuteVar8x32(r, toRows).StoreUnsafe(ref residuals, row);
                    }

                    squaresF = Vector256.FusedMultiplyAdd(r, r, squaresF);
                    residualsF += r;
                }
                else
                {
                    var inRows = Avx2.PermuteVar8x32(eta, toRows);
                    var rA = FourRows<float, SingleElements, TLoss, TWeighting>(loss, Avx.ConvertToVector256Double(inRows.GetLower()) + bias4, ref targets, ref sampleWeights, ref residuals, writeResiduals, row, ref lossSums, ref invalid);
                    var rB = FourRows<float, SingleElements, TLoss, TWeighting>(loss, Avx.ConvertToVector256Double(inRows.GetUpper()) + bias4, ref targets, ref sampleWeights, ref residuals, writeResiduals, row + 4, ref lossSumsB, ref invalid);
                    derivativeSums += rA + rB;
                    r = Avx2.PermuteVar8x32(Vector256.Create(Avx.ConvertToVector128Single(rA), Avx.ConvertToVector128Single(rB)), toLanes);
                }

                f0 = Vector256.FusedMultiplyAdd(c0, r, f0);
                f1 = Vector256.FusedMultiplyAdd(c1, r, f1);
                f2 = Vector256.FusedMultiplyAdd(c2, r, f2);
                f3 = Vector256.FusedMultiplyAdd(c3, r, f3);
            }

            g0 += WidenedHalves(f0);
            g1 += WidenedHalves(f1);
            g2 += WidenedHalves(f2);
            g3 += WidenedHalves(f3);
            squares += WidenedHalves(squaresF);
            residualsSum += WidenedHalves(residualsF);
            // x − x is +0 for finite x and NaN otherwise.
            notFinite |= (f0 - f0) | (f1 - f1) | (f2 - f2) | (f3 - f3) | (squaresF - squaresF);
        }

        if (notFinite.AsInt32() != Vector256<int>.Zero)
        {
            return Chunk<float, SingleElements, TLoss, TWeighting>(
                ref features, ref targets, ref weights, dimension, rows, available, bias, gradientSums, ref residuals, writeResiduals, loss, ref sampleWeights);
        }

        var g = TransposeAdd4(g0, g1, g2, g3);
        ref var gradient = ref MemoryMarshal.GetReference(gradientSums);
        g.StoreUnsafe(ref gradient);

        // The rest of the chunk (fewer than eight rows) one at a time, in double.
        var invalidRow = false;
        var (lossSum, derivativeSum) = SingleRowsOneByOne<TLoss, TWeighting>(
            loss, ref features, ref weights, d, row, (nuint)rows, bias, ref targets, ref sampleWeights, ref residuals, writeResiduals, ref gradient,
            Vector256.Sum(squares + lossSums + lossSumsB), Vector256.Sum(residualsSum + derivativeSums), ref invalidRow);
        if (invalidRow)
        {
            lossSum = double.NaN;
        }

        if (invalid != Vector256<double>.Zero)
        {
            lossSum = double.NaN;
        }

        return new ChunkSums { LossSum = lossSum, DerivativeSum = derivativeSum };
    }

    /// <summary>
    /// Eight float sums widened (exactly) half by half and the halves added in double: four doubles whose sum is theirs.
    /// (<c>WidenedSum</c> of the wide kernels adds the halves in float first, one rounding more, one conversion fewer.)
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> WidenedHalves(Vector256<float> sums) =>
        Avx.ConvertToVector256Double(sums.GetLower()) + Avx.ConvertToVector256Double(sums.GetUpper());
}
