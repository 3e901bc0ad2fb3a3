using System.Buffers.Binary;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using static Gradients.Tests.Losses.SoftmaxCrossEntropyAccumulatorTests;

namespace Gradients.Tests.Losses;

/// <summary>The softmax accumulator's byte format (version 2): bit-exact round trips, and every kind of foreign or damaged state rejected by name.</summary>
public sealed class SoftmaxCrossEntropyAccumulatorBytesTests
{
    [Property(MaxTest = 40)]
    public Property Round_trip_is_bit_exact_and_merging_the_bytes_is_merging_the_states() =>
        Prop.ForAll(
            (from p in Problems(1.5)
             from cut in Gen.Choose(0, 1000)
             select (p, cut * p.Rows / 1000)).ToArbitrary(),
            t =>
            {
                var (p, cut) = t;
                var left = Create(p, p.W, p.B);
                left.Add(p.X, p.Y, p.S, 0, cut);
                var right = Create(p, p.W, p.B);
                right.Add(p.X, p.Y, p.S, cut, p.Rows - cut);

                var bytes = right.ToByteArray();
                var options = new LinearModelLossOptions { L2Penalty = p.L2 };
                var copy = SoftmaxCrossEntropyAccumulator<double>.FromBytes(bytes, p.W, p.B, options);
                var viaBytes = Create(p, p.W, p.B);
                viaBytes.Merge(left.ToByteArray());
                viaBytes.Merge(bytes);
                left.Merge(right);

                var (g1, g2) = (new double[p.D * p.K], new double[p.D * p.K]);
                var (b1, b2) = (new double[p.K], new double[p.K]);
                return (SameState(copy, right) && copy.Classes == p.K && copy.Dimension == p.D
                        && SameState(viaBytes, left)
                        && viaBytes.LossAndGradient(g1, b1).Equals(left.LossAndGradient(g2, b2)) && g1.SequenceEqual(g2) && b1.SequenceEqual(b2))
                    .Label(p.ToString());
            });

