using System.Buffers;
using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Gradients;

/// <summary>
/// The sums one pass over a block of rows produces (gradient sums are written to a span beside them). Two doubles and
/// no more: a struct of 16 bytes returns in two registers (System V x64, Arm64), where the 24 bytes of a third field
/// went through memory, and the caller's 16-byte read of the two 8-byte stores could not be forwarded (about a tenth of
/// the kernel's time in a (50 × 4) call). An invalid label is therefore recorded as a NaN loss sum
/// (<c>if (invalid) { sums.LossSum = double.NaN; }</c>), and a kernel returns a new ChunkSums made from its running sums,
/// not the running local. The JIT kept the running local in memory when it was returned itself, or given a value by a
/// property setter or a conditional expression, and every block's additions then went through it (seen in the listing
/// of the 128-bit wide kernel).
/// </summary>
internal struct ChunkSums
{
    /// <summary>Σ ℓ over the block's rows (Σ r² for the mean squared error), each times its sample weight if any.</summary>
    public double LossSum;

    /// <summary>Σ ∂ℓ/∂η over the block's rows (Σ r for the mean squared error): the intercept's gradient sum.</summary>
    public double DerivativeSum;

    /// <summary>
    /// Whether a row's label may be invalid for the loss (found during the pass; the caller finds which after it): true
    /// for any NaN loss sum, so a pass over NaN data also reads true, and the caller's search for the invalid label finds
    /// none and goes on (the loss is NaN either way).
    /// </summary>
    public readonly bool HasInvalidLabel => double.IsNaN(LossSum);

    /// <summary>Σ r² over the block's rows (the mean squared error's name for <see cref="LossSum"/>).</summary>
    public double SumOfSquares
    {
        readonly get => LossSum;
        set => LossSum = value;
    }

    /// <summary>Σ r over the block's rows (the mean squared error's name for <see cref="DerivativeSum"/>).</summary>
    public double SumOfResiduals
    {
        readonly get => DerivativeSum;
        set => DerivativeSum = value;
    }
}

/// <summary>
/// The fused pass of a linear model's loss: for each row, η = x·w + b and the per-row loss ℓ(η, y) with its
/// derivative d = ∂ℓ/∂η (a struct <c>TLoss</c>, see <see cref="IPointwiseLoss"/>), accumulating Σℓ, Σd and Σ d·x in
/// one read of X. For the mean squared error (<see cref="SquaredResidual"/>) d is the residual r and Σℓ is Σr².
/// This file holds the row-chunk plan and the dispatch to a kernel family (one file each: small dimension,
/// wide dimension, scalar, threaded driver); every loss runs through the same kernels.
/// </summary>
/// <remarks>
/// Determinism: the rows are cut into chunks whose boundaries depend only on (N, D), never on the thread count.
/// Each chunk's sums start from zero and the chunk results are added in chunk order, so any number of threads
/// produces bit-identical results.
/// </remarks>
internal static partial class FusedPass
{
    /// <summary>Elements of X per chunk: large enough that folding a chunk's D sums is negligible next to reading it.</summary>
    internal const int TargetChunkElements = 1 << 16;

    /// <summary>Fewest rows in a chunk (so the fold of D sums costs at most 1/16 of the chunk's work).</summary>
    internal const int MinChunkRows = 16;

    /// <summary>At most this many chunks, which bounds the threaded driver's buffer of partial sums.</summary>
    internal const int MaxChunks = 1024;

    /// <summary>Widest D the register kernel serves: four 256-bit vectors of doubles per row.</summary>
    internal const int SmallDimensionLimit = 16;

    /// <summary>Rows per chunk for N rows of D features; a function of (N, D) only.</summary>
    internal static int ChunkRows(int rows, int dimension)
    {
        // In long: D and N may each be up to int.MaxValue.
        var chunkRows = (int)Math.Max(MinChunkRows, (TargetChunkElements + (long)dimension - 1) / dimension);
        if ((rows + (long)chunkRows - 1) / chunkRows > MaxChunks)
        {
            chunkRows = (int)((rows + (long)MaxChunks - 1) / MaxChunks);
        }

        // Whole blocks of four rows, so the four-row kernels have no remainder inside a chunk.
        return (chunkRows + 3) & ~3;
    }

