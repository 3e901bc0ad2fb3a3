using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Gradients;

internal static partial class FusedPass
{
    /// <summary>
    /// Whether a chunk of float data runs <see cref="SingleNarrow{TLoss, TWeighting}"/>: D = 3 or 4 (rows of one or two
    /// features run <see cref="Narrow256{T, TLanes, TLoss, TWeighting}"/>, which measured faster in L1 too: 1000 × 2 at 1.47–1.49×
    /// the read-only pass against 2.13–2.15×, 50 × 1 1.04 against 1.21; at D = 3 and 4 this kernel kept the calls on small
    /// data, 50 × 4 1.11 against 1.16), AVX-512, and a chunk in
    /// L1 (fewer than 16,384 elements, 64 KB: where the register kernel runs without prefetch hints; larger chunks keep
    /// it, and its prefetching twin). Like <see cref="SingleKernelsApply(int, int)"/> the choice depends on the chunk
    /// only, so it is the same for any thread count and for the accumulators.
    /// </summary>
    internal static bool SingleNarrowApplies(int dimension, int rows) =>
        dimension is 3 or 4 && Vector512.IsHardwareAccelerated && Avx512F.IsSupported && Fma.IsSupported
        && (long)rows * dimension < 16 * 1024;

    /// <summary>
    /// The float kernel for D ≤ 4 on data in cache: the same arithmetic as the register kernel's transposed loop (η,
    /// the loss and Σᵢ rᵢ·xᵢⱼ all in double), eight rows per iteration, fed by two 512-bit loads of the block's 8·D
    /// floats, transposed in float by two permutes (lane 8j + i holds row i's feature j; lanes j ≥ D are zeroed) and
    /// widened to double by four conversions: one column of eight rows per vector, so η is a multiply, three FMAs and an
    /// add ((x₀w₀ + x₁w₁) + (x₃w₃ + (x₂w₂ + b)), two short chains) and the gradient four FMAs, with no horizontal sums in
    /// the loop. The register kernel, widening each half row on load, spent 8
    /// conversions and 4 inserts per four rows, and float ran 1.2–1.4× double's time at (50 × 4). The unweighted mean
    /// squared error runs kernels of its own: <see cref="SquaredNarrow"/> in the default arithmetic,
    /// <see cref="FastSquaredNarrow"/> in the fast one.
    /// </summary>
    /// <remarks>
    /// <para>
    /// No float arithmetic: every product xᵢⱼ·wⱼ and rᵢ·xᵢⱼ is
    /// formed in double from exactly widened floats, so the
    /// error is that of the double kernels (a few units of double's roundoff per row, summed in double), far inside
    /// float's own resolution.
    /// </para>
    /// <para>
    /// <see cref="FloatArithmetic.Fast"/> runs this kernel too, for every loss but the unweighted mean squared error: its
    /// loop with η and the gradient terms in float (removed) was never faster here, the loss's own work (an exponential,
    /// a logarithm, a branch) outweighing the conversions. Fast ÷ default, one process alternating both, thread CPU time,
    /// Zen 4, logistic / Huber: (8 × 4) 1.10 / 1.15, (16 × 4) 1.08 / 1.10, (50 × 4) 1.04 / 1.06, (400 × 4) 0.98 / 1.01,
    /// (1000 × 4) 1.01 / 0.99; (8 × 3) 1.12 / 1.21, (50 × 3) 1.02 / 1.05, (400 × 3) 0.99 / 1.00.
    /// </para>
    /// </remarks>
    [MethodImpl(MethodImplOptions.NoInlining)] // Inlined into its caller, it exhausted the JIT's inlining budget: Vector512.Create became calls.
    private static ChunkSums SingleNarrow<TLoss, TWeighting>(
        ref float features, ref float targets, ref float weights, int dimension, int rows, nuint available, double bias,
        Span<double> gradientSums, ref float residuals, bool writeResiduals, TLoss loss, ref float sampleWeights)
        where TLoss : struct, IPointwiseLoss
        where TWeighting : struct, IRowWeighting
    {
        var d = (nuint)dimension;

        var masksColumn3 = dimension == 3;
        var secondStart = EightRowTranspose(dimension, out var index01, out var index23, out var keep23);

        // The weights, each broadcast over the eight rows of its column; zero past D.
        var w0 = SingleElements.Load(ref weights, 0);
        var w1 = dimension > 1 ? SingleElements.Load(ref weights, 1) : 0.0;
        var w2 = dimension > 2 ? SingleElements.Load(ref weights, 2) : 0.0;
        var w3 = dimension > 3 ? SingleElements.Load(ref weights, 3) : 0.0;
        var (wb0, wb1, wb2, wb3) = (Vector512.Create(w0), Vector512.Create(w1), Vector512.Create(w2), Vector512.Create(w3));
        var bias8 = Vector512.Create(bias);

        // Every whole block of eight rows: it reads its own 8·D floats and no more (at D = 3 a read of 32 floats from
        // its first row had run past X in the last block, and (50 × 3) took its last ten rows one by one).
        var blockEnd = (nuint)rows & ~(nuint)7;

        Vector512<double> g0 = default, g1 = default, g2 = default, g3 = default;
        // Two loss sums, one per half block: one sum would chain two FMAs per iteration.
        Vector256<double> lossSums = default, lossSumsB = default;
        var residualSum = Vector256<double>.Zero;
        var invalid = Vector256<double>.Zero;

        nuint row = 0;
        for (; row < blockEnd; row += 8)
        {
            WidenBlock(ref Unsafe.Add(ref features, row * d), secondStart, index01, index23, masksColumn3, keep23, out var c0, out var c1, out var c2, out var c3);
            var eta = Vector512.FusedMultiplyAdd(c1, wb1, c0 * wb0) + Vector512.FusedMultiplyAdd(c3, wb3, Vector512.FusedMultiplyAdd(c2, wb2, bias8));
            var rA = FourRows<float, SingleElements, TLoss, TWeighting>(loss, eta.GetLower(), ref targets, ref sampleWeights, ref residuals, writeResiduals, row, ref lossSums, ref invalid);
            var rB = FourRows<float, SingleElements, TLoss, TWeighting>(loss, eta.GetUpper(), ref targets, ref sampleWeights, ref residuals, writeResiduals, row + 4, ref lossSumsB, ref invalid);
            residualSum += rA + rB;
            var r = rA.ToVector512Unsafe().WithUpper(rB);
            g0 = Vector512.FusedMultiplyAdd(c0, r, g0);
            g1 = Vector512.FusedMultiplyAdd(c1, r, g1);
            g2 = Vector512.FusedMultiplyAdd(c2, r, g2);
            g3 = Vector512.FusedMultiplyAdd(c3, r, g3);
        }

        var pair = Avx.HorizontalAdd(lossSums + lossSumsB, residualSum);
        var folded = pair.GetLower() + pair.GetUpper();
        // The two sums stay in registers through the last rows (in a ChunkSums passed by reference, as before, each row's
        // additions went through memory).
        var lossSum = folded.ToScalar();
        var derivativeSum = folded.GetElement(1);

        // Lane j: the sum of column j's eight lanes.
        var g = TransposeAdd4(g0.GetLower() + g0.GetUpper(), g1.GetLower() + g1.GetUpper(), g2.GetLower() + g2.GetUpper(), g3.GetLower() + g3.GetUpper());

        (lossSum, derivativeSum) = NarrowLastRows<TLoss, TWeighting>(
            loss, ref features, ref weights, dimension, row, rows, available, bias, w0, w1, w2, w3, ref targets, ref sampleWeights,
            ref residuals, writeResiduals, gradientSums, g, lossSum, derivativeSum, out var invalidRow);

        if (invalidRow || invalid != Vector256<double>.Zero)
        {
            lossSum = double.NaN;
        }

        return new ChunkSums { LossSum = lossSum, DerivativeSum = derivativeSum };
    }

