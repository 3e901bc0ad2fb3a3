using System.Numerics;
using BenchmarkDotNet.Attributes;

namespace Gradients.Benchmarks.Losses;

/// <summary>
/// Rows of one to four features (simple linear regression, and a few features beside it), about 16,000,000 elements of X
/// (128 MB double, 64 MB float; whole rows, so 15,999,999 at D = 3): the mean squared error and the logistic loss against the read-only pass over X, and
/// against one over X and y, which the pass must read too (as many bytes as X at D = 1, 1/D as many at D features): the
/// floor of these shapes. Compare ratios within one run.
/// </summary>
/// <typeparam name="T">double or float.</typeparam>
[MemoryDiagnoser]
[GenericTypeArguments(typeof(double))]
[GenericTypeArguments(typeof(float))]
public class NarrowRowBenchmarks<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private const int Elements = 16_000_000;
    private T[] _features = [];
    private T[] _targets = [];
    private T[] _labels01 = [];
    private T[] _weights = [];
    private T[] _gradient = [];

    /// <summary>D, the features per row.</summary>
    [Params(1, 2, 3, 4)]
    public int Columns { get; set; } = 1;

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(42);
        var rows = Elements / Columns;
        _features = new T[rows * Columns];
        for (var i = 0; i < _features.Length; i++)
        {
            _features[i] = T.CreateTruncating(random.NextDouble() - 0.5);
        }

        _targets = [.. Enumerable.Range(0, rows).Select(_ => T.CreateTruncating(random.NextDouble()))];
        _labels01 = [.. Enumerable.Range(0, rows).Select(_ => T.CreateTruncating(random.Next(2)))];
        _weights = [.. Enumerable.Range(0, Columns).Select(_ => T.CreateTruncating(random.NextDouble() - 0.5))];
        _gradient = new T[Columns];
    }

    /// <summary>The sum of X with 256-bit vectors: the floor of a pass that reads X only.</summary>
    [Benchmark(Baseline = true)]
    [Reference("a read-only pass over X")]
    public T ReadOnlyPass256() => ReadOnlyPass.Sum256<T>(_features);

    /// <summary>The sums of X and of y with 256-bit vectors: every byte a loss pass must read, read once.</summary>
    [Benchmark]
    [Reference("a read-only pass over X and y (floor)")]
    public T ReadOnlyPassWithTargets256() => ReadOnlyPass.Sum256<T>(_features) + ReadOnlyPass.Sum256<T>(_targets);

    /// <summary>MeanSquaredError, one thread.</summary>
    [Benchmark]
    public T MeanSquaredErrorLossAndGradient() => MeanSquaredError.LossAndGradient<T>(_features, _targets, _weights, _gradient);

    /// <summary>LogisticLoss, one thread.</summary>
    [Benchmark]
    public T LogisticLossAndGradient() => LogisticLoss.LossAndGradient<T>(_features, _labels01, _weights, _gradient);
}
