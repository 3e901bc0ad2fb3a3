using System.Numerics;

namespace Gradients;

/// <summary>
/// What a gradient check needs to know about the evaluations the finite-difference engine made: their (halved) sum and the
/// largest |f|, for the round-off and curvature terms of the error model. One instance per check (never shared).
/// </summary>
internal sealed class EvaluationLog<T>
    where T : IFloatingPointIeee754<T>
{
    /// <summary>The values recorded since <see cref="Reset"/>, each halved before summing (exact for normal values), so the sum of two finite values is finite.</summary>
    public T HalfSum { get; private set; } = T.Zero;

    public T LargestMagnitude { get; private set; } = T.Zero;

    public void Reset()
    {
        HalfSum = T.Zero;
        LargestMagnitude = T.Zero;
    }

    public void Record(T value)
    {
        HalfSum += value / (T.One + T.One);
        LargestMagnitude = T.Max(LargestMagnitude, T.Abs(value));
    }
}

/// <summary>
/// Presents any <see cref="IDifferentiableFunction{T}"/> as the struct <see cref="IScalarFunction{T}"/> the
/// finite-difference engine takes, logging each value it returns.
/// </summary>
internal readonly struct LoggedFunction<T, TFunction> : IScalarFunction<T>
    where T : IFloatingPointIeee754<T>
    where TFunction : IDifferentiableFunction<T>
{
    private readonly TFunction _function;
    private readonly EvaluationLog<T> _log;

    public LoggedFunction(TFunction function, EvaluationLog<T> log)
    {
        _function = function;
        _log = log;
    }

    public T Evaluate(ReadOnlySpan<T> x)
    {
        var value = _function.Evaluate(x);
        _log.Record(value);
        return value;
    }
}
