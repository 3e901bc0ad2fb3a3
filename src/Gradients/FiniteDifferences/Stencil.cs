using System.Numerics;
using System.Runtime.CompilerServices;

namespace Gradients;

/// <summary>
/// A one-dimensional restriction t ↦ f(x + t·v) of the function being differentiated: a coordinate axis (v = eᵢ),
/// a direction, or a scalar function. The stencil code works on lines only, so the gradient, the directional
/// derivative and the scalar derivative share one implementation of every scheme, bound and fallback rule.
/// </summary>
internal interface IStencilLine<T>
    where T : IFloatingPointIeee754<T>
{
    /// <summary>
    /// Evaluates f at offset <paramref name="offset"/> along the line and reports the offset actually applied
    /// after the point was rounded (and clamped into the box); difference quotients divide by that offset.
    /// </summary>
    T Evaluate(T offset, out T appliedOffset);

    /// <summary>The size of the coordinates the line moves, max(|x|, 1): with ε it bounds the rounding of f's argument.</summary>
    T InputScale { get; }
}

/// <summary>Which side(s) of x a stencil uses.</summary>
internal enum StencilSide
{
    Both,
    Plus,
    Minus,
}

internal enum StencilStatus
{
    Ok,
    NonFinite,
    NoRoom,
}

/// <summary>The outcome of differentiating along one line.</summary>
internal struct StencilOutcome<T>
    where T : IFloatingPointIeee754<T>
{
    public T Derivative;
    public T ErrorEstimate;
    public T Step;
    public bool OneSided;
    public int Evaluations;
    public T FailedOffset;
    public T FailedValue;
}

/// <summary>
/// The difference formulas. Every quotient divides by the offsets actually applied (point − x after rounding), so
/// a step that is not exactly representable, or a point clamped onto a bound, costs O(ε) rather than O(ε|x|/h).
/// </summary>
internal static class Stencil
{
    /// <summary>
    /// Differentiates along <paramref name="line"/> at offset 0 with nominal step <paramref name="step"/>, never
    /// evaluating farther than <paramref name="roomMinus"/> below or <paramref name="roomPlus"/> above.
    /// f(x) is taken from <paramref name="functionValue"/> when <paramref name="hasFunctionValue"/> is set, else
    /// evaluated on first need and stored there for the next coordinate.
    /// </summary>
    public static StencilStatus Differentiate<T, TLine>(
        ref TLine line,
        FiniteDifferenceScheme scheme,
        T step,
        T roomMinus,
        T roomPlus,
        NonFiniteValuePolicy policy,
        ref T functionValue,
        ref bool hasFunctionValue,
        out StencilOutcome<T> outcome)
        where T : IFloatingPointIeee754<T>
        where TLine : IStencilLine<T>, allows ref struct
    {
        if (scheme == FiniteDifferenceScheme.Adaptive)
        {
            return AdaptiveStencil.Differentiate(ref line, step, roomMinus, roomPlus, ref functionValue, ref hasFunctionValue, out outcome);
        }

        outcome = default;
        outcome.ErrorEstimate = T.NaN;

        Span<StencilSide> order = stackalloc StencilSide[3];
        var count = Candidates(scheme, order);
        var first = Primary(scheme, step, roomMinus, roomPlus, order[..count], out var firstStep);
        if (first < 0)
        {
            return StencilStatus.NoRoom;
        }

        var status = Apply(ref line, scheme, order[first], firstStep, ref functionValue, ref hasFunctionValue, ref outcome);
        outcome.OneSided = order[first] != order[0];
        if (status == StencilStatus.Ok || policy == NonFiniteValuePolicy.Throw || T.IsZero(outcome.FailedOffset))
        {
            // A non-finite f(x) itself (failed offset 0) leaves no stencil to fall back to.
            return status;
        }

        var failedOffset = outcome.FailedOffset;
        var failedValue = outcome.FailedValue;
        for (var k = 0; k < count; k++)
        {
            var side = order[k];
            if (k == first || !Fallback(scheme, side, step, roomMinus, roomPlus, failedOffset, out var fallbackStep))
            {
                continue;
            }

            status = Apply(ref line, scheme, side, fallbackStep, ref functionValue, ref hasFunctionValue, ref outcome);
            if (status == StencilStatus.Ok)
            {
                outcome.OneSided = true;
                return status;
            }

            if (T.IsZero(outcome.FailedOffset))
            {
                return status;
            }
        }

        outcome.FailedOffset = failedOffset;
        outcome.FailedValue = failedValue;
        return StencilStatus.NonFinite;
    }

