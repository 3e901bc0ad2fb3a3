using BenchmarkDotNet.Attributes;

namespace Gradients.Benchmarks.Losses;

/// <summary>
/// The mean squared error on float data in cache, where the arithmetic, not memory, sets the time: the default
/// <see cref="FloatArithmetic.Accurate"/> (η in double from widened floats) against <see cref="FloatArithmetic.Fast"/>
/// (η in float) and against the same data in double. Rows of four features (the transposed kernels: 400 × 4, 6 KB) and
/// full chunks of the wide kernels in L2 (1024 × 64 and 2048 × 128, 256 KB and 1 MB). Compare ratios within one run.
/// </summary>
[MemoryDiagnoser]
public class FloatArithmeticBenchmarks
{
    private static readonly MeanSquaredErrorOptions FastArithmetic = new() { FloatArithmetic = FloatArithmetic.Fast };
    private float[] _features = [];
    private float[] _targets = [];
    private float[] _weights = [];
    private float[] _gradient = [];
    private double[] _featuresDouble = [];
    private double[] _targetsDouble = [];
    private double[] _weightsDouble = [];
    private double[] _gradientDouble = [];

    /// <summary>The shapes: rows of four features in L1, and two full chunks of the wide kernels in L2.</summary>
    public static IEnumerable<Shape> Shapes => [new Shape(400, 4), new Shape(1024, 64), new Shape(2048, 128)];

    /// <summary>The shape of this case.</summary>
    [ParamsSource(nameof(Shapes))]
    public Shape Shape { get; set; } = new(400, 4);

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(42);
        var (n, d) = (Shape.Rows, Shape.Columns);
        _features = [.. Enumerable.Range(0, n * d).Select(_ => (float)(random.NextDouble() - 0.5))];
        _targets = [.. Enumerable.Range(0, n).Select(_ => (float)random.NextDouble())];
        _weights = [.. Enumerable.Range(0, d).Select(_ => (float)(random.NextDouble() - 0.5))];
        _gradient = new float[d];
        _featuresDouble = [.. _features.Select(v => (double)v)];
        _targetsDouble = [.. _targets.Select(v => (double)v)];
        _weightsDouble = [.. _weights.Select(v => (double)v)];
        _gradientDouble = new double[d];
    }

    /// <summary>float data, the default arithmetic.</summary>
    [Benchmark(Baseline = true)]
    public float Accurate() => MeanSquaredError.LossAndGradient<float>(_features, _targets, _weights, _gradient);

    /// <summary>float data, <see cref="FloatArithmetic.Fast"/>.</summary>
    [Benchmark]
    public float Fast() => MeanSquaredError.LossAndGradient<float>(_features, _targets, _weights, _gradient, FastArithmetic);

    /// <summary>The same values as double data (the option does not apply).</summary>
    [Benchmark]
    public double DoubleData() => MeanSquaredError.LossAndGradient<double>(_featuresDouble, _targetsDouble, _weightsDouble, _gradientDouble);
}
