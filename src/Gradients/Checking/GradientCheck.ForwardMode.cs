using System.Numerics;
using System.Runtime.Intrinsics;

namespace Gradients;

public static partial class GradientCheck
{
    /// <summary>The default tolerance of <see cref="CheckAgainstForwardMode{T, TFunction}"/>, in units of ε.</summary>
    public const double DefaultForwardModeUlps = 64;

    /// <summary>
    /// Checks the analytic gradient of a function that is also written generically against its exact forward-mode
    /// gradient (<see cref="ForwardMode.Gradient{T, TFunction}(TFunction, ReadOnlySpan{T}, Span{T})"/>), component by
    /// component. Both are exact up to rounding, so the tolerance is a rounding bound, not a finite-difference error
    /// model: component i passes when |analyticᵢ − forwardᵢ| ≤ <paramref name="ulps"/>·ε·(max(|analyticᵢ|, |forwardᵢ|)
    /// + ‖analytic‖∞), ε the machine epsilon of T (the ‖·‖∞ term lets a component that cancels to near 0 differ by
    /// the rounding of the terms it came from, on the gradient's own scale).
    /// </summary>
    /// <typeparam name="T">The floating-point type.</typeparam>
    /// <typeparam name="TFunction">A function with an analytic gradient and a generic evaluation (e.g. the built-ins).</typeparam>
    /// <param name="function">f.</param>
    /// <param name="x">The point, of length n ≥ 1, finite.</param>
    /// <param name="ulps">The tolerance in units of ε; positive, finite and below 1/ε of T.</param>
    /// <returns>
    /// The report (<see cref="GradientCheckMode.Components"/>); each entry's <c>Numeric</c> is the forward-mode
    /// component, its <c>Step</c> is 0 and its <c>PredictedError</c> is ε·(max(|analyticᵢ|, |forwardᵢ|) + ‖analytic‖∞).
    /// </returns>
    /// <exception cref="ArgumentException">
    /// <paramref name="x"/> is empty or not finite, or <paramref name="ulps"/> is not positive, not finite, or at least
    /// 1/ε of T (1024 for Half).
    /// </exception>
    public static GradientCheckReport<T> CheckAgainstForwardMode<T, TFunction>(TFunction function, ReadOnlySpan<T> x, double ulps = DefaultForwardModeUlps)
        where T : IFloatingPointIeee754<T>
        where TFunction : IDifferentiableFunction<T>, IGenericScalarFunction
    {
        var epsilon = StepSize.MachineEpsilon<T>();
        if (!(double.IsFinite(ulps) && ulps > 0 && ulps * double.CreateTruncating(epsilon) < 1))
        {
            // ulps·ε ≥ 1 leaves no correct digit to compare (and ulps beyond T's range makes every tolerance ∞).
            ThrowHelper.ThrowArgumentOutOfRange(
                nameof(ulps), ulps, $"The tolerance in ulps must be positive, finite and below 1/ε = {1 / double.CreateTruncating(epsilon)} for {typeof(T).Name}.");
        }

        // f and its gradient see a copy of x, as in Check: the caller's x is never handed out.
        var n = x.Length;
        var analytic = new T[n];
        var forward = new T[n];
        ForwardMode.Gradient(function, x, forward);
        function.EvaluateWithGradient(x.ToArray(), analytic);

        var largest = T.Zero;
        foreach (var component in analytic)
        {
            largest = T.Max(largest, T.Abs(component));
        }

        var factor = T.CreateTruncating(ulps);
        var entries = new GradientCheckEntry<T>[n];
        for (var i = 0; i < n; i++)
        {
            var error = T.Abs(analytic[i] - forward[i]);
            var magnitude = T.Max(T.Abs(analytic[i]), T.Abs(forward[i]));
            var relative = T.IsZero(magnitude) ? T.Zero : error / magnitude;
            var rounding = (epsilon * magnitude) + (epsilon * largest); // ε first: magnitude + largest may overflow
            entries[i] = new GradientCheckEntry<T>(i, analytic[i], forward[i], error, relative, T.Zero, rounding, factor * rounding);
        }

        var passes = Vector256<T>.IsSupported ? (n + DualChunk<T>.Size - 1) / DualChunk<T>.Size : n;
        return new GradientCheckReport<T>(GradientCheckMode.Components, entries, [], passes + 1, null);
    }
}
