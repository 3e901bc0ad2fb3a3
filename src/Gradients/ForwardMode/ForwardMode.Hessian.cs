using System.Numerics;
using System.Runtime.CompilerServices;

namespace Gradients;

public static partial class ForwardMode
{
    /// <summary>
    /// Writes the exact Hessian ∇²f(<paramref name="x"/>) into <paramref name="hessian"/> (row-major n×n, symmetric by
    /// construction) by forward-over-forward: f evaluated with <c>Dual&lt;DualChunk&lt;T&gt;&gt;</c>, the outer tangent eⱼ
    /// and a chunk of N inner tangents eᵢ giving N entries ∂²f/∂xᵢ∂xⱼ per evaluation (N = 8 for double, 16 for float);
    /// only the chunks that reach the upper triangle i ≤ j are evaluated, about n²/(2N) evaluations. Types without
    /// vector support nest <c>Dual&lt;Dual&lt;T&gt;&gt;</c>, n(n + 1)/2 evaluations.
    /// </summary>
    /// <typeparam name="T">The floating-point type.</typeparam>
    /// <typeparam name="TFunction">The function type (a struct is inlined).</typeparam>
    /// <param name="function">f; it must not write to its argument.</param>
    /// <param name="x">The point, of length n ≥ 1, finite.</param>
    /// <param name="hessian">Receives the n×n Hessian; length n·n, not overlapping <paramref name="x"/>.</param>
    /// <exception cref="ArgumentException">An argument is empty, non-finite, overlapping or of the wrong length.</exception>
    public static void Hessian<T, TFunction>(TFunction function, ReadOnlySpan<T> x, Span<T> hessian)
        where T : IFloatingPointIeee754<T>
        where TFunction : IGenericScalarFunction
    {
        ThrowIfNull(function);
        ValidateHessianArguments(x, hessian);
        HessianCore(ref function, x, hessian, LargestChunkSize<T>());
    }

    /// <summary>
    /// As <see cref="Hessian{T, TFunction}(TFunction, ReadOnlySpan{T}, Span{T})"/>, with the chunk size of
    /// <paramref name="options"/> (1: <c>Dual&lt;Dual&lt;T&gt;&gt;</c>, n(n + 1)/2 evaluations).
    /// </summary>
    /// <typeparam name="T">The floating-point type.</typeparam>
    /// <typeparam name="TFunction">The function type (a struct is inlined).</typeparam>
    /// <param name="function">f; it must not write to its argument.</param>
    /// <param name="x">The point, of length n ≥ 1, finite.</param>
    /// <param name="hessian">Receives the n×n Hessian; length n·n, not overlapping <paramref name="x"/>.</param>
    /// <param name="options">The chunk size (<see cref="ForwardModeOptions.ChunkSize"/>).</param>
    /// <exception cref="ArgumentException">An argument or option is invalid; the message names it.</exception>
    public static void Hessian<T, TFunction>(TFunction function, ReadOnlySpan<T> x, Span<T> hessian, in ForwardModeOptions options)
        where T : IFloatingPointIeee754<T>
        where TFunction : IGenericScalarFunction
    {
        ThrowIfNull(function);
        ValidateHessianArguments(x, hessian);
        HessianCore(ref function, x, hessian, ResolveChunkSize<T>(options));
    }

    /// <summary>
    /// Writes the exact Hessian-vector product ∇²f(<paramref name="x"/>)·<paramref name="v"/> into
    /// <paramref name="product"/> by forward-over-forward, the Hessian never formed: f evaluated with
    /// <c>Dual&lt;DualChunk&lt;T&gt;&gt;</c>, the outer tangent v and a chunk of N inner tangents eᵢ, so one evaluation gives
    /// N components ∂(∇f·v)/∂xᵢ — ⌈n/N⌉ evaluations (N = 8 for double, 16 for float). Types without vector support
    /// nest <c>Dual&lt;Dual&lt;T&gt;&gt;</c>, n evaluations.
    /// </summary>
    /// <typeparam name="T">The floating-point type.</typeparam>
    /// <typeparam name="TFunction">The function type (a struct is inlined).</typeparam>
    /// <param name="function">f; it must not write to its argument.</param>
    /// <param name="x">The point, of length n ≥ 1, finite.</param>
    /// <param name="v">The vector, of length n, finite (not normalized: the result is H·v).</param>
    /// <param name="product">Receives H·v; length n, not overlapping <paramref name="x"/> or <paramref name="v"/>.</param>
    /// <exception cref="ArgumentException">An argument is empty, non-finite, overlapping or of the wrong length.</exception>
    public static void HessianVectorProduct<T, TFunction>(TFunction function, ReadOnlySpan<T> x, ReadOnlySpan<T> v, Span<T> product)
        where T : IFloatingPointIeee754<T>
        where TFunction : IGenericScalarFunction
    {
        ThrowIfNull(function);
        ValidateHessianVectorArguments(x, v, product);

        // H·v is linear in v: the tangents carry v·2⁻ᵉ with the largest |vᵢ|·2⁻ᵉ in [1, 2) and the product is scaled
        // back by 2ᵉ. Scaling by a power of two is exact, so the result is the unscaled one to the bit wherever that
        // did not overflow or underflow; a huge v (10³⁰⁸) no longer overflows in the tangents' intermediate products
        // (∂(2x·v)/∂x = 2v) when H·v itself is representable.
        var exponent = LargestExponent(v);
        var chunkSize = LargestChunkSize<T>();
        if (chunkSize > 1)
        {
            ChunkedHessianVectorProduct(ref function, x, v, exponent, product, chunkSize);
        }
        else
        {
            ScalarHessianVectorProduct(ref function, x, v, exponent, product);
        }

        if (exponent != 0)
        {
            foreach (ref var entry in product)
            {
                entry = T.ScaleB(entry, exponent);
            }
        }
    }

