using System.Numerics;
using System.Numerics.Tensors;
using BenchmarkDotNet.Attributes;

namespace Gradients.Benchmarks.Tests.Gate;

/// <summary>
/// The class behind <c>Data/SumBenchmarks-report-full.json</c> (a real BenchmarkDotNet export of this class, run once
/// by the gate and trimmed). The gate finds baselines in JSON results by reading these attributes, so the test data
/// needs the class; it is never run by the tests.
/// </summary>
[MemoryDiagnoser]
[GenericTypeArguments(typeof(double))]
public class SumBenchmarks<T>
    where T : IFloatingPointIeee754<T>
{
    private T[] _values = [];

    [Params(1000, 100000)]
    public int Length { get; set; }

    [GlobalSetup]
    public void Setup() => _values = Enumerable.Range(1, Length).Select(T.CreateChecked).ToArray();

    [Benchmark(Baseline = true)]
    public T Scalar()
    {
        var sum = T.Zero;
        foreach (var value in _values)
        {
            sum += value;
        }

        return sum;
    }

    [Benchmark]
    public T Tensor() => TensorPrimitives.Sum<T>(_values);

    [Benchmark]
    public T[] Copy() => (T[])_values.Clone();
}
