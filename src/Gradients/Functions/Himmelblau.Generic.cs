using System.Numerics;

namespace Gradients;

public readonly partial struct Himmelblau<T> : IGenericScalarFunction
{
    /// <summary>Evaluates Himmelblau's function over any floating-point type (for <see cref="ForwardMode"/>).</summary>
    /// <typeparam name="TScalar">The number type (e.g. <see cref="Dual{T}"/>).</typeparam>
    /// <param name="x">The point (x, y).</param>
    /// <returns>f(x).</returns>
    public TScalar Evaluate<TScalar>(ReadOnlySpan<TScalar> x)
        where TScalar : IFloatingPointIeee754<TScalar>
    {
        FunctionArguments.ValidatePoint(x.Length, 2, "Himmelblau's function (2-D)");
        var first = (x[0] * x[0]) + x[1] - TScalar.CreateTruncating(11);
        var second = x[0] + (x[1] * x[1]) - TScalar.CreateTruncating(7);
        return (first * first) + (second * second);
    }
}
