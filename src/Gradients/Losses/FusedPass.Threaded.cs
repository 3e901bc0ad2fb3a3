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
    /// <see cref="ChunkWork{T, TLanes, TLoss, TWeighting}"/> (a span cannot cross threads, so the pinned inputs travel as pointers in
    /// it; reused from call to call, see <see cref="ChunkWork{T, TLanes, TLoss, TWeighting}.Rent"/>) and a pooled buffer of
    /// chunkCount × (D + 3) doubles from <see cref="ArrayPool{T}.Shared"/>.
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
                    var work = ChunkWork<T, TLanes, TLoss, TWeighting>.Rent(
                        x, y, w, e, s, loss, !residuals.IsEmpty, targets.Length, dimension, features.Length, bias,
                        partialsPointer, chunkRows, chunkCount);
                    work.QueueWorkers(threads - 1);

                    work.ComputeChunks();
                    work.WaitForAllChunks();
                }
            }

            gradientSums.Clear();
            var total = default(ChunkSums);
            for (var chunk = 0; chunk < chunkCount; chunk++)
            {
                var at = chunk * slot;
                var sums = new ChunkSums { LossSum = partials[at + dimension], DerivativeSum = partials[at + dimension + 1], HasInvalidLabel = partials[at + dimension + 2] != 0.0 };
                Fold(ref total, sums, gradientSums, partials.AsSpan(at, dimension));
            }

            return total;
        }
        finally
        {
            ScratchBuffer.ReturnCleared(partials, chunkCount * slot);
        }
    }

    /// <summary>Per-chunk slot: the D gradient sums, then Σℓ, Σd and the invalid-label flag.</summary>
    private const int SlotExtras = 3;

    private static ref byte Bytes<T>(ReadOnlySpan<T> span) => ref Unsafe.As<T, byte>(ref MemoryMarshal.GetReference(span));

    /// <summary>
    /// One threaded pass: the pinned inputs, the chunk claim word and the completion count.
    /// </summary>
    /// <remarks>
    /// <para>
    /// Each calling thread keeps one instance and reuses it for its next pass, so a threaded call allocates nothing
    /// once warm. A queued worker may start late — after its pass has ended, even during the thread's next pass on
    /// the same instance — so a worker reads no input field until it holds a valid claim:
    /// </para>
    /// <list type="bullet">
    /// <item><description>The claim word packs the pass's chunk count (high 32 bits) with the next chunk index (low
    /// 32 bits); <see cref="Rent"/> publishes it with one interlocked exchange after writing every other field. One
    /// interlocked increment thus yields an index and the count it belongs to, atomically.</description></item>
    /// <item><description>index &lt; count is a chunk of the current pass, and that pass cannot end (nor the next
    /// <see cref="Rent"/> overwrite the fields) before the chunk is counted done. index ≥ count means no work is
    /// left: the worker returns, having read nothing else.</description></item>
    /// </list>
    /// <para>A late worker therefore either finds no chunk, or helps with the pass that is running; it never reads
    /// freed memory or another pass's half-written inputs.</para>
    /// </remarks>
    private sealed unsafe class ChunkWork<T, TLanes, TLoss, TWeighting> : IThreadPoolWorkItem
        where TLanes : struct, IDoubleLanes<T>
        where TLoss : struct, IPointwiseLoss
        where TWeighting : struct, IRowWeighting
    {
        [ThreadStatic]
        private static ChunkWork<T, TLanes, TLoss, TWeighting>? _ofThisThread;

        private void* _features;
        private void* _targets;
        private void* _weights;
        private void* _residuals;
        private void* _sampleWeights;
        private TLoss _loss;
        private bool _writeResiduals;
        private int _rows;
        private int _dimension;
        private int _length;
        private double _bias;
        private double* _partials;
        private int _chunkRows;
        private int _chunkCount;
        private long _claim;
        private int _doneChunks;
        private int _queuedWorkers;

        private ChunkWork()
        {
        }

        /// <summary>The calling thread's instance (created on its first threaded pass), set up for one pass.</summary>
        public static ChunkWork<T, TLanes, TLoss, TWeighting> Rent(
            void* features, void* targets, void* weights, void* residuals, void* sampleWeights, TLoss loss, bool writeResiduals, int rows, int dimension,
            int length, double bias, double* partials, int chunkRows, int chunkCount)
        {
            var work = _ofThisThread ??= new ChunkWork<T, TLanes, TLoss, TWeighting>();
            work._features = features;
            work._targets = targets;
            work._weights = weights;
            work._residuals = residuals;
            work._sampleWeights = sampleWeights;
            work._loss = loss;
            work._writeResiduals = writeResiduals;
            work._rows = rows;
            work._dimension = dimension;
            work._length = length;
            work._bias = bias;
            work._partials = partials;
            work._chunkRows = chunkRows;
            work._chunkCount = chunkCount;
            work._doneChunks = 0;

            // Opens the pass. The exchange is a full fence: whoever claims a chunk of it sees every field above.
            Interlocked.Exchange(ref work._claim, (long)chunkCount << 32);
            return work;
        }

        /// <summary>
        /// Makes sure <paramref name="workers"/> workers are queued for the pass just opened. Workers queued for an
        /// earlier pass that have not started yet count: when they start they claim this pass's chunks. So a loaded
        /// thread pool, slow to start workers, never holds more than <paramref name="workers"/> items of this
        /// instance, however many passes the caller runs meanwhile (and its queue does not grow).
        /// </summary>
        public void QueueWorkers(int workers)
        {
            for (var queued = Volatile.Read(ref _queuedWorkers); queued < workers; queued++)
            {
                Interlocked.Increment(ref _queuedWorkers);
                ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
            }
        }

        /// <summary>The thread-pool entry: no longer queued; computes chunks of the pass that is open, if any.</summary>
        public void Execute()
        {
            Interlocked.Decrement(ref _queuedWorkers);
            ComputeChunks();
        }

        /// <summary>Claims and computes chunks until none is left.</summary>
        public void ComputeChunks()
        {
            while (true)
            {
                var claim = Interlocked.Increment(ref _claim) - 1;
                var chunk = (int)(claim & uint.MaxValue);
                var chunkCount = (int)(claim >> 32);
                if (chunk >= chunkCount)
                {
                    return;
                }

                // A valid claim: the fields are this pass's and stay so until the chunk is counted done.
                var slot = _dimension + SlotExtras;
                var first = chunk * _chunkRows;
                var count = Math.Min(_chunkRows, _rows - first);
                var offset = (nuint)first * (nuint)_dimension;
                var partial = new Span<double>(_partials + ((nint)chunk * slot), _dimension);
                var sums = Chunk<T, TLanes, TLoss, TWeighting>(
                    ref Unsafe.Add(ref Unsafe.AsRef<T>(_features), offset), ref Unsafe.Add(ref Unsafe.AsRef<T>(_targets), first),
                    ref Unsafe.AsRef<T>(_weights), _dimension, count, (nuint)_length - offset, _bias, partial,
                    ref Unsafe.Add(ref Unsafe.AsRef<T>(_residuals), _writeResiduals ? first : 0), _writeResiduals,
                    _loss, ref Unsafe.Add(ref Unsafe.AsRef<T>(_sampleWeights), TWeighting.IsWeighted ? first : 0));
                _partials[((nint)chunk * slot) + _dimension] = sums.LossSum;
                _partials[((nint)chunk * slot) + _dimension + 1] = sums.DerivativeSum;
                _partials[((nint)chunk * slot) + _dimension + 2] = sums.HasInvalidLabel ? 1.0 : 0.0;

                if (Interlocked.Increment(ref _doneChunks) == chunkCount)
                {
                    lock (this)
                    {
                        Monitor.PulseAll(this);
                    }
                }
            }
        }

        /// <summary>Blocks until every chunk is computed (the last one may still run on a worker).</summary>
        public void WaitForAllChunks()
        {
            if (Volatile.Read(ref _doneChunks) == _chunkCount)
            {
                return;
            }

            var spinner = default(SpinWait);
            while (!spinner.NextSpinWillYield)
            {
                spinner.SpinOnce();
                if (Volatile.Read(ref _doneChunks) == _chunkCount)
                {
                    return;
                }
            }

            lock (this)
            {
                while (Volatile.Read(ref _doneChunks) != _chunkCount)
                {
                    Monitor.Wait(this);
                }
            }
        }
    }
}
