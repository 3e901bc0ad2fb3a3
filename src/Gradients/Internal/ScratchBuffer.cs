using System.Runtime.CompilerServices;

namespace Gradients;

/// <summary>
/// A fixed block of stack scratch for any <typeparamref name="T"/>: <c>stackalloc</c> needs an unmanaged element
/// type, which a method generic over <c>IFloatingPointIeee754&lt;T&gt;</c> cannot promise; an inline array can hold
/// any T. Short vectors live here; long ones are processed in chunks of this size or rent from
/// <see cref="System.Buffers.ArrayPool{T}"/>, so no hot path allocates.
/// </summary>
[InlineArray(ScratchBuffer.Length)]
internal struct ScratchBuffer<T>
{
    /// <summary>The number of elements (see <see cref="ScratchBuffer.Length"/>).</summary>
    public const int Length = ScratchBuffer.Length;

    private T _element0;
}

/// <summary>The size of <see cref="ScratchBuffer{T}"/>, and the one way the engines take scratch from it.</summary>
internal static class ScratchBuffer
{
    /// <summary>Elements held on the stack: 128 doubles = 1 KiB, a few cache lines.</summary>
    public const int Length = 128;

    /// <summary>
    /// The first <paramref name="length"/> elements of <paramref name="stack"/> (a caller's local, left
    /// uninitialized under <c>SkipLocalsInit</c>; cleared here only when T holds references), or of an array
    /// from <see cref="System.Buffers.ArrayPool{T}.Shared"/> when they do not fit; that array comes back in
    /// <paramref name="rented"/> for <see cref="Return{T}"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Span<T> Take<T>(ref ScratchBuffer<T> stack, int length, out T[]? rented)
    {
        if (length <= Length)
        {
            if (RuntimeHelpers.IsReferenceOrContainsReferences<T>())
            {
                stack = default;
            }

            rented = null;
            return ((Span<T>)stack)[..length];
        }

        rented = System.Buffers.ArrayPool<T>.Shared.Rent(length);
        return rented.AsSpan(0, length);
    }

    /// <summary>
    /// Gives back the array <see cref="Take{T}"/> rented, if it rented one, cleared: it held a copy of the caller's
    /// x (or values computed from it), which the next renter in the process must not see. The whole array is
    /// cleared (its used length is not known here; the pool's arrays are at most twice the length asked for).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Return<T>(T[]? rented)
    {
        if (rented is not null)
        {
            System.Buffers.ArrayPool<T>.Shared.Return(rented, clearArray: true);
        }
    }

    /// <summary>
    /// Clears the first <paramref name="usedLength"/> elements of <paramref name="array"/> (the part that held the
    /// caller's data or values computed from it, so the next renter in the process cannot read them) and gives it
    /// back to <see cref="System.Buffers.ArrayPool{T}.Shared"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void ReturnCleared<T>(T[] array, int usedLength)
    {
        array.AsSpan(0, usedLength).Clear();
        System.Buffers.ArrayPool<T>.Shared.Return(array);
    }
}
