using System.Buffers.Binary;

namespace Gradients;

/// <summary>
/// The state as bytes, so that workers of a distributed engine can ship it to one reducer. Format version 1,
/// little-endian, 72 + 8·D·K bytes (docs/distributed.md has the table):
/// magic "GRLA" (4), version (u16), loss kind (u8), element type (u8: 1 double, 2 float, 3 Half, 0 another type),
/// loss parameter (f64: Huber's δ, else 0), D (i32), K (i32, 1 for these losses), fingerprint of the point (u64:
/// FNV-1a of the IEEE bits of w₀…w_D−1 and b as doubles), count (i64), Σ sᵢ, Σ sᵢℓᵢ, Σ sᵢdᵢ (f64 each),
/// Σ sᵢdᵢxᵢⱼ (D·K f64), checksum (u64: FNV-1a of every byte before it).
/// </summary>
public sealed partial class LinearModelLossAccumulator<T>
{
    /// <summary>The format version this library writes and reads.</summary>
    public const int FormatVersion = 1;

    /// <summary>The first four bytes of every state: "GRLA" (Gradients linear-model loss accumulator).</summary>
    internal static ReadOnlySpan<byte> Magic => "GRLA"u8;

    private const int HeaderLength = 64;
    private const int ChecksumLength = 8;

    /// <summary>The length of the state written by <see cref="TryWriteBytes(Span{byte}, out int)"/>: 72 + 8·D bytes.</summary>
    /// <returns>The byte count.</returns>
    public int GetByteCount() => checked(HeaderLength + (8 * Dimension) + ChecksumLength);

    /// <summary>The state as a new array of <see cref="GetByteCount"/> bytes.</summary>
    /// <returns>The bytes.</returns>
    public byte[] ToByteArray()
    {
        var bytes = new byte[GetByteCount()];
        TryWriteBytes(bytes, out _);
        return bytes;
    }

