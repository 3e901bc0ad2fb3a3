using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;

namespace Gradients;

public static partial class FiniteDifference
{
    /// <summary>
    /// Writes the Hessian of <paramref name="f"/> at <paramref name="x"/> into <paramref name="hessian"/>
    /// (n×n, row-major, exactly symmetric) by central second differences: 2n² + 1 evaluations, step
    /// ε^(1/4)·max(|xᵢ|, 1).
    /// </summary>
    /// <typeparam name="T">The floating-point type.</typeparam>
    /// <param name="f">The function; it must not write to its argument.</param>
    /// <param name="x">The point, of length n ≥ 1, finite.</param>
    /// <param name="hessian">Receives ∂²f/∂xᵢ∂xⱼ at index i·n + j; length n², not overlapping <paramref name="x"/>.</param>
    /// <exception cref="ArgumentException">An argument is empty, non-finite or of the wrong length.</exception>
    /// <exception cref="NotFiniteNumberException">f returned NaN or ±∞ at a stencil point.</exception>
    public static void Hessian<T>(Func<ReadOnlySpan<T>, T> f, ReadOnlySpan<T> x, Span<T> hessian)
        where T : IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(f);
        var function = new DelegateFunction<T>(f);
        _ = HessianCore(ref function, x, hessian, default, default);
    }

    /// <summary>
    /// Writes the Hessian of <paramref name="f"/> at <paramref name="x"/> into <paramref name="hessian"/> with the
    /// steps and bounds of <paramref name="options"/>. Only <see cref="FiniteDifferenceScheme.Central"/> applies;
    /// a coordinate whose central stencil would leave the box uses the one-sided (forward or backward, first-order)
    /// second differences instead. Non-finite values always throw. With
    /// <see cref="FiniteDifferenceOptions{T}.MaxDegreeOfParallelism"/> above 1 the off-diagonal entries (all but
    /// 2n + 1 of the evaluations) are computed on several threads, bit-identical to the serial result; f must then
    /// be safe to call concurrently.
    /// </summary>
    /// <typeparam name="T">The floating-point type.</typeparam>
    /// <param name="f">The function; it must not write to its argument.</param>
    /// <param name="x">The point, of length n ≥ 1, finite and inside the bounds.</param>
    /// <param name="hessian">Receives ∂²f/∂xᵢ∂xⱼ at index i·n + j; length n².</param>
    /// <param name="options">The steps (default ε^(1/4)-relative) and bounds.</param>
    /// <param name="steps">Optional (empty or length n): receives the step used for each coordinate.</param>
    /// <returns>The evaluation count and the number of one-sided coordinates.</returns>
    /// <exception cref="ArgumentException">An argument or option is invalid; the message names it and its size.</exception>
    /// <exception cref="NotFiniteNumberException">f returned NaN or ±∞ at a stencil point.</exception>
    public static FiniteDifferenceResult<T> Hessian<T>(
        Func<ReadOnlySpan<T>, T> f,
        ReadOnlySpan<T> x,
        Span<T> hessian,
        in FiniteDifferenceOptions<T> options,
        Span<T> steps = default)
        where T : IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(f);
        var function = new DelegateFunction<T>(f);
        return HessianCore(ref function, x, hessian, options, steps);
    }

    /// <summary>Writes the central-difference Hessian of the struct function <paramref name="function"/> (2n² + 1 evaluations).</summary>
    /// <typeparam name="T">The floating-point type.</typeparam>
    /// <typeparam name="TFunction">The function type, a struct.</typeparam>
    /// <param name="function">The function; it must not write to its argument.</param>
    /// <param name="x">The point, of length n ≥ 1, finite.</param>
    /// <param name="hessian">Receives ∂²f/∂xᵢ∂xⱼ at index i·n + j; length n².</param>
    /// <exception cref="ArgumentException">An argument is empty, non-finite or of the wrong length.</exception>
    /// <exception cref="NotFiniteNumberException">f returned NaN or ±∞ at a stencil point.</exception>
    public static void Hessian<T, TFunction>(TFunction function, ReadOnlySpan<T> x, Span<T> hessian)
        where T : IFloatingPointIeee754<T>
        where TFunction : struct, IScalarFunction<T> =>
        _ = HessianCore(ref function, x, hessian, default, default);

    /// <summary>Writes the Hessian of the struct function <paramref name="function"/> with the steps and bounds of <paramref name="options"/>.</summary>
    /// <typeparam name="T">The floating-point type.</typeparam>
    /// <typeparam name="TFunction">The function type, a struct.</typeparam>
    /// <param name="function">The function; it must not write to its argument.</param>
    /// <param name="x">The point, of length n ≥ 1, finite and inside the bounds.</param>
    /// <param name="hessian">Receives ∂²f/∂xᵢ∂xⱼ at index i·n + j; length n².</param>
    /// <param name="options">The steps and bounds (scheme Central only).</param>
    /// <param name="steps">Optional (empty or length n): receives the step used for each coordinate.</param>
    /// <returns>The evaluation count and the number of one-sided coordinates.</returns>
    /// <exception cref="ArgumentException">An argument or option is invalid; the message names it and its size.</exception>
    /// <exception cref="NotFiniteNumberException">f returned NaN or ±∞ at a stencil point.</exception>
    public static FiniteDifferenceResult<T> Hessian<T, TFunction>(
        TFunction function,
        ReadOnlySpan<T> x,
        Span<T> hessian,
        in FiniteDifferenceOptions<T> options,
        Span<T> steps = default)
        where T : IFloatingPointIeee754<T>
        where TFunction : struct, IScalarFunction<T> =>
        HessianCore(ref function, x, hessian, options, steps);

    /// <summary>
    /// Central second differences (Numerical Recipes §5.7; Nocedal &amp; Wright §8.1, eq. 8.10 and its central
    /// analogue): ∂²f/∂xᵢ² = (f(x + hᵢeᵢ) − 2f(x) + f(x − hᵢeᵢ)) / hᵢ², error hᵢ²|f⁽⁴⁾|/12 + 4ε|f|/hᵢ², and
    /// ∂²f/∂xᵢ∂xⱼ = (f(++) − f(+−) − f(−+) + f(−−)) / 4hᵢhⱼ; both balance at h ∝ ε^(1/4). Near a bound a
    /// coordinate turns one-sided with sign s: (f(x + 2a) − 2f(x + a) + f(x)) / a² and, for pairs involving it,
    /// (f(x + aeᵢ + beⱼ) − f(x + aeᵢ) − f(x + beⱼ) + f(x)) / ab with a = sᵢhᵢ, b = sⱼhⱼ.
    /// Every quotient uses the applied offsets.
    /// </summary>
    [SkipLocalsInit]
    [MethodImpl(MethodImplOptions.NoInlining)] // inlined into a caller, its 1 KiB ScratchBuffer would be zeroed there (the caller has no SkipLocalsInit): +50 ns per call, measured
    private static FiniteDifferenceResult<T> HessianCore<T, TFunction>(
        ref TFunction function,
        ReadOnlySpan<T> x,
        Span<T> hessian,
        in FiniteDifferenceOptions<T> options,
        Span<T> steps)
        where T : IFloatingPointIeee754<T>
        where TFunction : struct, IScalarFunction<T>
    {
        var n = x.Length;
        ThrowHelper.ThrowIfEmpty(n, nameof(x));
        if ((long)n * n > int.MaxValue)
        {
            ThrowHelper.ThrowArgument($"'x' has length {n}; an n×n Hessian of that size does not fit in a span.", nameof(x));
        }

        ValidateSizes(5L * n, (2L * n * n) + 1, nameof(x), "an n×n Hessian with n = {0:N0}", n);

        ThrowHelper.ThrowIfLengthMismatch(hessian.Length, n * n, nameof(hessian), "the n×n Hessian of the point 'x'");
        if (!steps.IsEmpty)
        {
            ThrowHelper.ThrowIfLengthMismatch(steps.Length, n, nameof(steps), "the point 'x'");
        }

        ValidateOutputOverlaps(x, hessian, nameof(hessian), default, steps, options);

        ValidatePoint(x, nameof(x));
        ValidateOptions(options, x, allowPerCoordinateSteps: true);
        if (options.Scheme == FiniteDifferenceScheme.Adaptive)
        {
            ThrowHelper.ThrowArgument(
                "options.Scheme is Adaptive; the Hessian supports Central second differences only. A Ridders tableau per entry would take 8–16 rows of 2 (diagonal) or 4 (off-diagonal) " +
                "evaluations for each of the n(n + 1)/2 entries, about 16n² evaluations against 2n² + 1, and the second difference's round-off ε|f|/h² leaves the search half the digits it has " +
                "for a first derivative. For an adaptive Hessian, take the Jacobian of the gradient with Adaptive (FiniteDifference.Jacobian of an analytic gradient).",
                nameof(options));
        }

        if (options.Scheme != FiniteDifferenceScheme.Central)
        {
            ThrowHelper.ThrowArgument($"options.Scheme is {options.Scheme}; the Hessian supports Central second differences only.", nameof(options));
        }

        // Scratch: the moving point, then per coordinate the two moved values and f at them.
        var length = 5 * n;
        Unsafe.SkipInit(out ScratchBuffer<T> stack);
        var scratch = ScratchBuffer.Take(ref stack, length, out var rented);
        try
        {
            var point = scratch[..n];
            var near = scratch.Slice(n, n);       // x + a (a = h, or s·h when one-sided)
            var far = scratch.Slice(2 * n, n);    // x − h, or x + 2a when one-sided
            var fNear = scratch.Slice(3 * n, n);
            var fFar = scratch.Slice(4 * n, n);
            x.CopyTo(point);

            var lower = options.LowerBounds.Span;
            var upper = options.UpperBounds.Span;
            var userSteps = options.Steps.Span;
            var userStep = options.HasStep || !userSteps.IsEmpty;
            var relative = !userStep || options.StepKind == StepSizeKind.Relative;
            var factor = options.HasStep ? options.Step : StepSize.SecondDerivativeFactor<T>();
            var two = T.CreateTruncating(2);
            var evaluations = 0;
            var oneSided = 0;

            var f0 = function.Evaluate(point);
            evaluations++;
            if (!T.IsFinite(f0))
            {
                ThrowHelper.ThrowNonFiniteFunctionValue(DescribePoint(x), 0, 0, double.CreateTruncating(f0));
            }

            for (var i = 0; i < n; i++)
            {
                var xi = x[i];
                var h = StepSize.For(userSteps.IsEmpty ? factor : userSteps[i], relative, xi);
                ValidateStep(h, xi, two, i, userStep);

                var low = lower.IsEmpty ? T.NegativeInfinity : lower[i];
                var high = upper.IsEmpty ? T.PositiveInfinity : upper[i];
                var roomMinus = xi - low;
                var roomPlus = high - xi;
                T a;
                T b;
                if (h <= roomMinus && h <= roomPlus)
                {
                    a = h;
                    b = -h;
                }
                else
                {
                    // One-sided on the roomier side, reaching 2|a|; shrunk when even that does not fit.
                    var plus = roomPlus >= roomMinus;
                    var room = plus ? roomPlus : roomMinus;
                    var magnitude = T.Min(h, room / two);
                    if (!(room > T.Zero) || (magnitude < h && magnitude < MinimumShrunkStep(xi)))
                    {
                        ThrowHelper.ThrowBoundsLeaveNoRoom(i, double.CreateTruncating(low), double.CreateTruncating(high), n);
                    }

                    a = plus ? magnitude : -magnitude;
                    b = two * a;
                    oneSided++;
                }

                ValidateSecondDifferenceStep(T.Abs(a), xi, i);
                if (!steps.IsEmpty)
                {
                    steps[i] = T.Abs(a);
                }

                near[i] = T.Min(T.Max(xi + a, low), high);
                far[i] = T.Min(T.Max(xi + b, low), high);
                point[i] = near[i];
                fNear[i] = function.Evaluate(point);
                point[i] = far[i];
                fFar[i] = function.Evaluate(point);
                point[i] = xi;
                evaluations += 2;
                ThrowIfNonFinite(fNear[i], x, i, near[i] - xi);
                ThrowIfNonFinite(fFar[i], x, i, far[i] - xi);

                // The second derivative at 0 of the parabola through (d₁, f₁), (0, f₀), (d₂, f₂).
                var d1 = near[i] - xi;
                var d2 = far[i] - xi;
                hessian[(i * n) + i] = SecondDifference(f0, fNear[i], d1, fFar[i], d2);
            }

            var degree = DegreeOfParallelism(options.MaxDegreeOfParallelism);
            if (degree > 1 && n > 2)
            {
                evaluations += HessianOffDiagonalParallel(function, x, near, far, fNear, f0, hessian, degree);
            }
            else
            {
                var failure = default(HessianFailure);
                evaluations += HessianOffDiagonalRows(ref function, x, point, near, far, fNear, f0, hessian, 0, 1, ref failure);
            }

            return new FiniteDifferenceResult<T>(evaluations, oneSided, T.NaN);
        }
        finally
        {
            ScratchBuffer.Return(rented);
        }
    }

    /// <summary>
    /// The entries above the diagonal of rows <paramref name="firstRow"/>, <paramref name="firstRow"/> + <paramref name="rowStride"/>, …
    /// (and their mirror images below it), from f(x), the diagonal stencil's points and values; returns the
    /// evaluations made. <paramref name="point"/> is x on entry and on exit. A non-finite value of f throws, naming
    /// the entry's row, after recording the entry in <paramref name="failure"/>.
    /// </summary>
    private static int HessianOffDiagonalRows<T, TFunction>(
        ref TFunction function,
        ReadOnlySpan<T> x,
        Span<T> point,
        ReadOnlySpan<T> near,
        ReadOnlySpan<T> far,
        ReadOnlySpan<T> fNear,
        T f0,
        Span<T> hessian,
        int firstRow,
        int rowStride,
        ref HessianFailure failure)
        where T : IFloatingPointIeee754<T>
        where TFunction : struct, IScalarFunction<T>
    {
        var n = x.Length;
        var evaluations = 0;
        for (var i = firstRow; i < n; i += rowStride)
        {
            var xi = x[i];
            var centralI = IsCentral(near[i], far[i], xi);
            for (var j = i + 1; j < n; j++)
            {
                failure = new HessianFailure(i, j);
                var xj = x[j];
                T value;
                if (centralI && IsCentral(near[j], far[j], xj))
                {
                    point[i] = near[i];
                    point[j] = near[j];
                    var plusPlus = function.Evaluate(point);
                    point[j] = far[j];
                    var plusMinus = function.Evaluate(point);
                    point[i] = far[i];
                    var minusMinus = function.Evaluate(point);
                    point[j] = near[j];
                    var minusPlus = function.Evaluate(point);
                    evaluations += 4;
                    point[i] = xi;
                    point[j] = xj;
                    ThrowIfNonFinite(plusPlus, x, i, near[i] - xi);
                    ThrowIfNonFinite(plusMinus, x, i, near[i] - xi);
                    ThrowIfNonFinite(minusMinus, x, i, far[i] - xi);
                    ThrowIfNonFinite(minusPlus, x, i, far[i] - xi);
                    value = MixedDifference(plusPlus, plusMinus, minusPlus, minusMinus, (near[i] - far[i]) * (near[j] - far[j]));
                }
                else
                {
                    point[i] = near[i];
                    point[j] = near[j];
                    var both = function.Evaluate(point);
                    evaluations++;
                    point[i] = xi;
                    point[j] = xj;
                    ThrowIfNonFinite(both, x, i, near[i] - xi);
                    value = MixedDifference(both, fNear[i], fNear[j], f0, (near[i] - xi) * (near[j] - xj));
                }

                hessian[(i * n) + j] = value;
                hessian[(j * n) + i] = value;
            }
        }

        failure = default;
        return evaluations;

        static bool IsCentral(T near, T far, T origin) => (near > origin) != (far > origin);
    }

    /// <summary>
    /// <see cref="HessianOffDiagonalRows"/> on several threads: thread-chunk c takes rows c, c + chunks, c + 2·chunks, …
    /// (row i has n − 1 − i entries, so interleaved rows balance the triangle), each with its own copy of the point
    /// and of the function struct, all writing disjoint entries of one shared n×n buffer. Every entry is computed by
    /// the serial arithmetic, so the result is bit-identical. If entries fail, the exception of the first one in the
    /// serial order (row, then column) is rethrown: the one a serial run throws.
    /// </summary>
    private static int HessianOffDiagonalParallel<T, TFunction>(
        TFunction function,
        ReadOnlySpan<T> x,
        ReadOnlySpan<T> near,
        ReadOnlySpan<T> far,
        ReadOnlySpan<T> fNear,
        T f0,
        Span<T> hessian,
        int degree)
        where T : IFloatingPointIeee754<T>
        where TFunction : struct, IScalarFunction<T>
    {
        var n = x.Length;
        var pool = ArrayPool<T>.Shared;
        var shared = pool.Rent(4 * n);
        var matrix = pool.Rent(n * n);
        x.CopyTo(shared.AsSpan(0, n));
        near.CopyTo(shared.AsSpan(n, n));
        far.CopyTo(shared.AsSpan(2 * n, n));
        fNear.CopyTo(shared.AsSpan(3 * n, n));
        var chunks = CallerFirstChunks.ChunkCount(n - 1, degree);
        var evaluations = new int[chunks];
        var failures = new (HessianFailure At, Exception? Error)[chunks];
        try
        {
            CallerFirstChunks.Run(chunks, degree, chunk =>
            {
                var point = pool.Rent(n);
                var failure = default(HessianFailure);
                try
                {
                    var local = function;
                    shared.AsSpan(0, n).CopyTo(point);
                    evaluations[chunk] = HessianOffDiagonalRows(
                        ref local,
                        shared.AsSpan(0, n),
                        point.AsSpan(0, n),
                        shared.AsSpan(n, n),
                        shared.AsSpan(2 * n, n),
                        shared.AsSpan(3 * n, n),
                        f0,
                        matrix.AsSpan(0, n * n),
                        chunk,
                        chunks,
                        ref failure);
                }
                catch (Exception e)
                {
                    failures[chunk] = (failure, e);
                }
                finally
                {
                    pool.Return(point, clearArray: true);
                }
            });

            var first = -1;
            for (var chunk = 0; chunk < chunks; chunk++)
            {
                if (failures[chunk].Error is not null && (first < 0 || failures[chunk].At.IsBefore(failures[first].At)))
                {
                    first = chunk;
                }
            }

            if (first >= 0)
            {
                ExceptionDispatchInfo.Capture(failures[first].Error!).Throw();
            }

            for (var i = 0; i < n; i++)
            {
                for (var j = 0; j < n; j++)
                {
                    if (i != j)
                    {
                        hessian[(i * n) + j] = matrix[(i * n) + j];
                    }
                }
            }

            var total = 0;
            foreach (var count in evaluations)
            {
                total += count;
            }

            return total;
        }
        finally
        {
            pool.Return(shared, clearArray: true);
            pool.Return(matrix, clearArray: true);
        }
    }

    /// <summary>
    /// The second derivative at 0 of the parabola through (d₁, f₁), (0, f₀), (d₂, f₂); on values scaled by 2⁻⁴ when
    /// the differences overflow (<see cref="DifferenceQuotient"/>).
    /// </summary>
    private static T SecondDifference<T>(T f0, T f1, T d1, T f2, T d2)
        where T : IFloatingPointIeee754<T>
    {
        var value = Of(f0, f1, f2);
        if (T.IsFinite(value))
        {
            return value;
        }

        var down = DifferenceQuotient.Down<T>();
        return DifferenceQuotient.Up(Of(f0 * down, f1 * down, f2 * down));

        T Of(T f0, T f1, T f2) => T.CreateTruncating(2) * (((f2 - f0) / d2) - ((f1 - f0) / d1)) / (d2 - d1);
    }

    /// <summary>(a − b − c + d) / area, on values scaled by 2⁻⁴ when the differences overflow.</summary>
    private static T MixedDifference<T>(T a, T b, T c, T d, T area)
        where T : IFloatingPointIeee754<T>
    {
        var value = (a - b - c + d) / area;
        if (T.IsFinite(value))
        {
            return value;
        }

        var down = DifferenceQuotient.Down<T>();
        return DifferenceQuotient.Up(((a * down) - (b * down) - (c * down) + (d * down)) / area);
    }

    /// <summary>The entry (row, column) being computed when f failed.</summary>
    private readonly record struct HessianFailure(int Row, int Column)
    {
        /// <summary>Whether this entry comes before <paramref name="other"/> in the serial order.</summary>
        public bool IsBefore(HessianFailure other) => Row < other.Row || (Row == other.Row && Column < other.Column);
    }

    /// <summary>
    /// Writes the Hessian-vector product H(x)·<paramref name="v"/> of <paramref name="f"/> from function values
    /// only: (Hv)ᵢ = ‖v‖·(Dᵢ(x + τu) − Dᵢ(x − τu)) / 2τ with u = v/‖v‖ and Dᵢ the central difference along eᵢ,
    /// 4n evaluations, steps ε^(1/4)-relative in both directions (the mixed second difference of
    /// <see cref="Hessian{T}(Func{ReadOnlySpan{T}, T}, ReadOnlySpan{T}, Span{T})"/>). A zero v gives a zero product
    /// without evaluating f.
    /// </summary>
    /// <typeparam name="T">The floating-point type.</typeparam>
    /// <param name="f">The function; it must not write to its argument.</param>
    /// <param name="x">The point, of length n ≥ 1, finite.</param>
    /// <param name="v">The vector, of length n, finite.</param>
    /// <param name="product">Receives H(x)·v; length n, not overlapping <paramref name="x"/> or <paramref name="v"/>.</param>
    /// <exception cref="ArgumentException">An argument is empty, non-finite or of the wrong length.</exception>
    /// <exception cref="NotFiniteNumberException">f returned NaN or ±∞ at a stencil point.</exception>
    public static void HessianVectorProduct<T>(Func<ReadOnlySpan<T>, T> f, ReadOnlySpan<T> x, ReadOnlySpan<T> v, Span<T> product)
        where T : IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(f);
        var function = new DelegateFunction<T>(f);
        HessianVectorProductCore(ref function, x, v, product);
    }

    /// <summary>
    /// Writes the Hessian-vector product H(x)·<paramref name="v"/> of the struct function
    /// <paramref name="function"/> from function values only (4n evaluations).
    /// </summary>
    /// <typeparam name="T">The floating-point type.</typeparam>
    /// <typeparam name="TFunction">The function type, a struct.</typeparam>
    /// <param name="function">The function; it must not write to its argument.</param>
    /// <param name="x">The point, of length n ≥ 1, finite.</param>
    /// <param name="v">The vector, of length n, finite.</param>
    /// <param name="product">Receives H(x)·v; length n.</param>
    /// <exception cref="ArgumentException">An argument is empty, non-finite or of the wrong length.</exception>
    /// <exception cref="NotFiniteNumberException">f returned NaN or ±∞ at a stencil point.</exception>
    public static void HessianVectorProduct<T, TFunction>(TFunction function, ReadOnlySpan<T> x, ReadOnlySpan<T> v, Span<T> product)
        where T : IFloatingPointIeee754<T>
        where TFunction : struct, IScalarFunction<T> =>
        HessianVectorProductCore(ref function, x, v, product);

    /// <summary>
    /// Writes the Hessian-vector product H(x)·<paramref name="v"/> from the analytic gradient:
    /// ‖v‖·(∇f(x + τu) − ∇f(x − τu)) / 2τ with u = v/‖v‖ and τ = ∛ε·max(Σ|uᵢ||xᵢ|, 1) — the central difference of
    /// the gradient along u, two gradient evaluations whatever n is. A zero v gives a zero product.
    /// </summary>
    /// <typeparam name="T">The floating-point type.</typeparam>
    /// <typeparam name="TFunction">The function type, a struct that knows its gradient.</typeparam>
    /// <param name="function">The function; it must not write to its argument.</param>
    /// <param name="x">The point, of length n ≥ 1, finite.</param>
    /// <param name="v">The vector, of length n, finite.</param>
    /// <param name="product">Receives H(x)·v; length n.</param>
    /// <exception cref="ArgumentException">An argument is empty, non-finite or of the wrong length.</exception>
    /// <exception cref="NotFiniteNumberException">The gradient had a NaN or ±∞ component at a stencil point.</exception>
    [SkipLocalsInit]
    [MethodImpl(MethodImplOptions.NoInlining)] // inlined into a caller, its 1 KiB ScratchBuffer would be zeroed there (the caller has no SkipLocalsInit): +50 ns per call, measured
    public static void HessianVectorProductFromGradient<T, TFunction>(TFunction function, ReadOnlySpan<T> x, ReadOnlySpan<T> v, Span<T> product)
        where T : IFloatingPointIeee754<T>
        where TFunction : struct, IDifferentiableFunction<T>
    {
        var n = x.Length;
        ValidateHessianVectorArguments(x, v, product);
        if (!UnitDirection(v, out var norm))
        {
            product.Clear();
            return;
        }

        var length = 3 * n;
        Unsafe.SkipInit(out ScratchBuffer<T> stack);
        var scratch = ScratchBuffer.Take(ref stack, length, out var rented);
        try
        {
            var point = scratch[..n];
            var plus = scratch.Slice(n, n);
            var minus = scratch.Slice(2 * n, n);
            var tau = StepFactors<T>.CubeRoot * T.Max(AlongLine(x, v, norm), T.One);
            Move(x, v, tau, norm, point);
            _ = function.EvaluateWithGradient(point, plus);
            Move(x, v, -tau, norm, point);
            _ = function.EvaluateWithGradient(point, minus);
            var scale = norm / (tau + tau);
            for (var i = 0; i < n; i++)
            {
                product[i] = DifferenceQuotient.TimesRatio(plus[i], minus[i], scale, norm, tau + tau);
                ThrowIfNonFinite(product[i], x, -1, tau);
            }
        }
        finally
        {
            ScratchBuffer.Return(rented);
        }
    }

    [SkipLocalsInit]
    [MethodImpl(MethodImplOptions.NoInlining)] // inlined into a caller, its 1 KiB ScratchBuffer would be zeroed there (the caller has no SkipLocalsInit): +50 ns per call, measured
    private static void HessianVectorProductCore<T, TFunction>(ref TFunction function, ReadOnlySpan<T> x, ReadOnlySpan<T> v, Span<T> product)
        where T : IFloatingPointIeee754<T>
        where TFunction : struct, IScalarFunction<T>
    {
        var n = x.Length;
        ValidateHessianVectorArguments(x, v, product);
        if (!UnitDirection(v, out var norm))
        {
            product.Clear();
            return;
        }

        var length = 2 * n;
        Unsafe.SkipInit(out ScratchBuffer<T> stack);
        var scratch = ScratchBuffer.Take(ref stack, length, out var rented);
        try
        {
            var plusBase = scratch[..n];
            var minusBase = scratch.Slice(n, n);
            var factor = StepSize.SecondDerivativeFactor<T>();
            var tau = factor * T.Max(AlongLine(x, v, norm), T.One);
            Move(x, v, tau, norm, plusBase);
            Move(x, v, -tau, norm, minusBase);
            var scale = norm / (tau + tau);
            for (var i = 0; i < n; i++)
            {
                var h = StepSize.For(factor, relative: true, x[i]);
                ValidateStep(h, plusBase[i], T.One, i, userStep: false);
                ValidateStep(h, minusBase[i], T.One, i, userStep: false);
                var plus = CentralAlong(ref function, plusBase, i, h);
                var minus = CentralAlong(ref function, minusBase, i, h);
                product[i] = DifferenceQuotient.TimesRatio(plus, minus, scale, norm, tau + tau);
                ThrowIfNonFinite(product[i], x, i, h);
            }
        }
        finally
        {
            ScratchBuffer.Return(rented);
        }

        static T CentralAlong(ref TFunction function, Span<T> point, int i, T h)
        {
            var origin = point[i];
            var up = origin + h;
            var down = origin - h;
            point[i] = up;
            var fUp = function.Evaluate(point);
            point[i] = down;
            var fDown = function.Evaluate(point);
            point[i] = origin;
            return DifferenceQuotient.Of(fUp, fDown, (up - origin) - (down - origin));
        }
    }

    private static void ValidateHessianVectorArguments<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> v, Span<T> product)
        where T : IFloatingPointIeee754<T>
    {
        var n = x.Length;
        ThrowHelper.ThrowIfEmpty(n, nameof(x));
        ValidateSizes(3L * n, 4L * n, nameof(x), "a Hessian-vector product with n = {0:N0}", n);
        ThrowHelper.ThrowIfLengthMismatch(v.Length, n, nameof(v), "the point 'x'");
        ThrowHelper.ThrowIfLengthMismatch(product.Length, n, nameof(product), "the point 'x'");
        SpanOverlap.ThrowIfOverlapsInput(product, nameof(product), x, nameof(x));
        SpanOverlap.ThrowIfOverlapsInput(product, nameof(product), v, nameof(v));
        ValidatePoint(x, nameof(x));
        ValidatePoint(v, nameof(v));
    }

    /// <summary>‖v‖ computed with scaling (no overflow or underflow); false when v = 0.</summary>
    private static bool UnitDirection<T>(ReadOnlySpan<T> v, out T norm)
        where T : IFloatingPointIeee754<T>
    {
        var largest = T.Zero;
        foreach (var d in v)
        {
            largest = T.Max(largest, T.Abs(d));
        }

        norm = T.Zero;
        if (T.IsZero(largest))
        {
            return false;
        }

        var sum = T.Zero;
        foreach (var d in v)
        {
            var scaled = d / largest;
            sum += scaled * scaled;
        }

        norm = largest * T.Sqrt(sum);
        return true;
    }

    /// <summary>Σ|uᵢ||xᵢ| with u = v/‖v‖: the size of x seen along the line, the scale of a relative step along u.</summary>
    private static T AlongLine<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> v, T norm)
        where T : IFloatingPointIeee754<T>
    {
        var sum = T.Zero;
        for (var i = 0; i < x.Length; i++)
        {
            sum += T.Abs(v[i] / norm) * T.Abs(x[i]);
        }

        return sum;
    }

    /// <summary>
    /// x + offset·u with u = v/‖v‖ into <paramref name="destination"/>; a point that leaves the finite range (|x| near the
    /// type's maximum) is rejected. Each uᵢ = vᵢ/‖v‖ is formed first (|uᵢ| ≤ 1): offset/‖v‖ overflows for a tiny v
    /// (‖v‖ = 10⁻³²⁰ in double, 10⁻⁷ in Half) and loses digits when it is subnormal for a huge one.
    /// </summary>
    private static void Move<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> v, T offset, T norm, Span<T> destination)
        where T : IFloatingPointIeee754<T>
    {
        for (var i = 0; i < x.Length; i++)
        {
            var step = offset * (v[i] / norm);
            var moved = x[i] + step;
            if (!T.IsFinite(moved))
            {
                ThrowHelper.ThrowArgument(
                    $"The Hessian-vector stencil moves x[{i}] = {x[i]} by {step} to {moved}, which is not finite; x is too close to the largest finite value of {typeof(T).Name}.",
                    nameof(x));
            }

            destination[i] = moved;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ThrowIfNonFinite<T>(T value, ReadOnlySpan<T> x, int coordinate, T offset)
        where T : IFloatingPointIeee754<T>
    {
        if (!T.IsFinite(value))
        {
            ThrowHelper.ThrowNonFiniteFunctionValue(DescribePoint(x), coordinate, double.CreateTruncating(offset), double.CreateTruncating(value));
        }
    }
}
