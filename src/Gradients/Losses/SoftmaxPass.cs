using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Gradients;

/// <summary>
/// The fused pass of the softmax cross-entropy: per row, the K scores η = xᵀW + b, the max-shifted log-sum-exp,
/// the loss lse − η_y and the derivative d = softmax(η) − onehot(y), and the D×K gradient sums gain x·dᵀ — in one
/// read of X. The classes are padded to whole vectors (Kp = 8⌈K/8⌉ with 512-bit vectors, else 4⌈K/4⌉; padded scores
/// are −∞ or their derivatives 0, so they weigh nothing), W is copied once per call into that padded layout in
/// double, and rows go four at a time through register-blocked products (four rows × two class vectors of
/// accumulators), so each vector of W and of the gradient sums is loaded once per four rows and each x once per
/// two class vectors. From D = 8 with up to 64 classes (from D = 4 with D·K ≤ 60) the products run vectorized over the features instead
/// (SoftmaxPass.OverFeatures.cs: Wᵀ, dot products over D, Gᵀ), which issues no FMA on padding, and none for class 0
/// (the scores there are relative to class 0's).
/// </summary>
/// <remarks>Chunks and their fold order follow <see cref="FusedPass.ChunkRows"/> (a function of N and D only), so
/// the result is bit-identical for any thread count.</remarks>
internal static partial class SoftmaxPass
{
    /// <summary>The sums of one chunk (the gradient sums go to a span).</summary>
    internal struct Sums
    {
        public double Loss;
        public bool HasInvalidLabel;
    }

    /// <summary>
    /// Kp: K rounded up to whole vectors, of eight doubles where 512-bit vectors are accelerated (their kernels do the
    /// products; two FMA units of 512 bits do twice the work of 256 per cycle), else of four.
    /// </summary>
    internal static int PaddedClasses(int classes) => Vector512.IsHardwareAccelerated ? (classes + 7) & ~7 : (classes + 3) & ~3;

    /// <summary>
    /// Runs the pass: <paramref name="gradientSums"/> (D×Kp, padded) and <paramref name="interceptSums"/> (Kp) are
    /// overwritten with Σ sᵢ·x·dᵀ and Σ sᵢ·d; returns Σ sᵢ·ℓᵢ and whether a label was outside 0…K−1.
    /// </summary>
    internal static Sums Run<T, TLanes>(
        ReadOnlySpan<T> features, ReadOnlySpan<int> labels, ReadOnlySpan<double> paddedWeights, ReadOnlySpan<double> paddedIntercepts,
        int dimension, int classes, ReadOnlySpan<T> sampleWeights, Span<double> gradientSums, Span<double> interceptSums, int threads)
        where TLanes : struct, IDoubleLanes<T>
    {
        var rows = labels.Length;
        var kp = PaddedClasses(classes);
        var chunkRows = FusedPass.ChunkRows(rows, dimension);
        var chunkCount = FusedPass.ChunkCount(rows, chunkRows);
        gradientSums.Clear();
        interceptSums.Clear();
        if (threads > 1 && chunkCount > 1 && (long)chunkCount * ((dimension * (long)kp) + kp + SlotExtras) <= MaxThreadedPartials)
        {
            return RunThreaded<T, TLanes>(features, labels, paddedWeights, paddedIntercepts, dimension, classes, sampleWeights, gradientSums, interceptSums, chunkRows, chunkCount, Math.Min(threads, chunkCount));
        }

        var slot = (dimension * kp) + kp;
        var partials = ArrayPool<double>.Shared.Rent(slot);
        var total = default(Sums);
        for (var chunk = 0; chunk < chunkCount; chunk++)
        {
            var first = chunk * chunkRows;
            var count = Math.Min(chunkRows, rows - first);
            var sums = Chunk<T, TLanes>(
                features.Slice(first * dimension, count * dimension), labels.Slice(first, count), paddedWeights, paddedIntercepts, dimension, classes,
                sampleWeights.IsEmpty ? [] : sampleWeights.Slice(first, count), partials.AsSpan(0, dimension * kp), partials.AsSpan(dimension * kp, kp));
            Fold(ref total, sums, gradientSums, interceptSums, partials.AsSpan(0, slot), dimension * kp);
        }

        if (IsOverFeatures<T, TLanes>(dimension, classes))
        {
            TransposeGradientSums(gradientSums, partials.AsSpan(0, slot), dimension, classes);
        }

        ScratchBuffer.ReturnCleared(partials, slot);
        return total;
    }

