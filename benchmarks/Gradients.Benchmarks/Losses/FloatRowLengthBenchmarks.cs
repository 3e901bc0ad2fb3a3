using BenchmarkDotNet.Attributes;

namespace Gradients.Benchmarks.Losses;

/// <summary>
/// float rows whose length is not a multiple of 16 floats (24, 36, 40, 100 and 1000 features; 24,000,000 floats of X, 96 MB):
/// the mean squared error and the logistic loss against the 256-bit read-only pass over X. With AVX-512, rows of 24 and
/// 40 run the 256-bit wide float kernel off Intel's processors (<c>FusedPass.RowsSuit256BitVectors</c>), where the
/// 512-bit one, which ends each row in an overlapping, masked step, took 1.4–1.6× the time on Zen 4; rows of 36 and 100
/// keep the 512-bit kernel. None of these rows is a whole number of 64-byte lines, so the kernels give their L2 hints in
/// address order (<c>FusedPass.L2HintsInAddressOrder</c>). Rows of 1000, past the float kernels' limit of 512, run the
/// double kernel that spreads each block's gradient terms over the next block's dot products. Compare ratios within one
/// run.
/// </summary>
[MemoryDiagnoser]
public class FloatRowLengthBenchmarks
{
    private const int Elements = 24_000_000;
    private float[] _features = [];
    private float[] _targets = [];
    private float[] _labels01 = [];
    private float[] _weights = [];
    private float[] _gradient = [];

    /// <summary>D, the features per row.</summary>
    [Params(24, 36, 40, 100, 1000)]
    public int Columns { get; set; } = 24;

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(42);
        var rows = Elements / Columns;
        _features = [.. Enumerable.Range(0, rows * Columns).Select(_ => (float)(random.NextDouble() - 0.5))];
        _targets = [.. Enumerable.Range(0, rows).Select(_ => (float)random.NextDouble())];
        _labels01 = [.. Enumerable.Range(0, rows).Select(_ => (float)random.Next(2))];
        _weights = [.. Enumerable.Range(0, Columns).Select(_ => (float)(random.NextDouble() - 0.5))];
        _gradient = new float[Columns];
    }

    /// <summary>The sum of X with 256-bit vectors: the floor of a pass that reads X.</summary>
    [Benchmark(Baseline = true)]
    [Reference("a read-only pass over X")]
    public float ReadOnlyPass256() => ReadOnlyPass.Sum256<float>(_features);

    /// <summary>MeanSquaredError, one thread.</summary>
    [Benchmark]
    public float MeanSquaredErrorLossAndGradient() => MeanSquaredError.LossAndGradient<float>(_features, _targets, _weights, _gradient);

    /// <summary>LogisticLoss, one thread.</summary>
    [Benchmark]
    public float LogisticLossAndGradient() => LogisticLoss.LossAndGradient<float>(_features, _labels01, _weights, _gradient);
}