    /// <summary>The binary exponent e of the largest |vᵢ| (0 for a zero v): v·2⁻ᵉ has its largest element in [1, 2).</summary>
    private static int LargestExponent<T>(ReadOnlySpan<T> v)
        where T : IFloatingPointIeee754<T>
    {
        var largest = T.Zero;
        foreach (var element in v)
        {
            largest = T.Max(largest, T.Abs(element));
        }

        return T.IsZero(largest) ? 0 : T.ILogB(largest);
    }

    private static void HessianCore<T, TFunction>(ref TFunction function, ReadOnlySpan<T> x, Span<T> hessian, int chunkSize)
        where T : IFloatingPointIeee754<T>
        where TFunction : IGenericScalarFunction
    {
        if (chunkSize > 1)
        {
            ChunkedHessian(ref function, x, hessian, chunkSize);
        }
        else
        {
            ScalarHessian(ref function, x, hessian);
        }
    }

    /// <summary>
    /// Column j of the upper triangle from the chunks of rows i ≤ j: outer tangent eⱼ, inner chunk tangents
    /// e_start … e_(start+count−1). Only entries with i ≤ j are written (twice: (i, j) and (j, i)), each from one
    /// evaluation, so the result is symmetric bit for bit — and with the inner tangent on the smaller index, as
    /// <see cref="ScalarHessian"/> has it, every chunk size rounds alike.
    /// </summary>
    [SkipLocalsInit]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ChunkedHessian<T, TFunction>(ref TFunction function, ReadOnlySpan<T> x, Span<T> hessian, int size)
        where T : IFloatingPointIeee754<T>
        where TFunction : IGenericScalarFunction
    {
        var n = x.Length;
        Unsafe.SkipInit(out ScratchBuffer<Dual<DualChunk<T>>> stack);
        var point = ScratchBuffer.Take(ref stack, n, out var rented);
        try
        {
            for (var i = 0; i < n; i++)
            {
                point[i] = new Dual<DualChunk<T>>(new DualChunk<T>(x[i]));
            }

            for (var j = 0; j < n; j++)
            {
                for (var start = 0; start <= j; start += size)
                {
                    var count = Math.Min(size, n - start);
                    for (var k = 0; k < count; k++)
                    {
                        point[start + k] = new Dual<DualChunk<T>>(DualChunk<T>.Seed(x[start + k], k), start + k == j ? DualChunk<T>.One : DualChunk<T>.Zero);
                    }

                    if (j >= start + count)
                    {
                        point[j] = new Dual<DualChunk<T>>(new DualChunk<T>(x[j]), DualChunk<T>.One);
                    }

                    var column = function.Evaluate<Dual<DualChunk<T>>>(point).Tangent;
                    for (var i = start; i < Math.Min(start + count, j + 1); i++)
                    {
                        var second = column.Tangent(i - start);
                        hessian[(i * n) + j] = second;
                        hessian[(j * n) + i] = second;
                    }

                    for (var k = 0; k < count; k++)
                    {
                        point[start + k] = new Dual<DualChunk<T>>(new DualChunk<T>(x[start + k]));
                    }

                    point[j] = new Dual<DualChunk<T>>(new DualChunk<T>(x[j]));
                }
            }
        }
        finally
        {
            ScratchBuffer.Return(rented);
        }
    }