    /// <summary>
    /// Copies W (D×K, row-major) and b (K, or empty for none) into the padded double layout of the pass (D×Kp and
    /// Kp, the padding 0) and returns ‖W‖², summed in row-major order. When the pass runs
    /// <see cref="IsOverFeatures{T, TLanes}">over the features</see>, the first K′·D hold instead the weights relative to
    /// class 0, (W − w₀1ᵀ)ᵀ (row 0 all 0, row k wₖ − w₀), and the intercepts are bₖ − b₀: softmax(η) is the same for
    /// η − η₀, so class 0's score is 0 and costs no products (see SoftmaxPass.OverFeatures.cs).
    /// Each difference is rounded once, to half an ulp of itself (of a float pair in double, usually exact).
    /// </summary>
    internal static double PadWeights<T, TLanes>(
        ReadOnlySpan<T> weights, ReadOnlySpan<T> intercepts, int dimension, int classes, Span<double> paddedWeights, Span<double> paddedIntercepts)
        where TLanes : struct, IDoubleLanes<T>
    {
        var kp = PaddedClasses(classes);
        paddedWeights.Clear();
        paddedIntercepts.Clear();
        ref var w = ref MemoryMarshal.GetReference(weights);
        var overFeatures = IsOverFeatures<T, TLanes>(dimension, classes);
        var norm = 0.0;
        for (var j = 0; j < dimension; j++)
        {
            var reference = TLanes.Load(ref w, (nuint)(j * classes));
            for (var k = 0; k < classes; k++)
            {
                var value = TLanes.Load(ref w, (nuint)((j * classes) + k));
                norm += value * value;
                if (!overFeatures)
                {
                    paddedWeights[(j * kp) + k] = value;
                }
                else if (k > 0)
                {
                    paddedWeights[(k * dimension) + j] = value - reference;
                }
            }
        }

        ref var b = ref MemoryMarshal.GetReference(intercepts);
        for (var k = 0; k < intercepts.Length; k++)
        {
            paddedIntercepts[k] = overFeatures ? TLanes.Load(ref b, (nuint)k) - TLanes.Load(ref b, 0) : TLanes.Load(ref b, (nuint)k);
        }

        return norm;
    }

    private static ref byte Bytes<T>(ReadOnlySpan<T> span) => ref Unsafe.As<T, byte>(ref MemoryMarshal.GetReference(span));

    /// <summary>
    /// The most doubles (32 MB) the threaded driver's per-chunk partial sums may take; beyond, the pass runs on the
    /// calling thread (the chunk plan and fold order are the same, so the result is too).
    /// </summary>
    private const long MaxThreadedPartials = 1L << 22;

    /// <summary>Per-chunk slot past the D×Kp gradient sums and the Kp intercept sums: Σℓ and the invalid-label flag.</summary>
    private const int SlotExtras = 2;

    /// <summary>
    /// The threaded driver, as <see cref="FusedPass"/>'s: the calling thread and up to <paramref name="threads"/> − 1
    /// thread-pool workers claim chunks (<see cref="ChunkScheduler{TJob}"/>); each chunk's sums go to its own slot of a
    /// pooled buffer, folded in chunk order afterwards. The calling thread's scheduler is reused from call to call, so a
    /// warm call allocates nothing.
    /// </summary>
    private static unsafe Sums RunThreaded<T, TLanes>(
        ReadOnlySpan<T> features, ReadOnlySpan<int> labels, ReadOnlySpan<double> paddedWeights, ReadOnlySpan<double> paddedIntercepts,
        int dimension, int classes, ReadOnlySpan<T> sampleWeights, Span<double> gradientSums, Span<double> interceptSums,
        int chunkRows, int chunkCount, int threads)
        where TLanes : struct, IDoubleLanes<T>
    {
        var kp = PaddedClasses(classes);
        var sumsLength = (dimension * kp) + kp;
        var slot = sumsLength + SlotExtras;
        var used = chunkCount * slot;
        var partials = ArrayPool<double>.Shared.Rent(used);
        fixed (double* partialsPointer = partials, w = paddedWeights, b = paddedIntercepts)
        {
            fixed (byte* x = &Bytes(features), s = &Bytes(sampleWeights))
            {
                fixed (int* y = labels)
                {
                    var job = new ChunkJob<T, TLanes>
                    {
                        Features = x,
                        Labels = y,
                        Weights = w,
                        Intercepts = b,
                        SampleWeights = s,
                        Rows = labels.Length,
                        Dimension = dimension,
                        Classes = classes,
                        SampleWeightCount = sampleWeights.IsEmpty ? 0 : sampleWeights.Length,
                        Partials = partialsPointer,
                        ChunkRows = chunkRows,
                    };
                    ChunkScheduler<ChunkJob<T, TLanes>>.Run(job, chunkCount, threads);
                }
            }
        }

        var total = default(Sums);
        for (var chunk = 0; chunk < chunkCount; chunk++)
        {
            var at = chunk * slot;
            var sums = new Sums { Loss = partials[at + sumsLength], HasInvalidLabel = partials[at + sumsLength + 1] != 0.0 };
            Fold(ref total, sums, gradientSums, interceptSums, partials.AsSpan(at, sumsLength), dimension * kp);
        }

        if (IsOverFeatures<T, TLanes>(dimension, classes))
        {
            TransposeGradientSums(gradientSums, partials.AsSpan(0, used), dimension, classes);
        }

        ScratchBuffer.ReturnCleared(partials, used);
        return total;
    }

