using System.Numerics;

namespace Gradients;

public static partial class FiniteDifference
{
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
        if ((uint)options.Scheme > (uint)FiniteDifferenceScheme.Richardson)
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

            ThrowHelper.ThrowIfLengthMismatch(steps.Length, n, "options.Steps", "the point 'x'");
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
            ThrowHelper.ThrowIfLengthMismatch(lower.Length, n, "options.LowerBounds", "the point 'x'");
        }

        if (!upper.IsEmpty)
        {
            ThrowHelper.ThrowIfLengthMismatch(upper.Length, n, "options.UpperBounds", "the point 'x'");
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
