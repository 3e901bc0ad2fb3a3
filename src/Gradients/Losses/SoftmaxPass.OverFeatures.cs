using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Gradients;

/// <summary>
/// The layout vectorized over the features, for D ≥ <see cref="MinDimensionOverFeatures"/> and up to 64 classes (and
/// from D = 4 for fewer, see <see cref="IsOverFeatures{T, TLanes}"/>): W is held
/// transposed (Wᵀ, K′×D with K′ = 2⌈K/2⌉), each row's scores are dot products over D
/// (vectors of x times vectors of a Wᵀ row, reduced once per row and class, four rows of a class into one vector), and
/// the gradient sums are held as Gᵀ
/// (K′×D) gaining dₖ·x, a vector of x at a time.
/// <para>
/// The scores are taken relative to class 0: softmax(η) = softmax(η − η₀·1), so with weights wₖ − w₀ and intercepts
/// bₖ − b₀ (<see cref="PadWeights{T, TLanes}"/>) class 0's score is 0 and needs no products, and the loss
/// lse(η) − η_y is the same for the shifted scores. Each row's derivatives sum to 0, so class 0's gradient sums are
/// minus the sum of the others' (<see cref="ReferenceClassSums"/>) and need no products either: K − 1 classes of
/// products instead of K. At K = 10 and D = 128 this issues 2·(K − 1)·D/8 = 288 vector FMAs per row with 512-bit
/// vectors (320 with all K classes, 512 with the classes padded to 16 lanes); there is no padding lane to waste.
/// Measured (docs/benchmarks.md, "Softmax: scores relative to class 0"): 6 % less time at K = 10, D = 128 with X in
/// L2, 4 % from memory; 11–16 % at K = 3.
/// </para>
/// Rows go four at a time (as in the class-vectorized kernels), and the classes two or four at a time (the first one
/// alone when K − 1 is odd), so each vector
/// of x loaded serves two or four classes and each vector of Wᵀ and Gᵀ four rows (the 256-bit kernels, with 16
/// registers, take two classes). With 256-bit vectors and all K classes the count was 640 against 768, and measured no
/// faster than the class-vectorized kernels (docs/benchmarks.md); with 512-bit ones 15–25 % faster at K = 10.
/// The softmax between the two products runs over a block's four rows at once (see <see cref="ChunkOverFeatures{T, TLanes}"/>).
/// D ≥ 8 is measured (docs/benchmarks.md, "Softmax: its arithmetic floor, and the feature layout from D = 8"): from D = 8 on, this layout was faster than the
/// class-vectorized one at every D and K ≤ 64 tried, with or without AVX-512 (at 20,000 rows, K = 10: D = 8 63 → 38 ns
/// per row, D = 16 70 → 44, D = 24 81 → 49), once the last D mod 8 features were vectorized too (before that, D = 15 and
/// D = 31 were slower than the class layout). Below D = 8 every feature is in the tails, and the layout is faster for
/// few classes only: from D = 4 with D·K ≤ 60 (docs/benchmarks.md, "Softmax: the feature layout below D = 8"; at 20,000
/// rows, D = 4: K = 3 36 → 27 ns per row, K = 10 58 → 45). Beyond K = 64 the class padding is at most a tenth.
/// </summary>
internal static partial class SoftmaxPass
{
    /// <summary>The least D for the feature-vectorized layout with up to <see cref="MaxClassesOverFeatures"/> classes: one whole 512-bit vector per dot product (measured, see the class remarks).</summary>
    private const int MinDimensionOverFeatures = 8;

    /// <summary>
    /// The least D for the feature-vectorized layout with few classes: every feature is then in the tails, and the
    /// gradient sums' tail takes four features of a row of Gᵀ at a time, which needs D ≥ 4 to stay inside the row.
    /// </summary>
    private const int MinDimensionOverFeaturesForFewClasses = 4;

    /// <summary>
    /// The most D·K for the feature-vectorized layout below <see cref="MinDimensionOverFeatures"/> (measured: at D = 4…7
    /// it was faster with K = 2, 3 and 5 everywhere, and with K = 10 up to D = 6; alike at D·K = 48…70; slower from K = 20).
    /// </summary>
    private const int MaxProductOverFeaturesForFewClasses = 60;

    /// <summary>
    /// The most classes for the feature-vectorized layout; beyond, the classes fill vectors with little padding and
    /// the class-vectorized kernels need no reduction per class.
    /// </summary>
    private const int MaxClassesOverFeatures = 64;

    /// <summary>
    /// Whether the pass runs vectorized over the features (W and the gradient sums transposed inside the pass): a
    /// function of D, K, the element type and the machine only, so the one-shot call and the accumulator choose alike.
    /// </summary>
    internal static bool IsOverFeatures<T, TLanes>(int dimension, int classes)
        where TLanes : struct, IDoubleLanes<T> =>
        TLanes.IsVectorizable && Vector256.IsHardwareAccelerated && Avx.IsSupported && classes <= MaxClassesOverFeatures
        && (dimension >= MinDimensionOverFeatures
            || (dimension >= MinDimensionOverFeaturesForFewClasses && dimension * classes <= MaxProductOverFeaturesForFewClasses));

