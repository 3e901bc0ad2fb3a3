using System.Buffers;
using System.Numerics;

namespace Gradients;

public static partial class ForwardMode
{
    /// <summary>
    /// Writes the exact Hessian ∇²f(<paramref name="x"/>) into <paramref name="hessian"/> (row-major n×n, symmetric by
    /// construction) by forward-over-forward: f evaluated with <c>Dual&lt;Dual&lt;T&gt;&gt;</c>, the inner tangent eᵢ and
    /// the outer tangent eⱼ giving ∂²f/∂xᵢ∂xⱼ; n(n + 1)/2 evaluations.
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
        var n = x.Length;
        var array = ArrayPool<Dual<Dual<T>>>.Shared.Rent(n);
        try
        {
            var point = array.AsSpan(0, n);
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
            ArrayPool<Dual<Dual<T>>>.Shared.Return(array, clearArray: true);
        }
    }

    /// <summary>
    /// Writes the exact Hessian-vector product ∇²f(<paramref name="x"/>)·<paramref name="v"/> into
    /// <paramref name="product"/> by forward-over-forward: component i is the outer derivative along eᵢ of the inner
    /// directional derivative ∇f·v; n evaluations with <c>Dual&lt;Dual&lt;T&gt;&gt;</c>, the Hessian never formed.
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
        var n = x.Length;
        var array = ArrayPool<Dual<Dual<T>>>.Shared.Rent(n);
        try
        {
            var point = array.AsSpan(0, n);
            for (var k = 0; k < n; k++)
            {
                point[k] = new Dual<Dual<T>>(new Dual<T>(x[k], v[k]));
            }

            for (var i = 0; i < n; i++)
            {
                point[i] = new Dual<Dual<T>>(new Dual<T>(x[i], v[i]), new Dual<T>(T.One));
                product[i] = function.Evaluate<Dual<Dual<T>>>(point).Tangent.Tangent;
                point[i] = new Dual<Dual<T>>(new Dual<T>(x[i], v[i]));
            }
        }
        finally
        {
            ArrayPool<Dual<Dual<T>>>.Shared.Return(array, clearArray: true);
        }
    }

    private static Dual<Dual<T>> Constant<T>(T value)
        where T : IFloatingPointIeee754<T> => new(new Dual<T>(value));
}
