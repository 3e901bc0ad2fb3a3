using System.Numerics;
using System.Runtime.CompilerServices;

namespace Gradients;

public static partial class ForwardMode
{
    /// <summary>
    /// The rate of change of f at <paramref name="x"/> along the unit vector u = direction/‖direction‖,
    /// D_u f = ∇f·u, exact, from one evaluation of f with tangent u — without forming ∇f.
    /// </summary>
    /// <typeparam name="T">The floating-point type.</typeparam>
    /// <typeparam name="TFunction">The function type (a struct is inlined).</typeparam>
    /// <param name="function">f; it must not write to its argument.</param>
    /// <param name="x">The point, of length n ≥ 1, finite.</param>
    /// <param name="direction">The direction, of length n, finite and non-zero; only its orientation matters.</param>
    /// <returns>∇f(x)·u.</returns>
    /// <exception cref="ArgumentException">An argument is empty, non-finite, zero or of the wrong length.</exception>
    public static T DirectionalDerivative<T, TFunction>(TFunction function, ReadOnlySpan<T> x, ReadOnlySpan<T> direction)
        where T : IFloatingPointIeee754<T>
        where TFunction : IGenericScalarFunction
    {
        ValidateDirectionalArguments(x, direction);
        return DirectionalCore(ref function, x, direction);
    }

    [SkipLocalsInit]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static T DirectionalCore<T, TFunction>(ref TFunction function, ReadOnlySpan<T> x, ReadOnlySpan<T> direction)
        where T : IFloatingPointIeee754<T>
        where TFunction : IGenericScalarFunction
    {
        // ‖d‖ scaled by max|dᵢ| so huge or tiny directions neither overflow nor underflow (LAPACK's dnrm2 idea);
        // the tangent is d/max|dᵢ| and the result is divided by the scaled norm once.
        var largest = T.Zero;
        foreach (var d in direction)
        {
            largest = T.Max(largest, T.Abs(d));
        }

        if (T.IsZero(largest))
        {
            ThrowHelper.ThrowZeroDirection(nameof(direction), direction.Length);
        }

        var sumOfSquares = T.Zero;
        foreach (var d in direction)
        {
            var scaled = d / largest;
            sumOfSquares += scaled * scaled;
        }

        var n = x.Length;
        Unsafe.SkipInit(out ScratchBuffer<Dual<T>> stack);
        var point = ScratchBuffer.Take(ref stack, n, out var rented);
        try
        {
            for (var i = 0; i < n; i++)
            {
                point[i] = new Dual<T>(x[i], direction[i] / largest);
            }

            return function.Evaluate<Dual<T>>(point).Tangent / T.Sqrt(sumOfSquares);
        }
        finally
        {
            ScratchBuffer.Return(rented);
        }
    }
}
