using System.Numerics;

namespace Gradients;

/// <summary>
/// A vector function F: Rⁿ → Rᵐ written once over any floating-point type, for <see cref="ForwardMode"/>'s
/// Jacobian. Implement it on a <see langword="struct"/>; see <see cref="IGenericScalarFunction"/>.
/// </summary>
public interface IGenericVectorFunction
{
    /// <summary>
    /// Evaluates F at <paramref name="x"/> into <paramref name="values"/>. Implementations must not write to
    /// <paramref name="x"/> and must write every one of the m values.
    /// </summary>
    /// <typeparam name="T">The number type.</typeparam>
    /// <param name="x">The point, of length n.</param>
    /// <param name="values">Receives F(x); length m.</param>
    void Evaluate<T>(ReadOnlySpan<T> x, Span<T> values)
        where T : IFloatingPointIeee754<T>;
}
