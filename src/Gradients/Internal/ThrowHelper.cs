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
        if (SpanOverlap.Overlaps(input, output))
        {
            ThrowOverlapping(inputName, outputName, input.Length, output.Length);
        }
    }

    /// <summary>
    /// Throws when a member of an options parameter (<paramref name="memberName"/>, e.g. <c>options.Steps</c>) has the
    /// wrong length: the message names the member, <see cref="ArgumentException.ParamName"/> the parameter itself.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void ThrowIfMemberLengthMismatch(int actual, int expected, string paramName, string memberName, string expectedDescription)
    {
        if (actual != expected)
        {
            throw new ArgumentException(
                $"'{memberName}' has length {actual}, but {expectedDescription} requires length {expected}.", paramName);
        }
    }

    [DoesNotReturn]
    public static void ThrowLengthMismatch(int actual, int expected, string paramName, string expectedDescription) =>
        throw new ArgumentException(
            $"'{paramName}' has length {actual}, but {expectedDescription} requires length {expected}.", paramName);

    [DoesNotReturn]
    public static void ThrowEmpty(string paramName) =>
        throw new ArgumentException($"'{paramName}' is empty (length 0); it must hold at least one element.", paramName);

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

    // Finite differences (issue 3).

    [DoesNotReturn]
    public static void ThrowNonFiniteArgument(string paramName, int index, double value, int length) =>
        throw new ArgumentException($"'{paramName}[{index}]' is {value} (length {length}); every coordinate must be finite.", paramName);

    [DoesNotReturn]
    public static void ThrowNonPositiveStep(string what, int index, double value) =>
        throw new ArgumentOutOfRangeException(
            "options", value, index < 0
                ? $"{what} is {value}; a step must be positive and finite."
                : $"{what}[{index}] is {value}; every step must be positive and finite.");

    [DoesNotReturn]
    public static void ThrowStepVanishes(int index, double x, double step) =>
        throw new ArgumentOutOfRangeException(
            "options", step, $"The step for coordinate {index} is too small to move x[{index}] = {x}: x + h rounds back to x.");

    [DoesNotReturn]
    public static void ThrowBoundsExcludePoint(int index, double x, double lower, double upper, int length) =>
        throw new ArgumentException(
            $"The bounds exclude the point: x[{index}] = {x} lies outside [{lower}, {upper}] (options.LowerBounds/UpperBounds, length {length}).", "options");

    [DoesNotReturn]
    public static void ThrowBoundsLeaveNoRoom(int index, double lower, double upper, int length) =>
        throw new ArgumentException(
            $"The bounds [{lower}, {upper}] of coordinate {index} (options.LowerBounds/UpperBounds, length {length}) leave no room for a step (a step shrunk to fit must be at least ε^(3/4)·max(|x|, 1)).", "options");

    [DoesNotReturn]
    public static void ThrowZeroDirection(string paramName, int length) =>
        throw new ArgumentException($"'{paramName}' (length {length}) has zero norm; a direction must be non-zero.", paramName);

    [DoesNotReturn]
    public static void ThrowNonFiniteFunctionValue(string point, int coordinate, double offset, double value) =>
        throw new NotFiniteNumberException(
            coordinate < 0
                ? $"f returned {value} at offset {offset} along the direction from x = {point}."
                : $"f returned {value} when coordinate {coordinate} of x = {point} was moved by {offset}. " +
                  "Pass options with NonFiniteValues = FallBackToOneSided to retry on the other side.",
            value);

    // Directional derivatives, gradient fields and checks (issue 4).

    [DoesNotReturn]
    public static void ThrowZeroVector(string paramName, string subject, int length, string consequence) =>
        throw new ArgumentException($"{subject} (length {length}) is the zero vector; {consequence}", paramName);

    [DoesNotReturn]
    public static void ThrowNonFiniteVector(string paramName, string subject, int length) =>
        throw new ArgumentException($"{subject} (length {length}) holds a NaN or infinite element; it must be finite.", paramName);

    [DoesNotReturn]
    public static void ThrowArgumentNull(string paramName) => throw new ArgumentNullException(paramName);

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

    // Forward mode (issue 15).

    [DoesNotReturn]
    public static void ThrowTangentDropped(string value, string tangent, string targetType) =>
        throw new InvalidOperationException(
            $"Converting the dual number {value} + {tangent}ε to {targetType} would drop its non-zero tangent (a derivative). " +
            "Convert constants only, or read Dual<T>.Value explicitly where the derivative is not wanted.");
}
