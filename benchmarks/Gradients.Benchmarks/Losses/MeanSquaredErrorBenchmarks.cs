using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using BenchmarkDotNet.Attributes;
using MathNet.Numerics.LinearAlgebra;

namespace Gradients.Benchmarks.Losses;

/// <summary>A data shape: N rows × D features.</summary>
/// <param name="Rows">N.</param>
/// <param name="Columns">D.</param>
public sealed record Shape(int Rows, int Columns)
{
    /// <inheritdoc/>
    public override string ToString() => $"{Rows}x{Columns}";
}

/// <summary>
/// The fused MSE loss and gradient against the ways one would otherwise compute it, and against the
/// fastest possible read-only pass over X (the memory-bandwidth floor), for the shapes.
/// Compare ratios within one run: the machine is shared.
/// </summary>
/// <typeparam name="T">double or float.</typeparam>
[MemoryDiagnoser]
[GenericTypeArguments(typeof(double))]
[GenericTypeArguments(typeof(float))]
public class MeanSquaredErrorBenchmarks<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private T[] _features = [];
    private T[] _targets = [];
    private T[] _weights = [];
    private T[] _gradient = [];
    private T[] _residuals = [];
    private Matrix<T>? _matrix;
    private MathNet.Numerics.LinearAlgebra.Vector<T>? _mathNetTargets;
    private MathNet.Numerics.LinearAlgebra.Vector<T>? _mathNetWeights;

    /// <summary>The shapes; (50 × 16) is where float once ran slower than double (issue 18).</summary>
    public static IEnumerable<Shape> Shapes =>
        [new Shape(50, 4), new Shape(50, 16), new Shape(1000, 1000), new Shape(100_000, 128), new Shape(2_000_000, 16)];

    /// <summary>The shape of this case.</summary>
    [ParamsSource(nameof(Shapes))]
    public Shape Shape { get; set; } = new(50, 4);

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(42);
        var (n, d) = (Shape.Rows, Shape.Columns);
        _features = new T[n * d];
        _targets = new T[n];
        _weights = new T[d];
        _gradient = new T[d];
        _residuals = new T[n];
        for (var i = 0; i < _features.Length; i++)
        {
            _features[i] = T.CreateTruncating(random.NextDouble() - 0.5);
        }

        for (var i = 0; i < n; i++)
        {
            _targets[i] = T.CreateTruncating(random.NextDouble());
        }

        for (var j = 0; j < d; j++)
        {
            _weights[j] = T.CreateTruncating(random.NextDouble() - 0.5);
        }

        // MathNet only for the shapes where its copy of X fits comfortably beside ours.
        if ((long)n * d <= 16_000_000)
        {
            _matrix = Matrix<T>.Build.Dense(n, d, (i, j) => _features[(i * d) + j]);
            _mathNetTargets = MathNet.Numerics.LinearAlgebra.Vector<T>.Build.DenseOfArray(_targets);
            _mathNetWeights = MathNet.Numerics.LinearAlgebra.Vector<T>.Build.DenseOfArray(_weights);
        }
    }

    /// <summary>Textbook scalar code: r = Xw − y into a buffer, then g = (2/N)·Xᵀr.</summary>
    [Benchmark(Baseline = true)]
    [Reference("textbook scalar loops")]
    public T NaiveTwoPass()
    {
        var (n, d) = (Shape.Rows, Shape.Columns);
        var loss = T.Zero;
        for (var i = 0; i < n; i++)
        {
            var dot = T.Zero;
            for (var j = 0; j < d; j++)
            {
                dot += _features[(i * d) + j] * _weights[j];
            }

            var r = dot - _targets[i];
            _residuals[i] = r;
            loss += r * r;
        }

        Array.Clear(_gradient);
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < d; j++)
            {
                _gradient[j] += _features[(i * d) + j] * _residuals[i];
            }
        }

        var scale = T.CreateTruncating(2.0 / n);
        for (var j = 0; j < d; j++)
        {
            _gradient[j] *= scale;
        }

        return loss / T.CreateTruncating(n);
    }

    /// <summary>TensorPrimitives two-pass: Dot per row, then MultiplyAdd per row.</summary>
    [Benchmark]
    [Reference("TensorPrimitives")]
    public T TensorPrimitivesTwoPass()
    {
        var (n, d) = (Shape.Rows, Shape.Columns);
        ReadOnlySpan<T> x = _features;
        for (var i = 0; i < n; i++)
        {
            _residuals[i] = TensorPrimitives.Dot(x.Slice(i * d, d), _weights) - _targets[i];
        }

        Span<T> g = _gradient;
        g.Clear();
        for (var i = 0; i < n; i++)
        {
            TensorPrimitives.MultiplyAdd(x.Slice(i * d, d), _residuals[i], g, g);
        }

        TensorPrimitives.Multiply(g, T.CreateTruncating(2.0 / n), g);
        return TensorPrimitives.SumOfSquares<T>(_residuals) / T.CreateTruncating(n);
    }

    /// <summary>MathNet.Numerics 5 (managed provider): r = Xw − y, then Xᵀr.</summary>
    [Benchmark]
    [Reference("MathNet.Numerics")]
    public T MathNetTwoPass()
    {
        if (_matrix is null)
        {
            return T.NaN;
        }

        var r = (_matrix * _mathNetWeights!) - _mathNetTargets!;
        var g = _matrix.TransposeThisAndMultiply(r);
        g.CopyTo(MathNet.Numerics.LinearAlgebra.Vector<T>.Build.Dense(_gradient));
        return r.DotProduct(r) / T.CreateTruncating(Shape.Rows);
    }

    /// <summary>
    /// The memory floor with 128-bit vectors (four accumulators): the baseline of the kernels when 256-bit vectors
    /// are off (<c>DOTNET_EnableAVX2=0</c>, the width of Arm64's AdvSimd).
    /// </summary>
    [Benchmark]
    [Reference("a read-only pass (memory floor)")]
    public T ReadOnlyPass128() => ReadOnlyPass.Sum128<T>(_features);

    /// <summary>The memory floor: the sum of X with 256-bit vectors (four accumulators).</summary>
    [Benchmark]
    [Reference("a read-only pass (memory floor)")]
    public T ReadOnlyPass256() => ReadOnlyPass.Sum256<T>(_features);

    /// <summary>The memory floor: the sum of X with 512-bit vectors (four accumulators).</summary>
    [Benchmark]
    [Reference("a read-only pass (memory floor)")]
    public T ReadOnlyPass512() => ReadOnlyPass.Sum512<T>(_features);

    /// <summary>
    /// The two-core memory floor: the 256-bit sum of X split in two halves, one per thread (the same fork as the
    /// threaded kernel: one half on a pool thread, one on the caller). Against it, the two-thread kernel's ratio
    /// says how much of the machine's bandwidth two threads can reach at all.
    /// </summary>
    [Benchmark]
    [Reference("a read-only pass (memory floor)")]
    public T ReadOnlyPassTwoThreads() => ReadOnlyPass.Sum256TwoThreads(_features);

    /// <summary>Ours, one thread.</summary>
    [Benchmark]
    public T LossAndGradient() => MeanSquaredError.LossAndGradient<T>(_features, _targets, _weights, _gradient);

    /// <summary>Ours, two threads.</summary>
    [Benchmark]
    public T LossAndGradientTwoThreads() =>
        MeanSquaredError.LossAndGradient<T>(_features, _targets, _weights, _gradient, new MeanSquaredErrorOptions { MaxDegreeOfParallelism = 2 });

    /// <summary>
    /// Ours with <see cref="FloatArithmetic.Fast"/>, one thread: float data with η in float where a kernel for it exists
    /// (issue 18's explicit faster float mode). double ignores the option, so for double this row measures what
    /// <see cref="LossAndGradient"/> does.
    /// </summary>
    [Benchmark]
    public T LossAndGradientFast() =>
        MeanSquaredError.LossAndGradient<T>(_features, _targets, _weights, _gradient, new MeanSquaredErrorOptions { FloatArithmetic = FloatArithmetic.Fast });
}

