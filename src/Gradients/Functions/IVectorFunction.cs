using System.Numerics;

namespace Gradients;

/// <summary>
/// A vector function F: Rⁿ → Rᵐ that writes its m outputs into a span, the input of a Jacobian. Implement it on a
/// <see langword="struct"/> and pass the struct as a generic argument so the evaluation is inlined.
/// </summary>
/// <typeparam name="T">The floating-point type of the arguments and the values.</typeparam>
public interface IVectorFunction<T>
    where T : IFloatingPointIeee754<T>
{
    /// <summary>
    /// Evaluates F at <paramref name="x"/> into <paramref name="values"/>. Implementations must not write to
    /// <paramref name="x"/> and must write every one of the m values.
    /// </summary>
    /// <param name="x">The point, of length n.</param>
    /// <param name="values">Receives F(x); length m.</param>
    void Evaluate(ReadOnlySpan<T> x, Span<T> values);
}