    /// <summary>
    /// One threaded pass's pinned inputs and its chunk kernel, for <see cref="ChunkScheduler{TJob}"/>: chunk c's D×Kp
    /// gradient sums, Kp intercept sums, Σℓ and the invalid-label flag go to slot c of <c>Partials</c>.
    /// </summary>
    private readonly unsafe struct ChunkJob<T, TLanes> : IChunkJob
        where TLanes : struct, IDoubleLanes<T>
    {
        public required void* Features { get; init; }

        public required int* Labels { get; init; }

        public required double* Weights { get; init; }

        public required double* Intercepts { get; init; }

        public required void* SampleWeights { get; init; }

        public required int Rows { get; init; }

        public required int Dimension { get; init; }

        public required int Classes { get; init; }

        /// <summary>N with sample weights, else 0.</summary>
        public required int SampleWeightCount { get; init; }

        public required double* Partials { get; init; }

        public required int ChunkRows { get; init; }

        public void Compute(int chunk)
        {
            var kp = PaddedClasses(Classes);
            var gradientLength = Dimension * kp;
            var slot = gradientLength + kp + SlotExtras;
            var first = chunk * ChunkRows;
            var count = Math.Min(ChunkRows, Rows - first);
            var at = Partials + ((nint)chunk * slot);
            var sums = Chunk<T, TLanes>(
                MemoryMarshal.CreateReadOnlySpan(ref Unsafe.Add(ref Unsafe.AsRef<T>(Features), (nint)first * Dimension), count * Dimension),
                new ReadOnlySpan<int>(Labels + first, count),
                new ReadOnlySpan<double>(Weights, gradientLength),
                new ReadOnlySpan<double>(Intercepts, kp),
                Dimension,
                Classes,
                SampleWeightCount == 0 ? [] : MemoryMarshal.CreateReadOnlySpan(ref Unsafe.Add(ref Unsafe.AsRef<T>(SampleWeights), first), count),
                new Span<double>(at, gradientLength),
                new Span<double>(at + gradientLength, kp));
            at[gradientLength + kp] = sums.Loss;
            at[gradientLength + kp + 1] = sums.HasInvalidLabel ? 1.0 : 0.0;
        }
    }

    private static void Fold(ref Sums total, Sums chunk, Span<double> gradientSums, Span<double> interceptSums, ReadOnlySpan<double> partial, int gradientLength)
    {
        total.Loss += chunk.Loss;
        total.HasInvalidLabel |= chunk.HasInvalidLabel;
        System.Numerics.Tensors.TensorPrimitives.Add(gradientSums, partial[..gradientLength], gradientSums);
        System.Numerics.Tensors.TensorPrimitives.Add(interceptSums, partial[gradientLength..], interceptSums);
    }

