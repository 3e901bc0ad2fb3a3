using System.Buffers.Binary;
using System.Globalization;
using System.IO.Compression;
using System.Text;

namespace Gradients.Tests.AutomaticDifferentiation.Reference;

/// <summary>
/// Reads <c>dual-derivatives.bin.gz</c>, written by <c>make_dual_reference.py</c>: per member, the true derivatives
/// (mpmath, 160 bits) at points the table does not store — they are drawn again here from the same splitmix64 stream
/// through the same samplers, every step of which is an exact integer operation or one correctly rounded double
/// operation, so both sides get the same doubles. The file carries a hash of its points; a sampler that drifted from
/// the script's fails the load with both hashes, not as a wrong derivative.
/// </summary>
internal static class DualReferenceTable
{
    private const ulong FnvOffset = 0xCBF29CE484222325;
    private const ulong FnvPrime = 0x100000001B3;

    /// <summary>One member: its usable points and, per point, the true partials (and the true primal, if stored).</summary>
    public sealed record Member(string Name, int Arity, bool HasPrimal, IReadOnlyList<Point> Points);

    /// <summary>A point (a, b) with its true partials and primal as double-doubles (b and the primal 0 when absent).</summary>
    public readonly record struct Point(double A, double B, DoubleDouble Da, DoubleDouble Db, DoubleDouble Primal);

    /// <summary>hi + lo, with hi the value rounded to double.</summary>
    public readonly record struct DoubleDouble(double Hi, double Lo);

    public static IReadOnlyDictionary<string, Member> Load(string path)
    {
        using var file = File.OpenRead(path);
        using var gzip = new GZipStream(file, CompressionMode.Decompress);
        using var buffer = new MemoryStream();
        gzip.CopyTo(buffer);
        var reader = new Reader(buffer.ToArray());

        if (Encoding.ASCII.GetString(reader.Bytes(4)) != "GDR1")
        {
            throw new InvalidDataException($"{path}: not a GDR1 table");
        }

        var note = Encoding.ASCII.GetString(reader.Bytes(reader.UInt16())); // "made by … seed N, …"
        var seedAt = note.IndexOf("seed ", StringComparison.Ordinal) + "seed ".Length;
        var seed = ulong.Parse(note[seedAt..note.IndexOf(',', seedAt)], CultureInfo.InvariantCulture);
        var count = reader.Int32();
        var members = new Dictionary<string, Member>(count);
        var args = new double[2];
        for (var m = 0; m < count; m++)
        {
            var name = Encoding.ASCII.GetString(reader.Bytes(reader.Byte()));
            var arity = reader.Byte();
            var domains = new (int Kind, double Lo, double Hi)[arity];
            for (var k = 0; k < arity; k++)
            {
                domains[k] = (reader.Byte(), reader.Double(), reader.Double());
            }

            var hasPrimal = reader.Byte() == 1;
            var draws = reader.Int32();
            var expectedHash = reader.UInt64();

            var random = new SplitMix64(seed ^ Fnv1a(Encoding.ASCII.GetBytes(name)));
            var hash = FnvOffset;
            var points = new List<Point>(draws);
            for (var d = 0; d < draws; d++)
            {
                for (var k = 0; k < arity; k++)
                {
                    args[k] = Sample(ref random, domains[k].Kind, domains[k].Lo, domains[k].Hi);
                    hash = (hash ^ (ulong)BitConverter.DoubleToInt64Bits(args[k])) * FnvPrime;
                }

                var da = reader.Value();
                var db = arity == 2 ? reader.Value() : default;
                var primal = hasPrimal ? reader.Value() : default;
                if (!double.IsNaN(da.Hi))
                {
                    points.Add(new Point(args[0], arity == 2 ? args[1] : 0, da, db, primal));
                }
            }

            if (hash != expectedHash)
            {
                throw new InvalidDataException($"{name}: the points drawn here (hash {hash:X16}) are not the script's ({expectedHash:X16}); the samplers differ");
            }

            members.Add(name, new Member(name, arity, hasPrimal, points));
        }

        return members;
    }

    /// <summary>The script's samplers (0 uniform, 1 log-uniform over bit patterns, 2 the same with a random sign, 3 log1p's domain, 4 one plus 1).</summary>
    private static double Sample(ref SplitMix64 random, int kind, double lo, double hi) => kind switch
    {
        0 => lo + ((hi - lo) * random.Unit()),
        1 => LogUniform(ref random, lo, hi),
        2 => random.Coin() ? -LogUniform(ref random, lo, hi) : LogUniform(ref random, lo, hi),
        3 => random.Coin() ? -0.999999 + ((1.0 - -0.999999) * random.Unit()) : LogUniform(ref random, 1.0, 1e300),
        4 => 1.0 + LogUniform(ref random, lo, hi),
        _ => throw new InvalidDataException($"sampler {kind}"),
    };

    private static double LogUniform(ref SplitMix64 random, double lo, double hi)
    {
        var low = BitConverter.DoubleToInt64Bits(lo);
        var span = (ulong)(BitConverter.DoubleToInt64Bits(hi) - low + 1);
        return BitConverter.Int64BitsToDouble(low + (long)(random.Next() % span));
    }

    private static ulong Fnv1a(ReadOnlySpan<byte> bytes)
    {
        var hash = FnvOffset;
        foreach (var b in bytes)
        {
            hash = (hash ^ b) * FnvPrime;
        }

        return hash;
    }

    private struct SplitMix64(ulong seed)
    {
        private ulong _state = seed;

        public ulong Next()
        {
            _state += 0x9E3779B97F4A7C15;
            var z = _state;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EB;
            return z ^ (z >> 31);
        }

        /// <summary>[0, 1): the top 53 bits, exactly.</summary>
        public double Unit() => (Next() >> 11) * (1.0 / 9007199254740992.0); // × 2⁻⁵³

        public bool Coin() => (Next() >> 63) == 1;
    }

    private sealed class Reader(byte[] data)
    {
        private int _offset;

        public byte Byte() => data[_offset++];

        public ReadOnlySpan<byte> Bytes(int count)
        {
            var span = data.AsSpan(_offset, count);
            _offset += count;
            return span;
        }

        public ushort UInt16() => BinaryPrimitives.ReadUInt16LittleEndian(Bytes(2));

        public int Int32() => BinaryPrimitives.ReadInt32LittleEndian(Bytes(4));

        public ulong UInt64() => BinaryPrimitives.ReadUInt64LittleEndian(Bytes(8));

        public double Double() => BinaryPrimitives.ReadDoubleLittleEndian(Bytes(8));

        /// <summary>hi, then lo in units of 2⁻¹⁵ ulp(hi).</summary>
        public DoubleDouble Value()
        {
            var hi = Double();
            var q = BinaryPrimitives.ReadInt16LittleEndian(Bytes(2));
            return new DoubleDouble(hi, hi == 0 || double.IsNaN(hi) ? 0 : q * Math.ScaleB(UlpOf(hi), -15));
        }
    }

    /// <summary>The spacing of doubles at |value| (Python's math.ulp).</summary>
    public static double UlpOf(double value)
    {
        var magnitude = Math.Abs(value);
        return Math.BitIncrement(magnitude) - magnitude;
    }
}