    /// <summary>
    /// How the wide kernels split a row of D ≥ <paramref name="lanes"/> columns into vectors of <paramref name="lanes"/>:
    /// whole vectors up to <c>FullEnd</c>, then, where <c>HasTail</c>, one overlapping vector from <c>Last</c> = D − lanes
    /// that ends at D, whose first <c>Counted</c> lanes (below <c>FullEnd</c>) the kernel masks off as counted already.
    /// </summary>
    internal static (nuint FullEnd, nuint Last, bool HasTail, int Counted) SplitColumns(nuint d, int lanes)
    {
        var fullEnd = d & ~(nuint)(lanes - 1);
        return (fullEnd, d - (nuint)lanes, fullEnd != d, lanes - (int)(d - fullEnd));
    }

    /// <summary>The number of chunks of <paramref name="chunkRows"/> rows that cover N rows (at most <see cref="MaxChunks"/>).</summary>
    /// <remarks>In long: N + chunkRows − 1 overflows int when N is near int.MaxValue, which made the count negative and the pass empty.</remarks>
    internal static int ChunkCount(int rows, int chunkRows) => (int)((rows + (long)chunkRows - 1) / chunkRows);

    /// <summary>
    /// Sums over one chunk: writes Σ d·xⱼ to <paramref name="gradientSums"/> (length D, overwritten) and returns Σℓ, Σd
    /// and whether a label was invalid.
    /// </summary>
    /// <param name="features">The chunk's first row; <paramref name="available"/> elements are readable from it.</param>
    /// <param name="targets">The chunk's first target.</param>
    /// <param name="weights">The D weights.</param>
    /// <param name="dimension">D.</param>
    /// <param name="rows">Rows in the chunk.</param>
    /// <param name="available">Elements of X readable from <paramref name="features"/> (the rest of X).</param>
    /// <param name="bias">The intercept b.</param>
    /// <param name="gradientSums">Receives Σ r·xⱼ.</param>
    /// <param name="residuals">The chunk's first residual slot (when <paramref name="writeResiduals"/>).</param>
    /// <param name="writeResiduals">Whether to store each r (each derivative d).</param>
    /// <param name="loss">The per-row loss.</param>
    /// <param name="sampleWeights">The chunk's first sample weight (read only when <typeparamref name="TWeighting"/> is <see cref="Weighted"/>).</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static ChunkSums Chunk<T, TLanes, TLoss, TWeighting>(
        ref T features, ref T targets, ref T weights, int dimension, int rows, nuint available, double bias,
        Span<double> gradientSums, ref T residuals, bool writeResiduals, TLoss loss, ref T sampleWeights)
        where TLanes : struct, IDoubleLanes<T>
        where TLoss : struct, IPointwiseLoss
        where TWeighting : struct, IRowWeighting
    {
        if (typeof(TLanes) == typeof(FastSingleElements))
        {
            return FastSingle<TLoss, TWeighting>(
                ref Unsafe.As<T, float>(ref features), ref Unsafe.As<T, float>(ref targets), ref Unsafe.As<T, float>(ref weights), dimension, rows, available, bias,
                gradientSums, ref Unsafe.As<T, float>(ref residuals), writeResiduals, loss, ref Unsafe.As<T, float>(ref sampleWeights));
        }

        if (typeof(TLanes) == typeof(SingleElements) && SingleKernelsApply(dimension, rows))
        {
            return Single<TLoss, TWeighting>(
                ref Unsafe.As<T, float>(ref features), ref Unsafe.As<T, float>(ref targets), ref Unsafe.As<T, float>(ref weights), dimension, rows, available, bias,
                gradientSums, ref Unsafe.As<T, float>(ref residuals), writeResiduals, loss, ref Unsafe.As<T, float>(ref sampleWeights));
        }

        if (typeof(TLanes) == typeof(SingleElements) && SingleNarrowApplies(dimension, rows))
        {
            if (typeof(TLoss) == typeof(SquaredResidual) && !TWeighting.IsWeighted)
            {
                return SquaredNarrow(
                    ref Unsafe.As<T, float>(ref features), ref Unsafe.As<T, float>(ref targets), ref Unsafe.As<T, float>(ref weights), dimension, rows, available, bias,
                    gradientSums, ref Unsafe.As<T, float>(ref residuals), writeResiduals);
            }

            return SingleNarrow<TLoss, TWeighting>(
                ref Unsafe.As<T, float>(ref features), ref Unsafe.As<T, float>(ref targets), ref Unsafe.As<T, float>(ref weights), dimension, rows, available, bias,
                gradientSums, ref Unsafe.As<T, float>(ref residuals), writeResiduals, loss, ref Unsafe.As<T, float>(ref sampleWeights));
        }

        if (typeof(TLanes) == typeof(SingleElements) && SingleNarrow128Applies(dimension, rows))
        {
            return SingleNarrow128<TLoss, TWeighting>(
                ref Unsafe.As<T, float>(ref features), ref Unsafe.As<T, float>(ref targets), ref Unsafe.As<T, float>(ref weights), dimension, rows, available, bias,
                gradientSums, ref Unsafe.As<T, float>(ref residuals), writeResiduals, loss, ref Unsafe.As<T, float>(ref sampleWeights));
        }

        if (typeof(TLanes) == typeof(SingleElements) && SingleWide128Applies(dimension, rows))
        {
            return SingleWide128<TLoss, TWeighting>(
                ref Unsafe.As<T, float>(ref features), ref Unsafe.As<T, float>(ref targets), ref Unsafe.As<T, float>(ref weights), dimension, rows, bias,
                gradientSums, ref Unsafe.As<T, float>(ref residuals), writeResiduals, loss, ref Unsafe.As<T, float>(ref sampleWeights));
        }

        if (TLanes.IsVectorizable && Vector256.IsHardwareAccelerated)
        {
            if (NarrowApplies<T>(dimension) && System.Runtime.Intrinsics.X86.Avx2.IsSupported)
            {
                return Narrow256<T, TLanes, TLoss, TWeighting>(ref features, ref targets, ref weights, dimension, rows, bias, gradientSums, ref residuals, writeResiduals, loss, ref sampleWeights);
            }

            if (dimension <= SmallDimensionLimit && System.Runtime.Intrinsics.X86.Avx2.IsSupported)
            {
                return SmallDimension<T, TLanes, TLoss, TWeighting>(ref features, ref targets, ref weights, dimension, rows, available, bias, gradientSums, ref residuals, writeResiduals, loss, ref sampleWeights);
            }

            if (dimension >= Vector256<double>.Count)
            {
                if (typeof(T) == typeof(double) && dimension < OverlappedRowsLimit)
                {
                    return Wide256<T, TLanes, TLoss, TWeighting, OverlappedBlocks>(ref features, ref targets, ref weights, dimension, rows, bias, gradientSums, ref residuals, writeResiduals, loss, ref sampleWeights);
                }

                // Float rows past the float kernels' limit (D > 512) as double rows: the eight-row kernel they ran before
                // reads eight rows side by side and took 2.2–3.2× the read-only pass from memory (D = 600 to 2000, Zen 4;
                // spread 1.49–1.57; docs/benchmarks.md, Zen 4 section, item 21). Every product and sum in double.
                return typeof(T) == typeof(double) || dimension > SingleDimensionLimit
                    ? Wide256<T, TLanes, TLoss, TWeighting, SpreadBlocks>(ref features, ref targets, ref weights, dimension, rows, bias, gradientSums, ref residuals, writeResiduals, loss, ref sampleWeights)
                    : Wide256<T, TLanes, TLoss, TWeighting, SequentialBlocks>(ref features, ref targets, ref weights, dimension, rows, bias, gradientSums, ref residuals, writeResiduals, loss, ref sampleWeights);
            }
        }
        else if (TLanes.IsVectorizable && Vector128.IsHardwareAccelerated && dimension <= Narrow128DimensionLimit)
        {
            return Narrow128<T, TLanes, TLoss, TWeighting>(ref features, ref targets, ref weights, dimension, rows, bias, gradientSums, ref residuals, writeResiduals, loss, ref sampleWeights);
        }
        else if (TLanes.IsVectorizable && Vector128.IsHardwareAccelerated && dimension >= Vector128<double>.Count)
        {
            return Wide128<T, TLanes, TLoss, TWeighting>(ref features, ref targets, ref weights, dimension, rows, bias, gradientSums, ref residuals, writeResiduals, loss, ref sampleWeights);
        }

        return Scalar<T, TLanes, TLoss, TWeighting>(ref features, ref targets, ref weights, dimension, rows, bias, gradientSums, ref residuals, writeResiduals, loss, ref sampleWeights);
    }
}

