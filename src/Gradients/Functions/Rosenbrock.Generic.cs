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

        if (typeof(TScalar) == typeof(Half))
        {
            // In double, rounded once: a Half sum of 5000 terms of 1 stalls at 2048 (its ulp there is 2).
            var wide = 0.0;
            for (var i = 0; i < x.Length - 1; i++)
            {
                var (xi, next) = (double.CreateTruncating(x[i]), double.CreateTruncating(x[i + 1]));
                wide += (100 * (next - (xi * xi)) * (next - (xi * xi))) + ((1 - xi) * (1 - xi));
            }

            return TScalar.CreateTruncating(wide);
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
