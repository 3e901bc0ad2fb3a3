using System.Numerics;

namespace Gradients;

public readonly partial struct LogSumExp<T> : IGenericScalarFunction
{
    /// <summary>
    /// Evaluates log Σ exp(xᵢ) = m + log Σ exp(xᵢ − m), m = maxᵢ xᵢ, over any floating-point type (for
    /// <see cref="ForwardMode"/>). The shift m cancels in the derivative: its tangent enters with weight 1 − Σ softmax = 0.
    /// </summary>
    /// <typeparam name="TScalar">The number type (e.g. <see cref="Dual{T}"/>).</typeparam>
    /// <param name="x">The point, of length n ≥ 1.</param>
    /// <returns>f(x).</returns>
    public TScalar Evaluate<TScalar>(ReadOnlySpan<TScalar> x)
        where TScalar : IFloatingPointIeee754<TScalar>
    {
        ThrowHelper.ThrowIfEmpty(x.Length, nameof(x));
        if (typeof(TScalar) == typeof(Half))
        {
            return InDouble(x);
        }

        var max = x[0];
        for (var i = 1; i < x.Length; i++)
        {
            max = TScalar.Max(max, x[i]);
        }

        if (!TScalar.IsFinite(max))
        {
            return max;
        }

        var sum = TScalar.Zero;
        for (var i = 0; i < x.Length; i++)
        {
            sum += TScalar.Exp(x[i] - max);
        }

        return max + TScalar.Log(sum);
    }

    /// <summary>
    /// The Half form, in double and rounded once (as <see cref="Evaluate(ReadOnlySpan{T})"/> does for Half): Σ exp(xᵢ − m)
    /// reaches n, and a Half sum of 100,000 ones stalls at 2048 (log 2048 = 7.6 for log 100,000 = 11.5) before it
    /// overflows Half's 65504.
    /// </summary>
    private static TScalar InDouble<TScalar>(ReadOnlySpan<TScalar> x)
        where TScalar : IFloatingPointIeee754<TScalar>
    {
        var max = double.NegativeInfinity;
        foreach (var value in x)
        {
            max = Math.Max(max, double.CreateTruncating(value));
        }

        if (!double.IsFinite(max))
        {
            return TScalar.CreateTruncating(max);
        }

        var sum = 0.0;
        foreach (var value in x)
        {
            sum += Math.Exp(double.CreateTruncating(value) - max);
        }

        return TScalar.CreateTruncating(max + Math.Log(sum));
    }
}
