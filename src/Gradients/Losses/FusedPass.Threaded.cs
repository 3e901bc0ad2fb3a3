using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Gradients;

internal static partial class FusedPass
{
    /// <summary>
    /// The threaded driver: the calling thread and up to <paramref name="threads"/> − 1 thread-pool workers
    /// claim chunks from a shared counter; each chunk's sums go to its own slot, and the slots are folded in
    /// chunk order afterwards, exactly as <see cref="Run{T, TLanes, TLoss, TWeighting}"/> folds them one by one. The chunk plan
    /// and the fold order do not depend on the thread count, so neither does any bit of the result.
    /// </summary>
    /// <remarks>
    /// Bookkeeping per call, none of it allocated once warm: the calling thread's own
    /// <see cref="ChunkScheduler{TJob}"/> (a span cannot cross threads, so the pinned inputs travel as pointers in its
    /// <see cref="ChunkJob{T, TLanes, TLoss, TWeighting}"/>; reused from call to call) and a pooled buffer of
    /// chunkCount × (D + 2) doubles from <see cref="ArrayPool{T}.Shared"/>.
    /// </remarks>
    private static unsafe ChunkSums RunThreaded<T, TLanes, TLoss, TWeighting>(
        ReadOnlySpan<T> features, ReadOnlySpan<T> targets, ReadOnlySpan<T> weights, double bias,
        Span<double> gradientSums, Span<T> residuals, int chunkRows, int chunkCount, int threads, TLoss loss, ReadOnlySpan<T> sampleWeights)
        where TLanes : struct, IDoubleLanes<T>
        where TLoss : struct, IPointwiseLoss
        where TWeighting : struct, IRowWeighting
    {
        var dimension = weights.Length;
        var slot = dimension + SlotExtras;
        var partials = ArrayPool<double>.Shared.Rent(chunkCount * slot);
        try
        {
            fixed (double* partialsPointer = partials)
            {
                fixed (byte* x = &Bytes(features), y = &Bytes(targets), w = &Bytes(weights), e = &Bytes((ReadOnlySpan<T>)residuals), s = &Bytes(sampleWeights))
                {
                    var job = new ChunkJob<T, TLanes, TLoss, TWeighting>
                    {
                        Features = x,
                        Targets = y,
                        Weights = w,
                        Residuals = e,
                        SampleWeights = s,
                        Loss = loss,
                        WriteResiduals = !residuals.IsEmpty,
                        Rows = targets.Length,
                        Dimension = dimension,
                        Length = features.Length,
                        Bias = bias,
                        Partials = partialsPointer,
                        ChunkRows = chunkRows,
                    };
                    ChunkScheduler<ChunkJob<T, TLanes, TLoss, TWeighting>>.Run(job, chunkCount, threads);
                }
            }

            gradientSums.Clear();
            var total = default(ChunkSums);
            for (var chunk = 0; chunk < chunkCount; chunk++)
            {
                var at = chunk * slot;
                var sums = new ChunkSums { LossSum = partials[at + dimension], DerivativeSum = partials[at + dimension + 1] };
                Fold(ref total, sums, gradientSums, partials.AsSpan(at, dimension));
            }

            return new ChunkSums { LossSum = total.LossSum, DerivativeSum = total.DerivativeSum };
        }
        finally
        {
            ScratchBuffer.ReturnCleared(partials, chunkCount * slot);
        }
    }

    /// <summary>Per-chunk slot: the D gradient sums, then Σℓ (NaN after an invalid label) and Σd.</summary>
    private const int SlotExtras = 2;

    private static ref byte Bytes<T>(ReadOnlySpan<T> span) => ref Unsafe.As<T, byte>(ref MemoryMarshal.GetReference(span));

    /// <summary>
    /// One threaded pass's pinned inputs and its chunk kernel, for <see cref="ChunkScheduler{TJob}"/>: chunk c's D
    /// gradient sums, Σℓ, Σd and the invalid-label flag go to slot c of <c>Partials</c>.
    /// </summary>
    private readonly unsafe struct ChunkJob<T, TLanes, TLoss, TWeighting> : IChunkJob
        where TLanes : struct, IDoubleLanes<T>
        where TLoss : struct, IPointwiseLoss
        where TWeighting : struct, IRowWeighting
    {
        public required void* Features { get; init; }

        public required void* Targets { get; init; }

        public required void* Weights { get; init; }

        public required void* Residuals { get; init; }

        public required void* SampleWeights { get; init; }

        public required TLoss Loss { get; init; }

        public required bool WriteResiduals { get; init; }

        public required int Rows { get; init; }

        public required int Dimension { get; init; }

        /// <summary>Elements of X (each chunk may read to its end).</summary>
        public required int Length { get; init; }

        public required double Bias { get; init; }

        public required double* Partials { get; init; }

        public required int ChunkRows { get; init; }

        public void Compute(int chunk)
        {
            var slot = Dimension + SlotExtras;
            var first = chunk * ChunkRows;
            var count = Math.Min(ChunkRows, Rows - first);
            var offset = (nuint)first * (nuint)Dimension;
            var at = Partials + ((nint)chunk * slot);
            var sums = Chunk<T, TLanes, TLoss, TWeighting>(
                ref Unsafe.Add(ref Unsafe.AsRef<T>(Features), offset), ref Unsafe.Add(ref Unsafe.AsRef<T>(Targets), first),
                ref Unsafe.AsRef<T>(Weights), Dimension, count, (nuint)Length - offset, Bias, new Span<double>(at, Dimension),
                ref Unsafe.Add(ref Unsafe.AsRef<T>(Residuals), WriteResiduals ? first : 0), WriteResiduals,
                Loss, ref Unsafe.Add(ref Unsafe.AsRef<T>(SampleWeights), TWeighting.IsWeighted ? first : 0));
            at[Dimension] = sums.LossSum;
            at[Dimension + 1] = sums.DerivativeSum;
        }
    }
}