    /// <summary>
    /// Writes the candidate stencils in order of preference: the requested one, then one-sided ones (SciPy's
    /// approx_derivative turns one-sided near bounds the same way). Returns their count.
    /// </summary>
    internal static int Candidates(FiniteDifferenceScheme scheme, Span<StencilSide> order)
    {
        switch (scheme)
        {
            case FiniteDifferenceScheme.Forward:
                order[0] = StencilSide.Plus;
                order[1] = StencilSide.Minus;
                return 2;
            case FiniteDifferenceScheme.Backward:
                order[0] = StencilSide.Minus;
                order[1] = StencilSide.Plus;
                return 2;
            default:
                order[0] = StencilSide.Both;
                order[1] = StencilSide.Plus;
                order[2] = StencilSide.Minus;
                return 3;
        }
    }

    /// <summary>
    /// The first candidate that fits the box at the full step; when none fits, the one-sided candidate on the
    /// roomier side, with its step shrunk to fit. Returns −1 when the box leaves no room at all.
    /// </summary>
    internal static int Primary<T>(FiniteDifferenceScheme scheme, T step, T roomMinus, T roomPlus, ReadOnlySpan<StencilSide> order, out T primaryStep)
        where T : IFloatingPointIeee754<T>
    {
        primaryStep = step;
        for (var k = 0; k < order.Length; k++)
        {
            if (Fits(order[k], Reach<T>(scheme, order[k]) * step, roomMinus, roomPlus))
            {
                return k;
            }
        }

        var first = -1;
        var bestRoom = T.Zero;
        for (var k = 0; k < order.Length; k++)
        {
            if (order[k] == StencilSide.Both)
            {
                continue;
            }

            var room = order[k] == StencilSide.Plus ? roomPlus : roomMinus;
            if (room > bestRoom)
            {
                bestRoom = room;
                first = k;
            }
        }

        if (first >= 0)
        {
            primaryStep = bestRoom / Reach<T>(scheme, order[first]);
        }

        return first;
    }

    /// <summary>
    /// Whether <paramref name="side"/> can replace a stencil that failed at <paramref name="failedOffset"/>: a
    /// one-sided stencil on the other side of x, with room for a positive step.
    /// </summary>
    internal static bool Fallback<T>(FiniteDifferenceScheme scheme, StencilSide side, T step, T roomMinus, T roomPlus, T failedOffset, out T fallbackStep)
        where T : IFloatingPointIeee754<T>
    {
        fallbackStep = T.Zero;
        if (side == StencilSide.Both || (side == StencilSide.Plus) == (failedOffset > T.Zero))
        {
            return false;
        }

        var room = side == StencilSide.Plus ? roomPlus : roomMinus;
        fallbackStep = T.Min(step, room / Reach<T>(scheme, side));
        return fallbackStep > T.Zero;
    }

    /// <summary>How many steps from x the stencil reaches on its side(s).</summary>
    internal static T Reach<T>(FiniteDifferenceScheme scheme, StencilSide side)
        where T : IFloatingPointIeee754<T> => scheme switch
        {
            FiniteDifferenceScheme.Forward or FiniteDifferenceScheme.Backward => T.One,
            FiniteDifferenceScheme.FourthOrderCentral => side == StencilSide.Both ? T.CreateTruncating(2) : T.CreateTruncating(4),
            _ => side == StencilSide.Both ? T.One : T.CreateTruncating(2),
        };

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool Fits<T>(StencilSide side, T reach, T roomMinus, T roomPlus)
        where T : IFloatingPointIeee754<T> => side switch
        {
            StencilSide.Both => reach <= roomMinus && reach <= roomPlus,
            StencilSide.Plus => reach <= roomPlus,
            _ => reach <= roomMinus,
        };

