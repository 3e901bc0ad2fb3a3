using System.Numerics;

namespace Gradients;

public readonly partial struct Booth<T> : IGenericScalarFunction
{
    /// <summary>Evaluates Booth's function over any floating-point type (for <see cref="ForwardMode"/>).</summary>
    /// <typeparam name="TScalar">The number type (e.g. <see cref="Dual{T}"/>).</typeparam>
    /// <param name="x">The point (x, y).</param>
    /// <returns>f(x).</returns>
    public TScalar Evaluate<TScalar>(ReadOnlySpan<TScalar> x)
        where TScalar : IFloatingPointIeee754<TScalar>
    {
        FunctionArguments.ValidatePoint(x.Length, 2, "Booth's function (2-D)");
        var two = TScalar.CreateTruncating(2);
        var first = x[0] + (two * x[1]) - TScalar.CreateTruncating(7);
        var second = (two * x[0]) + x[1] - TScalar.CreateTruncating(5);
        return (first * first) + (second * second);
    }
}