    /// <summary>One evaluation per pair i ≤ j with <c>Dual&lt;Dual&lt;T&gt;&gt;</c>: inner tangent eᵢ, outer tangent eⱼ.</summary>
    [SkipLocalsInit]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ScalarHessian<T, TFunction>(ref TFunction function, ReadOnlySpan<T> x, Span<T> hessian)
        where T : IFloatingPointIeee754<T>
        where TFunction : IGenericScalarFunction
    {
        var n = x.Length;
        Unsafe.SkipInit(out ScratchBuffer<Dual<Dual<T>>> stack);
        var point = ScratchBuffer.Take(ref stack, n, out var rented);
        try
        {
            for (var k = 0; k < n; k++)
            {
                point[k] = Constant(x[k]);
            }

            for (var i = 0; i < n; i++)
            {
                for (var j = i; j < n; j++)
                {
                    // Inner tangent on xᵢ, outer tangent on xⱼ (both on xᵢ when i = j).
                    point[i] = new Dual<Dual<T>>(new Dual<T>(x[i], T.One), new Dual<T>(i == j ? T.One : T.Zero));
                    if (j != i)
                    {
                        point[j] = new Dual<Dual<T>>(new Dual<T>(x[j]), new Dual<T>(T.One));
                    }

                    var second = function.Evaluate<Dual<Dual<T>>>(point).Tangent.Tangent;
                    hessian[(i * n) + j] = second;
                    hessian[(j * n) + i] = second;
                    point[j] = Constant(x[j]);
                }

                point[i] = Constant(x[i]);
            }
        }
        finally
        {
            ScratchBuffer.Return(rented);
        }
    }

    /// <summary>
    /// ⌈n/N⌉ evaluations: the outer tangent is v everywhere, the inner chunk seeds N coordinates; the outer tangent's
    /// inner tangents are ∂(∇f·v)/∂xᵢ = (H·v)ᵢ.
    /// </summary>
    [SkipLocalsInit]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ChunkedHessianVectorProduct<T, TFunction>(ref TFunction function, ReadOnlySpan<T> x, ReadOnlySpan<T> v, int exponent, Span<T> product, int size)
        where T : IFloatingPointIeee754<T>
        where TFunction : IGenericScalarFunction
    {
        var n = x.Length;
        Unsafe.SkipInit(out ScratchBuffer<Dual<DualChunk<T>>> stack);
        var point = ScratchBuffer.Take(ref stack, n, out var rented);
        try
        {
            for (var i = 0; i < n; i++)
            {
                point[i] = new Dual<DualChunk<T>>(new DualChunk<T>(x[i]), new DualChunk<T>(T.ScaleB(v[i], -exponent)));
            }

            for (var start = 0; start < n; start += size)
            {
                var count = Math.Min(size, n - start);
                for (var k = 0; k < count; k++)
                {
                    point[start + k] = new Dual<DualChunk<T>>(DualChunk<T>.Seed(x[start + k], k), new DualChunk<T>(T.ScaleB(v[start + k], -exponent)));
                }

                var directional = function.Evaluate<Dual<DualChunk<T>>>(point).Tangent;
                for (var k = 0; k < count; k++)
                {
                    product[start + k] = directional.Tangent(k);
                    point[start + k] = new Dual<DualChunk<T>>(new DualChunk<T>(x[start + k]), new DualChunk<T>(T.ScaleB(v[start + k], -exponent)));
                }
            }
        }
        finally
        {
            ScratchBuffer.Return(rented);
        }
    }

    /// <summary>n evaluations with <c>Dual&lt;Dual&lt;T&gt;&gt;</c>: inner tangent v, outer tangent eᵢ.</summary>
    [SkipLocalsInit]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ScalarHessianVectorProduct<T, TFunction>(ref TFunction function, ReadOnlySpan<T> x, ReadOnlySpan<T> v, int exponent, Span<T> product)
        where T : IFloatingPointIeee754<T>
        where TFunction : IGenericScalarFunction
    {
        var n = x.Length;
        Unsafe.SkipInit(out ScratchBuffer<Dual<Dual<T>>> stack);
        var point = ScratchBuffer.Take(ref stack, n, out var rented);
        try
        {
            for (var k = 0; k < n; k++)
            {
                point[k] = new Dual<Dual<T>>(new Dual<T>(x[k], T.ScaleB(v[k], -exponent)));
            }

            for (var i = 0; i < n; i++)
            {
                point[i] = new Dual<Dual<T>>(new Dual<T>(x[i], T.ScaleB(v[i], -exponent)), new Dual<T>(T.One));
                product[i] = function.Evaluate<Dual<Dual<T>>>(point).Tangent.Tangent;
                point[i] = new Dual<Dual<T>>(new Dual<T>(x[i], T.ScaleB(v[i], -exponent)));
            }
        }
        finally
        {
            ScratchBuffer.Return(rented);
        }
    }

    private static Dual<Dual<T>> Constant<T>(T value)
        where T : IFloatingPointIeee754<T> => new(new Dual<T>(value));
}
