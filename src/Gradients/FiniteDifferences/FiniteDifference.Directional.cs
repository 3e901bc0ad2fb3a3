using System.Numerics;
using System.Runtime.CompilerServices;

namespace Gradients;

public static partial class FiniteDifference
{
    /// <summary>
    /// The rate of change of <paramref name="f"/> at <paramref name="x"/> along the unit vector
    /// u = direction / ‖direction‖, from two evaluations of f whatever n is: (f(x + hu) − f(x − hu)) / 2h.
    /// </summary>
    /// <typeparam name="T">The floating-point type.</typeparam>
    /// <param name="f">The function; it must not write to its argument.</param>
    /// <param name="x">The point, of length n ≥ 1, finite.</param>
    /// <param name="direction">The direction, of length n, finite and non-zero; only its orientation matters.</param>
    /// <returns>The directional derivative ∇f(x)·u.</returns>
    /// <exception cref="ArgumentException">An argument is empty, non-finite, zero or of the wrong length.</exception>
    /// <exception cref="NotFiniteNumberException">f returned NaN or ±∞ at a stencil point.</exception>
    public static T DirectionalDerivative<T>(Func<ReadOnlySpan<T>, T> f, ReadOnlySpan<T> x, ReadOnlySpan<T> direction)
        where T : IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(f);
        var function = new DelegateFunction<T>(f);
        return DirectionalCore(ref function, x, direction, default).Value;
    }

    /// <summary>
    /// The rate of change of <paramref name="f"/> at <paramref name="x"/> along u = direction / ‖direction‖ with
    /// the scheme, step, bounds and policies of <paramref name="options"/> (per-coordinate steps do not apply;
    /// parallelism is ignored: there are at most four evaluations).
    /// </summary>
    /// <typeparam name="T">The floating-point type.</typeparam>
    /// <param name="f">The function; it must not write to its argument.</param>
    /// <param name="x">The point, of length n ≥ 1, finite and inside the bounds.</param>
    /// <param name="direction">The direction, of length n, finite and non-zero.</param>
    /// <param name="options">The scheme, step, bounds and non-finite policy.</param>
    /// <returns>The derivative with its error estimate, step and evaluation count.</returns>
    /// <exception cref="ArgumentException">An argument or option is invalid; the message names it and its size.</exception>
    /// <exception cref="NotFiniteNumberException">f returned NaN or ±∞ and no fallback succeeded.</exception>
    public static FiniteDifferenceEstimate<T> DirectionalDerivative<T>(
        Func<ReadOnlySpan<T>, T> f,
        ReadOnlySpan<T> x,
        ReadOnlySpan<T> direction,
        in FiniteDifferenceOptions<T> options)
        where T : IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(f);
        var function = new DelegateFunction<T>(f);
        return DirectionalCore(ref function, x, direction, options);
    }

    /// <summary>
    /// The rate of change of the struct function <paramref name="function"/> at <paramref name="x"/> along
    /// u = direction / ‖direction‖, from two evaluations (central difference).
    /// </summary>
    /// <typeparam name="T">The floating-point type.</typeparam>
    /// <typeparam name="TFunction">The function type, a struct.</typeparam>
    /// <param name="function">The function; it must not write to its argument.</param>
    /// <param name="x">The point, of length n ≥ 1, finite.</param>
    /// <param name="direction">The direction, of length n, finite and non-zero.</param>
    /// <returns>The directional derivative ∇f(x)·u.</returns>
    /// <exception cref="ArgumentException">An argument is empty, non-finite, zero or of the wrong length.</exception>
    /// <exception cref="NotFiniteNumberException">f returned NaN or ±∞ at a stencil point.</exception>
    public static T DirectionalDerivative<T, TFunction>(TFunction function, ReadOnlySpan<T> x, ReadOnlySpan<T> direction)
        where T : IFloatingPointIeee754<T>
        where TFunction : struct, IScalarFunction<T> =>
        DirectionalCore(ref function, x, direction, default).Value;

    /// <summary>
    /// The rate of change of the struct function <paramref name="function"/> at <paramref name="x"/> along
    /// u = direction / ‖direction‖ with the settings of <paramref name="options"/>.
    /// </summary>
    /// <typeparam name="T">The floating-point type.</typeparam>
    /// <typeparam name="TFunction">The function type, a struct.</typeparam>
    /// <param name="function">The function; it must not write to its argument.</param>
    /// <param name="x">The point, of length n ≥ 1, finite and inside the bounds.</param>
    /// <param name="direction">The direction, of length n, finite and non-zero.</param>
    /// <param name="options">The scheme, step, bounds and non-finite policy.</param>
    /// <returns>The derivative with its error estimate, step and evaluation count.</returns>
    /// <exception cref="ArgumentException">An argument or option is invalid; the message names it and its size.</exception>
    /// <exception cref="NotFiniteNumberException">f returned NaN or ±∞ and no fallback succeeded.</exception>
    public static FiniteDifferenceEstimate<T> DirectionalDerivative<T, TFunction>(
        TFunction function,
        ReadOnlySpan<T> x,
        ReadOnlySpan<T> direction,
        in FiniteDifferenceOptions<T> options)
        where T : IFloatingPointIeee754<T>
        where TFunction : struct, IScalarFunction<T> =>
        DirectionalCore(ref function, x, direction, options);

    [SkipLocalsInit]
    [MethodImpl(MethodImplOptions.NoInlining)] // inlined into a caller, its 1 KiB ScratchBuffer would be zeroed there (the caller has no SkipLocalsInit): +50 ns per call, measured
    private static FiniteDifferenceEstimate<T> DirectionalCore<T, TFunction>(
        ref TFunction function,
        ReadOnlySpan<T> x,
        ReadOnlySpan<T> direction,
        in FiniteDifferenceOptions<T> options)
        where T : IFloatingPointIeee754<T>
        where TFunction : struct, IScalarFunction<T>
    {
        var n = x.Length;
        ThrowHelper.ThrowIfEmpty(n, nameof(x));
        ThrowHelper.ThrowIfLengthMismatch(direction.Length, n, nameof(direction), "the point 'x'");
        ValidateSizes(2L * n, MaxEvaluationsPerCoordinate, nameof(x), "a directional derivative with n = {0:N0}", n);
        ValidatePoint(x, nameof(x));
        ValidatePoint(direction, nameof(direction));
        ValidateOptions(options, x, allowPerCoordinateSteps: false);

        // ‖d‖ scaled by max|dᵢ| so huge or tiny directions neither overflow nor underflow (LAPACK's dnrm2 idea).
        var largest = T.Zero;
        foreach (var d in direction)
        {
            largest = T.Max(largest, T.Abs(d));
        }

        if (T.IsZero(largest))
        {
            ThrowHelper.ThrowZeroDirection(nameof(direction), n);
        }

        var sumOfSquares = T.Zero;
        foreach (var d in direction)
        {
            var scaled = d / largest;
            sumOfSquares += scaled * scaled;
        }

        var norm = largest * T.Sqrt(sumOfSquares);

        Unsafe.SkipInit(out ScratchBuffer<T> stack);
        var scratch = ScratchBuffer.Take(ref stack, 2 * n, out var rented);
        try
        {
            var unit = scratch[..n];
            var point = scratch[n..];
            var lower = options.LowerBounds.Span;
            var upper = options.UpperBounds.Span;

            // The scale along u is Σ|uᵢ||xᵢ|, the size of x seen along the line; for u = eᵢ it is |xᵢ|, so the
            // default step reduces to the gradient's factor·max(|xᵢ|, 1).
            var alongLine = T.Zero;
            var roomPlus = T.PositiveInfinity;
            var roomMinus = T.PositiveInfinity;
            for (var i = 0; i < n; i++)
            {
                var u = direction[i] / norm;
                unit[i] = u;
                alongLine += T.Abs(u) * T.Abs(x[i]);
                if (T.IsZero(u))
                {
                    continue;
                }

                // Largest t with lower ≤ x + t·u ≤ upper, for t > 0 (roomPlus) and t < 0 (roomMinus).
                var toUpper = upper.IsEmpty ? T.PositiveInfinity : (upper[i] - x[i]) / T.Abs(u);
                var toLower = lower.IsEmpty ? T.PositiveInfinity : (x[i] - lower[i]) / T.Abs(u);
                roomPlus = T.Min(roomPlus, u > T.Zero ? toUpper : toLower);
                roomMinus = T.Min(roomMinus, u > T.Zero ? toLower : toUpper);
            }

            var factor = options.HasStep ? options.Step : StepSize.FactorOf<T>(options.Scheme);
            var relative = !options.HasStep || options.StepKind == StepSizeKind.Relative;
            var h = relative ? factor * T.Max(alongLine, T.One) : factor;
            ValidateDirectionStep(x, unit, h, MaximumReach<T>(options.Scheme), options.HasStep);
            if (!(lower.IsEmpty && upper.IsEmpty))
            {
                Span<StencilSide> order = stackalloc StencilSide[3];
                var count = Stencil.Candidates(options.Scheme, order);
                var first = Stencil.Primary(options.Scheme, h, roomMinus, roomPlus, order[..count], out var firstStep);
                if (first < 0 || (firstStep < h && firstStep < MinimumShrunkStep(alongLine)))
                {
                    ThrowHelper.ThrowArgument(
                        $"The bounds (options.LowerBounds/UpperBounds, length {n}) leave no room for a step along 'direction' from x " +
                        $"(room {roomMinus} behind and {roomPlus} ahead; a step shrunk to fit must be at least ε^(3/4)·max(Σ|uᵢ||xᵢ|, 1)).",
                        "options");
                }
            }

            var functionValue = options.FunctionValue;
            var hasFunctionValue = options.HasFunctionValue;
            var line = new DirectionLine<T, TFunction>(ref function, x, unit, point, lower, upper);
            var status = Stencil.Differentiate(ref line, options.Scheme, h, roomMinus, roomPlus, options.NonFiniteValues, ref functionValue, ref hasFunctionValue, out var outcome);
            if (status == StencilStatus.NoRoom)
            {
                ThrowHelper.ThrowArgument(
                    $"The bounds (options.LowerBounds/UpperBounds, length {n}) leave no room for a step along 'direction' from x.", "options");
            }

            if (status == StencilStatus.NonFinite)
            {
                ThrowHelper.ThrowNonFiniteFunctionValue(
                    DescribePoint(x), -1, double.CreateTruncating(outcome.FailedOffset), double.CreateTruncating(outcome.FailedValue));
            }

            return new FiniteDifferenceEstimate<T>(outcome.Derivative, outcome.ErrorEstimate, outcome.Step, outcome.Evaluations, outcome.OneSided);
        }
        finally
        {
            ScratchBuffer.Return(rented);
        }
    }

    /// <summary>
    /// The step rule of <see cref="ValidateStep{T}"/> along a line: h moves the coordinate that moves most (the
    /// largest |uᵢ|) both ways, and every coordinate of the farthest stencil point x ± reach·h·u stays finite.
    /// </summary>
    private static void ValidateDirectionStep<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> unit, T h, T reach, bool userStep)
        where T : IFloatingPointIeee754<T>
    {
        if (!T.IsFinite(h))
        {
            ValidateStep(h, T.Zero, reach, 0, userStep);
        }

        var widest = 0;
        for (var i = 0; i < x.Length; i++)
        {
            if (T.Abs(unit[i]) > T.Abs(unit[widest]))
            {
                widest = i;
            }

            var far = reach * h * T.Abs(unit[i]);
            if (!(h > T.Zero) || !T.IsFinite(x[i] + far) || !T.IsFinite(x[i] - far))
            {
                ValidateStep(h * T.Abs(unit[i]), x[i], reach, i, userStep);
                ValidateStep(h, x[i], reach, i, userStep);
            }
        }

        ValidateStep(h * T.Abs(unit[widest]), x[widest], T.One, widest, userStep);
    }
}
