using System.Text.Json.Nodes;
using Gradients.Benchmarks.Gate;

namespace Gradients.Benchmarks.Tests.Gate;

/// <summary>One benchmark of a synthetic run: the fields of BenchmarkDotNet's JSON that the gate reads.</summary>
internal sealed record SyntheticResult(string Type, string Method, string Parameters, double MeanNanoseconds, long AllocatedBytes)
{
    public string Namespace { get; init; } = typeof(SyntheticResult).Namespace!;

    public double? MedianNanoseconds { get; init; }

    /// <summary>Whether the benchmark failed: BenchmarkDotNet then writes <c>"Statistics": null</c>.</summary>
    public bool Failed { get; init; }

    public BenchmarkMeasurement ToMeasurement() => new(
        new BenchmarkKey(Type, Method, BenchmarkKey.ParseBenchmarkDotNetParameters(Parameters)),
        Namespace,
        Failed ? null : MeanNanoseconds,
        Failed ? null : MedianNanoseconds ?? MeanNanoseconds,
        Failed ? null : AllocatedBytes);
}

/// <summary>Writes synthetic result files in the shape of BenchmarkDotNet's full JSON export (see Data/).</summary>
internal static class SyntheticResults
{
    /// <summary>A result of <see cref="SumBenchmarks{T}"/> closed over double.</summary>
    public static SyntheticResult Result(string method, string parameters, double mean, long allocated = 0) =>
        new("SumBenchmarks<Double>", method, parameters, mean, allocated);

    public static string Write(string directory, string fileName, IEnumerable<SyntheticResult> results)
    {
        var benchmarks = new JsonArray();
        foreach (var r in results)
        {
            var parameters = string.IsNullOrEmpty(r.Parameters) ? "" : $"({r.Parameters.Replace("=", ": ", StringComparison.Ordinal).Replace("&", ", ", StringComparison.Ordinal)})";
            var median = r.MedianNanoseconds ?? r.MeanNanoseconds;
            benchmarks.Add(new JsonObject
            {
                ["DisplayInfo"] = $"{r.Type}.{r.Method}: Gate(IterationCount=5, LaunchCount=1, WarmupCount=3) [{r.Parameters.Replace("&", ", ", StringComparison.Ordinal)}]",
                ["Namespace"] = r.Namespace,
                ["Type"] = r.Type,
                ["Method"] = r.Method,
                ["MethodTitle"] = r.Method,
                ["Parameters"] = r.Parameters,
                ["FullName"] = $"{r.Namespace}.{r.Type}.{r.Method}{parameters}",
                ["HardwareIntrinsics"] = "AVX2,AVX,SSE4.2 VectorSize=256",
                ["Statistics"] = r.Failed ? null : new JsonObject
                {
                    ["OriginalValues"] = new JsonArray(r.MeanNanoseconds, r.MeanNanoseconds),
                    ["N"] = 5,
                    ["Min"] = Math.Min(median, r.MeanNanoseconds),
                    ["Median"] = median,
                    ["Mean"] = r.MeanNanoseconds,
                    ["Max"] = Math.Max(median, r.MeanNanoseconds),
                    ["StandardError"] = 0.0,
                    ["Skewness"] = "",
                },
                ["Memory"] = new JsonObject
                {
                    ["Gen0Collections"] = 0,
                    ["Gen1Collections"] = 0,
                    ["Gen2Collections"] = 0,
                    ["TotalOperations"] = 1000,
                    ["BytesAllocatedPerOperation"] = r.AllocatedBytes,
                },
            });
        }

        var root = new JsonObject
        {
            ["Title"] = "Synthetic-" + fileName,
            ["HostEnvironmentInfo"] = new JsonObject { ["BenchmarkDotNetVersion"] = "0.15.8", ["ProcessorName"] = "synthetic" },
            ["Benchmarks"] = benchmarks,
        };
        var path = Path.Combine(directory, fileName);
        File.WriteAllText(path, root.ToJsonString());
        return path;
    }
}

/// <summary>A fresh directory under the system's temporary folder, deleted at the end of the test.</summary>
internal sealed class TemporaryDirectory : IDisposable
{
    public TemporaryDirectory()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "gradients-gate-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
