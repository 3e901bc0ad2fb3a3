using System.Buffers.Binary;

namespace Gradients;

/// <summary>
/// The state as bytes: format version 2, little-endian, 72 + 8·(D + 1)·K bytes (docs/distributed.md has the table).
/// Version 1's header — magic "GRLA" (4), version (u16), loss kind (u8, 5 for the softmax cross-entropy), element
/// type (u8), loss parameter (f64, 0), D (i32), K (i32), fingerprint of the point (u64: FNV-1a of the IEEE bits of
/// W row-major and b, as doubles), count (i64), Σ sᵢ, Σ sᵢℓᵢ (f64 each), a reserved f64 (0; version 1's single
/// Σ sᵢdᵢ) — then Σ sᵢxᵢⱼdᵢₖ (D·K f64, row-major), Σ sᵢdᵢₖ (K f64), checksum (u64: FNV-1a of every byte before it).
/// Version 1 has room for one derivative sum only; a reader of version 1 meeting this state reports its version,
/// not a damaged length.
/// </summary>
public sealed partial class SoftmaxCrossEntropyAccumulator<T>
{
    /// <summary>The format version this accumulator writes and reads (version 1 is the single-output losses' layout).</summary>
    public const int FormatVersion = 2;

    /// <summary>The loss kind byte of a softmax cross-entropy state (1–4 are <see cref="LinearModelLossKind"/>).</summary>
    internal const byte KindCode = 5;

    private const int HeaderLength = 64;
    private const int ChecksumLength = 8;

    /// <summary>The length of the state written by <see cref="TryWriteBytes(Span{byte}, out int)"/>: 72 + 8·(D + 1)·K bytes.</summary>
    /// <returns>The byte count.</returns>
    public int GetByteCount() => checked(HeaderLength + (8 * (_gradientSums.Length + Classes)) + ChecksumLength);

    /// <summary>The state as a new array of <see cref="GetByteCount"/> bytes.</summary>
    /// <returns>The bytes.</returns>
    public byte[] ToByteArray()
    {
        var bytes = new byte[GetByteCount()];
        TryWriteBytes(bytes, out _);
        return bytes;
    }

    /// <summary>Writes the state (count, sums, D, K, a fingerprint of the weights and intercepts) in format <see cref="FormatVersion"/>.</summary>
    /// <param name="destination">Receives the bytes.</param>
    /// <param name="bytesWritten">The number of bytes written: <see cref="GetByteCount"/>, or 0 when <paramref name="destination"/> is too short.</param>
    /// <returns>Whether the state fitted; nothing is written when it did not.</returns>
    public bool TryWriteBytes(Span<byte> destination, out int bytesWritten)
    {
        var length = GetByteCount();
        if (destination.Length < length)
        {
            bytesWritten = 0;
            return false;
        }

        var bytes = destination[..length];
        LinearModelLossAccumulator<T>.Magic.CopyTo(bytes);
        BinaryPrimitives.WriteUInt16LittleEndian(bytes[4..], FormatVersion);
        bytes[6] = KindCode;
        bytes[7] = LinearModelLossAccumulator<T>.ElementTypeCode;
        BinaryPrimitives.WriteDoubleLittleEndian(bytes[8..], 0.0);
        BinaryPrimitives.WriteInt32LittleEndian(bytes[16..], Dimension);
        BinaryPrimitives.WriteInt32LittleEndian(bytes[20..], Classes);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes[24..], PointFingerprint());
        BinaryPrimitives.WriteInt64LittleEndian(bytes[32..], Count);
        BinaryPrimitives.WriteDoubleLittleEndian(bytes[40..], _sampleWeightSum);
        BinaryPrimitives.WriteDoubleLittleEndian(bytes[48..], _lossSum);
        BinaryPrimitives.WriteDoubleLittleEndian(bytes[56..], 0.0);
        var at = HeaderLength;
        foreach (var sum in _gradientSums)
        {
            BinaryPrimitives.WriteDoubleLittleEndian(bytes[at..], sum);
            at += 8;
        }

        foreach (var sum in _interceptSums)
        {
            BinaryPrimitives.WriteDoubleLittleEndian(bytes[at..], sum);
            at += 8;
        }

