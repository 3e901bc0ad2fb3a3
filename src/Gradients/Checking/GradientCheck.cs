using System.Numerics;
using System.Numerics.Tensors;

namespace Gradients;

/// <summary>
/// Checks a hand-written gradient against finite differences and says which component is wrong: per component the
/// analytic and numeric values, absolute and relative error, the step, the error the finite-difference model predicts,
/// and pass/fail by a tolerance derived from that model and the floating-point type (so a correct float gradient
/// passes, unlike fixed tolerances tuned for double).
/// </summary>
/// <remarks>
/// <para>Both modes run on <see cref="FiniteDifference"/>. An entry passes when |analytic − numeric| ≤
/// safety · predicted + c·ε·|analytic| (c = <see cref="GradientCheckOptions.EvaluationError"/>, ε the machine epsilon
/// of T). The fast check's round-off assumes one evaluation of f errs by at most E = c·ε·(max|f| + Σⱼ max(|xⱼ|, 1)·|∂f/∂xⱼ|),
/// the error of a backward-stable evaluation.</para>
/// <para><b>Full check</b> (<see cref="Check{T, TFunction}(TFunction, ReadOnlySpan{T}, GradientCheckOptions?)"/>):
/// <see cref="FiniteDifference.Gradient{T, TFunction}(TFunction, ReadOnlySpan{T}, Span{T}, in FiniteDifferenceOptions{T}, Span{T}, Span{T})"/>
/// with <see cref="FiniteDifferenceScheme.Adaptive"/> (Ridders' method, Numerical Recipes §5.7): per component a
/// tableau of central differences at steps from large to small, which finds the step that suits f and estimates the
/// error of the value it returns. The predicted error is that estimate plus 2ε(|f| + Σⱼ max(|xⱼ|, 1)·|∂f/∂xⱼ|)/h, the rounding
/// common to nearby evaluations that the tableau's spread cannot show, so each component's tolerance follows its own
/// numeric error. Every entry states its <see cref="GradientCheckEntry{T}.Resolution"/>, the smallest relative error it is sure to catch;
/// the report states the largest. Typically 10–16 evaluations per component.</para>
/// <para><b>Fast check</b> (<see cref="CheckRandomDirections{T, TFunction}(TFunction, ReadOnlySpan{T}, int, int, GradientCheckOptions?)"/>):
/// k seeded random unit directions u (uniform on the sphere), each compared by the engine's two-evaluation
/// <see cref="FiniteDifference.DirectionalDerivative{T, TFunction}(TFunction, ReadOnlySpan{T}, ReadOnlySpan{T}, in FiniteDifferenceOptions{T})"/>
/// (f(x + hu) − f(x − hu))/(2h) against ∇f·u: 2k + 1 evaluations instead of the full check's 10–16 per component. A wrong component j by δ shows
/// as an error δ·uⱼ, so k directions all miss it only if every |uⱼ| is below tolerance/|δ|, which is unlikely for
/// k = 8. With no second stencil, truncation is modelled as (h²/6)·|φ'''| for φ(t) = f(x + tu), with
/// |φ'''| ≈ d·|φ''|/L + d²·|φ'|/L² + d³·max|f|/L³ (d = 4, as for a polynomial of that degree; φ'' from the same
/// values and f(x)) on the length scale L = minⱼ max(|xⱼ|, 1)/|uⱼ|: it assumes f varies on the scale of each |xⱼ|,
/// as polynomials do. For a function much sharper than that at large |x| (e.g. log-sum-exp at |x| ≫ 1) the fast
/// check can flag a correct gradient; confirm with the full check, which estimates truncation instead.</para>
/// <para>If f returns NaN or ±∞ at a stencil point, the engine's <see cref="NotFiniteNumberException"/> propagates.
/// The caller's x is never written; f must not write to its argument. The check allocates its report and
/// a few arrays of length n; it is meant for tests and debugging, not hot loops.</para>
/// </remarks>
public static partial class GradientCheck
{
    /// <summary>
    /// The fast check's truncation model treats f along a line like a polynomial of this degree on the length scale
    /// L: |φ'''| ≲ d·|φ''|/L + d²·|φ'|/L² + d³·max|f|/L³ (each derivative of a degree-d monomial costs ≤ d/L).
    /// </summary>
    private const int ModelDegree = 4;

    /// <summary>The default number of random directions of a fast check.</summary>
    public const int DefaultDirectionCount = 8;

