using System.Numerics;
using System.Runtime.CompilerServices;

namespace Gradients;

public static partial class FiniteDifference
{
    /// <summary>The largest defined scheme, read from the enum itself: a scheme added later is valid everywhere at once.</summary>
    private static readonly uint LastScheme = Enum.GetValues<FiniteDifferenceScheme>().Max(scheme => (uint)scheme);

    /// <summary>Whether <paramref name="scheme"/> is a defined <see cref="FiniteDifferenceScheme"/> (the one scheme check of the library).</summary>
    internal static bool IsDefined(FiniteDifferenceScheme scheme) => (uint)scheme <= LastScheme;

    /// <summary>Rejects NaN or infinite coordinates: a derivative at a non-finite point has no meaning.</summary>
    private static void ValidatePoint<T>(ReadOnlySpan<T> x, string paramName)
        where T : IFloatingPointIeee754<T>
    {
        for (var i = 0; i < x.Length; i++)
        {
            if (!T.IsFinite(x[i]))
            {
                ThrowHelper.ThrowNonFiniteArgument(paramName, i, double.CreateTruncating(x[i]), x.Length);
            }
        }
    }

    /// <summary>
    /// The overlap rule (<see cref="SpanOverlap"/>) for the outputs of a finite-difference routine: the result
    /// (gradient, Jacobian or Hessian), the optional error estimates and steps, each against x, against each other
    /// and against the steps and bounds held by <paramref name="options"/>.
    /// </summary>
    private static void ValidateOutputOverlaps<T>(
        ReadOnlySpan<T> x,
        Span<T> result,
        string resultName,
        Span<T> errorEstimates,
        Span<T> steps,
        in FiniteDifferenceOptions<T> options)
        where T : IFloatingPointIeee754<T>
    {
        SpanOverlap.ThrowIfOverlapsInput(result, resultName, x, nameof(x));
        SpanOverlap.ThrowIfOverlapsOptions(result, resultName, options);
        if (!errorEstimates.IsEmpty)
        {
            SpanOverlap.ThrowIfOverlapsInput(errorEstimates, nameof(errorEstimates), x, nameof(x));
            SpanOverlap.ThrowIfOutputsOverlap(result, resultName, errorEstimates, nameof(errorEstimates));
            SpanOverlap.ThrowIfOverlapsOptions(errorEstimates, nameof(errorEstimates), options);
        }

        if (!steps.IsEmpty)
        {
            SpanOverlap.ThrowIfOverlapsInput(steps, nameof(steps), x, nameof(x));
            SpanOverlap.ThrowIfOutputsOverlap(result, resultName, steps, nameof(steps));
            SpanOverlap.ThrowIfOutputsOverlap(errorEstimates, nameof(errorEstimates), steps, nameof(steps));
            SpanOverlap.ThrowIfOverlapsOptions(steps, nameof(steps), options);
        }
    }

