using System.Numerics;

namespace Gradients;

/// <summary>
/// The MSE loss and gradient at fixed weights, accumulated over row batches that arrive one after another,
/// and mergeable with other accumulators: the state is the row count, Σr², Σr and Σ r·x, which add.
/// After any split of the rows into batches (and any merge order) the result equals the one-shot
/// <see cref="MeanSquaredError.LossAndGradient{T}(ReadOnlySpan{T}, ReadOnlySpan{T}, ReadOnlySpan{T}, T, Span{T}, out T, Span{T}, MeanSquaredErrorOptions)"/>
/// up to rounding; the state is held in compensated (Neumaier) double sums, so the order hardly matters.
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
    private readonly T[] _weights;
    private readonly T _intercept;
    private readonly MeanSquaredErrorOptions _options;
    private readonly double[] _gradientSums;
    private readonly double[] _gradientCompensation;
    private readonly double[] _batch;
    private double _squares;
    private double _squaresCompensation;
    private double _residuals;
    private double _residualsCompensation;

    /// <summary>An empty accumulator for the model Xw (no intercept, no penalty, one thread).</summary>
    /// <param name="weights">w, length D ≥ 1 (copied).</param>
    /// <exception cref="ArgumentException"><paramref name="weights"/> is empty.</exception>
    public MeanSquaredErrorAccumulator(ReadOnlySpan<T> weights)
        : this(weights, T.Zero, default)
    {
    }

    /// <summary>An empty accumulator for the model Xw + b.</summary>
    /// <param name="weights">w, length D ≥ 1 (copied).</param>
    /// <param name="intercept">b.</param>
    /// <param name="options">The ridge penalty (applied when the loss is read) and the threads each <see cref="Add"/> may use.</param>
    /// <exception cref="ArgumentException"><paramref name="weights"/> is empty, or longer than <see cref="Array.MaxLength"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public MeanSquaredErrorAccumulator(ReadOnlySpan<T> weights, T intercept, MeanSquaredErrorOptions options)
    {
        ThrowHelper.ThrowIfEmpty(weights.Length, nameof(weights));
        MeanSquaredError.ThrowIfSumsExceedAnArray(weights.Length);
        options.Validate(nameof(options));
        _weights = weights.ToArray();
        _intercept = intercept;
        _options = options;
        _gradientSums = new double[weights.Length];
        _gradientCompensation = new double[weights.Length];
        _batch = new double[weights.Length];
    }

    /// <summary>D, the number of features per row.</summary>
    public int Dimension => _weights.Length;

    /// <summary>The number of rows accumulated so far.</summary>
    public long Count { get; private set; }

    /// <summary>Σ r² over the rows so far.</summary>
    public double SumOfSquaredResiduals => _squares + _squaresCompensation;

    /// <summary>Σ r over the rows so far (r = x·w + b − y).</summary>
    public double SumOfResiduals => _residuals + _residualsCompensation;

    /// <summary>Copies Σ r·xⱼ (j = 0…D−1) over the rows so far.</summary>
    /// <param name="destination">Length D.</param>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is not D long.</exception>
    public void CopyResidualFeatureSums(Span<double> destination)
    {
        ThrowHelper.ThrowIfLengthMismatch(destination.Length, Dimension, nameof(destination), "the accumulator's dimension D");
        for (var j = 0; j < destination.Length; j++)
        {
            destination[j] = _gradientSums[j] + _gradientCompensation[j];
        }
    }

    /// <summary>Accumulates a batch of rows (one fused pass over it; no allocation).</summary>
    /// <param name="features">The batch's rows, row-major: targets.Length × D elements.</param>
    /// <param name="targets">The batch's targets; may be empty.</param>
    /// <exception cref="ArgumentException"><paramref name="features"/> is not targets.Length × D long, or the row count would exceed <see cref="long.MaxValue"/>.</exception>
    public void Add(ReadOnlySpan<T> features, ReadOnlySpan<T> targets)
    {
        ThrowHelper.ThrowIfNotMatrix(features.Length, targets.Length, Dimension, nameof(features), "targets.Length (N)", "the accumulator's dimension D");
        if (targets.IsEmpty)
        {
            return;
        }

        var count = CheckedCount(Count, targets.Length, nameof(targets));
        var sums = FusedPass.Run<T>(features, targets, _weights, double.CreateTruncating(_intercept), _batch, [], _options.Threads);
        Count = count;
        AddCompensated(ref _squares, ref _squaresCompensation, sums.SumOfSquares);
        AddCompensated(ref _residuals, ref _residualsCompensation, sums.SumOfResiduals);
        for (var j = 0; j < _batch.Length; j++)
        {
            AddCompensated(ref _gradientSums[j], ref _gradientCompensation[j], _batch[j]);
        }
    }

    /// <summary>Adds another accumulator's rows to this one (the other is unchanged).</summary>
    /// <param name="other">An accumulator with the same weights and intercept.</param>
    /// <exception cref="ArgumentException">The weights or the intercept differ, or the merged row count would exceed <see cref="long.MaxValue"/>.</exception>
    public void Merge(MeanSquaredErrorAccumulator<T> other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (!_weights.AsSpan().SequenceEqual(other._weights) || _intercept != other._intercept)
        {
            ThrowHelper.ThrowArgument(
                $"'{nameof(other)}' accumulates at other weights or another intercept (D = {other.Dimension}, this D = {Dimension}); only states at the same point merge.",
                nameof(other));
        }

        Count = CheckedCount(Count, other.Count, nameof(other));
        AddCompensated(ref _squares, ref _squaresCompensation, other._squares);
        AddCompensated(ref _squares, ref _squaresCompensation, other._squaresCompensation);
        AddCompensated(ref _residuals, ref _residualsCompensation, other._residuals);
        AddCompensated(ref _residuals, ref _residualsCompensation, other._residualsCompensation);
        for (var j = 0; j < _gradientSums.Length; j++)
        {
            AddCompensated(ref _gradientSums[j], ref _gradientCompensation[j], other._gradientSums[j]);
            AddCompensated(ref _gradientSums[j], ref _gradientCompensation[j], other._gradientCompensation[j]);
        }
    }

    /// <summary>Adds a state shipped from elsewhere (another process or machine, at the same weights and intercept).</summary>
    /// <param name="count">Its row count.</param>
    /// <param name="sumOfSquaredResiduals">Its <see cref="SumOfSquaredResiduals"/>.</param>
    /// <param name="sumOfResiduals">Its <see cref="SumOfResiduals"/>.</param>
    /// <param name="residualFeatureSums">Its Σ r·xⱼ, length D.</param>
    /// <exception cref="ArgumentException">
    /// <paramref name="residualFeatureSums"/> is not D long; <paramref name="count"/> is 0 while a sum is not
    /// (no rows cannot have non-zero sums); or the merged row count would exceed <see cref="long.MaxValue"/>.
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

        var merged = CheckedCount(Count, count, nameof(count));
        Count = merged;
        AddCompensated(ref _squares, ref _squaresCompensation, sumOfSquaredResiduals);
        AddCompensated(ref _residuals, ref _residualsCompensation, sumOfResiduals);
        for (var j = 0; j < _gradientSums.Length; j++)
        {
            AddCompensated(ref _gradientSums[j], ref _gradientCompensation[j], residualFeatureSums[j]);
        }
    }

    /// <summary>Forgets every row, keeping the weights.</summary>
    public void Reset()
    {
        Count = 0;
        _squares = _squaresCompensation = _residuals = _residualsCompensation = 0.0;
        Array.Clear(_gradientSums);
        Array.Clear(_gradientCompensation);
    }

    /// <summary>The loss (1/N)·Σr² + λ‖w‖² over the rows so far.</summary>
    /// <returns>The loss.</returns>
    /// <exception cref="InvalidOperationException">No rows were added.</exception>
    /// <remarks>A method, like <see cref="LossAndGradient(Span{T})"/> and <see cref="MeanSquaredError.Loss{T}(ReadOnlySpan{T}, ReadOnlySpan{T}, ReadOnlySpan{T})"/>: it computes from the sums.</remarks>
    public T Loss() => T.CreateTruncating(LossValue());

    /// <summary>The loss and the gradient with respect to w over the rows so far.</summary>
    /// <param name="gradient">Receives (2/N)·Σ r·x + 2λw, length D.</param>
    /// <returns>The loss.</returns>
    /// <exception cref="ArgumentException"><paramref name="gradient"/> is not D long.</exception>
    /// <exception cref="InvalidOperationException">No rows were added.</exception>
    public T LossAndGradient(Span<T> gradient) => LossAndGradient(gradient, out _);

    /// <summary>The loss and the gradients with respect to w and the intercept over the rows so far.</summary>
    /// <param name="gradient">Receives (2/N)·Σ r·x + 2λw, length D.</param>
    /// <param name="interceptGradient">Receives (2/N)·Σr.</param>
    /// <returns>The loss.</returns>
    /// <exception cref="ArgumentException"><paramref name="gradient"/> is not D long.</exception>
    /// <exception cref="InvalidOperationException">No rows were added.</exception>
    public T LossAndGradient(Span<T> gradient, out T interceptGradient)
    {
        ThrowHelper.ThrowIfLengthMismatch(gradient.Length, Dimension, nameof(gradient), "the accumulator's dimension D");
        var loss = LossValue();
        var half = Count / 2.0;
        var lambda = _options.L2Penalty;
        for (var j = 0; j < gradient.Length; j++)
        {
            var value = (_gradientSums[j] + _gradientCompensation[j]) / half;
            if (lambda != 0.0)
            {
                value += 2.0 * lambda * double.CreateTruncating(_weights[j]);
            }

            gradient[j] = T.CreateTruncating(value);
        }

        interceptGradient = T.CreateTruncating(SumOfResiduals / half);
        return T.CreateTruncating(loss);
    }

    private double LossValue()
    {
        if (Count == 0)
        {
            throw new InvalidOperationException("The accumulator holds no rows yet; Add a batch or Merge a state first.");
        }

        var loss = SumOfSquaredResiduals / Count;
        if (_options.L2Penalty != 0.0)
        {
            var norm = 0.0;
            foreach (var w in _weights)
            {
                var value = double.CreateTruncating(w);
                norm += value * value;
            }

            loss += _options.L2Penalty * norm;
        }

        return loss;
    }

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

    /// <summary>This accumulator's count plus <paramref name="added"/> rows; an overflow is an argument error, not a negative count.</summary>
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

    // Neumaier's variant of Kahan summation (Neumaier, ZAMM 54, 1974): the rounding error of each addition
    // is kept in a second double, whichever operand is larger. Once the sum is not finite (an infinite or NaN
    // value, or an overflow), the rounding error means nothing — computing it would give ∞ − ∞ = NaN where the
    // one-shot sum is ±∞ — so the compensation is left as it is, and the sum (± ∞ or NaN) carries the result.
    private static void AddCompensated(ref double sum, ref double compensation, double value)
    {
        var t = sum + value;
        if (double.IsFinite(t))
        {
            compensation += Math.Abs(sum) >= Math.Abs(value) ? (sum - t) + value : (value - t) + sum;
        }

        sum = t;
    }
}
