using System.Numerics;
using System.Runtime.CompilerServices;

namespace Gradients;

/// <summary>
/// <see cref="FiniteDifferenceScheme.Adaptive"/>: Ridders' method — difference quotients at a geometric sequence of
/// steps from large to small, extrapolated to h → 0 in a Neville tableau, returning the entry with the smallest error
/// estimate (C. J. F. Ridders, "Accurate computation of F′(x) and F′(x)F″(x)", Advances in Engineering Software
/// 4(2), 1982; Press et al., Numerical Recipes, 3rd ed., §5.7, <c>dfridr</c>). As in numdifftools
/// (<c>numdifftools/limits.py</c>, <c>_extrapolate</c> and <c>_get_best_estimate</c>) and FiniteDifferences.jl
/// (<c>extrapolate_fdm</c>), the step sequence is long enough to find the scale of f by itself.
/// </summary>
/// <remarks>
/// <para><b>Sequence.</b> It starts at the nominal step (by default ¼·max(|x|, 1), or the user's step) and divides
/// by <see cref="SearchRatio"/> (8) while the quotients do not yet behave like a converging sequence (their
/// relative change from one step to the next exceeds ½), then by <see cref="Ratio"/> (2.1) once they do: a function
/// that varies on a scale far below max(|x|, 1) — sin(10⁶x) at 10⁻⁷, 1/x at 10⁻⁸ — is reached in a few steps per
/// decade, and the tableau then works at the usual ratio. A non-finite value (a stencil point outside f's domain)
/// shrinks the step by the search ratio and restarts the tableau instead of failing.</para>
/// <para><b>Tableau.</b> Central quotients have an error series in h², one-sided ones in h; column j of the
/// tableau removes the j-th term by Neville's rule for the steps actually used (so the sequence need not be
/// exactly geometric). Four columns (up to O(h⁸) central).</para>
/// <para><b>Error estimate</b> (of the value returned): dfridr's max(|Tₖⱼ − Tₖ,ⱼ₋₁|, |Tₖⱼ − Tₖ₋₁,ⱼ₋₁|) plus twice the
/// round-off ε·(|f₊| + |f₋|)/|Δ| of the quotient. An entry counts as converged only when its row is in the asymptotic
/// range and its estimate is below ε^¼ of the value or the round-off; the search stops when the best estimate is at
/// the level of the round-off or the next row is worse by more than <see cref="Safe"/> (dfridr's SAFE). When no entry
/// converged, the entry with the smallest estimate is returned with that estimate, which is then large: the caller can
/// tell a failure from a success.</para>
/// <para><b>The asymptotic range.</b> dfridr's differences measure an entry's error only when every row it
/// extrapolates across has an error c·hᵖ plus smaller terms; f varying on a scale far below the first step (log-sum-exp
/// or softplus at |x| ≈ 10²…10⁴) breaks that on the way down, and estimates came back up to 86× (double) and 3000×
/// (float) below the error. A
/// row is in the range when its quotient changed by at most a tenth from the row before (or by round-off only) and,
/// until a change first passes it, by between an eighth of and twice what the leading term predicts from the change
/// before (<see cref="ExpectedShrink"/>), unless the rounding of f's argument, ε·max(|x|, 1)·|q|/h, can explain it. A row
/// outside the range starts a new tableau; an entry of such a row, or one that reaches back to the first row after a
/// jump (the edge of the range), must also agree with the last row's best entry; and a finer row that
/// disagrees with the converged value by more than its own estimate widens that value's estimate to the disagreement
/// less that estimate.</para>
/// <para><b>Convergence check.</b> A converged value followed by a finer quotient that jumps (relative change above a
/// tenth and beyond the round-off) is contradicted, since truncation only shrinks with h: what a periodic f aliasing
/// with the sequence looks like. The value's estimate grows to cover the jump and the search goes on once, for at
/// most <see cref="MaxReopenedRows"/> rows, where a genuine convergence replaces it. With the ratio 2.1 this leaves
/// no silent failure among 1000 sin/cos derivatives at |x| in 1e3…1e6 (docs/accuracy.md).</para>
/// <para><b>Bounds.</b> The central tableau is used while the box leaves at least 1/16 of the nominal step on both
/// sides (the step shrunk to fit); otherwise a one-sided tableau on the roomier side.</para>
/// </remarks>
internal static class AdaptiveStencil
{
    /// <summary>
    /// The ratio of successive steps once the quotients converge (Numerical Recipes' CON is 1.4; about 2 costs fewer
    /// evaluations). Not a power of two: with 2, a step near 2π·N·2ᵐ stays near a multiple of a period for m rows and
    /// a periodic f's quotients converge on garbage (74 of 1000 sin/cos derivatives at |x| in 1e3…1e6).
    /// </summary>
    internal const double Ratio = 2.1;

