using System.Buffers.Binary;

namespace Gradients.Tests.Losses;

/// <summary>
/// The accumulators and the loss Hessian-vector products under the second hostile run of issue 13: a state no data
/// can produce is rejected (bytes with a valid checksum over impossible sums, a negative Σr²), two states merge when
/// their points are the same bit for bit (as the byte format's fingerprint says), a header whose 8·D·K overflows a
/// long is malformed, and a non-finite direction is rejected as forward mode and finite differences reject theirs.
/// </summary>
public sealed class LinearModelLossHostileStateTests
{
    private static readonly double[] Features = [0.5, -1, 1.5, 2, -0.25, 0.75, 1, 1];
    private static readonly double[] Weights = [0.2, -0.1];
    private static readonly double[] Labels = [0, 1, 1, 0];

    /// <summary>Offsets of the format (docs/distributed.md): Σ sᵢ at 40, Σ sᵢℓᵢ at 48, D at 16, K at 20.</summary>
    private const int SampleWeightSumAt = 40;
    private const int LossSumAt = 48;

    public static TheoryData<LinearModelLossKind, int, double> ImpossibleSums => new()
    {
        { LinearModelLossKind.Logistic, SampleWeightSumAt, -4 },
        { LinearModelLossKind.Logistic, SampleWeightSumAt, double.NaN },
        { LinearModelLossKind.Huber, SampleWeightSumAt, double.NegativeInfinity },
        { LinearModelLossKind.Logistic, LossSumAt, -1 },
        { LinearModelLossKind.MeanSquaredError, LossSumAt, -1e-300 },
        { LinearModelLossKind.Huber, LossSumAt, double.NegativeInfinity },
    };

    [Theory]
    [MemberData(nameof(ImpossibleSums))]
    public void Bytes_with_a_valid_checksum_over_impossible_sums_are_rejected_and_the_state_kept(LinearModelLossKind kind, int offset, double value)
    {
        var bytes = Resealed(State(kind).ToByteArray(), b => BinaryPrimitives.WriteDoubleLittleEndian(b.AsSpan(offset), value));
        var target = State(kind);
        var before = target.ToByteArray();

        var e = Assert.Throws<ArgumentException>(() => target.Merge(bytes));

        Assert.Equal("source", e.ParamName);
        Assert.Contains("corrupted", e.Message, StringComparison.Ordinal);
        Assert.Equal(before, target.ToByteArray());
        Assert.Equal("source", Assert.Throws<ArgumentException>(() => LinearModelLossAccumulator<double>.FromBytes(bytes, Weights, 0.0, default)).ParamName);
    }

    [Fact]
    public void Sums_that_data_can_give_still_merge()
    {
        // A Poisson loss e^η − yη can be negative; NaN and +∞ sums come from NaN or overflowing data; Σ sᵢ need not be
        // the count (weighted rows).
        var poisson = Resealed(State(LinearModelLossKind.Poisson).ToByteArray(), b => BinaryPrimitives.WriteDoubleLittleEndian(b.AsSpan(LossSumAt), -5));
        var nan = Resealed(State(LinearModelLossKind.Logistic).ToByteArray(), b => BinaryPrimitives.WriteDoubleLittleEndian(b.AsSpan(LossSumAt), double.NaN));
        var weighted = Resealed(State(LinearModelLossKind.Logistic).ToByteArray(), b => BinaryPrimitives.WriteDoubleLittleEndian(b.AsSpan(SampleWeightSumAt), 0.5));

        State(LinearModelLossKind.Poisson).Merge(poisson);
        var logistic = State(LinearModelLossKind.Logistic);
        logistic.Merge(weighted);
        logistic.Merge(nan);

        Assert.Equal(12, logistic.Count);
        Assert.True(double.IsNaN(logistic.Loss()));
    }

