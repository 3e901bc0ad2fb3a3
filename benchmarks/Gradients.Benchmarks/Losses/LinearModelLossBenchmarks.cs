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
    /// The softmax's arithmetic floor: the 2·N·D·(K − 1) multiply-adds any softmax pass must do (the N×(K − 1) scores
    /// relative to one class, X(W − w₀1ᵀ), and the K − 1 columns of Xᵀ(P − Y) whose sum gives the last), issued as
    /// independent FMAs of the widest vectors on registers only — no memory, no exponentials, no reductions. No
    /// implementation of the pass in double can take less time on this core, so the softmax's ratio to the read-only
    /// pass cannot go below this row's.
    /// </summary>
    [Benchmark]
    [Reference("the softmax's 2·N·D·(K − 1) multiply-adds from registers (its arithmetic floor)")]
    public double SoftmaxArithmeticFloor() => MultiplyAddFloor.Run((long)2 * Shape.Rows * Shape.Columns * (Classes - 1), _softmaxWeights);
}

/// <summary>A count of double multiply-adds at the core's peak rate: twelve independent FMA chains of the widest vectors.</summary>
internal static class MultiplyAddFloor
{
    /// <summary>Issues at least <paramref name="multiplyAdds"/> scalar multiply-adds (rounded up to whole rounds of 12 vectors); returns a sum of the results.</summary>
    public static double Run(long multiplyAdds, double[] seed) =>
        Vector512.IsHardwareAccelerated ? Run<Vector512<double>, Width512>(multiplyAdds, seed)
        : Vector256.IsHardwareAccelerated ? Run<Vector256<double>, Width256>(multiplyAdds, seed)
        : Run<Vector128<double>, Width128>(multiplyAdds, seed);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static double Run<TVector, TWidth>(long multiplyAdds, double[] seed)
        where TVector : struct
        where TWidth : struct, IWidth<TVector>
    {
        // MultiplyAddEstimate is one FMA where the core has them (a multiply and an add where it has not, as the kernels do).
        // Twelve chains cover an FMA latency of 4 cycles on two ports with room to spare; x·a + b with a just below 1
        // converges to b/(1 − a), so the values stay normal (no subnormal slow path) and cannot be folded away.
        var a = TWidth.Create(1 - (seed[0] * 1e-9));
        var b = TWidth.Create(seed[1]);
        TVector c0 = b, c1 = b, c2 = b, c3 = b, c4 = b, c5 = b, c6 = b, c7 = b, c8 = b, c9 = b, c10 = b, c11 = b;
        var perRound = 12 * TWidth.Count;
        for (var round = (multiplyAdds + perRound - 1) / perRound; round > 0; round--)
        {
            (c0, c1, c2, c3) = (TWidth.MultiplyAdd(c0, a, b), TWidth.MultiplyAdd(c1, a, b), TWidth.MultiplyAdd(c2, a, b), TWidth.MultiplyAdd(c3, a, b));
            (c4, c5, c6, c7) = (TWidth.MultiplyAdd(c4, a, b), TWidth.MultiplyAdd(c5, a, b), TWidth.MultiplyAdd(c6, a, b), TWidth.MultiplyAdd(c7, a, b));
            (c8, c9, c10, c11) = (TWidth.MultiplyAdd(c8, a, b), TWidth.MultiplyAdd(c9, a, b), TWidth.MultiplyAdd(c10, a, b), TWidth.MultiplyAdd(c11, a, b));
        }

        return TWidth.Sum(c0) + TWidth.Sum(c1) + TWidth.Sum(c2) + TWidth.Sum(c3) + TWidth.Sum(c4) + TWidth.Sum(c5)
            + TWidth.Sum(c6) + TWidth.Sum(c7) + TWidth.Sum(c8) + TWidth.Sum(c9) + TWidth.Sum(c10) + TWidth.Sum(c11);
    }

    private interface IWidth<TVector>
    {
        static abstract int Count { get; }

        static abstract TVector Create(double value);

        static abstract TVector MultiplyAdd(TVector x, TVector a, TVector b);

        static abstract double Sum(TVector x);
    }

    private readonly struct Width512 : IWidth<Vector512<double>>
    {
        public static int Count => 8;

        public static Vector512<double> Create(double value) => Vector512.Create(value);

        public static Vector512<double> MultiplyAdd(Vector512<double> x, Vector512<double> a, Vector512<double> b) => Vector512.MultiplyAddEstimate(x, a, b);

        public static double Sum(Vector512<double> x) => Vector512.Sum(x);
    }

    private readonly struct Width256 : IWidth<Vector256<double>>
    {
        public static int Count => 4;

        public static Vector256<double> Create(double value) => Vector256.Create(value);

        public static Vector256<double> MultiplyAdd(Vector256<double> x, Vector256<double> a, Vector256<double> b) => Vector256.MultiplyAddEstimate(x, a, b);

        public static double Sum(Vector256<double> x) => Vector256.Sum(x);
    }

    private readonly struct Width128 : IWidth<Vector128<double>>
    {
        public static int Count => 2;

        public static Vector128<double> Create(double value) => Vector128.Create(value);

        public static Vector128<double> MultiplyAdd(Vector128<double> x, Vector128<double> a, Vector128<double> b) => Vector128.MultiplyAddEstimate(x, a, b);

        public static double Sum(Vector128<double> x) => Vector128.Sum(x);
    }
}