    /// <summary>Checks every field of <paramref name="options"/> against the point <paramref name="x"/>.</summary>
    private static void ValidateOptions<T>(in FiniteDifferenceOptions<T> options, ReadOnlySpan<T> x, bool allowPerCoordinateSteps)
        where T : IFloatingPointIeee754<T>
    {
        if (!IsDefined(options.Scheme))
        {
            ThrowHelper.ThrowArgumentOutOfRange("options", options.Scheme, "options.Scheme is not a defined FiniteDifferenceScheme.");
        }

        if ((uint)options.NonFiniteValues > (uint)NonFiniteValuePolicy.FallBackToOneSided)
        {
            ThrowHelper.ThrowArgumentOutOfRange("options", options.NonFiniteValues, "options.NonFiniteValues is not a defined NonFiniteValuePolicy.");
        }

        if ((uint)options.StepKind > (uint)StepSizeKind.Absolute)
        {
            ThrowHelper.ThrowArgumentOutOfRange("options", options.StepKind, "options.StepKind is not a defined StepSizeKind.");
        }

        if (options.MaxDegreeOfParallelism < -1)
        {
            ThrowHelper.ThrowArgumentOutOfRange("options", options.MaxDegreeOfParallelism, "options.MaxDegreeOfParallelism must be -1 (all processors), 0 or 1 (serial), or a positive thread count.");
        }

        if (options.HasStep && !(T.IsFinite(options.Step) && options.Step > T.Zero))
        {
            ThrowHelper.ThrowNonPositiveStep("options.Step", -1, double.CreateTruncating(options.Step));
        }

        if (options.HasFunctionValue && !T.IsFinite(options.FunctionValue))
        {
            ThrowHelper.ThrowArgument($"options.FunctionValue is {options.FunctionValue}; a given f(x) must be finite.", "options");
        }

        // ReadOnlyMemory<T>.Span costs a few nanoseconds (it inspects the owner object); IsEmpty is a length
        // test. The common call has no per-coordinate steps and no bounds, so it never asks for a span.
        var n = x.Length;
        if (!options.Steps.IsEmpty)
        {
            var steps = options.Steps.Span;
            if (!allowPerCoordinateSteps)
            {
                ThrowHelper.ThrowArgument($"options.Steps (length {steps.Length}) gives one step per coordinate, which does not apply here; set options.Step instead.", "options");
            }

            ThrowHelper.ThrowIfMemberLengthMismatch(steps.Length, n, "options", "options.Steps", "the point 'x'");
            for (var i = 0; i < steps.Length; i++)
            {
                if (!(T.IsFinite(steps[i]) && steps[i] > T.Zero))
                {
                    ThrowHelper.ThrowNonPositiveStep("options.Steps", i, double.CreateTruncating(steps[i]));
                }
            }
        }

        if (options.LowerBounds.IsEmpty && options.UpperBounds.IsEmpty)
        {
            return;
        }

        var lower = options.LowerBounds.Span;
        var upper = options.UpperBounds.Span;
        if (!lower.IsEmpty)
        {
            ThrowHelper.ThrowIfMemberLengthMismatch(lower.Length, n, "options", "options.LowerBounds", "the point 'x'");
        }

        if (!upper.IsEmpty)
        {
            ThrowHelper.ThrowIfMemberLengthMismatch(upper.Length, n, "options", "options.UpperBounds", "the point 'x'");
        }

        for (var i = 0; i < n && !(lower.IsEmpty && upper.IsEmpty); i++)
        {
            var low = lower.IsEmpty ? T.NegativeInfinity : lower[i];
            var high = upper.IsEmpty ? T.PositiveInfinity : upper[i];
            if (!(low <= x[i] && x[i] <= high))
            {
                ThrowHelper.ThrowBoundsExcludePoint(i, double.CreateTruncating(x[i]), double.CreateTruncating(low), double.CreateTruncating(high), n);
            }
        }
    }

    /// <summary>
    /// The one step rule of every entry point: the step h of coordinate <paramref name="index"/> at
    /// <paramref name="x"/> is finite and positive, moves x both ways (x + h ≠ x and x − h ≠ x), and keeps the
    /// farthest stencil point, x ± <paramref name="reach"/>·h, finite. Otherwise an <see cref="ArgumentException"/>
    /// naming <c>options</c> when the caller chose the step, or <c>x</c> when the default step cannot fit (|x| near
    /// the type's maximum).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void ValidateStep<T>(T h, T x, T reach, int index, bool userStep)
        where T : IFloatingPointIeee754<T>
    {
        // Adaptive (reach 0) shrinks a default step whose stencil overflows by itself; a step the caller chose must fit.
        var far = reach == T.Zero ? (userStep ? h : T.Zero) : reach * h;
        if (!(h > T.Zero && T.IsFinite(x + far) && T.IsFinite(x - far) && x + h != x && x - h != x))
        {
            ThrowInvalidStep(h, x, reach, index, userStep);
        }
    }

    /// <summary>
    /// The step rule of second differences (the Hessian), on top of <see cref="ValidateStep{T}"/>: the step
    /// <paramref name="step"/> actually used for coordinate <paramref name="index"/> must have a normal square. A
    /// second difference f(x + h) − 2f(x) + f(x − h) ≈ f″h² below the smallest normal number is lost to underflow (f
    /// of a quadratic returns 0 there, and a product of two such steps is 0, a NaN quotient), and its round-off
    /// ε|f|/h² exceeds any second derivative the type can hold. Otherwise an <see cref="ArgumentException"/> naming
    /// <c>options</c> (the step or the box that shrank it).
    /// </summary>
    private static void ValidateSecondDifferenceStep<T>(T step, T x, int index)
        where T : IFloatingPointIeee754<T>
    {
        if (!(step * step >= StepFactors<T>.SmallestNormal))
        {
            ThrowHelper.ThrowArgument(
                $"The step for coordinate {index} is h = {step} at x[{index}] = {x}: h² = {step * step} is below the smallest normal {typeof(T).Name} ({StepFactors<T>.SmallestNormal}), so the second difference f(x + h) − 2f(x) + f(x − h) ≈ f″h² underflows. Choose a larger step (options.Step or options.Steps) or a wider box.",
                "options");
        }
    }

