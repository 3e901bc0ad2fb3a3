namespace Gradients.Benchmarks.Gate;

/// <summary>One benchmark's result at one parameter set, from a BenchmarkDotNet summary or its exported JSON.</summary>
/// <param name="Key">Type, method and parameters.</param>
/// <param name="Namespace">The benchmark class's namespace (tells apart two classes of the same name).</param>
/// <param name="Categories">The method's <c>[BenchmarkCategory]</c> names; a class may hold one baseline per category.</param>
/// <param name="IsBaseline">Whether the method is the class's <c>[Benchmark(Baseline = true)]</c>.</param>
/// <param name="MeanNanoseconds">Mean time per operation, or <see langword="null"/> when the benchmark produced no result.</param>
/// <param name="MedianNanoseconds">Median time per operation, or <see langword="null"/> when the benchmark produced no result.</param>
/// <param name="AllocatedBytesPerOperation">Managed bytes allocated per operation, or <see langword="null"/> without the memory diagnoser.</param>
public sealed record BenchmarkMeasurement(
    BenchmarkKey Key,
    string Namespace,
    IReadOnlyList<string> Categories,
    bool IsBaseline,
    double? MeanNanoseconds,
    double? MedianNanoseconds,
    long? AllocatedBytesPerOperation)
{
    /// <summary>The benchmark's full name, namespace included: <c>Namespace.Type.Method(parameters)</c>.</summary>
    public string FullName => string.IsNullOrEmpty(Namespace) ? Key.ToString() : $"{Namespace}.{Key}";

    /// <summary>
    /// The class and parameter set whose baseline this measurement is divided by: namespace, type and the parameters
    /// in a fixed order. (When a class holds several baselines, one per category, the category set picks among them.)
    /// </summary>
    public string ComparisonGroup =>
        $"{Namespace}.{Key.Type}({string.Join(",", Key.Parameters.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}"))})";
}