internal static partial class FusedPass
{
    /// <summary>
    /// The whole pass of the mean squared error: writes Σ r·xⱼ over all rows into <paramref name="gradientSums"/>
    /// (length D, overwritten) and returns Σr², Σr.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static ChunkSums Run<T, TLanes>(
        ReadOnlySpan<T> features, ReadOnlySpan<T> targets, ReadOnlySpan<T> weights, double bias,
        Span<double> gradientSums, Span<T> residuals, int threads)
        where TLanes : struct, IDoubleLanes<T> =>
        Run<T, TLanes, SquaredResidual, Unweighted>(features, targets, weights, bias, gradientSums, residuals, threads, default, []);

    /// <summary>
    /// The whole pass: writes Σ d·xⱼ over all rows into <paramref name="gradientSums"/> (length D, overwritten)
    /// and returns Σℓ, Σd (each row times its sample weight when <typeparamref name="TWeighting"/> is
    /// <see cref="Weighted"/>). Chunks run in order on this thread, or on up to <paramref name="threads"/> threads.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static ChunkSums Run<T, TLanes, TLoss, TWeighting>(
        ReadOnlySpan<T> features, ReadOnlySpan<T> targets, ReadOnlySpan<T> weights, double bias,
        Span<double> gradientSums, Span<T> residuals, int threads, TLoss loss, ReadOnlySpan<T> sampleWeights)
        where TLanes : struct, IDoubleLanes<T>
        where TLoss : struct, IPointwiseLoss
        where TWeighting : struct, IRowWeighting
    {
        // N·D ≤ TargetChunkElements implies a single chunk (ChunkRows ≥ N): straight into the kernel, which is
        // most of the cost of a (50 × 4) call; the chunk plan lives out of line.
        if ((long)targets.Length * weights.Length <= TargetChunkElements)
        {
            return Chunk<T, TLanes, TLoss, TWeighting>(
                ref MemoryMarshal.GetReference(features), ref MemoryMarshal.GetReference(targets), ref MemoryMarshal.GetReference(weights),
                weights.Length, targets.Length, (nuint)features.Length, bias, gradientSums, ref MemoryMarshal.GetReference(residuals), !residuals.IsEmpty,
                loss, ref MemoryMarshal.GetReference(sampleWeights));
        }

        return RunChunks<T, TLanes, TLoss, TWeighting>(features, targets, weights, bias, gradientSums, residuals, threads, loss, sampleWeights);
    }

    /// <summary><see cref="Run{T, TLanes, TLoss, TWeighting}"/> for data of more than one chunk.</summary>
    [SkipLocalsInit]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static ChunkSums RunChunks<T, TLanes, TLoss, TWeighting>(
        ReadOnlySpan<T> features, ReadOnlySpan<T> targets, ReadOnlySpan<T> weights, double bias,
        Span<double> gradientSums, Span<T> residuals, int threads, TLoss loss, ReadOnlySpan<T> sampleWeights)
        where TLanes : struct, IDoubleLanes<T>
        where TLoss : struct, IPointwiseLoss
        where TWeighting : struct, IRowWeighting
    {
        var rows = targets.Length;
        var dimension = weights.Length;
        var writeResiduals = !residuals.IsEmpty;
        ref var x = ref MemoryMarshal.GetReference(features);
        ref var y = ref MemoryMarshal.GetReference(targets);
        ref var w = ref MemoryMarshal.GetReference(weights);
        ref var e = ref MemoryMarshal.GetReference(residuals);
        ref var s = ref MemoryMarshal.GetReference(sampleWeights);

        var chunkRows = ChunkRows(rows, dimension);
        var chunkCount = ChunkCount(rows, chunkRows);
        if (chunkCount == 1)
        {
            return Chunk<T, TLanes, TLoss, TWeighting>(ref x, ref y, ref w, dimension, rows, (nuint)features.Length, bias, gradientSums, ref e, writeResiduals, loss, ref s);
        }

        if (threads > 1)
        {
            return RunThreaded<T, TLanes, TLoss, TWeighting>(
                features, targets, weights, bias, gradientSums, residuals, chunkRows, chunkCount, Math.Min(threads, chunkCount), loss, sampleWeights);
        }

        MeanSquaredError.ThrowIfSumsExceedAnArray(dimension);
        double[]? rented = null;
        // On whole cache lines when on the stack (see CacheLineAlignment).
        var partial = dimension <= 512
            ? CacheLineAlignment.Aligned(stackalloc double[dimension + CacheLineAlignment.SlackDoubles], dimension)
            : (rented = ArrayPool<double>.Shared.Rent(dimension)).AsSpan(0, dimension);

        gradientSums.Clear();
        var total = default(ChunkSums);
        for (var chunk = 0; chunk < chunkCount; chunk++)
        {
            var first = chunk * chunkRows;
            var count = Math.Min(chunkRows, rows - first);
            var offset = (nuint)first * (nuint)dimension;
            var sums = Chunk<T, TLanes, TLoss, TWeighting>(
                ref Unsafe.Add(ref x, offset), ref Unsafe.Add(ref y, first), ref w, dimension, count,
                (nuint)features.Length - offset, bias, partial, ref Unsafe.Add(ref e, writeResiduals ? first : 0), writeResiduals,
                loss, ref Unsafe.Add(ref s, TWeighting.IsWeighted ? first : 0));
            Fold(ref total, sums, gradientSums, partial);
        }

        if (rented is not null)
        {
            ScratchBuffer.ReturnCleared(rented, dimension);
        }

        return new ChunkSums { LossSum = total.LossSum, DerivativeSum = total.DerivativeSum };
    }

    /// <summary>Adds one chunk's sums to the running total; the only way chunk results are combined.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void Fold(ref ChunkSums total, ChunkSums chunk, Span<double> gradientSums, ReadOnlySpan<double> chunkGradientSums)
    {
        total.LossSum += chunk.LossSum;
        total.DerivativeSum += chunk.DerivativeSum;
        TensorPrimitives.Add(gradientSums, chunkGradientSums, gradientSums);
    }

    /// <summary>
    /// Four rows' loss terms from their η: adds the (weighted) values to <paramref name="lossSum"/>, flags invalid
    /// labels in <paramref name="invalid"/>, stores the unweighted derivatives (the residuals, for the mean squared error)
    /// when <paramref name="writeResiduals"/>, and returns the (weighted) derivatives.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector256<double> FourRows<T, TLanes, TLoss, TWeighting>(
        TLoss loss, Vector256<double> eta, ref T targets, ref T sampleWeights, ref T residuals, bool writeResiduals, nuint row,
        ref Vector256<double> lossSum, ref Vector256<double> invalid)
        where TLanes : struct, IDoubleLanes<T>
        where TLoss : struct, IPointwiseLoss
        where TWeighting : struct, IRowWeighting
    {
        var y = TLanes.Load256(ref targets, row);
        if (TLoss.ChecksLabels)
        {
            invalid |= loss.Invalid(y);
        }

        if (!TWeighting.IsWeighted)
        {
            lossSum = loss.Add(eta, y, lossSum, out var derivative);
            if (writeResiduals)
            {
                TLanes.Store256(derivative, ref residuals, row);
            }

            return derivative;
        }

        var s = TLanes.Load256(ref sampleWeights, row);
        var value = loss.Add(eta, y, Vector256<double>.Zero, out var unweighted);
        if (writeResiduals)
        {
            TLanes.Store256(unweighted, ref residuals, row);
        }

        lossSum = Vector256.FusedMultiplyAdd(value, s, lossSum);
        return unweighted * s;
    }

    /// <summary>
    /// A block's four loss terms from its rows' dot products <paramref name="a0"/>…<paramref name="a3"/> (vectors of partial
    /// sums): adds the loss terms and derivatives to <paramref name="sums"/>, flags invalid labels, and returns the
    /// (weighted) derivatives, which weight the block's gradient terms. Losses that prefer vectors take the four rows' η in
    /// one vector (one vector exp/log for the four rows); the others go row by row.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void BlockDerivatives<T, TLanes, TLoss, TWeighting>(
        TLoss loss, Vector256<double> a0, Vector256<double> a1, Vector256<double> a2, Vector256<double> a3, double bias,
        ref T targets, ref T sampleWeights, ref T residuals, bool writeResiduals, nuint row, ref ChunkSums sums, ref bool invalid,
        ref Vector256<double> invalidLanes, out double r0, out double r1, out double r2, out double r3)
        where TLanes : struct, IDoubleLanes<T>
        where TLoss : struct, IPointwiseLoss
        where TWeighting : struct, IRowWeighting
    {
        if (TLoss.PrefersVectors)
        {
            var eta = Vector256.Create(Vector256.Sum(a0), Vector256.Sum(a1), Vector256.Sum(a2), Vector256.Sum(a3)) + Vector256.Create(bias);
            var lossLanes = Vector256<double>.Zero;
            var r = FourRows<T, TLanes, TLoss, TWeighting>(loss, eta, ref targets, ref sampleWeights, ref residuals, writeResiduals, row, ref lossLanes, ref invalidLanes);
            sums.LossSum += Vector256.Sum(lossLanes);
            sums.DerivativeSum += Vector256.Sum(r);
            r0 = r.ToScalar();
            r1 = r.GetElement(1);
            r2 = r.GetElement(2);
            r3 = r.GetElement(3);
        }
        else
        {
            var l0 = OneRow<T, TLanes, TLoss, TWeighting>(loss, Vector256.Sum(a0) + bias, ref targets, ref sampleWeights, ref residuals, writeResiduals, row, ref invalid, out r0);
            var l1 = OneRow<T, TLanes, TLoss, TWeighting>(loss, Vector256.Sum(a1) + bias, ref targets, ref sampleWeights, ref residuals, writeResiduals, row + 1, ref invalid, out r1);
            var l2 = OneRow<T, TLanes, TLoss, TWeighting>(loss, Vector256.Sum(a2) + bias, ref targets, ref sampleWeights, ref residuals, writeResiduals, row + 2, ref invalid, out r2);
            var l3 = OneRow<T, TLanes, TLoss, TWeighting>(loss, Vector256.Sum(a3) + bias, ref targets, ref sampleWeights, ref residuals, writeResiduals, row + 3, ref invalid, out r3);
            sums.LossSum += l0 + l1 + (l2 + l3);
            sums.DerivativeSum += r0 + r1 + (r2 + r3);
        }
    }

    /// <summary>
    /// <see cref="FourRows{T, TLanes, TLoss, TWeighting}"/> for two rows in a 128-bit vector (the 128-bit kernel's form:
    /// no AVX2, and Arm64).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector128<double> TwoRows<T, TLanes, TLoss, TWeighting>(
        TLoss loss, Vector128<double> eta, ref T targets, ref T sampleWeights, ref T residuals, bool writeResiduals, nuint row,
        ref Vector128<double> lossSum, ref Vector128<double> invalid)
        where TLanes : struct, IDoubleLanes<T>
        where TLoss : struct, IPointwiseLoss
        where TWeighting : struct, IRowWeighting
    {
        var y = TLanes.Load128(ref targets, row);
        if (TLoss.ChecksLabels)
        {
            invalid |= loss.Invalid(y);
        }

        if (!TWeighting.IsWeighted)
        {
            lossSum = loss.Add(eta, y, lossSum, out var derivative);
            if (writeResiduals)
            {
                TLanes.Store128(derivative, ref residuals, row);
            }

            return derivative;
        }

        var s = TLanes.Load128(ref sampleWeights, row);
        var value = loss.Add(eta, y, Vector128<double>.Zero, out var unweighted);
        if (writeResiduals)
        {
            TLanes.Store128(unweighted, ref residuals, row);
        }

        lossSum = Vector128.MultiplyAddEstimate(value, s, lossSum);
        return unweighted * s;
    }

    /// <summary>
    /// A block's four loss terms from its rows' dot products <paramref name="a0"/>…<paramref name="a3"/> (128-bit vectors of
    /// partial sums): adds the loss terms and derivatives to <paramref name="sums"/>, flags invalid labels, and returns the
    /// (weighted) derivatives. Losses that prefer vectors take two rows per vector
    /// (<see cref="FourRowsInPairs{T, TLanes, TLoss, TWeighting}"/>); the others go row by row. The 128-bit kernels' form of
    /// <see cref="BlockDerivatives{T, TLanes, TLoss, TWeighting}"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void BlockDerivatives128<T, TLanes, TLoss, TWeighting>(
        TLoss loss, Vector128<double> a0, Vector128<double> a1, Vector128<double> a2, Vector128<double> a3, double bias,
        ref T targets, ref T sampleWeights, ref T residuals, bool writeResiduals, nuint row, ref ChunkSums sums, ref bool invalid,
        ref Vector128<double> invalidLanes, out double d0, out double d1, out double d2, out double d3)
        where TLanes : struct, IDoubleLanes<T>
        where TLoss : struct, IPointwiseLoss
        where TWeighting : struct, IRowWeighting
    {
        if (TLoss.PrefersVectors)
        {
            FourRowsInPairs<T, TLanes, TLoss, TWeighting>(
                loss, Vector128.Sum(a0) + bias, Vector128.Sum(a1) + bias, Vector128.Sum(a2) + bias, Vector128.Sum(a3) + bias, ref targets, ref sampleWeights, ref residuals, writeResiduals,
                row, ref sums, ref invalidLanes, out d0, out d1, out d2, out d3);
        }
        else
        {
            var l0 = OneRow<T, TLanes, TLoss, TWeighting>(loss, Vector128.Sum(a0) + bias, ref targets, ref sampleWeights, ref residuals, writeResiduals, row, ref invalid, out d0);
            var l1 = OneRow<T, TLanes, TLoss, TWeighting>(loss, Vector128.Sum(a1) + bias, ref targets, ref sampleWeights, ref residuals, writeResiduals, row + 1, ref invalid, out d1);
            var l2 = OneRow<T, TLanes, TLoss, TWeighting>(loss, Vector128.Sum(a2) + bias, ref targets, ref sampleWeights, ref residuals, writeResiduals, row + 2, ref invalid, out d2);
            var l3 = OneRow<T, TLanes, TLoss, TWeighting>(loss, Vector128.Sum(a3) + bias, ref targets, ref sampleWeights, ref residuals, writeResiduals, row + 3, ref invalid, out d3);
            sums.LossSum += l0 + l1 + (l2 + l3);
            sums.DerivativeSum += d0 + d1 + (d2 + d3);
        }
    }

    /// <summary>
    /// Four rows' loss terms in two 128-bit vectors (<see cref="TwoRows{T, TLanes, TLoss, TWeighting}"/> for rows
    /// <paramref name="row"/>, +1 and +2, +3): adds their (weighted) values and derivatives to <paramref name="sums"/>
    /// and returns the derivatives one by one, for the 128-bit kernels' gradient sweeps.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void FourRowsInPairs<T, TLanes, TLoss, TWeighting>(
        TLoss loss, double eta0, double eta1, double eta2, double eta3, ref T targets, ref T sampleWeights, ref T residuals, bool writeResiduals,
        nuint row, ref ChunkSums sums, ref Vector128<double> invalid, out double d0, out double d1, out double d2, out double d3)
        where TLanes : struct, IDoubleLanes<T>
        where TLoss : struct, IPointwiseLoss
        where TWeighting : struct, IRowWeighting
    {
        var lossLanes = Vector128<double>.Zero;
        var first = TwoRows<T, TLanes, TLoss, TWeighting>(loss, Vector128.Create(eta0, eta1), ref targets, ref sampleWeights, ref residuals, writeResiduals, row, ref lossLanes, ref invalid);
        var second = TwoRows<T, TLanes, TLoss, TWeighting>(loss, Vector128.Create(eta2, eta3), ref targets, ref sampleWeights, ref residuals, writeResiduals, row + 2, ref lossLanes, ref invalid);
        sums.LossSum += Vector128.Sum(lossLanes);
        sums.DerivativeSum += Vector128.Sum(first + second);
        (d0, d1, d2, d3) = (first.ToScalar(), first.GetElement(1), second.ToScalar(), second.GetElement(1));
    }

    /// <summary>
    /// One row's loss term from its η: returns the (weighted) value; the (weighted) derivative in <paramref name="derivative"/>
    /// (stored unweighted when <paramref name="writeResiduals"/>).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static double OneRow<T, TLanes, TLoss, TWeighting>(
        TLoss loss, double eta, ref T targets, ref T sampleWeights, ref T residuals, bool writeResiduals, nuint row, ref bool invalid, out double derivative)
        where TLanes : struct, IDoubleLanes<T>
        where TLoss : struct, IPointwiseLoss
        where TWeighting : struct, IRowWeighting
    {
        var y = TLanes.Load(ref targets, row);
        if (TLoss.ChecksLabels)
        {
            invalid |= loss.IsInvalid(y);
        }

        var value = loss.Add(eta, y, 0.0, out derivative);
        if (writeResiduals)
        {
            TLanes.Store(derivative, ref residuals, row);
        }

        if (TWeighting.IsWeighted)
        {
            var s = TLanes.Load(ref sampleWeights, row);
            value *= s;
            derivative *= s;
        }

        return value;
    }
}

