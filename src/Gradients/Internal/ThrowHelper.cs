using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace Gradients;

/// <summary>
/// Validation and throw sites kept out of the hot code's way (the pattern of
/// <c>System.Numerics.Tensors</c>' <c>ThrowHelper</c>): the checks inline, the throws do not.
/// Every message names the parameter and the sizes involved.
/// </summary>
internal static class ThrowHelper
{
    /// <summary>Throws unless <paramref name="actual"/> equals <paramref name="expected"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void ThrowIfLengthMismatch(int actual, int expected, string paramName, string expectedDescription)
    {
        if (actual != expected)
        {
            ThrowLengthMismatch(actual, expected, paramName, expectedDescription);
        }
    }

    /// <summary>Throws when a span that must hold data is empty.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void ThrowIfEmpty(int length, string paramName)
    {
        if (length == 0)
        {
            ThrowEmpty(paramName);
        }
    }

    /// <summary>
    /// Throws when <paramref name="output"/> shares memory with <paramref name="input"/>.
    /// Unlike TensorPrimitives, even an exact alias is rejected: these routines read an input after they
    /// start writing their output.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void ThrowIfOverlapping<T>(ReadOnlySpan<T> input, Span<T> output, string inputName, string outputName)
    {
        if (input.Overlaps(output))
        {
            ThrowOverlapping(inputName, outputName, input.Length, output.Length);
        }
    }

    [DoesNotReturn]
    public static void ThrowLengthMismatch(int actual, int expected, string paramName, string expectedDescription) =>
        throw new ArgumentException(
            $"'{paramName}' has length {actual}, but {expectedDescription} requires length {expected}.", paramName);

    [DoesNotReturn]
    public static void ThrowEmpty(string paramName) =>
        throw new ArgumentException($"'{paramName}' is empty; it must hold at least one element.", paramName);

    [DoesNotReturn]
    public static void ThrowOverlapping(string inputName, string outputName, int inputLength, int outputLength) =>
        throw new ArgumentException(
            $"The output '{outputName}' (length {outputLength}) overlaps the input '{inputName}' (length {inputLength}); pass a separate buffer.",
            outputName);

    [DoesNotReturn]
    public static void ThrowArgument(string message, string paramName) =>
        throw new ArgumentException(message, paramName);

    [DoesNotReturn]
    public static void ThrowArgumentOutOfRange(string paramName, object? actualValue, string message) =>
        throw new ArgumentOutOfRangeException(paramName, actualValue, message);

    /// <summary>Throws unless <paramref name="actual"/> equals rows × columns (the row-major feature matrix of a loss).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void ThrowIfNotMatrix(int actual, int rows, int columns, string paramName, string rowsName, string columnsName)
    {
        if (actual != (long)rows * columns)
        {
            ThrowNotMatrix(actual, rows, columns, paramName, rowsName, columnsName);
        }
    }

    [DoesNotReturn]
    public static void ThrowNotMatrix(int actual, int rows, int columns, string paramName, string rowsName, string columnsName) =>
        throw new ArgumentException(
            $"'{paramName}' has length {actual}, but {rowsName} × {columnsName} = {rows} × {columns} requires length {(long)rows * columns} (row-major).",
            paramName);
}
