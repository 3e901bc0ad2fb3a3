using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Running;
using Gradients.Benchmarks.Gate;

namespace Gradients.Benchmarks.Tests.Gate;

/// <summary>
/// The gate's count of the bytes a benchmarked call allocates on its own thread: an allocation per call is seen at its
/// size, work on other threads and the parameters' set-up are not.
/// </summary>
public sealed class CallingThreadAllocationsTests
{
    [Theory]
    [InlineData(nameof(AllocationProbeSubject.Sum), 0)]
    [InlineData(nameof(AllocationProbeSubject.SumWithAnObject), 24)] // one object with no fields: 24 B on 64-bit
    [InlineData(nameof(AllocationProbeSubject.SumWithAnArrayOfLength), 24 + (8 * 16))] // double[16]: header, length and 16 × 8 B
    [InlineData(nameof(AllocationProbeSubject.AllocatesOnAnotherThread), 0)]
    public void Counts_the_bytes_one_call_allocates_on_the_calling_thread(string method, long expected)
    {
        var cases = BenchmarkConverter.TypeToBenchmarks(typeof(AllocationProbeSubject)).BenchmarksCases
            .Where(c => c.Descriptor.WorkloadMethod.Name == method)
            .ToArray();

        Assert.Equal(2, cases.Length); // Length = 16 and 1000: the parameter is set before the set-up
        Assert.All(cases, c => Assert.Equal(expected, CallingThreadAllocations.Measure(c)));
    }
}

/// <summary>Benchmarks for <see cref="CallingThreadAllocationsTests"/>; never run by BenchmarkDotNet.</summary>
public class AllocationProbeSubject
{
    private double[] _values = [];
    private object? _sink;

    /// <summary>The length of the summed array.</summary>
    [Params(16, 1000)]
    public int Length { get; set; }

    /// <summary>Allocates the data (not counted).</summary>
    [GlobalSetup]
    public void Setup() => _values = Enumerable.Range(0, Length).Select(i => (double)i).ToArray();

    /// <summary>No allocation.</summary>
    [Benchmark]
    public double Sum() => _values.Sum();

    /// <summary>One object per call.</summary>
    [Benchmark]
    public double SumWithAnObject()
    {
        _sink = new object();
        return _values.Sum();
    }

    /// <summary>One array of 16 doubles per call.</summary>
    [Benchmark]
    public double SumWithAnArrayOfLength()
    {
        _sink = new double[16];
        return _values.Sum();
    }

    /// <summary>Has a worker thread of its own allocate an array per call, and waits for it: the calling thread's count is 0.</summary>
    [Benchmark]
    public double AllocatesOnAnotherThread()
    {
        _done.Reset();
        _go.Set();
        _done.Wait();
        return _values.Sum();
    }

    private readonly ManualResetEventSlim _go = new();
    private readonly ManualResetEventSlim _done = new();
    private Thread? _worker;
    private volatile bool _stop;

    /// <summary>Starts the worker (the set-up of <see cref="AllocatesOnAnotherThread"/>).</summary>
    [GlobalSetup(Target = nameof(AllocatesOnAnotherThread))]
    public void StartWorker()
    {
        Setup();

        // ManualResetEventSlim creates its lock object (24 B) on the thread of its first blocking wait. Under load the
        // measured calls' first wait can be that one (6 B a call over four calls, seen once in CI-like runs), so a
        // timed-out wait here — spin, then block for 1 ms on the unset event — creates it in the set-up, which is
        // not counted.
        _done.Wait(1);
        _worker = new Thread(() =>
        {
            while (true)
            {
                _go.Wait();
                _go.Reset();
                if (_stop)
                {
                    return;
                }

                _sink = new double[_values.Length];
                _done.Set();
            }
        })
        { IsBackground = true };
        _worker.Start();
    }

    /// <summary>Stops the worker.</summary>
    [GlobalCleanup(Target = nameof(AllocatesOnAnotherThread))]
    public void StopWorker()
    {
        _stop = true;
        _go.Set();
        _worker?.Join();
    }
}
