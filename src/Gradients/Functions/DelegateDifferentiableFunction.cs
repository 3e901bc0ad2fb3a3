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

    /// <remarks>The parameters carry the public front doors' names, so a null delegate is reported as <c>function</c> or <c>gradient</c>.</remarks>
    public DelegateDifferentiableFunction(Func<ReadOnlySpan<T>, T> function, GradientFunction<T> gradient)
    {
        ArgumentNullException.ThrowIfNull(function);
        ArgumentNullException.ThrowIfNull(gradient);
        _value = function;
        _gradient = gradient;
    }

    public T Evaluate(ReadOnlySpan<T> x) => _value(x);

    public T EvaluateWithGradient(ReadOnlySpan<T> x, Span<T> gradient)
    {
        _gradient(x, gradient);
        return _value(x);
    }
}
