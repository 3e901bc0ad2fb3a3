namespace Gradients.Tests;

/// <summary>What repeated calls allocate on the calling thread, measured so the thread pool's own work does not count.</summary>
internal static class CallingThreadBytes
{
    /// <summary>
    /// The fewest bytes <paramref name="calls"/> allocated on the calling thread in any of <paramref name="rounds"/>
    /// rounds. An allocation in the code under test happens in every call, so in every round, and the fewest is not 0.
    /// A parallel kernel's call can also make the runtime allocate on the calling thread now and then: when the thread
    /// pool, asked for a worker, starts a new one (a retired worker, or one more under load), the request creates it
    /// on the requesting thread — kilobytes, in one round, not in all (7,240 B in 30 calls once in six runs of the
    /// logistic test under load with AVX-512 off). Hence the fewest over rounds, after warm-up calls.
    /// </summary>
    /// <param name="calls">The calls of one round.</param>
    /// <param name="rounds">The rounds, at least 2.</param>
    public static long FewestInRounds(Action calls, int rounds = 3)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rounds, 2);
        var fewest = long.MaxValue;
        for (var round = 0; round < rounds; round++)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            calls();
            fewest = Math.Min(fewest, GC.GetAllocatedBytesForCurrentThread() - before);
        }

        return fewest;
    }
}
