using System.Numerics;
using System.Numerics.Tensors;
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
        ThrowIfNull(function);
        ValidateDirectionalArguments(x, direction);
        return DirectionalCore(ref function, x, direction);
    }

    [SkipLocalsInit]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static T DirectionalCore<T, TFunction>(ref TFunction function, ReadOnlySpan<T> x, ReadOnlySpan<T> direction)
        where T : IFloatingPointIeee754<T>
        where TFunction : IGenericScalarFunction
    {
        // The tangent is d·2ᵏ with 2ᵏ ≈ 1/max|dᵢ| (exact: a power of two), and the result is divided by ‖d·2ᵏ‖ once,
        // so huge or tiny directions neither overflow nor underflow (LAPACK's dnrm2 idea) without n divisions.
        var largest = T.Abs(TensorPrimitives.MaxMagnitude(direction));
        if (T.IsZero(largest))
        {
            ThrowHelper.ThrowZeroDirection(nameof(direction), direction.Length);
        }

        var exponent = -T.ILogB(largest);
        var scale = T.ScaleB(T.One, exponent);
        var scaleIsNormal = T.IsNormal(scale);
        var n = x.Length;
        Unsafe.SkipInit(out ScratchBuffer<Dual<T>> stack);
        var point = ScratchBuffer.Take(ref stack, n, out var rented);
        try
        {
            // 2ᵏ itself overflows when max|dᵢ| is subnormal: then each dᵢ is scaled on its own (ScaleB is exact).
            var sumOfSquares = T.Zero;
            for (var i = 0; i < n; i++)
            {
                var tangent = scaleIsNormal ? direction[i] * scale : T.ScaleB(direction[i], exponent);
                sumOfSquares += tangent * tangent;
                point[i] = new Dual<T>(x[i], tangent);
            }

            return function.Evaluate<Dual<T>>(point).Tangent / T.Sqrt(sumOfSquares);
        }
        finally
        {
            ScratchBuffer.Return(rented);
        }
    }
}