    /// <summary>The ratio of successive steps while the quotients have not yet started to converge.</summary>
    internal const int SearchRatio = 8;

    /// <summary>Stop when the next row's best estimate is worse than this multiple of the best so far (dfridr's SAFE).</summary>
    private const int Safe = 2;

    /// <summary>Types with a machine epsilon above this (float, Half) divide the first step by <see cref="Ratio"/>, not <see cref="SearchRatio"/>.</summary>
    private const double GentleStartEpsilon = 1e-10;

    /// <summary>Whether T is short enough for the gentle start (its machine epsilon above <see cref="GentleStartEpsilon"/>).</summary>
    internal static bool GentleStart<T>()
        where T : IFloatingPointIeee754<T> => StepFactors<T>.Epsilon > T.CreateTruncating(GentleStartEpsilon);

    /// <summary>How many times a contradicted convergence reopens the search.</summary>
    internal const int MaxReopenings = 1;

    /// <summary>The rows a reopened search may spend without a new convergence (8 rows reach 8⁻⁸ of the step).</summary>
    internal const int MaxReopenedRows = 8;

    /// <summary>The most rows (pairs of evaluations) spent: enough to go from |x| down to ε·|x| at the search ratio.</summary>
    internal const int MaxRows = 40;

    /// <summary>The relative step factor of the first (largest) step: h₀ = ¼·max(|x|, 1).</summary>
    internal static T InitialFactor<T>()
        where T : IFloatingPointIeee754<T> => T.CreateTruncating(0.25);

    /// <summary>Differentiates along <paramref name="line"/> at 0 starting from step <paramref name="step"/>.</summary>
    public static StencilStatus Differentiate<T, TLine>(
        ref TLine line,
        T step,
        T roomMinus,
        T roomPlus,
        ref T functionValue,
        ref bool hasFunctionValue,
        out StencilOutcome<T> outcome)
        where T : IFloatingPointIeee754<T>
        where TLine : IStencilLine<T>, allows ref struct
    {
        outcome = default;
        outcome.ErrorEstimate = T.NaN;
        if (!T.IsFinite(step))
        {
            // ¼·|x| rounded past the top of the range (|x| near T.MaxValue): start from the largest finite step.
            step = T.BitDecrement(T.PositiveInfinity) / T.CreateTruncating(SearchRatio);
        }

        var smallestRoom = T.Min(roomMinus, roomPlus);
        var sixteenth = T.CreateTruncating(0.0625);
        StencilStatus status;
        if (smallestRoom >= step * sixteenth)
        {
            status = Run(ref line, StencilSide.Both, T.Min(step, smallestRoom), ref functionValue, ref hasFunctionValue, ref outcome);
            if (status == StencilStatus.Ok || T.IsZero(outcome.FailedOffset))
            {
                return status;
            }
        }
        else if (roomPlus <= T.Zero && roomMinus <= T.Zero)
        {
            return StencilStatus.NoRoom;
        }

        // No central step gave finite values (or the box is too tight for one): one-sided, the roomier side first.
        var failedOffset = outcome.FailedOffset;
        var failedValue = outcome.FailedValue;
        var plusFirst = roomPlus >= roomMinus;
        for (var attempt = 0; attempt < 2; attempt++)
        {
            var side = (attempt == 0) == plusFirst ? StencilSide.Plus : StencilSide.Minus;
            var room = side == StencilSide.Plus ? roomPlus : roomMinus;
            if (!(room > T.Zero))
            {
                continue;
            }

            status = Run(ref line, side, T.Min(step, room), ref functionValue, ref hasFunctionValue, ref outcome);
            if (status == StencilStatus.Ok)
            {
                outcome.OneSided = true;
                return status;
            }

            if (T.IsZero(outcome.FailedOffset))
            {
                return status;
            }

            failedOffset = outcome.FailedOffset;
            failedValue = outcome.FailedValue;
        }

        outcome.FailedOffset = failedOffset!;
        outcome.FailedValue = failedValue!;
        return StencilStatus.NonFinite;
    }