    /// <summary>One chunk of rows: overwrites its gradient and intercept sums.</summary>
    [SkipLocalsInit]
    private static Sums Chunk<T, TLanes>(
        ReadOnlySpan<T> features, ReadOnlySpan<int> labels, ReadOnlySpan<double> paddedWeights, ReadOnlySpan<double> paddedIntercepts,
        int dimension, int classes, ReadOnlySpan<T> sampleWeights, Span<double> gradientSums, Span<double> interceptSums)
        where TLanes : struct, IDoubleLanes<T>
    {
        if (IsOverFeatures<T, TLanes>(dimension, classes))
        {
            return ChunkOverFeatures<T, TLanes>(features, labels, paddedWeights, paddedIntercepts, dimension, classes, sampleWeights, gradientSums, interceptSums);
        }

        gradientSums.Clear();
        interceptSums.Clear();
        var kp = PaddedClasses(classes);
        var rows = labels.Length;
        var d = (nuint)dimension;
        var vectors = (nuint)(kp / 4);
        ref var x = ref MemoryMarshal.GetReference(features);
        ref var w = ref MemoryMarshal.GetReference(paddedWeights);
        ref var b = ref MemoryMarshal.GetReference(paddedIntercepts);
        ref var g = ref MemoryMarshal.GetReference(gradientSums);
        ref var gb = ref MemoryMarshal.GetReference(interceptSums);
        ref var s = ref MemoryMarshal.GetReference(sampleWeights);
        var weighted = !sampleWeights.IsEmpty;

        // Scores, then derivatives, of four rows (4·Kp doubles); from the pool when Kp is large.
        double[]? rented = null;
        var scores = kp <= 256 ? stackalloc double[4 * kp] : (rented = ArrayPool<double>.Shared.Rent(4 * kp)).AsSpan(0, 4 * kp);
        ref var e = ref MemoryMarshal.GetReference(scores);
        var sums = default(Sums);

        // The softmax runs over the live vectors of four lanes, ⌈K/4⌉; lanes of the last live vector past K count as
        // −∞ scores (masked where RowExponentials takes the maximum, so no pass stores −∞ into them). A vector past
        // it (Kp = 8⌈K/8⌉ can add one) is all padding and keeps its scores: lanes never mix, so they only reach the
        // padded columns of the gradient sums, which are dropped.
        var live = (nuint)((classes + 3) / 4);
        var padMask = Vector256.GreaterThanOrEqual(Vector256.Create(0L, 1L, 2L, 3L) + Vector256.Create((long)(4 * (live - 1))), Vector256.Create((long)classes)).AsDouble();
        var lanes = Vector256.Create(0L, 1L, 2L, 3L);
        var rowStride = (nuint)kp;
        var wide = Vector512.IsHardwareAccelerated;
        Span<double> rowSums = stackalloc double[4];
        Span<double> rowWeights = stackalloc double[4];
        Span<double> rowHeads = stackalloc double[4];
        Span<int> rowLabels = stackalloc int[4];

        nuint row = 0;
        for (; row < (nuint)rows; row += 4)
        {
            var block = (nuint)Math.Min(4, rows - (int)row);
            ref var x0 = ref Unsafe.Add(ref x, row * d);
            ref var x1 = ref Unsafe.Add(ref x0, block > 1 ? d : 0);
            ref var x2 = ref Unsafe.Add(ref x0, block > 2 ? 2 * d : 0);
            ref var x3 = ref Unsafe.Add(ref x0, block > 3 ? 3 * d : 0);

            // The score products read the four rows interleaved (x₀[j], x₁[j], x₂[j], x₃[j]): four streams a row
            // apart, which the hardware prefetchers follow badly from memory (the MSE kernel measured 2–3× at D = 128).
            // So the next block's rows are prefetched as sequential streams, a line at a time: one row here and one
            // after each stage of this block (all 4·D at once would fill the line-fill buffers, and a prefetch waiting
            // for one holds up everything behind it).
            var rowBytes = d * (nuint)Unsafe.SizeOf<T>();
            ref var next = ref Unsafe.Add(ref x0, 4 * d);
            PrefetchRows(ref next, rowBytes);

            // η for four rows (a short block repeats its first row), two class vectors at a time: eight accumulators
            // in registers, each vector of W loaded once and each x broadcast once per two class vectors.
            if (wide)
            {
                ScoresByClassVectors<T, TLanes, Vector512<double>, Lanes512>(ref x0, ref x1, ref x2, ref x3, ref w, ref b, d, rowStride, ref e, vectors);
            }
            else
            {
                ScoresByClassVectors<T, TLanes, Vector256<double>, Lanes256>(ref x0, ref x1, ref x2, ref x3, ref w, ref b, d, rowStride, ref e, vectors);
            }

            PrefetchRows(ref Unsafe.Add(ref next, d), rowBytes);

            // Per row: the shifted exponentials in place of the scores, their sum z and the loss's first part
            // max − η_y; then one vector log and one vector division for the four rows (a scalar Math.Log and a
            // division per row were a seventh of the pass at K = 10); the rows past a short block get d = 0.
            for (nuint r = 0; r < 4; r++)
            {
                ref var eta = ref Unsafe.Add(ref e, r * rowStride);
                if (r >= block)
                {
                    scores.Slice((int)r * kp, kp).Clear();
                    rowLabels[(int)r] = 0;
                    rowWeights[(int)r] = 0.0;
                    rowSums[(int)r] = 1.0;
                    continue;
                }

                var label = labels[(int)(row + r)];
                var valid = (uint)label < (uint)classes;
                sums.HasInvalidLabel |= !valid;
                rowLabels[(int)r] = valid ? label : 0;
                rowWeights[(int)r] = weighted ? TLanes.Load(ref s, row + r) : 1.0;
                rowHeads[(int)r] = RowExponentials(ref eta, live, rowLabels[(int)r], padMask, out rowSums[(int)r]);
            }

            var z = Vector256.LoadUnsafe(ref MemoryMarshal.GetReference(rowSums));
            var weights4 = Vector256.LoadUnsafe(ref MemoryMarshal.GetReference(rowWeights));
            var logZ = VectorMath.LogOfAtLeastOne(z);
            var scales = weights4 / z;
            for (nuint r = 0; r < block; r++)
            {
                // (max − η_y) + log z: the large terms cancel first, so a row whose label has the top score of 700 loses nothing.
                var weight = weights4.GetElement((int)r);
                sums.Loss += weight * (rowHeads[(int)r] + logZ.GetElement((int)r));
                ref var eta = ref Unsafe.Add(ref e, r * rowStride);
                var scale = Vector256.Create(scales.GetElement((int)r));

                // d = p·scale − weight·onehot(y), the subtraction in the vector (x − 0 = x elsewhere): a scalar store
                // into a vector the gradient kernels then load whole would wait for it to retire (a failed store forward).
                var label = Vector256.Create((long)rowLabels[(int)r]);
                var labelWeight = Vector256.Create(weight);
                for (nuint c = 0; c < live; c++)
                {
                    var isLabel = Vector256.Equals(lanes + Vector256.Create((long)(4 * c)), label).AsDouble();
                    ((Vector256.LoadUnsafe(ref eta, 4 * c) * scale) - (labelWeight & isLabel)).StoreUnsafe(ref eta, 4 * c);
                }
            }

            PrefetchRows(ref Unsafe.Add(ref next, 2 * d), rowBytes);

            // The gradient sums gain x·dᵀ of the four rows, two class vectors at a time: the eight derivative vectors
            // in registers, each sum vector loaded and stored once per four rows.
            if (wide)
            {
                GradientsByClassVectors<T, TLanes, Vector512<double>, Lanes512>(ref x0, ref x1, ref x2, ref x3, ref e, rowStride, d, ref g, ref gb, vectors);
            }
            else
            {
                GradientsByClassVectors<T, TLanes, Vector256<double>, Lanes256>(ref x0, ref x1, ref x2, ref x3, ref e, rowStride, d, ref g, ref gb, vectors);
            }

            PrefetchRows(ref Unsafe.Add(ref next, 3 * d), rowBytes);
        }

        if (rented is not null)
        {
            ArrayPool<double>.Shared.Return(rented);
        }

        return sums;
    }

