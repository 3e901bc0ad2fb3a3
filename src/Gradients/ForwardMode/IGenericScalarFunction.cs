using System.Numerics;

namespace Gradients;

/// <summary>
/// A scalar function f: Rⁿ → R written once over any floating-point type, so <see cref="ForwardMode"/> can run it
/// with dual numbers and get exact derivatives. C# has no generic lambdas: implement it on a
/// <see langword="struct"/> (each instantiation is then inlined) and use only T's members (<c>T.Exp</c>, operators,
/// <c>T.CreateTruncating(2.5)</c> for constants) — a call to <see cref="Math"/> on doubles is not differentiated.
/// </summary>
public interface IGenericScalarFunction
{
    /// <summary>Evaluates f at <paramref name="x"/>. Implementations must not write to <paramref name="x"/>.</summary>
    /// <typeparam name="T">The number type: float, double, <see cref="Dual{T}"/>, or any other.</typeparam>
    /// <param name="x">The point, of length n.</param>
    /// <returns>f(x).</returns>
    T Evaluate<T>(ReadOnlySpan<T> x)
        where T : IFloatingPointIeee754<T>;
}