    /// <summary>One tableau on one stencil (central or one-sided), from <paramref name="step"/> down.</summary>
    private static StencilStatus Run<T, TLine>(
        ref TLine line,
        StencilSide side,
        T step,
        ref T functionValue,
        ref bool hasFunctionValue,
        ref StencilOutcome<T> outcome)
        where T : IFloatingPointIeee754<T>
        where TLine : IStencilLine<T>, allows ref struct
    {
        var central = side == StencilSide.Both;
        var sign = side == StencilSide.Minus ? -T.One : T.One;
        var f0 = T.Zero;
        if (!central)
        {
            if (!hasFunctionValue)
            {
                functionValue = line.Evaluate(T.Zero, out _);
                outcome.Evaluations++;
                hasFunctionValue = true;
            }

            f0 = functionValue;
            if (!T.IsFinite(f0))
            {
                outcome.FailedOffset = T.Zero;
                outcome.FailedValue = f0;
                return StencilStatus.NonFinite;
            }
        }

        var epsilon = StepFactors<T>.Epsilon;
        var tolerance = T.Sqrt(T.Sqrt(epsilon));
        var tenth = T.CreateTruncating(0.1);
        var half = T.CreateTruncating(0.5);
        var two = T.CreateTruncating(2);
        var sixteen = T.CreateTruncating(16);
        var four = T.CreateTruncating(4);
        var safe = T.CreateTruncating(Safe);
        var ratio = T.CreateTruncating(Ratio);
        var searchRatio = T.CreateTruncating(SearchRatio);

        // In a short type the round-off ε|f|/h of a quotient dominates: the large first steps are worth keeping, so
        // the second step is h₀/2.1, not h₀/8 (float: median error 1.2e-6 → 4.6e-7 at |x| ≈ 1, 2 more evaluations at
        // the median; in double it would cost 2 evaluations for no digit).
        var gentleStart = GentleStart<T>();

        // The rounding of the argument: f computing x/s or x − c from x carries ε·|x|·|f′| of error into every value,
        // ε·|x|·|q|/h into a quotient. The round-off model above (ε|f|/h) leaves it out; the rate test must not take
        // it for truncation.
        var inputRounding = epsilon * line.InputScale;

        Unsafe.SkipInit(out TableauRow<T> previous);
        Unsafe.SkipInit(out TableauRow<T> current);
        Unsafe.SkipInit(out TableauRow<T> steps); // the steps of the last rows, newest last
        var rows = 0;
        var shiftedRows = 0; // rows that reached the tableau (their steps are in the history)
        var previousDelta = T.NaN; // q(hₖ₋₁) − q(hₖ₋₂) when the last two rows were consecutive, for the rate test
        var rateConfirmed = false; // a change has shrunk at the leading term's rate: the rate test is off
        var previousRowValue = T.NaN; // the last row's best entry, for the cross-row check
        var trustedPairs = 0; // consecutive row pairs in the asymptotic range, ending at the last row
        var jumpStart = false; // the tableau's first row ended a jump (it restarted the tableau)
        var sawNonFinite = false;

        var bestValue = T.NaN;
        var bestError = T.PositiveInfinity;
        var bestStep = T.Zero;
        var converged = false;
        var reopenings = 0; // contradicted convergences (at most MaxReopenings re-searches)
        var reopened = false; // searching again after a contradiction, no new best yet
        var rowsSinceReopen = 0;
        var fallbackValue = T.NaN;
        var fallbackError = T.PositiveInfinity;
        var fallbackStep = T.Zero;

        var h = step;
        for (var k = 0; k < MaxRows && h > T.Zero; k++)
        {
            T quotient, noise, applied;
            if (central)
            {
                // The minus point mirrors the plus point as actually placed, so the stencil is symmetric to the bit
                // whatever the ratio (x ± h are then both exact on a coordinate axis).
                var plus = line.Evaluate(h, out var deltaPlus);
                var minus = line.Evaluate(T.IsFinite(deltaPlus) && deltaPlus > T.Zero ? -deltaPlus : -h, out var deltaMinus);
                outcome.Evaluations += 2;
                var span = deltaPlus - deltaMinus;

                // An infinite span (x ± h overflowed near the top of the range) is treated like a value outside f's
                // domain: shrink and restart.
                if (!T.IsFinite(plus) || !T.IsFinite(minus) || !(span > T.Zero) || !T.IsFinite(span))
                {
                    if (!T.IsFinite(plus) || !T.IsFinite(minus))
                    {
                        sawNonFinite = true;
                        outcome.FailedOffset = T.IsFinite(plus) ? -h : h;
                        outcome.FailedValue = T.IsFinite(plus) ? minus : plus;
                    }

                    if (!(span > T.Zero))
                    {
                        break; // the step no longer moves x: nothing finer to learn
                    }

                    rows = 0;
                    previousDelta = T.NaN;
                    rateConfirmed = false;
                    previousRowValue = T.NaN;
                    trustedPairs = 0;
                    jumpStart = false;
                    h /= searchRatio;
                    continue;
                }

                // The difference over the span, scaled first if it would overflow (finite values, finite slope).
                var difference = plus - minus;
                quotient = T.IsFinite(difference) ? difference / span : (plus / span) - (minus / span);
                noise = epsilon * ((T.Abs(plus) / span) + (T.Abs(minus) / span));
                applied = span / two;
            }
            else
            {
                var value = line.Evaluate(sign * h, out var delta);
                outcome.Evaluations++;
                if (!T.IsFinite(value) || T.IsZero(delta) || !T.IsFinite(delta))
                {
                    if (!T.IsFinite(value))
                    {
                        sawNonFinite = true;
                        outcome.FailedOffset = sign * h;
                        outcome.FailedValue = value;
                    }

                    if (T.IsZero(delta))
                    {
                        break;
                    }

                    rows = 0;
                    previousDelta = T.NaN;
                    rateConfirmed = false;
                    previousRowValue = T.NaN;
                    trustedPairs = 0;
                    jumpStart = false;
                    h /= searchRatio;
                    continue;
                }

                var difference = value - f0;
                quotient = T.IsFinite(difference) ? difference / delta : (value / delta) - (f0 / delta);
                noise = epsilon * ((T.Abs(value) + T.Abs(f0)) / T.Abs(delta));
                applied = T.Abs(delta);
            }

            if (shiftedRows > 0 && !(applied < steps[TableauRow<T>.Length - 1]))
            {
                break; // the grid of x left no smaller step: the same quotient again, nothing finer to learn
            }

            // Neville: column j removes the h^(j·p) term (p = 2 central, 1 one-sided) for the steps actually used.
            current[0] = quotient;
            var columns = Math.Min(rows, TableauRow<T>.Length - 1);
            for (var j = 1; j <= columns; j++)
            {
                var q = steps[TableauRow<T>.Length - j] / applied;
                var ratioToNode = central ? q * q : q; // Neville–Aitken at 0 for nodes in h² (central) or h (one-sided)
                current[j] = current[j - 1] + ((current[j - 1] - previous[j - 1]) / (ratioToNode - T.One));
            }

            var rowValue = T.NaN;
            var rowError = T.PositiveInfinity;
            var asymptotic = false;
            var onRate = true;
            var settling = false;
            var measured = rows > 0;
            var rowDelta = T.NaN;
            if (measured)
            {
                rowDelta = quotient - previous[0];
                var change = T.Abs(rowDelta);
                settling = change <= half * T.Abs(quotient);
                asymptotic = change <= tenth * T.Abs(quotient) || change <= sixteen * noise;
                // The rate test, until it first passes: in the asymptotic range the changes shrink as the leading term
                // c·hᵖ does; one over twice that is not there yet (a relative change below a tenth is no proof when f′ is
                // large beside the part of f that varies: softplus(x − c) + x at x = 2363), and neither is one below an
                // eighth of it (two terms cancelling: the one-sided quotient of sin at −6.24 is flat between h = 0.09 and
                // 0.04 and wrong by 7e-4 at both). It decides where the tableau starts and when it may first converge.
                // A change the rounding of f's argument can explain (sin(x/10) at 29000 in float) is not tested, and
                // once the rate has been seen round-off is left to the checks below.
                if (!rateConfirmed && asymptotic && RateApplies(change, noise, inputRounding * T.Abs(quotient) / applied, previousDelta))
                {
                    onRate = ShrinksAtRate(change, previousDelta, applied, steps[TableauRow<T>.Length - 1], steps[TableauRow<T>.Length - 2], central);
                    rateConfirmed = onRate;
                }

                // Column j rests on rows k−j…k. dfridr's differences estimate its error only where those rows are in the
                // asymptotic range: all j pairs passed, and none is the first row after a jump (the tests judge a pair,
                // and that row is the edge of the range). Elsewhere the entry must also agree with the last row's best
                // entry: an error shared by the whole tableau moves its entries together, so only the next row sees it
                // (log-sum-exp at x = 77 on a sigmoid tail: estimate 5.5e-9, error 9.6e-8 without it).
                var pairsInRange = asymptotic && onRate ? trustedPairs + 1 : 0;
                for (var j = 0; j <= columns; j++)
                {
                    var error = j == 0
                        ? change
                        : T.Max(T.Abs(current[j] - current[j - 1]), T.Abs(current[j] - previous[j - 1]));
                    if ((j > pairsInRange || (jumpStart && j == rows)) && T.IsFinite(previousRowValue))
                    {
                        error = T.Max(error, T.Abs(current[j] - previousRowValue));
                    }

                    error += two * noise;
                    if (error < rowError)
                    {
                        rowError = error;
                        rowValue = current[j];
                    }
                }

                // A finer row that disagrees with the converged value by more than its own estimate bounds that value's
                // error from below (if its estimate holds): the value's estimate grows to |v − vₖ| − eₖ. It only widens;
                // the finer row replaces the value only by converging with a smaller estimate.
                var contradiction = T.Abs(rowValue - bestValue) - rowError;
                if (contradiction > bestError)
                {
                    bestError = contradiction;
                }

                if (rowError < fallbackError)
                {
                    fallbackError = rowError;
                    fallbackValue = rowValue;
                    fallbackStep = applied;
                }
            }

            var inRange = asymptotic && onRate;
            var rowConverged = inRange && trustedPairs > 0 &&
                               (rowError <= tolerance * T.Abs(rowValue) || rowError <= sixteen * noise);
            trustedPairs = inRange ? trustedPairs + 1 : 0;

            // Shift the row and the step history. A row that jumped from the one before (outside the asymptotic range)
            // starts a new tableau: extrapolating across a row outside the range leaves that row's error in every entry
            // built on it, and after a search step (ratio 8) those entries barely move, so their estimates miss it.
            previous = current;
            for (var j = 0; j < TableauRow<T>.Length - 1; j++)
            {
                steps[j] = steps[j + 1];
            }

            steps[TableauRow<T>.Length - 1] = applied;
            shiftedRows++;
            var jumped = measured && !inRange;
            jumpStart |= jumped;
            rows = jumped ? 1 : rows + 1;
            previousDelta = rowDelta;
            previousRowValue = rowValue;

            if (rowConverged)
            {
                if (rowError < bestError)
                {
                    bestError = rowError;
                    bestValue = rowValue;
                    bestStep = applied;
                    converged = true;
                    reopened = false;
                }
                else if (rowError > safe * bestError)
                {
                    break;
                }

                if (bestError <= four * epsilon * T.Abs(bestValue))
                {
                    break;
                }
            }
            else if (converged)
            {
                if (measured && !inRange && !reopened)
                {
                    // The convergence check: a finer quotient that jumps away from a converged value contradicts it
                    // (truncation only shrinks with h, and noise within the model keeps a row asymptotic). It is what
                    // a periodic f aliasing with the sequence looks like — steps near multiples of the period give
                    // consistent quotients until one does not. The estimate grows to cover the jump, and the search
                    // goes on (once) below, where a genuine convergence replaces the value.
                    bestError = T.Max(bestError, T.Abs(quotient - bestValue));
                    if (reopenings >= MaxReopenings)
                    {
                        break;
                    }

                    reopenings++;
                    reopened = true;
                    rowsSinceReopen = 0;
                }
                else if (!reopened)
                {
                    break;
                }
            }

            if (reopened && ++rowsSinceReopen > MaxReopenedRows)
            {
                break;
            }

            // The usual ratio once the quotients settle; the search ratio while they still jump around.
            h /= (converged && !reopened) || settling || (!measured && gentleStart) ? ratio : searchRatio;
        }

        if (!converged)
        {
            if (T.IsNaN(fallbackValue))
            {
                if (sawNonFinite)
                {
                    return StencilStatus.NonFinite;
                }

                // One usable row only (every finer step failed or vanished): its quotient, with no estimate.
                if (rows == 1)
                {
                    outcome.Derivative = previous[0];
                    outcome.ErrorEstimate = T.PositiveInfinity;
                    outcome.Step = steps[TableauRow<T>.Length - 1];
                    return StencilStatus.Ok;
                }

                outcome.FailedOffset = T.Zero;
                outcome.FailedValue = T.NaN;
                return StencilStatus.NoRoom;
            }

            bestValue = fallbackValue;
            bestError = fallbackError;
            bestStep = fallbackStep;
        }

        outcome.Derivative = bestValue;
        outcome.ErrorEstimate = bestError;
        outcome.Step = bestStep;
        return StencilStatus.Ok;
    }