    [Fact]
    public void The_layout_is_the_documented_one()
    {
        // D = 2, K = 3, float: 72 + 8·(2 + 1)·3 = 144 bytes.
        var accumulator = new SoftmaxCrossEntropyAccumulator<float>([1f, 2f, 3f, 4f, 5f, 6f], [0.5f, 0f, -0.5f], 3, default);
        accumulator.Add([0.1f, 0.2f, 0.3f, 0.4f], [2, 0], [2f, 0.5f]);
        Assert.Equal(144, accumulator.GetByteCount());
        var bytes = new byte[150];
        Assert.False(accumulator.TryWriteBytes(bytes.AsSpan(0, 143), out var none));
        Assert.Equal(0, none);
        Assert.True(accumulator.TryWriteBytes(bytes, out var written));
        Assert.Equal(144, written);
        Assert.Equal("GRLA"u8.ToArray(), bytes[..4]);
        Assert.Equal(2, BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(4)));
        Assert.Equal(SoftmaxCrossEntropyAccumulator<float>.FormatVersion, BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(4)));
        Assert.Equal(5, bytes[6]);
        Assert.Equal(2, bytes[7]);
        Assert.Equal(0.0, BinaryPrimitives.ReadDoubleLittleEndian(bytes.AsSpan(8)));
        Assert.Equal(2, BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(16)));
        Assert.Equal(3, BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(20)));
        Assert.Equal(2, BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(32)));
        Assert.Equal(2.5, BinaryPrimitives.ReadDoubleLittleEndian(bytes.AsSpan(40)));
        Assert.Equal(accumulator.LossSum, BinaryPrimitives.ReadDoubleLittleEndian(bytes.AsSpan(48)));
        Assert.Equal(0.0, BinaryPrimitives.ReadDoubleLittleEndian(bytes.AsSpan(56)));
        var sums = new double[6];
        accumulator.CopyGradientSums(sums);
        for (var i = 0; i < 6; i++)
        {
            Assert.Equal(sums[i], BinaryPrimitives.ReadDoubleLittleEndian(bytes.AsSpan(64 + (8 * i))));
        }

        var intercepts = new double[3];
        accumulator.CopyInterceptSums(intercepts);
        for (var k = 0; k < 3; k++)
        {
            Assert.Equal(intercepts[k], BinaryPrimitives.ReadDoubleLittleEndian(bytes.AsSpan(112 + (8 * k))));
        }
    }

    private static readonly double[] W = [1.0, -2.0, 0.25, 0.5, 0.0, -1.0];

    private static byte[] State(double[]? w = null, double[]? b = null, int classes = 3)
    {
        var accumulator = new SoftmaxCrossEntropyAccumulator<double>(w ?? W, b ?? [0.5, 0.0, 0.0], classes, default);
        var d = accumulator.Dimension;
        accumulator.Add([.. Enumerable.Range(0, 2 * d).Select(i => i / 10.0)], [1, 0]);
        return accumulator.ToByteArray();
    }

    private static string Rejected(byte[] bytes, SoftmaxCrossEntropyAccumulator<double>? into = null)
    {
        into ??= new SoftmaxCrossEntropyAccumulator<double>(W, [0.5, 0.0, 0.0], 3, default);
        var before = into.ToByteArray();
        var e = Assert.Throws<ArgumentException>(() => into.Merge(bytes));
        Assert.Equal("source", e.ParamName);
        Assert.Equal(before, into.ToByteArray());
        return e.Message;
    }

    [Fact]
    public void Truncated_extended_and_corrupted_states_are_rejected()
    {
        var bytes = State();
        for (var length = 0; length < bytes.Length; length++)
        {
            var message = Rejected(bytes[..length]);
            Assert.True(message.Contains("truncated", StringComparison.Ordinal) || message.Contains("magic", StringComparison.Ordinal), message);
        }

        Assert.Contains("trailing", Rejected([.. bytes, 0]), StringComparison.Ordinal);

        // Every single flipped bit is caught: by the magic, the version, the framing or the checksum.
        for (var at = 0; at < bytes.Length; at++)
        {
            for (var bit = 0; bit < 8; bit++)
            {
                var damaged = (byte[])bytes.Clone();
                damaged[at] ^= (byte)(1 << bit);
                Rejected(damaged);
            }
        }

        var sums = (byte[])bytes.Clone();
        sums[90] ^= 4;
        Assert.Contains("checksum", Rejected(sums), StringComparison.Ordinal);
    }

    [Fact]
    public void Another_version_element_type_shape_or_point_is_named()
    {
        var bytes = State();

        // A single-output loss's state (version 1) and this one (version 2) each name the other's accumulator.
        var logistic = LinearModelLossAccumulator<double>.ForLogisticLoss([1.0, -2.0], 0.5, default);
        logistic.Add([1.0, 2.0], [1.0]);
        Assert.Contains("LinearModelLossAccumulator", Rejected(logistic.ToByteArray()), StringComparison.Ordinal);
        var e = Assert.Throws<ArgumentException>(() => logistic.Merge(bytes));
        Assert.Equal("source", e.ParamName);
        Assert.Contains("format version 2", e.Message, StringComparison.Ordinal);
        Assert.Contains("SoftmaxCrossEntropyAccumulator", e.Message, StringComparison.Ordinal);

        var future = (byte[])bytes.Clone();
        BinaryPrimitives.WriteUInt16LittleEndian(future.AsSpan(4), 3);
        Assert.Contains("format version 3", Rejected(future), StringComparison.Ordinal);

        Assert.Contains("D = 3, K = 2", Rejected(State(classes: 2, b: [0.5, 0.0])), StringComparison.Ordinal);
        Assert.Contains("other weights or other intercepts", Rejected(State(b: [0.5, 0.0, 0.25])), StringComparison.Ordinal);
        Assert.Contains("other weights or other intercepts", Rejected(State(w: [1.0, -2.0, 0.25, 0.5, 0.0, -0.5])), StringComparison.Ordinal);

        var single = new SoftmaxCrossEntropyAccumulator<float>([1f, -2f, 0.25f, 0.5f, 0f, -1f], [0.5f, 0f, 0f], 3, default);
        e = Assert.Throws<ArgumentException>(() => single.Merge(bytes));
        Assert.Contains("element type double", e.Message, StringComparison.Ordinal);
        Assert.Contains("float", e.Message, StringComparison.Ordinal);

        Assert.Equal("source", Assert.Throws<ArgumentException>(() => SoftmaxCrossEntropyAccumulator<double>.FromBytes(bytes, W, [], default)).ParamName);
        Assert.Equal("weights", Assert.Throws<ArgumentException>(() => SoftmaxCrossEntropyAccumulator<double>.FromBytes(bytes, [1.0, 2.0], [], default)).ParamName);
        var copy = SoftmaxCrossEntropyAccumulator<double>.FromBytes(bytes, W, [0.5, 0.0, 0.0], default);
        Assert.Equal(2, copy.Count);
        Assert.Equal(3, copy.Classes);
    }

    [Fact]
    public void The_empty_state_round_trips_and_an_impossible_one_is_rejected()
    {
        var empty = new SoftmaxCrossEntropyAccumulator<double>([1.0, 2.0], [], 2, default);
        var copy = SoftmaxCrossEntropyAccumulator<double>.FromBytes(empty.ToByteArray(), [1.0, 2.0], [], default);
        Assert.Equal(0, copy.Count);

        // Count 0 with a non-zero sum, re-checksummed so only the content is wrong.
        var bytes = empty.ToByteArray();
        BinaryPrimitives.WriteDoubleLittleEndian(bytes.AsSpan(48), 1.0);
        Rechecksum(bytes);
        Assert.Contains("count 0 but non-zero sums", Rejected(bytes, empty), StringComparison.Ordinal);

        bytes = empty.ToByteArray();
        BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(32), -1);
        Rechecksum(bytes);
        Assert.Contains("negative row count", Rejected(bytes, empty), StringComparison.Ordinal);

        bytes = empty.ToByteArray();
        BinaryPrimitives.WriteDoubleLittleEndian(bytes.AsSpan(56), 1.0);
        Rechecksum(bytes);
        Assert.Contains("reserved", Rejected(bytes, empty), StringComparison.Ordinal);

        bytes = empty.ToByteArray();
        bytes[6] = 2;
        Rechecksum(bytes);
        Assert.Contains("loss kind 2", Rejected(bytes, empty), StringComparison.Ordinal);
    }

    /// <summary>FNV-1a of every byte but the last eight, written into them (the documented checksum).</summary>
    private static void Rechecksum(byte[] bytes)
    {
        var hash = 14695981039346656037UL;
        foreach (var b in bytes.AsSpan(0, bytes.Length - 8))
        {
            hash = (hash ^ b) * 1099511628211UL;
        }

        BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(bytes.Length - 8), hash);
    }
}
