using System.Runtime.ExceptionServices;

namespace Gradients;

/// <summary>
/// Runs chunks 0…count−1 of a parallel finite-difference computation with the calling thread doing the work itself
/// and thread-pool threads only helping — the scheme of the threaded MSE pass (<c>FusedPass.Threaded</c>). Each
/// thread, the caller first, claims the next chunk with one interlocked increment until none is left; the caller
/// then waits only for chunks that other threads have started, which are running. A helper that the pool starts
/// late (or never, while its threads are blocked) finds nothing left to claim, so a starved pool costs speed, never
/// progress — unlike <see cref="Parallel.For(int, int, ParallelOptions, Action{int})"/>, whose caller waits for every
/// replica it queued to start.
/// </summary>
internal sealed class CallerFirstChunks : IThreadPoolWorkItem
{
    private readonly int _count;
    private readonly Action<int> _body;
    private int _next = -1;
    private int _done;
    private Exception? _failure;

    private CallerFirstChunks(int count, Action<int> body)
    {
        _count = count;
        _body = body;
    }

    /// <summary>
    /// Runs <paramref name="body"/>(chunk) for every chunk on the calling thread and up to
    /// <paramref name="degree"/> − 1 pool threads; returns when all are done. An exception escaping a chunk is
    /// rethrown here (the finite-difference drivers catch their own and order them).
    /// </summary>
    public static void Run(int count, int degree, Action<int> body)
    {
        var work = new CallerFirstChunks(count, body);
        var helpers = Math.Min(degree, count) - 1;
        for (var i = 0; i < helpers; i++)
        {
            ThreadPool.UnsafeQueueUserWorkItem(work, preferLocal: false);
        }

        work.Execute();
        lock (work)
        {
            while (Volatile.Read(ref work._done) < count)
            {
                Monitor.Wait(work);
            }
        }

        if (work._failure is { } failure)
        {
            ExceptionDispatchInfo.Capture(failure).Throw();
        }
    }

    /// <summary>The chunks count of a run over <paramref name="items"/> items: up to four per thread, so uneven chunks even out.</summary>
    public static int ChunkCount(int items, int degree) => (int)Math.Min(items, 4L * degree);

    /// <summary>Claims and runs chunks until none is left (the caller's loop, and a helper's).</summary>
    public void Execute()
    {
        while (true)
        {
            var chunk = Interlocked.Increment(ref _next);
            if (chunk >= _count)
            {
                return;
            }

            try
            {
                _body(chunk);
            }
            catch (Exception e)
            {
                Interlocked.CompareExchange(ref _failure, e, null);
            }
            finally
            {
                if (Interlocked.Increment(ref _done) == _count)
                {
                    lock (this)
                    {
                        Monitor.PulseAll(this);
                    }
                }
            }
        }
    }
}
