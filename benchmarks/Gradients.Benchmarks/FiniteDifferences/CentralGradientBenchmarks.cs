using BenchmarkDotNet.Attributes;
using MathNet.Numerics.Differentiation;

namespace Gradients.Benchmarks.FiniteDifferences;

/// <summary>
/// Central-difference gradient of Rosenbrock against its floor — the 2n evaluations of f themselves (with the
/// same moves of one coordinate) — and against MathNet.Numerics 5's <c>NumericalJacobian</c> on the same function.
/// Targets (issue 3): ≤ 1.1× the baseline, 0 B allocated, faster than MathNet.
/// </summary>
[MemoryDiagnoser]
public class CentralGradientBenchmarks
{
    private double[] _x = [];
    private double[] _scratch = [];
    private double[] _gradient = [];
    private Func<ReadOnlySpan<double>, double> _delegate = null!;
    private Func<double[], double> _mathNetFunction = null!;
    private NumericalJacobian _mathNet = null!;

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
        _delegate = static x => new Rosenbrock().Evaluate(x);
        _mathNetFunction = static x => new Rosenbrock().Evaluate(x);
        _mathNet = new NumericalJacobian();
    }

    /// <summary>The floor: 2n evaluations of f, each after moving one coordinate, as the gradient does.</summary>
    [Benchmark(Baseline = true)]
    [Reference("the 2n evaluations of f (floor)")]
    public double TwoNEvaluations()
    {
        var f = new Rosenbrock();
        var sum = 0.0;
        var point = _scratch;
        for (var i = 0; i < point.Length; i++)
        {
            var xi = point[i];
            point[i] = xi + 1e-5;
            sum += f.Evaluate(point);
            point[i] = xi - 1e-5;
            sum -= f.Evaluate(point);
            point[i] = xi;
        }

        return sum;
    }

    [Benchmark]
    public double GradientStruct()
    {
        FiniteDifference.Gradient(new Rosenbrock(), _x, _gradient);
        return _gradient[0];
    }

    [Benchmark]
    public double GradientDelegate()
    {
        FiniteDifference.Gradient(_delegate, _x, _gradient);
        return _gradient[0];
    }

    [Benchmark]
    [Reference("MathNet.Numerics")]
    public double MathNetNumericalJacobian() => _mathNet.Evaluate(_mathNetFunction, _x)[0];

    /// <summary>Rosenbrock, Σ 100(xᵢ₊₁ − xᵢ²)² + (1 − xᵢ)², as an inlinable struct.</summary>
    public readonly struct Rosenbrock : IScalarFunction<double>
    {
        public double Evaluate(ReadOnlySpan<double> x)
        {
            var sum = 0.0;
            for (var i = 0; i + 1 < x.Length; i++)
            {
                var a = x[i + 1] - (x[i] * x[i]);
                var b = 1.0 - x[i];
                sum += (100.0 * a * a) + (b * b);
            }

            return sum;
        }
    }
}
