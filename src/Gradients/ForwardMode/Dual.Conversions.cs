using System.Numerics;
using System.Runtime.CompilerServices;

namespace Gradients;

public readonly partial struct Dual<T>
{
    /// <summary>
    /// Lifts <paramref name="value"/> as a constant (tangent 0), converted to T with overflow checks; a
    /// <see cref="Dual{T}"/> is returned as it is. A dual of another type with a non-zero tangent cannot be converted.
    /// </summary>
    /// <typeparam name="TOther">The source type.</typeparam>
    /// <param name="value">The number.</param>
    /// <returns>The constant.</returns>
    public static Dual<T> CreateChecked<TOther>(TOther value)
        where TOther : INumberBase<TOther> =>
        typeof(TOther) == typeof(Dual<T>) ? Unsafe.As<TOther, Dual<T>>(ref value)
        : new(typeof(TOther) == typeof(T) ? Unsafe.As<TOther, T>(ref value) : T.CreateChecked(value));

    /// <summary>Lifts <paramref name="value"/> as a constant (tangent 0), saturating in T.</summary>
    /// <typeparam name="TOther">The source type.</typeparam>
    /// <param name="value">The number.</param>
    /// <returns>The constant.</returns>
    public static Dual<T> CreateSaturating<TOther>(TOther value)
        where TOther : INumberBase<TOther> =>
        typeof(TOther) == typeof(Dual<T>) ? Unsafe.As<TOther, Dual<T>>(ref value)
        : new(typeof(TOther) == typeof(T) ? Unsafe.As<TOther, T>(ref value) : T.CreateSaturating(value));

    /// <summary>Lifts <paramref name="value"/> as a constant (tangent 0), truncating in T.</summary>
    /// <typeparam name="TOther">The source type.</typeparam>
    /// <param name="value">The number.</param>
    /// <returns>The constant.</returns>
    public static Dual<T> CreateTruncating<TOther>(TOther value)
        where TOther : INumberBase<TOther> =>
        typeof(TOther) == typeof(Dual<T>) ? Unsafe.As<TOther, Dual<T>>(ref value)
        : new(typeof(TOther) == typeof(T) ? Unsafe.As<TOther, T>(ref value) : T.CreateTruncating(value));

    /// <summary>The value converted to an integer, saturating; throws when the tangent is non-zero.</summary>
    /// <typeparam name="TInteger">The integer type.</typeparam>
    /// <param name="value">The dual.</param>
    /// <returns>The integer.</returns>
    public static TInteger ConvertToInteger<TInteger>(Dual<T> value)
        where TInteger : IBinaryInteger<TInteger>
    {
        ThrowIfTangentWouldBeDropped(value, typeof(TInteger));
        return T.ConvertToInteger<TInteger>(value._value);
    }

    /// <summary>The value converted to an integer with the platform's behaviour on overflow; throws when the tangent is non-zero.</summary>
    /// <typeparam name="TInteger">The integer type.</typeparam>
    /// <param name="value">The dual.</param>
    /// <returns>The integer.</returns>
    public static TInteger ConvertToIntegerNative<TInteger>(Dual<T> value)
        where TInteger : IBinaryInteger<TInteger>
    {
        ThrowIfTangentWouldBeDropped(value, typeof(TInteger));
        return T.ConvertToIntegerNative<TInteger>(value._value);
    }

    /// <summary>Lifts a number of any supported type as a constant (tangent 0), converted to T with overflow checks.</summary>
    static bool INumberBase<Dual<T>>.TryConvertFromChecked<TOther>(TOther value, out Dual<T> result)
    {
        result = new(typeof(TOther) == typeof(T) ? Unsafe.As<TOther, T>(ref value) : T.CreateChecked(value));
        return true;
    }

    /// <summary>Lifts a number of any supported type as a constant (tangent 0), saturating in T.</summary>
    static bool INumberBase<Dual<T>>.TryConvertFromSaturating<TOther>(TOther value, out Dual<T> result)
    {
        result = new(typeof(TOther) == typeof(T) ? Unsafe.As<TOther, T>(ref value) : T.CreateSaturating(value));
        return true;
    }

    /// <summary>Lifts a number of any supported type as a constant (tangent 0), truncating in T.</summary>
    static bool INumberBase<Dual<T>>.TryConvertFromTruncating<TOther>(TOther value, out Dual<T> result)
    {
        result = new(typeof(TOther) == typeof(T) ? Unsafe.As<TOther, T>(ref value) : T.CreateTruncating(value));
        return true;
    }

    /// <summary>Converts the value out; throws when the tangent is non-zero (a derivative must not be dropped silently).</summary>
    static bool INumberBase<Dual<T>>.TryConvertToChecked<TOther>(Dual<T> value, out TOther result)
    {
        ThrowIfTangentWouldBeDropped(value, typeof(TOther));
        result = TOther.CreateChecked(value._value);
        return true;
    }

    /// <summary>Converts the value out; throws when the tangent is non-zero.</summary>
    static bool INumberBase<Dual<T>>.TryConvertToSaturating<TOther>(Dual<T> value, out TOther result)
    {
        ThrowIfTangentWouldBeDropped(value, typeof(TOther));
        result = TOther.CreateSaturating(value._value);
        return true;
    }

    /// <summary>Converts the value out; throws when the tangent is non-zero.</summary>
    static bool INumberBase<Dual<T>>.TryConvertToTruncating<TOther>(Dual<T> value, out TOther result)
    {
        ThrowIfTangentWouldBeDropped(value, typeof(TOther));
        result = TOther.CreateTruncating(value._value);
        return true;
    }

    private static void ThrowIfTangentWouldBeDropped(Dual<T> value, Type target)
    {
        if (!IsExactlyZero(value._tangent))
        {
            ThrowHelper.ThrowTangentDropped(value._value.ToString(null, System.Globalization.CultureInfo.InvariantCulture), value._tangent.ToString(null, System.Globalization.CultureInfo.InvariantCulture), target.Name);
        }
    }
}
