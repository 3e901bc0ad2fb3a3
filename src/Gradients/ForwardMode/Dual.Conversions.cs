using System.Numerics;
using System.Runtime.CompilerServices;

namespace Gradients;

public readonly partial struct Dual<T>
{
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
        if (!T.IsZero(value._tangent))
        {
            ThrowHelper.ThrowTangentDropped(value._value.ToString(null, System.Globalization.CultureInfo.InvariantCulture), value._tangent.ToString(null, System.Globalization.CultureInfo.InvariantCulture), target.Name);
        }
    }
}
