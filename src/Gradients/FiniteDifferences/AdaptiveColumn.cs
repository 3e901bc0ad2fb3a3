using System.Numerics;
using System.Runtime.CompilerServices;

namespace Gradients;

/// <summary>
/// <see cref="FiniteDifferenceScheme.Adaptive"/> for one column of a Jacobian: <see cref="AdaptiveStencil"/>'s
/// Ridders tableau run on all m outputs of F at once. Every evaluation of F moves x along one coordinate and gives
/// one quotient per output, so the outputs share the step sequence; each keeps its own tableau, its own convergence
/// state, its own best entry and its own error estimate (per entry, as numdifftools' <c>Jacobian</c> does for the
/// outputs of a vector function).
/// </summary>
/// <remarks>
/// <para><b>The shared sequence.</b> The step is divided by <see cref="AdaptiveStencil.Ratio"/> once every output
/// still searching has settled (or converged), by <see cref="AdaptiveStencil.SearchRatio"/> while any still jumps
/// around; an output is finished by the scalar rules (its next row worse than SAFE times its best, its best at 4ε,
/// or a non-converged row after a converged one), and the column ends when every output is finished. So an output
/// that varies on a small scale (sin(10⁶x) beside x) pulls the sequence down without costing the others their
/// accuracy: they finished earlier, at their own step. A non-finite value (a stencil point outside an output's domain)
/// restarts that output's tableau and makes the sequence search on (divide by 8), as for a scalar; the other outputs
/// keep their rows, so log(x₀) near 0 beside exp(x₀) does not push exp's entry down to steps of 10⁻⁸. With m = 1 every decision is the scalar one: the column equals the adaptive
/// gradient bit for bit, with the same evaluation count (tested).</para>
/// <para><b>The step reported</b> for the column is the step at which its entry with the largest error estimate was
/// taken (the entries' steps can differ).</para>
/// </remarks>
internal static class AdaptiveColumn
{
    /// <summary>Elements of T of scratch per output: center, plus, minus, two tableau rows of 4, best and fallback (value, error, step), a flag and a row count, the convergence check's flag and two counts, and the asymptotic-range state (last change, rate flag, last row value, pairs in range, jump flag).</summary>
    internal const int ScratchPerOutput = 27;

