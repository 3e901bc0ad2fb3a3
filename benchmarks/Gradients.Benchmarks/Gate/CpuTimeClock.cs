using System.Runtime.InteropServices;
using Perfolizer.Horology;

namespace Gradients.Benchmarks.Gate;

/// <summary>
/// BenchmarkDotNet clocks that read CPU time instead of the wall clock. On a shared runner the wall clock of a
/// benchmark includes every millisecond the scheduler gave to a neighbour; CPU time does not, so it follows our code's
/// work much more closely when the machine is oversubscribed (what remains is the neighbours' share of caches and
/// memory bandwidth). The A/B gate measures both sides with <see cref="CurrentThread"/> by default.
/// </summary>
/// <remarks>
/// Linux: <c>clock_gettime(CLOCK_THREAD_CPUTIME_ID)</c> or <c>CLOCK_PROCESS_CPUTIME_ID</c>, nanoseconds. Elsewhere:
/// the process's <see cref="Environment.CpuUsage"/> (100 ns ticks). Read twice per iteration, not per operation, so
/// its cost (a system call, ~0.3 µs) is irrelevant against iterations of 50 ms and more.
/// </remarks>
public sealed class CpuTimeClock : IClock
{
    private const int ClockProcessCpuTimeId = 2;
    private const int ClockThreadCpuTimeId = 3;
    private readonly int _clockId;

    private CpuTimeClock(int clockId, string title)
    {
        _clockId = clockId;
        Title = title;
    }

    /// <summary>The CPU time of the whole process.</summary>
    public static CpuTimeClock Process { get; } = new(ClockProcessCpuTimeId, "ProcessCpuTime");

    /// <summary>
    /// The CPU time of the calling thread only (Linux; elsewhere the process's): without the runtime's background
    /// threads — tiered JIT compilation, the concurrent GC — which the process clock charges to whatever benchmark
    /// case is running, most of all the first cases of a launch.
    /// </summary>
    public static CpuTimeClock CurrentThread { get; } = new(ClockThreadCpuTimeId, "ThreadCpuTime");

    /// <inheritdoc/>
    public string Title { get; }

    /// <inheritdoc/>
    public bool IsAvailable => true;

    /// <inheritdoc/>
    public Frequency Frequency { get; } = OperatingSystem.IsLinux() ? Frequency.GHz : new Frequency(TimeSpan.TicksPerSecond);

    /// <inheritdoc/>
    public long GetTimestamp()
    {
        if (OperatingSystem.IsLinux())
        {
            _ = ClockGetTime(_clockId, out var time);
            return (time.Seconds * 1_000_000_000) + time.Nanoseconds;
        }

        return Environment.CpuUsage.TotalTime.Ticks;
    }

    [DllImport("libc", EntryPoint = "clock_gettime")]
    private static extern int ClockGetTime(int clockId, out TimeSpecification time);

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpecification
    {
        public long Seconds;
        public long Nanoseconds;
    }
}
