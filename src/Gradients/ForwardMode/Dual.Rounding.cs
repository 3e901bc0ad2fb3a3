namespace Gradients;

public readonly partial struct Dual<T>
{
    /// <summary>Rounds the value to the nearest integer (ties to even); the tangent is 0 (the function is flat between its jumps).</summary>
    /// <param name="x">x.</param>
    /// <returns>A constant.</returns>
    public static Dual<T> Round(Dual<T> x) => new(T.Round(x._value));

    /// <summary>Rounds the value to <paramref name="digits"/> digits; tangent 0.</summary>
    /// <param name="x">x.</param>
    /// <param name="digits">The number of fractional digits.</param>
    /// <returns>A constant.</returns>
    public static Dual<T> Round(Dual<T> x, int digits) => new(T.Round(x._value, digits));

    /// <summary>Rounds the value with <paramref name="mode"/>; tangent 0.</summary>
    /// <param name="x">x.</param>
    /// <param name="mode">The rounding mode.</param>
    /// <returns>A constant.</returns>
    public static Dual<T> Round(Dual<T> x, MidpointRounding mode) => new(T.Round(x._value, mode));

    /// <summary>Rounds the value to <paramref name="digits"/> digits with <paramref name="mode"/>; tangent 0.</summary>
    /// <param name="x">x.</param>
    /// <param name="digits">The number of fractional digits.</param>
    /// <param name="mode">The rounding mode.</param>
    /// <returns>A constant.</returns>
    public static Dual<T> Round(Dual<T> x, int digits, MidpointRounding mode) => new(T.Round(x._value, digits, mode));

    /// <summary>⌊x⌋; tangent 0.</summary>
    /// <param name="x">x.</param>
    /// <returns>A constant.</returns>
    public static Dual<T> Floor(Dual<T> x) => new(T.Floor(x._value));

    /// <summary>⌈x⌉; tangent 0.</summary>
    /// <param name="x">x.</param>
    /// <returns>A constant.</returns>
    public static Dual<T> Ceiling(Dual<T> x) => new(T.Ceiling(x._value));

    /// <summary>x rounded toward 0; tangent 0.</summary>
    /// <param name="x">x.</param>
    /// <returns>A constant.</returns>
    public static Dual<T> Truncate(Dual<T> x) => new(T.Truncate(x._value));

    /// <summary>The unbiased exponent of the value (an integer: no tangent).</summary>
    /// <param name="x">x.</param>
    /// <returns>⌊log₂|x|⌋.</returns>
    public static int ILogB(Dual<T> x) => T.ILogB(x._value);

    /// <inheritdoc/>
    public int GetExponentByteCount() => _value.GetExponentByteCount();

    /// <inheritdoc/>
    public int GetExponentShortestBitLength() => _value.GetExponentShortestBitLength();

    /// <inheritdoc/>
    public int GetSignificandBitLength() => _value.GetSignificandBitLength();

    /// <inheritdoc/>
    public int GetSignificandByteCount() => _value.GetSignificandByteCount();

    /// <summary>Writes the value's exponent (the tangent is not written).</summary>
    /// <param name="destination">The destination.</param>
    /// <param name="bytesWritten">The bytes written.</param>
    /// <returns>Whether it fit.</returns>
    public bool TryWriteExponentBigEndian(Span<byte> destination, out int bytesWritten) => _value.TryWriteExponentBigEndian(destination, out bytesWritten);

    /// <summary>Writes the value's exponent (the tangent is not written).</summary>
    /// <param name="destination">The destination.</param>
    /// <param name="bytesWritten">The bytes written.</param>
    /// <returns>Whether it fit.</returns>
    public bool TryWriteExponentLittleEndian(Span<byte> destination, out int bytesWritten) => _value.TryWriteExponentLittleEndian(destination, out bytesWritten);

    /// <summary>Writes the value's significand (the tangent is not written).</summary>
    /// <param name="destination">The destination.</param>
    /// <param name="bytesWritten">The bytes written.</param>
    /// <returns>Whether it fit.</returns>
    public bool TryWriteSignificandBigEndian(Span<byte> destination, out int bytesWritten) => _value.TryWriteSignificandBigEndian(destination, out bytesWritten);

    /// <summary>Writes the value's significand (the tangent is not written).</summary>
    /// <param name="destination">The destination.</param>
    /// <param name="bytesWritten">The bytes written.</param>
    /// <returns>Whether it fit.</returns>
    public bool TryWriteSignificandLittleEndian(Span<byte> destination, out int bytesWritten) => _value.TryWriteSignificandLittleEndian(destination, out bytesWritten);
}
