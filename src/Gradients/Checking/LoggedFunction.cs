using System.Numerics;

namespace Gradients;

/// <summary>
/// What a gradient check needs to know about the evaluations the finite-difference engine made: their sum and the
/// largest |f|, for the round-off and curvature terms of the error model. One instance per check (never shared).
/// </summary>
internal sealed class EvaluationLog<T>
    where T : IFloatingPointIeee754<T>
{
    public T Sum { get; private set; } = T.Zero;

    public T LargestMagnitude { get; private set; } = T.Zero;

    public void Record(T value)
    {
        Sum += value;
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
