using System.Linq.Expressions;
using System.Reflection;
using System.Text.Json.Nodes;
using BenchmarkDotNet.Running;

namespace Gradients.Benchmarks.Gate;

/// <summary>
/// The bytes one call of a benchmark allocates on the calling thread, counted with
/// <see cref="GC.GetAllocatedBytesForCurrentThread"/> — the A/B gate's allocation evidence.
/// </summary>
/// <remarks>
/// BenchmarkDotNet's memory diagnoser counts the bytes of every thread of the process and divides them by the
/// iteration's operations, so the runtime's own threads (the tiered compiler catching up under load, the thread
/// pool) show up as 30–5,000 B/op in some launches of a long operation. In an A/A study on a loaded machine
/// (2026-12-06) all five head launches of one case carried such bytes (1,248 B/op and 31 B/op) while base had a
/// launch with 0: two false alarms in two runs. The calling thread's counter holds only what the benchmarked call
/// allocates itself, the same in every launch. It does not see an allocation made on another thread (a parallel
/// kernel's workers); the process-wide figure stays in the table for that.
/// </remarks>
public static class CallingThreadAllocations
{
    /// <summary>The JSON property (in each benchmark's <c>Memory</c> object) that carries the count.</summary>
    public const string JsonProperty = "CallingThreadBytesPerOperation";

    /// <summary>Calls before counting: the launch has already run the benchmark hot; these only settle its state.</summary>
    private const int WarmupCalls = 2;

    /// <summary>Calls counted (at least; more for short operations, up to <see cref="CountedMilliseconds"/>).</summary>
    private const int MinimumCountedCalls = 4;

    /// <summary>How long the counted calls may take at most before the count stops at the minimum.</summary>
    private const int CountedMilliseconds = 20;

    /// <summary>
    /// Measures every case of <paramref name="summaries"/> and adds the count to BenchmarkDotNet's full JSON exports in
    /// <paramref name="resultsDirectory"/> (matched by <c>DisplayInfo</c>).
    /// </summary>
    public static void AddToExports(IEnumerable<BenchmarkDotNet.Reports.Summary> summaries, string resultsDirectory)
    {
        ArgumentNullException.ThrowIfNull(summaries);
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var report in summaries.SelectMany(s => s.Reports).Where(r => r.Success))
        {
            if (Measure(report.BenchmarkCase) is { } bytes)
            {
                counts[report.BenchmarkCase.DisplayInfo] = bytes;
            }
        }

        if (!Directory.Exists(resultsDirectory))
        {
            return;
        }

        foreach (var file in Directory.GetFiles(resultsDirectory, "*.json"))
        {
            var root = JsonNode.Parse(File.ReadAllText(file));
            if (root?["Benchmarks"] is not JsonArray benchmarks)
            {
                continue;
            }

            foreach (var benchmark in benchmarks.OfType<JsonObject>())
            {
                if (benchmark["DisplayInfo"]?.GetValue<string>() is { } display
                    && counts.TryGetValue(display, out var bytes)
                    && benchmark["Memory"] is JsonObject memory)
                {
                    memory[JsonProperty] = bytes;
                }
            }

            File.WriteAllText(file, root.ToJsonString());
        }
    }

    /// <summary>
    /// A fresh instance of the case's class with its parameters and global set-up, a few calls, then the bytes per
    /// call on this thread (rounded down); <see langword="null"/> when the case cannot be rebuilt this way.
    /// </summary>
    public static long? Measure(BenchmarkCase benchmarkCase)
    {
        ArgumentNullException.ThrowIfNull(benchmarkCase);
        var descriptor = benchmarkCase.Descriptor;
        if (descriptor.WorkloadMethod.GetParameters().Length > 0 || descriptor.IterationSetupMethod is not null)
        {
            return null; // [Arguments] or per-iteration set-up: not rebuilt here (no gated benchmark has them)
        }

        var instance = Activator.CreateInstance(descriptor.Type);
        if (instance is null)
        {
            return null;
        }

        foreach (var parameter in benchmarkCase.Parameters.Items)
        {
            const BindingFlags Members = BindingFlags.Instance | BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic;
            if (descriptor.Type.GetProperty(parameter.Name, Members) is { CanWrite: true } property)
            {
                property.SetValue(instance, parameter.Value);
            }
            else if (descriptor.Type.GetField(parameter.Name, Members) is { } field)
            {
                field.SetValue(instance, parameter.Value);
            }
            else
            {
                return null;
            }
        }

        descriptor.GlobalSetupMethod?.Invoke(instance, null);
        try
        {
            // A compiled call that drops the result: no boxing, no reflection on the counted calls.
            var call = Expression.Lambda<Action>(
                Expression.Block(Expression.Call(Expression.Constant(instance, descriptor.Type), descriptor.WorkloadMethod), Expression.Empty())).Compile();
            for (var i = 0; i < WarmupCalls; i++)
            {
                call();
            }

            var started = Environment.TickCount64;
            var calls = 0;
            var before = GC.GetAllocatedBytesForCurrentThread();
            do
            {
                call();
                calls++;
            }
            while (calls < MinimumCountedCalls || (Environment.TickCount64 - started < CountedMilliseconds && calls < 1_000));

            return (GC.GetAllocatedBytesForCurrentThread() - before) / calls;
        }
        finally
        {
            descriptor.GlobalCleanupMethod?.Invoke(instance, null);
        }
    }
}
