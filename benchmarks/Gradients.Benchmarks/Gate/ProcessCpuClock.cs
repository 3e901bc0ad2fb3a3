using System.Runtime.InteropServices;
using Perfolizer.Horology;

namespace Gradients.Benchmarks.Gate;

/// <summary>
/// A BenchmarkDotNet clock that reads the CPU time the process has consumed (all its threads, user and kernel),
/// not the wall clock. On a shared runner the wall clock of a benchmark includes every millisecond the scheduler
/// gave to a neighbour; CPU time does not, so it follows our code's work much more closely when the machine is
/// oversubscribed (what remains is the neighbours' share of caches and memory bandwidth). The A/B gate measures
/// both sides with it.
/// </summary>
/// <remarks>
/// Linux: <c>clock_gettime(CLOCK_PROCESS_CPUTIME_ID)</c>, nanoseconds. Elsewhere: <see cref="Environment.CpuUsage"/>
/// (100 ns ticks). Either is read twice per iteration, not per operation, so its cost (a system call, ~0.3 µs) is
/// irrelevant against iterations of 50 ms and more.
/// </remarks>
public sealed class ProcessCpuClock : IClock
{
    private const int ClockProcessCpuTimeId = 2;

    private ProcessCpuClock()
    {
    }

    /// <summary>The clock.</summary>
    public static ProcessCpuClock Instance { get; } = new();

    /// <inheritdoc/>
    public string Title => "ProcessCpuTime";

    /// <inheritdoc/>
    public bool IsAvailable => true;

    /// <inheritdoc/>
    public Frequency Frequency { get; } = OperatingSystem.IsLinux() ? Frequency.GHz : new Frequency(TimeSpan.TicksPerSecond);

    /// <inheritdoc/>
    public long GetTimestamp()
    {
        if (OperatingSystem.IsLinux())
        {
            _ = ClockGetTime(ClockProcessCpuTimeId, out var time);
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
