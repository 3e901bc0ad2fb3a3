using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Gradients;

/// <summary>
/// The fused pass of the softmax cross-entropy: per row, the K scores η = xᵀW + b, the max-shifted log-sum-exp,
/// the loss lse − η_y and the derivative d = softmax(η) − onehot(y), and the D×K gradient sums gain x·dᵀ — in one
/// read of X. The classes are padded to whole 256-bit vectors (Kp = 4⌈K/4⌉; padded scores are −∞, so they weigh
/// nothing), W is copied once per call into that padded layout in double, and rows go four at a time so each
/// vector of W and of the gradient sums is loaded once per four rows.
/// </summary>
/// <remarks>Chunks and their fold order follow <see cref="FusedPass.ChunkRows"/> (a function of N and D only), so
/// the result is bit-identical for any thread count.</remarks>
internal static class SoftmaxPass
{
    /// <summary>The sums of one chunk (the gradient sums go to a span).</summary>
    internal struct Sums
    {
        public double Loss;
        public bool HasInvalidLabel;
    }

    /// <summary>Kp: K rounded up to whole vectors of four doubles.</summary>
    internal static int PaddedClasses(int classes) => (classes + 3) & ~3;

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
        var chunkCount = (rows + chunkRows - 1) / chunkRows;
        gradientSums.Clear();
        interceptSums.Clear();
        var slot = (dimension * kp) + kp;
        var partials = ArrayPool<double>.Shared.Rent(Math.Min(chunkCount, threads > 1 ? chunkCount : 1) * slot);
        var total = default(Sums);
        try
        {
            if (threads > 1 && chunkCount > 1)
            {
                var results = new Sums[chunkCount];
                var state = (Features: features.ToArray(), Labels: labels.ToArray(), W: paddedWeights.ToArray(), B: paddedIntercepts.ToArray(), S: sampleWeights.ToArray());
                Parallel.For(0, chunkCount, new ParallelOptions { MaxDegreeOfParallelism = threads }, chunk =>
                {
                    var first = chunk * chunkRows;
                    var count = Math.Min(chunkRows, rows - first);
                    results[chunk] = Chunk<T, TLanes>(
                        state.Features.AsSpan(first * dimension, count * dimension), state.Labels.AsSpan(first, count), state.W, state.B, dimension, classes,
                        state.S.Length == 0 ? [] : state.S.AsSpan(first, count), partials.AsSpan(chunk * slot, dimension * kp), partials.AsSpan((chunk * slot) + (dimension * kp), kp));
                });

                for (var chunk = 0; chunk < chunkCount; chunk++)
                {
                    Fold(ref total, results[chunk], gradientSums, interceptSums, partials.AsSpan(chunk * slot, slot), dimension * kp);
                }

                return total;
            }

            for (var chunk = 0; chunk < chunkCount; chunk++)
            {
                var first = chunk * chunkRows;
                var count = Math.Min(chunkRows, rows - first);
                var sums = Chunk<T, TLanes>(
                    features.Slice(first * dimension, count * dimension), labels.Slice(first, count), paddedWeights, paddedIntercepts, dimension, classes,
                    sampleWeights.IsEmpty ? [] : sampleWeights.Slice(first, count), partials.AsSpan(0, dimension * kp), partials.AsSpan(dimension * kp, kp));
                Fold(ref total, sums, gradientSums, interceptSums, partials.AsSpan(0, slot), dimension * kp);
            }

            return total;
        }
        finally
        {
            ArrayPool<double>.Shared.Return(partials);
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

        // Lanes of the last class vector past K hold −∞ scores.
        var padMask = Vector256.GreaterThanOrEqual(Vector256.Create(0L, 1L, 2L, 3L) + Vector256.Create((long)(kp - 4)), Vector256.Create((long)classes)).AsDouble();
        var minusInfinity = Vector256.Create(double.NegativeInfinity);

        nuint row = 0;
        for (; row < (nuint)rows; row += 4)
        {
            var block = (nuint)Math.Min(4, rows - (int)row);
            ref var x0 = ref Unsafe.Add(ref x, row * d);
            ref var x1 = ref Unsafe.Add(ref x0, block > 1 ? d : 0);
            ref var x2 = ref Unsafe.Add(ref x0, block > 2 ? 2 * d : 0);
            ref var x3 = ref Unsafe.Add(ref x0, block > 3 ? 3 * d : 0);

            // η for four rows: each vector of W loaded once for the four (a short block repeats its first row).
            for (nuint v = 0; v < vectors; v++)
            {
                var bias = Vector256.LoadUnsafe(ref b, 4 * v);
                Vector256<double> a0 = bias, a1 = bias, a2 = bias, a3 = bias;
                ref var wv = ref Unsafe.Add(ref w, 4 * v);
                for (nuint j = 0; j < d; j++)
                {
                    var wj = Vector256.LoadUnsafe(ref wv, j * (nuint)kp);
                    a0 = Vector256.FusedMultiplyAdd(Vector256.Create(TLanes.Load(ref x0, j)), wj, a0);
                    a1 = Vector256.FusedMultiplyAdd(Vector256.Create(TLanes.Load(ref x1, j)), wj, a1);
                    a2 = Vector256.FusedMultiplyAdd(Vector256.Create(TLanes.Load(ref x2, j)), wj, a2);
                    a3 = Vector256.FusedMultiplyAdd(Vector256.Create(TLanes.Load(ref x3, j)), wj, a3);
                }

                if (v == vectors - 1)
                {
                    a0 = Vector256.ConditionalSelect(padMask, minusInfinity, a0);
                    a1 = Vector256.ConditionalSelect(padMask, minusInfinity, a1);
                    a2 = Vector256.ConditionalSelect(padMask, minusInfinity, a2);
                    a3 = Vector256.ConditionalSelect(padMask, minusInfinity, a3);
                }

                a0.StoreUnsafe(ref e, 4 * v);
                a1.StoreUnsafe(ref e, (nuint)kp + (4 * v));
                a2.StoreUnsafe(ref e, (2 * (nuint)kp) + (4 * v));
                a3.StoreUnsafe(ref e, (3 * (nuint)kp) + (4 * v));
            }

            // Per row: loss and derivative, in place of the scores; the rows past a short block get d = 0.
            for (nuint r = 0; r < 4; r++)
            {
                ref var eta = ref Unsafe.Add(ref e, r * (nuint)kp);
                if (r >= block)
                {
                    scores.Slice((int)r * kp, kp).Clear();
                    continue;
                }

                var label = labels[(int)(row + r)];
                var valid = (uint)label < (uint)classes;
                sums.HasInvalidLabel |= !valid;
                var weight = weighted ? TLanes.Load(ref s, row + r) : 1.0;
                sums.Loss += weight * RowDerivative(ref eta, vectors, valid ? label : 0, weight, padMask);
            }

            // The gradient sums gain x·dᵀ of the four rows, each sum vector loaded and stored once.
            for (nuint v = 0; v < vectors; v++)
            {
                var d0 = Vector256.LoadUnsafe(ref e, 4 * v);
                var d1 = Vector256.LoadUnsafe(ref e, (nuint)kp + (4 * v));
                var d2 = Vector256.LoadUnsafe(ref e, (2 * (nuint)kp) + (4 * v));
                var d3 = Vector256.LoadUnsafe(ref e, (3 * (nuint)kp) + (4 * v));
                (Vector256.LoadUnsafe(ref gb, 4 * v) + ((d0 + d1) + (d2 + d3))).StoreUnsafe(ref gb, 4 * v);
                ref var gv = ref Unsafe.Add(ref g, 4 * v);
                for (nuint j = 0; j < d; j++)
                {
                    var at = j * (nuint)kp;
                    var sum = Vector256.FusedMultiplyAdd(Vector256.Create(TLanes.Load(ref x1, j)), d1, Vector256.Create(TLanes.Load(ref x0, j)) * d0)
                        + Vector256.FusedMultiplyAdd(Vector256.Create(TLanes.Load(ref x3, j)), d3, Vector256.Create(TLanes.Load(ref x2, j)) * d2);
                    (Vector256.LoadUnsafe(ref gv, at) + sum).StoreUnsafe(ref gv, at);
                }
            }
        }

        if (rented is not null)
        {
            ArrayPool<double>.Shared.Return(rented);
        }

        return sums;
    }

