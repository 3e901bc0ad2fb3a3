using System.Numerics;
using System.Numerics.Tensors;

namespace Gradients;

/// <summary>
/// f(x) = log Σ exp(xᵢ), the smooth maximum; ∇f = softmax(x) = p with pᵢ = exp(xᵢ − f), and ∇²f = diag(p) − ppᵀ.
/// </summary>
/// <remarks>
/// Evaluated stably as m + log Σ exp(xᵢ − m) with m = max xᵢ, so no exponential overflows and the largest term is
/// exactly 1 (the standard shift; see Blanchard, Higham and Higham, "Accurately computing the log-sum-exp and
/// softmax functions", IMA J. Numer. Anal. 41(4), 2021). Works for any n ≥ 1; the passes are vectorized
/// TensorPrimitives kernels. The struct has no state; any instance (including <c>default</c>) is the function.
/// </remarks>
/// <typeparam name="T">The floating-point type.</typeparam>
public readonly partial struct LogSumExp<T> : ITwiceDifferentiableFunction<T>
    where T : IFloatingPointIeee754<T>
{
    /// <inheritdoc/>
    public T Evaluate(ReadOnlySpan<T> x)
    {
        ThrowHelper.ThrowIfEmpty(x.Length, nameof(x));
        var max = TensorPrimitives.Max(x);
        if (!T.IsFinite(max))
        {
            // NaN propagates; +∞ dominates; all −∞ gives log 0 = −∞.
            return max;
        }

        if (NarrowRange<T>.IsNarrow)
        {
            return WideSoftmax(x, max, default);
        }

        var scratch = default(ScratchBuffer<T>);
        Span<T> buffer = scratch;
        var sum = T.Zero;
        for (var start = 0; start < x.Length; start += ScratchBuffer.Length)
        {
            var length = Math.Min(ScratchBuffer.Length, x.Length - start);
            var chunk = buffer[..length];
            TensorPrimitives.Subtract(x.Slice(start, length), max, chunk);
            TensorPrimitives.Exp(chunk, chunk);
            sum += TensorPrimitives.Sum<T>(chunk);
        }

        return max + T.Log(sum);
    }

    /// <inheritdoc/>
    public T EvaluateWithGradient(ReadOnlySpan<T> x, Span<T> gradient)
    {
        ThrowHelper.ThrowIfEmpty(x.Length, nameof(x));
        FunctionArguments.ValidateGradient(x, gradient);
        return Softmax(x, gradient);
    }

    /// <inheritdoc/>
    public void Hessian(ReadOnlySpan<T> x, Span<T> hessian)
    {
        ThrowHelper.ThrowIfEmpty(x.Length, nameof(x));
        FunctionArguments.ValidateHessian(x, hessian);
        var n = x.Length;

        // p goes into row 0; rows n−1…1 read it to write −pᵢp, then row 0 is rewritten in place last
        // (element j depends only on itself and p₀), so no scratch is needed.
        var probabilities = hessian[..n];
        Softmax(x, probabilities);
        for (var i = n - 1; i >= 1; i--)
        {
            var row = hessian.Slice(i * n, n);
            TensorPrimitives.Multiply(probabilities, -probabilities[i], row);
            row[i] += probabilities[i];
        }

        var first = probabilities[0];
        TensorPrimitives.Multiply(probabilities, -first, probabilities);
        probabilities[0] += first;
    }

    private static T Softmax(ReadOnlySpan<T> x, Span<T> probabilities)
    {
        var max = TensorPrimitives.Max(x);
        if (!T.IsFinite(max))
        {
            // The gradient is undefined at a non-finite point; report NaN rather than a plausible-looking vector.
            probabilities.Fill(T.NaN);
            return max;
        }

        if (NarrowRange<T>.IsNarrow)
        {
            return WideSoftmax(x, max, probabilities);
        }

        TensorPrimitives.Subtract(x, max, probabilities);
        TensorPrimitives.Exp(probabilities, probabilities);
        var sum = TensorPrimitives.Sum<T>(probabilities);
        TensorPrimitives.Divide(probabilities, sum, probabilities);
        return max + T.Log(sum);
    }

    /// <summary>
    /// log Σ exp(xᵢ) (and the probabilities, when <paramref name="probabilities"/> is not empty) in double, for a
    /// type of narrow range (<see cref="NarrowRange{T}"/>): Σ exp(xᵢ − max) reaches n, which overflows Half from
    /// n = 65,520 although the logarithm is small. Each result is rounded once.
    /// </summary>
    private static T WideSoftmax(ReadOnlySpan<T> x, T max, Span<T> probabilities)
    {
        var wideMax = double.CreateTruncating(max);
        var sum = 0.0;
        foreach (var value in x)
        {
            sum += Math.Exp(double.CreateTruncating(value) - wideMax);
        }

        for (var i = 0; i < probabilities.Length; i++)
        {
            probabilities[i] = T.CreateTruncating(Math.Exp(double.CreateTruncating(x[i]) - wideMax) / sum);
        }

        return T.CreateTruncating(wideMax + Math.Log(sum));
    }
}
