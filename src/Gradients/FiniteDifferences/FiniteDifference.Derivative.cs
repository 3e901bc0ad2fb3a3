using System.Numerics;

namespace Gradients;

public static partial class FiniteDifference
{
    /// <summary>
    /// The derivative f′(x) of a one-variable function by central differences (2 evaluations, default step
    /// ∛ε·max(|x|, 1)).
    /// </summary>
    /// <typeparam name="T">The floating-point type.</typeparam>
    /// <param name="f">The function.</param>
    /// <param name="x">The point, finite.</param>
    /// <returns>f′(x).</returns>
    /// <exception cref="ArgumentException"><paramref name="x"/> is not finite.</exception>
    /// <exception cref="NotFiniteNumberException">f returned NaN or ±∞ at a stencil point.</exception>
    public static T Derivative<T>(Func<T, T> f, T x)
        where T : IFloatingPointIeee754<T> => Derivative(f, x, default(FiniteDifferenceOptions<T>)).Value;

    /// <summary>
    /// The derivative f′(x) of a one-variable function with the scheme, step, bounds (length 1) and policies of
    /// <paramref name="options"/>.
    /// </summary>
    /// <typeparam name="T">The floating-point type.</typeparam>
    /// <param name="f">The function.</param>
    /// <param name="x">The point, finite and inside the bounds.</param>
    /// <param name="options">The scheme, step, bounds and non-finite policy.</param>
    /// <returns>The derivative with its error estimate, step and evaluation count.</returns>
    /// <exception cref="ArgumentException">An argument or option is invalid; the message names it.</exception>
    /// <exception cref="NotFiniteNumberException">f returned NaN or ±∞ and no fallback succeeded.</exception>
    public static FiniteDifferenceEstimate<T> Derivative<T>(Func<T, T> f, T x, in FiniteDifferenceOptions<T> options)
        where T : IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(f);
        ReadOnlySpan<T> point = [x];
        ValidatePoint(point, nameof(x));
        ValidateOptions(options, point, allowPerCoordinateSteps: true);

        var userSteps = options.Steps.Span;
        var userStep = options.HasStep || !userSteps.IsEmpty;
        var relative = !userStep || options.StepKind == StepSizeKind.Relative;
        var factor = !userSteps.IsEmpty ? userSteps[0] : options.HasStep ? options.Step : StepSize.FactorOf<T>(options.Scheme);
        var h = StepSize.For(factor, relative, x);
        ValidateStep(h, x, MaximumReach<T>(options.Scheme), 0, userStep);

        var low = options.LowerBounds.IsEmpty ? T.NegativeInfinity : options.LowerBounds.Span[0];
        var high = options.UpperBounds.IsEmpty ? T.PositiveInfinity : options.UpperBounds.Span[0];
        if (!(options.LowerBounds.IsEmpty && options.UpperBounds.IsEmpty))
        {
            ValidateRoom(options.Scheme, h, x, x - low, high - x, 0, low, high, 1);
        }

        var functionValue = options.FunctionValue;
        var hasFunctionValue = options.HasFunctionValue;
        var line = new ScalarLine<T>(f, x, low, high);
        var status = Stencil.Differentiate(ref line, options.Scheme, h, x - low, high - x, options.NonFiniteValues, ref functionValue, ref hasFunctionValue, out var outcome);
        if (status != StencilStatus.Ok)
        {
            ThrowStencilFailure(status, outcome, point, 0, low, high);
        }

        return new FiniteDifferenceEstimate<T>(outcome.Derivative, outcome.ErrorEstimate, outcome.Step, outcome.Evaluations, outcome.OneSided);
    }
}
