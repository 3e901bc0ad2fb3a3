using System.Buffers.Binary;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using static Gradients.Tests.Losses.LinearModelLossAccumulatorTests;

namespace Gradients.Tests.Losses;

/// <summary>The accumulator's byte format: bit-exact round trips, and every kind of foreign or damaged state rejected by name.</summary>
public sealed class LinearModelLossAccumulatorBytesTests
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
                var left = Create<double>(p, p.W);
                left.Add(p.X, p.Y, p.S, 0, cut);
                var right = Create<double>(p, p.W);
                right.Add(p.X, p.Y, p.S, cut, p.Rows - cut);

                var bytes = right.ToByteArray();
                var options = new LinearModelLossOptions { L2Penalty = p.L2 };
                var copy = LinearModelLossAccumulator<double>.FromBytes(bytes, p.W, p.B, options);
                var viaBytes = Create<double>(p, p.W);
                viaBytes.Merge(left.ToByteArray());
                viaBytes.Merge(bytes);
                left.Merge(right);

                var (g1, g2) = (new double[p.D], new double[p.D]);
                return (SameState(copy, right) && copy.Kind == right.Kind && copy.HuberDelta.Equals(right.HuberDelta)
                        && SameState(viaBytes, left)
                        && viaBytes.LossAndGradient(g1).Equals(left.LossAndGradient(g2)) && g1.SequenceEqual(g2))
                    .Label(p.ToString());
            });

    [Fact]
    public void The_layout_is_the_documented_one()
    {
        var accumulator = LinearModelLossAccumulator<float>.ForHuberLoss([1f, 2f], 0.5f, new HuberLossOptions { Delta = 1.5 });
        accumulator.Add([1f, 2f, 3f, 4f], [1f, 2f], [2f, 0.5f]);
        Assert.Equal(72 + 16, accumulator.GetByteCount());
        var bytes = new byte[100];
        Assert.False(accumulator.TryWriteBytes(bytes.AsSpan(0, 87), out var none));
        Assert.Equal(0, none);
        Assert.True(accumulator.TryWriteBytes(bytes, out var written));
        Assert.Equal(88, written);
        Assert.Equal("GRLA"u8.ToArray(), bytes[..4]);
        Assert.Equal(1, BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(4)));
        Assert.Equal((byte)LinearModelLossKind.Huber, bytes[6]);
        Assert.Equal(2, bytes[7]);
        Assert.Equal(1.5, BinaryPrimitives.ReadDoubleLittleEndian(bytes.AsSpan(8)));
        Assert.Equal(2, BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(16)));
        Assert.Equal(1, BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(20)));
        Assert.Equal(2, BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(32)));
        Assert.Equal(2.5, BinaryPrimitives.ReadDoubleLittleEndian(bytes.AsSpan(40)));
        Assert.Equal(accumulator.LossSum, BinaryPrimitives.ReadDoubleLittleEndian(bytes.AsSpan(48)));
        Assert.Equal(accumulator.DerivativeSum, BinaryPrimitives.ReadDoubleLittleEndian(bytes.AsSpan(56)));
        var sums = new double[2];
        accumulator.CopyGradientSums(sums);
        Assert.Equal(sums[1], BinaryPrimitives.ReadDoubleLittleEndian(bytes.AsSpan(72)));
    }

    private static byte[] State(LinearModelLossKind kind = LinearModelLossKind.Logistic, double[]? w = null, double b = 0.5)
    {
        w ??= [1.0, -2.0, 0.25];
        var p = new Problem(kind, 0, w.Length, [], [], w, b, null, 0, 1);
        var accumulator = Create<double>(p, w);
        accumulator.Add([.. Enumerable.Range(0, 2 * w.Length).Select(i => i / 10.0)], [1.0, 0.0]);
        return accumulator.ToByteArray();
    }

    private static string Rejected(byte[] bytes, LinearModelLossAccumulator<double>? into = null)
    {
        into ??= LinearModelLossAccumulator<double>.ForLogisticLoss([1.0, -2.0, 0.25], 0.5, default);
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
        sums[50] ^= 4;
        Assert.Contains("checksum", Rejected(sums), StringComparison.Ordinal);
    }

    [Fact]
    public void Another_version_loss_element_type_dimension_or_point_is_named()
    {
        var bytes = State();
        var future = (byte[])bytes.Clone();
        BinaryPrimitives.WriteUInt16LittleEndian(future.AsSpan(4), 2);
        Assert.Contains("format version 2", Rejected(future), StringComparison.Ordinal);

        Assert.Contains("Poisson", Rejected(State(LinearModelLossKind.Poisson)), StringComparison.Ordinal);
        var huber = LinearModelLossAccumulator<double>.ForHuberLoss([1.0, -2.0, 0.25], 0.5, new HuberLossOptions { Delta = 2 });
        Assert.Contains("δ = 0.75", Rejected(State(LinearModelLossKind.Huber), huber), StringComparison.Ordinal);
        Assert.Contains("D = 2", Rejected(State(w: [1.0, 2.0])), StringComparison.Ordinal);
        Assert.Contains("other weights or another intercept", Rejected(State(b: 0.25)), StringComparison.Ordinal);
        Assert.Contains("other weights or another intercept", Rejected(State(w: [1.0, -2.0, 0.5])), StringComparison.Ordinal);

        var single = LinearModelLossAccumulator<float>.ForLogisticLoss([1f, -2f, 0.25f], 0.5f, default);
        var e = Assert.Throws<ArgumentException>(() => single.Merge(bytes));
        Assert.Contains("element type double", e.Message, StringComparison.Ordinal);
        Assert.Contains("float", e.Message, StringComparison.Ordinal);

        var fromWrongPoint = Assert.Throws<ArgumentException>(() => LinearModelLossAccumulator<double>.FromBytes(bytes, [1.0, -2.0, 0.25], 0.0, default));
        Assert.Equal("source", fromWrongPoint.ParamName);
        Assert.Equal(LinearModelLossKind.Logistic, LinearModelLossAccumulator<double>.FromBytes(bytes, [1.0, -2.0, 0.25], 0.5, default).Kind);
    }

    [Fact]
    public void The_empty_state_round_trips_and_an_impossible_one_is_rejected()
    {
        var empty = LinearModelLossAccumulator<double>.ForMeanSquaredError([1.0], 0.0, default);
        var copy = LinearModelLossAccumulator<double>.FromBytes(empty.ToByteArray(), [1.0], 0.0, default);
        Assert.Equal(0, copy.Count);
        Assert.Equal(LinearModelLossKind.MeanSquaredError, copy.Kind);

        // The mean squared error face ships through its shared state.
        var face = new MeanSquaredErrorAccumulator<double>([1.0]);
        face.Add([2.0, 3.0], [1.0, 1.0]);
        empty.Merge(face.State.ToByteArray());
        Assert.Equal(face.SumOfSquaredResiduals, empty.LossSum);
        Assert.Equal(face.Loss(), empty.Loss());
    }
}
