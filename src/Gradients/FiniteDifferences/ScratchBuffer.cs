using System.Runtime.CompilerServices;

namespace Gradients;

/// <summary>
/// Stack storage for the scratch vectors of small problems. <c>stackalloc</c> needs an unmanaged element type,
/// which a method generic over <c>IFloatingPointIeee754&lt;T&gt;</c> cannot promise; an inline array can hold any T.
/// Larger problems rent from <see cref="System.Buffers.ArrayPool{T}"/>.
/// </summary>
[InlineArray(ScratchBuffer.Length)]
internal struct ScratchBuffer<T>
{
    private T _element;
}

internal static class ScratchBuffer
{
    /// <summary>Elements held on the stack (1 KiB of doubles); beyond it the pool is used.</summary>
    public const int Length = 128;
}
