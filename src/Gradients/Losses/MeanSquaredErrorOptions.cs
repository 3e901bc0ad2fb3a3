using System.Runtime.CompilerServices;

namespace Gradients;

/// <summary>
/// Options of the <see cref="MeanSquaredError"/> loss: an L2 (ridge) penalty, multi-threading and the arithmetic on
/// float data. The default value means no penalty, one thread, accurate float arithmetic.
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

    /// <summary>
    /// The arithmetic on float data: <see cref="FloatArithmetic.Accurate"/> (the default) or
    /// <see cref="FloatArithmetic.Fast"/>, which trades the accuracy on data far from the origin for speed (its error
    /// bound is on <see cref="FloatArithmetic.Fast"/>). It applies to the loss and its gradient (and to the accumulators);
    /// Hessians and Hessian-vector products compute as in the default. Ignored for double data.
    /// </summary>
    public FloatArithmetic FloatArithmetic { get; init; }

    /// <summary>The thread count this option resolves to.</summary>
    internal int Threads => MaxDegreeOfParallelism == -1 ? Environment.ProcessorCount : MaxDegreeOfParallelism;

    /// <summary>
    /// Throws when a value is out of range. The test inlines and the messages stay out of line: without Dynamic PGO
    /// (<c>DOTNET_TieredPGO=0</c>, code that never reaches tier 1) the JIT called this method from every loss call.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void Validate(string paramName)
    {
        // NaN and ∞ are rejected like negative values: a non-finite λ would turn every loss into NaN or ∞ silently.
        if (!(L2Penalty >= 0.0 && L2Penalty <= double.MaxValue) || MaxDegreeOfParallelism < -1 || (uint)FloatArithmetic > (uint)FloatArithmetic.Fast)
        {
            ThrowOutOfRange(paramName, L2Penalty, MaxDegreeOfParallelism, FloatArithmetic);
        }
    }

    /// <summary>
    /// The throw of <see cref="Validate(string)"/>: names the option that is out of range. Static and given the values
    /// (an instance method would take the options' address and keep them in memory in every caller).
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowOutOfRange(string paramName, double l2Penalty, int maxDegreeOfParallelism, FloatArithmetic floatArithmetic)
    {
        if (!(l2Penalty >= 0.0 && double.IsFinite(l2Penalty)))
        {
            ThrowHelper.ThrowArgumentOutOfRange(paramName, l2Penalty, $"options.{nameof(L2Penalty)} must be finite and zero or positive; it is {l2Penalty}.");
        }

        if (maxDegreeOfParallelism < -1)
        {
            ThrowHelper.ThrowArgumentOutOfRange(paramName, maxDegreeOfParallelism, $"{nameof(MaxDegreeOfParallelism)} must be −1 or positive; it is {maxDegreeOfParallelism}.");
        }

        ThrowHelper.ThrowArgumentOutOfRange(
            paramName, floatArithmetic, $"options.{nameof(FloatArithmetic)} must be {nameof(FloatArithmetic.Accurate)} or {nameof(FloatArithmetic.Fast)}; it is {(int)floatArithmetic}.");
    }
}
