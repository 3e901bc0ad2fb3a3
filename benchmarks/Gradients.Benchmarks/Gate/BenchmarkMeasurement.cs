namespace Gradients.Benchmarks.Gate;

/// <summary>One benchmark's result at one parameter set, from BenchmarkDotNet's exported JSON.</summary>
/// <param name="Key">Type, method and parameters.</param>
/// <param name="Namespace">The benchmark class's namespace (tells apart two classes of the same name).</param>
/// <param name="MeanNanoseconds">Mean time per operation, or <see langword="null"/> when the benchmark produced no result.</param>
/// <param name="MedianNanoseconds">Median time per operation, or <see langword="null"/> when the benchmark produced no result.</param>
/// <param name="AllocatedBytesPerOperation">Managed bytes allocated per operation, or <see langword="null"/> without the memory diagnoser.</param>
public sealed record BenchmarkMeasurement(
    BenchmarkKey Key,
    string Namespace,
    double? MeanNanoseconds,
    double? MedianNanoseconds,
    long? AllocatedBytesPerOperation)
{
    /// <summary>
    /// Bytes per call on the calling thread (<see cref="CallingThreadAllocations"/>), or <see langword="null"/> when the
    /// launch did not count them.
    /// </summary>
    public long? CallingThreadBytesPerOperation { get; init; }

    /// <summary>The benchmark's full name, namespace included: <c>Namespace.Type.Method(parameters)</c>.</summary>
    public string FullName => string.IsNullOrEmpty(Namespace) ? Key.ToString() : $"{Namespace}.{Key}";

}
