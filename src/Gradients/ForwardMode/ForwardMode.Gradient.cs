using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Gradients;

public static partial class ForwardMode
{
    /// <summary>
    /// Writes the exact gradient ∇f(<paramref name="x"/>) into <paramref name="gradient"/>: ⌈n/N⌉ evaluations of f
    /// with N tangents each (N = 8 for double, 16 for float; one tangent per evaluation for other types).
    /// </summary>
    /// <typeparam name="T">The floating-point type.</typeparam>
    /// <typeparam name="TFunction">The function type (a struct is inlined).</typeparam>
    /// <param name="function">f; it must not write to its argument.</param>
    /// <param name="x">The point, of length n ≥ 1, finite.</param>
    /// <param name="gradient">Receives ∂f/∂xᵢ; length n, not overlapping <paramref name="x"/>.</param>
    /// <exception cref="ArgumentException">An argument is empty, non-finite, overlapping or of the wrong length.</exception>
    public static void Gradient<T, TFunction>(TFunction function, ReadOnlySpan<T> x, Span<T> gradient)
        where T : IFloatingPointIeee754<T>
        where TFunction : IGenericScalarFunction
    {
        ThrowIfNull(function);
        ValidateGradientArguments(x, gradient);
        _ = GradientCore(ref function, x, gradient, LargestChunkSize<T>());
    }

    /// <summary>
    /// As <see cref="Gradient{T, TFunction}(TFunction, ReadOnlySpan{T}, Span{T})"/>, with the chunk size of
    /// <paramref name="options"/>.
    /// </summary>
    /// <typeparam name="T">The floating-point type.</typeparam>
    /// <typeparam name="TFunction">The function type (a struct is inlined).</typeparam>
    /// <param name="function">f; it must not write to its argument.</param>
    /// <param name="x">The point, of length n ≥ 1, finite.</param>
    /// <param name="gradient">Receives ∂f/∂xᵢ; length n, not overlapping <paramref name="x"/>.</param>
    /// <param name="options">The chunk size (<see cref="ForwardModeOptions.ChunkSize"/>).</param>
    /// <exception cref="ArgumentException">An argument or option is invalid; the message names it.</exception>
    public static void Gradient<T, TFunction>(TFunction function, ReadOnlySpan<T> x, Span<T> gradient, in ForwardModeOptions options)
        where T : IFloatingPointIeee754<T>
        where TFunction : IGenericScalarFunction
    {
        ThrowIfNull(function);
        ValidateGradientArguments(x, gradient);
        _ = GradientCore(ref function, x, gradient, ResolveChunkSize<T>(options));
    }

    /// <summary>
    /// Returns f(<paramref name="x"/>) and writes the exact gradient into <paramref name="gradient"/>, from the same
    /// evaluations as <see cref="Gradient{T, TFunction}(TFunction, ReadOnlySpan{T}, Span{T})"/>.
    /// </summary>
    /// <typeparam name="T">The floating-point type.</typeparam>
    /// <typeparam name="TFunction">The function type (a struct is inlined).</typeparam>
    /// <param name="function">f; it must not write to its argument.</param>
    /// <param name="x">The point, of length n ≥ 1, finite.</param>
    /// <param name="gradient">Receives ∂f/∂xᵢ; length n, not overlapping <paramref name="x"/>.</param>
    /// <returns>f(x).</returns>
    /// <exception cref="ArgumentException">An argument is empty, non-finite, overlapping or of the wrong length.</exception>
    public static T ValueAndGradient<T, TFunction>(TFunction function, ReadOnlySpan<T> x, Span<T> gradient)
        where T : IFloatingPointIeee754<T>
        where TFunction : IGenericScalarFunction
    {
        ThrowIfNull(function);
        ValidateGradientArguments(x, gradient);
        return GradientCore(ref function, x, gradient, LargestChunkSize<T>());
    }

    /// <summary>
    /// As <see cref="ValueAndGradient{T, TFunction}(TFunction, ReadOnlySpan{T}, Span{T})"/>, with the chunk size of
    /// <paramref name="options"/>.
    /// </summary>
    /// <typeparam name="T">The floating-point type.</typeparam>
    /// <typeparam name="TFunction">The function type (a struct is inlined).</typeparam>
    /// <param name="function">f; it must not write to its argument.</param>
    /// <param name="x">The point, of length n ≥ 1, finite.</param>
    /// <param name="gradient">Receives ∂f/∂xᵢ; length n, not overlapping <paramref name="x"/>.</param>
    /// <param name="options">The chunk size (<see cref="ForwardModeOptions.ChunkSize"/>).</param>
    /// <returns>f(x).</returns>
    /// <exception cref="ArgumentException">An argument or option is invalid; the message names it.</exception>
    public static T ValueAndGradient<T, TFunction>(TFunction function, ReadOnlySpan<T> x, Span<T> gradient, in ForwardModeOptions options)
        where T : IFloatingPointIeee754<T>
        where TFunction : IGenericScalarFunction
    {
        ThrowIfNull(function);
        ValidateGradientArguments(x, gradient);
        return GradientCore(ref function, x, gradient, ResolveChunkSize<T>(options));
    }

