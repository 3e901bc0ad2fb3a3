using System.Numerics;

namespace Gradients;

/// <summary>
/// A hand-written gradient: writes ∇f(<paramref name="x"/>) into <paramref name="gradient"/>.
/// The form a gradient takes when it comes as a lambda, e.g. <c>(x, g) =&gt; { g[0] = 2 * x[0]; g[1] = 10 * x[1]; }</c>.
/// </summary>
/// <typeparam name="T">The floating-point type.</typeparam>
/// <param name="x">The point, of length n; must not be written to.</param>
/// <param name="gradient">Receives ∇f(x), of length n.</param>
public delegate void GradientFunction<T>(ReadOnlySpan<T> x, Span<T> gradient)
    where T : IFloatingPointIeee754<T>;
