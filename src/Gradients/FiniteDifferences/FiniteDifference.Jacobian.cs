using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace Gradients;

public static partial class FiniteDifference
{
    /// <summary>
    /// Writes the central-difference Jacobian of F: Rⁿ → Rᵐ at <paramref name="x"/> into <paramref name="jacobian"/>,
    /// row-major m×n (entry (i, j) = ∂Fᵢ/∂xⱼ at index i·n + j); m is <c>jacobian.Length / n</c>. 2n evaluations of F.
    /// </summary>
    /// <typeparam name="T">The floating-point type.</typeparam>
    /// <param name="f">F: writes its m values into the second argument; it must not write to the first.</param>
    /// <param name="x">The point, of length n ≥ 1, finite.</param>
    /// <param name="jacobian">Receives the m×n Jacobian, row-major; its length must be a positive multiple of n.</param>
    /// <exception cref="ArgumentException">An argument is empty, non-finite or of the wrong length.</exception>
    /// <exception cref="NotFiniteNumberException">F returned NaN or ±∞ at a stencil point.</exception>
    public static void Jacobian<T>(Action<ReadOnlySpan<T>, Span<T>> f, ReadOnlySpan<T> x, Span<T> jacobian)
        where T : IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(f);
        var function = new DelegateVectorFunction<T>(f);
        _ = JacobianCore(ref function, x, jacobian, default, default, default);
    }

    /// <summary>
    /// Writes the finite-difference Jacobian of F at <paramref name="x"/> into <paramref name="jacobian"/>
    /// (row-major m×n) with the scheme, steps, bounds, non-finite policy and parallelism of
    /// <paramref name="options"/>: with <see cref="FiniteDifferenceOptions{T}.MaxDegreeOfParallelism"/> above 1
    /// the columns are evaluated on several threads (F must then be safe to call concurrently), with results
    /// bit-identical to the serial ones. <see cref="FiniteDifferenceOptions{T}.FunctionValue"/> (a scalar) does not apply.
    /// With <see cref="FiniteDifferenceScheme.Adaptive"/> each column runs one Ridders tableau per output on a shared
    /// step sequence: every entry gets its own value and error estimate, and the step reported for a column is the
    /// one its least certain entry was taken at.
    /// </summary>
    /// <typeparam name="T">The floating-point type.</typeparam>
    /// <param name="f">F: writes its m values into the second argument; it must not write to the first.</param>
    /// <param name="x">The point, of length n ≥ 1, finite and inside the bounds.</param>
    /// <param name="jacobian">Receives the m×n Jacobian, row-major; its length must be a positive multiple of n.</param>
    /// <param name="options">The scheme, steps, bounds and non-finite policy.</param>
    /// <param name="errorEstimates">Optional (empty or m×n): the error estimate of each entry (NaN when the scheme has none).</param>
    /// <param name="steps">Optional (empty or length n): receives the step used for each column (with Adaptive, that of the column's entry with the largest estimate).</param>
    /// <returns>The evaluation count, the number of one-sided columns and the largest error estimate.</returns>
    /// <exception cref="ArgumentException">An argument or option is invalid; the message names it and its size.</exception>
    /// <exception cref="NotFiniteNumberException">F returned NaN or ±∞ and no fallback succeeded.</exception>
    public static FiniteDifferenceResult<T> Jacobian<T>(
        Action<ReadOnlySpan<T>, Span<T>> f,
        ReadOnlySpan<T> x,
        Span<T> jacobian,
        in FiniteDifferenceOptions<T> options,
        Span<T> errorEstimates = default,
        Span<T> steps = default)
        where T : IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(f);
        var function = new DelegateVectorFunction<T>(f);
        return JacobianCore(ref function, x, jacobian, options, errorEstimates, steps);
    }

    /// <summary>
    /// Writes the central-difference Jacobian of the struct function <paramref name="function"/> at
    /// <paramref name="x"/> into <paramref name="jacobian"/> (row-major m×n, m = <c>jacobian.Length / n</c>).
    /// </summary>
    /// <typeparam name="T">The floating-point type.</typeparam>
    /// <typeparam name="TFunction">The function type, a struct.</typeparam>
    /// <param name="function">F; it must not write to its argument.</param>
    /// <param name="x">The point, of length n ≥ 1, finite.</param>
    /// <param name="jacobian">Receives the m×n Jacobian, row-major; its length must be a positive multiple of n.</param>
    /// <exception cref="ArgumentException">An argument is empty, non-finite or of the wrong length.</exception>
    /// <exception cref="NotFiniteNumberException">F returned NaN or ±∞ at a stencil point.</exception>
    public static void Jacobian<T, TFunction>(TFunction function, ReadOnlySpan<T> x, Span<T> jacobian)
        where T : IFloatingPointIeee754<T>
        where TFunction : struct, IVectorFunction<T> =>
        _ = JacobianCore(ref function, x, jacobian, default, default, default);

    /// <summary>
    /// Writes the finite-difference Jacobian of the struct function <paramref name="function"/> at
    /// <paramref name="x"/> into <paramref name="jacobian"/> (row-major m×n) with the settings of
    /// <paramref name="options"/>.
    /// </summary>
    /// <typeparam name="T">The floating-point type.</typeparam>
    /// <typeparam name="TFunction">The function type, a struct.</typeparam>
    /// <param name="function">F; it must not write to its argument.</param>
    /// <param name="x">The point, of length n ≥ 1, finite and inside the bounds.</param>
    /// <param name="jacobian">Receives the m×n Jacobian, row-major; its length must be a positive multiple of n.</param>
    /// <param name="options">The scheme, steps, bounds and non-finite policy.</param>
    /// <param name="errorEstimates">Optional (empty or m×n): the error estimate of each entry (NaN when the scheme has none).</param>
    /// <param name="steps">Optional (empty or length n): receives the step used for each column (with Adaptive, that of the column's entry with the largest estimate).</param>
    /// <returns>The evaluation count, the number of one-sided columns and the largest error estimate.</returns>
    /// <exception cref="ArgumentException">An argument or option is invalid; the message names it and its size.</exception>
    /// <exception cref="NotFiniteNumberException">F returned NaN or ±∞ and no fallback succeeded.</exception>
    public static FiniteDifferenceResult<T> Jacobian<T, TFunction>(
        TFunction function,
        ReadOnlySpan<T> x,
        Span<T> jacobian,
        in FiniteDifferenceOptions<T> options,
        Span<T> errorEstimates = default,
        Span<T> steps = default)
        where T : IFloatingPointIeee754<T>
        where TFunction : struct, IVectorFunction<T> =>
        JacobianCore(ref function, x, jacobian, options, errorEstimates, steps);

    [SkipLocalsInit]
    [MethodImpl(MethodImplOptions.NoInlining)] // inlined into a caller, its 1 KiB ScratchBuffer would be zeroed there (the caller has no SkipLocalsInit): +50 ns per call, measured
    private static FiniteDifferenceResult<T> JacobianCore<T, TFunction>(
        ref TFunction function,
        ReadOnlySpan<T> x,
        Span<T> jacobian,
        in FiniteDifferenceOptions<T> options,
        Span<T> errorEstimates,
        Span<T> steps)
        where T : IFloatingPointIeee754<T>
        where TFunction : struct, IVectorFunction<T>
    {
        var n = x.Length;
        ThrowHelper.ThrowIfEmpty(n, nameof(x));
        if (jacobian.Length == 0 || jacobian.Length % n != 0)
        {
            ThrowHelper.ThrowArgument(
                $"'jacobian' has length {jacobian.Length}, which is not m·n with m ≥ 1 for the point 'x' of length {n}.", nameof(jacobian));
        }

        var m = jacobian.Length / n;
        var adaptive = options.Scheme == FiniteDifferenceScheme.Adaptive;
        var perOutput = adaptive ? AdaptiveColumn.ScratchPerOutput : 5;
        ValidateSizes(n + ((long)perOutput * m), ((long)MaxEvaluationsPer(options.Scheme) * n) + 1, nameof(jacobian), "an m×n Jacobian with m = {0:N0}, n = {1:N0}", m, n);
        if (!errorEstimates.IsEmpty)
        {
            ThrowHelper.ThrowIfLengthMismatch(errorEstimates.Length, jacobian.Length, nameof(errorEstimates), "the m×n Jacobian");
        }

        if (!steps.IsEmpty)
        {
            ThrowHelper.ThrowIfLengthMismatch(steps.Length, n, nameof(steps), "the point 'x'");
        }

        ValidateOutputOverlaps(x, jacobian, nameof(jacobian), errorEstimates, steps, options);

        ValidatePoint(x, nameof(x));
        ValidateOptions(options, x, allowPerCoordinateSteps: true);
        if (options.HasFunctionValue)
        {
            ThrowHelper.ThrowArgument($"options.FunctionValue is a scalar f(x); it does not apply to the Jacobian of F: R^{n} → R^{m}.", nameof(options));
        }

        var degree = DegreeOfParallelism(options.MaxDegreeOfParallelism);
        if (degree > 1 && n > 1)
        {
            return JacobianParallel(function, x, jacobian, options, errorEstimates, steps, degree);
        }

        // Scratch: the moving point (n), then F(x) (m) and up to four stencil values (4m), or Adaptive's tableaus.
        var length = n + (perOutput * m);
        Unsafe.SkipInit(out ScratchBuffer<T> stack);
        var scratch = ScratchBuffer.Take(ref stack, length, out var rented);
        try
        {
            var point = scratch[..n];
            x.CopyTo(point);
            if (adaptive)
            {
                var columns = new ColumnWorkspace<T>(scratch[n..], m);
                return AdaptiveJacobianColumns(ref function, x, point, ref columns, jacobian, errorEstimates, steps, options, 0, n);
            }

            var workspace = new JacobianWorkspace<T>(scratch[n..], m);
            return JacobianColumns(ref function, x, point, ref workspace, jacobian, errorEstimates, steps, options, 0, n);
        }
        finally
        {
            ScratchBuffer.Return(rented);
        }
    }

    /// <summary>
    /// Splits the columns into contiguous ranges evaluated on separate threads (<see cref="ForEachChunk{T}"/>), each
    /// with its own copy of the point, of the workspace and of the function struct, writing its own columns of one
    /// shared m×n buffer. Allocates (the thread pool's task objects, pooled buffers); meant for expensive F.
    /// <see cref="FiniteDifferenceResult{T}.Evaluations"/> counts every call of F, so with a one-sided scheme F(x)
    /// is counted once per range rather than once.
    /// </summary>
    private static FiniteDifferenceResult<T> JacobianParallel<T, TFunction>(
        TFunction function,
        ReadOnlySpan<T> x,
        Span<T> jacobian,
        FiniteDifferenceOptions<T> options,
        Span<T> errorEstimates,
        Span<T> steps,
        int degree)
        where T : IFloatingPointIeee754<T>
        where TFunction : struct, IVectorFunction<T>
    {
        var n = x.Length;
        var m = jacobian.Length / n;
        using var shared = new ParallelOutputs<T>(x, jacobian.Length, !errorEstimates.IsEmpty, !steps.IsEmpty);
        var result = ForEachChunk<T>(n, degree, (start, end) =>
        {
            var perOutput = options.Scheme == FiniteDifferenceScheme.Adaptive ? AdaptiveColumn.ScratchPerOutput : 5;
            var scratch = ArrayPool<T>.Shared.Rent(n + (perOutput * m));
            try
            {
                var local = function;
                var point = scratch.AsSpan(0, n);
                shared.Origin.CopyTo(point);
                if (perOutput == AdaptiveColumn.ScratchPerOutput)
                {
                    var columns = new ColumnWorkspace<T>(scratch.AsSpan(n, perOutput * m), m);
                    return AdaptiveJacobianColumns(ref local, shared.Origin, point, ref columns, shared.Values, shared.Errors, shared.Steps, options, start, end);
                }

                var workspace = new JacobianWorkspace<T>(scratch.AsSpan(n, 5 * m), m);
                return JacobianColumns(ref local, shared.Origin, point, ref workspace, shared.Values, shared.Errors, shared.Steps, options, start, end);
            }
            finally
            {
                ArrayPool<T>.Shared.Return(scratch, clearArray: true);
            }
        });

        shared.CopyTo(jacobian, errorEstimates, steps);
        return result;
    }

    /// <summary>Columns <paramref name="start"/> to <paramref name="end"/> (exclusive) of the Jacobian.</summary>
    private static FiniteDifferenceResult<T> JacobianColumns<T, TFunction>(
        ref TFunction function,
        ReadOnlySpan<T> x,
        Span<T> point,
        ref JacobianWorkspace<T> workspace,
        Span<T> jacobian,
        Span<T> errorEstimates,
        Span<T> steps,
        in FiniteDifferenceOptions<T> options,
        int start,
        int end)
        where T : IFloatingPointIeee754<T>
        where TFunction : struct, IVectorFunction<T>
    {
        var n = x.Length;
        var m = workspace.Rows;
        var scheme = options.Scheme;
        var lower = options.LowerBounds.Span;
        var upper = options.UpperBounds.Span;
        var userSteps = options.Steps.Span;
        var userStep = options.HasStep || !userSteps.IsEmpty;
        var relative = !userStep || options.StepKind == StepSizeKind.Relative;
        var factor = options.HasStep ? options.Step : StepSize.FactorOf<T>(scheme);
        var reach = MaximumReach<T>(scheme);
        Span<StencilSide> order = stackalloc StencilSide[3];
        var count = Stencil.Candidates(scheme, order);

        var evaluations = 0;
        var oneSided = 0;
        var maxError = T.NaN;
        for (var j = start; j < end; j++)
        {
            var xj = x[j];
            var h = StepSize.For(userSteps.IsEmpty ? factor : userSteps[j], relative, xj);
            ValidateStep(h, xj, reach, j, userStep);

            var low = lower.IsEmpty ? T.NegativeInfinity : lower[j];
            var high = upper.IsEmpty ? T.PositiveInfinity : upper[j];
            var roomMinus = xj - low;
            var roomPlus = high - xj;
            var first = Stencil.Primary(scheme, h, roomMinus, roomPlus, order[..count], out var firstStep);
            if (first < 0 || (firstStep < h && firstStep < MinimumShrunkStep(xj)))
            {
                ThrowHelper.ThrowBoundsLeaveNoRoom(j, double.CreateTruncating(low), double.CreateTruncating(high), n);
            }

            var side = order[first];
            var step = firstStep;
            var status = workspace.Evaluate(ref function, point, j, xj, low, high, scheme, side, step, ref evaluations);
            if (status != StencilStatus.Ok && options.NonFiniteValues == NonFiniteValuePolicy.FallBackToOneSided && !T.IsZero(workspace.FailedOffset))
            {
                var failedOffset = workspace.FailedOffset;
                var failedValue = workspace.FailedValue;
                for (var k = 0; k < count && status != StencilStatus.Ok; k++)
                {
                    if (k == first || !Stencil.Fallback(scheme, order[k], h, roomMinus, roomPlus, failedOffset, out var fallbackStep))
                    {
                        continue;
                    }

                    side = order[k];
                    step = fallbackStep;
                    status = workspace.Evaluate(ref function, point, j, xj, low, high, scheme, side, step, ref evaluations);
                    if (status != StencilStatus.Ok && T.IsZero(workspace.FailedOffset))
                    {
                        break;
                    }
                }

                if (status != StencilStatus.Ok && !T.IsZero(workspace.FailedOffset))
                {
                    workspace.FailedOffset = failedOffset;
                    workspace.FailedValue = failedValue;
                }
            }

            if (status != StencilStatus.Ok)
            {
                ThrowHelper.ThrowNonFiniteFunctionValue(
                    DescribePoint(x), j, double.CreateTruncating(workspace.FailedOffset), double.CreateTruncating(workspace.FailedValue));
            }

            if (side != order[0])
            {
                oneSided++;
            }

            if (!steps.IsEmpty)
            {
                steps[j] = step;
            }

            for (var i = 0; i < m; i++)
            {
                var entry = workspace.Combine(scheme, side, i, out var error);
                jacobian[(i * n) + j] = entry;
                if (!errorEstimates.IsEmpty)
                {
                    errorEstimates[(i * n) + j] = error;
                }

                if (T.IsNaN(maxError) || error > maxError)
                {
                    maxError = error;
                }
            }
        }

        return new FiniteDifferenceResult<T>(evaluations, oneSided, maxError);
    }

    /// <summary>
    /// Columns <paramref name="start"/> to <paramref name="end"/> (exclusive) of the Jacobian with
    /// <see cref="FiniteDifferenceScheme.Adaptive"/>: per column one Ridders tableau per output on a shared step
    /// sequence (<see cref="AdaptiveColumn"/>), per entry its own value and error estimate. The step rules are the
    /// adaptive gradient's: the default first step ¼·max(|xⱼ|, 1) (shrunk by the search when its stencil leaves the
    /// finite range or F's domain), a caller's step must fit, and a box must leave a usable step.
    /// </summary>
    private static FiniteDifferenceResult<T> AdaptiveJacobianColumns<T, TFunction>(
        ref TFunction function,
        ReadOnlySpan<T> x,
        Span<T> point,
        ref ColumnWorkspace<T> workspace,
        Span<T> jacobian,
        Span<T> errorEstimates,
        Span<T> steps,
        in FiniteDifferenceOptions<T> options,
        int start,
        int end)
        where T : IFloatingPointIeee754<T>
        where TFunction : struct, IVectorFunction<T>
    {
        var n = x.Length;
        var m = workspace.Rows;
        var scheme = options.Scheme;
        var lower = options.LowerBounds.Span;
        var upper = options.UpperBounds.Span;
        var userSteps = options.Steps.Span;
        var userStep = options.HasStep || !userSteps.IsEmpty;
        var relative = !userStep || options.StepKind == StepSizeKind.Relative;
        var factor = options.HasStep ? options.Step : StepSize.FactorOf<T>(scheme);
        var reach = MaximumReach<T>(scheme);
        var bounded = !(lower.IsEmpty && upper.IsEmpty);

        var evaluations = 0;
        var oneSided = 0;
        var maxError = T.NaN;
        for (var j = start; j < end; j++)
        {
            var xj = x[j];
            var h = StepSize.For(userSteps.IsEmpty ? factor : userSteps[j], relative, xj);
            ValidateStep(h, xj, reach, j, userStep);
            var low = lower.IsEmpty ? T.NegativeInfinity : lower[j];
            var high = upper.IsEmpty ? T.PositiveInfinity : upper[j];
            if (bounded)
            {
                ValidateRoom(scheme, h, xj, xj - low, high - xj, j, low, high, n);
            }

            var status = AdaptiveColumn.Differentiate(ref function, point, j, low, high, h, ref workspace, out var outcome);
            evaluations += outcome.Evaluations;
            if (status != StencilStatus.Ok)
            {
                ThrowStencilFailure(status, outcome, x, j, low, high);
            }

            if (outcome.OneSided)
            {
                oneSided++;
            }

            if (!steps.IsEmpty)
            {
                steps[j] = outcome.Step;
            }

            var values = workspace.Values;
            var errors = workspace.Errors;
            for (var i = 0; i < m; i++)
            {
                jacobian[(i * n) + j] = values[i];
                if (!errorEstimates.IsEmpty)
                {
                    errorEstimates[(i * n) + j] = errors[i];
                }

                if (T.IsNaN(maxError) || errors[i] > maxError)
                {
                    maxError = errors[i];
                }
            }
        }

        return new FiniteDifferenceResult<T>(evaluations, oneSided, maxError);
    }

    /// <summary>
    /// F's values at the stencil points of one column, and the per-entry formulas — the same arithmetic as the
    /// scalar <see cref="Stencil"/>, applied to each of the m outputs.
    /// </summary>
    private ref struct JacobianWorkspace<T>
        where T : IFloatingPointIeee754<T>
    {
        private readonly Span<T> _center;
        private readonly Span<T> _values;
        private bool _hasCenter;
        private T _d0;
        private T _d1;
        private T _d2;
        private T _d3;

        public JacobianWorkspace(Span<T> scratch, int rows)
        {
            Rows = rows;
            _center = scratch[..rows];
            _values = scratch.Slice(rows, 4 * rows);
            _d0 = _d1 = _d2 = _d3 = T.Zero;
            FailedOffset = FailedValue = T.Zero;
        }

        public int Rows { get; }

        public T FailedOffset { get; set; }

        public T FailedValue { get; set; }

        private readonly Span<T> Values(int node) => _values.Slice(node * Rows, Rows);

        /// <summary>Evaluates F at every point of the (scheme, side, step) stencil.</summary>
        public StencilStatus Evaluate<TFunction>(
            ref TFunction function,
            Span<T> point,
            int j,
            T xj,
            T low,
            T high,
            FiniteDifferenceScheme scheme,
            StencilSide side,
            T step,
            ref int evaluations)
            where TFunction : struct, IVectorFunction<T>
        {
            var sign = side == StencilSide.Minus ? -T.One : T.One;
            if (side != StencilSide.Both && !_hasCenter)
            {
                point[j] = xj;
                function.Evaluate(point, _center);
                evaluations++;
                _hasCenter = true;
            }

            if (side != StencilSide.Both && !AllFinite(_center, T.Zero))
            {
                return StencilStatus.NonFinite;
            }

            var two = T.CreateTruncating(2);
            var extrapolated = scheme is FiniteDifferenceScheme.FourthOrderCentral or FiniteDifferenceScheme.Richardson;
            var k = scheme == FiniteDifferenceScheme.Richardson ? step / two : step;
            ReadOnlySpan<T> offsets = (scheme, side, extrapolated) switch
            {
                (FiniteDifferenceScheme.Forward or FiniteDifferenceScheme.Backward, _, _) => [sign * step],
                (_, StencilSide.Both, false) => [step, -step],
                (_, _, false) => [sign * step, two * sign * step],
                (_, StencilSide.Both, true) => [k, -k, two * k, -(two * k)],
                _ => [sign * k, two * sign * k, two * two * sign * k],
            };

            for (var node = 0; node < offsets.Length; node++)
            {
                var moved = T.Min(T.Max(xj + offsets[node], low), high);
                point[j] = moved;
                var values = Values(node);
                function.Evaluate(point, values);
                evaluations++;
                point[j] = xj;
                var delta = moved - xj;
                switch (node)
                {
                    case 0: _d0 = delta; break;
                    case 1: _d1 = delta; break;
                    case 2: _d2 = delta; break;
                    default: _d3 = delta; break;
                }

                if (!AllFinite(values, offsets[node]))
                {
                    return StencilStatus.NonFinite;
                }
            }

            return StencilStatus.Ok;
        }

        private bool AllFinite(Span<T> values, T offset)
        {
            foreach (var v in values)
            {
                if (!T.IsFinite(v))
                {
                    FailedOffset = offset;
                    FailedValue = v;
                    return false;
                }
            }

            return true;
        }

        /// <summary>Entry i of the column from the values of the last successful <see cref="Evaluate"/>.</summary>
        public readonly T Combine(FiniteDifferenceScheme scheme, StencilSide side, int i, out T errorEstimate)
        {
            errorEstimate = T.NaN;
            var f0 = side == StencilSide.Both ? T.Zero : _center[i];
            var v0 = Values(0)[i];
            switch (scheme)
            {
                case FiniteDifferenceScheme.Forward or FiniteDifferenceScheme.Backward:
                    return DifferenceQuotient.Of(v0, f0, _d0);
                case FiniteDifferenceScheme.Central:
                    return side == StencilSide.Both ? DifferenceQuotient.Of(v0, Values(1)[i], _d0 - _d1) : Stencil.Parabola(f0, v0, _d0, Values(1)[i], _d1);
                default:
                    var estimate = scheme == FiniteDifferenceScheme.Richardson;
                    return side == StencilSide.Both
                        ? Stencil.CombineCentral(v0, Values(1)[i], _d0 - _d1, Values(2)[i], Values(3)[i], _d2 - _d3, estimate, out errorEstimate)
                        : Stencil.CombineOneSided(f0, v0, _d0, Values(1)[i], _d1, Values(2)[i], _d2, estimate, out errorEstimate);
            }
        }
    }
}

/// <summary>Wraps a delegate so the delegate and struct front doors of the Jacobian share one driver.</summary>
internal readonly struct DelegateVectorFunction<T> : IVectorFunction<T>
    where T : IFloatingPointIeee754<T>
{
    private readonly Action<ReadOnlySpan<T>, Span<T>> _function;

    public DelegateVectorFunction(Action<ReadOnlySpan<T>, Span<T>> function) => _function = function;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Evaluate(ReadOnlySpan<T> x, Span<T> values) => _function(x, values);
}
