using System.Runtime.CompilerServices;

namespace Gradients;

public readonly partial struct Dual<T>
{
    /// <inheritdoc/>
    public static Dual<T> operator +(Dual<T> value) => value;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Dual<T> operator -(Dual<T> value) => new(-value._value, -value._tangent);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Dual<T> operator +(Dual<T> left, Dual<T> right) =>
        new(left._value + right._value, left._tangent + right._tangent);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Dual<T> operator -(Dual<T> left, Dual<T> right) =>
        new(left._value - right._value, left._tangent - right._tangent);

    /// <summary>(a + a′ε)(b + b′ε) = ab + (a′b + ab′)ε.</summary>
    /// <param name="left">a.</param>
    /// <param name="right">b.</param>
    /// <returns>The product.</returns>
    /// <remarks>
    /// The tangent is one multiply-add, fused where the hardware has FMA (<c>MultiplyAddEstimate</c>): a dual product
    /// is then three floating-point operations instead of four, and the tangent rounds once less (never worse).
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Dual<T> operator *(Dual<T> left, Dual<T> right) =>
        new(left._value * right._value, T.MultiplyAddEstimate(left._tangent, right._value, left._value * right._tangent));

    /// <summary>a/b with tangent (a′ − (a/b)·b′)/b.</summary>
    /// <param name="left">a.</param>
    /// <param name="right">b.</param>
    /// <returns>The quotient.</returns>
    public static Dual<T> operator /(Dual<T> left, Dual<T> right)
    {
        var quotient = left._value / right._value;
        return new(quotient, (left._tangent - (quotient * right._tangent)) / right._value);
    }

    /// <summary>a mod b = a − b·trunc(a/b): ∂/∂a = 1, ∂/∂b = −trunc(a/b) (between the jumps).</summary>
    /// <param name="left">a.</param>
    /// <param name="right">b.</param>
    /// <returns>The remainder.</returns>
    public static Dual<T> operator %(Dual<T> left, Dual<T> right) =>
        Chain(left._value % right._value, left, T.One, right, -T.Truncate(left._value / right._value));

    /// <inheritdoc/>
    public static Dual<T> operator ++(Dual<T> value) => new(value._value + T.One, value._tangent);

    /// <inheritdoc/>
    public static Dual<T> operator --(Dual<T> value) => new(value._value - T.One, value._tangent);

    /// <summary>(a·b) + c rounded once; the tangent a′b + ab′ + c′ is fused too.</summary>
    /// <param name="left">a.</param>
    /// <param name="right">b.</param>
    /// <param name="addend">c.</param>
    /// <returns>a·b + c.</returns>
    public static Dual<T> FusedMultiplyAdd(Dual<T> left, Dual<T> right, Dual<T> addend) =>
        new(
            T.FusedMultiplyAdd(left._value, right._value, addend._value),
            T.FusedMultiplyAdd(left._tangent, right._value, T.FusedMultiplyAdd(left._value, right._tangent, addend._tangent)));

    /// <inheritdoc/>
    public static Dual<T> MultiplyAddEstimate(Dual<T> left, Dual<T> right, Dual<T> addend) =>
        (left * right) + addend;

    /// <summary>x·2ⁿ: the tangent is scaled by 2ⁿ too (exactly).</summary>
    /// <param name="x">x.</param>
    /// <param name="n">n.</param>
    /// <returns>x·2ⁿ.</returns>
    public static Dual<T> ScaleB(Dual<T> x, int n) => new(T.ScaleB(x._value, n), T.ScaleB(x._tangent, n));

    /// <summary>The IEEE 754 remainder a − b·round(a/b): ∂/∂a = 1, ∂/∂b = −round(a/b) (between the jumps).</summary>
    /// <param name="left">a.</param>
    /// <param name="right">b.</param>
    /// <returns>The remainder.</returns>
    public static Dual<T> Ieee754Remainder(Dual<T> left, Dual<T> right) =>
        Chain(T.Ieee754Remainder(left._value, right._value), left, T.One, right, -T.Round(left._value / right._value, MidpointRounding.ToEven));

    /// <summary>The next representable value up; the tangent passes through (derivative 1).</summary>
    /// <param name="x">x.</param>
    /// <returns>The next value.</returns>
    public static Dual<T> BitIncrement(Dual<T> x) => new(T.BitIncrement(x._value), x._tangent);

    /// <summary>The next representable value down; the tangent passes through (derivative 1).</summary>
    /// <param name="x">x.</param>
    /// <returns>The previous value.</returns>
    public static Dual<T> BitDecrement(Dual<T> x) => new(T.BitDecrement(x._value), x._tangent);

    /// <summary>a + (b − a)·t, differentiated in all three arguments.</summary>
    /// <param name="value1">a.</param>
    /// <param name="value2">b.</param>
    /// <param name="amount">t.</param>
    /// <returns>The interpolated value.</returns>
    public static Dual<T> Lerp(Dual<T> value1, Dual<T> value2, Dual<T> amount) =>
        new(
            T.Lerp(value1._value, value2._value, amount._value),
            (value1._tangent * (T.One - amount._value)) + (value2._tangent * amount._value) + ((value2._value - value1._value) * amount._tangent));

    /// <summary>1/x (exactly, not an estimate), with tangent −t/x².</summary>
    /// <param name="x">x.</param>
    /// <returns>1/x.</returns>
    public static Dual<T> ReciprocalEstimate(Dual<T> x) => One / x;

    /// <summary>1/√x (exactly, not an estimate), derivative −1/(2x√x) = −(1/√x)/(2x) (−∞ at 0).</summary>
    /// <param name="x">x.</param>
    /// <returns>1/√x.</returns>
    public static Dual<T> ReciprocalSqrtEstimate(Dual<T> x)
    {
        var reciprocal = T.One / T.Sqrt(x._value);
        return x.ChainSingular(reciprocal, -reciprocal / (x._value + x._value));
    }
}
