using System.Numerics;

namespace Gradients;

/// <summary>
/// The n-dimensional Rosenbrock function f(x) = Σᵢ₌₀ⁿ⁻² [100(xᵢ₊₁ − xᵢ²)² + (1 − xᵢ)²], n ≥ 2, the banana-shaped
/// valley with its minimum f(1, …, 1) = 0. (H. H. Rosenbrock, "An automatic method for finding the greatest or
/// least value of a function", The Computer Journal 3(3), 1960; the chained n-dimensional form is the one in
/// SciPy's <c>scipy.optimize.rosen</c>.) The Hessian is tridiagonal.
/// </summary>
/// <remarks>The struct has no state; any instance (including <c>default</c>) is the function.</remarks>
/// <typeparam name="T">The floating-point type.</typeparam>
public readonly partial struct Rosenbrock<T> : ITwiceDifferentiableFunction<T>
    where T : IFloatingPointIeee754<T>
{
    /// <inheritdoc/>
    public T Evaluate(ReadOnlySpan<T> x)
    {
        ValidatePoint(x);
        var hundred = T.CreateTruncating(100);
        var sum = default(WideSum<T>); // in double for Half: a Half sum of 5000 terms of 1 stalls at 2048
        for (var i = 0; i < x.Length - 1; i++)
        {
            var valley = x[i + 1] - (x[i] * x[i]);
            var offset = T.One - x[i];
            sum.Add((hundred * valley * valley) + (offset * offset));
        }

        return sum.Value;
    }

    /// <inheritdoc/>
    public T EvaluateWithGradient(ReadOnlySpan<T> x, Span<T> gradient)
    {
        ValidatePoint(x);
        FunctionArguments.ValidateGradient(x, gradient);
        var hundred = T.CreateTruncating(100);
        var two = T.One + T.One;
        var sum = default(WideSum<T>);

        // Each term touches xᵢ and xᵢ₊₁: ∂/∂xᵢ = −400xᵢ(xᵢ₊₁ − xᵢ²) − 2(1 − xᵢ), ∂/∂xᵢ₊₁ = 200(xᵢ₊₁ − xᵢ²).
        var carried = T.Zero;
        for (var i = 0; i < x.Length - 1; i++)
        {
            var valley = x[i + 1] - (x[i] * x[i]);
            var offset = T.One - x[i];
            sum.Add((hundred * valley * valley) + (offset * offset));
            gradient[i] = carried - (two * ((two * hundred * x[i] * valley) + offset));
            carried = two * hundred * valley;
        }

        gradient[^1] = carried;
        return sum.Value;
    }

    /// <inheritdoc/>
    public void Hessian(ReadOnlySpan<T> x, Span<T> hessian)
    {
        ValidatePoint(x);
        FunctionArguments.ValidateHessian(x, hessian);
        hessian.Clear();
        var n = x.Length;
        var two = T.CreateTruncating(2);
        var twoHundred = T.CreateTruncating(200);
        var fourHundred = T.CreateTruncating(400);
        var twelveHundred = T.CreateTruncating(1200);
        for (var i = 0; i < n - 1; i++)
        {
            // The term in (xᵢ, xᵢ₊₁) adds 1200xᵢ² − 400xᵢ₊₁ + 2 at (i, i), −400xᵢ off the diagonal and 200 at (i+1, i+1).
            hessian[(i * n) + i] += (twelveHundred * x[i] * x[i]) - (fourHundred * x[i + 1]) + two;
            var cross = -fourHundred * x[i];
            hessian[(i * n) + i + 1] = cross;
            hessian[((i + 1) * n) + i] = cross;
            hessian[((i + 1) * n) + i + 1] += twoHundred;
        }
    }

    private static void ValidatePoint(ReadOnlySpan<T> x)
    {
        if (x.Length < 2)
        {
            ThrowHelper.ThrowArgument($"'x' has length {x.Length}, but the Rosenbrock function needs n ≥ 2.", nameof(x));
        }
    }
}
