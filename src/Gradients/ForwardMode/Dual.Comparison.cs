namespace Gradients;

public readonly partial struct Dual<T>
{
    /// <summary>Compares the values (the tangents are ignored), so branches take the same path as with T.</summary>
    /// <param name="left">a.</param>
    /// <param name="right">b.</param>
    /// <returns>Whether the values are equal.</returns>
    public static bool operator ==(Dual<T> left, Dual<T> right) => left._value == right._value;

    /// <summary>Compares the values (the tangents are ignored).</summary>
    /// <param name="left">a.</param>
    /// <param name="right">b.</param>
    /// <returns>Whether the values differ.</returns>
    public static bool operator !=(Dual<T> left, Dual<T> right) => left._value != right._value;

    /// <summary>Orders by value.</summary>
    /// <param name="left">a.</param>
    /// <param name="right">b.</param>
    /// <returns>a &lt; b on the values.</returns>
    public static bool operator <(Dual<T> left, Dual<T> right) => left._value < right._value;

    /// <summary>Orders by value.</summary>
    /// <param name="left">a.</param>
    /// <param name="right">b.</param>
    /// <returns>a &gt; b on the values.</returns>
    public static bool operator >(Dual<T> left, Dual<T> right) => left._value > right._value;

    /// <summary>Orders by value.</summary>
    /// <param name="left">a.</param>
    /// <param name="right">b.</param>
    /// <returns>a ≤ b on the values.</returns>
    public static bool operator <=(Dual<T> left, Dual<T> right) => left._value <= right._value;

    /// <summary>Orders by value.</summary>
    /// <param name="left">a.</param>
    /// <param name="right">b.</param>
    /// <returns>a ≥ b on the values.</returns>
    public static bool operator >=(Dual<T> left, Dual<T> right) => left._value >= right._value;

    /// <summary>Compares the values, as T does.</summary>
    /// <param name="other">The other dual.</param>
    /// <returns>The order of the values.</returns>
    public int CompareTo(Dual<T> other) => _value.CompareTo(other._value);

    /// <summary>Compares the values, as T does.</summary>
    /// <param name="obj">A <see cref="Dual{T}"/> or null.</param>
    /// <returns>The order of the values (1 for null).</returns>
    public int CompareTo(object? obj) => obj switch
    {
        null => 1,
        Dual<T> other => CompareTo(other),
        _ => throw new ArgumentException($"The object is a {obj.GetType().Name}, not a {nameof(Dual<T>)}<{typeof(T).Name}>.", nameof(obj)),
    };

    /// <summary>Whether the values are equal in the sense of T's <c>Equals</c> (NaN equals NaN); tangents are ignored.</summary>
    /// <param name="other">The other dual.</param>
    /// <returns>Whether the values are equal.</returns>
    public bool Equals(Dual<T> other) => _value.Equals(other._value);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is Dual<T> other && Equals(other);

    /// <summary>The value's hash (consistent with <see cref="Equals(Dual{T})"/>).</summary>
    /// <returns>The hash code.</returns>
    public override int GetHashCode() => _value.GetHashCode();

    /// <summary>|x|: derivative sign(x), and 0 at ±0 (the subgradient of least magnitude).</summary>
    /// <param name="value">x.</param>
    /// <returns>|x|.</returns>
    public static Dual<T> Abs(Dual<T> value) =>
        T.IsZero(value._value) ? new(T.Abs(value._value)) : value._value < T.Zero ? -value : value;

    /// <summary>The larger value with its tangent; at a tie, the average of the two tangents.</summary>
    /// <param name="x">x.</param>
    /// <param name="y">y.</param>
    /// <returns>max(x, y) (NaN if either is NaN, as T).</returns>
    public static Dual<T> Max(Dual<T> x, Dual<T> y) => Select(T.Max(x._value, y._value), x, y);

    /// <summary>The smaller value with its tangent; at a tie, the average of the two tangents.</summary>
    /// <param name="x">x.</param>
    /// <param name="y">y.</param>
    /// <returns>min(x, y).</returns>
    public static Dual<T> Min(Dual<T> x, Dual<T> y) => Select(T.Min(x._value, y._value), x, y);

    /// <summary>As <see cref="Max"/>, but a NaN loses to a number.</summary>
    /// <param name="x">x.</param>
    /// <param name="y">y.</param>
    /// <returns>The larger number.</returns>
    public static Dual<T> MaxNumber(Dual<T> x, Dual<T> y) => Select(T.MaxNumber(x._value, y._value), x, y);

    /// <summary>As <see cref="Min"/>, but a NaN loses to a number.</summary>
    /// <param name="x">x.</param>
    /// <param name="y">y.</param>
    /// <returns>The smaller number.</returns>
    public static Dual<T> MinNumber(Dual<T> x, Dual<T> y) => Select(T.MinNumber(x._value, y._value), x, y);

    /// <summary>The argument of larger magnitude with its tangent (T's choice between x and −x; the average at x = y).</summary>
    /// <param name="x">x.</param>
    /// <param name="y">y.</param>
    /// <returns>The argument of larger magnitude.</returns>
    public static Dual<T> MaxMagnitude(Dual<T> x, Dual<T> y) => Select(T.MaxMagnitude(x._value, y._value), x, y);

    /// <summary>The argument of larger magnitude; a NaN loses to a number.</summary>
    /// <param name="x">x.</param>
    /// <param name="y">y.</param>
    /// <returns>The argument of larger magnitude.</returns>
    public static Dual<T> MaxMagnitudeNumber(Dual<T> x, Dual<T> y) => Select(T.MaxMagnitudeNumber(x._value, y._value), x, y);

    /// <summary>The argument of smaller magnitude with its tangent (the average at x = y).</summary>
    /// <param name="x">x.</param>
    /// <param name="y">y.</param>
    /// <returns>The argument of smaller magnitude.</returns>
    public static Dual<T> MinMagnitude(Dual<T> x, Dual<T> y) => Select(T.MinMagnitude(x._value, y._value), x, y);

    /// <summary>The argument of smaller magnitude; a NaN loses to a number.</summary>
    /// <param name="x">x.</param>
    /// <param name="y">y.</param>
    /// <returns>The argument of smaller magnitude.</returns>
    public static Dual<T> MinMagnitudeNumber(Dual<T> x, Dual<T> y) => Select(T.MinMagnitudeNumber(x._value, y._value), x, y);

    /// <summary>
    /// x clamped to [min, max]: the tangent of whichever argument is returned; at a tie with a bound, the average of
    /// the two tangents (as <c>Min(Max(x, min), max)</c>).
    /// </summary>
    /// <param name="value">x.</param>
    /// <param name="min">The lower bound.</param>
    /// <param name="max">The upper bound.</param>
    /// <returns>The clamped value.</returns>
    /// <exception cref="ArgumentException"><paramref name="min"/> is greater than <paramref name="max"/>.</exception>
    public static Dual<T> Clamp(Dual<T> value, Dual<T> min, Dual<T> max)
    {
        var clamped = T.Clamp(value._value, min._value, max._value);
        return new(clamped, Min(Max(value, min), max)._tangent);
    }

    /// <summary>|x| with the sign of <paramref name="sign"/>: the tangent of x, negated when the sign flips (the sign argument has derivative 0).</summary>
    /// <param name="value">x.</param>
    /// <param name="sign">The sign source.</param>
    /// <returns>The result.</returns>
    public static Dual<T> CopySign(Dual<T> value, Dual<T> sign)
    {
        var result = T.CopySign(value._value, sign._value);
        return new(result, T.IsNegative(result) == T.IsNegative(value._value) ? value._tangent : -value._tangent);
    }

    /// <summary>The sign of the value: −1, 0 or 1.</summary>
    /// <param name="value">x.</param>
    /// <returns>The sign.</returns>
    /// <exception cref="ArithmeticException">The value is NaN.</exception>
    public static int Sign(Dual<T> value) => T.Sign(value._value);

    /// <summary>Whether the value is canonical.</summary>
    /// <param name="value">x.</param>
    /// <returns>The test on the value.</returns>
    public static bool IsCanonical(Dual<T> value) => T.IsCanonical(value._value);

    /// <summary>Whether the value is complex (as T).</summary>
    /// <param name="value">x.</param>
    /// <returns>The test on the value.</returns>
    public static bool IsComplexNumber(Dual<T> value) => T.IsComplexNumber(value._value);

    /// <summary>Whether the value is an even integer.</summary>
    /// <param name="value">x.</param>
    /// <returns>The test on the value.</returns>
    public static bool IsEvenInteger(Dual<T> value) => T.IsEvenInteger(value._value);

    /// <summary>Whether the value is finite (the tangent is not inspected).</summary>
    /// <param name="value">x.</param>
    /// <returns>The test on the value.</returns>
    public static bool IsFinite(Dual<T> value) => T.IsFinite(value._value);

    /// <summary>Whether the value is imaginary (as T).</summary>
    /// <param name="value">x.</param>
    /// <returns>The test on the value.</returns>
    public static bool IsImaginaryNumber(Dual<T> value) => T.IsImaginaryNumber(value._value);

    /// <summary>Whether the value is infinite.</summary>
    /// <param name="value">x.</param>
    /// <returns>The test on the value.</returns>
    public static bool IsInfinity(Dual<T> value) => T.IsInfinity(value._value);

    /// <summary>Whether the value is an integer.</summary>
    /// <param name="value">x.</param>
    /// <returns>The test on the value.</returns>
    public static bool IsInteger(Dual<T> value) => T.IsInteger(value._value);

    /// <summary>Whether the value is NaN. A NaN tangent alone is not reported: the test looks at the value only.</summary>
    /// <param name="value">x.</param>
    /// <returns>The test on the value.</returns>
    public static bool IsNaN(Dual<T> value) => T.IsNaN(value._value);

    /// <summary>Whether the value is negative (including −0).</summary>
    /// <param name="value">x.</param>
    /// <returns>The test on the value.</returns>
    public static bool IsNegative(Dual<T> value) => T.IsNegative(value._value);

    /// <summary>Whether the value is −∞.</summary>
    /// <param name="value">x.</param>
    /// <returns>The test on the value.</returns>
    public static bool IsNegativeInfinity(Dual<T> value) => T.IsNegativeInfinity(value._value);

    /// <summary>Whether the value is normal.</summary>
    /// <param name="value">x.</param>
    /// <returns>The test on the value.</returns>
    public static bool IsNormal(Dual<T> value) => T.IsNormal(value._value);

    /// <summary>Whether the value is an odd integer.</summary>
    /// <param name="value">x.</param>
    /// <returns>The test on the value.</returns>
    public static bool IsOddInteger(Dual<T> value) => T.IsOddInteger(value._value);

    /// <summary>Whether the value is positive (including +0).</summary>
    /// <param name="value">x.</param>
    /// <returns>The test on the value.</returns>
    public static bool IsPositive(Dual<T> value) => T.IsPositive(value._value);

    /// <summary>Whether the value is +∞.</summary>
    /// <param name="value">x.</param>
    /// <returns>The test on the value.</returns>
    public static bool IsPositiveInfinity(Dual<T> value) => T.IsPositiveInfinity(value._value);

    /// <summary>Whether the value is real (as T).</summary>
    /// <param name="value">x.</param>
    /// <returns>The test on the value.</returns>
    public static bool IsRealNumber(Dual<T> value) => T.IsRealNumber(value._value);

    /// <summary>Whether the value is subnormal.</summary>
    /// <param name="value">x.</param>
    /// <returns>The test on the value.</returns>
    public static bool IsSubnormal(Dual<T> value) => T.IsSubnormal(value._value);

    /// <summary>Whether the value is ±0 (the tangent may be anything).</summary>
    /// <param name="value">x.</param>
    /// <returns>The test on the value.</returns>
    public static bool IsZero(Dual<T> value) => T.IsZero(value._value);

    /// <summary>The argument T chose (by value), or the average tangent when the values tie.</summary>
    private static Dual<T> Select(T value, Dual<T> x, Dual<T> y)
    {
        if (x._value == y._value)
        {
            return new(value, AverageTangent(x, y));
        }

        if (T.IsNaN(value))
        {
            return new(value, T.IsNaN(x._value) ? x._tangent : y._tangent);
        }

        return new(value, value == x._value ? x._tangent : y._tangent);
    }
}
