using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using System.Runtime.Intrinsics;

namespace Gradients;

/// <summary>
/// Numerical derivatives by finite differences: gradients, directional derivatives, one-variable derivatives,
/// Jacobians, Hessians and Hessian-vector products. Every routine is generic over the floating-point type, works
/// on a scratch copy of x (the caller's x is never written), holds no shared mutable state (safe to call from
/// many threads at once) and allocates nothing for n ≤ 1000 on its serial path. Functions come either as a
/// delegate or, for inlining, as a struct implementing <see cref="IScalarFunction{T}"/>.
/// </summary>
public static partial class FiniteDifference
{
    /// <summary>
    /// Writes the central-difference gradient of <paramref name="f"/> at <paramref name="x"/> into
    /// <paramref name="gradient"/> (2n evaluations, default step ∛ε·max(|xᵢ|, 1)).
    /// </summary>
    /// <typeparam name="T">The floating-point type.</typeparam>
    /// <param name="f">The function; it must not write to its argument.</param>
    /// <param name="x">The point, of length n ≥ 1, finite.</param>
    /// <param name="gradient">Receives ∂f/∂xᵢ; length n, not overlapping <paramref name="x"/>.</param>
    /// <exception cref="ArgumentException">An argument is empty, non-finite or of the wrong length.</exception>
    /// <exception cref="NotFiniteNumberException">f returned NaN or ±∞ at a stencil point.</exception>
    public static void Gradient<T>(Func<ReadOnlySpan<T>, T> f, ReadOnlySpan<T> x, Span<T> gradient)
        where T : IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(f);
        ValidateGradientArguments(x, gradient);
        var function = new DelegateFunction<T>(f);
        _ = PlainGradient(ref function, x, gradient, default);
    }

    /// <summary>
    /// Writes the finite-difference gradient of <paramref name="f"/> at <paramref name="x"/> into
    /// <paramref name="gradient"/> with the scheme, steps, bounds and policies of <paramref name="options"/>.
    /// </summary>
    /// <typeparam name="T">The floating-point type.</typeparam>
    /// <param name="f">The function; it must not write to its argument (and be thread-safe when parallel).</param>
    /// <param name="x">The point, of length n ≥ 1, finite and inside the bounds.</param>
    /// <param name="gradient">Receives ∂f/∂xᵢ; length n, not overlapping <paramref name="x"/>.</param>
    /// <param name="options">The scheme, steps, bounds, non-finite policy and parallelism.</param>
    /// <param name="errorEstimates">
    /// Optional (empty or length n): receives the error estimate of each component (NaN when the scheme has none).
    /// </param>
    /// <param name="steps">Optional (empty or length n): receives the step used for each coordinate.</param>
    /// <returns>The evaluation count, the number of one-sided coordinates and the largest error estimate.</returns>
    /// <exception cref="ArgumentException">An argument or option is invalid; the message names it and its size.</exception>
    /// <exception cref="NotFiniteNumberException">f returned NaN or ±∞ and no fallback succeeded.</exception>
    public static FiniteDifferenceResult<T> Gradient<T>(
        Func<ReadOnlySpan<T>, T> f,
        ReadOnlySpan<T> x,
        Span<T> gradient,
        in FiniteDifferenceOptions<T> options,
        Span<T> errorEstimates = default,
        Span<T> steps = default)
        where T : IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(f);
        var function = new DelegateFunction<T>(f);
        return GradientCore(ref function, x, gradient, options, errorEstimates, steps);
    }

    /// <summary>
    /// Writes the central-difference gradient of the struct function <paramref name="function"/> at
    /// <paramref name="x"/> into <paramref name="gradient"/>; the struct's <c>Evaluate</c> is inlined.
    /// </summary>
    /// <typeparam name="T">The floating-point type.</typeparam>
    /// <typeparam name="TFunction">The function type, a struct.</typeparam>
    /// <param name="function">The function; it must not write to its argument.</param>
    /// <param name="x">The point, of length n ≥ 1, finite.</param>
    /// <param name="gradient">Receives ∂f/∂xᵢ; length n, not overlapping <paramref name="x"/>.</param>
    /// <exception cref="ArgumentException">An argument is empty, non-finite or of the wrong length.</exception>
    /// <exception cref="NotFiniteNumberException">f returned NaN or ±∞ at a stencil point.</exception>
    public static void Gradient<T, TFunction>(TFunction function, ReadOnlySpan<T> x, Span<T> gradient)
        where T : IFloatingPointIeee754<T>
        where TFunction : struct, IScalarFunction<T>
    {
        ValidateGradientArguments(x, gradient);
        _ = PlainGradient(ref function, x, gradient, default);
    }

    /// <summary>
    /// Writes the finite-difference gradient of the struct function <paramref name="function"/> at
    /// <paramref name="x"/> into <paramref name="gradient"/> with the settings of <paramref name="options"/>.
    /// </summary>
    /// <typeparam name="T">The floating-point type.</typeparam>
    /// <typeparam name="TFunction">The function type, a struct.</typeparam>
    /// <param name="function">The function; it must not write to its argument (and be thread-safe when parallel).</param>
    /// <param name="x">The point, of length n ≥ 1, finite and inside the bounds.</param>
    /// <param name="gradient">Receives ∂f/∂xᵢ; length n, not overlapping <paramref name="x"/>.</param>
    /// <param name="options">The scheme, steps, bounds, non-finite policy and parallelism.</param>
    /// <param name="errorEstimates">
    /// Optional (empty or length n): receives the error estimate of each component (NaN when the scheme has none).
    /// </param>
    /// <param name="steps">Optional (empty or length n): receives the step used for each coordinate.</param>
    /// <returns>The evaluation count, the number of one-sided coordinates and the largest error estimate.</returns>
    /// <exception cref="ArgumentException">An argument or option is invalid; the message names it and its size.</exception>
    /// <exception cref="NotFiniteNumberException">f returned NaN or ±∞ and no fallback succeeded.</exception>
    public static FiniteDifferenceResult<T> Gradient<T, TFunction>(
        TFunction function,
        ReadOnlySpan<T> x,
        Span<T> gradient,
        in FiniteDifferenceOptions<T> options,
        Span<T> errorEstimates = default,
        Span<T> steps = default)
        where T : IFloatingPointIeee754<T>
        where TFunction : struct, IScalarFunction<T> =>
        GradientCore(ref function, x, gradient, options, errorEstimates, steps);

    [SkipLocalsInit]
    [MethodImpl(MethodImplOptions.NoInlining)] // inlined into a caller, its 1 KiB ScratchBuffer would be zeroed there (the caller has no SkipLocalsInit): +50 ns per call, measured
    private static FiniteDifferenceResult<T> GradientCore<T, TFunction>(
        ref TFunction function,
        ReadOnlySpan<T> x,
        Span<T> gradient,
        in FiniteDifferenceOptions<T> options,
        Span<T> errorEstimates,
        Span<T> steps)
        where T : IFloatingPointIeee754<T>
        where TFunction : struct, IScalarFunction<T>
    {
        var n = x.Length;
        ValidateGradientArguments(x, gradient);
        if (!errorEstimates.IsEmpty)
        {
            ThrowHelper.ThrowIfLengthMismatch(errorEstimates.Length, n, nameof(errorEstimates), "the point 'x'");
        }

        if (!steps.IsEmpty)
        {
            ThrowHelper.ThrowIfLengthMismatch(steps.Length, n, nameof(steps), "the point 'x'");
        }

        ValidateOutputOverlaps(x, gradient, nameof(gradient), errorEstimates, steps, options);
        ValidatePoint(x, nameof(x));
        ValidateOptions(options, x, allowPerCoordinateSteps: true);
        if (options.Scheme == FiniteDifferenceScheme.Adaptive)
        {
            // Up to 161 evaluations per coordinate rather than the fixed schemes' 16: the count must still fit.
            ValidateSizes(3L * n, ((long)MaxEvaluationsPer(options.Scheme) * n) + 1, nameof(x), "an adaptive gradient of n = {0:N0} coordinates", n);
        }

        var degree = DegreeOfParallelism(options.MaxDegreeOfParallelism);
        if (degree > 1 && n > 1)
        {
            return GradientParallel(function, x, gradient, options, errorEstimates, steps, degree);
        }

        if (IsPlainCentral(options) && errorEstimates.IsEmpty && steps.IsEmpty)
        {
            // The common call — central differences, default steps, no bounds, no extra outputs.
            return PlainGradient(ref function, x, gradient, options);
        }

        Unsafe.SkipInit(out ScratchBuffer<T> stack);
        var point = ScratchBuffer.Take(ref stack, n, out var rented);
        try
        {
            x.CopyTo(point);
            return GradientRange(ref function, x, point, 0, n, gradient, errorEstimates, steps, options);
        }
        finally
        {
            ScratchBuffer.Return(rented);
        }
    }

    /// <summary>
    /// Central differences with default steps, no bounds and no extra outputs — the overloads without options and
    /// any options that ask for nothing more: the copy of x, its finiteness check and the steps in one pass, then
    /// <see cref="PlainCentral{T, TFunction}"/>. A non-finite value hands the remaining coordinates to
    /// <see cref="GradientRange{T, TFunction}"/>, which applies the policy of <paramref name="options"/>.
    /// Same arithmetic and exceptions as the general path, bit-identical results. The caller has checked the
    /// arguments with <see cref="ValidateGradientArguments{T}"/>; x is checked for finiteness here.
    /// </summary>
    [SkipLocalsInit]
    [MethodImpl(MethodImplOptions.NoInlining)] // see GradientCore
    private static FiniteDifferenceResult<T> PlainGradient<T, TFunction>(ref TFunction function, ReadOnlySpan<T> x, Span<T> gradient, in FiniteDifferenceOptions<T> options)
        where T : IFloatingPointIeee754<T>
        where TFunction : struct, IScalarFunction<T>
    {
        var n = x.Length;

        Unsafe.SkipInit(out ScratchBuffer<T> stack);
        var scratch = ScratchBuffer.Take(ref stack, 3 * n, out var rented);
        var point = scratch[..n];
        var steps = scratch.Slice(n, n);
        try
        {
            var factor = StepFactors<T>.CubeRoot;
            var i = 0;
            if (Vector256.IsHardwareAccelerated && Vector256<T>.IsSupported && n >= Vector256<T>.Count)
            {
                // Whole vectors, the last one overlapping (same bits for a recomputed element); the step is
                // StepSize.For's arithmetic lane by lane: h = (|x| + f·max(|x|, 1)) − |x|. A non-finite x, or an x
                // so large that |x| + h overflows (the stencil would leave the finite range), leaves the rest to the
                // scalar loop, which names the coordinate.
                var width = Vector256<T>.Count;
                var factors = Vector256.Create(factor);
                while (i < n)
                {
                    var at = Math.Min(i, n - width);
                    var xs = Vector256.Create<T>(x[at..]);
                    var magnitude = Vector256.Abs(xs);
                    var scale = Vector256.ConditionalSelect(Vector256.GreaterThan(magnitude, Vector256<T>.One), magnitude, Vector256<T>.One);
                    var reached = magnitude + (factors * scale);
                    if (!Vector256.EqualsAll(reached - reached, Vector256<T>.Zero))
                    {
                        i = at;
                        break;
                    }

                    xs.CopyTo(point[at..]);
                    (reached - magnitude).CopyTo(steps[at..]);
                    i = at + width;
                }
            }

            for (; i < n; i++)
            {
                var xi = x[i];
                if (!T.IsFinite(xi))
                {
                    ThrowHelper.ThrowNonFiniteArgument(nameof(x), i, double.CreateTruncating(xi), n);
                }

                point[i] = xi;
                var h = StepSize.For(factor, relative: true, xi);
                ValidateStep(h, xi, T.One, i, userStep: false);
                steps[i] = h;
            }

            var start = PlainCentral(ref function, point, steps, scratch.Slice(2 * n, n), gradient);
            if (start == n)
            {
                return new FiniteDifferenceResult<T>(2 * n, 0, T.NaN);
            }

            // The first pass evaluated every coordinate (2n calls); the general path starts over at the first
            // coordinate it could not finish.
            var rest = GradientRange(ref function, x, point, start, n, gradient, default, default, options);
            return rest with { Evaluations = rest.Evaluations + (2 * n) };
        }
        finally
        {
            ScratchBuffer.Return(rented);
        }
    }

    /// <summary>
    /// x is not empty and small enough (scratch 3n, at most 16n + 1 evaluations); the gradient has its length and does
    /// not overlap it.
    /// </summary>
    private static void ValidateGradientArguments<T>(ReadOnlySpan<T> x, Span<T> gradient)
    {
        ThrowHelper.ThrowIfEmpty(x.Length, nameof(x));
        ThrowHelper.ThrowIfLengthMismatch(gradient.Length, x.Length, nameof(gradient), "the point 'x'");
        ThrowHelper.ThrowIfOverlapping(x, gradient, nameof(x), nameof(gradient));
        if (x.Length > ScratchBuffer.Length)
        {
            ValidateSizes(3L * x.Length, ((long)MaxEvaluationsPerCoordinate * x.Length) + 1, nameof(x), "a gradient of n = {0:N0} coordinates", x.Length);
        }
    }

    /// <summary>Whether <paramref name="options"/> asks for nothing beyond central differences with default steps.</summary>
    private static bool IsPlainCentral<T>(in FiniteDifferenceOptions<T> options)
        where T : IFloatingPointIeee754<T> =>
        options.Scheme == FiniteDifferenceScheme.Central && !options.HasStep && options.Steps.IsEmpty &&
        options.LowerBounds.IsEmpty && options.UpperBounds.IsEmpty;

    /// <summary>
    /// Central differences with the default step ∛ε·max(|xᵢ|, 1) — the same arithmetic as
    /// <see cref="GradientRange{T, TFunction}"/> on an unbounded coordinate — until a non-finite value appears.
    /// Returns the number of coordinates done.
    /// </summary>
    /// <param name="function">The function.</param>
    /// <param name="point">The scratch copy of x; every coordinate is restored after its two evaluations.</param>
    /// <param name="steps">The n default steps, computed by the caller.</param>
    /// <param name="differences">Scratch for the n differences.</param>
    /// <param name="gradient">Receives the gradient.</param>
    /// <remarks>
    /// Two passes after the steps: the 2n evaluations (each coordinate leaving only its difference behind), then the
    /// divisions and the finiteness test over all coordinates at once. A division or a test at the end of each
    /// coordinate waits for both evaluations and holds up retirement while the next coordinate's evaluations
    /// queue behind it: about 20% at n = 10. Deferred, they run vectorized, off that path. The evaluation pass
    /// touches only the stack scratch (xᵢ is read from the point itself): a store to the scratch followed by a
    /// load from the caller's arrays at the same address modulo 4 KiB stalls as if dependent, which made the
    /// time depend on where the arrays happened to lie (1.18–1.29 × the 2n evaluations at n = 10).
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] // into PlainGradient, its only caller: saves a call with five spans
    private static int PlainCentral<T, TFunction>(ref TFunction function, Span<T> point, Span<T> steps, Span<T> differences, Span<T> gradient)
        where T : IFloatingPointIeee754<T>
        where TFunction : struct, IScalarFunction<T>
    {
        var n = point.Length;
        steps = steps[..n];
        differences = differences[..n];
        for (var i = 0; i < n; i++)
        {
            var xi = point[i];
            var h = steps[i];
            point[i] = xi + h;
            var plus = function.Evaluate(point);
            point[i] = xi - h;
            var minus = function.Evaluate(point);
            point[i] = xi;
            differences[i] = plus - minus;
        }

        // gradientᵢ = (f₊ − f₋) / ((xᵢ + h) − (xᵢ − h)), the denominator as the stencil actually moved xᵢ.
        // One test of the quotient covers both values: it is finite only if both are and their difference did not
        // overflow; otherwise the general path handles the coordinate (its policy, or the rescaled difference).
        var done = 0;
        if (Vector256.IsHardwareAccelerated && Vector256<T>.IsSupported && n >= Vector256<T>.Count)
        {
            // Whole vectors, the last one overlapping the one before when n is not a multiple of the width
            // (recomputing an element gives the same bits). d − d is 0 exactly when d is finite.
            var width = Vector256<T>.Count;
            while (true)
            {
                var at = Math.Min(done, n - width);
                var difference = Vector256.Create<T>(differences[at..]);
                var xs = Vector256.Create<T>(point[at..]);
                var hs = Vector256.Create<T>(steps[at..]);
                var quotient = difference / (((xs + hs) - xs) - ((xs - hs) - xs));
                if (!Vector256.EqualsAll(quotient - quotient, Vector256<T>.Zero))
                {
                    done = at;
                    break;
                }

                quotient.CopyTo(gradient[at..]);
                done = at + width;
                if (done == n)
                {
                    return n;
                }
            }
        }

        for (; done < n; done++)
        {
            var xi = point[done];
            var h = steps[done];
            var quotient = differences[done] / (((xi + h) - xi) - ((xi - h) - xi));
            if (!T.IsFinite(quotient))
            {
                return done;
            }

            gradient[done] = quotient;
        }

        return n;
    }

    /// <summary>
    /// Differentiates coordinates [<paramref name="start"/>, <paramref name="end"/>) on the scratch point
    /// <paramref name="point"/> (a copy of x). Each coordinate depends only on x, f and its own step, which is
    /// what makes the parallel split bit-identical to the serial loop.
    /// </summary>
    private static FiniteDifferenceResult<T> GradientRange<T, TFunction>(
        ref TFunction function,
        ReadOnlySpan<T> x,
        Span<T> point,
        int start,
        int end,
        Span<T> gradient,
        Span<T> errorEstimates,
        Span<T> steps,
        in FiniteDifferenceOptions<T> options)
        where T : IFloatingPointIeee754<T>
        where TFunction : struct, IScalarFunction<T>
    {
        var scheme = options.Scheme;
        var lower = options.LowerBounds.Span;
        var upper = options.UpperBounds.Span;
        var userSteps = options.Steps.Span;
        var userStep = options.HasStep || !userSteps.IsEmpty;
        var relative = !userStep || options.StepKind == StepSizeKind.Relative;
        var factor = options.HasStep ? options.Step : StepSize.FactorOf<T>(scheme);
        var functionValue = options.FunctionValue;
        var hasFunctionValue = options.HasFunctionValue;
        var policy = options.NonFiniteValues;
        var fastCentral = scheme == FiniteDifferenceScheme.Central && lower.IsEmpty && upper.IsEmpty;
        var bounded = !(lower.IsEmpty && upper.IsEmpty);
        var reach = MaximumReach<T>(scheme);

        var evaluations = 0;
        var oneSided = 0;
        var maxError = T.NaN;
        for (var i = start; i < end; i++)
        {
            var xi = x[i];
            var h = StepSize.For(userSteps.IsEmpty ? factor : userSteps[i], relative, xi);
            ValidateStep(h, xi, reach, i, userStep);

            if (!steps.IsEmpty)
            {
                steps[i] = h;
            }

            if (fastCentral)
            {
                // The plain central loop, the same arithmetic as Stencil.Central on an unbounded line; a
                // non-finite value or quotient sends the coordinate through the general path (its policy, or the
                // difference rescaled against overflow).
                var up = xi + h;
                var down = xi - h;
                point[i] = up;
                var plus = function.Evaluate(point);
                point[i] = down;
                var minus = function.Evaluate(point);
                point[i] = xi;
                evaluations += 2;
                var quotient = (plus - minus) / ((up - xi) - (down - xi));
                if (T.IsFinite(quotient))
                {
                    gradient[i] = quotient;
                    if (!errorEstimates.IsEmpty)
                    {
                        errorEstimates[i] = T.NaN;
                    }

                    continue;
                }
            }

            var low = lower.IsEmpty ? T.NegativeInfinity : lower[i];
            var high = upper.IsEmpty ? T.PositiveInfinity : upper[i];
            if (bounded)
            {
                ValidateRoom(scheme, h, xi, xi - low, high - xi, i, low, high, x.Length);
            }

            var line = new CoordinateLine<T, TFunction>(ref function, point, i, xi, low, high);
            var status = Stencil.Differentiate(ref line, scheme, h, xi - low, high - xi, policy, ref functionValue, ref hasFunctionValue, out var outcome);
            evaluations += outcome.Evaluations;
            if (status != StencilStatus.Ok)
            {
                ThrowStencilFailure(status, outcome, x, i, low, high);
            }

            gradient[i] = outcome.Derivative;
            if (!errorEstimates.IsEmpty)
            {
                errorEstimates[i] = outcome.ErrorEstimate;
            }

            if (!steps.IsEmpty)
            {
                steps[i] = outcome.Step;
            }

            if (outcome.OneSided)
            {
                oneSided++;
            }

            if (T.IsNaN(maxError) || outcome.ErrorEstimate > maxError)
            {
                maxError = outcome.ErrorEstimate;
            }
        }

        return new FiniteDifferenceResult<T>(evaluations, oneSided, maxError);
    }

    /// <summary>
    /// Splits the coordinates into contiguous chunks evaluated on separate threads, each on its own copy of x and
    /// of the function struct. Allocates (the thread pool's task objects, pooled buffers); meant for expensive f.
    /// </summary>
    private static FiniteDifferenceResult<T> GradientParallel<T, TFunction>(
        TFunction function,
        ReadOnlySpan<T> x,
        Span<T> gradient,
        FiniteDifferenceOptions<T> options,
        Span<T> errorEstimates,
        Span<T> steps,
        int degree)
        where T : IFloatingPointIeee754<T>
        where TFunction : struct, IScalarFunction<T>
    {
        var n = x.Length;
        using var shared = new ParallelOutputs<T>(x, n, !errorEstimates.IsEmpty, !steps.IsEmpty);
        var result = ForEachChunk<T>(n, degree, (start, end) =>
        {
            var point = ArrayPool<T>.Shared.Rent(n);
            try
            {
                var local = function;
                shared.Origin.CopyTo(point);
                return GradientRange(ref local, shared.Origin, point.AsSpan(0, n), start, end, shared.Values, shared.Errors, shared.Steps, options);
            }
            finally
            {
                ArrayPool<T>.Shared.Return(point, clearArray: true);
            }
        });

        shared.CopyTo(gradient, errorEstimates, steps);
        return result;
    }

    /// <summary>
    /// The parallel driver of the gradient and the Jacobian: splits coordinates 0…n−1 into up to 4·degree contiguous
    /// ranges, runs <paramref name="range"/>(start, end) for each on the calling thread and up to
    /// <paramref name="degree"/> − 1 helpers (<see cref="CallerFirstChunks"/>: a starved pool cannot stall it), and
    /// combines the ranges' results in range order with the serial loop's rules (counts add up; the error estimate is
    /// the largest that is not NaN). If ranges fail, the exception of the first failing range is rethrown: the one
    /// the serial loop, which meets that range's coordinates first, would throw.
    /// </summary>
    private static FiniteDifferenceResult<T> ForEachChunk<T>(int n, int degree, Func<int, int, FiniteDifferenceResult<T>> range)
        where T : IFloatingPointIeee754<T>
    {
        var chunks = CallerFirstChunks.ChunkCount(n, degree);
        var results = new FiniteDifferenceResult<T>[chunks];
        var failures = new Exception?[chunks];
        CallerFirstChunks.Run(chunks, degree, chunk =>
        {
            try
            {
                results[chunk] = range((int)((long)n * chunk / chunks), (int)((long)n * (chunk + 1) / chunks));
            }
            catch (Exception e)
            {
                failures[chunk] = e;
            }
        });

        foreach (var failure in failures)
        {
            if (failure is not null)
            {
                ExceptionDispatchInfo.Capture(failure).Throw();
            }
        }

        var evaluations = 0;
        var oneSided = 0;
        var maxError = T.NaN;
        foreach (var result in results)
        {
            evaluations += result.Evaluations;
            oneSided += result.OneSidedCoordinates;
            if (T.IsNaN(maxError) || result.MaxErrorEstimate > maxError)
            {
                maxError = result.MaxErrorEstimate;
            }
        }

        return new FiniteDifferenceResult<T>(evaluations, oneSided, maxError);
    }
}
