using System.Numerics;

namespace Gradients;

public readonly partial struct WeightedSumOfSquares<T> : IGenericScalarFunction
{
    /// <summary>Evaluates Σ aᵢxᵢ² over any floating-point type (the weights lifted as constants; for <see cref="ForwardMode"/>).</summary>
    /// <typeparam name="TScalar">The number type (e.g. <see cref="Dual{T}"/>).</typeparam>
    /// <param name="x">The point, of the weights' length.</param>
    /// <returns>f(x).</returns>
    public TScalar Evaluate<TScalar>(ReadOnlySpan<TScalar> x)
        where TScalar : IFloatingPointIeee754<TScalar>
    {
        ReadOnlySpan<T> weights = _weights;
        FunctionArguments.ValidatePoint(x.Length, weights.Length, "the weighted sum of squares' weights");
        if (typeof(TScalar) == typeof(Half))
        {
            // In double, rounded once: a Half sum of 5000 terms of 1 stalls at 2048 (its ulp there is 2).
            var wide = 0.0;
            for (var i = 0; i < x.Length; i++)
            {
                var xi = double.CreateTruncating(x[i]);
                wide += double.CreateTruncating(weights[i]) * xi * xi;
            }

            return TScalar.CreateTruncating(wide);
        }

        var sum = TScalar.Zero;
        for (var i = 0; i < x.Length; i++)
        {
            sum += TScalar.CreateTruncating(weights[i]) * x[i] * x[i];
        }

        return sum;
    }
}