    private static StencilStatus Apply<T, TLine>(
        ref TLine line,
        FiniteDifferenceScheme scheme,
        StencilSide side,
        T step,
        ref T functionValue,
        ref bool hasFunctionValue,
        ref StencilOutcome<T> outcome)
        where T : IFloatingPointIeee754<T>
        where TLine : IStencilLine<T>, allows ref struct
    {
        outcome.Step = step;
        outcome.ErrorEstimate = T.NaN;
        var sign = side == StencilSide.Minus ? -T.One : T.One;
        if (side == StencilSide.Both)
        {
            return scheme switch
            {
                FiniteDifferenceScheme.FourthOrderCentral => ExtrapolatedCentral(ref line, step, estimate: false, ref outcome),
                FiniteDifferenceScheme.Richardson => ExtrapolatedCentral(ref line, step / T.CreateTruncating(2), estimate: true, ref outcome),
                _ => Central(ref line, step, ref outcome),
            };
        }

        if (!hasFunctionValue)
        {
            functionValue = line.Evaluate(T.Zero, out _);
            outcome.Evaluations++;
            hasFunctionValue = true;
        }

        if (!T.IsFinite(functionValue))
        {
            return Fail(T.Zero, functionValue, ref outcome);
        }

        return scheme switch
        {
            FiniteDifferenceScheme.Forward or FiniteDifferenceScheme.Backward => TwoPoint(ref line, sign * step, functionValue, ref outcome),
            FiniteDifferenceScheme.FourthOrderCentral => ExtrapolatedOneSided(ref line, sign * step, functionValue, estimate: false, ref outcome),
            FiniteDifferenceScheme.Richardson => ExtrapolatedOneSided(ref line, sign * step / T.CreateTruncating(2), functionValue, estimate: true, ref outcome),
            _ => ThreePoint(ref line, sign * step, functionValue, ref outcome),
        };
    }

    private static StencilStatus Fail<T>(T offset, T value, ref StencilOutcome<T> outcome)
        where T : IFloatingPointIeee754<T>
    {
        outcome.FailedOffset = offset;
        outcome.FailedValue = value;
        return StencilStatus.NonFinite;
    }

    /// <summary>(f(x + h) − f(x − h)) / (applied span): truncation h²|f‴|/6.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static StencilStatus Central<T, TLine>(ref TLine line, T h, ref StencilOutcome<T> outcome)
        where T : IFloatingPointIeee754<T>
        where TLine : IStencilLine<T>, allows ref struct
    {
        var plus = line.Evaluate(h, out var deltaPlus);
        var minus = line.Evaluate(-h, out var deltaMinus);
        outcome.Evaluations += 2;
        if (!T.IsFinite(plus))
        {
            return Fail(h, plus, ref outcome);
        }

        if (!T.IsFinite(minus))
        {
            return Fail(-h, minus, ref outcome);
        }

        outcome.Derivative = DifferenceQuotient.Of(plus, minus, deltaPlus - deltaMinus);
        return StencilStatus.Ok;
    }

    /// <summary>(f(x + h) − f(x)) / h, h of either sign: truncation |h||f″|/2.</summary>
    private static StencilStatus TwoPoint<T, TLine>(ref TLine line, T h, T f0, ref StencilOutcome<T> outcome)
        where T : IFloatingPointIeee754<T>
        where TLine : IStencilLine<T>, allows ref struct
    {
        var value = line.Evaluate(h, out var delta);
        outcome.Evaluations++;
        if (!T.IsFinite(value))
        {
            return Fail(h, value, ref outcome);
        }

        outcome.Derivative = DifferenceQuotient.Of(value, f0, delta);
        return StencilStatus.Ok;
    }

    /// <summary>
    /// The one-sided second-order formula (−3f(x) + 4f(x + h) − f(x + 2h)) / 2h, h of either sign, written for the
    /// applied offsets (the derivative at 0 of the parabola through the three points): truncation h²|f‴|/3.
    /// </summary>
    private static StencilStatus ThreePoint<T, TLine>(ref TLine line, T h, T f0, ref StencilOutcome<T> outcome)
        where T : IFloatingPointIeee754<T>
        where TLine : IStencilLine<T>, allows ref struct
    {
        var f1 = line.Evaluate(h, out var d1);
        outcome.Evaluations++;
        if (!T.IsFinite(f1))
        {
            return Fail(h, f1, ref outcome);
        }

        var f2 = line.Evaluate(h + h, out var d2);
        outcome.Evaluations++;
        if (!T.IsFinite(f2))
        {
            return Fail(h + h, f2, ref outcome);
        }

        outcome.Derivative = Parabola(f0, f1, d1, f2, d2);
        return StencilStatus.Ok;
    }