    /// <summary>
    /// Whether the default central stencil of the gradient (relative step ∛ε·max(|x|, 1)) fits at the coordinate
    /// <paramref name="x"/> under <see cref="ValidateStep{T}"/>'s rule; callers that differentiate points of their own
    /// making (a grid) check their extreme coordinates with it and name their own parameter.
    /// </summary>
    internal static bool DefaultStencilFits<T>(T x)
        where T : IFloatingPointIeee754<T>
    {
        var h = StepSize.For(StepFactors<T>.CubeRoot, relative: true, x);
        return h > T.Zero && T.IsFinite(x + h) && T.IsFinite(x - h) && x + h != x && x - h != x;
    }

    /// <summary>How far a scheme's stencils reach, in steps, counting the one-sided stencils it may turn to.</summary>
    /// <remarks>
    /// <see cref="FiniteDifferenceScheme.Adaptive"/> reaches nowhere beyond its first step that it must keep: it
    /// shrinks any step whose stencil leaves the finite range (or f's domain) itself, so only "the step moves x" is
    /// required of it up front.
    /// </remarks>
    private static T MaximumReach<T>(FiniteDifferenceScheme scheme)
        where T : IFloatingPointIeee754<T> =>
        scheme == FiniteDifferenceScheme.Adaptive ? T.Zero : Stencil.Reach<T>(scheme, StencilSide.Plus);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowInvalidStep<T>(T h, T x, T reach, int index, bool userStep)
        where T : IFloatingPointIeee754<T>
    {
        var at = index < 0 ? "along the direction" : $"for coordinate {index}";
        var point = index < 0 ? "x" : $"x[{index}]";
        if (!(h > T.Zero) || (T.IsFinite(h) && (x + h == x || x - h == x)))
        {
            ThrowHelper.ThrowStepVanishes(index, double.CreateTruncating(x), double.CreateTruncating(h));
        }

        var message = $"The step {at} is h = {h} at {point} = {x}: the stencil reaches {point} ± {reach}·h, which is not finite in {typeof(T).Name}. " +
                      (userStep ? "Choose a smaller step." : "The point is too close to the largest finite value for a finite difference.");
        ThrowHelper.ThrowArgument(message, userStep ? "options" : "x");
    }

    /// <summary>
    /// The smallest step a box may shrink a stencil to, ε^(3/4)·max(|x|, 1): below it the round-off error of the
    /// differences, about ε|f|/h, exceeds ε^(1/4)·|f|/max(|x|, 1) — fewer than about four correct digits in double —
    /// and at a few ulps of x the applied offsets round to zero (a NaN quotient). A box that leaves less room is
    /// rejected, naming the coordinate.
    /// </summary>
    internal static T MinimumShrunkStep<T>(T x)
        where T : IFloatingPointIeee754<T>
    {
        var magnitude = T.Abs(x);
        return StepFactors<T>.ThreeQuarterPower * (magnitude > T.One ? magnitude : T.One);
    }

    /// <summary>
    /// Rejects a box that leaves no usable room for the stencil of <paramref name="scheme"/> at step
    /// <paramref name="h"/>: neither the full stencil nor a one-sided one shrunk to at least
    /// <see cref="MinimumShrunkStep{T}"/> fits.
    /// </summary>
    private static void ValidateRoom<T>(FiniteDifferenceScheme scheme, T h, T x, T roomMinus, T roomPlus, int index, T lower, T upper, int length)
        where T : IFloatingPointIeee754<T>
    {
        Span<StencilSide> order = stackalloc StencilSide[3];
        var count = Stencil.Candidates(scheme, order);
        var first = Stencil.Primary(scheme, h, roomMinus, roomPlus, order[..count], out var step);
        if (first < 0 || (step < h && step < MinimumShrunkStep(x)))
        {
            ThrowHelper.ThrowBoundsLeaveNoRoom(index, double.CreateTruncating(lower), double.CreateTruncating(upper), length);
        }
    }

