using System.Numerics;

namespace Gradients;

/// <summary>
/// A scalar function f: Rⁿ → R that also knows its Hessian ∇²f in closed form.
/// </summary>
/// <typeparam name="T">The floating-point type of the arguments and the value.</typeparam>
public interface ITwiceDifferentiableFunction<T> : IDifferentiableFunction<T>
    where T : IFloatingPointIeee754<T>
{
    /// <summary>
    /// Writes the Hessian ∇²f(<paramref name="x"/>) into <paramref name="hessian"/> as a row-major n×n matrix:
    /// element (i, j) = ∂²f/∂xᵢ∂xⱼ at index i·n + j. The matrix is symmetric.
    /// </summary>
    /// <param name="x">The point, of length n.</param>
    /// <param name="hessian">Receives the n×n Hessian; must have length n·n and must not overlap <paramref name="x"/>.</param>
    void Hessian(ReadOnlySpan<T> x, Span<T> hessian);
}