    /// <summary>K′ = 2⌈K/2⌉: the rows of Wᵀ and Gᵀ (the class kernels take two or four classes).</summary>
    private static int EvenClasses(int classes) => (classes + 1) & ~1;

    /// <summary>
    /// Rewrites Gᵀ (K′×D, at the start of <paramref name="gradientSums"/>) as the D×Kp layout the callers read, the
    /// padding 0; <paramref name="scratch"/> holds at least K′·D doubles. The values are moved, not summed, so the
    /// result is the same bit for bit whichever layout the sums were formed in.
    /// </summary>
    private static void TransposeGradientSums(Span<double> gradientSums, Span<double> scratch, int dimension, int classes)
    {
        var kp = PaddedClasses(classes);
        var transposed = scratch[..(EvenClasses(classes) * dimension)];
        gradientSums[..transposed.Length].CopyTo(transposed);
        gradientSums.Clear();
        for (var k = 0; k < classes; k++)
        {
            for (var j = 0; j < dimension; j++)
            {
                gradientSums[(j * kp) + k] = transposed[(k * dimension) + j];
            }
        }
    }

    /// <summary>x[j…j+7] as doubles (a float row is widened four elements at a time).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<double> LoadFeatures512<T, TLanes>(ref T x, nuint j)
        where TLanes : struct, IDoubleLanes<T> =>
        typeof(T) == typeof(double)
            ? Vector512.LoadUnsafe(ref Unsafe.As<T, double>(ref x), j)
            : Vector512.Create(TLanes.Load256(ref x, j), TLanes.Load256(ref x, j + 4));

    /// <summary>The sums of the lanes of four vectors, as one vector [Σa, Σb, Σc, Σd].</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> SumEach(Vector256<double> a, Vector256<double> b, Vector256<double> c, Vector256<double> d)
    {
        var ab = Avx.HorizontalAdd(a, b);
        var cd = Avx.HorizontalAdd(c, d);
        return Avx.Permute2x128(ab, cd, 0x20) + Avx.Permute2x128(ab, cd, 0x31);
    }

    /// <summary>The sums of the lanes of two vectors, as one vector [Σa, Σb].</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<double> SumEach(Vector256<double> a, Vector256<double> b)
    {
        var ab = Avx.HorizontalAdd(a, b);
        return ab.GetLower() + ab.GetUpper();
    }