    [Fact]
    public void A_header_whose_eight_d_k_wraps_a_long_is_malformed_not_read()
    {
        // D = 2³⁰ + 23170 and K = 2³¹ − 46339: D·K = 2⁶¹ + 67194, so 8·D·K computed in long wrapped to 537,552 and a
        // 537,624-byte source passed the length check, reaching the D comparison. It is a framing error.
        const int D = (1 << 30) + 23170;
        const int K = int.MaxValue - 46338;
        var bytes = new byte[72 + 537_552];
        State(LinearModelLossKind.Logistic).ToByteArray().AsSpan(0, 64).CopyTo(bytes);
        bytes = Resealed(bytes, b =>
        {
            BinaryPrimitives.WriteInt32LittleEndian(b.AsSpan(16), D);
            BinaryPrimitives.WriteInt32LittleEndian(b.AsSpan(20), K);
        });

        var e = Assert.Throws<ArgumentException>(() => State(LinearModelLossKind.Logistic).Merge(bytes));

        Assert.Equal("source", e.ParamName);
        Assert.Contains("truncated, has trailing bytes, or is corrupted", e.Message, StringComparison.Ordinal);
        Assert.Contains("18446744073710089240", e.Message, StringComparison.Ordinal); // 72 + 8·D·K, exact
    }

    [Fact]
    public void Accumulators_at_the_same_point_bit_for_bit_merge_as_their_bytes_do()
    {
        // A NaN intercept is the same point as itself (Merge compared with !=, so NaN never matched); −0 and +0 are
        // different points for both Merge(accumulator) and Merge(bytes) (the fingerprint hashes the bits).
        var nanA = LinearModelLossAccumulator<double>.ForLogisticLoss(Weights, double.NaN, default);
        var nanB = LinearModelLossAccumulator<double>.ForLogisticLoss(Weights, double.NaN, default);
        nanB.Add(Features, Labels);
        nanA.Merge(nanB);
        nanA.Merge(nanB.ToByteArray());
        Assert.Equal(8, nanA.Count);

        var plus = LinearModelLossAccumulator<double>.ForLogisticLoss([0.0, 1.0], 0.0, default);
        var minusWeight = LinearModelLossAccumulator<double>.ForLogisticLoss([-0.0, 1.0], 0.0, default);
        var minusIntercept = LinearModelLossAccumulator<double>.ForLogisticLoss([0.0, 1.0], -0.0, default);
        foreach (var other in new[] { minusWeight, minusIntercept })
        {
            Assert.Equal("other", Assert.Throws<ArgumentException>(() => plus.Merge(other)).ParamName);
            Assert.Equal("source", Assert.Throws<ArgumentException>(() => plus.Merge(other.ToByteArray())).ParamName);
        }

        var floats = new MeanSquaredErrorAccumulator<float>([float.NaN, 1f], float.NaN, default);
        floats.Merge(new MeanSquaredErrorAccumulator<float>([float.NaN, 1f], float.NaN, default));
        Assert.Equal(0, floats.Count);
    }

    [Theory]
    [InlineData(-1.0)]
    [InlineData(-1e-300)]
    [InlineData(double.NegativeInfinity)]
    public void A_negative_sum_of_squares_is_rejected_naming_it(double sumOfSquares)
    {
        var accumulator = new MeanSquaredErrorAccumulator<double>(Weights);

        var e = Assert.Throws<ArgumentException>(() => accumulator.Merge(2, sumOfSquares, 0, [0.0, 0.0]));

        Assert.Equal("sumOfSquaredResiduals", e.ParamName);
        Assert.Equal(0, accumulator.Count);
    }

    [Fact]
    public void Sums_of_squares_from_nan_or_overflowing_data_still_merge()
    {
        var accumulator = new MeanSquaredErrorAccumulator<double>(Weights);
        accumulator.Merge(2, double.PositiveInfinity, 0, [0.0, 0.0]);
        Assert.Equal(double.PositiveInfinity, accumulator.Loss());
        accumulator.Merge(1, double.NaN, 0, [0.0, 0.0]);
        Assert.True(double.IsNaN(accumulator.Loss()));
    }

