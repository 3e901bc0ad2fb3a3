using System.Numerics;

namespace Gradients;

/// <summary>
/// A scalar function f: Rⁿ → R. Implement it on a <see langword="struct"/> and pass the struct as a generic
/// argument so the evaluation is inlined into the differentiation loops (the operator-struct pattern of
/// <c>System.Numerics.Tensors.TensorPrimitives</c>).
/// </summary>
/// <typeparam name="T">The floating-point type of the arguments and the value.</typeparam>
public interface IScalarFunction<T>
    where T : IFloatingPointIeee754<T>
{
    /// <summary>Evaluates f at <paramref name="x"/>. Implementations must not write to <paramref name="x"/>.</summary>
    /// <param name="x">The point, of length n.</param>
    /// <returns>The value f(x).</returns>
    T Evaluate(ReadOnlySpan<T> x);
}
