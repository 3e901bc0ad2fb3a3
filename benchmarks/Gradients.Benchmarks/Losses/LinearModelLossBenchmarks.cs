using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
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

    /// <summary>
    /// The softmax's arithmetic floor: the 2·N·D·K multiply-adds any softmax pass must do (the N×K scores XW, and
    /// Xᵀ(P − Y)), issued as independent FMAs of the widest vectors on registers only — no memory, no exponentials, no
    /// reductions. No implementation of the pass in double can take less time on this core, so the softmax's ratio to
    /// the read-only pass cannot go below this row's.
    /// </summary>
    [Benchmark]
    [Reference("the softmax's 2·N·D·K multiply-adds from registers (its arithmetic floor)")]
    public double SoftmaxArithmeticFloor() => MultiplyAddFloor.Run((long)2 * Shape.Rows * Shape.Columns * Classes, _softmaxWeights);
}

/// <summary>A count of double multiply-adds at the core's peak rate: twelve independent FMA chains of the widest vectors.</summary>
internal static class MultiplyAddFloor
{
    /// <summary>Issues at least <paramref name="multiplyAdds"/> scalar multiply-adds (rounded up to whole rounds of 12 vectors); returns a sum of the results.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static double Run(long multiplyAdds, double[] seed)
    {
        // MultiplyAddEstimate is one FMA where the core has them (a multiply and an add where it has not, as the kernels do).
        // Twelve chains cover an FMA latency of 4 cycles on two ports with room to spare; x·a + b with a just below 1
        // converges to b/(1 − a), so the values stay normal (no subnormal slow path) and cannot be folded away.
        if (Vector512.IsHardwareAccelerated)
        {
            var a = Vector512.Create(1 - (seed[0] * 1e-9));
            var b = Vector512.Create(seed[1]);
            Vector512<double> c0 = b, c1 = b, c2 = b, c3 = b, c4 = b, c5 = b, c6 = b, c7 = b, c8 = b, c9 = b, c10 = b, c11 = b;
            for (var round = (multiplyAdds + (12 * 8) - 1) / (12 * 8); round > 0; round--)
            {
                (c0, c1, c2, c3) = (Vector512.MultiplyAddEstimate(c0, a, b), Vector512.MultiplyAddEstimate(c1, a, b), Vector512.MultiplyAddEstimate(c2, a, b), Vector512.MultiplyAddEstimate(c3, a, b));
                (c4, c5, c6, c7) = (Vector512.MultiplyAddEstimate(c4, a, b), Vector512.MultiplyAddEstimate(c5, a, b), Vector512.MultiplyAddEstimate(c6, a, b), Vector512.MultiplyAddEstimate(c7, a, b));
                (c8, c9, c10, c11) = (Vector512.MultiplyAddEstimate(c8, a, b), Vector512.MultiplyAddEstimate(c9, a, b), Vector512.MultiplyAddEstimate(c10, a, b), Vector512.MultiplyAddEstimate(c11, a, b));
            }

            return Vector512.Sum(((c0 + c1) + (c2 + c3)) + ((c4 + c5) + (c6 + c7)) + ((c8 + c9) + (c10 + c11)));
        }

        if (Vector256.IsHardwareAccelerated)
        {
            var a = Vector256.Create(1 - (seed[0] * 1e-9));
            var b = Vector256.Create(seed[1]);
            Vector256<double> c0 = b, c1 = b, c2 = b, c3 = b, c4 = b, c5 = b, c6 = b, c7 = b, c8 = b, c9 = b, c10 = b, c11 = b;
            for (var round = (multiplyAdds + (12 * 4) - 1) / (12 * 4); round > 0; round--)
            {
                (c0, c1, c2, c3) = (Vector256.MultiplyAddEstimate(c0, a, b), Vector256.MultiplyAddEstimate(c1, a, b), Vector256.MultiplyAddEstimate(c2, a, b), Vector256.MultiplyAddEstimate(c3, a, b));
                (c4, c5, c6, c7) = (Vector256.MultiplyAddEstimate(c4, a, b), Vector256.MultiplyAddEstimate(c5, a, b), Vector256.MultiplyAddEstimate(c6, a, b), Vector256.MultiplyAddEstimate(c7, a, b));
                (c8, c9, c10, c11) = (Vector256.MultiplyAddEstimate(c8, a, b), Vector256.MultiplyAddEstimate(c9, a, b), Vector256.MultiplyAddEstimate(c10, a, b), Vector256.MultiplyAddEstimate(c11, a, b));
            }

            return Vector256.Sum(((c0 + c1) + (c2 + c3)) + ((c4 + c5) + (c6 + c7)) + ((c8 + c9) + (c10 + c11)));
        }

        var a2 = Vector128.Create(1 - (seed[0] * 1e-9));
        var b2 = Vector128.Create(seed[1]);
        Vector128<double> d0 = b2, d1 = b2, d2 = b2, d3 = b2, d4 = b2, d5 = b2, d6 = b2, d7 = b2, d8 = b2, d9 = b2, d10 = b2, d11 = b2;
        for (var round = (multiplyAdds + (12 * 2) - 1) / (12 * 2); round > 0; round--)
        {
            (d0, d1, d2, d3) = (Vector128.MultiplyAddEstimate(d0, a2, b2), Vector128.MultiplyAddEstimate(d1, a2, b2), Vector128.MultiplyAddEstimate(d2, a2, b2), Vector128.MultiplyAddEstimate(d3, a2, b2));
            (d4, d5, d6, d7) = (Vector128.MultiplyAddEstimate(d4, a2, b2), Vector128.MultiplyAddEstimate(d5, a2, b2), Vector128.MultiplyAddEstimate(d6, a2, b2), Vector128.MultiplyAddEstimate(d7, a2, b2));
            (d8, d9, d10, d11) = (Vector128.MultiplyAddEstimate(d8, a2, b2), Vector128.MultiplyAddEstimate(d9, a2, b2), Vector128.MultiplyAddEstimate(d10, a2, b2), Vector128.MultiplyAddEstimate(d11, a2, b2));
        }

        return Vector128.Sum(((d0 + d1) + (d2 + d3)) + ((d4 + d5) + (d6 + d7)) + ((d8 + d9) + (d10 + d11)));
    }
}
