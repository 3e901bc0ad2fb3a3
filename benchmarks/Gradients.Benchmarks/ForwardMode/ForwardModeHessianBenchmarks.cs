using BenchmarkDotNet.Attributes;

namespace Gradients.Benchmarks.ForwardMode;

/// <summary>
/// The exact forward-mode Hessian of a generic Rosenbrock (an outer dual over a chunk of N inner tangents, the upper
/// triangle's Σⱼ ⌈(j + 1)/N⌉ evaluations) against the central-difference Hessian of the same function (2n² + 1
/// evaluations, error ~ε^(1/2)), in one class so the ratio is measured side by side; both 0 B.
/// </summary>
[MemoryDiagnoser]
public class ForwardModeHessianBenchmarks
{
    private double[] _x = [];
    private double[] _hessian = [];

    [Params(10, 100)]
    public int N { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _x = new double[N];
        for (var i = 0; i < N; i++)
        {
            _x[i] = (i % 2 == 0) ? -1.2 : 1.0;
        }

        _hessian = new double[N * N];
    }

    [Benchmark(Baseline = true)]
    public double CentralDifference()
    {
        FiniteDifference.Hessian(new GenericRosenbrock(), _x, _hessian);
        return _hessian[0];
    }

    [Benchmark]
    public double ForwardModeHessian()
    {
        Gradients.ForwardMode.Hessian(new GenericRosenbrock(), _x, _hessian);
        return _hessian[0];
    }
}
