using System.Numerics;

namespace Gradients;

/// <summary>
/// Exact derivatives of generic code by forward-mode automatic differentiation: f is written once over
/// <c>T : IFloatingPointIeee754&lt;T&gt;</c> (<see cref="IGenericScalarFunction"/>, <see cref="IGenericVectorFunction"/>,
/// <see cref="IGenericUnivariateFunction"/>) and evaluated with dual numbers, which carry derivatives through every
/// operation by the chain rule. The results are exact up to the rounding of f's own operations — no step, no
/// truncation error. Gradients and Jacobians carry a chunk of N tangents per evaluation (N = 8 for double, 16 for
/// float, in vector registers), so a gradient of n variables costs ⌈n/N⌉ evaluations; a directional derivative
/// costs one. Second derivatives nest duals (<c>Dual&lt;Dual&lt;T&gt;&gt;</c>).
/// </summary>
/// <remarks>
/// The caller's x is never written; nothing is shared between calls (thread-safe); scratch lives on the stack or
/// comes from <see cref="System.Buffers.ArrayPool{T}"/>, so no call allocates once the pool is warm. Arguments follow
/// the rules of <see cref="FiniteDifference"/>: x non-empty and finite, outputs of the right length and not
/// overlapping an input. See docs/forward-mode.md for what is and is not differentiated.
/// </remarks>
public static partial class ForwardMode
{
    /// <summary>The derivative f′(x) of a one-variable generic function, from one evaluation with a dual number.</summary>
    /// <typeparam name="T">The floating-point type (itself possibly a dual, for nested derivatives).</typeparam>
    /// <typeparam name="TFunction">The function type (a struct is inlined).</typeparam>
    /// <param name="function">f.</param>
    /// <param name="x">The point, finite.</param>
    /// <returns>f′(x).</returns>
    /// <exception cref="ArgumentException"><paramref name="x"/> is not finite.</exception>
    public static T Derivative<T, TFunction>(TFunction function, T x)
        where T : IFloatingPointIeee754<T>
        where TFunction : IGenericUnivariateFunction
    {
        ThrowIfNull(function);
        ValidateScalarPoint(x);
        return function.Evaluate(new Dual<T>(x, T.One)).Tangent;
    }

    /// <summary>f(x) and f′(x) of a one-variable generic function, from one evaluation.</summary>
    /// <typeparam name="T">The floating-point type.</typeparam>
    /// <typeparam name="TFunction">The function type (a struct is inlined).</typeparam>
    /// <param name="function">f.</param>
    /// <param name="x">The point, finite.</param>
    /// <returns>(f(x), f′(x)).</returns>
    /// <exception cref="ArgumentException"><paramref name="x"/> is not finite.</exception>
    public static (T Value, T Derivative) ValueAndDerivative<T, TFunction>(TFunction function, T x)
        where T : IFloatingPointIeee754<T>
        where TFunction : IGenericUnivariateFunction
    {
        ThrowIfNull(function);
        ValidateScalarPoint(x);
        var result = function.Evaluate(new Dual<T>(x, T.One));
        return (result.Value, result.Tangent);
    }
}