    /// <summary>
    /// Differentiates all outputs of <paramref name="function"/> along coordinate <paramref name="index"/> of
    /// <paramref name="point"/> (which holds x and is restored after each evaluation), starting from
    /// <paramref name="step"/>. On success the derivatives are in <see cref="ColumnWorkspace{T}.Values"/> and their
    /// estimates in <see cref="ColumnWorkspace{T}.Errors"/>.
    /// </summary>
    public static StencilStatus Differentiate<T, TFunction>(
        ref TFunction function,
        Span<T> point,
        int index,
        T lower,
        T upper,
        T step,
        ref ColumnWorkspace<T> workspace,
        out StencilOutcome<T> outcome)
        where T : IFloatingPointIeee754<T>
        where TFunction : struct, IVectorFunction<T>
    {
        var origin = point[index];
        var line = new ColumnLine<T, TFunction>(ref function, point, index, origin, lower, upper);
        var roomMinus = origin - lower;
        var roomPlus = upper - origin;
        outcome = default;
        outcome.ErrorEstimate = T.NaN;
        if (!T.IsFinite(step))
        {
            step = T.BitDecrement(T.PositiveInfinity) / T.CreateTruncating(AdaptiveStencil.SearchRatio);
        }

        // The same choice of stencils as AdaptiveStencil.Differentiate.
        var smallestRoom = T.Min(roomMinus, roomPlus);
        StencilStatus status;
        if (smallestRoom >= step * T.CreateTruncating(0.0625))
        {
            status = Run(ref line, StencilSide.Both, T.Min(step, smallestRoom), workspace, ref workspace.HasCenter, ref outcome);
            if (status == StencilStatus.Ok || T.IsZero(outcome.FailedOffset))
            {
                return status;
            }
        }
        else if (roomPlus <= T.Zero && roomMinus <= T.Zero)
        {
            return StencilStatus.NoRoom;
        }

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

            status = Run(ref line, side, T.Min(step, room), workspace, ref workspace.HasCenter, ref outcome);
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

    /// <summary>One tableau per output on one stencil (central or one-sided), from <paramref name="step"/> down: <see cref="AdaptiveStencil"/>'s Run, per output.</summary>
    private static StencilStatus Run<T, TFunction>(
        scoped ref ColumnLine<T, TFunction> line,
        StencilSide side,
        T step,
        ColumnWorkspace<T> w,
        ref bool hasCenter,
        ref StencilOutcome<T> outcome)
        where T : IFloatingPointIeee754<T>
        where TFunction : struct, IVectorFunction<T>
    {
        var m = w.Rows;
        var central = side == StencilSide.Both;
        var sign = side == StencilSide.Minus ? -T.One : T.One;
        var center = w.Center;
        if (!central)
        {
            if (!hasCenter)
            {
                _ = line.Evaluate(T.Zero, center);
                outcome.Evaluations++;
                hasCenter = true;
            }

            for (var i = 0; i < m; i++)
            {
                if (!T.IsFinite(center[i]))
                {
                    outcome.FailedOffset = T.Zero;
                    outcome.FailedValue = center[i];
                    return StencilStatus.NonFinite;
                }
            }
        }

        var epsilon = StepFactors<T>.Epsilon;
        var tolerance = T.Sqrt(T.Sqrt(epsilon));
        var tenth = T.CreateTruncating(0.1);
        var half = T.CreateTruncating(0.5);
        var two = T.CreateTruncating(2);
        var sixteen = T.CreateTruncating(16);
        var four = T.CreateTruncating(4);
        var safe = T.CreateTruncating(2); // AdaptiveStencil's SAFE
        var ratio = T.CreateTruncating(AdaptiveStencil.Ratio);
        var searchRatio = T.CreateTruncating(AdaptiveStencil.SearchRatio);
        var gentleStart = AdaptiveStencil.GentleStart<T>();
        var inputRounding = epsilon * line.InputScale; // AdaptiveStencil's rounding of the argument

        var plus = w.Plus;
        var minus = w.Minus;
        var previous = w.Previous;
        var current = w.Current;
        var best = w.Values;
        var bestError = w.Errors;
        var bestStep = w.BestSteps;
        var fallback = w.Fallback;
        var fallbackError = w.FallbackErrors;
        var fallbackStep = w.FallbackSteps;
        var done = w.Done;
        best.Fill(T.NaN);
        bestError.Fill(T.PositiveInfinity);
        bestStep.Clear();
        fallback.Fill(T.NaN);
        fallbackError.Fill(T.PositiveInfinity);
        fallbackStep.Clear();
        done.Clear();

        var rowCounts = w.RowCounts;
        rowCounts.Clear();
        var previousDelta = w.PreviousDelta;
        var rateConfirmed = w.RateConfirmed;
        var previousRowValue = w.PreviousRowValue;
        var trustedPairs = w.TrustedPairs;
        var jumpStart = w.JumpStart;
        w.ClearRangeState();
        var reopened = w.Reopened;
        var reopenings = w.Reopenings;
        var rowsSinceReopen = w.RowsSinceReopen;
        reopened.Clear();
        reopenings.Clear();
        rowsSinceReopen.Clear();
        Unsafe.SkipInit(out TableauRow<T> steps); // the steps of the last rows, newest last
        var sawNonFinite = false;
        var shiftedRows = 0;
        var h = step;
        for (var k = 0; k < AdaptiveStencil.MaxRows && h > T.Zero; k++)
        {
            T applied;
            T span;
            if (central)
            {
                var deltaPlus = line.Evaluate(h, plus);
                var deltaMinus = line.Evaluate(T.IsFinite(deltaPlus) && deltaPlus > T.Zero ? -deltaPlus : -h, minus);
                outcome.Evaluations += 2;
                span = deltaPlus - deltaMinus;
                if (!(span > T.Zero) || !T.IsFinite(span))
                {
                    // x ± h overflowed (or no longer moves x): every output restarts, or the search ends.
                    if (!(span > T.Zero))
                    {
                        break;
                    }

                    rowCounts.Clear();
                    w.ClearRangeState();
                    h /= searchRatio;
                    continue;
                }

                applied = span / two;
            }
            else
            {
                var delta = line.Evaluate(sign * h, plus);
                outcome.Evaluations++;
                span = delta;
                if (T.IsZero(delta) || !T.IsFinite(delta))
                {
                    if (T.IsZero(delta))
                    {
                        break;
                    }

                    rowCounts.Clear();
                    w.ClearRangeState();
                    h /= searchRatio;
                    continue;
                }

                applied = T.Abs(delta);
            }

            if (shiftedRows > 0 && !(applied < steps[TableauRow<T>.Length - 1]))
            {
                break; // AdaptiveStencil's: the grid of x left no smaller step
            }

            var active = false;
            var settled = true;
            for (var i = 0; i < m; i++)
            {
                if (done[i] != T.Zero)
                {
                    continue;
                }

                var valuePlus = plus[i];
                var valueMinus = central ? minus[i] : center[i];
                if (!T.IsFinite(valuePlus) || !T.IsFinite(valueMinus))
                {
                    // Outside this output's domain: its tableau restarts at a smaller step (the search ratio),
                    // the other outputs' values at this step are still good.
                    sawNonFinite = true;
                    outcome.FailedOffset = T.IsFinite(valuePlus) ? -h : sign * h;
                    outcome.FailedValue = T.IsFinite(valuePlus) ? valueMinus : valuePlus;
                    rowCounts[i] = T.Zero;
                    previousDelta[i] = T.NaN;
                    rateConfirmed[i] = T.Zero;
                    previousRowValue[i] = T.NaN;
                    trustedPairs[i] = T.Zero;
                    jumpStart[i] = T.Zero;
                    active = true;
                    settled = false;
                    continue;
                }

                var rows = int.CreateTruncating(rowCounts[i]);
                var columns = Math.Min(rows, TableauRow<T>.Length - 1);
                // The difference over the span (the one-sided one against F(x)), scaled first if it would overflow;
                // the round-off of values exact to ε, grouped as AdaptiveStencil groups it (same bits for m = 1).
                var difference = valuePlus - valueMinus;
                var quotient = T.IsFinite(difference) ? difference / span : (valuePlus / span) - (valueMinus / span);
                var noise = central
                    ? epsilon * ((T.Abs(valuePlus) / span) + (T.Abs(valueMinus) / span))
                    : epsilon * ((T.Abs(valuePlus) + T.Abs(valueMinus)) / T.Abs(span));

                // Neville, as in AdaptiveStencil: column j removes the h^(j·p) term for the steps actually used.
                current[i] = quotient;
                for (var j = 1; j <= columns; j++)
                {
                    var q = steps[TableauRow<T>.Length - j] / applied;
                    var ratioToNode = central ? q * q : q;
                    var below = current[((j - 1) * m) + i];
                    current[(j * m) + i] = below + ((below - previous[((j - 1) * m) + i]) / (ratioToNode - T.One));
                }

                var rowValue = T.NaN;
                var rowError = T.PositiveInfinity;
                var asymptotic = false;
                var onRate = true;
                var settling = false;
                var delta = T.NaN;
                if (rows > 0)
                {
                    delta = quotient - previous[i];
                    var change = T.Abs(delta);
                    settling = change <= half * T.Abs(quotient);
                    asymptotic = change <= tenth * T.Abs(quotient) || change <= sixteen * noise;
                    // AdaptiveStencil's rate test, until it first passes.
                    if (rateConfirmed[i] == T.Zero && asymptotic &&
                        AdaptiveStencil.RateApplies(change, noise, inputRounding * T.Abs(quotient) / applied, previousDelta[i]))
                    {
                        onRate = AdaptiveStencil.ShrinksAtRate(change, previousDelta[i], applied, steps[TableauRow<T>.Length - 1], steps[TableauRow<T>.Length - 2], central);
                        rateConfirmed[i] = onRate ? T.One : T.Zero;
                    }

                    // AdaptiveStencil's cross-row term for entries that rest on rows not known to be in the range.
                    var pairsInRange = asymptotic && onRate ? int.CreateTruncating(trustedPairs[i]) + 1 : 0;
                    for (var j = 0; j <= columns; j++)
                    {
                        var entry = current[(j * m) + i];
                        var error = j == 0
                            ? change
                            : T.Max(T.Abs(entry - current[((j - 1) * m) + i]), T.Abs(entry - previous[((j - 1) * m) + i]));
                        if ((j > pairsInRange || (jumpStart[i] != T.Zero && j == rows)) && T.IsFinite(previousRowValue[i]))
                        {
                            error = T.Max(error, T.Abs(entry - previousRowValue[i]));
                        }

                        error += two * noise;
                        if (error < rowError)
                        {
                            rowError = error;
                            rowValue = entry;
                        }
                    }

                    // AdaptiveStencil's cross-row check: a finer entry contradicting the converged value widens its estimate.
                    var contradiction = T.Abs(rowValue - best[i]) - rowError;
                    if (contradiction > bestError[i])
                    {
                        bestError[i] = contradiction;
                    }

                    if (rowError < fallbackError[i])
                    {
                        fallbackError[i] = rowError;
                        fallback[i] = rowValue;
                        fallbackStep[i] = applied;
                    }
                }

                var inRange = asymptotic && onRate;
                var rowConverged = inRange && trustedPairs[i] != T.Zero &&
                                   (rowError <= tolerance * T.Abs(rowValue) || rowError <= sixteen * noise);
                trustedPairs[i] = inRange ? trustedPairs[i] + T.One : T.Zero;
                var converged = T.IsFinite(bestError[i]);
                var isReopened = reopened[i] != T.Zero;
                if (rowConverged)
                {
                    if (rowError < bestError[i])
                    {
                        bestError[i] = rowError;
                        best[i] = rowValue;
                        bestStep[i] = applied;
                        converged = true;
                        isReopened = false;
                    }
                    else if (rowError > safe * bestError[i])
                    {
                        done[i] = T.One;
                    }

                    if (bestError[i] <= four * epsilon * T.Abs(best[i]))
                    {
                        done[i] = T.One;
                    }
                }
                else if (converged)
                {
                    // AdaptiveStencil's convergence check: a finer quotient jumping away from a converged value.
                    if (rows > 0 && !inRange && !isReopened)
                    {
                        bestError[i] = T.Max(bestError[i], T.Abs(quotient - best[i]));
                        if (reopenings[i] >= T.CreateTruncating(AdaptiveStencil.MaxReopenings))
                        {
                            done[i] = T.One;
                        }
                        else
                        {
                            reopenings[i] += T.One;
                            isReopened = true;
                            rowsSinceReopen[i] = T.Zero;
                        }
                    }
                    else if (!isReopened)
                    {
                        done[i] = T.One;
                    }
                }

                if (done[i] == T.Zero && isReopened)
                {
                    rowsSinceReopen[i] += T.One;
                    if (rowsSinceReopen[i] > T.CreateTruncating(AdaptiveStencil.MaxReopenedRows))
                    {
                        done[i] = T.One;
                    }
                }

                reopened[i] = isReopened ? T.One : T.Zero;
                var jumped = rows > 0 && !inRange; // a jump starts a new tableau, as in AdaptiveStencil
                jumpStart[i] = jumped ? T.One : jumpStart[i];
                rowCounts[i] = jumped ? T.One : T.CreateTruncating(rows + 1);
                previousDelta[i] = delta;
                previousRowValue[i] = rowValue;
                if (done[i] == T.Zero)
                {
                    active = true;
                    settled &= (converged && !isReopened) || settling || (rows == 0 && gentleStart);
                }
            }

            // Shift the rows and the step history.
            var swap = previous;
            previous = current;
            current = swap;
            for (var j = 0; j < TableauRow<T>.Length - 1; j++)
            {
                steps[j] = steps[j + 1];
            }

            steps[TableauRow<T>.Length - 1] = applied;
            shiftedRows++;
            if (!active)
            {
                break;
            }

            h /= settled ? ratio : searchRatio;
        }

        var worstError = T.NegativeInfinity;
        outcome.Step = T.NaN;
        for (var i = 0; i < m; i++)
        {
            if (!T.IsFinite(bestError[i]))
            {
                if (T.IsNaN(fallback[i]))
                {
                    if (sawNonFinite)
                    {
                        return StencilStatus.NonFinite;
                    }

                    if (rowCounts[i] != T.One)
                    {
                        outcome.FailedOffset = T.Zero;
                        outcome.FailedValue = T.NaN;
                        return StencilStatus.NoRoom;
                    }

                    // One usable row only (every finer step failed or vanished): its quotient, with no estimate.
                    best[i] = previous[i];
                    bestError[i] = T.PositiveInfinity;
                    bestStep[i] = steps[TableauRow<T>.Length - 1];
                }
                else
                {
                    best[i] = fallback[i];
                    bestError[i] = fallbackError[i];
                    bestStep[i] = fallbackStep[i];
                }
            }

            if (bestError[i] > worstError || T.IsNaN(outcome.Step))
            {
                worstError = bestError[i];
                outcome.Step = bestStep[i];
            }
        }

        return StencilStatus.Ok;
    }
}

/// <summary>The scratch of <see cref="AdaptiveColumn"/>: <see cref="AdaptiveColumn.ScratchPerOutput"/>·m elements, reused column after column.</summary>
internal ref struct ColumnWorkspace<T>
    where T : IFloatingPointIeee754<T>
{
    private readonly Span<T> _scratch;

    public ColumnWorkspace(Span<T> scratch, int rows)
    {
        Rows = rows;
        _scratch = scratch[..(AdaptiveColumn.ScratchPerOutput * rows)];
    }

    public int Rows { get; }

    /// <summary>Whether <see cref="Center"/> holds F(x) (evaluated on first need by a one-sided tableau).</summary>
    public bool HasCenter;

    public readonly Span<T> Center => Part(0, 1);

    public readonly Span<T> Plus => Part(1, 1);

    public readonly Span<T> Minus => Part(2, 1);

    /// <summary>The previous tableau row: column j of output i at j·m + i.</summary>
    public readonly Span<T> Previous => Part(3, TableauRow<T>.Length);

    public readonly Span<T> Current => Part(7, TableauRow<T>.Length);

    /// <summary>The derivative per output after a successful run.</summary>
    public readonly Span<T> Values => Part(11, 1);

    /// <summary>The error estimate per output after a successful run.</summary>
    public readonly Span<T> Errors => Part(12, 1);

    public readonly Span<T> BestSteps => Part(13, 1);

    public readonly Span<T> Fallback => Part(14, 1);

    public readonly Span<T> FallbackErrors => Part(15, 1);

    public readonly Span<T> FallbackSteps => Part(16, 1);

    /// <summary>Per output, 1 once its tableau is finished.</summary>
    public readonly Span<T> Done => Part(17, 1);

    /// <summary>Per output, the rows of its tableau since its last restart (a small integer held as T).</summary>
    public readonly Span<T> RowCounts => Part(18, 1);

    /// <summary>Per output, 1 while a search reopened by a contradicted convergence has found no new best (<see cref="AdaptiveStencil"/>'s check).</summary>
    public readonly Span<T> Reopened => Part(19, 1);

    /// <summary>Per output, the contradicted convergences so far.</summary>
    public readonly Span<T> Reopenings => Part(20, 1);

    /// <summary>Per output, the rows since the search reopened.</summary>
    public readonly Span<T> RowsSinceReopen => Part(21, 1);

    /// <summary>Per output, the last row's change of the quotient, signed (NaN after a restart), for the rate test.</summary>
    public readonly Span<T> PreviousDelta => Part(22, 1);

    /// <summary>Per output, 1 once a change has passed the rate test (the test is then off until a restart).</summary>
    public readonly Span<T> RateConfirmed => Part(23, 1);

    /// <summary>Per output, the last row's best entry (NaN after a restart), for the cross-row term and check.</summary>
    public readonly Span<T> PreviousRowValue => Part(24, 1);

    /// <summary>Per output, the consecutive row pairs in the asymptotic range ending at the last row (a small integer held as T).</summary>
    public readonly Span<T> TrustedPairs => Part(25, 1);

    /// <summary>Per output, 1 when its tableau's first row ended a jump.</summary>
    public readonly Span<T> JumpStart => Part(26, 1);

    /// <summary>Forgets every output's asymptotic-range state (at the start, and when every tableau restarts).</summary>
    public readonly void ClearRangeState()
    {
        PreviousDelta.Fill(T.NaN);
        RateConfirmed.Clear();
        PreviousRowValue.Fill(T.NaN);
        TrustedPairs.Clear();
        JumpStart.Clear();
    }

    private readonly Span<T> Part(int offset, int count) => _scratch.Slice(offset * Rows, count * Rows);
}

/// <summary>The coordinate axis t ↦ F(x + t·eⱼ) of a vector function, on a scratch copy of x.</summary>
internal ref struct ColumnLine<T, TFunction>
    where T : IFloatingPointIeee754<T>
    where TFunction : struct, IVectorFunction<T>
{
    private readonly ref TFunction _function;
    private readonly Span<T> _point;
    private readonly int _index;
    private readonly T _origin;
    private readonly T _lower;
    private readonly T _upper;

    public ColumnLine(ref TFunction function, Span<T> point, int index, T origin, T lower, T upper)
    {
        _function = ref function;
        _point = point;
        _index = index;
        _origin = origin;
        _lower = lower;
        _upper = upper;
    }

    /// <summary>max(|xᵢ|, 1), as <see cref="IStencilLine{T}.InputScale"/> of the scalar lines.</summary>
    public readonly T InputScale => T.Max(T.Abs(_origin), T.One);

    /// <summary>Evaluates F at offset <paramref name="offset"/> (clamped into the box) into <paramref name="values"/>; returns the offset applied.</summary>
    public T Evaluate(T offset, Span<T> values)
    {
        var moved = T.Min(T.Max(_origin + offset, _lower), _upper);
        _point[_index] = moved;
        _function.Evaluate(_point, values);
        _point[_index] = _origin;
        return moved - _origin;
    }
}