    /// <summary>Writes the state (count, sums, the loss and its parameter, D, a fingerprint of the weights and intercept) in format <see cref="FormatVersion"/>.</summary>
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
        Magic.CopyTo(bytes);
        BinaryPrimitives.WriteUInt16LittleEndian(bytes[4..], FormatVersion);
        bytes[6] = (byte)Kind;
        bytes[7] = ElementTypeCode;
        BinaryPrimitives.WriteDoubleLittleEndian(bytes[8..], _delta);
        BinaryPrimitives.WriteInt32LittleEndian(bytes[16..], Dimension);
        BinaryPrimitives.WriteInt32LittleEndian(bytes[20..], 1);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes[24..], PointFingerprint());
        BinaryPrimitives.WriteInt64LittleEndian(bytes[32..], Count);
        BinaryPrimitives.WriteDoubleLittleEndian(bytes[40..], _sampleWeightSum);
        BinaryPrimitives.WriteDoubleLittleEndian(bytes[48..], _lossSum);
        BinaryPrimitives.WriteDoubleLittleEndian(bytes[56..], _derivativeSum);
        for (var j = 0; j < _gradientSums.Length; j++)
        {
            BinaryPrimitives.WriteDoubleLittleEndian(bytes[(HeaderLength + (8 * j))..], _gradientSums[j]);
        }

        BinaryPrimitives.WriteUInt64LittleEndian(bytes[(length - ChecksumLength)..], Fnv1a(bytes[..(length - ChecksumLength)]));
        bytesWritten = length;
        return true;
    }

    /// <summary>Adds a state written by <see cref="TryWriteBytes(Span{byte}, out int)"/> (of another thread, process or machine) to this one.</summary>
    /// <param name="source">The state's bytes, exactly <see cref="GetByteCount"/> long.</param>
    /// <exception cref="ArgumentException">
    /// The bytes are not a state (no magic, truncated, trailing bytes, a checksum that does not match, an impossible
    /// count or sum: a negative or NaN sum of sample weights, a negative loss sum for a loss that is never negative), or one of another format version, another loss or δ, another element type, another D or K, or another
    /// point (weights or intercept); the message says which. This accumulator is then unchanged.
    /// </exception>
    public void Merge(ReadOnlySpan<byte> source)
    {
        Validate(source, Kind, _delta);
        ReadSums(source);
    }

    /// <summary>
    /// A new accumulator holding a state written by <see cref="TryWriteBytes(Span{byte}, out int)"/>; the loss and
    /// Huber's δ come from the bytes, the point and the options from the arguments (the reducer's copy of what was broadcast).
    /// </summary>
    /// <param name="source">The state's bytes.</param>
    /// <param name="weights">w, the weights the state was accumulated at (checked against its fingerprint).</param>
    /// <param name="intercept">b, likewise.</param>
    /// <param name="options">The ridge penalty applied when the loss is read, and the threads of later Adds.</param>
    /// <returns>The accumulator.</returns>
    /// <exception cref="ArgumentException">As <see cref="Merge(ReadOnlySpan{byte})"/>, or <paramref name="weights"/> is empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public static LinearModelLossAccumulator<T> FromBytes(ReadOnlySpan<byte> source, ReadOnlySpan<T> weights, T intercept, LinearModelLossOptions options)
    {
        options.Validate(nameof(options));
        ReadHeader(source, out var kind, out var delta);
        if (kind == LinearModelLossKind.Huber && !HuberLossOptions.IsValidDelta(delta))
        {
            ThrowHelper.ThrowArgument($"'{nameof(source)}' holds a Huber state of δ = {delta}; δ must be finite and positive, and not subnormal.", nameof(source));
        }

        var accumulator = new LinearModelLossAccumulator<T>(kind, weights, intercept, kind == LinearModelLossKind.Huber ? delta : 0.0, options.L2Penalty, options.Threads, options.FloatArithmetic);
        accumulator.Merge(source);
        return accumulator;
    }

    internal static byte ElementTypeCode =>
        typeof(T) == typeof(double) ? (byte)1 : typeof(T) == typeof(float) ? (byte)2 : typeof(T) == typeof(Half) ? (byte)3 : (byte)0;

    internal static string ElementTypeName(byte code) => code switch
    {
        1 => "double",
        2 => "float",
        3 => "Half",
        0 => "another type (not double, float or Half)",
        _ => $"unknown ({code})",
    };

    /// <summary>Checks the framing (length, magic, version, D and K against the length, checksum) and returns the loss and δ.</summary>
    private static void ReadHeader(ReadOnlySpan<byte> source, out LinearModelLossKind kind, out double delta)
    {
        const string Name = "source";
        if (source.Length < HeaderLength + ChecksumLength)
        {
            ThrowHelper.ThrowArgument($"'{Name}' has {source.Length} bytes: truncated, a state has at least {HeaderLength + ChecksumLength} (its header and checksum).", Name);
        }

        if (!source[..4].SequenceEqual(Magic))
        {
            ThrowHelper.ThrowArgument($"'{Name}' does not start with the magic \"GRLA\" (it starts with {Convert.ToHexString(source[..4])}): not a loss accumulator state.", Name);
        }

        var version = BinaryPrimitives.ReadUInt16LittleEndian(source[4..]);
        if (version != FormatVersion)
        {
            ThrowHelper.ThrowArgument(
                version == SoftmaxCrossEntropyAccumulator<T>.FormatVersion
                    ? $"'{Name}' is a state of format version {version}, a SoftmaxCrossEntropyAccumulator's (K classes); this accumulator of a single-output loss reads version {FormatVersion}."
                    : $"'{Name}' is a state of format version {version}; this library reads version {FormatVersion}.",
                Name);
        }

        var dimension = BinaryPrimitives.ReadInt32LittleEndian(source[16..]);
        var classes = BinaryPrimitives.ReadInt32LittleEndian(source[20..]);

        // In Int128: 8·D·K reaches 2⁶⁵ for D, K near int.MaxValue, and a long would wrap onto a plausible length.
        var expected = HeaderLength + (8 * ((Int128)dimension * classes)) + ChecksumLength;
        if (dimension < 1 || classes < 1 || source.Length != expected)
        {
            ThrowHelper.ThrowArgument(
                $"'{Name}' has {source.Length} bytes, but its header says D = {dimension}, K = {classes}, which take {(dimension < 1 || classes < 1 ? "a positive D and K" : $"{expected} bytes")}: the state is truncated, has trailing bytes, or is corrupted.",
                Name);
        }

        var checksum = BinaryPrimitives.ReadUInt64LittleEndian(source[^ChecksumLength..]);
        if (checksum != Fnv1a(source[..^ChecksumLength]))
        {
            ThrowHelper.ThrowArgument($"'{Name}' fails its checksum: the {source.Length} bytes were corrupted (or not written by TryWriteBytes).", Name);
        }

        var code = source[6];
        if (code is < (byte)LinearModelLossKind.MeanSquaredError or > (byte)LinearModelLossKind.Huber)
        {
            ThrowHelper.ThrowArgument($"'{Name}' holds an unknown loss kind {code}.", Name);
        }

        kind = (LinearModelLossKind)code;
        delta = BinaryPrimitives.ReadDoubleLittleEndian(source[8..]);
    }

    /// <summary>Checks that the bytes are a sound state of this loss, element type, D and point.</summary>
    private void Validate(ReadOnlySpan<byte> source, LinearModelLossKind kind, double delta)
    {
        const string Name = "source";
        ReadHeader(source, out var otherKind, out var otherDelta);
        if (otherKind != kind || !otherDelta.Equals(delta))
        {
            ThrowHelper.ThrowArgument(
                $"'{Name}' holds a state of the {otherKind} loss{DeltaText(otherKind, otherDelta)}; this accumulator sums the {kind} loss{DeltaText(kind, delta)}: only states of the same loss merge.",
                Name);
        }

        if (source[7] != ElementTypeCode)
        {
            ThrowHelper.ThrowArgument($"'{Name}' holds a state of element type {ElementTypeName(source[7])}; this accumulator's is {ElementTypeName(ElementTypeCode)}.", Name);
        }

        var dimension = BinaryPrimitives.ReadInt32LittleEndian(source[16..]);
        var classes = BinaryPrimitives.ReadInt32LittleEndian(source[20..]);
        if (dimension != Dimension || classes != 1)
        {
            ThrowHelper.ThrowArgument($"'{Name}' holds a state of D = {dimension}, K = {classes}; this accumulator has D = {Dimension}, K = 1.", Name);
        }

        if (BinaryPrimitives.ReadUInt64LittleEndian(source[24..]) != PointFingerprint())
        {
            ThrowHelper.ThrowArgument($"'{Name}' was accumulated at other weights or another intercept (its fingerprint differs; D = {dimension} matches): only states at the same point merge.", Name);
        }

        var count = BinaryPrimitives.ReadInt64LittleEndian(source[32..]);
        if (count < 0)
        {
            ThrowHelper.ThrowArgument($"'{Name}' holds a negative row count ({count}): the state is corrupted.", Name);
        }

        if (count == 0 && !AllZero(source[40..^ChecksumLength]))
        {
            ThrowHelper.ThrowArgument($"'{Name}' holds count 0 but non-zero sums; a state of no rows has only zero sums.", Name);
        }

        ThrowIfImpossibleSums(
            kind, BinaryPrimitives.ReadDoubleLittleEndian(source[40..]), BinaryPrimitives.ReadDoubleLittleEndian(source[48..]), Name);

        CheckedCount(Count, count, Name);
    }

    /// <summary>
    /// Rejects sums no data can produce: Σ sᵢ negative or NaN (each weight is finite and ≥ 0), and Σ sᵢℓᵢ negative for
    /// the losses whose ℓ is never negative (mean squared error, logistic, Huber; a Poisson ℓ = e^η − yη can be).
    /// NaN and +∞ loss sums stay valid: NaN or overflowing data give them, and the one-shot call returns the same.
    /// </summary>
    internal static void ThrowIfImpossibleSums(LinearModelLossKind kind, double sampleWeightSum, double lossSum, string paramName)
    {
        if (!(sampleWeightSum >= 0.0))
        {
            ThrowHelper.ThrowArgument(
                $"'{paramName}' holds a sum of sample weights of {sampleWeightSum}; sample weights are finite and zero or positive, so their sum cannot be negative or NaN: the state is corrupted.",
                paramName);
        }

        if (kind != LinearModelLossKind.Poisson && lossSum < 0.0)
        {
            ThrowHelper.ThrowArgument(
                $"'{paramName}' holds a loss sum of {lossSum}; every row of the {kind} loss adds a loss ≥ 0, so the sum cannot be negative: the state is corrupted.",
                paramName);
        }
    }

    /// <summary>
    /// Rejects a dimension whose state <see cref="GetByteCount"/> could not count in an int (72 + 8·D bytes beyond
    /// <see cref="Array.MaxLength"/>), before anything is allocated.
    /// </summary>
    private static void ThrowIfStateExceedsAnArray(int dimension)
    {
        var bytes = HeaderLength + (8L * dimension) + ChecksumLength;
        if (bytes > Array.MaxLength)
        {
            ThrowHelper.ThrowArgument(
                $"'weights' has length D = {dimension}: the accumulator's state takes 72 + 8·D = {bytes} bytes, more than the largest byte array (Array.MaxLength = {Array.MaxLength}); D may be at most {(Array.MaxLength - HeaderLength - ChecksumLength) / 8}.",
                "weights");
        }
    }

    private void ReadSums(ReadOnlySpan<byte> source)
    {
        var count = BinaryPrimitives.ReadInt64LittleEndian(source[32..]);
        Count = CheckedCount(Count, count, "source");
        _sampleWeightSum += BinaryPrimitives.ReadDoubleLittleEndian(source[40..]);
        _lossSum += BinaryPrimitives.ReadDoubleLittleEndian(source[48..]);
        _derivativeSum += BinaryPrimitives.ReadDoubleLittleEndian(source[56..]);
        for (var j = 0; j < _gradientSums.Length; j++)
        {
            _gradientSums[j] += BinaryPrimitives.ReadDoubleLittleEndian(source[(HeaderLength + (8 * j))..]);
        }
    }

    /// <summary>Whether the doubles of a span are all ±0 (NaN is not).</summary>
    internal static bool AllZero(ReadOnlySpan<byte> doubles)
    {
        for (var at = 0; at + 8 <= doubles.Length; at += 8)
        {
            if (BinaryPrimitives.ReadDoubleLittleEndian(doubles[at..]) != 0.0)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>FNV-1a (64-bit) of the IEEE bits of w₀…w_D−1 and b, each widened to double (exact for float and Half).</summary>
    private ulong PointFingerprint()
    {
        Span<byte> buffer = stackalloc byte[8];
        var hash = FnvOffset;
        foreach (var w in _weights)
        {
            BinaryPrimitives.WriteDoubleLittleEndian(buffer, double.CreateTruncating(w));
            hash = Fnv1a(buffer, hash);
        }

        BinaryPrimitives.WriteDoubleLittleEndian(buffer, double.CreateTruncating(_intercept));
        return Fnv1a(buffer, hash);
    }

    internal const ulong FnvOffset = 14695981039346656037UL;

    /// <summary>FNV-1a, 64-bit (Fowler, Noll and Vo): a checksum against truncation and flipped bytes, not against an adversary.</summary>
    internal static ulong Fnv1a(ReadOnlySpan<byte> bytes, ulong hash = FnvOffset)
    {
        foreach (var b in bytes)
        {
            hash = (hash ^ b) * 1099511628211UL;
        }

        return hash;
    }
}