    /// <summary>
    /// The slope at 0 of the parabola through (0, f0), (d1, f1), (d2, f2); recomputed on scaled values when the
    /// differences overflow (<see cref="DifferenceQuotient"/>).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static T Parabola<T>(T f0, T f1, T d1, T f2, T d2)
        where T : IFloatingPointIeee754<T>
    {
        var slope = ParabolaOf(f0, f1, d1, f2, d2);
        if (T.IsFinite(slope))
        {
            return slope;
        }

        var down = DifferenceQuotient.Down<T>();
        return DifferenceQuotient.Up(ParabolaOf(f0 * down, f1 * down, d1, f2 * down, d2));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static T ParabolaOf<T>(T f0, T f1, T d1, T f2, T d2)
        where T : IFloatingPointIeee754<T> =>
        (((f1 - f0) * (d2 / d1)) - ((f2 - f0) * (d1 / d2))) / (d2 - d1);

    /// <summary>
    /// Richardson extrapolation of central differences at 2k and k, D = (4·D(k) − D(2k)) / 3 — algebraically the
    /// fourth-order formula (−f(x + 2k) + 8f(x + k) − 8f(x − k) + f(x − 2k)) / 12k; truncation k⁴|f⁽⁵⁾|/30.
    /// The error estimate follows Numerical Recipes' dfridr (§5.7): the size of the last correction,
    /// |D(k) − D(2k)| / 3, plus the worst-case round-off Σ|cⱼ|·|fⱼ|·ε of the combined stencil (each value assumed
    /// correct to within ε relative) and ε|D| for the final roundings, so the estimate stays honest when the
    /// truncation error is tiny.
    /// </summary>
    private static StencilStatus ExtrapolatedCentral<T, TLine>(ref TLine line, T k, bool estimate, ref StencilOutcome<T> outcome)
        where T : IFloatingPointIeee754<T>
        where TLine : IStencilLine<T>, allows ref struct
    {
        var k2 = k + k;
        var plus1 = line.Evaluate(k, out var dPlus1);
        var minus1 = line.Evaluate(-k, out var dMinus1);
        var plus2 = line.Evaluate(k2, out var dPlus2);
        var minus2 = line.Evaluate(-k2, out var dMinus2);
        outcome.Evaluations += 4;
        if (!T.IsFinite(plus1))
        {
            return Fail(k, plus1, ref outcome);
        }

        if (!T.IsFinite(minus1))
        {
            return Fail(-k, minus1, ref outcome);
        }

        if (!T.IsFinite(plus2))
        {
            return Fail(k2, plus2, ref outcome);
        }

        if (!T.IsFinite(minus2))
        {
            return Fail(-k2, minus2, ref outcome);
        }

        outcome.Derivative = CombineCentral(plus1, minus1, dPlus1 - dMinus1, plus2, minus2, dPlus2 - dMinus2, estimate, out outcome.ErrorEstimate);
        return StencilStatus.Ok;
    }

    /// <summary>
    /// The one-sided counterpart of <see cref="ExtrapolatedCentral{T, TLine}"/>: the three-point formula at k and at
    /// 2k (points x, x + k, x + 2k, x + 4k, k of either sign), extrapolated as (4·D(k) − D(2k)) / 3, which cancels
    /// the k² term and leaves O(k³). The estimate is built the same way.
    /// </summary>
    private static StencilStatus ExtrapolatedOneSided<T, TLine>(ref TLine line, T k, T f0, bool estimate, ref StencilOutcome<T> outcome)
        where T : IFloatingPointIeee754<T>
        where TLine : IStencilLine<T>, allows ref struct
    {
        var k2 = k + k;
        var k4 = k2 + k2;
        var f1 = line.Evaluate(k, out var d1);
        var f2 = line.Evaluate(k2, out var d2);
        var f4 = line.Evaluate(k4, out var d4);
        outcome.Evaluations += 3;
        if (!T.IsFinite(f1))
        {
            return Fail(k, f1, ref outcome);
        }

        if (!T.IsFinite(f2))
        {
            return Fail(k2, f2, ref outcome);
        }

        if (!T.IsFinite(f4))
        {
            return Fail(k4, f4, ref outcome);
        }

        outcome.Derivative = CombineOneSided(f0, f1, d1, f2, d2, f4, d4, estimate, out outcome.ErrorEstimate);
        return StencilStatus.Ok;
    }

    /// <summary>
    /// (4·D(k) − D(2k)) / 3 from the central quotients at k and 2k, with the estimate described on
    /// <see cref="ExtrapolatedCentral{T, TLine}"/> when <paramref name="estimate"/> is set (NaN otherwise).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static T CombineCentral<T>(T plus1, T minus1, T span1, T plus2, T minus2, T span2, bool estimate, out T errorEstimate)
        where T : IFloatingPointIeee754<T>
    {
        var derivative = CombineCentralOf(plus1, minus1, span1, plus2, minus2, span2, estimate, out errorEstimate);
        if (T.IsFinite(derivative) && !T.IsInfinity(errorEstimate))
        {
            return derivative;
        }

        // Differences that overflow although every value is finite: the same formula on values scaled by 2⁻⁴.
        var down = DifferenceQuotient.Down<T>();
        derivative = CombineCentralOf(plus1 * down, minus1 * down, span1, plus2 * down, minus2 * down, span2, estimate, out errorEstimate);
        errorEstimate = T.IsNaN(errorEstimate) ? errorEstimate : DifferenceQuotient.Up(errorEstimate);
        return DifferenceQuotient.Up(derivative);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static T CombineCentralOf<T>(T plus1, T minus1, T span1, T plus2, T minus2, T span2, bool estimate, out T errorEstimate)
        where T : IFloatingPointIeee754<T>
    {
        var fine = (plus1 - minus1) / span1;
        var coarse = (plus2 - minus2) / span2;
        var three = T.CreateTruncating(3);
        var correction = (fine - coarse) / three;
        var derivative = fine + correction;
        errorEstimate = T.NaN;
        if (estimate)
        {
            var epsilon = StepFactors<T>.Epsilon;
            var roundOff = epsilon * (
                (T.CreateTruncating(4) * (T.Abs(plus1) + T.Abs(minus1)) / (three * span1)) +
                ((T.Abs(plus2) + T.Abs(minus2)) / (three * span2)));
            errorEstimate = T.Abs(correction) + roundOff + (epsilon * T.Abs(derivative));
        }

        return derivative;
    }

    /// <summary>
    /// (4·D(k) − D(2k)) / 3 from the one-sided three-point quotients on (0, k, 2k) and (0, 2k, 4k), with the
    /// estimate built like <see cref="CombineCentral{T}"/>'s.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static T CombineOneSided<T>(T f0, T f1, T d1, T f2, T d2, T f4, T d4, bool estimate, out T errorEstimate)
        where T : IFloatingPointIeee754<T>
    {
        var derivative = CombineOneSidedOf(f0, f1, d1, f2, d2, f4, d4, estimate, out errorEstimate);
        if (T.IsFinite(derivative) && !T.IsInfinity(errorEstimate))
        {
            return derivative;
        }

        // Differences that overflow although every value is finite: the same formula on values scaled by 2⁻⁴.
        var down = DifferenceQuotient.Down<T>();
        derivative = CombineOneSidedOf(f0 * down, f1 * down, d1, f2 * down, d2, f4 * down, d4, estimate, out errorEstimate);
        errorEstimate = T.IsNaN(errorEstimate) ? errorEstimate : DifferenceQuotient.Up(errorEstimate);
        return DifferenceQuotient.Up(derivative);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static T CombineOneSidedOf<T>(T f0, T f1, T d1, T f2, T d2, T f4, T d4, bool estimate, out T errorEstimate)
        where T : IFloatingPointIeee754<T>
    {
        var fine = ParabolaOf(f0, f1, d1, f2, d2);
        var coarse = ParabolaOf(f0, f2, d2, f4, d4);
        var three = T.CreateTruncating(3);
        var correction = (fine - coarse) / three;
        var derivative = fine + correction;
        errorEstimate = T.NaN;
        if (estimate)
        {
            // Coefficient magnitudes of the three-point formula: (3/2, 2, 1/2) / |step|.
            var epsilon = StepFactors<T>.Epsilon;
            var half = T.CreateTruncating(0.5);
            var absF0 = T.Abs(f0) * T.CreateTruncating(1.5);
            var fineNoise = (absF0 + (T.CreateTruncating(2) * T.Abs(f1)) + (half * T.Abs(f2))) / T.Abs(d1);
            var coarseNoise = (absF0 + (T.CreateTruncating(2) * T.Abs(f2)) + (half * T.Abs(f4))) / T.Abs(d2);
            var roundOff = epsilon * ((T.CreateTruncating(4) * fineNoise) + coarseNoise) / three;
            errorEstimate = T.Abs(correction) + roundOff + (epsilon * T.Abs(derivative));
        }

        return derivative;
    }
}
