namespace Gradients;

/// <summary>
/// Settings of a forward-mode gradient, Jacobian or Hessian. <see langword="default"/> chooses everything
/// automatically. The value is immutable and can be shared between threads.
/// </summary>
public readonly struct ForwardModeOptions
{
    /// <summary>
    /// The number of tangents carried per evaluation of f: 0 (the default) chooses the largest the element type has
    /// in vector registers (<see cref="ForwardMode.LargestChunkSize{T}"/>: 8 for double, 16 for float, 1 for types
    /// without vector support); 1 to that size sets it. A gradient of n variables takes ⌈n/chunk⌉ evaluations, so a
    /// smaller chunk only adds evaluations — a chunk of k &lt; the largest still carries the full vectors, with the
    /// other lanes zero — except 1, which evaluates f with <see cref="Dual{T}"/> (one scalar tangent, no vectors).
    /// Every chunk size gives the same result, bit for bit. Any other value makes the call throw an
    /// <see cref="ArgumentOutOfRangeException"/> naming <c>options</c> and the allowed range.
    /// </summary>
    public int ChunkSize { get; init; }
}
