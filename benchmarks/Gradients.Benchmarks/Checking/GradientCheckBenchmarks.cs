using BenchmarkDotNet.Attributes;

namespace Gradients.Benchmarks.Checking;

/// <summary>
/// The gradient checker on Rosenbrock: the full check (Richardson per component, 4n + 1 evaluations) as baseline,
/// against the fast check with k = 8 random directions (2k + 1 evaluations, independent of n).
/// </summary>
[MemoryDiagnoser]
public class GradientCheckBenchmarks
{
    private double[] _x = [];

    [Params(10, 100, 1000)]
    public int N { get; set; }

    [GlobalSetup]
    public void Setup() => _x = Enumerable.Range(0, N).Select(i => i % 2 == 0 ? -1.2 : 1.0).ToArray();

    [Benchmark(Baseline = true)]
    public bool Full() => GradientCheck.Check<double, Rosenbrock<double>>(default, _x).Passed;

    [Benchmark]
    public bool FastEightDirections() => GradientCheck.CheckRandomDirections<double, Rosenbrock<double>>(default, _x, 8, seed: 1).Passed;
}
