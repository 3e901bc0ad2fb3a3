using System.Numerics;
using System.Numerics.Tensors;

namespace Gradients;

/// <summary>
/// f(x) = Σ aᵢxᵢ², the weighted sum of squares; ∇f = 2a∘x, ∇²f = diag(2a).
/// The chapter's f(x, y) = x² + 5y² is <c>new WeightedSumOfSquares&lt;double&gt;([1, 5])</c>.
/// </summary>
/// <remarks>
/// The weights are copied at construction; the caller's span is never kept or written. Instances are immutable
/// and safe to share between threads. Long vectors run through vectorized TensorPrimitives kernels.
/// </remarks>
/// <typeparam name="T">The floating-point type.</typeparam>
public readonly partial struct WeightedSumOfSquares<T> : ITwiceDifferentiableFunction<T>
    where T : IFloatingPointIeee754<T>
{
    private readonly T[] _weights;

    /// <summary>Creates f(x) = Σ aᵢxᵢ² with the weights aᵢ copied from <paramref name="weights"/>.</summary>
    /// <param name="weights">The weights a, one per coordinate, finite; must not be empty.</param>
    /// <exception cref="ArgumentException"><paramref name="weights"/> is empty or holds a NaN or infinite weight (which would make every value NaN or infinite).</exception>
    public WeightedSumOfSquares(ReadOnlySpan<T> weights)
    {
        ThrowHelper.ThrowIfEmpty(weights.Length, nameof(weights));
        FunctionArguments.ThrowIfNotFinite(weights, nameof(weights));
        _weights = weights.ToArray();
    }

    /// <summary>The dimension n (the number of weights); 0 for a default instance.</summary>
    public int Dimension => _weights?.Length ?? 0;

    /// <summary>The weights a (a read-only view of this instance's own copy).</summary>
    public ReadOnlySpan<T> Weights => _weights;

    /// <inheritdoc/>
    public T Evaluate(ReadOnlySpan<T> x)
    {
        ReadOnlySpan<T> weights = _weights;
        FunctionArguments.ValidatePoint(x.Length, weights.Length, "the weighted sum of squares' weights");

        // Σ aᵢxᵢ² = Σ (aᵢxᵢ)·xᵢ, chunked through stack scratch so both products run vectorized without allocation.
        var scratch = default(ScratchBuffer<T>);
        Span<T> buffer = scratch;
        var sum = default(WideSum<T>);
        for (var start = 0; start < x.Length; start += ScratchBuffer.Length)
        {
            var length = Math.Min(ScratchBuffer.Length, x.Length - start);
            var chunk = buffer[..length];
            var xChunk = x.Slice(start, length);
            TensorPrimitives.Multiply(weights.Slice(start, length), xChunk, chunk);
            sum.Add(WideSum<T>.Dot(chunk, xChunk));
        }

        var value = sum.Value;
        return T.IsFinite(value) ? value : Rescaled(weights, x, value);
    }

    /// <summary>
    /// Σ aᵢxᵢ² once more, on x·2⁻ᵏ (largest element in [1, 2)), times 2²ᵏ — for a direct value that overflowed:
    /// with weights of both signs the terms can overflow (∞ − ∞ = NaN) while their sum is representable
    /// (a = (1, −1) at x = (10²⁰⁰, 10²⁰⁰) is 0). A value beyond the range stays ±∞; a NaN x stays NaN.
    /// </summary>
    private static T Rescaled(ReadOnlySpan<T> weights, ReadOnlySpan<T> x, T direct)
    {
        if (FunctionArguments.ScalingExponent(x) is not { } k)
        {
            return direct;
        }

        var sum = default(WideSum<T>);
        for (var i = 0; i < x.Length; i++)
        {
            var scaled = T.ScaleB(x[i], -k);
            sum.Add(weights[i] * scaled * scaled);
        }

        return T.ScaleB(sum.Value, 2 * k);
    }

    /// <inheritdoc/>
    public T EvaluateWithGradient(ReadOnlySpan<T> x, Span<T> gradient)
    {
        ReadOnlySpan<T> weights = _weights;
        FunctionArguments.ValidatePoint(x.Length, weights.Length, "the weighted sum of squares' weights");
        FunctionArguments.ValidateGradient(x, gradient);

        // a∘x serves both: f = (a∘x)·x, then ∇f = 2(a∘x). Doubling is exact, so ∇f is a∘x correctly rounded, times 2.
        TensorPrimitives.Multiply(weights, x, gradient);
        var value = WideSum<T>.Dot(gradient, x); // in double for Half, whose own sum of 5000 ones stalls at 2048
        TensorPrimitives.Add(gradient, gradient, gradient);
        return T.IsFinite(value) ? value : Rescaled(weights, x, value);
    }

    /// <inheritdoc/>
    public void Hessian(ReadOnlySpan<T> x, Span<T> hessian)
    {
        ReadOnlySpan<T> weights = _weights;
        FunctionArguments.ValidatePoint(x.Length, weights.Length, "the weighted sum of squares' weights");
        FunctionArguments.ValidateHessian(x, hessian);
        hessian.Clear();
        var n = weights.Length;
        for (var i = 0; i < n; i++)
        {
            hessian[(i * n) + i] = weights[i] + weights[i];
        }
    }
}
