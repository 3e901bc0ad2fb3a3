using System.Globalization;

namespace Gradients;

public readonly partial struct Dual<T>
{
    /// <summary>The value, followed by <c> + tε</c> when the tangent is non-zero (e.g. <c>2 + 5ε</c>).</summary>
    /// <returns>The text.</returns>
    public override string ToString() => ToString(null, CultureInfo.CurrentCulture);

    /// <summary>The value formatted with <paramref name="format"/>, followed by <c> + tε</c> when the tangent is non-zero.</summary>
    /// <param name="format">The numeric format of T.</param>
    /// <param name="formatProvider">The culture.</param>
    /// <returns>The text.</returns>
    public string ToString(string? format, IFormatProvider? formatProvider)
    {
        var value = _value.ToString(format, formatProvider);
        return IsExactlyZero(_tangent) ? value : $"{value} + {_tangent.ToString(format, formatProvider)}ε";
    }

    /// <summary>Formats as <see cref="ToString(string?, IFormatProvider?)"/> into <paramref name="destination"/>.</summary>
    /// <param name="destination">The destination.</param>
    /// <param name="charsWritten">The characters written.</param>
    /// <param name="format">The numeric format of T.</param>
    /// <param name="provider">The culture.</param>
    /// <returns>Whether it fit.</returns>
    /// <exception cref="ArgumentException"><paramref name="destination"/> overlaps <paramref name="format"/>.</exception>
    public bool TryFormat(Span<char> destination, out int charsWritten, ReadOnlySpan<char> format, IFormatProvider? provider)
    {
        charsWritten = 0;

        // The format is read again for the tangent, after the value is written: the two must not share memory.
        ThrowHelper.ThrowIfOverlapping(format, destination, nameof(format), nameof(destination));
        if (!_value.TryFormat(destination, out var written, format, provider))
        {
            return false;
        }

        if (IsExactlyZero(_tangent))
        {
            charsWritten = written;
            return true;
        }

        const string Plus = " + ";
        var rest = destination[written..];
        if (!Plus.AsSpan().TryCopyTo(rest))
        {
            return false;
        }

        rest = rest[Plus.Length..];
        if (!_tangent.TryFormat(rest, out var tangentWritten, format, provider) || tangentWritten >= rest.Length)
        {
            return false;
        }

        rest[tangentWritten] = 'ε';
        charsWritten = written + Plus.Length + tangentWritten + 1;
        return true;
    }

    /// <summary>Parses a number of T as a constant (tangent 0).</summary>
    /// <param name="s">The text.</param>
    /// <param name="provider">The culture.</param>
    /// <returns>The constant.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="s"/> is null.</exception>
    public static Dual<T> Parse(string s, IFormatProvider? provider)
    {
        // T.Parse(null) reports a FormatException for some T: a null string is a null argument.
        ArgumentNullException.ThrowIfNull(s);
        return new(T.Parse(s, provider));
    }

    /// <summary>Parses a number of T as a constant (tangent 0).</summary>
    /// <param name="s">The text.</param>
    /// <param name="style">The number style.</param>
    /// <param name="provider">The culture.</param>
    /// <returns>The constant.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="s"/> is null.</exception>
    public static Dual<T> Parse(string s, NumberStyles style, IFormatProvider? provider)
    {
        ArgumentNullException.ThrowIfNull(s);
        return new(T.Parse(s, style, provider));
    }

    /// <summary>Parses a number of T as a constant (tangent 0).</summary>
    /// <param name="s">The text.</param>
    /// <param name="provider">The culture.</param>
    /// <returns>The constant.</returns>
    public static Dual<T> Parse(ReadOnlySpan<char> s, IFormatProvider? provider) => new(T.Parse(s, provider));

    /// <summary>Parses a number of T as a constant (tangent 0).</summary>
    /// <param name="s">The text.</param>
    /// <param name="style">The number style.</param>
    /// <param name="provider">The culture.</param>
    /// <returns>The constant.</returns>
    public static Dual<T> Parse(ReadOnlySpan<char> s, NumberStyles style, IFormatProvider? provider) => new(T.Parse(s, style, provider));

    /// <summary>Tries to parse a number of T as a constant (tangent 0).</summary>
    /// <param name="s">The text.</param>
    /// <param name="provider">The culture.</param>
    /// <param name="result">The constant.</param>
    /// <returns>Whether the text was a number.</returns>
    public static bool TryParse(string? s, IFormatProvider? provider, out Dual<T> result)
    {
        var parsed = T.TryParse(s, provider, out var value);
        result = new(value!);
        return parsed;
    }

    /// <summary>Tries to parse a number of T as a constant (tangent 0).</summary>
    /// <param name="s">The text.</param>
    /// <param name="style">The number style.</param>
    /// <param name="provider">The culture.</param>
    /// <param name="result">The constant.</param>
    /// <returns>Whether the text was a number.</returns>
    public static bool TryParse(string? s, NumberStyles style, IFormatProvider? provider, out Dual<T> result)
    {
        var parsed = T.TryParse(s, style, provider, out var value);
        result = new(value!);
        return parsed;
    }

    /// <summary>Tries to parse a number of T as a constant (tangent 0).</summary>
    /// <param name="s">The text.</param>
    /// <param name="provider">The culture.</param>
    /// <param name="result">The constant.</param>
    /// <returns>Whether the text was a number.</returns>
    public static bool TryParse(ReadOnlySpan<char> s, IFormatProvider? provider, out Dual<T> result)
    {
        var parsed = T.TryParse(s, provider, out var value);
        result = new(value!);
        return parsed;
    }

    /// <summary>Tries to parse a number of T as a constant (tangent 0).</summary>
    /// <param name="s">The text.</param>
    /// <param name="style">The number style.</param>
    /// <param name="provider">The culture.</param>
    /// <param name="result">The constant.</param>
    /// <returns>Whether the text was a number.</returns>
    public static bool TryParse(ReadOnlySpan<char> s, NumberStyles style, IFormatProvider? provider, out Dual<T> result)
    {
        var parsed = T.TryParse(s, style, provider, out var value);
        result = new(value!);
        return parsed;
    }
}