    /// <summary>
    /// Asks for the <paramref name="bytes"/> from <paramref name="start"/> into the caches, one 64-byte line after
    /// another (a prefetch never faults, so the lines past the chunk's end cost nothing but the hint).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void PrefetchRows<T>(ref T start, nuint bytes)
    {
        if (!Sse.IsSupported)
        {
            return;
        }

        var at = (byte*)Unsafe.AsPointer(ref start);
        for (nuint offset = 0; offset < bytes; offset += 64)
        {
            Sse.Prefetch0(at + offset);
        }
    }

    /// <summary>
    /// The scores of four rows for the class vectors from <paramref name="weights"/>: two class vectors at a time
    /// (<see cref="ScorePair{T, TLanes, TVector, TWidth}"/>), the last of an odd count alone. <paramref name="vectors"/>
    /// counts groups of four classes (256-bit vectors); a vector of <typeparamref name="TWidth"/> holds Count/4 of them.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ScoresByClassVectors<T, TLanes, TVector, TWidth>(
        ref T x0, ref T x1, ref T x2, ref T x3, ref double weights, ref double intercepts, nuint d, nuint stride, ref double scores, nuint vectors)
        where TLanes : struct, IDoubleLanes<T>
        where TVector : struct
        where TWidth : struct, IFeatureLanes<TVector>
    {
        var step = 2 * (TWidth.Count / 4);
        nuint v = 0;
        for (; v + step <= vectors; v += step)
        {
            ScorePair<T, TLanes, TVector, TWidth>(ref x0, ref x1, ref x2, ref x3, ref Unsafe.Add(ref weights, 4 * v), ref Unsafe.Add(ref intercepts, 4 * v), d, stride, ref Unsafe.Add(ref scores, 4 * v));
        }

        if (v < vectors)
        {
            ScoreSingle<T, TLanes, TVector, TWidth>(ref x0, ref x1, ref x2, ref x3, ref Unsafe.Add(ref weights, 4 * v), ref Unsafe.Add(ref intercepts, 4 * v), d, stride, ref Unsafe.Add(ref scores, 4 * v));
        }
    }

    /// <summary>
    /// Two class vectors of four rows' scores: η[r, c] = b[c] + Σⱼ x_r[j]·W[j, c] for the 2·Count lanes c from
    /// <paramref name="weights"/>, written to <paramref name="scores"/> (row r at r·<paramref name="stride"/>).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ScorePair<T, TLanes, TVector, TWidth>(ref T x0, ref T x1, ref T x2, ref T x3, ref double weights, ref double intercepts, nuint d, nuint stride, ref double scores)
        where TLanes : struct, IDoubleLanes<T>
        where TVector : struct
        where TWidth : struct, IFeatureLanes<TVector>
    {
        var n = TWidth.Count;
        var b0 = TWidth.Load(ref intercepts, 0);
        var b1 = TWidth.Load(ref intercepts, n);
        TVector a00 = b0, a01 = b1, a10 = b0, a11 = b1, a20 = b0, a21 = b1, a30 = b0, a31 = b1;
        for (nuint j = 0; j < d; j++)
        {
            ref var wj = ref Unsafe.Add(ref weights, j * stride);
            var w0 = TWidth.Load(ref wj, 0);
            var w1 = TWidth.Load(ref wj, n);
            var x = TWidth.Broadcast(TLanes.Load(ref x0, j));
            a00 = TWidth.MultiplyAdd(x, w0, a00);
            a01 = TWidth.MultiplyAdd(x, w1, a01);
            x = TWidth.Broadcast(TLanes.Load(ref x1, j));
            a10 = TWidth.MultiplyAdd(x, w0, a10);
            a11 = TWidth.MultiplyAdd(x, w1, a11);
            x = TWidth.Broadcast(TLanes.Load(ref x2, j));
            a20 = TWidth.MultiplyAdd(x, w0, a20);
            a21 = TWidth.MultiplyAdd(x, w1, a21);
            x = TWidth.Broadcast(TLanes.Load(ref x3, j));
            a30 = TWidth.MultiplyAdd(x, w0, a30);
            a31 = TWidth.MultiplyAdd(x, w1, a31);
        }

        TWidth.Store(a00, ref scores, 0);
        TWidth.Store(a01, ref scores, n);
        TWidth.Store(a10, ref scores, stride);
        TWidth.Store(a11, ref scores, stride + n);
        TWidth.Store(a20, ref scores, 2 * stride);
        TWidth.Store(a21, ref scores, (2 * stride) + n);
        TWidth.Store(a30, ref scores, 3 * stride);
        TWidth.Store(a31, ref scores, (3 * stride) + n);
    }

    /// <summary>
    /// <see cref="ScorePair{T, TLanes, TVector, TWidth}"/> for one class vector (the last of an odd count); even and odd j
    /// in separate accumulators, so eight FMA chains are in flight as in the pair kernel (four would wait on the FMA latency).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ScoreSingle<T, TLanes, TVector, TWidth>(ref T x0, ref T x1, ref T x2, ref T x3, ref double weights, ref double intercepts, nuint d, nuint stride, ref double scores)
        where TLanes : struct, IDoubleLanes<T>
        where TVector : struct
        where TWidth : struct, IFeatureLanes<TVector>
    {
        var b0 = TWidth.Load(ref intercepts, 0);
        TVector a0 = b0, a1 = b0, a2 = b0, a3 = b0;
        TVector c0 = default, c1 = default, c2 = default, c3 = default;
        nuint j = 0;
        for (; j + 2 <= d; j += 2)
        {
            var w0 = TWidth.Load(ref weights, j * stride);
            var w1 = TWidth.Load(ref weights, (j + 1) * stride);
            a0 = TWidth.MultiplyAdd(TWidth.Broadcast(TLanes.Load(ref x0, j)), w0, a0);
            a1 = TWidth.MultiplyAdd(TWidth.Broadcast(TLanes.Load(ref x1, j)), w0, a1);
            a2 = TWidth.MultiplyAdd(TWidth.Broadcast(TLanes.Load(ref x2, j)), w0, a2);
            a3 = TWidth.MultiplyAdd(TWidth.Broadcast(TLanes.Load(ref x3, j)), w0, a3);
            c0 = TWidth.MultiplyAdd(TWidth.Broadcast(TLanes.Load(ref x0, j + 1)), w1, c0);
            c1 = TWidth.MultiplyAdd(TWidth.Broadcast(TLanes.Load(ref x1, j + 1)), w1, c1);
            c2 = TWidth.MultiplyAdd(TWidth.Broadcast(TLanes.Load(ref x2, j + 1)), w1, c2);
            c3 = TWidth.MultiplyAdd(TWidth.Broadcast(TLanes.Load(ref x3, j + 1)), w1, c3);
        }

        if (j < d)
        {
            var w0 = TWidth.Load(ref weights, j * stride);
            a0 = TWidth.MultiplyAdd(TWidth.Broadcast(TLanes.Load(ref x0, j)), w0, a0);
            a1 = TWidth.MultiplyAdd(TWidth.Broadcast(TLanes.Load(ref x1, j)), w0, a1);
            a2 = TWidth.MultiplyAdd(TWidth.Broadcast(TLanes.Load(ref x2, j)), w0, a2);
            a3 = TWidth.MultiplyAdd(TWidth.Broadcast(TLanes.Load(ref x3, j)), w0, a3);
        }

        TWidth.Store(TWidth.Add(a0, c0), ref scores, 0);
        TWidth.Store(TWidth.Add(a1, c1), ref scores, stride);
        TWidth.Store(TWidth.Add(a2, c2), ref scores, 2 * stride);
        TWidth.Store(TWidth.Add(a3, c3), ref scores, 3 * stride);
    }

    /// <summary>
    /// The gradient and intercept sums of four rows for the class vectors from <paramref name="gradientSums"/>: two class
    /// vectors at a time (<see cref="GradientPair{T, TLanes, TVector, TWidth}"/>), the last of an odd count alone;
    /// <paramref name="vectors"/> counts groups of four classes, as in <see cref="ScoresByClassVectors{T, TLanes, TVector, TWidth}"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void GradientsByClassVectors<T, TLanes, TVector, TWidth>(
        ref T x0, ref T x1, ref T x2, ref T x3, ref double derivatives, nuint stride, nuint d, ref double gradientSums, ref double interceptSums, nuint vectors)
        where TLanes : struct, IDoubleLanes<T>
        where TVector : struct
        where TWidth : struct, IFeatureLanes<TVector>
    {
        var step = 2 * (TWidth.Count / 4);
        nuint v = 0;
        for (; v + step <= vectors; v += step)
        {
            GradientPair<T, TLanes, TVector, TWidth>(ref x0, ref x1, ref x2, ref x3, ref Unsafe.Add(ref derivatives, 4 * v), stride, d, ref Unsafe.Add(ref gradientSums, 4 * v), ref Unsafe.Add(ref interceptSums, 4 * v));
        }

        if (v < vectors)
        {
            GradientSingle<T, TLanes, TVector, TWidth>(ref x0, ref x1, ref x2, ref x3, ref Unsafe.Add(ref derivatives, 4 * v), stride, d, ref Unsafe.Add(ref gradientSums, 4 * v), ref Unsafe.Add(ref interceptSums, 4 * v));
        }
    }

    /// <summary>
    /// Two class vectors of the gradient sums gain Σ_r x_r·d_rᵀ over four rows (row r's derivatives at r·<paramref name="stride"/>
    /// in <paramref name="derivatives"/>), and the intercept sums gain Σ_r d_r.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void GradientPair<T, TLanes, TVector, TWidth>(ref T x0, ref T x1, ref T x2, ref T x3, ref double derivatives, nuint stride, nuint d, ref double gradientSums, ref double interceptSums)
        where TLanes : struct, IDoubleLanes<T>
        where TVector : struct
        where TWidth : struct, IFeatureLanes<TVector>
    {
        var n = TWidth.Count;
        var d00 = TWidth.Load(ref derivatives, 0);
        var d01 = TWidth.Load(ref derivatives, n);
        var d10 = TWidth.Load(ref derivatives, stride);
        var d11 = TWidth.Load(ref derivatives, stride + n);
        var d20 = TWidth.Load(ref derivatives, 2 * stride);
        var d21 = TWidth.Load(ref derivatives, (2 * stride) + n);
        var d30 = TWidth.Load(ref derivatives, 3 * stride);
        var d31 = TWidth.Load(ref derivatives, (3 * stride) + n);
        TWidth.Store(TWidth.Add(TWidth.Load(ref interceptSums, 0), TWidth.Add(TWidth.Add(d00, d10), TWidth.Add(d20, d30))), ref interceptSums, 0);
        TWidth.Store(TWidth.Add(TWidth.Load(ref interceptSums, n), TWidth.Add(TWidth.Add(d01, d11), TWidth.Add(d21, d31))), ref interceptSums, n);
        for (nuint j = 0; j < d; j++)
        {
            ref var gj = ref Unsafe.Add(ref gradientSums, j * stride);
            var g0 = TWidth.Load(ref gj, 0);
            var g1 = TWidth.Load(ref gj, n);
            var x = TWidth.Broadcast(TLanes.Load(ref x0, j));
            g0 = TWidth.MultiplyAdd(x, d00, g0);
            g1 = TWidth.MultiplyAdd(x, d01, g1);
            x = TWidth.Broadcast(TLanes.Load(ref x1, j));
            g0 = TWidth.MultiplyAdd(x, d10, g0);
            g1 = TWidth.MultiplyAdd(x, d11, g1);
            x = TWidth.Broadcast(TLanes.Load(ref x2, j));
            g0 = TWidth.MultiplyAdd(x, d20, g0);
            g1 = TWidth.MultiplyAdd(x, d21, g1);
            x = TWidth.Broadcast(TLanes.Load(ref x3, j));
            g0 = TWidth.MultiplyAdd(x, d30, g0);
            g1 = TWidth.MultiplyAdd(x, d31, g1);
            TWidth.Store(g0, ref gj, 0);
            TWidth.Store(g1, ref gj, n);
        }
    }

    /// <summary><see cref="GradientPair{T, TLanes, TVector, TWidth}"/> for one class vector (the last of an odd count).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void GradientSingle<T, TLanes, TVector, TWidth>(ref T x0, ref T x1, ref T x2, ref T x3, ref double derivatives, nuint stride, nuint d, ref double gradientSums, ref double interceptSums)
        where TLanes : struct, IDoubleLanes<T>
        where TVector : struct
        where TWidth : struct, IFeatureLanes<TVector>
    {
        var d0 = TWidth.Load(ref derivatives, 0);
        var d1 = TWidth.Load(ref derivatives, stride);
        var d2 = TWidth.Load(ref derivatives, 2 * stride);
        var d3 = TWidth.Load(ref derivatives, 3 * stride);
        TWidth.Store(TWidth.Add(TWidth.Load(ref interceptSums, 0), TWidth.Add(TWidth.Add(d0, d1), TWidth.Add(d2, d3))), ref interceptSums, 0);
        for (nuint j = 0; j < d; j++)
        {
            ref var gj = ref Unsafe.Add(ref gradientSums, j * stride);
            var g0 = TWidth.MultiplyAdd(TWidth.Broadcast(TLanes.Load(ref x0, j)), d0, TWidth.Load(ref gj, 0));
            g0 = TWidth.MultiplyAdd(TWidth.Broadcast(TLanes.Load(ref x1, j)), d1, g0);
            g0 = TWidth.MultiplyAdd(TWidth.Broadcast(TLanes.Load(ref x2, j)), d2, g0);
            TWidth.Store(TWidth.MultiplyAdd(TWidth.Broadcast(TLanes.Load(ref x3, j)), d3, g0), ref gj, 0);
        }
    }

    /// <summary>
    /// Replaces one row's scores by e^(η − max) (each ≤ 1, so |η| up to any finite size does not overflow), returns
    /// max − η_label and their sum z ∈ [1, K] in <paramref name="sum"/>; the caller scales them by weight/z.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double RowExponentials(ref double eta, nuint vectors, int label, Vector256<double> padMask, out double sum)
    {
        // The padded lanes of the last live vector hold finite scores (0 or a product with W's zero padding); the
        // maximum sees them as −∞.
        var max = Vector256.ConditionalSelect(padMask, Vector256.Create(double.NegativeInfinity), Vector256.LoadUnsafe(ref eta, 4 * (vectors - 1)));
        for (nuint v = 0; v + 1 < vectors; v++)
        {
            max = Vector256.Max(max, Vector256.LoadUnsafe(ref eta, 4 * v));
        }

        var labelScore = Unsafe.Add(ref eta, label);
        var m = Math.Max(Math.Max(max.GetElement(0), max.GetElement(1)), Math.Max(max.GetElement(2), max.GetElement(3)));
        var shift = Vector256.Create(m);
        var total = Vector256<double>.Zero;
        for (nuint v = 0; v < vectors; v++)
        {
            // The padded lanes are exponentiated as e⁰ and then masked to 0: their e^−∞ would underflow, and a result
            // that underflows costs a microcode assist of about a hundred cycles on x64 (it did, on every row).
            var shifted = Vector256.LoadUnsafe(ref eta, 4 * v) - shift;
            var p = v == vectors - 1
                ? Vector256.AndNot(VectorMath.ExpOfNonPositive(Vector256.ConditionalSelect(padMask, Vector256<double>.Zero, shifted)), padMask)
                : VectorMath.ExpOfNonPositive(shifted);
            total += p;
            p.StoreUnsafe(ref eta, 4 * v);
        }

        sum = Vector256.Sum(total);
        return m - labelScore;
    }
}