    /// <summary>
    /// The last rows of <see cref="SingleNarrow{TLoss, TWeighting}"/> and <see cref="SquaredNarrow"/> (fewer than eight, or
    /// a block that would read past X), from <paramref name="row"/> on: one at a time, read as four floats while those lie
    /// inside X (a scalar loop over two rows cost more than the 12 blocks of a (50 × 4) call), then scalar. Adds them to
    /// the sums so far and stores the gradient sums (<paramref name="g"/>, lane j column j, plus these rows' terms).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (double LossSum, double DerivativeSum) NarrowLastRows<TLoss, TWeighting>(
        TLoss loss, ref float features, ref float weights, int dimension, nuint row, int rows, nuint available, double bias,
        double w0, double w1, double w2, double w3, ref float targets, ref float sampleWeights, ref float residuals, bool writeResiduals,
        Span<double> gradientSums, Vector256<double> g, double lossSum, double derivativeSum, out bool invalidRow)
        where TLoss : struct, IPointwiseLoss
        where TWeighting : struct, IRowWeighting
    {
        var d = (nuint)dimension;
        invalidRow = false;
        var mask = Vector256.LessThan(Vector256.Create(0L, 1L, 2L, 3L), Vector256.Create((long)dimension)).AsDouble();
        var weightVector = Vector256.Create(w0, w1, w2, w3);
        for (; row < (nuint)rows && (row * d) + 4 <= available; row++)
        {
            var x = SingleElements.Load256(ref features, row * d) & mask;
            lossSum += OneRow<float, SingleElements, TLoss, TWeighting>(loss, Vector256.Sum(x * weightVector) + bias, ref targets, ref sampleWeights, ref residuals, writeResiduals, row, ref invalidRow, out var r);
            derivativeSum += r;
            g = Vector256.FusedMultiplyAdd(Vector256.Create(r), x, g);
        }

        ref var gradient = ref MemoryMarshal.GetReference(gradientSums);
        StoreGradient<MaskedRowEnd>(dimension, g, ref gradient, 0);
        return SingleRowsOneByOne<TLoss, TWeighting>(loss, ref features, ref weights, d, row, (nuint)rows, bias, ref targets, ref sampleWeights, ref residuals, writeResiduals, ref gradient, lossSum, derivativeSum, ref invalidRow);
    }

    /// <summary>
    /// One block of eight rows of <see cref="SingleNarrow{TLoss, TWeighting}"/>: its 8·D floats loaded as two
    /// vectors and transposed by two permutes into columns 0 and 1 (<paramref name="columns01"/>, lanes 8j + i) and 2 and 3
    /// (column 3 zeroed when <paramref name="masksColumn3"/>).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void TransposeBlock(
        ref float x, nuint secondStart, Vector512<int> index01, Vector512<int> index23, bool masksColumn3, Vector512<float> keep23,
        out Vector512<float> columns01, out Vector512<float> columns23) =>
        Transpose(Vector512.LoadUnsafe(ref x), Vector512.LoadUnsafe(ref x, secondStart), index01, index23, masksColumn3, keep23, out columns01, out columns23);

    /// <summary>
    /// The constants of the transpose of a block of eight rows of three or four floats (<see cref="TransposeBlock"/>);
    /// returns where the block's second vector starts, 8·D − 16 floats in.
    /// </summary>
    /// <remarks>
    /// Lane k = 8j + i of the transposed block (columns j = 0, 1 in the first vector, 2, 3 in the second) takes float
    /// i·D + j of the eight rows. The block's 8·D floats are loaded as two vectors, the first sixteen and the sixteen that
    /// end at 8·D (at D = 3 the two overlap by eight), so a block reads nothing past its own rows; bit 4 of an index picks
    /// the second vector, where float f ≥ 16 is lane f − (8·D − 16). The indices are constants (computing them from D put
    /// a chain of seven integer operations before the first block's permutes): at D = 4 index f is f itself; at D = 3 it is
    /// f below 16 and f + 8 from 16 on. Column 3 at D = 3 belongs to the next rows and is zeroed after the permute by
    /// <paramref name="keep23"/> (masking, not the zero weight, keeps a NaN or ∞ in the next row from leaking into this
    /// one); its indices are the wrapped (mod 32) values of the same rule. At D = 4 every lane is inside its row: no mask,
    /// two 512-bit operations fewer per block.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static nuint EightRowTranspose(int dimension, out Vector512<int> index01, out Vector512<int> index23, out Vector512<float> keep23)
    {
        var masksColumn3 = dimension == 3;
        index01 = masksColumn3
            ? Vector512.Create(0, 3, 6, 9, 12, 15, 26, 29, 1, 4, 7, 10, 13, 24, 27, 30)
            : Vector512.Create(0, 4, 8, 12, 16, 20, 24, 28, 1, 5, 9, 13, 17, 21, 25, 29);
        index23 = masksColumn3
            ? Vector512.Create(2, 5, 8, 11, 14, 25, 28, 31, 3, 6, 9, 12, 15, 26, 29, 0)
            : Vector512.Create(2, 6, 10, 14, 18, 22, 26, 30, 3, 7, 11, 15, 19, 23, 27, 31);
        keep23 = Vector512.Create(-1, -1, -1, -1, -1, -1, -1, -1, 0, 0, 0, 0, 0, 0, 0, 0).AsSingle();
        return (nuint)((8 * dimension) - 16);
    }

    /// <summary>A block's two loaded vectors transposed into columns 0 and 1 and columns 2 and 3 (see <see cref="EightRowTranspose"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Transpose(
        Vector512<float> first, Vector512<float> second, Vector512<int> index01, Vector512<int> index23, bool masksColumn3, Vector512<float> keep23,
        out Vector512<float> columns01, out Vector512<float> columns23)
    {
        columns01 = Avx512F.PermuteVar16x32x2(first, index01, second);
        columns23 = Avx512F.PermuteVar16x32x2(first, index23, second);
        if (masksColumn3)
        {
            columns23 &= keep23;
        }
    }

    /// <summary>
    /// <see cref="TransposeBlock"/> widened to one vector of eight doubles per column.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void WidenBlock(
        ref float x, nuint secondStart, Vector512<int> index01, Vector512<int> index23, bool masksColumn3, Vector512<float> keep23,
        out Vector512<double> c0, out Vector512<double> c1, out Vector512<double> c2, out Vector512<double> c3)
    {
        TransposeBlock(ref x, secondStart, index01, index23, masksColumn3, keep23, out var columns01, out var columns23);
        c0 = Avx512F.ConvertToVector512Double(columns01.GetLower());
        c1 = Avx512F.ConvertToVector512Double(columns01.GetUpper());
        c2 = Avx512F.ConvertToVector512Double(columns23.GetLower());
        c3 = Avx512F.ConvertToVector512Double(columns23.GetUpper());
    }
}
