using System.Runtime.CompilerServices;

namespace Gradients.Tests.Internal;

/// <summary>
/// <see cref="CacheLineAlignment.Aligned"/> must hand back exactly the length asked for, on a 64-byte boundary, inside
/// the buffer it was given, from every one of the eight positions a double can have within a line.
/// </summary>
public sealed class CacheLineAlignmentTests
{
    [Fact]
    public void The_slice_starts_on_a_line_has_the_length_and_stays_inside_the_buffer()
    {
        Span<double> stack = stackalloc double[64 + CacheLineAlignment.SlackDoubles + 8];
        for (var start = 0; start < 8; start++)
        {
            foreach (var length in new[] { 1, 7, 8, 16, 33, 64 })
            {
                var buffer = stack.Slice(start, length + CacheLineAlignment.SlackDoubles);
                var aligned = CacheLineAlignment.Aligned(buffer, length);

                Assert.Equal(length, aligned.Length);
                Assert.Equal(0, AddressOf(aligned) % 64);
                var offset = Unsafe.ByteOffset(ref buffer[0], ref aligned[0]);
                Assert.InRange(offset, 0, CacheLineAlignment.SlackDoubles * sizeof(double));
            }
        }
    }

    private static unsafe long AddressOf(Span<double> span) => (long)(nint)Unsafe.AsPointer(ref span[0]);
}