    /// <summary>
    /// Whether the rate test judges a change: there is a change before it to compare with, and the change is beyond what
    /// round-off can explain, 16× the quotient's modelled round-off <paramref name="noise"/> plus the rounding of f's
    /// argument <paramref name="argumentRounding"/> (ε·max(|x|, 1)·|q|/h).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static bool RateApplies<T>(T change, T noise, T argumentRounding, T previousDelta)
        where T : IFloatingPointIeee754<T> =>
        T.IsFinite(previousDelta) && change > T.CreateTruncating(16) * (noise + argumentRounding);

    /// <summary>
    /// Whether <paramref name="change"/> is within an eighth of and twice what the leading term c·hᵖ predicts from the
    /// change before (<see cref="ExpectedShrink"/> times |<paramref name="previousDelta"/>|): the rate test.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static bool ShrinksAtRate<T>(T change, T previousDelta, T step, T previousStep, T stepBefore, bool central)
        where T : IFloatingPointIeee754<T>
    {
        var expected = ExpectedShrink(step, previousStep, stepBefore, central) * T.Abs(previousDelta);
        return !(change > T.CreateTruncating(2) * expected) && !(change < expected / T.CreateTruncating(8));
    }

    /// <summary>
    /// The ratio |q(hₖ) − q(hₖ₋₁)| / |q(hₖ₋₁) − q(hₖ₋₂)| of successive changes of the quotient when its error is
    /// c·hᵖ (p = 2 central, 1 one-sided): (hₖ₋₁ᵖ − hₖᵖ)/(hₖ₋₂ᵖ − hₖ₋₁ᵖ), in ratios to hₖ₋₁ so no power overflows
    /// (1/2.1² ≈ 0.23 at the usual ratio, 0.012 after a search step).
    /// </summary>
    private static T ExpectedShrink<T>(T step, T previousStep, T stepBefore, bool central)
        where T : IFloatingPointIeee754<T>
    {
        var finer = step / previousStep;
        var coarser = stepBefore / previousStep;
        return central ? (T.One - (finer * finer)) / ((coarser * coarser) - T.One) : (T.One - finer) / (coarser - T.One);
    }
}

/// <summary>One row of the extrapolation tableau (or the last steps), on the stack.</summary>
[InlineArray(Length)]
internal struct TableauRow<T>
{
    /// <summary>The number of columns: the raw quotient and three extrapolations.</summary>
    public const int Length = 4;

    private T _element0;
}