    /// <summary>
    /// Replaces one row's scores by weight·(softmax(η) − onehot(label)) and returns its loss lse(η) − η_label, with the
    /// max shift that keeps every exponential ≤ 1 (so |η| up to any finite size does not overflow).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double RowDerivative(ref double eta, nuint vectors, int label, double weight, Vector256<double> padMask)
    {
        var max = Vector256.LoadUnsafe(ref eta);
        for (nuint v = 1; v < vectors; v++)
        {
            max = Vector256.Max(max, Vector256.LoadUnsafe(ref eta, 4 * v));
        }

        var labelScore = Unsafe.Add(ref eta, label);
        var m = Math.Max(Math.Max(max.GetElement(0), max.GetElement(1)), Math.Max(max.GetElement(2), max.GetElement(3)));
        var shift = Vector256.Create(m);
        var total = Vector256<double>.Zero;
        for (nuint v = 0; v < vectors; v++)
        {
            // The padded lanes' −∞ would send Vector256.Exp down its per-lane special-value path on every row:
            // they are exponentiated as 0 and then masked to 0.
            var shifted = Vector256.LoadUnsafe(ref eta, 4 * v) - shift;
            var p = v == vectors - 1
                ? Vector256.AndNot(Vector256.Exp(Vector256.ConditionalSelect(padMask, Vector256<double>.Zero, shifted)), padMask)
                : Vector256.Exp(shifted);
            total += p;
            p.StoreUnsafe(ref eta, 4 * v);
        }

        var z = Vector256.Sum(total);

        // (m − η_y) + log z: the large terms cancel first, so a row whose label has the top score of 700 loses nothing.
        var loss = (m - labelScore) + Math.Log(z);
        var scale = Vector256.Create(weight / z);
        for (nuint v = 0; v < vectors; v++)
        {
            (Vector256.LoadUnsafe(ref eta, 4 * v) * scale).StoreUnsafe(ref eta, 4 * v);
        }

        Unsafe.Add(ref eta, label) -= weight;
        return loss;
    }
}
