using System.Numerics;
using System.Runtime.CompilerServices;

namespace Gradients;

/// <summary>
/// Difference quotients that do not overflow in the difference. Two finite values of f can differ by more than
/// <c>T.MaxValue</c> (f = 10³⁰⁸·x at x ± 1) although the quotient, the derivative, is representable. Every formula
/// here is linear in the values of f, so when the plain computation is not finite it is repeated on the values
/// scaled by 2⁻⁴ (exact: a power of two) and the result scaled back. A result that is still not finite is a
/// derivative beyond the type's range: an exception, never ±∞ from finite values.
/// </summary>
internal static class DifferenceQuotient
{
    /// <summary>(a − b) / span.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Of<T>(T a, T b, T span)
        where T : IFloatingPointIeee754<T>
    {
        var quotient = (a - b) / span;
        return T.IsFinite(quotient) ? quotient : Rescaled(a, b, span);
    }

    /// <summary>(a − b) · factor.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Times<T>(T a, T b, T factor)
        where T : IFloatingPointIeee754<T>
    {
        var product = (a - b) * factor;
        if (T.IsFinite(product))
        {
            return product;
        }

        var down = Down<T>();
        return Up(((a * down) - (b * down)) * factor);
    }

    /// <summary>
    /// (a − b)·<paramref name="numerator"/>/<paramref name="span"/> with the factor numerator/span precomputed in
    /// <paramref name="factor"/>: as <see cref="Times{T}"/> while the factor is finite (the common case, unchanged to
    /// the bit); when the factor itself overflows (a huge direction, ‖v‖/2τ beyond the range) or is subnormal (a tiny
    /// direction, whose factor has lost digits), the quotient over the span is formed first and multiplied by the
    /// numerator, so a representable result stays finite and keeps its digits.
    /// </summary>
    public static T TimesRatio<T>(T a, T b, T factor, T numerator, T span)
        where T : IFloatingPointIeee754<T> =>
        T.IsNormal(factor) ? Times(a, b, factor) : Of(a, b, span) * numerator;

    /// <summary>The scale 2⁻⁴ of the second attempt.</summary>
    public static T Down<T>()
        where T : IFloatingPointIeee754<T> => T.ScaleB(T.One, -4);

    /// <summary>Undoes <see cref="Down{T}"/> and throws if the derivative itself is beyond the type's range.</summary>
    public static T Up<T>(T scaled)
        where T : IFloatingPointIeee754<T>
    {
        var value = T.ScaleB(scaled, 4);
        if (!T.IsFinite(value))
        {
            ThrowOverflow(double.CreateTruncating(scaled) * 16);
        }

        return value;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static T Rescaled<T>(T a, T b, T span)
        where T : IFloatingPointIeee754<T>
    {
        var down = Down<T>();
        return Up(((a * down) - (b * down)) / span);
    }

    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    public static void ThrowOverflow(double value) =>
        throw new NotFiniteNumberException(
            $"The finite-difference derivative is {value}, beyond the range of the floating-point type, although every value of f was finite.", value);
}
