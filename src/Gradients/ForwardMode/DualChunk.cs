using System.Globalization;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Gradients;

/// <summary>
/// A dual number with a chunk of N tangents, N = 2·<see cref="Vector256{T}.Count"/> (8 for double, 16 for float),
/// held in two <see cref="Vector256{T}"/> fields so the JIT keeps them in vector registers: one evaluation of f
/// gives N partial derivatives, and a gradient of n variables takes ⌈n/N⌉ evaluations (ForwardDiff.jl's chunk mode).
/// </summary>
/// <remarks>
/// Arithmetic is written out on the vectors. Every other member evaluates <see cref="Dual{T}"/>'s rule once with a
/// unit tangent to get the local derivative f′(v) (one evaluation per argument for functions of two or three
/// arguments) and scales the chunk by it, so the rules and their conventions at kinks live in one place. A partial
/// that is 0 stays 0 even when f′ is infinite (√0), as with <see cref="Dual{T}"/>. Only instantiated for T with
/// <see cref="Vector256{T}.IsSupported"/> (float and double).
/// </remarks>
/// <typeparam name="T">float or double.</typeparam>
internal readonly struct DualChunk<T> : IFloatingPointIeee754<DualChunk<T>>, IStructuralZero
    where T : IFloatingPointIeee754<T>
{
    private readonly Vector256<T> _lower;
    private readonly Vector256<T> _upper;
    private readonly T _value;

    public DualChunk(T value, Vector256<T> lower, Vector256<T> upper)
    {
        _value = value;
        _lower = lower;
        _upper = upper;
    }

    public DualChunk(T value)
    {
        _value = value;
        _lower = Vector256<T>.Zero;
        _upper = Vector256<T>.Zero;
    }

    /// <summary>The number of tangents in a chunk.</summary>
    public static int Size => 2 * Vector256<T>.Count;

    public T Value => _value;

    /// <summary>The first half of the tangents.</summary>
    public Vector256<T> Lower => _lower;

    /// <summary>The second half of the tangents.</summary>
    public Vector256<T> Upper => _upper;

    /// <summary>x seeded with the unit tangent eₖ (k in [0, <see cref="Size"/>)), or a constant when k is outside.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static DualChunk<T> Seed(T value, int k)
    {
        var count = Vector256<T>.Count;
        var lower = Vector256.ConditionalSelect(Vector256.Equals(Vector256<T>.Indices, Vector256.Create(T.CreateTruncating(k))), Vector256<T>.One, Vector256<T>.Zero);
        var upper = Vector256.ConditionalSelect(Vector256.Equals(Vector256<T>.Indices, Vector256.Create(T.CreateTruncating(k - count))), Vector256<T>.One, Vector256<T>.Zero);
        return new(value, lower, upper);
    }

    /// <summary>Tangent k.</summary>
    public T Tangent(int k) => k < Vector256<T>.Count ? _lower.GetElement(k) : _upper.GetElement(k - Vector256<T>.Count);

    private bool HasZeroTangents => _lower == Vector256<T>.Zero && _upper == Vector256<T>.Zero;

    private Dual<T> UnitSeed => new(_value, T.One);

    private Dual<T> ConstantSeed => new(_value, T.Zero);

    /// <summary>The chunk scaled by f′; a zero partial stays zero when f′ is not finite.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private DualChunk<T> Scaled(T value, T derivative)
    {
        if (T.IsFinite(derivative))
        {
            return new(value, _lower * derivative, _upper * derivative);
        }

        var scale = Vector256.Create(derivative);
        return new(
            value,
            Vector256.ConditionalSelect(Vector256.Equals(_lower, Vector256<T>.Zero), Vector256<T>.Zero, _lower * scale),
            Vector256.ConditionalSelect(Vector256.Equals(_upper, Vector256<T>.Zero), Vector256<T>.Zero, _upper * scale));
    }

    private DualChunk<T> Lift(Dual<T> local) => Scaled(local.Value, local.Tangent);

    /// <summary>Σ argumentᵢ's chunk · partialᵢ, leaving out constant arguments.</summary>
    private static DualChunk<T> Combine(T value, DualChunk<T> a, T da, DualChunk<T> b, T db)
    {
        var result = new DualChunk<T>(value);
        if (!a.HasZeroTangents)
        {
            result = a.Scaled(value, da);
        }

        if (!b.HasZeroTangents)
        {
            var scaled = b.Scaled(value, db);
            result = new(value, result._lower + scaled._lower, result._upper + scaled._upper);
        }

        return result;
    }

    public static DualChunk<T> One => new(T.One);

    public static DualChunk<T> Zero => new(T.Zero);

    public static DualChunk<T> NegativeOne => new(T.NegativeOne);

    public static int Radix => T.Radix;

    public static DualChunk<T> AdditiveIdentity => new(T.AdditiveIdentity);

    public static DualChunk<T> MultiplicativeIdentity => new(T.MultiplicativeIdentity);

    public static DualChunk<T> E => new(T.E);

    public static DualChunk<T> Pi => new(T.Pi);

    public static DualChunk<T> Tau => new(T.Tau);

    public static DualChunk<T> Epsilon => new(T.Epsilon);

    public static DualChunk<T> NaN => new(T.NaN);

    public static DualChunk<T> NegativeInfinity => new(T.NegativeInfinity);

    public static DualChunk<T> NegativeZero => new(T.NegativeZero);

    public static DualChunk<T> PositiveInfinity => new(T.PositiveInfinity);

    public static DualChunk<T> operator +(DualChunk<T> value) => value;

    public static DualChunk<T> operator -(DualChunk<T> value) => new(-value._value, -value._lower, -value._upper);

    public static DualChunk<T> operator +(DualChunk<T> left, DualChunk<T> right) =>
        new(left._value + right._value, left._lower + right._lower, left._upper + right._upper);

    public static DualChunk<T> operator -(DualChunk<T> left, DualChunk<T> right) =>
        new(left._value - right._value, left._lower - right._lower, left._upper - right._upper);

    public static DualChunk<T> operator *(DualChunk<T> left, DualChunk<T> right) =>
        new(
            left._value * right._value,
            MultiplyAddEstimate(left._lower, Vector256.Create(right._value), right._lower * left._value),
            MultiplyAddEstimate(left._upper, Vector256.Create(right._value), right._upper * left._value));

    /// <summary>a·b + c lane-wise, fused where the hardware has FMA, as <see cref="Dual{T}"/>'s product does with T.MultiplyAddEstimate.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<T> MultiplyAddEstimate(Vector256<T> left, Vector256<T> right, Vector256<T> addend)
    {
        if (typeof(T) == typeof(double))
        {
            return Vector256.MultiplyAddEstimate(left.AsDouble(), right.AsDouble(), addend.AsDouble()).As<double, T>();
        }

        if (typeof(T) == typeof(float))
        {
            return Vector256.MultiplyAddEstimate(left.AsSingle(), right.AsSingle(), addend.AsSingle()).As<float, T>();
        }

        return (left * right) + addend;
    }

    public static DualChunk<T> operator /(DualChunk<T> left, DualChunk<T> right)
    {
        // Divided, not multiplied by 1/b: the tangents then round exactly as Dual<T>'s.
        var quotient = left._value / right._value;
        var divisor = Vector256.Create(right._value);
        return new(
            quotient,
            (left._lower - (right._lower * quotient)) / divisor,
            (left._upper - (right._upper * quotient)) / divisor);
    }

    public static DualChunk<T> operator %(DualChunk<T> left, DualChunk<T> right) =>
        Combine(left._value % right._value, left, T.One, right, -T.Truncate(left._value / right._value));

    public static DualChunk<T> operator ++(DualChunk<T> value) => new(value._value + T.One, value._lower, value._upper);

    public static DualChunk<T> operator --(DualChunk<T> value) => new(value._value - T.One, value._lower, value._upper);

    public static bool operator ==(DualChunk<T> left, DualChunk<T> right) => left._value == right._value;

    public static bool operator !=(DualChunk<T> left, DualChunk<T> right) => left._value != right._value;

    public static bool operator <(DualChunk<T> left, DualChunk<T> right) => left._value < right._value;

    public static bool operator >(DualChunk<T> left, DualChunk<T> right) => left._value > right._value;

    public static bool operator <=(DualChunk<T> left, DualChunk<T> right) => left._value <= right._value;

    public static bool operator >=(DualChunk<T> left, DualChunk<T> right) => left._value >= right._value;

    public int CompareTo(DualChunk<T> other) => _value.CompareTo(other._value);

    public int CompareTo(object? obj) => obj switch
    {
        null => 1,
        DualChunk<T> other => CompareTo(other),
        _ => throw new ArgumentException($"The object is a {obj.GetType().Name}, not a {nameof(DualChunk<T>)}.", nameof(obj)),
    };

    public bool Equals(DualChunk<T> other) => _value.Equals(other._value);

    public override bool Equals(object? obj) => obj is DualChunk<T> other && Equals(other);

    public override int GetHashCode() => _value.GetHashCode();

    public override string ToString() => ToString(null, CultureInfo.CurrentCulture);

    public string ToString(string? format, IFormatProvider? formatProvider) => _value.ToString(format, formatProvider);

    public bool TryFormat(Span<char> destination, out int charsWritten, ReadOnlySpan<char> format, IFormatProvider? provider) =>
        _value.TryFormat(destination, out charsWritten, format, provider);

    public static DualChunk<T> Parse(string s, IFormatProvider? provider) => new(T.Parse(s, provider));

    public static DualChunk<T> Parse(string s, NumberStyles style, IFormatProvider? provider) => new(T.Parse(s, style, provider));

    public static DualChunk<T> Parse(ReadOnlySpan<char> s, IFormatProvider? provider) => new(T.Parse(s, provider));

    public static DualChunk<T> Parse(ReadOnlySpan<char> s, NumberStyles style, IFormatProvider? provider) => new(T.Parse(s, style, provider));

    public static bool TryParse(string? s, IFormatProvider? provider, out DualChunk<T> result)
    {
        var parsed = T.TryParse(s, provider, out var value);
        result = new(value!);
        return parsed;
    }

    public static bool TryParse(string? s, NumberStyles style, IFormatProvider? provider, out DualChunk<T> result)
    {
        var parsed = T.TryParse(s, style, provider, out var value);
        result = new(value!);
        return parsed;
    }

    public static bool TryParse(ReadOnlySpan<char> s, IFormatProvider? provider, out DualChunk<T> result)
    {
        var parsed = T.TryParse(s, provider, out var value);
        result = new(value!);
        return parsed;
    }

    public static bool TryParse(ReadOnlySpan<char> s, NumberStyles style, IFormatProvider? provider, out DualChunk<T> result)
    {
        var parsed = T.TryParse(s, style, provider, out var value);
        result = new(value!);
        return parsed;
    }

    static bool INumberBase<DualChunk<T>>.TryConvertFromChecked<TOther>(TOther value, out DualChunk<T> result)
    {
        result = new(typeof(TOther) == typeof(T) ? Unsafe.As<TOther, T>(ref value) : T.CreateChecked(value));
        return true;
    }

    static bool INumberBase<DualChunk<T>>.TryConvertToChecked<TOther>(DualChunk<T> value, out TOther result)
    {
        value.ThrowIfTangentsWouldBeDropped(typeof(TOther));
        result = TOther.CreateChecked(value._value);
        return true;
    }

    static bool INumberBase<DualChunk<T>>.TryConvertFromSaturating<TOther>(TOther value, out DualChunk<T> result)
    {
        result = new(typeof(TOther) == typeof(T) ? Unsafe.As<TOther, T>(ref value) : T.CreateSaturating(value));
        return true;
    }

    static bool INumberBase<DualChunk<T>>.TryConvertToSaturating<TOther>(DualChunk<T> value, out TOther result)
    {
        value.ThrowIfTangentsWouldBeDropped(typeof(TOther));
        result = TOther.CreateSaturating(value._value);
        return true;
    }

    static bool INumberBase<DualChunk<T>>.TryConvertFromTruncating<TOther>(TOther value, out DualChunk<T> result)
    {
        result = new(typeof(TOther) == typeof(T) ? Unsafe.As<TOther, T>(ref value) : T.CreateTruncating(value));
        return true;
    }

    static bool INumberBase<DualChunk<T>>.TryConvertToTruncating<TOther>(DualChunk<T> value, out TOther result)
    {
        value.ThrowIfTangentsWouldBeDropped(typeof(TOther));
        result = TOther.CreateTruncating(value._value);
        return true;
    }

    private void ThrowIfTangentsWouldBeDropped(Type target)
    {
        if (!HasZeroTangents)
        {
            ThrowHelper.ThrowTangentDropped(_value.ToString(null, CultureInfo.InvariantCulture), $"[{_lower}, {_upper}]", target.Name);
        }
    }

    public static bool IsCanonical(DualChunk<T> value) => T.IsCanonical(value._value);

    public static bool IsComplexNumber(DualChunk<T> value) => T.IsComplexNumber(value._value);

    public static bool IsEvenInteger(DualChunk<T> value) => T.IsEvenInteger(value._value);

    public static bool IsFinite(DualChunk<T> value) => T.IsFinite(value._value);

    public static bool IsImaginaryNumber(DualChunk<T> value) => T.IsImaginaryNumber(value._value);

    public static bool IsInfinity(DualChunk<T> value) => T.IsInfinity(value._value);

    public static bool IsInteger(DualChunk<T> value) => T.IsInteger(value._value);

    public static bool IsNaN(DualChunk<T> value) => T.IsNaN(value._value);

    public static bool IsNegative(DualChunk<T> value) => T.IsNegative(value._value);

    public static bool IsNegativeInfinity(DualChunk<T> value) => T.IsNegativeInfinity(value._value);

    public static bool IsNormal(DualChunk<T> value) => T.IsNormal(value._value);

    public static bool IsOddInteger(DualChunk<T> value) => T.IsOddInteger(value._value);

    public static bool IsPositive(DualChunk<T> value) => T.IsPositive(value._value);

    public static bool IsPositiveInfinity(DualChunk<T> value) => T.IsPositiveInfinity(value._value);

    public static bool IsRealNumber(DualChunk<T> value) => T.IsRealNumber(value._value);

    public static bool IsSubnormal(DualChunk<T> value) => T.IsSubnormal(value._value);

    public static bool IsZero(DualChunk<T> value) => T.IsZero(value._value);

    /// <inheritdoc/>
    /// <remarks>As the outer tangent of the Hessian's <c>Dual&lt;DualChunk&lt;T&gt;&gt;</c>: a chunk whose value is 0 may carry second-order parts.</remarks>
    bool IStructuralZero.IsExactlyZero => T.IsZero(_value) && HasZeroTangents;

    public static DualChunk<T> Exp(DualChunk<T> x) => x.Lift(Dual<T>.Exp(x.UnitSeed));

    public static DualChunk<T> Exp2(DualChunk<T> x) => x.Lift(Dual<T>.Exp2(x.UnitSeed));

    public static DualChunk<T> Exp10(DualChunk<T> x) => x.Lift(Dual<T>.Exp10(x.UnitSeed));

    public static DualChunk<T> ExpM1(DualChunk<T> x) => x.Lift(Dual<T>.ExpM1(x.UnitSeed));

    public static DualChunk<T> Exp2M1(DualChunk<T> x) => x.Lift(Dual<T>.Exp2M1(x.UnitSeed));

    public static DualChunk<T> Exp10M1(DualChunk<T> x) => x.Lift(Dual<T>.Exp10M1(x.UnitSeed));

    public static DualChunk<T> Log(DualChunk<T> x) => x.Lift(Dual<T>.Log(x.UnitSeed));

    public static DualChunk<T> Log2(DualChunk<T> x) => x.Lift(Dual<T>.Log2(x.UnitSeed));

    public static DualChunk<T> Log10(DualChunk<T> x) => x.Lift(Dual<T>.Log10(x.UnitSeed));

    public static DualChunk<T> LogP1(DualChunk<T> x) => x.Lift(Dual<T>.LogP1(x.UnitSeed));

    public static DualChunk<T> Log2P1(DualChunk<T> x) => x.Lift(Dual<T>.Log2P1(x.UnitSeed));

    public static DualChunk<T> Log10P1(DualChunk<T> x) => x.Lift(Dual<T>.Log10P1(x.UnitSeed));

    public static DualChunk<T> Sqrt(DualChunk<T> x) => x.Lift(Dual<T>.Sqrt(x.UnitSeed));

    public static DualChunk<T> Cbrt(DualChunk<T> x) => x.Lift(Dual<T>.Cbrt(x.UnitSeed));

    public static DualChunk<T> Sin(DualChunk<T> x) => x.Lift(Dual<T>.Sin(x.UnitSeed));

    public static DualChunk<T> Cos(DualChunk<T> x) => x.Lift(Dual<T>.Cos(x.UnitSeed));

    public static DualChunk<T> Tan(DualChunk<T> x) => x.Lift(Dual<T>.Tan(x.UnitSeed));

    public static DualChunk<T> SinPi(DualChunk<T> x) => x.Lift(Dual<T>.SinPi(x.UnitSeed));

    public static DualChunk<T> CosPi(DualChunk<T> x) => x.Lift(Dual<T>.CosPi(x.UnitSeed));

    public static DualChunk<T> TanPi(DualChunk<T> x) => x.Lift(Dual<T>.TanPi(x.UnitSeed));

    public static DualChunk<T> Asin(DualChunk<T> x) => x.Lift(Dual<T>.Asin(x.UnitSeed));

    public static DualChunk<T> Acos(DualChunk<T> x) => x.Lift(Dual<T>.Acos(x.UnitSeed));

    public static DualChunk<T> Atan(DualChunk<T> x) => x.Lift(Dual<T>.Atan(x.UnitSeed));

    public static DualChunk<T> AsinPi(DualChunk<T> x) => x.Lift(Dual<T>.AsinPi(x.UnitSeed));

    public static DualChunk<T> AcosPi(DualChunk<T> x) => x.Lift(Dual<T>.AcosPi(x.UnitSeed));

    public static DualChunk<T> AtanPi(DualChunk<T> x) => x.Lift(Dual<T>.AtanPi(x.UnitSeed));

    public static DualChunk<T> Sinh(DualChunk<T> x) => x.Lift(Dual<T>.Sinh(x.UnitSeed));

    public static DualChunk<T> Cosh(DualChunk<T> x) => x.Lift(Dual<T>.Cosh(x.UnitSeed));

    public static DualChunk<T> Tanh(DualChunk<T> x) => x.Lift(Dual<T>.Tanh(x.UnitSeed));

    public static DualChunk<T> Asinh(DualChunk<T> x) => x.Lift(Dual<T>.Asinh(x.UnitSeed));

    public static DualChunk<T> Acosh(DualChunk<T> x) => x.Lift(Dual<T>.Acosh(x.UnitSeed));

    public static DualChunk<T> Atanh(DualChunk<T> x) => x.Lift(Dual<T>.Atanh(x.UnitSeed));

    public static DualChunk<T> Abs(DualChunk<T> x) => x.Lift(Dual<T>.Abs(x.UnitSeed));

    public static DualChunk<T> BitIncrement(DualChunk<T> x) => x.Lift(Dual<T>.BitIncrement(x.UnitSeed));

    public static DualChunk<T> BitDecrement(DualChunk<T> x) => x.Lift(Dual<T>.BitDecrement(x.UnitSeed));

    public static DualChunk<T> DegreesToRadians(DualChunk<T> x) => x.Lift(Dual<T>.DegreesToRadians(x.UnitSeed));

    public static DualChunk<T> RadiansToDegrees(DualChunk<T> x) => x.Lift(Dual<T>.RadiansToDegrees(x.UnitSeed));

    public static DualChunk<T> ReciprocalEstimate(DualChunk<T> x) => x.Lift(Dual<T>.ReciprocalEstimate(x.UnitSeed));

    public static DualChunk<T> ReciprocalSqrtEstimate(DualChunk<T> x) => x.Lift(Dual<T>.ReciprocalSqrtEstimate(x.UnitSeed));

    public static DualChunk<T> Pow(DualChunk<T> x, DualChunk<T> y)
    {
        var first = Dual<T>.Pow(x.UnitSeed, y.ConstantSeed);
        var second = Dual<T>.Pow(x.ConstantSeed, y.UnitSeed);
        return Combine(first.Value, x, first.Tangent, y, second.Tangent);
    }

    public static DualChunk<T> Hypot(DualChunk<T> x, DualChunk<T> y)
    {
        var first = Dual<T>.Hypot(x.UnitSeed, y.ConstantSeed);
        var second = Dual<T>.Hypot(x.ConstantSeed, y.UnitSeed);
        return Combine(first.Value, x, first.Tangent, y, second.Tangent);
    }

    public static DualChunk<T> Atan2(DualChunk<T> y, DualChunk<T> x)
    {
        var first = Dual<T>.Atan2(y.UnitSeed, x.ConstantSeed);
        var second = Dual<T>.Atan2(y.ConstantSeed, x.UnitSeed);
        return Combine(first.Value, y, first.Tangent, x, second.Tangent);
    }

    public static DualChunk<T> Atan2Pi(DualChunk<T> y, DualChunk<T> x)
    {
        var first = Dual<T>.Atan2Pi(y.UnitSeed, x.ConstantSeed);
        var second = Dual<T>.Atan2Pi(y.ConstantSeed, x.UnitSeed);
        return Combine(first.Value, y, first.Tangent, x, second.Tangent);
    }

    public static DualChunk<T> Log(DualChunk<T> x, DualChunk<T> newBase)
    {
        var first = Dual<T>.Log(x.UnitSeed, newBase.ConstantSeed);
        var second = Dual<T>.Log(x.ConstantSeed, newBase.UnitSeed);
        return Combine(first.Value, x, first.Tangent, newBase, second.Tangent);
    }

    public static DualChunk<T> Max(DualChunk<T> x, DualChunk<T> y)
    {
        var first = Dual<T>.Max(x.UnitSeed, y.ConstantSeed);
        var second = Dual<T>.Max(x.ConstantSeed, y.UnitSeed);
        return Combine(first.Value, x, first.Tangent, y, second.Tangent);
    }

    public static DualChunk<T> Min(DualChunk<T> x, DualChunk<T> y)
    {
        var first = Dual<T>.Min(x.UnitSeed, y.ConstantSeed);
        var second = Dual<T>.Min(x.ConstantSeed, y.UnitSeed);
        return Combine(first.Value, x, first.Tangent, y, second.Tangent);
    }

    public static DualChunk<T> MaxNumber(DualChunk<T> x, DualChunk<T> y)
    {
        var first = Dual<T>.MaxNumber(x.UnitSeed, y.ConstantSeed);
        var second = Dual<T>.MaxNumber(x.ConstantSeed, y.UnitSeed);
        return Combine(first.Value, x, first.Tangent, y, second.Tangent);
    }

    public static DualChunk<T> MinNumber(DualChunk<T> x, DualChunk<T> y)
    {
        var first = Dual<T>.MinNumber(x.UnitSeed, y.ConstantSeed);
        var second = Dual<T>.MinNumber(x.ConstantSeed, y.UnitSeed);
        return Combine(first.Value, x, first.Tangent, y, second.Tangent);
    }

    public static DualChunk<T> MaxMagnitude(DualChunk<T> x, DualChunk<T> y)
    {
        var first = Dual<T>.MaxMagnitude(x.UnitSeed, y.ConstantSeed);
        var second = Dual<T>.MaxMagnitude(x.ConstantSeed, y.UnitSeed);
        return Combine(first.Value, x, first.Tangent, y, second.Tangent);
    }

    public static DualChunk<T> MaxMagnitudeNumber(DualChunk<T> x, DualChunk<T> y)
    {
        var first = Dual<T>.MaxMagnitudeNumber(x.UnitSeed, y.ConstantSeed);
        var second = Dual<T>.MaxMagnitudeNumber(x.ConstantSeed, y.UnitSeed);
        return Combine(first.Value, x, first.Tangent, y, second.Tangent);
    }

    public static DualChunk<T> MinMagnitude(DualChunk<T> x, DualChunk<T> y)
    {
        var first = Dual<T>.MinMagnitude(x.UnitSeed, y.ConstantSeed);
        var second = Dual<T>.MinMagnitude(x.ConstantSeed, y.UnitSeed);
        return Combine(first.Value, x, first.Tangent, y, second.Tangent);
    }

    public static DualChunk<T> MinMagnitudeNumber(DualChunk<T> x, DualChunk<T> y)
    {
        var first = Dual<T>.MinMagnitudeNumber(x.UnitSeed, y.ConstantSeed);
        var second = Dual<T>.MinMagnitudeNumber(x.ConstantSeed, y.UnitSeed);
        return Combine(first.Value, x, first.Tangent, y, second.Tangent);
    }

    public static DualChunk<T> CopySign(DualChunk<T> value, DualChunk<T> sign)
    {
        var first = Dual<T>.CopySign(value.UnitSeed, sign.ConstantSeed);
        var second = Dual<T>.CopySign(value.ConstantSeed, sign.UnitSeed);
        return Combine(first.Value, value, first.Tangent, sign, second.Tangent);
    }

    public static DualChunk<T> Ieee754Remainder(DualChunk<T> left, DualChunk<T> right)
    {
        var first = Dual<T>.Ieee754Remainder(left.UnitSeed, right.ConstantSeed);
        var second = Dual<T>.Ieee754Remainder(left.ConstantSeed, right.UnitSeed);
        return Combine(first.Value, left, first.Tangent, right, second.Tangent);
    }

    public static DualChunk<T> RootN(DualChunk<T> x, int n) => x.Lift(Dual<T>.RootN(x.UnitSeed, n));

    public static DualChunk<T> ScaleB(DualChunk<T> x, int n) => x.Lift(Dual<T>.ScaleB(x.UnitSeed, n));

    public static (DualChunk<T> Sin, DualChunk<T> Cos) SinCos(DualChunk<T> x)
    {
        var (sin, cos) = Dual<T>.SinCos(x.UnitSeed);
        return (x.Lift(sin), x.Lift(cos));
    }

    public static (DualChunk<T> SinPi, DualChunk<T> CosPi) SinCosPi(DualChunk<T> x)
    {
        var (sin, cos) = Dual<T>.SinCosPi(x.UnitSeed);
        return (x.Lift(sin), x.Lift(cos));
    }

    public static DualChunk<T> Clamp(DualChunk<T> value, DualChunk<T> min, DualChunk<T> max)
    {
        var clamped = T.Clamp(value._value, min._value, max._value);
        var chosen = Min(Max(value, min), max);
        return new(clamped, chosen._lower, chosen._upper);
    }

    public static DualChunk<T> FusedMultiplyAdd(DualChunk<T> left, DualChunk<T> right, DualChunk<T> addend) =>
        new(
            T.FusedMultiplyAdd(left._value, right._value, addend._value),
            (left._lower * right._value) + (right._lower * left._value) + addend._lower,
            (left._upper * right._value) + (right._upper * left._value) + addend._upper);

    public static DualChunk<T> MultiplyAddEstimate(DualChunk<T> left, DualChunk<T> right, DualChunk<T> addend) => (left * right) + addend;

    public static DualChunk<T> Lerp(DualChunk<T> value1, DualChunk<T> value2, DualChunk<T> amount)
    {
        var sum = (value1 * (One - amount)) + (value2 * amount);
        return new(T.Lerp(value1._value, value2._value, amount._value), sum._lower, sum._upper);
    }

    public static DualChunk<T> Round(DualChunk<T> x) => new(T.Round(x._value));

    public static DualChunk<T> Round(DualChunk<T> x, int digits) => new(T.Round(x._value, digits));

    public static DualChunk<T> Round(DualChunk<T> x, MidpointRounding mode) => new(T.Round(x._value, mode));

    public static DualChunk<T> Round(DualChunk<T> x, int digits, MidpointRounding mode) => new(T.Round(x._value, digits, mode));

    public static DualChunk<T> Floor(DualChunk<T> x) => new(T.Floor(x._value));

    public static DualChunk<T> Ceiling(DualChunk<T> x) => new(T.Ceiling(x._value));

    public static DualChunk<T> Truncate(DualChunk<T> x) => new(T.Truncate(x._value));

    public static int ILogB(DualChunk<T> x) => T.ILogB(x._value);

    public static int Sign(DualChunk<T> value) => T.Sign(value._value);

    public int GetExponentByteCount() => _value.GetExponentByteCount();

    public int GetExponentShortestBitLength() => _value.GetExponentShortestBitLength();

    public int GetSignificandBitLength() => _value.GetSignificandBitLength();

    public int GetSignificandByteCount() => _value.GetSignificandByteCount();

    public bool TryWriteExponentBigEndian(Span<byte> destination, out int bytesWritten) => _value.TryWriteExponentBigEndian(destination, out bytesWritten);

    public bool TryWriteExponentLittleEndian(Span<byte> destination, out int bytesWritten) => _value.TryWriteExponentLittleEndian(destination, out bytesWritten);

    public bool TryWriteSignificandBigEndian(Span<byte> destination, out int bytesWritten) => _value.TryWriteSignificandBigEndian(destination, out bytesWritten);

    public bool TryWriteSignificandLittleEndian(Span<byte> destination, out int bytesWritten) => _value.TryWriteSignificandLittleEndian(destination, out bytesWritten);
}
