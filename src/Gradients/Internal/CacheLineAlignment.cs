using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Gradients;

/// <summary>
/// Stack buffers of double sums placed on whole 64-byte cache lines. The fused passes add to their gradient sums once
/// per block of rows (a load and a store of every sum), and where such a buffer began within a line depended on the
/// size of the frames above it: when a change to an unrelated struct moved it, the 128-bit kernel at (2,000,000 × 16)
/// with AVX2 off took 1.09–1.14 of its former time, and placed on a line it took 1.00 again (two builds in one process,
/// docs/benchmarks.md, Zen 4 item 23).
/// </summary>
internal static class CacheLineAlignment
{
    /// <summary>Doubles a buffer needs beyond its length to be moved onto a line boundary.</summary>
    public const int SlackDoubles = 7;

    /// <summary>
    /// The <paramref name="length"/> doubles of <paramref name="stackBuffer"/> (at least <paramref name="length"/> +
    /// <see cref="SlackDoubles"/> long, and on the stack: memory that never moves) that start on a 64-byte boundary.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe Span<double> Aligned(Span<double> stackBuffer, int length)
    {
        Debug.Assert(stackBuffer.Length >= length + SlackDoubles, "the buffer has no room to move");
        var address = (nuint)Unsafe.AsPointer(ref MemoryMarshal.GetReference(stackBuffer));
        var skip = (int)((64 - (address & 63)) & 63) / sizeof(double);
        return stackBuffer.Slice(skip, length);
    }
}