    /// <summary>
    /// The most tangents one evaluation carries for <typeparamref name="T"/>, the default chunk size: 2·Vector256&lt;T&gt;.Count
    /// (8 for double, 16 for float), or 1 for types without vector support (Half, a dual).
    /// </summary>
    /// <typeparam name="T">The floating-point type.</typeparam>
    /// <returns>The largest chunk size <see cref="ForwardModeOptions.ChunkSize"/> accepts.</returns>
    public static int LargestChunkSize<T>()
        where T : IFloatingPointIeee754<T> => Vector256<T>.IsSupported ? DualChunk<T>.Size : 1;

    private static T GradientCore<T, TFunction>(ref TFunction function, ReadOnlySpan<T> x, Span<T> gradient, int chunkSize)
        where T : IFloatingPointIeee754<T>
        where TFunction : IGenericScalarFunction =>
        chunkSize > 1 ? ChunkedGradient(ref function, x, gradient, chunkSize) : ScalarGradient(ref function, x, gradient);

    /// <summary>
    /// ⌈n/k⌉ passes, each seeding k consecutive coordinates with the unit tangents of one chunk (k = <paramref name="size"/>,
    /// at most <see cref="DualChunk{T}.Size"/>; the chunk's other lanes stay zero).
    /// </summary>
    [SkipLocalsInit]
    [MethodImpl(MethodImplOptions.NoInlining)] // keeps the stack scratch un-zeroed (SkipLocalsInit) and out of the caller's frame
    private static T ChunkedGradient<T, TFunction>(ref TFunction function, ReadOnlySpan<T> x, Span<T> gradient, int size)
        where T : IFloatingPointIeee754<T>
        where TFunction : IGenericScalarFunction
    {
        var n = x.Length;
        var width = Vector256<T>.Count;
        Unsafe.SkipInit(out ScratchBuffer<DualChunk<T>> stack);
        var point = ScratchBuffer.Take(ref stack, n, out var rented);
        try
        {
            for (var i = 0; i < n; i++)
            {
                point[i] = new DualChunk<T>(x[i]);
            }

            var value = T.Zero;
            for (var start = 0; start < n;)
            {
                var count = Math.Min(size, n - start);
                for (var k = 0; k < count; k++)
                {
                    point[start + k] = DualChunk<T>.Seed(x[start + k], k);
                }

                var result = function.Evaluate<DualChunk<T>>(point);
                value = result.Value;
                if (count == DualChunk<T>.Size)
                {
                    result.Lower.CopyTo(gradient.Slice(start, width));
                    result.Upper.CopyTo(gradient.Slice(start + width, width));
                }
                else
                {
                    for (var k = 0; k < count; k++)
                    {
                        gradient[start + k] = result.Tangent(k);
                    }
                }

                for (var k = 0; k < count; k++)
                {
                    point[start + k] = new DualChunk<T>(x[start + k]);
                }

                start += count;
            }

            return value;
        }
        finally
        {
            ScratchBuffer.Return(rented);
        }
    }

    /// <summary>n passes with one tangent each, for types without vector support (Half, nested duals, …).</summary>
    [SkipLocalsInit]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static T ScalarGradient<T, TFunction>(ref TFunction function, ReadOnlySpan<T> x, Span<T> gradient)
        where T : IFloatingPointIeee754<T>
        where TFunction : IGenericScalarFunction
    {
        var n = x.Length;
        Unsafe.SkipInit(out ScratchBuffer<Dual<T>> stack);
        var point = ScratchBuffer.Take(ref stack, n, out var rented);
        try
        {
            for (var i = 0; i < n; i++)
            {
                point[i] = new Dual<T>(x[i]);
            }

            var value = T.Zero;
            for (var i = 0; i < n; i++)
            {
                point[i] = new Dual<T>(x[i], T.One);
                var result = function.Evaluate<Dual<T>>(point);
                value = result.Value;
                gradient[i] = result.Tangent;
                point[i] = new Dual<T>(x[i]);
            }

            return value;
        }
        finally
        {
            ScratchBuffer.Return(rented);
        }
    }
}
