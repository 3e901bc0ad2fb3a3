using System.Runtime.CompilerServices;

namespace Gradients;

/// <summary>Validation shared by the built-in functions.</summary>
internal static class FunctionArguments
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void ValidatePoint(int length, int dimension, string functionDescription) =>
        ThrowHelper.ThrowIfLengthMismatch(length, dimension, "x", functionDescription);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void ValidateGradient<T>(ReadOnlySpan<T> x, Span<T> gradient)
    {
        ThrowHelper.ThrowIfLengthMismatch(gradient.Length, x.Length, nameof(gradient), "the point 'x'");
        ThrowHelper.ThrowIfOverlapping(x, gradient, nameof(x), nameof(gradient));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void ValidateHessian<T>(ReadOnlySpan<T> x, Span<T> hessian)
    {
        // n·n in long: it overflows int beyond n = 46340 (no span can hold such a Hessian; the message says so with the true size).
        ThrowHelper.ThrowIfNotMatrix(hessian.Length, x.Length, x.Length, nameof(hessian), "n", "n (the length of 'x', an n×n Hessian)");

        ThrowHelper.ThrowIfOverlapping(x, hessian, nameof(x), nameof(hessian));
    }

    /// <summary>Throws naming <paramref name="paramName"/>, the index and the value when a constructor's data holds NaN or ±∞.</summary>
    public static void ThrowIfNotFinite<T>(ReadOnlySpan<T> values, string paramName)
        where T : System.Numerics.IFloatingPointIeee754<T>
    {
        for (var i = 0; i < values.Length; i++)
        {
            if (!T.IsFinite(values[i]))
            {
                ThrowHelper.ThrowArgument($"'{paramName}[{i}]' is {values[i]} (length {values.Length}); the function's data must be finite.", paramName);
            }
        }
    }

    /// <summary>
    /// The binary exponent k of the largest |xᵢ| (x·2⁻ᵏ has its largest element in [1, 2)), or null when x is zero or
    /// holds a NaN or ±∞: the scale of the second, rescaled evaluation of a function whose direct one overflowed.
    /// </summary>
    public static int? ScalingExponent<T>(ReadOnlySpan<T> x)
        where T : System.Numerics.IFloatingPointIeee754<T>
    {
        var largest = T.Zero;
        foreach (var value in x)
        {
            if (!T.IsFinite(value))
            {
                return null;
            }

            largest = T.Max(largest, T.Abs(value));
        }

        return T.IsZero(largest) ? null : T.ILogB(largest);
    }
}

