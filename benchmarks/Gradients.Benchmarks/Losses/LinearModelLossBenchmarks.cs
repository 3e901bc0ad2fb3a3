using BenchmarkDotNet.Attributes;

namespace Gradients.Benchmarks.Losses;

/// <summary>
/// The linear-model losses against the read-only pass over X (the memory floor, as in
/// <see cref="MeanSquaredErrorBenchmarks{T}"/>) and the MSE kernel, double, one thread, at the shapes.
/// The bounds: logistic ≤ 1.3× and softmax (K = 10, at 100 000 × 128) ≤ 2× the read-only pass.
/// Compare ratios within one run: the machine is shared.
/// </summary>
[MemoryDiagnoser]
public class LinearModelLossBenchmarks
{
    private const int Classes = 10;
    private double[] _features = [];
    private double[] _targets = [];
    private double[] _labels01 = [];
    private int[] _classLabels = [];
    private double[] _weights = [];
    private double[] _gradient = [];
    private double[] _softmaxWeights = [];
    private double[] _softmaxGradient = [];

    /// <summary>The shapes.</summary>
    public static IEnumerable<Shape> Shapes => [new Shape(100_000, 128), new Shape(2_000_000, 16)];

    /// <summary>The shape of this case.</summary>
    [ParamsSource(nameof(Shapes))]
    public Shape Shape { get; set; } = new(100_000, 128);

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(42);
        var (n, d) = (Shape.Rows, Shape.Columns);
        _features = new double[n * d];
        for (var i = 0; i < _features.Length; i++)
        {
            _features[i] = random.NextDouble() - 0.5;
        }

        _targets = [.. Enumerable.Range(0, n).Select(_ => random.NextDouble())];
        _labels01 = [.. Enumerable.Range(0, n).Select(_ => (double)random.Next(2))];
        _classLabels = [.. Enumerable.Range(0, n).Select(_ => random.Next(Classes))];
        _weights = [.. Enumerable.Range(0, d).Select(_ => random.NextDouble() - 0.5)];
        _gradient = new double[d];
        _softmaxWeights = [.. Enumerable.Range(0, d * Classes).Select(_ => random.NextDouble() - 0.5)];
        _softmaxGradient = new double[d * Classes];
    }

    /// <summary>The memory floor: the sum of X with 256-bit vectors.</summary>
    [Benchmark(Baseline = true)]
    [Reference("a read-only pass over X (floor)")]
    public double ReadOnlyPass256() => ReadOnlyPass.Sum256<double>(_features);

    /// <summary>
    /// The MSE kernel (an instance of the same generic pass), as context for the other losses. The same call at the same
    /// shapes is gated in <see cref="MeanSquaredErrorBenchmarks{T}"/>; gating it twice would spend a pull request's
    /// budget on a second verdict about the same code.
    /// </summary>
    [Benchmark]
    [Reference("the MSE kernel, gated in MeanSquaredErrorBenchmarks<T> at the same shapes")]
    public double MeanSquaredErrorLossAndGradient() => MeanSquaredError.LossAndGradient<double>(_features, _targets, _weights, _gradient);

    /// <summary>LogisticLoss, one thread.</summary>
    [Benchmark]
    public double LogisticLossAndGradient() => LogisticLoss.LossAndGradient<double>(_features, _labels01, _weights, _gradient);

    /// <summary>PoissonLoss, one thread (0/1 targets are valid counts).</summary>
    [Benchmark]
    public double PoissonLossAndGradient() => PoissonLoss.LossAndGradient<double>(_features, _labels01, _weights, _gradient);

    /// <summary>HuberLoss, one thread.</summary>
    [Benchmark]
    public double HuberLossAndGradient() => HuberLoss.LossAndGradient<double>(_features, _targets, _weights, _gradient);

    /// <summary>SoftmaxCrossEntropy with K = 10, one thread.</summary>
    [Benchmark]
    public double SoftmaxLossAndGradient() => SoftmaxCrossEntropy.LossAndGradient<double>(_features, _classLabels, _softmaxWeights, _softmaxGradient);
}