    public static TheoryData<string, double, double> NonFiniteDirections => new()
    {
        { "direction", double.PositiveInfinity, 0 },
        { "direction", double.NaN, 0 },
        { "direction", double.NegativeInfinity, 0 },
        { "directionIntercept", 1, double.NaN },
        { "directionIntercept", 1, double.PositiveInfinity },
    };

    [Theory]
    [MemberData(nameof(NonFiniteDirections))]
    public void Every_loss_hessian_vector_product_rejects_a_non_finite_direction(string paramName, double component, double interceptComponent)
    {
        // H·v with a non-finite v is NaN or ±∞ wherever a row reaches it: forward mode and finite differences reject
        // such a v; the losses returned the non-finite product.
        double[] direction = [1, component];
        double[] targets = [0, 1, 2, 0];
        var product = new double[2];
        var calls = new Action[]
        {
            () => LogisticLoss.HessianVectorProduct<double>(Features, Labels, Weights, 0.0, direction, interceptComponent, product, out _, [], default),
            () => PoissonLoss.HessianVectorProduct<double>(Features, targets, Weights, 0.0, direction, interceptComponent, product, out _, [], default),
            () => HuberLoss.HessianVectorProduct<double>(Features, targets, Weights, 0.0, direction, interceptComponent, product, out _, [], default),
            () => MeanSquaredError.HessianVectorProduct<double>(Features, targets, Weights, 0.0, direction, interceptComponent, product, out _, [], default),
        };

        foreach (var call in calls)
        {
            var e = Assert.Throws<ArgumentException>(call);
            Assert.Equal(paramName, e.ParamName);
            if (paramName == "direction")
            {
                Assert.Contains("'direction[1]'", e.Message, StringComparison.Ordinal);
            }
        }

        Assert.Equal("direction", Assert.Throws<ArgumentException>(() =>
            LogisticLoss.HessianVectorProduct<float>([1f, 2f], [0f], [0f, 0f], [float.NaN, 1f], new float[2])).ParamName);
    }

    [Fact]
    public void Huge_finite_directions_are_still_accepted()
    {
        // Only non-finite components are rejected: 3e38 in float is a direction (H·v = X ᵀ diag(σ(1−σ)) X v / N).
        var product = new float[1];
        LogisticLoss.HessianVectorProduct<float>([1f, 1f], [0f, 1f], [0f], [3e38f], product);
        Assert.Equal(0.25f * 3e38f, product[0], 3e38f * 1e-6f);
    }

    private static LinearModelLossAccumulator<double> State(LinearModelLossKind kind)
    {
        var accumulator = kind switch
        {
            LinearModelLossKind.MeanSquaredError => LinearModelLossAccumulator<double>.ForMeanSquaredError(Weights, 0.0, default),
            LinearModelLossKind.Poisson => LinearModelLossAccumulator<double>.ForPoissonLoss(Weights, 0.0, default),
            LinearModelLossKind.Huber => LinearModelLossAccumulator<double>.ForHuberLoss(Weights, 0.0, default),
            _ => LinearModelLossAccumulator<double>.ForLogisticLoss(Weights, 0.0, default),
        };
        accumulator.Add(Features, kind == LinearModelLossKind.Logistic ? Labels : [0, 1, 2, 0]);
        return accumulator;
    }

    /// <summary>Edits the bytes and writes a matching checksum (FNV-1a 64 of the bytes before it, as documented).</summary>
    private static byte[] Resealed(byte[] bytes, Action<byte[]> edit)
    {
        var copy = (byte[])bytes.Clone();
        edit(copy);
        var hash = 14695981039346656037UL;
        foreach (var b in copy.AsSpan(0, copy.Length - 8))
        {
            hash = (hash ^ b) * 1099511628211UL;
        }

        BinaryPrimitives.WriteUInt64LittleEndian(copy.AsSpan(copy.Length - 8), hash);
        return copy;
    }
}
