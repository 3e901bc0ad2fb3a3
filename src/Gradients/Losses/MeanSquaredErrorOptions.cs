namespace Gradients;

/// <summary>
/// Options of the <see cref="MeanSquaredError"/> loss: an L2 (ridge) penalty and multi-threading.
/// The default value means no penalty, one thread.
/// </summary>
public readonly record struct MeanSquaredErrorOptions
{
    private readonly int _maxDegreeOfParallelism;

    /// <summary>
    /// The ridge coefficient λ ≥ 0, finite: the loss gains λ‖w‖² and the gradient 2λw. The intercept is not penalized
    /// (as in ridge regression, e.g. Hastie, Tibshirani and Friedman, <i>The Elements of Statistical Learning</i>, §3.4.1).
    /// </summary>
    public double L2Penalty { get; init; }

    /// <summary>
    /// The most threads one call may use: 1 (the default) computes on the calling thread; −1 means
    /// <see cref="Environment.ProcessorCount"/>. Data smaller than two row chunks always runs on one thread.
    /// The result is bit-identical for every value.
    /// </summary>
    public int MaxDegreeOfParallelism
    {
        get => _maxDegreeOfParallelism == 0 ? 1 : _maxDegreeOfParallelism;
        init => _maxDegreeOfParallelism = value;
    }

    /// <summary>The thread count this option resolves to.</summary>
    internal int Threads => MaxDegreeOfParallelism == -1 ? Environment.ProcessorCount : MaxDegreeOfParallelism;

    /// <summary>Throws when a value is out of range.</summary>
    internal void Validate(string paramName)
    {
        // NaN and ∞ are rejected like negative values: a non-finite λ would turn every loss into NaN or ∞ silently.
        if (!(L2Penalty >= 0.0 && double.IsFinite(L2Penalty)))
        {
            ThrowHelper.ThrowArgumentOutOfRange(paramName, L2Penalty, $"options.{nameof(L2Penalty)} must be finite and zero or positive; it is {L2Penalty}.");
        }

        if (MaxDegreeOfParallelism < -1)
        {
            ThrowHelper.ThrowArgumentOutOfRange(paramName, MaxDegreeOfParallelism, $"{nameof(MaxDegreeOfParallelism)} must be −1 or positive; it is {MaxDegreeOfParallelism}.");
        }
    }
}
