using BenchmarkDotNet.Attributes;

namespace Gradients.Benchmarks.Losses;

/// <summary>
/// Rows of fewer than 32 doubles, where the fused pass is bound by its work per row rather than by memory (the wide
/// kernel with its phases overlapped): the mean squared error and the logistic loss at 640,000 × 20 (102 MB of X, a
/// common width for tabular data) against the read-only pass over X. Double, one thread; compare ratios within one run.
/// </summary>
[MemoryDiagnoser]
public class ShortRowBenchmarks
{
    private const int Rows = 640_000;
    private const int Columns = 20;
    private double[] _features = [];
    private double[] _targets = [];
    private double[] _labels01 = [];
    private double[] _weights = [];
    private double[] _gradient = [];

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(42);
        _features = new double[Rows * Columns];
        for (var i = 0; i < _features.Length; i++)
        {
            _features[i] = random.NextDouble() - 0.5;
        }

        _targets = [.. Enumerable.Range(0, Rows).Select(_ => random.NextDouble())];
        _labels01 = [.. Enumerable.Range(0, Rows).Select(_ => (double)random.Next(2))];
        _weights = [.. Enumerable.Range(0, Columns).Select(_ => random.NextDouble() - 0.5)];
        _gradient = new double[Columns];
    }

    /// <summary>The memory floor: the sum of X with 256-bit vectors.</summary>
    [Benchmark(Baseline = true)]
    [Reference("a read-only pass over X (floor)")]
    public double ReadOnlyPass256() => ReadOnlyPass.Sum256<double>(_features);

    /// <summary>MeanSquaredError, one thread.</summary>
    [Benchmark]
    public double MeanSquaredErrorLossAndGradient() => MeanSquaredError.LossAndGradient<double>(_features, _targets, _weights, _gradient);

    /// <summary>LogisticLoss, one thread.</summary>
    [Benchmark]
    public double LogisticLossAndGradient() => LogisticLoss.LossAndGradient<double>(_features, _labels01, _weights, _gradient);
}
