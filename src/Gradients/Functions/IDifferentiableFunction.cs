using System.Numerics;

namespace Gradients;

/// <summary>
/// A scalar function f: Rⁿ → R that knows its gradient in closed form.
/// </summary>
/// <typeparam name="T">The floating-point type of the arguments and the value.</typeparam>
public interface IDifferentiableFunction<T> : IScalarFunction<T>
    where T : IFloatingPointIeee754<T>
{
    /// <summary>
    /// Evaluates f at <paramref name="x"/> and writes ∇f(x) into <paramref name="gradient"/> in one call,
    /// the way optimizers want value and gradient.
    /// </summary>
    /// <param name="x">The point, of length n.</param>
    /// <param name="gradient">Receives ∇f(x); must have length n and must not overlap <paramref name="x"/>.</param>
    /// <returns>The value f(x).</returns>
    T EvaluateWithGradient(ReadOnlySpan<T> x, Span<T> gradient);
}