        BinaryPrimitives.WriteUInt64LittleEndian(bytes[(length - ChecksumLength)..], LinearModelLossAccumulator<T>.Fnv1a(bytes[..(length - ChecksumLength)]));
        bytesWritten = length;
        return true;
    }

    /// <summary>Adds a state written by <see cref="TryWriteBytes(Span{byte}, out int)"/> (of another thread, process or machine) to this one.</summary>
    /// <param name="source">The state's bytes, exactly <see cref="GetByteCount"/> long.</param>
    /// <exception cref="ArgumentException">
    /// The bytes are not a state (no magic, truncated, trailing bytes, a checksum that does not match, an impossible
    /// count or a non-zero reserved field), or one of another format version (a single-output loss's), another
    /// element type, another D or K, or another point (weights or intercepts); the message says which. This
    /// accumulator is then unchanged.
    /// </exception>
    public void Merge(ReadOnlySpan<byte> source)
    {
        Validate(source);
        var count = BinaryPrimitives.ReadInt64LittleEndian(source[32..]);
        Count = CheckedCount(Count, count, nameof(source));
        _sampleWeightSum += BinaryPrimitives.ReadDoubleLittleEndian(source[40..]);
        _lossSum += BinaryPrimitives.ReadDoubleLittleEndian(source[48..]);
        var at = HeaderLength;
        for (var i = 0; i < _gradientSums.Length; i++, at += 8)
        {
            _gradientSums[i] += BinaryPrimitives.ReadDoubleLittleEndian(source[at..]);
        }

        for (var k = 0; k < _interceptSums.Length; k++, at += 8)
        {
            _interceptSums[k] += BinaryPrimitives.ReadDoubleLittleEndian(source[at..]);
        }
    }

    /// <summary>
    /// A new accumulator holding a state written by <see cref="TryWriteBytes(Span{byte}, out int)"/>; K comes from
    /// the bytes, the point and the options from the arguments (the reducer's copy of what was broadcast).
    /// </summary>
    /// <param name="source">The state's bytes.</param>
    /// <param name="weights">W (D×K), the weights the state was accumulated at (checked against its fingerprint).</param>
    /// <param name="intercepts">b (empty or K), likewise.</param>
    /// <param name="options">The ridge penalty applied when the loss is read, and the threads of later Adds.</param>
    /// <returns>The accumulator.</returns>
    /// <exception cref="ArgumentException">As <see cref="Merge(ReadOnlySpan{byte})"/>, or the weights or intercepts do not fit the state's D and K.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public static SoftmaxCrossEntropyAccumulator<T> FromBytes(ReadOnlySpan<byte> source, ReadOnlySpan<T> weights, ReadOnlySpan<T> intercepts, LinearModelLossOptions options)
    {
        options.Validate(nameof(options));
        ReadHeader(source, out var classes);
        var accumulator = new SoftmaxCrossEntropyAccumulator<T>(weights, intercepts, classes, options);
        accumulator.Merge(source);
        return accumulator;
    }

    /// <summary>Checks the framing (length, magic, version, kind, D and K against the length, checksum) and returns K.</summary>
    private static void ReadHeader(ReadOnlySpan<byte> source, out int classes)
    {
        const string Name = "source";
        if (source.Length < HeaderLength + ChecksumLength)
        {
            ThrowHelper.ThrowArgument($"'{Name}' has {source.Length} bytes: truncated, a state has at least {HeaderLength + ChecksumLength} (its header and checksum).", Name);
        }

        if (!source[..4].SequenceEqual(LinearModelLossAccumulator<T>.Magic))
        {
            ThrowHelper.ThrowArgument($"'{Name}' does not start with the magic \"GRLA\" (it starts with {Convert.ToHexString(source[..4])}): not a loss accumulator state.", Name);
        }

        var version = BinaryPrimitives.ReadUInt16LittleEndian(source[4..]);
        if (version != FormatVersion)
        {
            ThrowHelper.ThrowArgument(
                version == LinearModelLossAccumulator<T>.FormatVersion
                    ? $"'{Name}' is a state of format version {version}, a single-output loss's (LinearModelLossAccumulator); this softmax accumulator reads version {FormatVersion}."
                    : $"'{Name}' is a state of format version {version}; this accumulator reads version {FormatVersion}.",
                Name);
        }

        var dimension = BinaryPrimitives.ReadInt32LittleEndian(source[16..]);
        classes = BinaryPrimitives.ReadInt32LittleEndian(source[20..]);
        var expected = HeaderLength + (8L * (dimension + 1L) * classes) + ChecksumLength;
        if (dimension < 1 || classes < 1 || source.Length != expected)
        {
            ThrowHelper.ThrowArgument(
                $"'{Name}' has {source.Length} bytes, but its header says D = {dimension}, K = {classes}, which take {(dimension < 1 || classes < 1 ? "a positive D and K" : $"{expected} bytes")}: the state is truncated, has trailing bytes, or is corrupted.",
                Name);
        }

        var checksum = BinaryPrimitives.ReadUInt64LittleEndian(source[^ChecksumLength..]);
        if (checksum != LinearModelLossAccumulator<T>.Fnv1a(source[..^ChecksumLength]))
        {
            ThrowHelper.ThrowArgument($"'{Name}' fails its checksum: the {source.Length} bytes were corrupted (or not written by TryWriteBytes).", Name);
        }

        if (source[6] != KindCode)
        {
            ThrowHelper.ThrowArgument($"'{Name}' holds loss kind {source[6]}; a softmax cross-entropy state has kind {KindCode}.", Name);
        }

        if (BinaryPrimitives.ReadDoubleLittleEndian(source[8..]) != 0.0 || BinaryPrimitives.ReadDoubleLittleEndian(source[56..]) != 0.0)
        {
            ThrowHelper.ThrowArgument($"'{Name}' has a non-zero loss parameter or reserved field: the state is corrupted.", Name);
        }
    }

    /// <summary>Checks that the bytes are a sound state of this element type, D, K and point.</summary>
    private void Validate(ReadOnlySpan<byte> source)
    {
        const string Name = "source";
        ReadHeader(source, out var classes);
        var code = LinearModelLossAccumulator<T>.ElementTypeCode;
        if (source[7] != code)
        {
            ThrowHelper.ThrowArgument(
                $"'{Name}' holds a state of element type {LinearModelLossAccumulator<T>.ElementTypeName(source[7])}; this accumulator's is {LinearModelLossAccumulator<T>.ElementTypeName(code)}.",
                Name);
        }

        var dimension = BinaryPrimitives.ReadInt32LittleEndian(source[16..]);
        if (dimension != Dimension || classes != Classes)
        {
            ThrowHelper.ThrowArgument($"'{Name}' holds a state of D = {dimension}, K = {classes}; this accumulator has D = {Dimension}, K = {Classes}.", Name);
        }

        if (BinaryPrimitives.ReadUInt64LittleEndian(source[24..]) != PointFingerprint())
        {
            ThrowHelper.ThrowArgument($"'{Name}' was accumulated at other weights or other intercepts (its fingerprint differs; D = {dimension}, K = {classes} match): only states at the same point merge.", Name);
        }

        var count = BinaryPrimitives.ReadInt64LittleEndian(source[32..]);
        if (count < 0)
        {
            ThrowHelper.ThrowArgument($"'{Name}' holds a negative row count ({count}): the state is corrupted.", Name);
        }

        if (count == 0 && !LinearModelLossAccumulator<T>.AllZero(source[40..^ChecksumLength]))
        {
            ThrowHelper.ThrowArgument($"'{Name}' holds count 0 but non-zero sums; a state of no rows has only zero sums.", Name);
        }

        CheckedCount(Count, count, Name);
    }

    /// <summary>FNV-1a (64-bit) of the IEEE bits of W (row-major) and b (K; zeros when the model has none), each widened to double.</summary>
    private ulong PointFingerprint()
    {
        Span<byte> buffer = stackalloc byte[8];
        var hash = LinearModelLossAccumulator<T>.FnvOffset;
        foreach (var w in _weights)
        {
            BinaryPrimitives.WriteDoubleLittleEndian(buffer, double.CreateTruncating(w));
            hash = LinearModelLossAccumulator<T>.Fnv1a(buffer, hash);
        }

        foreach (var b in _intercepts)
        {
            BinaryPrimitives.WriteDoubleLittleEndian(buffer, double.CreateTruncating(b));
            hash = LinearModelLossAccumulator<T>.Fnv1a(buffer, hash);
        }

        return hash;
    }
}
