using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Gradients;

/// <summary>
/// The one overlap rule of the library: every output span of a public method is checked against every input span
/// and every other output span, including the memory held by options (steps, bounds). Any shared element, an exact
/// alias included, is an <see cref="ArgumentException"/> that names both parameters: these routines read their
/// inputs after they start writing, and two outputs in one buffer would silently replace each other.
/// The checks are two pointer comparisons each; empty spans never overlap.
/// </summary>
internal static class SpanOverlap
{
    /// <summary>
    /// Whether <paramref name="first"/> and <paramref name="second"/> share at least one byte (never when either is empty):
    /// the test of <see cref="MemoryExtensions.Overlaps{T}(ReadOnlySpan{T}, ReadOnlySpan{T})"/>, written out so that it
    /// always inlines. The JIT inlined that method only with Dynamic PGO: without it (<c>DOTNET_TieredPGO=0</c>, and
    /// code that never reaches tier 1) each check was a call, three per loss call (docs/benchmarks.md, Zen 4 item 23).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool Overlaps<T>(ReadOnlySpan<T> first, ReadOnlySpan<T> second)
    {
        if (first.IsEmpty || second.IsEmpty)
        {
            return false;
        }

        // The byte distance from the start of first to the start of second: second starts inside first, or first
        // inside second (the distance is then negative, and its negation is less than second's byte length).
        var distance = Unsafe.ByteOffset(ref MemoryMarshal.GetReference(first), ref MemoryMarshal.GetReference(second));
        return (nuint)distance < (nuint)((nint)first.Length * Unsafe.SizeOf<T>())
            || (nuint)(-distance) < (nuint)((nint)second.Length * Unsafe.SizeOf<T>());
    }

    /// <summary>Throws when the output <paramref name="output"/> shares memory with the input <paramref name="input"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void ThrowIfOverlapsInput<T>(Span<T> output, string outputName, ReadOnlySpan<T> input, string inputName)
    {
        if (Overlaps(input, output))
        {
            ThrowHelper.ThrowOverlapping(inputName, outputName, input.Length, output.Length);
        }
    }

    /// <summary>Throws when two outputs share memory: one would overwrite the other.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void ThrowIfOutputsOverlap<T>(Span<T> first, string firstName, Span<T> second, string secondName)
    {
        if (Overlaps<T>(first, second))
        {
            ThrowOutputsOverlap(firstName, secondName, first.Length, second.Length);
        }
    }

    /// <summary>
    /// Throws when <paramref name="output"/> shares memory with the per-coordinate data of
    /// <paramref name="options"/> (<see cref="FiniteDifferenceOptions{T}.Steps"/>,
    /// <see cref="FiniteDifferenceOptions{T}.LowerBounds"/>, <see cref="FiniteDifferenceOptions{T}.UpperBounds"/>).
    /// Asks for no <see cref="ReadOnlyMemory{T}.Span"/> when the options hold none (the common call).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void ThrowIfOverlapsOptions<T>(Span<T> output, string outputName, in FiniteDifferenceOptions<T> options)
        where T : IFloatingPointIeee754<T>
    {
        if (output.IsEmpty || (options.Steps.IsEmpty && options.LowerBounds.IsEmpty && options.UpperBounds.IsEmpty))
        {
            return;
        }

        ThrowIfOverlapsMemory(output, outputName, options.Steps, "options.Steps");
        ThrowIfOverlapsMemory(output, outputName, options.LowerBounds, "options.LowerBounds");
        ThrowIfOverlapsMemory(output, outputName, options.UpperBounds, "options.UpperBounds");
    }

    private static void ThrowIfOverlapsMemory<T>(Span<T> output, string outputName, ReadOnlyMemory<T> memory, string memoryName)
    {
        if (!memory.IsEmpty)
        {
            ThrowIfOverlapsInput(output, outputName, memory.Span, memoryName);
        }
    }

    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    private static void ThrowOutputsOverlap(string firstName, string secondName, int firstLength, int secondLength) =>
        throw new ArgumentException(
            $"The outputs '{firstName}' (length {firstLength}) and '{secondName}' (length {secondLength}) overlap; one would overwrite the other. Pass separate buffers.",
            secondName);
}
