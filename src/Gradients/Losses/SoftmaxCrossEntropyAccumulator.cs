using System.Numerics;

namespace Gradients;

/// <summary>
/// The softmax cross-entropy and its gradient of a linear model with K classes at fixed weights W (D×K) and
/// intercepts b (K), accumulated over row batches that arrive one after another and mergeable with other
/// accumulators (of other threads, processes or machines) — the streaming form of
/// <see cref="SoftmaxCrossEntropy.LossAndGradient{T}(ReadOnlySpan{T}, ReadOnlySpan{int}, ReadOnlySpan{T}, ReadOnlySpan{T}, Span{T}, Span{T}, ReadOnlySpan{T}, LinearModelLossOptions)"/>.
/// The state is the row count, Σ sᵢ, Σ sᵢℓᵢ, the K sums Σ sᵢdᵢ and the D×K sums Σ sᵢxᵢdᵢᵀ (d = softmax(η) − onehot(y)), which add.
/// </summary>
/// <remarks>
/// <para>
/// The guarantees of <see cref="LinearModelLossAccumulator{T}"/>, for the softmax pass: a batch's sums are formed by
/// the one-shot pass's own kernel and folded into the state as that pass folds one of its row chunks (state += chunk,
/// in double). Hence one <see cref="Add(ReadOnlySpan{T}, ReadOnlySpan{int})"/> of all N rows, and the one-shot
/// call's own chunks — rows [k·c, (k+1)·c) with c = <see cref="ChunkRows(int, int)"/>(N, D) — added in order, to one
/// accumulator or each to its own and merged into a running one in chunk order, give the one-shot loss, gradient and
/// intercept gradient bit for bit (while each chunk is one chunk of a pass over itself: N ≤ 1024·ChunkRows(c, D)).
/// The softmax kernel reads no element past a batch's last row, so a chunk in its own buffer gives the same bits as
/// the row-range <see cref="Add(ReadOnlySpan{T}, ReadOnlySpan{int}, ReadOnlySpan{T}, int, int)"/>.
/// Sample weights are summed one by one onto the running Σ sᵢ, in row order, as the one-shot call sums them.
/// </para>
/// <para>
/// Any other split of the rows, or any other merge order or tree, is within rounding: each sum is the same terms
/// added in another association, within (N + 1)·u·Σ|terms| of the exact sum (u = 2⁻⁵³; the sums are held in double
/// whatever <typeparamref name="T"/> is). Merging commutes bit for bit.
/// </para>
/// <para>
/// The state as bytes (<see cref="TryWriteBytes(Span{byte}, out int)"/>) is format version 2 of the accumulator
/// states (docs/distributed.md): version 1's header with loss kind 5, then the D×K gradient sums and the K intercept
/// sums. <see cref="LinearModelLossAccumulator{T}"/> keeps writing and reading version 1.
/// </para>
/// <para>Memory: O(D·K), whatever the number of rows. An instance is not thread-safe: give each thread its own and merge them.</para>
/// </remarks>
/// <typeparam name="T">The element type of the data.</typeparam>
public sealed partial class SoftmaxCrossEntropyAccumulator<T>
    where T : IFloatingPointIeee754<T>
{
    private readonly T[] _weights;
    private readonly T[] _intercepts;
    private readonly double _l2Penalty;
    private readonly int _threads;

    /// <summary>W (D×Kp) and b (Kp) padded as the pass reads them, then the batch's gradient (D×Kp) and intercept (Kp) sums.</summary>
    private readonly double[] _pass;
    private readonly double _norm;
    private readonly double[] _gradientSums;
    private readonly double[] _interceptSums;
    private double _lossSum;
    private double _sampleWeightSum;

    /// <summary>An empty accumulator of the softmax cross-entropy of the model xᵀW + b.</summary>
    /// <param name="weights">W, D×K row-major (copied); D = weights.Length / K.</param>
    /// <param name="intercepts">b: empty (no intercept) or length K (copied).</param>
    /// <param name="classes">K ≥ 1, the number of classes.</param>
    /// <param name="options">The ridge penalty (applied when the loss is read) and the threads each Add may use.</param>
    /// <exception cref="ArgumentException"><paramref name="weights"/> is empty or not a multiple of K long, <paramref name="intercepts"/> is neither empty nor K long, or D×K is too large for the pass's sums.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="classes"/> is not positive, or an option is out of range.</exception>
    public SoftmaxCrossEntropyAccumulator(ReadOnlySpan<T> weights, ReadOnlySpan<T> intercepts, int classes, LinearModelLossOptions options)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(classes);
        ThrowHelper.ThrowIfEmpty(weights.Length, nameof(weights));
        if (weights.Length % classes != 0)
        {
            ThrowHelper.ThrowArgument($"'weights' has length {weights.Length}, which is not a multiple of K = {classes} (classes): W is D×K.", nameof(weights));
        }

        if (!intercepts.IsEmpty)
        {
            ThrowHelper.ThrowIfLengthMismatch(intercepts.Length, classes, nameof(intercepts), "K (classes)");
        }

        options.Validate(nameof(options));
        var dimension = weights.Length / classes;
        var kp = SoftmaxPass.PaddedClasses(classes);
        var longSize = 2 * (((long)dimension * kp) + kp);
        if (longSize > Array.MaxLength)
        {
            ThrowHelper.ThrowArgument(
                $"'weights' has length D×K = {dimension}×{classes}: the pass needs 2·D·Kp + 2·Kp = {longSize} double sums (Kp = {kp}, K padded to whole vectors) in one array, more than the largest array holds (Array.MaxLength = {Array.MaxLength}).",
                nameof(weights));
        }

        Dimension = dimension;
        Classes = classes;
        _weights = weights.ToArray();
        _intercepts = new T[classes];
        intercepts.CopyTo(_intercepts);
        _l2Penalty = options.L2Penalty;
        _threads = options.Threads;
        _pass = new double[longSize];
        _norm = PadWeights();
        _gradientSums = new double[weights.Length];
        _interceptSums = new double[classes];
    }

    /// <summary>
    /// The rows per chunk of the one-shot pass over <paramref name="rows"/> rows of <paramref name="dimension"/>
    /// features (a function of N and D only, the same as <see cref="LinearModelLossAccumulator{T}.ChunkRows(int, int)"/>):
    /// add these chunks in order to reproduce the one-shot result bit for bit.
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

    /// <summary>D, the number of features per row.</summary>
    public int Dimension { get; }

    /// <summary>K, the number of classes.</summary>
    public int Classes { get; }

    /// <summary>The number of rows accumulated so far.</summary>
    public long Count { get; private set; }

    /// <summary>Σ sᵢ over the rows so far (each row without a sample weight counts 1): the loss's normaliser.</summary>
    public double SumOfSampleWeights => _sampleWeightSum;

    /// <summary>Σ sᵢℓᵢ over the rows so far, ℓᵢ = logsumexp(ηᵢ) − ηᵢ,yᵢ.</summary>
    public double LossSum => _lossSum;

    /// <summary>Copies Σ sᵢxᵢⱼdᵢₖ (D×K, row-major) over the rows so far.</summary>
    /// <param name="destination">Length D×K.</param>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is not D×K long.</exception>
    public void CopyGradientSums(Span<double> destination)
    {
        ThrowHelper.ThrowIfLengthMismatch(destination.Length, _gradientSums.Length, nameof(destination), "the accumulator's D×K");
        _gradientSums.CopyTo(destination);
    }

    /// <summary>Copies Σ sᵢdᵢₖ (k = 0…K−1) over the rows so far: the intercepts' gradient sums.</summary>
    /// <param name="destination">Length K.</param>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is not K long.</exception>
    public void CopyInterceptSums(Span<double> destination)
    {
        ThrowHelper.ThrowIfLengthMismatch(destination.Length, Classes, nameof(destination), "the accumulator's K");
        _interceptSums.CopyTo(destination);
    }

    /// <summary>Accumulates a batch of rows, each of weight 1 (one fused pass over it; no allocation).</summary>
    /// <param name="features">The batch's rows, row-major: labels.Length × D elements.</param>
    /// <param name="labels">The batch's class labels, each in 0…K−1; may be empty.</param>
    /// <exception cref="ArgumentException"><paramref name="features"/> is not labels.Length × D long, a label is outside 0…K−1 (the message names its index in the batch and its value; the state is unchanged), or the row count would exceed <see cref="long.MaxValue"/>.</exception>
    public void Add(ReadOnlySpan<T> features, ReadOnlySpan<int> labels) => Add(features, labels, []);

    /// <summary>Accumulates a batch of rows with sample weights (one fused pass over it; no allocation).</summary>
    /// <param name="features">The batch's rows, row-major: labels.Length × D elements.</param>
    /// <param name="labels">The batch's class labels, each in 0…K−1; may be empty.</param>
    /// <param name="sampleWeights">Empty (every row weighs 1), or one finite weight ≥ 0 per row (0 or at least 2⁻¹⁰²²: subnormal weights are rejected).</param>
    /// <exception cref="ArgumentException"><paramref name="features"/> is not labels.Length × D long, <paramref name="sampleWeights"/> has another length or a weight that is negative, not finite or subnormal, a label is outside 0…K−1 (the message names its index in the batch and its value), or the row count would exceed <see cref="long.MaxValue"/>. The state is unchanged.</exception>
    public void Add(ReadOnlySpan<T> features, ReadOnlySpan<int> labels, ReadOnlySpan<T> sampleWeights)
    {
        AccumulatorBatch.Validate(features.Length, labels.Length, Dimension, sampleWeights.Length, "labels.Length (N)");

        AddRows(features, labels, sampleWeights);
    }

    /// <summary>
    /// Accumulates rows <paramref name="start"/>…<paramref name="start"/> + <paramref name="count"/> − 1 of a data set
    /// held whole (X, y and the sample weights of all its N rows): the one-shot call's chunks added this way give its
    /// result bit for bit (see the remarks of <see cref="SoftmaxCrossEntropyAccumulator{T}"/>).
    /// </summary>
    /// <param name="features">X of the whole data set, row-major: labels.Length × D elements.</param>
    /// <param name="labels">y of the whole data set (N).</param>
    /// <param name="sampleWeights">Empty (every row weighs 1), or one finite weight ≥ 0 per row (0 or at least 2⁻¹⁰²²: subnormal weights are rejected) of the data set.</param>
    /// <param name="start">The first row to add.</param>
    /// <param name="count">How many rows to add.</param>
    /// <exception cref="ArgumentException"><paramref name="features"/> is not labels.Length × D long, <paramref name="sampleWeights"/> has another length or (among the rows added) a weight that is negative, not finite or subnormal, a label is outside 0…K−1 (the message names its index in the range), or the row count would exceed <see cref="long.MaxValue"/>. The state is unchanged.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="start"/> or <paramref name="count"/> is negative, or the range passes the last row.</exception>
    public void Add(ReadOnlySpan<T> features, ReadOnlySpan<int> labels, ReadOnlySpan<T> sampleWeights, int start, int count)
    {
        AccumulatorBatch.Validate(features.Length, labels.Length, Dimension, sampleWeights.Length, "labels.Length (N)");

        AccumulatorBatch.ValidateRange(start, count, labels.Length);

        AddRows(features.Slice(start * Dimension, count * Dimension), labels.Slice(start, count), sampleWeights.IsEmpty ? [] : sampleWeights.Slice(start, count));
    }

    private void AddRows(ReadOnlySpan<T> features, ReadOnlySpan<int> labels, ReadOnlySpan<T> sampleWeights)
    {
        if (labels.IsEmpty)
        {
            return;
        }

        var count = CheckedCount(Count, labels.Length, nameof(labels));
        var weightSum = _sampleWeightSum;
        if (sampleWeights.IsEmpty)
        {
            weightSum += labels.Length;
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

        var kp = SoftmaxPass.PaddedClasses(Classes);
        var padded = Dimension * kp;
        var batchGradient = _pass.AsSpan(padded + kp, padded);
        var batchIntercept = _pass.AsSpan((2 * padded) + kp, kp);
        var lossSum = Run(features, labels, sampleWeights, batchGradient, batchIntercept);

        // The fold of SoftmaxPass.Fold: the state is the running total of the one-shot pass (its padded lanes dropped).
        Count = count;
        _sampleWeightSum = weightSum;
        _lossSum += lossSum;
        for (var j = 0; j < Dimension; j++)
        {
            var row = _gradientSums.AsSpan(j * Classes, Classes);
            System.Numerics.Tensors.TensorPrimitives.Add(row, batchGradient.Slice(j * kp, Classes), row);
        }

        System.Numerics.Tensors.TensorPrimitives.Add(_interceptSums, batchIntercept[..Classes], _interceptSums);
    }

    /// <summary>Runs the softmax pass over a batch; throws on an invalid label before the state changes.</summary>
    private double Run(ReadOnlySpan<T> features, ReadOnlySpan<int> labels, ReadOnlySpan<T> sampleWeights, Span<double> gradientSums, Span<double> interceptSums)
    {
        var kp = SoftmaxPass.PaddedClasses(Classes);
        var paddedWeights = _pass.AsSpan(0, Dimension * kp);
        var paddedIntercepts = _pass.AsSpan(Dimension * kp, kp);
        SoftmaxPass.Sums sums;
        if (typeof(T) == typeof(double))
        {
            sums = SoftmaxPass.Run<double, DoubleElements>(
                FusedPass.Reinterpret<T, double>(features), labels, paddedWeights, paddedIntercepts, Dimension, Classes,
                FusedPass.Reinterpret<T, double>(sampleWeights), gradientSums, interceptSums, _threads);
        }
        else if (typeof(T) == typeof(float))
        {
            sums = SoftmaxPass.Run<float, SingleElements>(
                FusedPass.Reinterpret<T, float>(features), labels, paddedWeights, paddedIntercepts, Dimension, Classes,
                FusedPass.Reinterpret<T, float>(sampleWeights), gradientSums, interceptSums, _threads);
        }
        else
        {
            sums = SoftmaxPass.Run<T, GenericElements<T>>(features, labels, paddedWeights, paddedIntercepts, Dimension, Classes, sampleWeights, gradientSums, interceptSums, _threads);
        }

        if (sums.HasInvalidLabel)
        {
            SoftmaxCrossEntropy.ThrowInvalidLabel(labels, Classes);
        }

        return sums.Loss;
    }

    /// <summary>Fills the padded W and b of the pass; returns ‖W‖² as the one-shot call forms it.</summary>
    private double PadWeights()
    {
        var kp = SoftmaxPass.PaddedClasses(Classes);
        var paddedWeights = _pass.AsSpan(0, Dimension * kp);
        var paddedIntercepts = _pass.AsSpan(Dimension * kp, kp);
        if (typeof(T) == typeof(double))
        {
            return SoftmaxPass.PadWeights<double, DoubleElements>(
                FusedPass.Reinterpret<T, double>(_weights), FusedPass.Reinterpret<T, double>(_intercepts), Dimension, Classes, paddedWeights, paddedIntercepts);
        }

        if (typeof(T) == typeof(float))
        {
            return SoftmaxPass.PadWeights<float, SingleElements>(
                FusedPass.Reinterpret<T, float>(_weights), FusedPass.Reinterpret<T, float>(_intercepts), Dimension, Classes, paddedWeights, paddedIntercepts);
        }

        return SoftmaxPass.PadWeights<T, GenericElements<T>>(_weights, _intercepts, Dimension, Classes, paddedWeights, paddedIntercepts);
    }

    /// <summary>Adds another accumulator's rows to this one (the other is unchanged; it may be this one).</summary>
    /// <param name="other">An accumulator at the same weights and intercepts (hence the same D and K).</param>
    /// <exception cref="ArgumentException">D, K, the weights or the intercepts differ, or the merged row count would exceed <see cref="long.MaxValue"/>.</exception>
    public void Merge(SoftmaxCrossEntropyAccumulator<T> other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other.Dimension != Dimension || other.Classes != Classes)
        {
            ThrowHelper.ThrowArgument(
                $"'{nameof(other)}' accumulates D = {other.Dimension}, K = {other.Classes}; this accumulator D = {Dimension}, K = {Classes}: only states at the same point merge.",
                nameof(other));
        }

        if (!_weights.AsSpan().SequenceEqual(other._weights) || !_intercepts.AsSpan().SequenceEqual(other._intercepts))
        {
            ThrowHelper.ThrowArgument(
                $"'{nameof(other)}' accumulates at other weights or other intercepts (D = {Dimension}, K = {Classes} match); only states at the same point merge.",
                nameof(other));
        }

        MergeSums(other.Count, other._sampleWeightSum, other._lossSum, other._gradientSums, other._interceptSums, nameof(other));
    }

    private void MergeSums(long count, double sampleWeightSum, double lossSum, ReadOnlySpan<double> gradientSums, ReadOnlySpan<double> interceptSums, string paramName)
    {
        Count = CheckedCount(Count, count, paramName);
        _sampleWeightSum += sampleWeightSum;
        _lossSum += lossSum;
        System.Numerics.Tensors.TensorPrimitives.Add(_gradientSums, gradientSums, _gradientSums);
        System.Numerics.Tensors.TensorPrimitives.Add(_interceptSums, interceptSums, _interceptSums);
    }

    /// <summary>Forgets every row, keeping the weights, intercepts and options.</summary>
    public void Reset()
    {
        Count = 0;
        _sampleWeightSum = _lossSum = 0.0;
        Array.Clear(_gradientSums);
        Array.Clear(_interceptSums);
    }

    /// <summary>The loss Σ sᵢℓᵢ / Σ sᵢ + λ‖W‖² over the rows so far.</summary>
    /// <returns>The loss.</returns>
    /// <exception cref="InvalidOperationException">No rows were added, or their sample weights sum to 0.</exception>
    public T Loss() => T.CreateTruncating(LossValue(Normaliser()));

    /// <summary>The loss and the gradient with respect to W over the rows so far.</summary>
    /// <param name="gradient">Receives Σ sᵢxᵢdᵢᵀ / Σ sᵢ + 2λW, D×K row-major.</param>
    /// <returns>The loss.</returns>
    /// <exception cref="ArgumentException"><paramref name="gradient"/> is not D×K long.</exception>
    /// <exception cref="InvalidOperationException">No rows were added, or their sample weights sum to 0.</exception>
    public T LossAndGradient(Span<T> gradient) => LossAndGradient(gradient, []);

    /// <summary>The loss and the gradients with respect to W and b over the rows so far.</summary>
    /// <param name="gradient">Receives Σ sᵢxᵢdᵢᵀ / Σ sᵢ + 2λW, D×K row-major.</param>
    /// <param name="interceptGradient">Empty, or length K: receives Σ sᵢdᵢ / Σ sᵢ (not penalized).</param>
    /// <returns>The loss.</returns>
    /// <exception cref="ArgumentException"><paramref name="gradient"/> is not D×K long, <paramref name="interceptGradient"/> is neither empty nor K long, or the two overlap.</exception>
    /// <exception cref="InvalidOperationException">No rows were added, or their sample weights sum to 0.</exception>
    public T LossAndGradient(Span<T> gradient, Span<T> interceptGradient)
    {
        ThrowHelper.ThrowIfLengthMismatch(gradient.Length, _gradientSums.Length, nameof(gradient), "the accumulator's D×K");
        if (!interceptGradient.IsEmpty)
        {
            ThrowHelper.ThrowIfLengthMismatch(interceptGradient.Length, Classes, nameof(interceptGradient), "the accumulator's K");
            ThrowHelper.ThrowIfOverlapping<T>(gradient, interceptGradient, nameof(gradient), nameof(interceptGradient));
        }

        var normaliser = Normaliser();

        // The one-shot call's arithmetic (SoftmaxCrossEntropy.Evaluate): each sum divided by S, then 2λw added.
        var lambda = _l2Penalty;
        for (var j = 0; j < gradient.Length; j++)
        {
            var value = _gradientSums[j] / normaliser;
            if (lambda != 0.0)
            {
                value += 2.0 * lambda * double.CreateTruncating(_weights[j]);
            }

            gradient[j] = T.CreateTruncating(value);
        }

        for (var k = 0; k < interceptGradient.Length; k++)
        {
            interceptGradient[k] = T.CreateTruncating(_interceptSums[k] / normaliser);
        }

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

    private double LossValue(double normaliser) => (_lossSum / normaliser) + (_l2Penalty * _norm);

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
