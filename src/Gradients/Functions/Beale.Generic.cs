using System.Numerics;

namespace Gradients;

public readonly partial struct Beale<T> : IGenericScalarFunction
{
    /// <summary>Evaluates Beale's function over any floating-point type (for <see cref="ForwardMode"/>).</summary>
    /// <typeparam name="TScalar">The number type (e.g. <see cref="Dual{T}"/>).</typeparam>
    /// <param name="x">The point (x, y).</param>
    /// <returns>f(x).</returns>
    public TScalar Evaluate<TScalar>(ReadOnlySpan<TScalar> x)
        where TScalar : IFloatingPointIeee754<TScalar>
    {
        FunctionArguments.ValidatePoint(x.Length, 2, "Beale's function (2-D)");
        var (a, b) = (x[0], x[1]);
        var first = TScalar.CreateTruncating(1.5) - a + (a * b);
        var second = TScalar.CreateTruncating(2.25) - a + (a * b * b);
        var third = TScalar.CreateTruncating(2.625) - a + (a * b * b * b);
        return (first * first) + (second * second) + (third * third);
    }
}
