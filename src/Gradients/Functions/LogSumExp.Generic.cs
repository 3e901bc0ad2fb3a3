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
}
