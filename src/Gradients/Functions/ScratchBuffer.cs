using System.Runtime.CompilerServices;

namespace Gradients;

/// <summary>
/// A fixed block of stack scratch for any <typeparamref name="T"/> (<c>stackalloc</c> needs <c>unmanaged</c>,
/// which the generic math interfaces do not imply). Long vectors are processed in chunks of this size so the
/// TensorPrimitives kernels run vectorized without any heap allocation.
/// </summary>
[InlineArray(Length)]
internal struct ScratchBuffer<T>
{
    /// <summary>The number of elements: 64 doubles = 512 bytes, a few cache lines.</summary>
    public const int Length = 64;

    private T _element0;
}

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
