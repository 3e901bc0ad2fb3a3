using System.Numerics;

namespace Gradients;

/// <summary>
/// Adapts a value delegate and a gradient delegate to <see cref="IDifferentiableFunction{T}"/>, so the delegate
/// front doors share the generic struct-function drivers.
/// </summary>
internal readonly struct DelegateDifferentiableFunction<T> : IDifferentiableFunction<T>
    where T : IFloatingPointIeee754<T>
{
    private readonly Func<ReadOnlySpan<T>, T> _value;
    private readonly GradientFunction<T> _gradient;

    public DelegateDifferentiableFunction(Func<ReadOnlySpan<T>, T> value, GradientFunction<T> gradient)
    {
        ArgumentNullException.ThrowIfNull(value);
        ArgumentNullException.ThrowIfNull(gradient);
        _value = value;
        _gradient = gradient;
    }

    public T Evaluate(ReadOnlySpan<T> x) => _value(x);

    public T EvaluateWithGradient(ReadOnlySpan<T> x, Span<T> gradient)
    {
        _gradient(x, gradient);
        return _value(x);
    }
}
