using System.Numerics;

namespace Gradients;

/// <summary>
/// Beale's function f(x, y) = (1.5 − x + xy)² + (2.25 − x + xy²)² + (2.625 − x + xy³)², with minimum
/// f(3, 0.5) = 0 and steep ridges near the corners of [-4.5, 4.5]² (E. M. L. Beale, "On an iterative method
/// for finding a local minimum of a function of more than one variable", Princeton Univ. tech. report 25, 1958).
/// </summary>
/// <remarks>The struct has no state; any instance (including <c>default</c>) is the function.</remarks>
/// <typeparam name="T">The floating-point type.</typeparam>
public readonly partial struct Beale<T> : ITwiceDifferentiableFunction<T>
    where T : IFloatingPointIeee754<T>
{
    /// <inheritdoc/>
    public T Evaluate(ReadOnlySpan<T> x)
    {
        FunctionArguments.ValidatePoint(x.Length, 2, "Beale's function (2-D)");
        var (first, second, third) = Residuals(x[0], x[1]);
        return (first * first) + (second * second) + (third * third);
    }

    /// <inheritdoc/>
    public T EvaluateWithGradient(ReadOnlySpan<T> x, Span<T> gradient)
    {
        FunctionArguments.ValidatePoint(x.Length, 2, "Beale's function (2-D)");
        FunctionArguments.ValidateGradient(x, gradient);
        T px = x[0], y = x[1];
        var (first, second, third) = Residuals(px, y);
        var two = T.One + T.One;
        var three = two + T.One;
        var y2 = y * y;
        var y3 = y2 * y;

        // ∇uₖ = (yᵏ − 1, k·x·yᵏ⁻¹) for uₖ = cₖ − x + xyᵏ; ∇f = 2Σ uₖ∇uₖ.
        gradient[0] = two * ((first * (y - T.One)) + (second * (y2 - T.One)) + (third * (y3 - T.One)));
        gradient[1] = two * px * (first + (two * y * second) + (three * y2 * third));
        return (first * first) + (second * second) + (third * third);
    }

    /// <inheritdoc/>
    public void Hessian(ReadOnlySpan<T> x, Span<T> hessian)
    {
        FunctionArguments.ValidatePoint(x.Length, 2, "Beale's function (2-D)");
        FunctionArguments.ValidateHessian(x, hessian);
        T px = x[0], y = x[1];
        var (first, second, third) = Residuals(px, y);
        var two = T.One + T.One;
        var three = two + T.One;
        var six = three + three;
        var y2 = y * y;
        var y3 = y2 * y;
        T ax = y - T.One, bx = y2 - T.One, cx = y3 - T.One;
        T ay = px, by = two * px * y, cy = three * px * y2;

        // ∇²f = 2Σ(∇uₖ∇uₖᵀ + uₖ∇²uₖ) with ∇²u₁ = [[0, 1], [1, 0]], ∇²u₂ = [[0, 2y], [2y, 2x]],
        // ∇²u₃ = [[0, 3y²], [3y², 6xy]].
        hessian[0] = two * ((ax * ax) + (bx * bx) + (cx * cx));
        hessian[1] = two * ((ax * ay) + (bx * by) + (cx * cy) + first + (two * y * second) + (three * y2 * third));
        hessian[2] = hessian[1];
        hessian[3] = two * ((ay * ay) + (by * by) + (cy * cy) + (two * px * second) + (six * px * y * third));
    }

    private static (T First, T Second, T Third) Residuals(T x, T y)
    {
        var xy = x * y;
        var xy2 = xy * y;
        var xy3 = xy2 * y;
        return (T.CreateTruncating(1.5) - x + xy, T.CreateTruncating(2.25) - x + xy2, T.CreateTruncating(2.625) - x + xy3);
    }
}
