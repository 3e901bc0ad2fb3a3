using System.Runtime.InteropServices;
using FsCheck.Xunit;

namespace Gradients.Tests.Internal;

/// <summary>
/// <see cref="SpanOverlap.Overlaps{T}"/> is the library's own copy of the runtime's span overlap test (written out so
/// that it inlines without Dynamic PGO). Every overlap error of the public API goes through it, so it must agree with
/// <see cref="MemoryExtensions.Overlaps{T}(ReadOnlySpan{T}, ReadOnlySpan{T})"/> everywhere: spans anywhere in one
/// buffer, of any length including zero, in either order, and at byte offsets that are not a multiple of the element
/// size (two float views of one byte buffer can share part of an element).
/// </summary>
public sealed class SpanOverlapTests
{
    private const int BufferBytes = 96;

    [Property(MaxTest = 2000)]
    public void Agrees_with_the_runtime_for_float_views_at_any_byte_offset(byte firstStart, byte firstLength, byte secondStart, byte secondLength) =>
        Agrees<float>(firstStart, firstLength, secondStart, secondLength);

    [Property(MaxTest = 2000)]
    public void Agrees_with_the_runtime_for_double_views_at_any_byte_offset(byte firstStart, byte firstLength, byte secondStart, byte secondLength) =>
        Agrees<double>(firstStart, firstLength, secondStart, secondLength);

    [Fact]
    public void Touching_spans_do_not_overlap_and_one_shared_element_does()
    {
        var buffer = new double[8];
        Assert.False(SpanOverlap.Overlaps<double>(buffer.AsSpan(0, 4), buffer.AsSpan(4, 4)));
        Assert.False(SpanOverlap.Overlaps<double>(buffer.AsSpan(4, 4), buffer.AsSpan(0, 4)));
        Assert.True(SpanOverlap.Overlaps<double>(buffer.AsSpan(0, 5), buffer.AsSpan(4, 4)));
        Assert.True(SpanOverlap.Overlaps<double>(buffer.AsSpan(4, 4), buffer.AsSpan(0, 5)));
        Assert.True(SpanOverlap.Overlaps<double>(buffer, buffer));
        Assert.False(SpanOverlap.Overlaps<double>(buffer, buffer.AsSpan(3, 0)));
        Assert.False(SpanOverlap.Overlaps<double>([], []));
        Assert.False(SpanOverlap.Overlaps<double>(buffer, new double[8]));
    }

    private static void Agrees<T>(byte firstStart, byte firstLength, byte secondStart, byte secondLength)
        where T : struct
    {
        var bytes = new byte[BufferBytes];
        var size = System.Runtime.CompilerServices.Unsafe.SizeOf<T>();
        var first = View<T>(bytes, firstStart % BufferBytes, firstLength, size);
        var second = View<T>(bytes, secondStart % BufferBytes, secondLength, size);
        var expected = first.Overlaps(second);
        Assert.Equal(expected, SpanOverlap.Overlaps(first, second));
        Assert.Equal(expected, SpanOverlap.Overlaps(second, first));
    }

    /// <summary>A view of whole elements of <typeparamref name="T"/> from byte <paramref name="start"/> (any offset), at most <paramref name="length"/> long and inside the buffer.</summary>
    private static ReadOnlySpan<T> View<T>(byte[] bytes, int start, int length, int size)
        where T : struct
    {
        var view = MemoryMarshal.Cast<byte, T>(bytes.AsSpan(start));
        return view[..Math.Min(length % (view.Length + 1), view.Length)];
    }
}
