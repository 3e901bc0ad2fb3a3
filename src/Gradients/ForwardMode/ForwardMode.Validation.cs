using System.Numerics;

namespace Gradients;

/// <summary>
/// Argument checks, one method per entry point, with the rules and messages of <see cref="FiniteDifference"/>
/// (the same <see cref="ThrowHelper"/> calls).
/// </summary>
public static partial class ForwardMode
{
    /// <summary>Rejects a null function object (a class implementing the interface); free for structs.</summary>
    private static void ThrowIfNull<TFunction>(TFunction function)
    {
        if (function is null)
        {
            ThrowHelper.ThrowArgumentNull(nameof(function));
        }
    }

    private static void ValidateScalarPoint<T>(T x)
        where T : IFloatingPointIeee754<T>
    {
        if (!T.IsFinite(x))
        {
            ThrowHelper.ThrowNonFiniteArgument(nameof(x), 0, double.CreateTruncating(x), 1);
        }
    }

    private static void ValidateGradientArguments<T>(ReadOnlySpan<T> x, Span<T> gradient)
        where T : IFloatingPointIeee754<T>
    {
        ThrowHelper.ThrowIfEmpty(x.Length, nameof(x));
        ThrowIfScratchExceedsAnArray(x.Length, nameof(x), "n duals (one per coordinate of x)");
        ThrowHelper.ThrowIfLengthMismatch(gradient.Length, x.Length, nameof(gradient), "the point 'x'");
        ThrowHelper.ThrowIfOverlapping(x, gradient, nameof(x), nameof(gradient));
        ValidatePoint(x, nameof(x));
    }

    private static int ValidateJacobianArguments<T>(ReadOnlySpan<T> x, Span<T> jacobian)
        where T : IFloatingPointIeee754<T>
    {
        var n = x.Length;
        ThrowHelper.ThrowIfEmpty(n, nameof(x));
        if (jacobian.Length == 0 || jacobian.Length % n != 0)
        {
            ThrowHelper.ThrowArgument(
                $"'jacobian' has length {jacobian.Length}, which is not m·n with m ≥ 1 for the point 'x' of length {n}.", nameof(jacobian));
        }

        ThrowIfScratchExceedsAnArray(n, nameof(x), "n duals (one per coordinate of x)");
        ThrowIfScratchExceedsAnArray(jacobian.Length / n, nameof(jacobian), "m = jacobian.Length / n dual outputs");
        ThrowHelper.ThrowIfOverlapping(x, jacobian, nameof(x), nameof(jacobian));
        ValidatePoint(x, nameof(x));
        return jacobian.Length / n;
    }

    private static void ValidateHessianArguments<T>(ReadOnlySpan<T> x, Span<T> hessian)
        where T : IFloatingPointIeee754<T>
    {
        var n = x.Length;
        ThrowHelper.ThrowIfEmpty(n, nameof(x));
        if ((long)n * n > int.MaxValue)
        {
            ThrowHelper.ThrowArgument($"'x' has length n = {n}; the n×n Hessian has n·n = {(long)n * n} entries, more than a span holds (int.MaxValue = {int.MaxValue}).", nameof(x));
        }

        ThrowHelper.ThrowIfLengthMismatch(hessian.Length, n * n, nameof(hessian), "the n×n Hessian of the point 'x'");
        ThrowHelper.ThrowIfOverlapping(x, hessian, nameof(x), nameof(hessian));
        ValidatePoint(x, nameof(x));
    }

    private static void ValidateHessianVectorArguments<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> v, Span<T> product)
        where T : IFloatingPointIeee754<T>
    {
        var n = x.Length;
        ThrowHelper.ThrowIfEmpty(n, nameof(x));
        ThrowIfScratchExceedsAnArray(n, nameof(x), "n duals (one per coordinate of x)");
        ThrowHelper.ThrowIfLengthMismatch(v.Length, n, nameof(v), "the point 'x'");
        ThrowHelper.ThrowIfLengthMismatch(product.Length, n, nameof(product), "the point 'x'");
        ThrowHelper.ThrowIfOverlapping(x, product, nameof(x), nameof(product));
        ThrowHelper.ThrowIfOverlapping(v, product, nameof(v), nameof(product));
        ValidatePoint(x, nameof(x));
        ValidatePoint(v, nameof(v));
    }

    /// <summary>
    /// Rejects a scratch of <paramref name="length"/> duals that no array can hold (x or the outputs of a Jacobian in
    /// native memory can be longer than <see cref="Array.MaxLength"/>): an <see cref="ArgumentException"/> naming the
    /// parameter and the sizes, not an <see cref="OutOfMemoryException"/> from the pool.
    /// </summary>
    private static void ThrowIfScratchExceedsAnArray(int length, string paramName, string what)
    {
        if (length > Array.MaxLength)
        {
            ThrowHelper.ThrowArgument(
                $"'{paramName}' asks for {what}: {length} duals, more than the largest array holds (Array.MaxLength = {Array.MaxLength}).",
                paramName);
        }
    }

    /// <summary>The chunk size <paramref name="options"/> asks for, resolved (0 → the largest) and checked.</summary>
    private static int ResolveChunkSize<T>(in ForwardModeOptions options)
        where T : IFloatingPointIeee754<T>
    {
        var largest = LargestChunkSize<T>();
        var chunkSize = options.ChunkSize;
        if (chunkSize == 0)
        {
            return largest;
        }

        if (chunkSize < 0 || chunkSize > largest)
        {
            ThrowHelper.ThrowArgumentOutOfRange(
                "options",
                chunkSize,
                $"options.ChunkSize is {chunkSize}; it must be 0 (automatic) or between 1 and {largest}, the most tangents {typeof(T).Name} carries per evaluation.");
        }

        return chunkSize;
    }

    /// <summary>Rejects NaN or infinite coordinates, naming the first.</summary>
    private static void ValidatePoint<T>(ReadOnlySpan<T> x, string paramName)
        where T : IFloatingPointIeee754<T>
    {
        for (var i = 0; i < x.Length; i++)
        {
            if (!T.IsFinite(x[i]))
            {
                ThrowHelper.ThrowNonFiniteArgument(paramName, i, double.CreateTruncating(x[i]), x.Length);
            }
        }
    }
}
