using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace Gradients;

public static partial class ForwardMode
{
    /// <summary>
    /// Writes the exact Jacobian of F: Rⁿ → Rᵐ at <paramref name="x"/> into <paramref name="jacobian"/>, row-major
    /// m×n (entry (i, j) = ∂Fᵢ/∂xⱼ at index i·n + j); m is <c>jacobian.Length / n</c>. ⌈n/N⌉ evaluations of F with N
    /// tangents each (one column per tangent).
    /// </summary>
    /// <typeparam name="T">The floating-point type.</typeparam>
    /// <typeparam name="TFunction">The function type (a struct is inlined).</typeparam>
    /// <param name="function">F; it must not write to its argument and must write all m values.</param>
    /// <param name="x">The point, of length n ≥ 1, finite.</param>
    /// <param name="jacobian">Receives the m×n Jacobian, row-major; its length must be a positive multiple of n.</param>
    /// <exception cref="ArgumentException">An argument is empty, non-finite, overlapping or of the wrong length.</exception>
    public static void Jacobian<T, TFunction>(TFunction function, ReadOnlySpan<T> x, Span<T> jacobian)
        where T : IFloatingPointIeee754<T>
        where TFunction : IGenericVectorFunction
    {
        ThrowIfNull(function);
        var m = ValidateJacobianArguments(x, jacobian);
        JacobianCore(ref function, x, jacobian, m, LargestChunkSize<T>());
    }

    /// <summary>
    /// As <see cref="Jacobian{T, TFunction}(TFunction, ReadOnlySpan{T}, Span{T})"/>, with the chunk size of
    /// <paramref name="options"/>.
    /// </summary>
    /// <typeparam name="T">The floating-point type.</typeparam>
    /// <typeparam name="TFunction">The function type (a struct is inlined).</typeparam>
    /// <param name="function">F; it must not write to its argument and must write all m values.</param>
    /// <param name="x">The point, of length n ≥ 1, finite.</param>
    /// <param name="jacobian">Receives the m×n Jacobian, row-major; its length must be a positive multiple of n.</param>
    /// <param name="options">The chunk size (<see cref="ForwardModeOptions.ChunkSize"/>).</param>
    /// <exception cref="ArgumentException">An argument or option is invalid; the message names it.</exception>
    public static void Jacobian<T, TFunction>(TFunction function, ReadOnlySpan<T> x, Span<T> jacobian, in ForwardModeOptions options)
        where T : IFloatingPointIeee754<T>
        where TFunction : IGenericVectorFunction
    {
        ThrowIfNull(function);
        var m = ValidateJacobianArguments(x, jacobian);
        JacobianCore(ref function, x, jacobian, m, ResolveChunkSize<T>(options));
    }

    private static void JacobianCore<T, TFunction>(ref TFunction function, ReadOnlySpan<T> x, Span<T> jacobian, int m, int chunkSize)
        where T : IFloatingPointIeee754<T>
        where TFunction : IGenericVectorFunction
    {
        if (chunkSize > 1)
        {
            ChunkedJacobian(ref function, x, jacobian, m, chunkSize);
        }
        else
        {
            ScalarJacobian(ref function, x, jacobian, m);
        }
    }

    [SkipLocalsInit]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ChunkedJacobian<T, TFunction>(ref TFunction function, ReadOnlySpan<T> x, Span<T> jacobian, int m, int size)
        where T : IFloatingPointIeee754<T>
        where TFunction : IGenericVectorFunction
    {
        var n = x.Length;
        Unsafe.SkipInit(out ScratchBuffer<DualChunk<T>> stack);
        var point = ScratchBuffer.Take(ref stack, n, out var rented);
        var valuesArray = ArrayPool<DualChunk<T>>.Shared.Rent(m);
        try
        {
            var values = valuesArray.AsSpan(0, m);
            for (var i = 0; i < n; i++)
            {
                point[i] = new DualChunk<T>(x[i]);
            }

            for (var start = 0; start < n;)
            {
                var count = Math.Min(size, n - start);
                for (var k = 0; k < count; k++)
                {
                    point[start + k] = DualChunk<T>.Seed(x[start + k], k);
                }

                function.Evaluate<DualChunk<T>>(point, values);
                for (var row = 0; row < m; row++)
                {
                    var entries = jacobian.Slice((row * n) + start, count);
                    for (var k = 0; k < count; k++)
                    {
                        entries[k] = values[row].Tangent(k);
                    }
                }

                for (var k = 0; k < count; k++)
                {
                    point[start + k] = new DualChunk<T>(x[start + k]);
                }

                start += count;
            }
        }
        finally
        {
            ScratchBuffer.Return(rented);
            ArrayPool<DualChunk<T>>.Shared.Return(valuesArray, clearArray: true);
        }
    }

    [SkipLocalsInit]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ScalarJacobian<T, TFunction>(ref TFunction function, ReadOnlySpan<T> x, Span<T> jacobian, int m)
        where T : IFloatingPointIeee754<T>
        where TFunction : IGenericVectorFunction
    {
        var n = x.Length;
        Unsafe.SkipInit(out ScratchBuffer<Dual<T>> stack);
        var point = ScratchBuffer.Take(ref stack, n, out var rented);
        var valuesArray = ArrayPool<Dual<T>>.Shared.Rent(m);
        try
        {
            var values = valuesArray.AsSpan(0, m);
            for (var i = 0; i < n; i++)
            {
                point[i] = new Dual<T>(x[i]);
            }

            for (var column = 0; column < n; column++)
            {
                point[column] = new Dual<T>(x[column], T.One);
                function.Evaluate<Dual<T>>(point, values);
                for (var row = 0; row < m; row++)
                {
                    jacobian[(row * n) + column] = values[row].Tangent;
                }

                point[column] = new Dual<T>(x[column]);
            }
        }
        finally
        {
            ScratchBuffer.Return(rented);
            ArrayPool<Dual<T>>.Shared.Return(valuesArray, clearArray: true);
        }
    }
}
