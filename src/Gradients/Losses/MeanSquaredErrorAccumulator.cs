using System.Numerics;

namespace Gradients;

/// <summary>
/// The MSE loss and gradient at fixed weights, accumulated over row batches that arrive one after another,
/// and mergeable with other accumulators: the state is the row count, Σr², Σr and Σ r·x, which add.
/// After any split of the rows into batches (and any merge order) the result equals the one-shot
/// <see cref="MeanSquaredError.LossAndGradient{T}(ReadOnlySpan{T}, ReadOnlySpan{T}, ReadOnlySpan{T}, T, Span{T}, out T, Span{T}, MeanSquaredErrorOptions)"/>
/// up to rounding, and bit for bit when the batches are the one-shot call's row chunks (see
/// <see cref="LinearModelLossAccumulator{T}"/>, of which this type is the mean squared error's face: the same state, the same arithmetic).
/// </summary>
/// <remarks>
/// <para>
/// Data that arrive in chunks: create one accumulator per evaluation point w, <see cref="Add"/> each batch, then
/// read <see cref="LossAndGradient(Span{T}, out T)"/>. Memory: O(D), whatever the number of rows.
/// </para>
/// <para>
/// Data that live on several machines (how a distributed engine — a map-reduce job, Spark's
/// <c>treeAggregate</c>, an MPI all-reduce — would use it): broadcast w; each worker creates an accumulator with
/// the same w and intercept, adds its shard, and ships its state (<see cref="Count"/>,
/// <see cref="SumOfSquaredResiduals"/>, <see cref="SumOfResiduals"/> and <see cref="CopyResidualFeatureSums"/>,
/// D + 3 numbers) to a reducer; the reducer merges the states with
/// <see cref="Merge(long, double, double, ReadOnlySpan{double})"/> in any tree shape and reads the loss and
/// gradient. Within one process, <see cref="Merge(MeanSquaredErrorAccumulator{T})"/> does the same.
/// </para>
/// <para>An instance is not thread-safe: give each thread its own and merge them.</para>
/// </remarks>
/// <typeparam name="T">The element type of the data.</typeparam>
public sealed class MeanSquaredErrorAccumulator<T>
    where T : IFloatingPointIeee754<T>
{
    private readonly LinearModelLossAccumulator<T> _state;

    /// <summary>An empty accumulator for the model Xw (no intercept, no penalty, one thread).</summary>
    /// <param name="weights">w, length D ≥ 1 (copied).</param>
    /// <exception cref="ArgumentException"><paramref name="weights"/> is empty, or so long that the state's bytes (72 + 8·D) would exceed the largest array.</exception>
    public MeanSquaredErrorAccumulator(ReadOnlySpan<T> weights)
        : this(weights, T.Zero, default)
    {
    }

    /// <summary>An empty accumulator for the model Xw + b.</summary>
    /// <param name="weights">w, length D ≥ 1 (copied).</param>
    /// <param name="intercept">b.</param>
    /// <param name="options">The ridge penalty (applied when the loss is read) and the threads each <see cref="Add"/> may use.</param>
    /// <exception cref="ArgumentException"><paramref name="weights"/> is empty, or so long that the state's bytes (72 + 8·D) would exceed the largest array.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public MeanSquaredErrorAccumulator(ReadOnlySpan<T> weights, T intercept, MeanSquaredErrorOptions options)
    {
        _state = LinearModelLossAccumulator<T>.ForMeanSquaredError(weights, intercept, options);
    }

    /// <summary>The shared accumulator this one is a face of (for its byte format and the other losses' API).</summary>
    public LinearModelLossAccumulator<T> State => _state;

    /// <summary>D, the number of features per row.</summary>
    public int Dimension => _state.Dimension;

    /// <summary>The number of rows accumulated so far.</summary>
    public long Count => _state.Count;

    /// <summary>Σ r² over the rows so far.</summary>
    public double SumOfSquaredResiduals => _state.LossSum;

    /// <summary>Σ r over the rows so far (r = x·w + b − y).</summary>
    public double SumOfResiduals => _state.DerivativeSum;

    /// <summary>Copies Σ r·xⱼ (j = 0…D−1) over the rows so far.</summary>
    /// <param name="destination">Length D.</param>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is not D long.</exception>
    public void CopyResidualFeatureSums(Span<double> destination) => _state.CopyGradientSums(destination);

    /// <summary>Accumulates a batch of rows (one fused pass over it; no allocation).</summary>
    /// <param name="features">The batch's rows, row-major: targets.Length × D elements.</param>
    /// <param name="targets">The batch's targets; may be empty.</param>
    /// <exception cref="ArgumentException"><paramref name="features"/> is not targets.Length × D long, or the row count would exceed <see cref="long.MaxValue"/>.</exception>
    public void Add(ReadOnlySpan<T> features, ReadOnlySpan<T> targets) => _state.Add(features, targets);

    /// <summary>Adds another accumulator's rows to this one (the other is unchanged).</summary>
    /// <param name="other">An accumulator with the same weights and intercept.</param>
    /// <exception cref="ArgumentException">The weights or the intercept differ, or the merged row count would exceed <see cref="long.MaxValue"/>.</exception>
    public void Merge(MeanSquaredErrorAccumulator<T> other)
    {
        ArgumentNullException.ThrowIfNull(other);
        _state.Merge(other._state);
    }

    /// <summary>Adds a state shipped from elsewhere (another process or machine, at the same weights and intercept).</summary>
    /// <param name="count">Its row count.</param>
    /// <param name="sumOfSquaredResiduals">Its <see cref="SumOfSquaredResiduals"/>.</param>
    /// <param name="sumOfResiduals">Its <see cref="SumOfResiduals"/>.</param>
    /// <param name="residualFeatureSums">Its Σ r·xⱼ, length D.</param>
    /// <exception cref="ArgumentException">
    /// <paramref name="residualFeatureSums"/> is not D long; <paramref name="count"/> is 0 while a sum is not
    /// (no rows cannot have non-zero sums); <paramref name="sumOfSquaredResiduals"/> is negative; or the merged row
    /// count would exceed <see cref="long.MaxValue"/>.
    /// </exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is negative.</exception>
    public void Merge(long count, double sumOfSquaredResiduals, double sumOfResiduals, ReadOnlySpan<double> residualFeatureSums)
    {
        ThrowHelper.ThrowIfLengthMismatch(residualFeatureSums.Length, Dimension, nameof(residualFeatureSums), "the accumulator's dimension D");
        if (count < 0)
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(count), count, "A row count cannot be negative.");
        }

        if (count == 0 && (sumOfSquaredResiduals != 0.0 || sumOfResiduals != 0.0 || !AllZero(residualFeatureSums)))
        {
            // NaN sums also land here (NaN != 0): a state of no rows has only zero sums.
            ThrowHelper.ThrowArgument(
                $"The state has count 0 but non-zero sums (Σr² = {sumOfSquaredResiduals}, Σr = {sumOfResiduals}, Σ r·x of length {residualFeatureSums.Length}); a state of no rows has only zero sums.",
                nameof(count));
        }

        // Σr² < 0 (−∞ included) no data can give; NaN and +∞ come from NaN or overflowing data, as in the one-shot call.
        if (sumOfSquaredResiduals < 0.0)
        {
            ThrowHelper.ThrowArgument(
                $"'{nameof(sumOfSquaredResiduals)}' is {sumOfSquaredResiduals} for {count} rows; a sum of squares cannot be negative.",
                nameof(sumOfSquaredResiduals));
        }

        // Unweighted rows: the normaliser Σ sᵢ is the count (exact in double up to 2⁵³ rows).
        _state.MergeSums(count, count, sumOfSquaredResiduals, sumOfResiduals, residualFeatureSums, nameof(count));
    }

    /// <summary>Forgets every row, keeping the weights.</summary>
    public void Reset() => _state.Reset();

    /// <summary>The loss (1/N)·Σr² + λ‖w‖² over the rows so far.</summary>
    /// <returns>The loss.</returns>
    /// <exception cref="InvalidOperationException">No rows were added.</exception>
    /// <remarks>A method, like <see cref="LossAndGradient(Span{T})"/> and <see cref="MeanSquaredError.Loss{T}(ReadOnlySpan{T}, ReadOnlySpan{T}, ReadOnlySpan{T})"/>: it computes from the sums.</remarks>
    public T Loss() => _state.Loss();

    /// <summary>The loss and the gradient with respect to w over the rows so far.</summary>
    /// <param name="gradient">Receives (2/N)·Σ r·x + 2λw, length D.</param>
    /// <returns>The loss.</returns>
    /// <exception cref="ArgumentException"><paramref name="gradient"/> is not D long.</exception>
    /// <exception cref="InvalidOperationException">No rows were added.</exception>
    public T LossAndGradient(Span<T> gradient) => _state.LossAndGradient(gradient, out _);

    /// <summary>The loss and the gradients with respect to w and the intercept over the rows so far.</summary>
    /// <param name="gradient">Receives (2/N)·Σ r·x + 2λw, length D.</param>
    /// <param name="interceptGradient">Receives (2/N)·Σr.</param>
    /// <returns>The loss.</returns>
    /// <exception cref="ArgumentException"><paramref name="gradient"/> is not D long.</exception>
    /// <exception cref="InvalidOperationException">No rows were added.</exception>
    public T LossAndGradient(Span<T> gradient, out T interceptGradient) => _state.LossAndGradient(gradient, out interceptGradient);

    /// <summary>Whether every element is zero (±0); NaN is not.</summary>
    private static bool AllZero(ReadOnlySpan<double> values)
    {
        foreach (var value in values)
        {
            if (value != 0.0)
            {
                return false;
            }
        }

        return true;
    }
}
