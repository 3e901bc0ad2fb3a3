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

/// <summary>The size of <see cref="ScratchBuffer{T}"/>.</summary>
internal static class ScratchBuffer
{
    /// <summary>Elements held on the stack: 128 doubles = 1 KiB, a few cache lines.</summary>
    public const int Length = 128;
}
