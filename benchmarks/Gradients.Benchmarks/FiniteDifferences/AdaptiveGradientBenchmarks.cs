using BenchmarkDotNet.Attributes;

namespace Gradients.Benchmarks.FiniteDifferences;

/// <summary>
/// The <see cref="FiniteDifferenceScheme.Adaptive"/> gradient of Rosenbrock against its floor: the same number of
/// evaluations of f (counted by one adaptive run in the setup), each after moving one coordinate, so the ratio is the
/// cost of the tableau, the step search and the bookkeeping per evaluation. Target (issue 14): close to 1×, 0 B.
/// </summary>
[MemoryDiagnoser]
public class AdaptiveGradientBenchmarks
{
    private static readonly FiniteDifferenceOptions<double> Adaptive = new() { Scheme = FiniteDifferenceScheme.Adaptive };

    private double[] _x = [];
    private double[] _scratch = [];
    private double[] _gradient = [];
    private int _evaluationsPerCoordinate;

    [Params(10, 100, 1000)]
    public int N { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _x = new double[N];
        for (var i = 0; i < N; i++)
        {
            _x[i] = (i % 2 == 0) ? -1.2 : 1.0;
        }

        _scratch = (double[])_x.Clone();
        _gradient = new double[N];
        var result = FiniteDifference.Gradient(new CentralGradientBenchmarks.Rosenbrock(), _x, _gradient, Adaptive);
        _evaluationsPerCoordinate = Math.Max(1, result.Evaluations / N);
    }

    /// <summary>The floor: as many evaluations of f per coordinate as the adaptive gradient makes, each after moving that coordinate.</summary>
    [Benchmark(Baseline = true)]
    [Reference("the same number of evaluations of f (floor)")]
    public double SameEvaluations()
    {
        var f = new CentralGradientBenchmarks.Rosenbrock();
        var sum = 0.0;
        var point = _scratch;
        for (var i = 0; i < point.Length; i++)
        {
            var xi = point[i];
            var h = 0.25;
            for (var k = 0; k < _evaluationsPerCoordinate; k++)
            {
                point[i] = xi + h;
                sum += f.Evaluate(point);
                h = -h * 0.75;
            }

            point[i] = xi;
        }

        return sum;
    }

    [Benchmark]
    public double GradientAdaptive()
    {
        FiniteDifference.Gradient(new CentralGradientBenchmarks.Rosenbrock(), _x, _gradient, Adaptive);
        return _gradient[0];
    }
}
