using System.Numerics;

namespace Gradients;

/// <summary>
/// Booth's function f(x, y) = (x + 2y − 7)² + (2x + y − 5)², a 2-D quadratic with minimum f(1, 3) = 0
/// (M. Jamil and X.-S. Yang, "A literature survey of benchmark functions for global optimization problems",
/// Int. J. Math. Modelling and Numerical Optimisation 4(2), 2013, function 12). Its Hessian is the constant
/// [[10, 8], [8, 10]].
/// </summary>
/// <remarks>The struct has no state; any instance (including <c>default</c>) is the function.</remarks>
/// <typeparam name="T">The floating-point type.</typeparam>
public readonly partial struct Booth<T> : ITwiceDifferentiableFunction<T>
    where T : IFloatingPointIeee754<T>
{
    /// <inheritdoc/>
    public T Evaluate(ReadOnlySpan<T> x)
    {
        FunctionArguments.ValidatePoint(x.Length, 2, "Booth's function (2-D)");
        var (first, second) = Residuals(x[0], x[1]);
        return (first * first) + (second * second);
    }

    /// <inheritdoc/>
    public T EvaluateWithGradient(ReadOnlySpan<T> x, Span<T> gradient)
    {
        FunctionArguments.ValidatePoint(x.Length, 2, "Booth's function (2-D)");
        FunctionArguments.ValidateGradient(x, gradient);
        var (first, second) = Residuals(x[0], x[1]);
        var two = T.One + T.One;

        // ∇(u₁² + u₂²) = 2u₁∇u₁ + 2u₂∇u₂ with ∇u₁ = (1, 2), ∇u₂ = (2, 1).
        gradient[0] = two * (first + (two * second));
        gradient[1] = two * ((two * first) + second);
        return (first * first) + (second * second);
    }

    /// <inheritdoc/>
    public void Hessian(ReadOnlySpan<T> x, Span<T> hessian)
    {
        FunctionArguments.ValidatePoint(x.Length, 2, "Booth's function (2-D)");
        FunctionArguments.ValidateHessian(x, hessian);
        var ten = T.CreateTruncating(10);
        var eight = T.CreateTruncating(8);
        hessian[0] = ten;
        hessian[1] = eight;
        hessian[2] = eight;
        hessian[3] = ten;
    }

    private static (T First, T Second) Residuals(T x, T y)
    {
        var two = T.One + T.One;
        return (x + (two * y) - T.CreateTruncating(7), (two * x) + y - T.CreateTruncating(5));
    }
}
