using System.Globalization;

namespace Gradients.Tour;

/// <summary>Prints numbers the way the chapter's NumPy output shows them, so the tour's lines match it.</summary>
public static class NumPyFormat
{
    /// <summary>An array as NumPy prints small float arrays: <c>[1. 0.5]</c>, <c>[2. 5.]</c>.</summary>
    public static string Array(ReadOnlySpan<double> values)
    {
        var parts = new string[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            parts[i] = Scalar(values[i]);
        }

        return "[" + string.Join(" ", parts) + "]";
    }

    /// <summary>An array rounded to <paramref name="decimals"/> places (<c>np.round(a, 4)</c>), single-spaced.</summary>
    public static string Rounded(ReadOnlySpan<double> values, int decimals)
    {
        var parts = new string[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            parts[i] = Math.Round(values[i], decimals).ToString("F" + decimals, CultureInfo.InvariantCulture);
        }

        return "[" + string.Join(" ", parts) + "]";
    }

    /// <summary>One float as NumPy prints it inside an array: integral values end in a dot.</summary>
    public static string Scalar(double value) =>
        value == Math.Floor(value) && Math.Abs(value) < 1e16
            ? value.ToString("F0", CultureInfo.InvariantCulture) + "."
            : value.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>Fixed-point with <paramref name="decimals"/> places, like Python's <c>:.4f</c>.</summary>
    public static string Fixed(double value, int decimals) =>
        value.ToString("F" + decimals, CultureInfo.InvariantCulture);
}