/// <summary>The read-only baselines: summing X touches every byte once and does the least possible work.</summary>
internal static class ReadOnlyPass
{
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static T Sum256<T>(ReadOnlySpan<T> values)
        where T : unmanaged, INumberBase<T>
    {
        ref var x = ref MemoryMarshal.GetReference(values);
        var n = (nuint)values.Length;
        var step = (nuint)Vector256<T>.Count;
        Vector256<T> a = default, b = default, c = default, d = default;
        nuint i = 0;
        for (; i + (4 * step) <= n; i += 4 * step)
        {
            a += Vector256.LoadUnsafe(ref x, i);
            b += Vector256.LoadUnsafe(ref x, i + step);
            c += Vector256.LoadUnsafe(ref x, i + (2 * step));
            d += Vector256.LoadUnsafe(ref x, i + (3 * step));
        }

        var sum = Vector256.Sum((a + b) + (c + d));
        for (; i < n; i++)
        {
            sum += Unsafe.Add(ref x, i);
        }

        return sum;
    }

    /// <summary><see cref="Sum256{T}"/> over each half of <paramref name="values"/>, the second half on a pool thread.</summary>
    public static T Sum256TwoThreads<T>(T[] values)
        where T : unmanaged, INumberBase<T>
    {
        var half = values.Length / 2;
        var second = Task.Run(() => Sum256<T>(values.AsSpan(half)));
        var first = Sum256<T>(values.AsSpan(0, half));
        return first + second.GetAwaiter().GetResult();
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static T Sum128<T>(ReadOnlySpan<T> values)
        where T : unmanaged, INumberBase<T>
    {
        ref var x = ref MemoryMarshal.GetReference(values);
        var n = (nuint)values.Length;
        var step = (nuint)Vector128<T>.Count;
        Vector128<T> a = default, b = default, c = default, d = default;
        nuint i = 0;
        for (; i + (4 * step) <= n; i += 4 * step)
        {
            a += Vector128.LoadUnsafe(ref x, i);
            b += Vector128.LoadUnsafe(ref x, i + step);
            c += Vector128.LoadUnsafe(ref x, i + (2 * step));
            d += Vector128.LoadUnsafe(ref x, i + (3 * step));
        }

        var sum = Vector128.Sum((a + b) + (c + d));
        for (; i < n; i++)
        {
            sum += Unsafe.Add(ref x, i);
        }

        return sum;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static T Sum512<T>(ReadOnlySpan<T> values)
        where T : unmanaged, INumberBase<T>
    {
        ref var x = ref MemoryMarshal.GetReference(values);
        var n = (nuint)values.Length;
        var step = (nuint)Vector512<T>.Count;
        Vector512<T> a = default, b = default, c = default, d = default;
        nuint i = 0;
        for (; i + (4 * step) <= n; i += 4 * step)
        {
            a += Vector512.LoadUnsafe(ref x, i);
            b += Vector512.LoadUnsafe(ref x, i + step);
            c += Vector512.LoadUnsafe(ref x, i + (2 * step));
            d += Vector512.LoadUnsafe(ref x, i + (3 * step));
        }

        var sum = Vector512.Sum((a + b) + (c + d));
        for (; i < n; i++)
        {
            sum += Unsafe.Add(ref x, i);
        }

        return sum;
    }
}
