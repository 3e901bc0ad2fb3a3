using System.Numerics;
using System.Numerics.Tensors;

namespace Gradients;

/// <summary>The single-output losses a <see cref="LinearModelLossAccumulator{T}"/> accumulates (the byte format stores the number).</summary>
public enum LinearModelLossKind
{
    /// <summary>The mean squared error of <see cref="MeanSquaredError"/>: ℓ = r², ∂ℓ/∂η = 2r.</summary>
    MeanSquaredError = 1,

    /// <summary>The logistic loss of <see cref="LogisticLoss"/>.</summary>
    Logistic = 2,

    /// <summary>The Poisson loss of <see cref="PoissonLoss"/>.</summary>
    Poisson = 3,

    /// <summary>The Huber loss of <see cref="HuberLoss"/> (its δ is part of the kind's parameters).</summary>
    Huber = 4,
}

/// <summary>
/// The loss and gradient of a linear model at fixed weights, accumulated over row batches that arrive one after
/// another and mergeable with other accumulators (of other threads, processes or machines) — for every single-output
/// loss of the family: <see cref="MeanSquaredError"/>, <see cref="LogisticLoss"/>, <see cref="PoissonLoss"/>,
/// <see cref="HuberLoss"/>. The state is the row count, Σ sᵢ, Σ sᵢℓᵢ, Σ sᵢdᵢ and Σ sᵢdᵢxᵢ (d = ∂ℓ/∂η), which add.
/// </summary>
/// <remarks>
/// <para>
/// What is bit-identical to the one-shot call (<c>LossAndGradient</c> of the loss's class, same weights, intercept,
/// options and sample weights, any thread count): a batch's sums are formed by the one-shot pass's own kernels and
/// folded into the state as that pass folds one of its row chunks (state += chunk, in double). Hence
/// (1) one <see cref="Add(ReadOnlySpan{T}, ReadOnlySpan{T}, ReadOnlySpan{T})"/> of all N rows, and
/// (2) the one-shot call's own chunks — rows [k·c, (k+1)·c) with c = <see cref="ChunkRows(int, int)"/>(N, D) — added
/// in order with <see cref="Add(ReadOnlySpan{T}, ReadOnlySpan{T}, ReadOnlySpan{T}, int, int)"/>, to one accumulator,
/// or each to its own accumulator and merged into a running one in chunk order (a left fold), give the one-shot loss,
/// gradient and intercept gradient bit for bit. (2) holds while each chunk is one chunk of a pass over itself:
/// N ≤ 1024·c₀ with c₀ = ChunkRows(c, D), i.e. X up to about 67 million elements; beyond, a chunk is cut again and the
/// result is within rounding. The row-range overload matters: a chunk handed over in its own buffer ends where its
/// memory ends, and for D ≤ 16 the kernel then reads its last rows one at a time, rounding them differently than in
/// the one-shot pass, which reads them with whole vectors past the row's end. Sample weights are summed one by one onto
/// the running Σ sᵢ, in row order, as the one-shot call sums them.
/// </para>
/// <para>
/// What is only within rounding: any other split of the rows, batches in their own buffers, and any other merge
/// order or tree. Each sum is then the same terms added in another association (and a row's η may come from another
/// kernel): each side is within about (N + D)·u·Σ|terms| of the exact sum (u = 2⁻⁵³; the sums are held in double
/// whatever <typeparamref name="T"/> is), and the loss and gradient inherit that bound divided by Σ sᵢ, plus one
/// rounding to <typeparamref name="T"/>. Merging commutes bit for bit: a.Merge(b) and b.Merge(a) hold the same state
/// (IEEE addition commutes; it does not associate).
/// </para>
/// <para>
/// What is only within rounding: any other split of the rows, and any other merge order or tree. Each sum is then the
/// same terms added in another association; each side is within (N + 1)·u·Σ|terms| of the exact sum (u = 2⁻⁵³; the
/// sums are held in double whatever <typeparamref name="T"/> is), and the loss and gradient inherit that bound divided
/// by Σ sᵢ, plus one rounding to <typeparamref name="T"/>. Merging is commutative bit for bit: a.Merge(b) and b.Merge(a)
/// hold the same state (IEEE addition commutes; it does not associate).
/// </para>
/// <para>
/// Workers on other machines ship their state as bytes (<see cref="TryWriteBytes(Span{byte}, out int)"/>: a small
/// versioned, checksummed format, documented in docs/distributed.md) and one reducer merges them
/// (<see cref="Merge(ReadOnlySpan{byte})"/>, or <see cref="FromBytes(ReadOnlySpan{byte}, ReadOnlySpan{T}, T, LinearModelLossOptions)"/>).
/// The bytes round-trip bit for bit, so merging them is merging the accumulators.
/// </para>
/// <para>Memory: O(D), whatever the number of rows. An instance is not thread-safe: give each thread its own and merge them.</para>
/// </remarks>
/// <typeparam name="T">The element type of the data.</typeparam>
public sealed partial class LinearModelLossAccumulator<T>
    where T : IFloatingPointIeee754<T>
{
    private readonly T[] _weights;
    private readonly T _intercept;
    private readonly double _delta;
    private readonly double _l2Penalty;
    private readonly int _threads;
    private readonly FloatArithmetic _floatArithmetic;
    private readonly double[] _gradientSums;
    private readonly double[] _batch;
    private double _lossSum;
    private double _derivativeSum;
    private double _sampleWeightSum;

    private LinearModelLossAccumulator(LinearModelLossKind kind, ReadOnlySpan<T> weights, T intercept, double delta, double l2Penalty, int threads, FloatArithmetic floatArithmetic)
    {
        ThrowHelper.ThrowIfEmpty(weights.Length, nameof(weights));
        MeanSquaredError.ThrowIfSumsExceedAnArray(weights.Length);
        ThrowIfStateExceedsAnArray(weights.Length);
        Kind = kind;
        _weights = weights.ToArray();
        _intercept = intercept;
        _delta = delta;
        _l2Penalty = l2Penalty;
        _threads = threads;
        _floatArithmetic = floatArithmetic;
        _gradientSums = new double[weights.Length];
        _batch = new double[weights.Length];
    }

    /// <summary>An empty accumulator of the mean squared error of the model Xw + b (see <see cref="MeanSquaredError"/>).</summary>
    /// <param name="weights">w, length D ≥ 1 (copied).</param>
    /// <param name="intercept">b.</param>
    /// <param name="options">The ridge penalty (applied when the loss is read) and the threads each Add may use.</param>
    /// <returns>The accumulator.</returns>
    /// <exception cref="ArgumentException"><paramref name="weights"/> is empty, or so long that the state's bytes (72 + 8·D) would exceed the largest array.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public static LinearModelLossAccumulator<T> ForMeanSquaredError(ReadOnlySpan<T> weights, T intercept, MeanSquaredErrorOptions options)
    {
        options.Validate(nameof(options));
        return new(LinearModelLossKind.MeanSquaredError, weights, intercept, 0.0, options.L2Penalty, options.Threads, options.FloatArithmetic);
    }

    /// <summary>An empty accumulator of the logistic loss of the model Xw + b (see <see cref="LogisticLoss"/>).</summary>
    /// <param name="weights">w, length D ≥ 1 (copied).</param>
    /// <param name="intercept">b.</param>
    /// <param name="options">The ridge penalty (applied when the loss is read) and the threads each Add may use.</param>
    /// <returns>The accumulator.</returns>
    /// <exception cref="ArgumentException"><paramref name="weights"/> is empty, or so long that the state's bytes (72 + 8·D) would exceed the largest array.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public static LinearModelLossAccumulator<T> ForLogisticLoss(ReadOnlySpan<T> weights, T intercept, LinearModelLossOptions options)
    {
        options.Validate(nameof(options));
        return new(LinearModelLossKind.Logistic, weights, intercept, 0.0, options.L2Penalty, options.Threads, options.FloatArithmetic);
    }

    /// <summary>An empty accumulator of the Poisson loss of the model Xw + b (see <see cref="PoissonLoss"/>).</summary>
    /// <param name="weights">w, length D ≥ 1 (copied).</param>
    /// <param name="intercept">b.</param>
    /// <param name="options">The ridge penalty (applied when the loss is read) and the threads each Add may use.</param>
    /// <returns>The accumulator.</returns>
    /// <exception cref="ArgumentException"><paramref name="weights"/> is empty, or so long that the state's bytes (72 + 8·D) would exceed the largest array.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public static LinearModelLossAccumulator<T> ForPoissonLoss(ReadOnlySpan<T> weights, T intercept, LinearModelLossOptions options)
    {
        options.Validate(nameof(options));
        return new(LinearModelLossKind.Poisson, weights, intercept, 0.0, options.L2Penalty, options.Threads, options.FloatArithmetic);
    }

    /// <summary>An empty accumulator of the Huber loss of the model Xw + b (see <see cref="HuberLoss"/>).</summary>
    /// <param name="weights">w, length D ≥ 1 (copied).</param>
    /// <param name="intercept">b.</param>
    /// <param name="options">δ, the ridge penalty (applied when the loss is read) and the threads each Add may use.</param>
    /// <returns>The accumulator.</returns>
    /// <exception cref="ArgumentException"><paramref name="weights"/> is empty, or so long that the state's bytes (72 + 8·D) would exceed the largest array.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public static LinearModelLossAccumulator<T> ForHuberLoss(ReadOnlySpan<T> weights, T intercept, HuberLossOptions options)
    {
        options.Validate(nameof(options));
        return new(LinearModelLossKind.Huber, weights, intercept, options.Delta, options.L2Penalty, options.Common.Threads, options.FloatArithmetic);
    }

    /// <summary>
    /// The rows per chunk of the one-shot pass over <paramref name="rows"/> rows of <paramref name="dimension"/>
    /// features (a function of N and D only): add these chunks in order to reproduce the one-shot result bit for bit.
    /// </summary>
    /// <param name="rows">N ≥ 0.</param>
    /// <param name="dimension">D ≥ 1.</param>
    /// <returns>The rows per chunk (a multiple of 4, at least 16); the last chunk holds the rest.</returns>
    /// <exception cref="ArgumentOutOfRangeException">N is negative or D is not positive.</exception>
    public static int ChunkRows(int rows, int dimension)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(dimension);
        return FusedPass.ChunkRows(rows, dimension);
    }

    /// <summary>The loss this accumulator sums.</summary>
    public LinearModelLossKind Kind { get; }

    /// <summary>Huber's δ for <see cref="LinearModelLossKind.Huber"/>; 0 for the other losses.</summary>
    public double HuberDelta => _delta;

    /// <summary>D, the number of features per row.</summary>
    public int Dimension => _weights.Length;

    /// <summary>The number of rows accumulated so far.</summary>
    public long Count { get; private set; }

    /// <summary>Σ sᵢ over the rows so far (each row without a sample weight counts 1): the loss's normaliser.</summary>
    public double SumOfSampleWeights => _sampleWeightSum;

    /// <summary>Σ sᵢℓᵢ over the rows so far (Σ r² for the mean squared error).</summary>
    public double LossSum => _lossSum;

    /// <summary>Σ sᵢdᵢ over the rows so far, d = ∂ℓ/∂η up to the loss's scale (Σ r for the mean squared error).</summary>
    public double DerivativeSum => _derivativeSum;

    /// <summary>Copies Σ sᵢdᵢxᵢⱼ (j = 0…D−1) over the rows so far.</summary>
    /// <param name="destination">Length D.</param>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is not D long.</exception>
    public void CopyGradientSums(Span<double> destination)
    {
        ThrowHelper.ThrowIfLengthMismatch(destination.Length, Dimension, nameof(destination), "the accumulator's dimension D");
        _gradientSums.CopyTo(destination);
    }

    /// <summary>The derivative's scale c: the pointwise kernel's d is ∂ℓ/∂η / c (the mean squared error's d is r, ∂ℓ/∂η = 2r).</summary>
    private double DerivativeScale => Kind == LinearModelLossKind.MeanSquaredError ? 2.0 : 1.0;

    /// <summary>Accumulates a batch of rows, each of weight 1 (one fused pass over it; no allocation).</summary>
    /// <param name="features">The batch's rows, row-major: targets.Length × D elements.</param>
    /// <param name="targets">The batch's targets; may be empty.</param>
    /// <exception cref="ArgumentException"><paramref name="features"/> is not targets.Length × D long, a label is invalid for the loss (the message names its index in the batch and its value; the state is unchanged), or the row count would exceed <see cref="long.MaxValue"/>.</exception>
    public void Add(ReadOnlySpan<T> features, ReadOnlySpan<T> targets) => Add(features, targets, []);

    /// <summary>Accumulates a batch of rows with sample weights (one fused pass over it; no allocation).</summary>
    /// <param name="features">The batch's rows, row-major: targets.Length × D elements.</param>
    /// <param name="targets">The batch's targets; may be empty.</param>
    /// <param name="sampleWeights">Empty (every row weighs 1), or one finite weight ≥ 0 per row (0 or at least 2⁻¹⁰²²: subnormal weights are rejected).</param>
    /// <exception cref="ArgumentException"><paramref name="features"/> is not targets.Length × D long, <paramref name="sampleWeights"/> has another length or a weight that is negative, not finite or subnormal, a label is invalid for the loss (the message names its index in the batch and its value), or the row count would exceed <see cref="long.MaxValue"/>. The state is unchanged.</exception>
    public void Add(ReadOnlySpan<T> features, ReadOnlySpan<T> targets, ReadOnlySpan<T> sampleWeights)
    {
        AccumulatorBatch.Validate(features.Length, targets.Length, Dimension, sampleWeights.Length, "targets.Length (N)");

        AddRows(features, targets, sampleWeights);
    }

    /// <summary>
    /// Accumulates rows <paramref name="start"/>…<paramref name="start"/> + <paramref name="count"/> − 1 of a data set
    /// held whole (X, y and the sample weights of all its N rows): the pass over them may read the rows that follow,
    /// as the one-shot call's pass over one of its chunks does, so the one-shot call's chunks added this way give its
    /// result bit for bit for every D (see the remarks of <see cref="LinearModelLossAccumulator{T}"/>).
    /// </summary>
    /// <param name="features">X of the whole data set, row-major: targets.Length × D elements.</param>
    /// <param name="targets">y of the whole data set (N).</param>
    /// <param name="sampleWeights">Empty (every row weighs 1), or one finite weight ≥ 0 per row (0 or at least 2⁻¹⁰²²: subnormal weights are rejected) of the data set.</param>
    /// <param name="start">The first row to add.</param>
    /// <param name="count">How many rows to add.</param>
    /// <exception cref="ArgumentException"><paramref name="features"/> is not targets.Length × D long, <paramref name="sampleWeights"/> has another length or (among the rows added) a weight that is negative, not finite or subnormal, a label is invalid for the loss (the message names its index in the range), or the row count would exceed <see cref="long.MaxValue"/>. The state is unchanged.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="start"/> or <paramref name="count"/> is negative, or the range passes the last row.</exception>
    public void Add(ReadOnlySpan<T> features, ReadOnlySpan<T> targets, ReadOnlySpan<T> sampleWeights, int start, int count)
    {
        AccumulatorBatch.Validate(features.Length, targets.Length, Dimension, sampleWeights.Length, "targets.Length (N)");

        AccumulatorBatch.ValidateRange(start, count, targets.Length);

        AddRows(features[(start * Dimension)..], targets.Slice(start, count), sampleWeights.IsEmpty ? [] : sampleWeights.Slice(start, count));
    }

    /// <summary>Adds the rows of <paramref name="targets"/>; <paramref name="features"/> starts at their first row and may run past their last.</summary>
    private void AddRows(ReadOnlySpan<T> features, ReadOnlySpan<T> targets, ReadOnlySpan<T> sampleWeights)
    {
        if (targets.IsEmpty)
        {
            return;
        }

        var count = CheckedCount(Count, targets.Length, nameof(targets));
        var weightSum = _sampleWeightSum;
        if (sampleWeights.IsEmpty)
        {
            weightSum += targets.Length;
        }
        else
        {
            // One by one onto the running sum, in row order: the one-shot call's Σ sᵢ is this loop from 0.
            for (var i = 0; i < sampleWeights.Length; i++)
            {
                var s = double.CreateTruncating(sampleWeights[i]);
                if (!LinearModelLoss.IsValidSampleWeight(s))
                {
                    LinearModelLoss.ThrowInvalidSampleWeight(i, s);
                }

                weightSum += s;
            }
        }

        var sums = Kind switch
        {
            LinearModelLossKind.MeanSquaredError => Run(default(SquaredResidual), features, targets, sampleWeights),
            LinearModelLossKind.Logistic => Run(default(BinomialLogLikelihood), features, targets, sampleWeights),
            LinearModelLossKind.Poisson => Run(default(PoissonLogLikelihood), features, targets, sampleWeights),
            _ => Run(new HuberResidual(_delta), features, targets, sampleWeights),
        };

        // The fold of FusedPass.Fold: the state is the running total of the one-shot pass.
        Count = count;
        _sampleWeightSum = weightSum;
        _lossSum += sums.LossSum;
        _derivativeSum += sums.DerivativeSum;
        TensorPrimitives.Add(_gradientSums, _batch, _gradientSums);
    }

    /// <summary>Runs the fused pass over a batch into <see cref="_batch"/>; throws on an invalid label before the state changes.</summary>
    private ChunkSums Run<TLoss>(TLoss loss, ReadOnlySpan<T> features, ReadOnlySpan<T> targets, ReadOnlySpan<T> sampleWeights)
        where TLoss : struct, IPointwiseLoss
    {
        var bias = double.CreateTruncating(_intercept);
        if (typeof(T) == typeof(double))
        {
            return Run<double, DoubleElements, TLoss>(
                loss, FusedPass.Reinterpret<T, double>(features), FusedPass.Reinterpret<T, double>(targets),
                FusedPass.Reinterpret<T, double>(_weights), bias, FusedPass.Reinterpret<T, double>(sampleWeights));
        }

        if (typeof(T) == typeof(float))
        {
            return _floatArithmetic == FloatArithmetic.Fast
                ? Run<float, FastSingleElements, TLoss>(
                    loss, FusedPass.Reinterpret<T, float>(features), FusedPass.Reinterpret<T, float>(targets),
                    FusedPass.Reinterpret<T, float>(_weights), bias, FusedPass.Reinterpret<T, float>(sampleWeights))
                : Run<float, SingleElements, TLoss>(
                    loss, FusedPass.Reinterpret<T, float>(features), FusedPass.Reinterpret<T, float>(targets),
                    FusedPass.Reinterpret<T, float>(_weights), bias, FusedPass.Reinterpret<T, float>(sampleWeights));
        }

        return Run<T, GenericElements<T>, TLoss>(loss, features, targets, _weights, bias, sampleWeights);
    }

    private ChunkSums Run<TElement, TLanes, TLoss>(
        TLoss loss, ReadOnlySpan<TElement> features, ReadOnlySpan<TElement> targets, ReadOnlySpan<TElement> weights, double bias, ReadOnlySpan<TElement> sampleWeights)
        where TLanes : struct, IDoubleLanes<TElement>
        where TLoss : struct, IPointwiseLoss
    {
        var sums = sampleWeights.IsEmpty
            ? FusedPass.Run<TElement, TLanes, TLoss, Unweighted>(features, targets, weights, bias, _batch, [], _threads, loss, [])
            : FusedPass.Run<TElement, TLanes, TLoss, Weighted>(features, targets, weights, bias, _batch, [], _threads, loss, sampleWeights);
        if (TLoss.ChecksLabels && sums.HasInvalidLabel)
        {
            LinearModelLoss.ThrowInvalidLabel<TElement, TLanes, TLoss>(targets, loss);
        }

        return sums;
    }

    /// <summary>Adds another accumulator's rows to this one (the other is unchanged; it may be this one).</summary>
    /// <param name="other">An accumulator of the same loss (and δ) at the same weights and intercept, compared bit for bit as the byte format's fingerprint compares them (a NaN weight matches itself; −0 does not match +0).</param>
    /// <exception cref="ArgumentException">The loss, δ, the weights or the intercept differ, or the merged row count would exceed <see cref="long.MaxValue"/>.</exception>
    public void Merge(LinearModelLossAccumulator<T> other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other.Kind != Kind || !other._delta.Equals(_delta))
        {
            ThrowHelper.ThrowArgument(
                $"'{nameof(other)}' accumulates the {other.Kind} loss{DeltaText(other.Kind, other._delta)}; this accumulator the {Kind} loss{DeltaText(Kind, _delta)}: only states of the same loss merge.",
                nameof(other));
        }

        if (!SamePoint(other))
        {
            ThrowHelper.ThrowArgument(
                $"'{nameof(other)}' accumulates at other weights or another intercept (D = {other.Dimension}, this D = {Dimension}; compared bit for bit); only states at the same point merge.",
                nameof(other));
        }

        MergeSums(other.Count, other._sampleWeightSum, other._lossSum, other._derivativeSum, other._gradientSums, nameof(other));
    }

    /// <summary>
    /// Whether <paramref name="other"/> holds the same weights and intercept bit for bit, as the byte format's
    /// fingerprint compares them: a NaN weight is the same point as itself, and −0 is not +0.
    /// </summary>
    private bool SamePoint(LinearModelLossAccumulator<T> other)
    {
        if (other._weights.Length != _weights.Length || !SameBits(_intercept, other._intercept))
        {
            return false;
        }

        for (var j = 0; j < _weights.Length; j++)
        {
            if (!SameBits(_weights[j], other._weights[j]))
            {
                return false;
            }
        }

        return true;

        static bool SameBits(T a, T b) =>
            BitConverter.DoubleToInt64Bits(double.CreateTruncating(a)) == BitConverter.DoubleToInt64Bits(double.CreateTruncating(b));
    }

    /// <summary>Adds a state's sums (already checked to belong to this loss and point).</summary>
    internal void MergeSums(long count, double sampleWeightSum, double lossSum, double derivativeSum, ReadOnlySpan<double> gradientSums, string paramName)
    {
        Count = CheckedCount(Count, count, paramName);
        _sampleWeightSum += sampleWeightSum;
        _lossSum += lossSum;
        _derivativeSum += derivativeSum;
        TensorPrimitives.Add(_gradientSums, gradientSums, _gradientSums);
    }

    /// <summary>Forgets every row, keeping the loss, the weights and the options.</summary>
    public void Reset()
    {
        Count = 0;
        _sampleWeightSum = _lossSum = _derivativeSum = 0.0;
        Array.Clear(_gradientSums);
    }

    /// <summary>The loss Σ sᵢℓᵢ / Σ sᵢ + λ‖w‖² over the rows so far.</summary>
    /// <returns>The loss.</returns>
    /// <exception cref="InvalidOperationException">No rows were added, or their sample weights sum to 0.</exception>
    public T Loss() => T.CreateTruncating(LossValue(Normaliser()));

    /// <summary>The loss and the gradient with respect to w over the rows so far.</summary>
    /// <param name="gradient">Receives Σ sᵢ(∂ℓᵢ/∂η)xᵢ / Σ sᵢ + 2λw, length D.</param>
    /// <returns>The loss.</returns>
    /// <exception cref="ArgumentException"><paramref name="gradient"/> is not D long.</exception>
    /// <exception cref="InvalidOperationException">No rows were added, or their sample weights sum to 0.</exception>
    public T LossAndGradient(Span<T> gradient) => LossAndGradient(gradient, out _);

    /// <summary>The loss and the gradients with respect to w and the intercept over the rows so far.</summary>
    /// <param name="gradient">Receives Σ sᵢ(∂ℓᵢ/∂η)xᵢ / Σ sᵢ + 2λw, length D.</param>
    /// <param name="interceptGradient">Receives Σ sᵢ(∂ℓᵢ/∂η) / Σ sᵢ.</param>
    /// <returns>The loss.</returns>
    /// <exception cref="ArgumentException"><paramref name="gradient"/> is not D long.</exception>
    /// <exception cref="InvalidOperationException">No rows were added, or their sample weights sum to 0.</exception>
    public T LossAndGradient(Span<T> gradient, out T interceptGradient)
    {
        ThrowHelper.ThrowIfLengthMismatch(gradient.Length, Dimension, nameof(gradient), "the accumulator's dimension D");
        var normaliser = Normaliser();

        // The one-shot call's arithmetic (LinearModelLoss.Evaluate, MeanSquaredError.Evaluate): divide by S / c (one
        // rounding; c = 2 for the mean squared error, so S/2 is exact), the loss by (S / c)·c; float results multiply by
        // the reciprocals instead, as the one-shot call does (FloatResults).
        var scaled = normaliser / DerivativeScale;
        var inverse = FloatResults.Reciprocal<T>(scaled);
        var lambda = _l2Penalty;
        for (var j = 0; j < gradient.Length; j++)
        {
            var value = FloatResults.Divide<T>(_gradientSums[j], scaled, inverse);
            if (lambda != 0.0)
            {
                value += 2.0 * lambda * double.CreateTruncating(_weights[j]);
            }

            gradient[j] = T.CreateTruncating(value);
        }

        interceptGradient = T.CreateTruncating(FloatResults.Divide<T>(_derivativeSum, scaled, inverse));
        return T.CreateTruncating(LossValue(normaliser));
    }

    private double Normaliser()
    {
        if (Count == 0)
        {
            throw new InvalidOperationException("The accumulator holds no rows yet; Add a batch or Merge a state first.");
        }

        if (!(_sampleWeightSum > 0.0 && double.IsFinite(_sampleWeightSum)))
        {
            throw new InvalidOperationException($"The sample weights of the {Count} rows sum to {_sampleWeightSum}; the sum must be positive and finite.");
        }

        return _sampleWeightSum;
    }

    private double LossValue(double normaliser)
    {
        var divisor = normaliser / DerivativeScale * DerivativeScale;
        var loss = FloatResults.Divide<T>(_lossSum, divisor, FloatResults.Reciprocal<T>(divisor));
        if (_l2Penalty != 0.0)
        {
            var norm = 0.0;
            foreach (var w in _weights)
            {
                var value = double.CreateTruncating(w);
                norm += value * value;
            }

            loss += _l2Penalty * norm;
        }

        return loss;
    }

    private static string DeltaText(LinearModelLossKind kind, double delta) =>
        kind == LinearModelLossKind.Huber ? FormattableString.Invariant($" (δ = {delta})") : string.Empty;

    /// <summary>A count plus <paramref name="added"/> rows; an overflow is an argument error, not a negative count.</summary>
    private static long CheckedCount(long count, long added, string paramName)
    {
        if (added > long.MaxValue - count)
        {
            ThrowHelper.ThrowArgument(
                $"Merging {added} rows ('{paramName}') into an accumulator of {count} rows would exceed long.MaxValue = {long.MaxValue} rows.",
                paramName);
        }

        return count + added;
    }
}
