using System.Numerics;

namespace Gradients;

public readonly partial struct Rosenbrock<T> : IGenericScalarFunction
{
    /// <summary>
    /// Evaluates the Rosenbrock function over any floating-point type — the same expression as
    /// <see cref="Evaluate(ReadOnlySpan{T})"/> — so <see cref="ForwardMode"/> can differentiate it (and check the
    /// closed-form gradient and Hessian against the result).
    /// </summary>
    /// <typeparam name="TScalar">The number type (e.g. <see cref="Dual{T}"/>).</typeparam>
    /// <param name="x">The point, of length n ≥ 2.</param>
    /// <returns>f(x).</returns>
    public TScalar Evaluate<TScalar>(ReadOnlySpan<TScalar> x)
        where TScalar : IFloatingPointIeee754<TScalar>
    {
        if (x.Length < 2)
        {
            ThrowHelper.ThrowArgument($"'x' has length {x.Length}, but the Rosenbrock function needs n ≥ 2.", nameof(x));
        }

        var hundred = TScalar.CreateTruncating(100);
        var sum = TScalar.Zero;
        for (var i = 0; i < x.Length - 1; i++)
        {
            var valley = x[i + 1] - (x[i] * x[i]);
            var offset = TScalar.One - x[i];
            sum += (hundred * valley * valley) + (offset * offset);
        }

        return sum;
    }
}
