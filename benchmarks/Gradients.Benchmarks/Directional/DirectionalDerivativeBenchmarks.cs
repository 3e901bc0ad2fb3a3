using BenchmarkDotNet.Attributes;

namespace Gradients.Benchmarks.Directional;

/// <summary>
/// The chapter's sweep: directional derivatives along k = 360 directions, in one batched call against the baseline
/// of 360 single calls (same results bit for bit), and against a naive dot/norm loop with no scaling or validation
/// (what the robustness costs). n = 2 is the chapter's case; n = 256 exercises the vectorized path.
/// </summary>
[MemoryDiagnoser]
public class DirectionalDerivativeBenchmarks
{
    private const int DirectionCount = 360;
    private double[] _gradient = [];
    private double[] _directions = [];
    private double[] _rates = [];

    [Params(2, 256)]
    public int N { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(1);
        _gradient = Enumerable.Range(0, N).Select(_ => random.NextDouble() - 0.5).ToArray();
        _directions = Enumerable.Range(0, DirectionCount * N).Select(_ => random.NextDouble() - 0.5).ToArray();
        _rates = new double[DirectionCount];
    }

    [Benchmark(Baseline = true)]
    public double SingleCalls()
    {
        var n = N;
        for (var j = 0; j < DirectionCount; j++)
        {
            _rates[j] = Gradients.Directional.Derivative<double>(_gradient, _directions.AsSpan(j * n, n));
        }

        return _rates[^1];
    }

    [Benchmark]
    public double Batched()
    {
        Gradients.Directional.Derivatives<double>(_gradient, _directions, _rates);
        return _rates[^1];
    }

    /// <summary>Σgᵢdᵢ/√Σdᵢ², unscaled and unchecked: overflows for |d| ≳ 1e154 and loses digits for tiny d.</summary>
    [Benchmark]
    [Reference("a naive dot/norm loop")]
    public double NaiveLoop()
    {
        var n = N;
        for (var j = 0; j < DirectionCount; j++)
        {
            var direction = _directions.AsSpan(j * n, n);
            double dot = 0, sumOfSquares = 0;
            for (var i = 0; i < n; i++)
            {
                dot += _gradient[i] * direction[i];
                sumOfSquares += direction[i] * direction[i];
            }

            _rates[j] = dot / Math.Sqrt(sumOfSquares);
        }

        return _rates[^1];
    }
}