    /// <summary>The most directions whose 2k + 1 evaluations <see cref="GradientCheckReport{T}.Evaluations"/> can count.</summary>
    private const int MaxDirectionCount = (int.MaxValue - 1) / 2;

    /// <summary>Checks a delegate gradient against central differences of <paramref name="function"/>, component by component.</summary>
    /// <typeparam name="T">The floating-point type.</typeparam>
    /// <param name="function">f.</param>
    /// <param name="gradient">The gradient to check.</param>
    /// <param name="x">The point, of length n ≥ 1, finite.</param>
    /// <param name="options">Tolerance settings; <see cref="GradientCheckOptions.Default"/> when <see langword="null"/>.</param>
    /// <returns>The report; <see cref="GradientCheckReport{T}.Worst"/> names the most suspicious component.</returns>
    /// <exception cref="ArgumentException"><paramref name="x"/> is empty or not finite, or the options are invalid.</exception>
    public static GradientCheckReport<T> Check<T>(
        Func<ReadOnlySpan<T>, T> function, GradientFunction<T> gradient, ReadOnlySpan<T> x, GradientCheckOptions? options = null)
        where T : IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(function);
        ArgumentNullException.ThrowIfNull(gradient);
        return Check<T, DelegateDifferentiableFunction<T>>(new DelegateDifferentiableFunction<T>(function, gradient), x, options);
    }

    /// <summary>Checks the analytic gradient of <paramref name="function"/> against central differences, component by component.</summary>
    /// <typeparam name="T">The floating-point type.</typeparam>
    /// <typeparam name="TFunction">The function type (a struct is inlined).</typeparam>
    /// <param name="function">f with its gradient.</param>
    /// <param name="x">The point, of length n ≥ 1, finite.</param>
    /// <param name="options">Tolerance settings; <see cref="GradientCheckOptions.Default"/> when <see langword="null"/>.</param>
    /// <returns>The report; <see cref="GradientCheckReport{T}.Worst"/> names the most suspicious component.</returns>
    /// <exception cref="ArgumentException"><paramref name="x"/> is empty or not finite, or the options are invalid.</exception>
    public static GradientCheckReport<T> Check<T, TFunction>(TFunction function, ReadOnlySpan<T> x, GradientCheckOptions? options = null)
        where T : IFloatingPointIeee754<T>
        where TFunction : IDifferentiableFunction<T>
    {
        options ??= GradientCheckOptions.Default;
        options.Validate<T>();
        ValidatePoint(x);
        if (function is null)
        {
            ThrowHelper.ThrowArgumentNull(nameof(function));
        }

        // f and its gradient see a copy of x, as the finite-difference routines give f: the caller's x is never
        // handed out, so a function that writes to its argument cannot change it.
        var n = x.Length;
        var point = x.ToArray();
        var analytic = new T[n];
        var value = function.EvaluateWithGradient(point, analytic);
        if (!T.IsFinite(value))
        {
            throw new NotFiniteNumberException(
                $"f returned {value} at the point x (length {n}); a gradient check needs a finite f(x).", double.CreateTruncating(value));
        }

        var numeric = new T[n];
        var estimates = new T[n];
        var steps = new T[n];
        var log = new EvaluationLog<T>();
        var result = FiniteDifference.Gradient<T, LoggedFunction<T, TFunction>>(
            new LoggedFunction<T, TFunction>(function, log),
            point,
            numeric,
            new FiniteDifferenceOptions<T> { Scheme = FiniteDifferenceScheme.Adaptive, FunctionValue = value },
            estimates,
            steps);

        // ε·Σⱼ max(|xⱼ|, 1)·|∂f/∂xⱼ| from the numeric gradient: a wrong analytic gradient cannot widen its own tolerance.
        var epsilon = MachineEpsilon<T>();
        var evaluationError = T.CreateTruncating(options.EvaluationError) * epsilon;
        var safety = T.CreateTruncating(options.SafetyFactor);
        var two = T.CreateTruncating(2);
        var hiddenNoise = (epsilon * T.Abs(value)) + InputSensitivity<T>(x, numeric, epsilon);
        var entries = new GradientCheckEntry<T>[n];
        for (var i = 0; i < n; i++)
        {
            // The adaptive tableau's estimate of the error of the value it returned (Ridders; the spread of its
            // extrapolations, which shows f's independent rounding, plus the round-off of values exact to ε), plus
            // the rounding the spread cannot show: f's error at nearby points is largely the same error (the terms
            // not involving xᵢ round alike), of the order of one ulp of f's largest terms, ε·(|f| + Σⱼ max(|xⱼ|, 1)·|∂f/∂xⱼ|)
            // (Higham §1.5), which moves a quotient at step h by up to 2·that/(2h)·2. The full evaluation-error
            // model, EvaluationError = 16 ulps of those terms, made the float tolerance 40× looser (resolution 7.6e-2
            // against 1.9e-3 on the test set) while this one-ulp term removes the false alarms of badly scaled
            // quadratic forms in float; EvaluationError still covers the analytic value's own rounding.
            var predicted = estimates[i] + (two * (hiddenNoise / steps[i]));
            var tolerance = (safety * predicted) + (evaluationError * T.Abs(analytic[i]));
            entries[i] = Entry(i, analytic[i], numeric[i], steps[i], predicted, tolerance);
        }

        return new GradientCheckReport<T>(GradientCheckMode.Components, entries, [], result.Evaluations + 1, seed: null);
    }

    /// <summary>
    /// Fast check of a delegate gradient along <paramref name="directionCount"/> seeded random unit directions, two
    /// evaluations of f each.
    /// </summary>
    /// <typeparam name="T">The floating-point type.</typeparam>
    /// <param name="function">f.</param>
    /// <param name="gradient">The gradient to check.</param>
    /// <param name="x">The point, of length n ≥ 1, finite.</param>
    /// <param name="directionCount">k ≥ 1, the number of random directions.</param>
    /// <param name="seed">The seed of the directions: the same seed gives the same directions and the same report.</param>
    /// <param name="options">Tolerance settings; <see cref="GradientCheckOptions.Default"/> when <see langword="null"/>.</param>
    /// <returns>The report, one entry per direction; <see cref="GradientCheckReport{T}.Directions"/> holds the directions.</returns>
    /// <exception cref="ArgumentException"><paramref name="x"/> is empty or not finite, k &lt; 1, or the options are invalid.</exception>
    public static GradientCheckReport<T> CheckRandomDirections<T>(
        Func<ReadOnlySpan<T>, T> function,
        GradientFunction<T> gradient,
        ReadOnlySpan<T> x,
        int directionCount = DefaultDirectionCount,
        int seed = 0,
        GradientCheckOptions? options = null)
        where T : IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(function);
        ArgumentNullException.ThrowIfNull(gradient);
        return CheckRandomDirections<T, DelegateDifferentiableFunction<T>>(new DelegateDifferentiableFunction<T>(function, gradient), x, directionCount, seed, options);
    }

    /// <summary>
    /// Fast check of <paramref name="function"/>'s analytic gradient along <paramref name="directionCount"/> seeded
    /// random unit directions, two evaluations of f each.
    /// </summary>
    /// <typeparam name="T">The floating-point type.</typeparam>
    /// <typeparam name="TFunction">The function type (a struct is inlined).</typeparam>
    /// <param name="function">f with its gradient.</param>
    /// <param name="x">The point, of length n ≥ 1, finite.</param>
    /// <param name="directionCount">k ≥ 1, the number of random directions.</param>
    /// <param name="seed">The seed of the directions: the same seed gives the same directions and the same report.</param>
    /// <param name="options">Tolerance settings; <see cref="GradientCheckOptions.Default"/> when <see langword="null"/>.</param>
    /// <returns>The report, one entry per direction; <see cref="GradientCheckReport{T}.Directions"/> holds the directions.</returns>
    /// <exception cref="ArgumentException"><paramref name="x"/> is empty or not finite, k &lt; 1, or the options are invalid.</exception>
    public static GradientCheckReport<T> CheckRandomDirections<T, TFunction>(
        TFunction function, ReadOnlySpan<T> x, int directionCount = DefaultDirectionCount, int seed = 0, GradientCheckOptions? options = null)
        where T : IFloatingPointIeee754<T>
        where TFunction : IDifferentiableFunction<T>
    {
        options ??= GradientCheckOptions.Default;
        options.Validate<T>();
        ValidatePoint(x);
        if (directionCount < 1)
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(directionCount), directionCount, "A fast check needs at least one direction.");
        }

        if ((long)directionCount * x.Length > Array.MaxLength)
        {
            ThrowHelper.ThrowArgumentOutOfRange(
                nameof(directionCount),
                directionCount,
                $"{directionCount} directions of length n = {x.Length} need {(long)directionCount * x.Length} elements, more than an array holds ({Array.MaxLength}).");
        }

        if (directionCount > MaxDirectionCount)
        {
            ThrowHelper.ThrowArgumentOutOfRange(
                nameof(directionCount),
                directionCount,
                $"{directionCount} directions take 2·{directionCount} + 1 = {(2L * directionCount) + 1} evaluations of f, more than GradientCheckReport.Evaluations counts ({int.MaxValue}); at most {MaxDirectionCount} directions.");
        }

        if (function is null)
        {
            ThrowHelper.ThrowArgumentNull(nameof(function));
        }

        // f and its gradient see a copy of x (see Check).
        var n = x.Length;
        var point = x.ToArray();
        x = point;
        var analytic = new T[n];
        var value = function.EvaluateWithGradient(point, analytic);
        if (!T.IsFinite(value))
        {
            throw new NotFiniteNumberException(
                $"f returned {value} at the point x (length {n}); a gradient check needs a finite f(x).", double.CreateTruncating(value));
        }
        var directions = RandomUnitDirections<T>(directionCount, n, seed);
        var epsilon = MachineEpsilon<T>();
        var two = T.CreateTruncating(2);
        var six = T.CreateTruncating(6);
        var degree = T.CreateTruncating(ModelDegree);

        // c·ε·Σⱼ max(|xⱼ|, 1)·|∂f/∂xⱼ| from the analytic gradient (no numeric one exists here). A wrong component δ widens
        // the tolerance by only c·ε·max(|xⱼ|, 1)·|δ|/h ≈ c·ε^(2/3)·|δ|, far below the δ·uⱼ it causes.
        var evaluationError = T.CreateTruncating(options.EvaluationError) * epsilon;
        var inputNoise = InputSensitivity<T>(x, analytic, evaluationError);
        var safety = T.CreateTruncating(options.SafetyFactor);
        var entries = new GradientCheckEntry<T>[directionCount];
        var log = new EvaluationLog<T>();
        var evaluations = 1;
        for (var k = 0; k < directionCount; k++)
        {
            var u = directions.AsSpan(k * n, n);
            var rate = TensorPrimitives.Dot<T>(analytic, u);

            // The engine's two-evaluation central difference (f(x + hu) − f(x − hu))/(2h); the log keeps the two values.
            log.Reset();
            var estimate = FiniteDifference.DirectionalDerivative<T, LoggedFunction<T, TFunction>>(
                new LoggedFunction<T, TFunction>(function, log), x, u, new FiniteDifferenceOptions<T> { Scheme = FiniteDifferenceScheme.Central });
            evaluations += estimate.Evaluations;
            var numeric = estimate.Value;
            var h = estimate.Step;

            // The line's length scale: moving t along u changes xⱼ by t·uⱼ, relative to its own scale max(|xⱼ|, 1),
            // so f varies on the scale L = minⱼ max(|xⱼ|, 1)/|uⱼ|.
            var scale = T.PositiveInfinity;
            for (var j = 0; j < n; j++)
            {
                if (!T.IsZero(u[j]))
                {
                    scale = T.Min(scale, T.Max(T.Abs(x[j]), T.One) / T.Abs(u[j]));
                }
            }

            // φ(t) = f(x + tu): φ'' from f(x ± hu) and f(x), and the degree-d model for φ''' (see remarks).
            // Every term divides before it multiplies, and f(x ± hu) are summed halved, so a model whose terms are
            // representable stays finite for f near the largest finite value (an infinite tolerance passes anything).
            var curvature = two * (T.Abs(log.HalfSum - value) / h / h);
            var magnitude = T.Max(T.Abs(value), log.LargestMagnitude);
            // truncation = h²/6 times the model for the third derivative, each of its terms taken times h²/6 first: the
            // bound d³|f|/L³ alone can exceed the range where its product with h²/6 (about ε^(2/3)) does not.
            var stepSquaredOverSix = h * h / six;
            var truncation = (degree * (stepSquaredOverSix * curvature / scale)) +
                             (degree * (degree * (stepSquaredOverSix * T.Abs(numeric) / scale) / scale)) +
                             (degree * (degree * (degree * (stepSquaredOverSix * magnitude / scale) / scale) / scale));
            var roundOff = ((evaluationError * magnitude) / h) + (inputNoise / h) + (epsilon * T.Abs(numeric));
            var predicted = truncation + roundOff;

            var dotNoise = T.Zero;
            for (var j = 0; j < n; j++)
            {
                dotNoise += evaluationError * T.Abs(analytic[j] * u[j]);
            }

            var tolerance = (safety * predicted) + dotNoise;
            entries[k] = Entry(k, rate, numeric, h, predicted, tolerance);
        }

        return new GradientCheckReport<T>(GradientCheckMode.RandomDirections, entries, directions, evaluations, seed);
    }

    private static T MachineEpsilon<T>()
        where T : IFloatingPointIeee754<T> => StepSize.MachineEpsilon<T>();

    /// <summary>
    /// Σⱼ max(|xⱼ|, 1)·|gⱼ|: how far f's rounding reaches through its inputs. Higham's first-order bound has |xⱼ|, the
    /// error of rounding xⱼ itself; max(|xⱼ|, 1) is the scale the library assumes f varies on (the step rule's), because
    /// a function may shift a small input by O(1) before rounding (x − max x in log-sum-exp, 1 + x): log-sum-exp in
    /// float at (−18.5, 2.3·10⁻⁶) computes log(1 + 9·10⁻⁹) = 0, so its first partial (9·10⁻⁹) is invisible to any
    /// difference, while |x₂|·|g₂| = 2.3·10⁻⁶ had claimed f exact to 3·10⁻¹³ and failed the correct gradient.
    /// </summary>
    private static T InputSensitivity<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> gradient, T relativeError)
        where T : IFloatingPointIeee754<T>
    {
        // relativeError·Σⱼ max(|xⱼ|, 1)·|gⱼ| with the small factor applied first: |gⱼ| near the largest finite value
        // times a coordinate of 2 would overflow before it, and every tolerance would be ∞.
        var sum = T.Zero;
        for (var j = 0; j < x.Length; j++)
        {
            sum += relativeError * T.Abs(gradient[j]) * T.Max(T.Abs(x[j]), T.One);
        }

        return sum;
    }

    private static GradientCheckEntry<T> Entry<T>(int index, T analytic, T numeric, T step, T predicted, T tolerance)
        where T : IFloatingPointIeee754<T>
    {
        var absolute = T.Abs(analytic - numeric);
        var larger = T.Max(T.Abs(analytic), T.Abs(numeric));
        var relative = T.IsZero(larger) ? T.Zero : absolute / larger;
        return new GradientCheckEntry<T>(index, analytic, numeric, absolute, relative, step, predicted, tolerance);
    }

    /// <summary>
    /// k unit vectors uniform on the sphere Sⁿ⁻¹: Gaussian components (Box–Muller) normalized (Muller, "A note on a
    /// method for generating points uniformly on n-dimensional spheres", CACM 2(4), 1959). A per-call seeded
    /// generator keeps the check reproducible and thread-safe.
    /// </summary>
    private static T[] RandomUnitDirections<T>(int count, int n, int seed)
        where T : IFloatingPointIeee754<T>
    {
        var random = new Random(seed);
        var directions = new T[count * n];
        var row = new double[n];
        for (var k = 0; k < count; k++)
        {
            double norm;
            do
            {
                // Box–Muller gives two independent normals per pair of uniforms: cos and sin of the same angle.
                for (var j = 0; j < n; j += 2)
                {
                    var radius = Math.Sqrt(-2.0 * Math.Log(1.0 - random.NextDouble()));
                    var (sin, cos) = Math.SinCos(2.0 * Math.PI * random.NextDouble());
                    row[j] = radius * cos;
                    if (j + 1 < n)
                    {
                        row[j + 1] = radius * sin;
                    }
                }

                norm = 0;
                foreach (var value in row)
                {
                    norm += value * value;
                }

                norm = Math.Sqrt(norm);
            }
            while (norm == 0);

            for (var j = 0; j < n; j++)
            {
                directions[(k * n) + j] = T.CreateTruncating(row[j] / norm);
            }
        }

        return directions;
    }

    private static void ValidatePoint<T>(ReadOnlySpan<T> x)
        where T : IFloatingPointIeee754<T>
    {
        ThrowHelper.ThrowIfEmpty(x.Length, nameof(x));
        for (var i = 0; i < x.Length; i++)
        {
            if (!T.IsFinite(x[i]))
            {
                ThrowHelper.ThrowArgument($"'x' (length {x.Length}) has a non-finite element x[{i}] = {x[i]}; a gradient check needs a finite point.", nameof(x));
            }
        }
    }
}
