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
        // n·n overflows int beyond n = 46340; no span can hold such a Hessian anyway.
        var required = x.Length <= 46340 ? x.Length * x.Length : -1;
        if (hessian.Length != required)
        {
            ThrowHelper.ThrowLengthMismatch(hessian.Length, required, nameof(hessian), $"an n×n Hessian with n = {x.Length}");
        }

        ThrowHelper.ThrowIfOverlapping(x, hessian, nameof(x), nameof(hessian));
    }
}
