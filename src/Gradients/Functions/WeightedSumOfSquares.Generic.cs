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
        var sum = TScalar.Zero;
        for (var i = 0; i < x.Length; i++)
        {
            sum += TScalar.CreateTruncating(weights[i]) * x[i] * x[i];
        }

        return sum;
    }
}
