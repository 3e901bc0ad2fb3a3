using System.Numerics;
using BenchmarkDotNet.Attributes;

namespace Gradients.Benchmarks.ForwardMode;

/// <summary>
/// The exact forward-mode gradient of a generic Rosenbrock (⌈n/N⌉ evaluations with N tangents in vector registers)
/// against the central-difference gradient of the same function (2n evaluations), in one class so the ratio is
/// measured side by side. Targets (issue 15): ≤ 0.5× the central-difference time at n = 100 and 1000, 0 B.
/// </summary>
[MemoryDiagnoser]
public class ForwardModeGradientBenchmarks
{
    private double[] _x = [];
    private double[] _gradient = [];

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

        _gradient = new double[N];
    }

    [Benchmark(Baseline = true)]
    [Reference("the central-difference gradient, gated in CentralGradientBenchmarks")]
    public double CentralDifference()
    {
        FiniteDifference.Gradient(new GenericRosenbrock(), _x, _gradient);
        return _gradient[0];
    }

    [Benchmark]
    public double ForwardModeGradient()
    {
        Gradients.ForwardMode.Gradient(new GenericRosenbrock(), _x, _gradient);
        return _gradient[0];
    }
}

/// <summary>
/// The directional derivative by forward mode (one evaluation with one tangent) against one evaluation of f.
/// Target (issue 15): ≤ 3× the primal. <see cref="DualEvaluation"/> is f alone on duals seeded beforehand: the floor
/// the call cannot go below (what remains is the seed pass over x and d, ‖d‖ and the division).
/// </summary>
[MemoryDiagnoser]
public class ForwardModeDirectionalBenchmarks
{
    private double[] _x = [];
    private double[] _direction = [];
    private Dual<double>[] _duals = [];

    [Params(10, 100, 1000)]
    public int N { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _x = new double[N];
        _direction = new double[N];
        for (var i = 0; i < N; i++)
        {
            _x[i] = (i % 2 == 0) ? -1.2 : 1.0;
            _direction[i] = 1.0 + (0.001 * i);
        }

        _duals = new Dual<double>[N];
        for (var i = 0; i < N; i++)
        {
            _duals[i] = new Dual<double>(_x[i], _direction[i]);
        }
    }

    [Benchmark(Baseline = true)]
    [Reference("one evaluation of the user's f")]
    public double Primal() => new GenericRosenbrock().Evaluate(_x);

    [Benchmark]
    public double DirectionalDerivative() => Gradients.ForwardMode.DirectionalDerivative(new GenericRosenbrock(), _x, _direction);

    [Benchmark]
    [Reference("f on duals seeded beforehand (floor)")]
    public double DualEvaluation() => new GenericRosenbrock().Evaluate<Dual<double>>(_duals).Tangent;
}

/// <summary>Rosenbrock written once over T: the same code serves finite differences (T = double) and forward mode.</summary>
public readonly struct GenericRosenbrock : IGenericScalarFunction, IScalarFunction<double>
{
    public double Evaluate(ReadOnlySpan<double> x) => Evaluate<double>(x);

    public T Evaluate<T>(ReadOnlySpan<T> x)
        where T : IFloatingPointIeee754<T>
    {
        var hundred = T.CreateTruncating(100);
        var sum = T.Zero;
        for (var i = 0; i + 1 < x.Length; i++)
        {
            var a = x[i + 1] - (x[i] * x[i]);
            var b = T.One - x[i];
            sum += (hundred * a * a) + (b * b);
        }

        return sum;
    }
}
