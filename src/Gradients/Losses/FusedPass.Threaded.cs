using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Gradients;

internal static partial class FusedPass
{
    /// <summary>
    /// The threaded driver: the calling thread and up to <paramref name="threads"/> − 1 thread-pool workers
    /// claim chunks from a shared counter; each chunk's sums go to its own slot, and the slots are folded in
    /// chunk order afterwards, exactly as <see cref="Run{T, TLanes}"/> folds them one by one. The chunk plan
    /// and the fold order do not depend on the thread count, so neither does any bit of the result.
    /// </summary>
    /// <remarks>
    /// Bookkeeping per call: one <see cref="ChunkWork{T, TLanes}"/> object (a few dozen bytes; a span cannot
    /// cross threads, so the pinned inputs travel as pointers in it) and a pooled buffer of chunkCount × (D + 2)
    /// doubles from <see cref="ArrayPool{T}.Shared"/>.
    /// </remarks>
    private static unsafe ChunkSums RunThreaded<T, TLanes>(
        ReadOnlySpan<T> features, ReadOnlySpan<T> targets, ReadOnlySpan<T> weights, double bias,
        Span<double> gradientSums, Span<T> residuals, int chunkRows, int chunkCount, int threads)
        where TLanes : struct, IDoubleLanes<T>
    {
        var dimension = weights.Length;
        var slot = dimension + 2;
        var partials = ArrayPool<double>.Shared.Rent(chunkCount * slot);
        try
        {
            fixed (double* partialsPointer = partials)
            {
                fixed (byte* x = &Bytes(features), y = &Bytes(targets), w = &Bytes(weights), e = &Bytes((ReadOnlySpan<T>)residuals))
                {
                    var work = new ChunkWork<T, TLanes>(
                        x, y, w, e, !residuals.IsEmpty, targets.Length, dimension, features.Length, bias,
                        partialsPointer, chunkRows, chunkCount);
                    for (var i = 1; i < threads; i++)
                    {
                        ThreadPool.UnsafeQueueUserWorkItem(work, preferLocal: false);
                    }

                    work.Execute();
                    work.WaitForAllChunks();
                }
            }

            gradientSums.Clear();
            var total = default(ChunkSums);
            for (var chunk = 0; chunk < chunkCount; chunk++)
            {
                var at = chunk * slot;
                var sums = new ChunkSums { SumOfSquares = partials[at + dimension], SumOfResiduals = partials[at + dimension + 1] };
                Fold(ref total, sums, gradientSums, partials.AsSpan(at, dimension));
            }

            return total;
        }
        finally
        {
            ArrayPool<double>.Shared.Return(partials);
        }
    }

    private static ref byte Bytes<T>(ReadOnlySpan<T> span) => ref Unsafe.As<T, byte>(ref MemoryMarshal.GetReference(span));

    /// <summary>
    /// One threaded pass: the pinned inputs, the chunk counter and the completion count. Workers that start after
    /// every chunk is claimed return without touching the inputs, so a late worker cannot read freed memory.
    /// </summary>
    private sealed unsafe class ChunkWork<T, TLanes> : IThreadPoolWorkItem
        where TLanes : struct, IDoubleLanes<T>
    {
        private readonly void* _features;
        private readonly void* _targets;
        private readonly void* _weights;
        private readonly void* _residuals;
        private readonly bool _writeResiduals;
        private readonly int _rows;
        private readonly int _dimension;
        private readonly int _length;
        private readonly double _bias;
        private readonly double* _partials;
        private readonly int _chunkRows;
        private readonly int _chunkCount;
        private int _nextChunk;
        private int _doneChunks;

        public ChunkWork(
            void* features, void* targets, void* weights, void* residuals, bool writeResiduals, int rows, int dimension,
            int length, double bias, double* partials, int chunkRows, int chunkCount)
        {
            _features = features;
            _targets = targets;
            _weights = weights;
            _residuals = residuals;
            _writeResiduals = writeResiduals;
            _rows = rows;
            _dimension = dimension;
            _length = length;
            _bias = bias;
            _partials = partials;
            _chunkRows = chunkRows;
            _chunkCount = chunkCount;
        }

        /// <summary>Claims and computes chunks until none is left.</summary>
        public void Execute()
        {
            var slot = _dimension + 2;
            ref var x = ref Unsafe.AsRef<T>(_features);
            ref var y = ref Unsafe.AsRef<T>(_targets);
            ref var w = ref Unsafe.AsRef<T>(_weights);
            ref var e = ref Unsafe.AsRef<T>(_residuals);
            while (true)
            {
                var chunk = Interlocked.Increment(ref _nextChunk) - 1;
                if (chunk >= _chunkCount)
                {
                    return;
                }

                var first = chunk * _chunkRows;
                var count = Math.Min(_chunkRows, _rows - first);
                var offset = (nuint)first * (nuint)_dimension;
                var partial = new Span<double>(_partials + ((nint)chunk * slot), _dimension);
                var sums = Chunk<T, TLanes>(
                    ref Unsafe.Add(ref x, offset), ref Unsafe.Add(ref y, first), ref w, _dimension, count,
                    (nuint)_length - offset, _bias, partial, ref Unsafe.Add(ref e, _writeResiduals ? first : 0), _writeResiduals);
                _partials[((nint)chunk * slot) + _dimension] = sums.SumOfSquares;
                _partials[((nint)chunk * slot) + _dimension + 1] = sums.SumOfResiduals;

                if (Interlocked.Increment(ref _doneChunks) == _chunkCount)
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
