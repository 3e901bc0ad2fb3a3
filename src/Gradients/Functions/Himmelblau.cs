using System.Numerics;

namespace Gradients;

/// <summary>
/// Himmelblau's function f(x, y) = (x² + y − 11)² + (x + y² − 7)², with four minima of value 0, one at (3, 2)
/// (D. M. Himmelblau, Applied Nonlinear Programming, McGraw-Hill, 1972).
/// </summary>
/// <remarks>The struct has no state; any instance (including <c>default</c>) is the function.</remarks>
/// <typeparam name="T">The floating-point type.</typeparam>
public readonly partial struct Himmelblau<T> : ITwiceDifferentiableFunction<T>
    where T : IFloatingPointIeee754<T>
{
    /// <inheritdoc/>
    public T Evaluate(ReadOnlySpan<T> x)
    {
        FunctionArguments.ValidatePoint(x.Length, 2, "Himmelblau's function (2-D)");
        var (first, second) = Residuals(x[0], x[1]);
        return (first * first) + (second * second);
    }

    /// <inheritdoc/>
    public T EvaluateWithGradient(ReadOnlySpan<T> x, Span<T> gradient)
    {
        FunctionArguments.ValidatePoint(x.Length, 2, "Himmelblau's function (2-D)");
        FunctionArguments.ValidateGradient(x, gradient);
        var (first, second) = Residuals(x[0], x[1]);
        var two = T.One + T.One;

        // ∇(u₁² + u₂²) = 2u₁∇u₁ + 2u₂∇u₂ with ∇u₁ = (2x, 1), ∇u₂ = (1, 2y).
        gradient[0] = two * ((two * x[0] * first) + second);
        gradient[1] = two * (first + (two * x[1] * second));
        return (first * first) + (second * second);
    }

    /// <inheritdoc/>
    public void Hessian(ReadOnlySpan<T> x, Span<T> hessian)
    {
        FunctionArguments.ValidatePoint(x.Length, 2, "Himmelblau's function (2-D)");
        FunctionArguments.ValidateHessian(x, hessian);
        var (first, second) = Residuals(x[0], x[1]);
        var two = T.One + T.One;
        var four = two * two;

        // ∇²(Σ uₖ²) = 2Σ(∇uₖ∇uₖᵀ + uₖ∇²uₖ), with ∇²u₁ = [[2, 0], [0, 0]] and ∇²u₂ = [[0, 0], [0, 2]].
        hessian[0] = two * ((four * x[0] * x[0]) + T.One + (two * first));
        hessian[1] = two * ((two * x[0]) + (two * x[1]));
        hessian[2] = hessian[1];
        hessian[3] = two * (T.One + (four * x[1] * x[1]) + (two * second));
    }

    private static (T First, T Second) Residuals(T x, T y) =>
        ((x * x) + y - T.CreateTruncating(11), x + (y * y) - T.CreateTruncating(7));
}