internal static partial class FusedPass
{
    /// <summary><see cref="Run{T, TLanes}"/> for any element type: float and double to their kernels, others to the scalar one.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static ChunkSums Run<T>(
        ReadOnlySpan<T> features, ReadOnlySpan<T> targets, ReadOnlySpan<T> weights, double bias,
        Span<double> gradientSums, Span<T> residuals, int threads)
        where T : IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(double))
        {
            return Run<double, DoubleElements>(
                Reinterpret<T, double>(features), Reinterpret<T, double>(targets), Reinterpret<T, double>(weights), bias,
                gradientSums, Reinterpret<T, double>(residuals), threads);
        }

        if (typeof(T) == typeof(float))
        {
            return Run<float, SingleElements>(
                Reinterpret<T, float>(features), Reinterpret<T, float>(targets), Reinterpret<T, float>(weights), bias,
                gradientSums, Reinterpret<T, float>(residuals), threads);
        }

        return Run<T, GenericElements<T>>(features, targets, weights, bias, gradientSums, residuals, threads);
    }

    /// <summary>The same memory seen as another element type of the same size (used only where T is that type).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static ReadOnlySpan<TTo> Reinterpret<TFrom, TTo>(ReadOnlySpan<TFrom> span) =>
        MemoryMarshal.CreateReadOnlySpan(ref Unsafe.As<TFrom, TTo>(ref MemoryMarshal.GetReference(span)), span.Length);

    /// <inheritdoc cref="Reinterpret{TFrom, TTo}(ReadOnlySpan{TFrom})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Span<TTo> Reinterpret<TFrom, TTo>(Span<TFrom> span) =>
        MemoryMarshal.CreateSpan(ref Unsafe.As<TFrom, TTo>(ref MemoryMarshal.GetReference(span)), span.Length);
}