    /// <summary>
    /// The most evaluations a first-derivative stencil can make per coordinate or column: the central pass that
    /// met a non-finite value (2), the requested stencil (up to 4) and the one-sided fallbacks with f(x) (up to 7),
    /// rounded up. With it, <see cref="FiniteDifferenceResult{T}.Evaluations"/> (an <see langword="int"/>) is exact
    /// whenever <see cref="ValidateSizes"/> lets a call through.
    /// </summary>
    private const int MaxEvaluationsPerCoordinate = 16;

    /// <summary>
    /// The most evaluations <see cref="FiniteDifferenceScheme.Adaptive"/> can make per coordinate or column: a
    /// central tableau of <see cref="AdaptiveStencil.MaxRows"/> rows (2 each), then both one-sided tableaus
    /// (1 each) and f(x).
    /// </summary>
    private const int MaxAdaptiveEvaluationsPerCoordinate = (4 * AdaptiveStencil.MaxRows) + 1;

    /// <summary>The most evaluations per coordinate of <paramref name="scheme"/>.</summary>
    private static int MaxEvaluationsPer(FiniteDifferenceScheme scheme) =>
        scheme == FiniteDifferenceScheme.Adaptive ? MaxAdaptiveEvaluationsPerCoordinate : MaxEvaluationsPerCoordinate;

    /// <summary>
    /// Rejects a problem whose scratch space (<paramref name="scratchElements"/> elements of T) does not fit in an
    /// array, or whose worst-case evaluation count (<paramref name="evaluations"/>) does not fit in the result's
    /// count — before any work, with the parameter and the sizes named, never an overflow inside.
    /// <paramref name="shape"/> describes the problem with {0} = <paramref name="first"/> and {1} =
    /// <paramref name="second"/>; it is formatted only when throwing (the check itself allocates nothing).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ValidateSizes(long scratchElements, long evaluations, string paramName, string shape, long first, long second = 0)
    {
        if (scratchElements > Array.MaxLength || evaluations > int.MaxValue)
        {
            ThrowTooLarge(scratchElements, evaluations, paramName, string.Format(System.Globalization.CultureInfo.InvariantCulture, shape, first, second));
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowTooLarge(long scratchElements, long evaluations, string paramName, string shape)
    {
        if (scratchElements > Array.MaxLength)
        {
            ThrowHelper.ThrowArgument(
                $"'{paramName}' is too large: {shape} needs {scratchElements:N0} elements of scratch space, more than an array holds ({Array.MaxLength:N0}).",
                paramName);
        }

        ThrowHelper.ThrowArgument(
            $"'{paramName}' is too large: {shape} takes up to {evaluations:N0} evaluations of f, more than FiniteDifferenceResult.Evaluations counts ({int.MaxValue:N0}); differentiate fewer coordinates at a time.",
            paramName);
    }

    /// <summary>The thread count for <see cref="FiniteDifferenceOptions{T}.MaxDegreeOfParallelism"/>.</summary>
    private static int DegreeOfParallelism(int requested) =>
        requested == -1 ? Environment.ProcessorCount : requested;

    /// <summary>Throws the exception of a failed stencil with the coordinate and the point named.</summary>
    private static void ThrowStencilFailure<T>(StencilStatus status, in StencilOutcome<T> outcome, ReadOnlySpan<T> x, int coordinate, T lower, T upper)
        where T : IFloatingPointIeee754<T>
    {
        if (status == StencilStatus.NoRoom)
        {
            ThrowHelper.ThrowBoundsLeaveNoRoom(coordinate, double.CreateTruncating(lower), double.CreateTruncating(upper), x.Length);
        }

        ThrowHelper.ThrowNonFiniteFunctionValue(
            DescribePoint(x), coordinate, double.CreateTruncating(outcome.FailedOffset), double.CreateTruncating(outcome.FailedValue));
    }

    /// <summary>The point as text for an error message (the first coordinates of long vectors).</summary>
    private static string DescribePoint<T>(ReadOnlySpan<T> x)
        where T : IFloatingPointIeee754<T>
    {
        const int Shown = 8;
        var parts = new string[Math.Min(x.Length, Shown)];
        for (var i = 0; i < parts.Length; i++)
        {
            parts[i] = x[i].ToString("R", System.Globalization.CultureInfo.InvariantCulture);
        }

        var tail = x.Length > Shown ? $", … ({x.Length} coordinates)" : "";
        return $"[{string.Join(", ", parts)}{tail}]";
    }
}