    /// <summary>
    /// The sums of the lanes of eight vectors, as one vector [Σa, Σb, …, Σh]: a transposing tree of three levels, each
    /// adding two shuffles of a pair of vectors (14 shuffles and 7 additions, against 20 and 14 for two 256-bit halves
    /// reduced four vectors at a time).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<double> SumEach(
        Vector512<double> a, Vector512<double> b, Vector512<double> c, Vector512<double> d,
        Vector512<double> e, Vector512<double> f, Vector512<double> g, Vector512<double> h)
    {
        // Within 128-bit blocks: [a₀+a₁, b₀+b₁ | a₂+a₃, b₂+b₃ | …].
        var ab = Avx512F.UnpackLow(a, b) + Avx512F.UnpackHigh(a, b);
        var cd = Avx512F.UnpackLow(c, d) + Avx512F.UnpackHigh(c, d);
        var ef = Avx512F.UnpackLow(e, f) + Avx512F.UnpackHigh(e, f);
        var gh = Avx512F.UnpackLow(g, h) + Avx512F.UnpackHigh(g, h);

        // Blocks 0 + 1 and 2 + 3 of each pair: [ab, ab | cd, cd], then [ab | cd | ef | gh].
        var abcd = Avx512F.Shuffle4x128(ab, cd, 0b10_00_10_00) + Avx512F.Shuffle4x128(ab, cd, 0b11_01_11_01);
        var efgh = Avx512F.Shuffle4x128(ef, gh, 0b10_00_10_00) + Avx512F.Shuffle4x128(ef, gh, 0b11_01_11_01);
        return Avx512F.Shuffle4x128(abcd, efgh, 0b10_00_10_00) + Avx512F.Shuffle4x128(abcd, efgh, 0b11_01_11_01);
    }

    /// <summary>[b_k, b_k, b_k, b_k, b_k+1, b_k+1, b_k+1, b_k+1]: two classes' intercepts for four rows each.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<double> ClassPair(ref double intercepts) =>
        Vector512.Create(Vector256.Create(intercepts), Vector256.Create(Unsafe.Add(ref intercepts, 1)));

    /// <summary>
    /// One chunk of rows in this layout: overwrites its gradient sums (as Gᵀ) and intercept sums. A block's scores, and
    /// then its derivatives, are held class-major (row r of class k at 4k + r), so the softmax runs over the four rows at
    /// once, one vector per class (see <see cref="BlockSoftmax{T, TLanes}"/>). The blocks are software-pipelined: each
    /// step takes the softmax of block b, then the scores of block b + 1, then the gradient sums of block b. The softmax
    /// is a chain of dependent operations (maximum, exponential, sum, log, division) that the gradient products wait
    /// for; with the next block's score products behind it, which do not depend on it, the core has independent work
    /// to run while the chain completes. The scores of two blocks are held at once (two buffers, alternating).
    /// </summary>
    [SkipLocalsInit]
    private static unsafe Sums ChunkOverFeatures<T, TLanes>(
        ReadOnlySpan<T> features, ReadOnlySpan<int> labels, ReadOnlySpan<double> transposedWeights, ReadOnlySpan<double> paddedIntercepts,
        int dimension, int classes, ReadOnlySpan<T> sampleWeights, Span<double> gradientSums, Span<double> interceptSums)
        where TLanes : struct, IDoubleLanes<T>
    {
        gradientSums.Clear();
        interceptSums.Clear();
        if (labels.IsEmpty)
        {
            return default;
        }

        // Wᵀ, Gᵀ and the rows of the two blocks in flight, in a pinned scratch where each starts on a 64-byte line (and
        // each row too: the rows are padded to whole lines): a 512-bit load or store across two lines takes two
        // accesses, and x (at whatever offset the caller's array has), Wᵀ and Gᵀ are read, and Gᵀ written, at the rate of
        // the FMAs. Copying a block's rows costs one load and one store per 8 features, against six loads of each vector
        // of x by the products; a float row is widened once there instead of at every load. The values and the order of
        // every operation are the same as on the caller's arrays, so no bit depends on where they lie.
        // Past MaxScratchLength (large D·K′, where Wᵀ and Gᵀ outgrow the caches anyway) the products read the caller's
        // rows, Wᵀ and Gᵀ in place, with the same operations in the same order.
        var even = EvenClasses(classes);
        var length = even * dimension;
        var stride = (length + 7L) & ~7L;
        var paddedRow = (dimension + 7L) & ~7L;
        var used = (2 * stride) + (8 * paddedRow) + 8;
        if (used > MaxScratchLength)
        {
            return ChunkOverFeaturesCore<T, TLanes>(
                features, labels, transposedWeights, paddedIntercepts, dimension, classes, sampleWeights, gradientSums, interceptSums, [], 0);
        }

        var scratch = ArrayPool<double>.Shared.Rent((int)used);
        Sums sums;
        fixed (double* pinned = scratch)
        {
            var skip = (int)(((64 - ((nuint)pinned & 63)) & 63) / sizeof(double));
            var alignedWeights = scratch.AsSpan(skip, length);
            var alignedSums = scratch.AsSpan(skip + (int)stride, length);
            var rowCopies = scratch.AsSpan(skip + (int)(2 * stride), (int)(8 * paddedRow));
            transposedWeights[..length].CopyTo(alignedWeights);
            alignedSums.Clear();
            sums = ChunkOverFeaturesCore<T, TLanes>(
                features, labels, alignedWeights, paddedIntercepts, dimension, classes, sampleWeights, alignedSums, interceptSums, rowCopies, (nuint)paddedRow);
            alignedSums.CopyTo(gradientSums);
        }

        ScratchBuffer.ReturnCleared(scratch, (int)used);
        return sums;
    }

    /// <summary>
    /// The most doubles <see cref="ChunkOverFeatures{T, TLanes}"/> copies Wᵀ, Gᵀ and the rows in flight into (8 MB; at
    /// K′ = 10, D up to about 40,000).
    /// </summary>
    private const long MaxScratchLength = 1L << 20;

    /// <summary>
    /// <see cref="ChunkOverFeatures{T, TLanes}"/> over Wᵀ and Gᵀ (cleared), each block's rows copied to
    /// <paramref name="rowCopies"/> (two blocks of four rows of <paramref name="paddedRow"/> doubles) before its products,
    /// or read in place where <paramref name="rowCopies"/> is empty.
    /// </summary>
    [SkipLocalsInit]
    private static Sums ChunkOverFeaturesCore<T, TLanes>(
        ReadOnlySpan<T> features, ReadOnlySpan<int> labels, ReadOnlySpan<double> transposedWeights, ReadOnlySpan<double> paddedIntercepts,
        int dimension, int classes, ReadOnlySpan<T> sampleWeights, Span<double> gradientSums, Span<double> interceptSums,
        Span<double> rowCopies, nuint paddedRow)
        where TLanes : struct, IDoubleLanes<T>
    {
        var sums = default(Sums);
        var rows = labels.Length;
        var d = (nuint)dimension;
        var even = EvenClasses(classes);
        ref var x = ref MemoryMarshal.GetReference(features);
        ref var w = ref MemoryMarshal.GetReference(transposedWeights);
        ref var b = ref MemoryMarshal.GetReference(paddedIntercepts);
        ref var g = ref MemoryMarshal.GetReference(gradientSums);
        ref var s = ref MemoryMarshal.GetReference(sampleWeights);
        ref var copies = ref MemoryMarshal.GetReference(rowCopies);
        var weighted = !sampleWeights.IsEmpty;

        // Two blocks of K′ ≤ 64 classes of four rows: 2 KB each. A padded class's derivatives stay 0.
        var blockLength = (nuint)(4 * even);
        Span<double> blocks = stackalloc double[8 * even];
        Span<double> interceptLanes = stackalloc double[4 * even];
        blocks.Clear();
        interceptLanes.Clear();
        ref var e = ref MemoryMarshal.GetReference(blocks);
        ref var lanes = ref MemoryMarshal.GetReference(interceptLanes);
        var rowBytes = d * (nuint)Unsafe.SizeOf<T>();
        var copyLength = 4 * paddedRow;

        // The first block's rows and scores; each step then does the next block's. A row past a short block is its
        // first row again (it gets weight 0, so its derivatives are 0).
        var copied = !rowCopies.IsEmpty;
        var none = default(PrefetchCursor);
        ScoresOfBlock<T, TLanes>(ref x, Math.Min(4, rows), d, ref w, ref b, dimension, classes, ref copies, paddedRow, copied, ref e, ref none);
        nuint current = 0;
        nuint currentCopy = 0;
        for (var row = 0; row < rows; row += 4)
        {
            var count = Math.Min(4, rows - row);
            ref var x0 = ref Unsafe.Add(ref x, (nuint)row * d);
            ref var block = ref Unsafe.Add(ref e, current);

            // The rows of the block after next (the next block's rows are read in this step), a share before the softmax
            // and before each class group's products (see PrefetchCursor), and a touch of the pages further ahead (see
            // PrefetchPages).
            var prefetch = new PrefetchCursor(ref Unsafe.As<T, byte>(ref Unsafe.Add(ref x0, 8 * d)), 4 * rowBytes, 1 + (2 * ClassGroups(classes)));
            PrefetchPages(ref x0, 4 * rowBytes);
            prefetch.Advance();
            BlockSoftmax<T, TLanes>(ref block, ref lanes, labels, row, classes, ref s, weighted, ref sums);

            var next = row + 4;
            if (next < rows)
            {
                ScoresOfBlock<T, TLanes>(
                    ref Unsafe.Add(ref x0, 4 * d), Math.Min(4, rows - next), d, ref w, ref b, dimension, classes,
                    ref Unsafe.Add(ref copies, copyLength - currentCopy), paddedRow, copied, ref Unsafe.Add(ref e, blockLength - current), ref prefetch);
            }

            if (copied)
            {
                ref var c0 = ref Unsafe.Add(ref copies, currentCopy);
                GradientsOverFeatures<double, DoubleElements>(
                    ref c0, ref Unsafe.Add(ref c0, count > 1 ? paddedRow : 0), ref Unsafe.Add(ref c0, count > 2 ? 2 * paddedRow : 0),
                    ref Unsafe.Add(ref c0, count > 3 ? 3 * paddedRow : 0), ref block, dimension, classes, ref g, ref prefetch);
            }
            else
            {
                GradientsOverFeatures<T, TLanes>(
                    ref x0, ref Unsafe.Add(ref x0, count > 1 ? d : 0), ref Unsafe.Add(ref x0, count > 2 ? 2 * d : 0),
                    ref Unsafe.Add(ref x0, count > 3 ? 3 * d : 0), ref block, dimension, classes, ref g, ref prefetch);
            }

            prefetch.Finish();
            current = blockLength - current;
            currentCopy = copyLength - currentCopy;
        }

        ReferenceClassSums(gradientSums, dimension, classes);
        for (var k = 0; k < classes; k++)
        {
            var lane = Vector256.LoadUnsafe(ref lanes, 4 * (nuint)k);
            interceptSums[k] = (lane.GetElement(0) + lane.GetElement(1)) + (lane.GetElement(2) + lane.GetElement(3));
        }

        return sums;
    }

    /// <summary>
    /// Row 0 of Gᵀ, class 0's gradient sums, which the products skip: Σᵢ dᵢ₀·xᵢ = −Σ_{k&gt;0} Σᵢ dᵢₖ·xᵢ, because each row's
    /// derivatives sum to 0 (Σₖ softmax(η)ₖ = 1 = Σₖ onehot(y)ₖ). Formed per chunk, 0 − row 1 − row 2 − … in class order,
    /// so it is the same for any thread count and in the accumulator. Error: each row's computed derivatives sum to
    /// sᵢ·O(K·u) instead of 0 (u = 2⁻⁵³; each p = e·(s/z) is rounded twice, and z and e^(η − max) carry a few ulps each),
    /// so row 0 is off by about K·u·Σᵢ sᵢ·|xᵢ| beyond the K − 1 sums' own rounding errors, against u·Σᵢ sᵢ·|dᵢ₀·xᵢ| for a
    /// sum formed directly: the same order of size wherever class 0's derivatives are not tiny.
    /// </summary>
    private static void ReferenceClassSums(Span<double> transposedGradientSums, int dimension, int classes)
    {
        var reference = transposedGradientSums[..dimension];
        for (var k = 1; k < classes; k++)
        {
            System.Numerics.Tensors.TensorPrimitives.Subtract(reference, transposedGradientSums.Slice(k * dimension, dimension), reference);
        }
    }

    /// <summary>
    /// The scores of the block of <paramref name="count"/> rows from <paramref name="x0"/> (a row past them is the
    /// first again): its rows copied to <paramref name="copy"/> first where <paramref name="copied"/>, else read in place.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ScoresOfBlock<T, TLanes>(
        ref T x0, int count, nuint d, ref double transposedWeights, ref double intercepts, int dimension, int classes,
        ref double copy, nuint paddedRow, bool copied, ref double scores, ref PrefetchCursor prefetch)
        where TLanes : struct, IDoubleLanes<T>
    {
        if (copied)
        {
            CopyRows<T, TLanes>(ref x0, count, d, paddedRow, ref copy);
            ScoresOverFeatures<double, DoubleElements>(
                ref copy, ref Unsafe.Add(ref copy, count > 1 ? paddedRow : 0), ref Unsafe.Add(ref copy, count > 2 ? 2 * paddedRow : 0),
                ref Unsafe.Add(ref copy, count > 3 ? 3 * paddedRow : 0), ref transposedWeights, ref intercepts, dimension, classes, ref scores, ref prefetch);
        }
        else
        {
            ScoresOverFeatures<T, TLanes>(
                ref x0, ref Unsafe.Add(ref x0, count > 1 ? d : 0), ref Unsafe.Add(ref x0, count > 2 ? 2 * d : 0),
                ref Unsafe.Add(ref x0, count > 3 ? 3 * d : 0), ref transposedWeights, ref intercepts, dimension, classes, ref scores, ref prefetch);
        }
    }

    /// <summary>
    /// The class groups each of the score and gradient kernels takes per block of the classes 1…K−1: one class if they
    /// are odd, then four (or a last two) with 512-bit vectors, two without.
    /// </summary>
    private static int ClassGroups(int classes)
    {
        var computed = classes - 1;
        var paired = computed & ~1;
        return (computed & 1) + (Vector512.IsHardwareAccelerated ? (paired + 3) / 4 : paired / 2);
    }

    /// <summary>
    /// Prefetches a run of bytes a share at a time (<see cref="Advance"/> before the softmax and before each class group's
    /// products): the next block's lines, asked for in one burst, would hold every line-fill buffer at once while the
    /// products' own misses wait; spread over the step, they go out at about the rate the step consumes lines.
    /// </summary>
    private unsafe struct PrefetchCursor
    {
        private nuint _next;
        private readonly nuint _end;
        private readonly nuint _share;

        public PrefetchCursor(ref byte start, nuint bytes, int shares)
        {
            _next = (nuint)Unsafe.AsPointer(ref start);
            _end = _next + bytes;
            _share = ((bytes + (nuint)shares - 1) / (nuint)shares + 63) & ~(nuint)63;
        }

        /// <summary>Asks for the next share of lines.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Advance()
        {
            if (!Sse.IsSupported)
            {
                return;
            }

            var stop = Math.Min(_next + _share, _end);
            for (var at = _next; at < stop; at += 64)
            {
                Sse.Prefetch0((void*)at);
            }

            _next = stop;
        }

        /// <summary>Asks for the lines not yet asked for.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Finish()
        {
            while (_next < _end)
            {
                Advance();
            }
        }
    }

    /// <summary>Copies <paramref name="count"/> rows of D elements, as doubles, to rows <paramref name="paddedRow"/> apart.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void CopyRows<T, TLanes>(ref T source, int count, nuint d, nuint paddedRow, ref double destination)
        where TLanes : struct, IDoubleLanes<T>
    {
        for (nuint r = 0; r < (nuint)count; r++)
        {
            ref var from = ref Unsafe.Add(ref source, r * d);
            ref var to = ref Unsafe.Add(ref destination, r * paddedRow);
            nuint j = 0;
            if (Vector512.IsHardwareAccelerated)
            {
                for (; j + 8 <= d; j += 8)
                {
                    LoadFeatures512<T, TLanes>(ref from, j).StoreUnsafe(ref to, j);
                }
            }

            for (; j + 4 <= d; j += 4)
            {
                TLanes.Load256(ref from, j).StoreUnsafe(ref to, j);
            }

            for (; j < d; j++)
            {
                Unsafe.Add(ref to, j) = TLanes.Load(ref from, j);
            }
        }
    }

    /// <summary>
    /// The softmax of one block of four rows (rows <paramref name="row"/>…+3 of the chunk), in place: the scores
    /// (class-major, row r of class k at 4k + r) become the derivatives d = weight·(softmax(η) − onehot(y)), the intercept
    /// sums' lanes gain them, and the loss gains the rows' weighted terms. The maximum, the exponentials and their sum are
    /// lane-wise, with no reduction across a row's classes, no padded lane to mask, and one exponential per class and four
    /// rows; only the label's score is read row by row.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void BlockSoftmax<T, TLanes>(
        ref double e, ref double lanes, ReadOnlySpan<int> labels, int row, int classes, ref T s, bool weighted, ref Sums sums)
        where TLanes : struct, IDoubleLanes<T>
    {
        var rows = labels.Length;
        var count = Math.Min(4, rows - row);
        var paired = Vector512.IsHardwareAccelerated ? (nuint)(classes & ~1) : 0;

        // The rows' labels (an invalid one counts as class 0 and is reported after the pass) and weights; a row past
        // a short block repeats the first row's x and gets weight 0, so its derivatives are 0.
        var y0 = ClassOf(labels, row, classes, ref sums.HasInvalidLabel);
        var y1 = ClassOf(labels, row + 1, classes, ref sums.HasInvalidLabel);
        var y2 = ClassOf(labels, row + 2, classes, ref sums.HasInvalidLabel);
        var y3 = ClassOf(labels, row + 3, classes, ref sums.HasInvalidLabel);
        var weights4 = Vector256.Create(
            RowWeight<T, TLanes>(ref s, weighted, row, rows),
            RowWeight<T, TLanes>(ref s, weighted, row + 1, rows),
            RowWeight<T, TLanes>(ref s, weighted, row + 2, rows),
            RowWeight<T, TLanes>(ref s, weighted, row + 3, rows));
        var labelScores = Vector256.Create(
            Unsafe.Add(ref e, 4 * y0), Unsafe.Add(ref e, (4 * y1) + 1), Unsafe.Add(ref e, (4 * y2) + 2), Unsafe.Add(ref e, (4 * y3) + 3));

        // Per row: e^(η − max) in place of the scores (each ≤ 1, so no finite η overflows), their sum z ∈ [1, K],
        // then one vector log and one division for the four rows. With 512-bit vectors two classes at a time (the
        // pairs of classes 0…2⌊K/2⌋ − 1, class-major, are whole 512-bit vectors), the last of an odd K alone.
        var max = Vector256.LoadUnsafe(ref e);
        var first = (nuint)1;
        if (paired > 0)
        {
            var max8 = Vector512.LoadUnsafe(ref e);
            for (nuint k = 2; k < paired; k += 2)
            {
                max8 = Vector512.Max(max8, Vector512.LoadUnsafe(ref e, 4 * k));
            }

            max = Vector256.Max(max8.GetLower(), max8.GetUpper());
            first = paired;
        }

        for (var k = first; k < (nuint)classes; k++)
        {
            max = Vector256.Max(max, Vector256.LoadUnsafe(ref e, 4 * k));
        }

        var z = Vector256<double>.Zero;
        if (paired > 0)
        {
            var shift = Vector512.Create(max, max);
            var z8 = Vector512<double>.Zero;
            for (nuint k = 0; k < paired; k += 2)
            {
                var p = VectorMath.ExpOfNonPositive(Vector512.LoadUnsafe(ref e, 4 * k) - shift);
                z8 += p;
                p.StoreUnsafe(ref e, 4 * k);
            }

            z = z8.GetLower() + z8.GetUpper();
        }

        for (var k = paired; k < (nuint)classes; k++)
        {
            var p = VectorMath.ExpOfNonPositive(Vector256.LoadUnsafe(ref e, 4 * k) - max);
            z += p;
            p.StoreUnsafe(ref e, 4 * k);
        }

        // (max − η_y) + log z: the large terms cancel first, so a row whose label has the top score of 700 loses nothing.
        var terms = weights4 * ((max - labelScores) + VectorMath.LogOfAtLeastOne(z));
        for (var r = 0; r < count; r++)
        {
            sums.Loss += terms.GetElement(r);
        }

        // d = p·(weight/z) − weight·onehot(y), and the intercept sums' lanes gain it.
        var scale = weights4 / z;
        var labels4 = Vector256.Create((long)y0, y1, y2, y3);
        if (paired > 0)
        {
            var scale8 = Vector512.Create(scale, scale);
            var weights8 = Vector512.Create(weights4, weights4);
            var labels8 = Vector512.Create(labels4, labels4);
            var pairClasses = Vector512.Create(0L, 0L, 0L, 0L, 1L, 1L, 1L, 1L);
            for (nuint k = 0; k < paired; k += 2)
            {
                var isLabel = Vector512.Equals(labels8, pairClasses + Vector512.Create((long)k)).AsDouble();
                var derivative = (Vector512.LoadUnsafe(ref e, 4 * k) * scale8) - (weights8 & isLabel);
                derivative.StoreUnsafe(ref e, 4 * k);
                (Vector512.LoadUnsafe(ref lanes, 4 * k) + derivative).StoreUnsafe(ref lanes, 4 * k);
            }
        }

        for (var k = paired; k < (nuint)classes; k++)
        {
            var isLabel = Vector256.Equals(labels4, Vector256.Create((long)k)).AsDouble();
            var derivative = (Vector256.LoadUnsafe(ref e, 4 * k) * scale) - (weights4 & isLabel);
            derivative.StoreUnsafe(ref e, 4 * k);
            (Vector256.LoadUnsafe(ref lanes, 4 * k) + derivative).StoreUnsafe(ref lanes, 4 * k);
        }

        if (classes < EvenClasses(classes))
        {
            Vector256<double>.Zero.StoreUnsafe(ref e, 4 * (nuint)classes);
        }
    }

    /// <summary>
    /// How far ahead of the block being computed <see cref="PrefetchPages{T}"/> touches X: 32 KB, eight blocks at D = 128.
    /// </summary>
    private const nuint PageTouchDistance = 32 * 1024;

    /// <summary>
    /// Touches one line per 4 KB page of the <paramref name="bytes"/> that lie <see cref="PageTouchDistance"/> past
    /// <paramref name="start"/>, as a hint into L2. The line-by-line prefetch of the next block into L1 holds a line-fill
    /// buffer per line for the whole memory latency (16 of them), which caps it below what this VM's memory delivers to
    /// the read-only pass (whose sequential loads the L2 streamer follows); a request into a page far enough ahead starts
    /// that streamer on the page, so the next-block prefetch then finds its lines in L2. Measured at 100,000×128, K = 10:
    /// ~15 % less time (docs/benchmarks.md); without the next-block prefetch the page touch alone was slower than either.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void PrefetchPages<T>(ref T start, nuint bytes)
    {
        if (!Sse.IsSupported)
        {
            return;
        }

        var at = (byte*)Unsafe.AsPointer(ref start) + PageTouchDistance;
        for (nuint offset = 0; offset < bytes; offset += 4096)
        {
            Sse.Prefetch2(at + offset);
        }
    }

    /// <summary>Row <paramref name="index"/>'s class (0 past the chunk's rows, or for a label outside 0…K−1, which is flagged).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int ClassOf(ReadOnlySpan<int> labels, int index, int classes, ref bool hasInvalidLabel)
    {
        if (index >= labels.Length)
        {
            return 0;
        }

        var label = labels[index];
        var valid = (uint)label < (uint)classes;
        hasInvalidLabel |= !valid;
        return valid ? label : 0;
    }

    /// <summary>Row <paramref name="index"/>'s sample weight (1 without sample weights; 0 past the chunk's rows).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double RowWeight<T, TLanes>(ref T sampleWeights, bool weighted, int index, int rows)
        where TLanes : struct, IDoubleLanes<T> =>
        index >= rows ? 0.0 : weighted ? TLanes.Load(ref sampleWeights, (nuint)index) : 1.0;

    /// <summary>
    /// Four rows' scores relative to class 0, η[r, k] = b[k] + Σⱼ x_r[j]·Wᵀ[k, j] for 0 &lt; k &lt; K with the weights and
    /// intercepts relative to class 0 (see <see cref="PadWeights{T, TLanes}"/>), and η[r, 0] = 0, written class-major
    /// to <paramref name="scores"/> (row r of class k at 4k + r). The classes 1…K−1 go one at a time if their count is
    /// odd, then four (or two) at a time.
    /// </summary>
    private static void ScoresOverFeatures<T, TLanes>(
        ref T x0, ref T x1, ref T x2, ref T x3, ref double transposedWeights, ref double intercepts, int dimension, int classes, ref double scores,
        ref PrefetchCursor prefetch)
        where TLanes : struct, IDoubleLanes<T>
    {
        var d = (nuint)dimension;
        var end = (nuint)classes;
        Vector256<double>.Zero.StoreUnsafe(ref scores);
        nuint k = 1;
        nuint full;
        if (Vector512.IsHardwareAccelerated)
        {
            full = d & ~(nuint)7;
            if (((end - k) & 1) != 0)
            {
                prefetch.Advance();
                FeatureScoresSingle<T, TLanes, Vector512<double>, Lanes512>(ref x0, ref x1, ref x2, ref x3, ref Unsafe.Add(ref transposedWeights, k * d), full, Unsafe.Add(ref intercepts, k), ref Unsafe.Add(ref scores, 4 * k));
                k++;
            }

            for (; k + 4 <= end; k += 4)
            {
                prefetch.Advance();
                FeatureScoresQuad<T, TLanes, Vector512<double>, Lanes512>(ref x0, ref x1, ref x2, ref x3, ref Unsafe.Add(ref transposedWeights, k * d), d, full, ref Unsafe.Add(ref intercepts, k), ref Unsafe.Add(ref scores, 4 * k));
            }

            if (k < end)
            {
                prefetch.Advance();
                FeatureScoresPair<T, TLanes, Vector512<double>, Lanes512>(ref x0, ref x1, ref x2, ref x3, ref Unsafe.Add(ref transposedWeights, k * d), d, full, ref Unsafe.Add(ref intercepts, k), ref Unsafe.Add(ref scores, 4 * k));
            }
        }
        else
        {
            full = d & ~(nuint)3;
            if (((end - k) & 1) != 0)
            {
                prefetch.Advance();
                FeatureScoresSingle<T, TLanes, Vector256<double>, Lanes256>(ref x0, ref x1, ref x2, ref x3, ref Unsafe.Add(ref transposedWeights, k * d), full, Unsafe.Add(ref intercepts, k), ref Unsafe.Add(ref scores, 4 * k));
                k++;
            }

            for (; k < end; k += 2)
            {
                prefetch.Advance();
                FeatureScoresPair<T, TLanes, Vector256<double>, Lanes256>(ref x0, ref x1, ref x2, ref x3, ref Unsafe.Add(ref transposedWeights, k * d), d, full, ref Unsafe.Add(ref intercepts, k), ref Unsafe.Add(ref scores, 4 * k));
            }
        }

        // The last D mod 8 (or 4) features, one at a time: a class's four scores (class-major, one vector) gain the
        // feature's four values times the class's weight in one FMA, the same single rounding per score as one at a time.
        for (var j = full; j < d; j++)
        {
            var f = Vector256.Create(TLanes.Load(ref x0, j), TLanes.Load(ref x1, j), TLanes.Load(ref x2, j), TLanes.Load(ref x3, j));
            for (nuint c = 1; c < end; c++)
            {
                ref var s = ref Unsafe.Add(ref scores, 4 * c);
                Vector256.FusedMultiplyAdd(f, Vector256.Create(Unsafe.Add(ref transposedWeights, (c * d) + j)), Vector256.LoadUnsafe(ref s)).StoreUnsafe(ref s);
            }
        }
    }

    /// <summary>
    /// Gᵀ[k, ·] gains Σ_r d[r, k]·x_r for 0 &lt; k &lt; K over four rows, the derivatives class-major in
    /// <paramref name="derivatives"/> (row r of class k at 4k + r); row 0 is left to <see cref="ReferenceClassSums"/>.
    /// </summary>
    private static void GradientsOverFeatures<T, TLanes>(
        ref T x0, ref T x1, ref T x2, ref T x3, ref double derivatives, int dimension, int classes, ref double transposedGradientSums,
        ref PrefetchCursor prefetch)
        where TLanes : struct, IDoubleLanes<T>
    {
        var d = (nuint)dimension;
        var end = (nuint)classes;
        nuint k = 1;
        nuint full;
        if (Vector512.IsHardwareAccelerated)
        {
            full = d & ~(nuint)7;
            if (((end - k) & 1) != 0)
            {
                prefetch.Advance();
                FeatureGradientsSingle<T, TLanes, Vector512<double>, Lanes512>(ref x0, ref x1, ref x2, ref x3, ref Unsafe.Add(ref derivatives, 4 * k), ref Unsafe.Add(ref transposedGradientSums, k * d), full);
                k++;
            }

            for (; k + 4 <= end; k += 4)
            {
                prefetch.Advance();
                FeatureGradientsQuad<T, TLanes, Vector512<double>, Lanes512>(ref x0, ref x1, ref x2, ref x3, ref Unsafe.Add(ref derivatives, 4 * k), ref Unsafe.Add(ref transposedGradientSums, k * d), d, full);
            }

            if (k < end)
            {
                prefetch.Advance();
                FeatureGradientsPair<T, TLanes, Vector512<double>, Lanes512>(ref x0, ref x1, ref x2, ref x3, ref Unsafe.Add(ref derivatives, 4 * k), ref Unsafe.Add(ref transposedGradientSums, k * d), d, full);
            }
        }
        else
        {
            full = d & ~(nuint)3;
            if (((end - k) & 1) != 0)
            {
                prefetch.Advance();
                FeatureGradientsSingle<T, TLanes, Vector256<double>, Lanes256>(ref x0, ref x1, ref x2, ref x3, ref Unsafe.Add(ref derivatives, 4 * k), ref Unsafe.Add(ref transposedGradientSums, k * d), full);
                k++;
            }

            for (; k < end; k += 2)
            {
                prefetch.Advance();
                FeatureGradientsPair<T, TLanes, Vector256<double>, Lanes256>(ref x0, ref x1, ref x2, ref x3, ref Unsafe.Add(ref derivatives, 4 * k), ref Unsafe.Add(ref transposedGradientSums, k * d), d, full);
            }
        }

        // The last D mod 8 (or 4) features, four at a time along a row of Gᵀ (D ≥ 4, so a vector ending at D stays
        // inside the rows): each sum gains the four rows' terms in row order, one FMA each, as one at a time would. A
        // vector that would reach past D ends at D instead, and keeps its lanes below `from` (done already) as they were.
        for (var from = full; from < d;)
        {
            var at = Math.Min(from, d - 4);
            var keep = Vector256.LessThan(Vector256.Create(0L, 1L, 2L, 3L), Vector256.Create((long)(from - at))).AsDouble();
            var f0 = TLanes.Load256(ref x0, at);
            var f1 = TLanes.Load256(ref x1, at);
            var f2 = TLanes.Load256(ref x2, at);
            var f3 = TLanes.Load256(ref x3, at);
            for (nuint c = 1; c < end; c++)
            {
                ref var g = ref Unsafe.Add(ref transposedGradientSums, (c * d) + at);
                ref var dc = ref Unsafe.Add(ref derivatives, 4 * c);
                var before = Vector256.LoadUnsafe(ref g);
                var sum = Vector256.FusedMultiplyAdd(f0, Vector256.Create(dc), before);
                sum = Vector256.FusedMultiplyAdd(f1, Vector256.Create(Unsafe.Add(ref dc, 1)), sum);
                sum = Vector256.FusedMultiplyAdd(f2, Vector256.Create(Unsafe.Add(ref dc, 2)), sum);
                sum = Vector256.FusedMultiplyAdd(f3, Vector256.Create(Unsafe.Add(ref dc, 3)), sum);
                Vector256.ConditionalSelect(keep, before, sum).StoreUnsafe(ref g);
            }

            from = at + 4;
        }
    }
}
