namespace Gradients;

/// <summary>One threaded pass's work, a chunk at a time: what <see cref="ChunkScheduler{TJob}"/> runs.</summary>
internal interface IChunkJob
{
    /// <summary>
    /// Computes chunk <paramref name="chunk"/> and writes its sums to the chunk's own slot. Called once per chunk, on
    /// whichever thread claimed it; the job's fields are read-only during the pass.
    /// </summary>
    void Compute(int chunk);
}

/// <summary>
/// The threaded passes' scheduler: the calling thread and queued thread-pool workers claim the chunks of one pass from
/// a shared counter, each chunk's sums going to its own slot, and the caller waits until every chunk is counted done.
/// The fused passes (<see cref="FusedPass"/>, <see cref="SoftmaxPass"/>) give it their pinned inputs as a
/// <typeparamref name="TJob"/> and fold the slots in chunk order afterwards, so no bit of a result depends on which
/// thread computed which chunk.
/// </summary>
/// <remarks>
/// <para>
/// Each calling thread keeps one instance per job type and reuses it for its next pass, so a threaded call allocates
/// nothing once warm. A queued worker may start late — after its pass has ended, even during the thread's next pass on
/// the same instance — so a worker reads no field of the job until it holds a valid claim:
/// </para>
/// <list type="bullet">
/// <item><description>The claim word packs the pass's chunk count (high 32 bits) with the next chunk index (low
/// 32 bits); <see cref="Rent"/> publishes it with one interlocked exchange after writing the job. One interlocked
/// increment thus yields an index and the count it belongs to, atomically.</description></item>
/// <item><description>index &lt; count is a chunk of the current pass, and that pass cannot end (nor the next
/// <see cref="Rent"/> overwrite the job) before the chunk is counted done. index ≥ count means no work is left: the
/// worker returns, having read nothing else.</description></item>
/// </list>
/// <para>A late worker therefore either finds no chunk, or helps with the pass that is running; it never reads freed
/// memory or another pass's half-written inputs.</para>
/// </remarks>
/// <typeparam name="TJob">The pass's inputs (pointers to pinned memory: a span cannot cross threads) and its chunk kernel.</typeparam>
internal sealed class ChunkScheduler<TJob> : IThreadPoolWorkItem
    where TJob : struct, IChunkJob
{
    [ThreadStatic]
    private static ChunkScheduler<TJob>? _ofThisThread;

    private TJob _job;
    private int _chunkCount;
    private long _claim;
    private int _doneChunks;
    private int _queuedWorkers;

    private ChunkScheduler()
    {
    }

    /// <summary>
    /// Runs one pass of <paramref name="chunkCount"/> chunks on the calling thread and up to
    /// <paramref name="threads"/> − 1 thread-pool workers, and returns when every chunk is computed. The inputs
    /// <paramref name="job"/> points to must stay pinned until then.
    /// </summary>
    public static void Run(in TJob job, int chunkCount, int threads)
    {
        var scheduler = Rent(job, chunkCount);
        scheduler.QueueWorkers(threads - 1);
        scheduler.ComputeChunks();
        scheduler.WaitForAllChunks();
    }

    /// <summary>The calling thread's instance (created on its first threaded pass), set up for one pass.</summary>
    private static ChunkScheduler<TJob> Rent(in TJob job, int chunkCount)
    {
        var scheduler = _ofThisThread ??= new ChunkScheduler<TJob>();
        scheduler._job = job;
        scheduler._chunkCount = chunkCount;
        scheduler._doneChunks = 0;

        // Opens the pass. The exchange is a full fence: whoever claims a chunk of it sees every field above.
        Interlocked.Exchange(ref scheduler._claim, (long)chunkCount << 32);
        return scheduler;
    }

    /// <summary>
    /// Makes sure <paramref name="workers"/> workers are queued for the pass just opened. Workers queued for an
    /// earlier pass that have not started yet count: when they start they claim this pass's chunks. So a loaded
    /// thread pool, slow to start workers, never holds more than <paramref name="workers"/> items of this
    /// instance, however many passes the caller runs meanwhile (and its queue does not grow).
    /// </summary>
    private void QueueWorkers(int workers)
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
    private void ComputeChunks()
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

            // A valid claim: the job is this pass's and stays so until the chunk is counted done.
            _job.Compute(chunk);
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
    private void WaitForAllChunks()
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
