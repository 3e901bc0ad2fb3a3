using System.Numerics;

namespace Gradients;

/// <summary>
/// Whether <typeparamref name="T"/> has so small an exponent range that sums over spans overflow or stall before the
/// result does: the unscaled sums of squares of <c>Directional</c> hold for n &lt; 2^(e_max/2 − 2) terms, fewer than a
/// span can have when e_max &lt; 66 (Half: e_max = 15, 32 terms of 15² already reach 7200 and 1000 overflow its
/// 65504), and a sum of 100,000 exponentials ≤ 1 is ∞ in Half although its logarithm is 11.5. Such types are
/// computed in double — every Half is exact there and no sum of a span's worth of them overflows — and rounded once.
/// </summary>
/// <typeparam name="T">The floating-point type.</typeparam>
internal static class NarrowRange<T>
    where T : IFloatingPointIeee754<T>
{
    /// <summary>True for Half (and any type whose largest finite value is below 2⁶⁶); false for float and double.</summary>
    public static readonly bool IsNarrow = T.ILogB(T.BitDecrement(T.PositiveInfinity)) < 66;
}

/// <summary>
/// A running sum that is kept in double when <typeparamref name="T"/> is narrow (<see cref="NarrowRange{T}"/>) and in
/// T otherwise, so the built-in functions sum their terms as a wide type would: in Half a sum of 5000 ones stalls at
/// 2048 (its ulp there is 2). For float and double the branch is folded away by the JIT and the sum is T's own.
/// </summary>
/// <typeparam name="T">The floating-point type of the terms.</typeparam>
internal struct WideSum<T>
    where T : IFloatingPointIeee754<T>
{
    private T _sum;
    private double _wide;

    /// <summary>Adds <paramref name="term"/>.</summary>
    public void Add(T term)
    {
        if (NarrowRange<T>.IsNarrow)
        {
            _wide += double.CreateTruncating(term);
        }
        else
        {
            _sum += term;
        }
    }

    /// <summary>The sum, rounded once to T for a narrow type.</summary>
    public readonly T Value => NarrowRange<T>.IsNarrow ? T.CreateTruncating(_wide) : _sum;

    /// <summary>Σ aᵢbᵢ: TensorPrimitives' dot product, or for a narrow type the products summed in double.</summary>
    public static T Dot(ReadOnlySpan<T> a, ReadOnlySpan<T> b)
    {
        if (!NarrowRange<T>.IsNarrow)
        {
            return System.Numerics.Tensors.TensorPrimitives.Dot(a, b);
        }

        var sum = 0.0;
        for (var i = 0; i < a.Length; i++)
        {
            sum += double.CreateTruncating(a[i]) * double.CreateTruncating(b[i]);
        }

        return T.CreateTruncating(sum);
    }
}
