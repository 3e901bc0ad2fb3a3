using System.Buffers;
using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Gradients;

/// <summary>
/// The mean squared error of a linear model and its gradient, in one fused pass over the features:
/// for features X (N×D, row-major), targets y (N) and weights w (D),
/// loss = (1/N)·Σᵢ rᵢ² and gradient = (2/N)·Xᵀr, where r = Xw + b − y
/// (the least-squares objective; e.g. Goodfellow, Bengio and Courville, <i>Deep Learning</i>, §5.1.4).
/// </summary>
/// <remarks>
/// <para>
/// The shape is implied by the spans: N = <c>targets.Length</c>, D = <c>weights.Length</c>, and
/// <c>features.Length</c> must be N·D. Each row is read once: its residual r = x·w + b − y is formed and
/// immediately accumulated into Σr² and Σ r·x, with no N-sized temporary (NumPy's <c>X @ w - y</c> followed by
/// <c>X.T @ r</c> reads X twice and allocates r).
/// </para>
/// <para>
/// Numerics: every element type is accumulated in double, in fixed row chunks whose sums are added in order;
/// float inputs therefore do not lose accuracy as N grows. Results are bit-identical for any
/// <see cref="MeanSquaredErrorOptions.MaxDegreeOfParallelism"/>. A NaN anywhere in the data (or an infinity
/// that meets a zero or an opposite infinity) makes the loss and the affected gradient entries NaN; no exception is thrown.
/// </para>
/// <para>Thread-safe: no shared state; inputs are never written. No allocation once warm, single- or multi-threaded.</para>
/// </remarks>
public static partial class MeanSquaredError
{
    /// <summary>The loss (1/N)·‖Xw − y‖².</summary>
    /// <typeparam name="T">The element type; float and double have vectorized kernels, others a scalar one.</typeparam>
    /// <param name="features">X, N rows of D features, row-major (length N·D).</param>
    /// <param name="targets">y, length N ≥ 1.</param>
    /// <param name="weights">w, length D ≥ 1.</param>
    /// <returns>The mean squared residual; NaN if the data hold a NaN.</returns>
    /// <exception cref="ArgumentException">N or D is zero, or <paramref name="features"/> is not N·D long.</exception>
    public static T Loss<T>(ReadOnlySpan<T> features, ReadOnlySpan<T> targets, ReadOnlySpan<T> weights)
        where T : IFloatingPointIeee754<T> =>
        Loss(features, targets, weights, default(MeanSquaredErrorOptions));

    /// <summary>The loss (1/N)·‖Xw − y‖² + λ‖w‖², with the given options.</summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="features">X, N rows of D features, row-major (length N·D).</param>
    /// <param name="targets">y, length N ≥ 1.</param>
    /// <param name="weights">w, length D ≥ 1.</param>
    /// <param name="options">Ridge penalty and threading.</param>
    /// <returns>The loss; NaN if the data hold a NaN.</returns>
    /// <exception cref="ArgumentException">N or D is zero, or <paramref name="features"/> is not N·D long.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public static T Loss<T>(ReadOnlySpan<T> features, ReadOnlySpan<T> targets, ReadOnlySpan<T> weights, MeanSquaredErrorOptions options)
        where T : IFloatingPointIeee754<T>
    {
        ValidateShape(features, targets, weights);
        options.Validate(nameof(options));
        return Evaluate(features, targets, weights, T.Zero, [], out _, [], options);
    }

    /// <summary>The gradient (2/N)·Xᵀ(Xw − y) of <see cref="Loss{T}(ReadOnlySpan{T}, ReadOnlySpan{T}, ReadOnlySpan{T})"/> with respect to w.</summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="features">X, N rows of D features, row-major (length N·D).</param>
    /// <param name="targets">y, length N ≥ 1.</param>
    /// <param name="weights">w, length D ≥ 1.</param>
    /// <param name="gradient">Receives the D partial derivatives; must not overlap an input.</param>
    /// <exception cref="ArgumentException">A length does not match N and D, N or D is zero, or <paramref name="gradient"/> overlaps an input.</exception>
    public static void Gradient<T>(ReadOnlySpan<T> features, ReadOnlySpan<T> targets, ReadOnlySpan<T> weights, Span<T> gradient)
        where T : IFloatingPointIeee754<T> =>
        LossAndGradient(features, targets, weights, gradient, default(MeanSquaredErrorOptions));

    /// <summary>The gradient (2/N)·Xᵀ(Xw − y) + 2λw, with the given options.</summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="features">X, N rows of D features, row-major (length N·D).</param>
    /// <param name="targets">y, length N ≥ 1.</param>
    /// <param name="weights">w, length D ≥ 1.</param>
    /// <param name="gradient">Receives the D partial derivatives; must not overlap an input.</param>
    /// <param name="options">Ridge penalty and threading.</param>
    /// <exception cref="ArgumentException">A length does not match N and D, N or D is zero, or <paramref name="gradient"/> overlaps an input.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public static void Gradient<T>(ReadOnlySpan<T> features, ReadOnlySpan<T> targets, ReadOnlySpan<T> weights, Span<T> gradient, MeanSquaredErrorOptions options)
        where T : IFloatingPointIeee754<T> =>
        LossAndGradient(features, targets, weights, gradient, options);

    /// <summary>The loss and its gradient with respect to w, in one pass over X.</summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="features">X, N rows of D features, row-major (length N·D).</param>
    /// <param name="targets">y, length N ≥ 1.</param>
    /// <param name="weights">w, length D ≥ 1.</param>
    /// <param name="gradient">Receives (2/N)·Xᵀ(Xw − y), length D; must not overlap an input.</param>
    /// <returns>The loss (1/N)·‖Xw − y‖²; NaN if the data hold a NaN.</returns>
    /// <exception cref="ArgumentException">A length does not match N and D, N or D is zero, or <paramref name="gradient"/> overlaps an input.</exception>
    public static T LossAndGradient<T>(ReadOnlySpan<T> features, ReadOnlySpan<T> targets, ReadOnlySpan<T> weights, Span<T> gradient)
        where T : IFloatingPointIeee754<T> =>
        LossAndGradient(features, targets, weights, gradient, default(MeanSquaredErrorOptions));

    /// <summary>The loss (1/N)·‖Xw − y‖² + λ‖w‖² and its gradient, in one pass over X, with the given options.</summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="features">X, N rows of D features, row-major (length N·D).</param>
    /// <param name="targets">y, length N ≥ 1.</param>
    /// <param name="weights">w, length D ≥ 1.</param>
    /// <param name="gradient">Receives (2/N)·Xᵀ(Xw − y) + 2λw, length D; must not overlap an input.</param>
    /// <param name="options">Ridge penalty and threading.</param>
    /// <returns>The loss; NaN if the data hold a NaN.</returns>
    /// <exception cref="ArgumentException">A length does not match N and D, N or D is zero, or <paramref name="gradient"/> overlaps an input.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public static T LossAndGradient<T>(ReadOnlySpan<T> features, ReadOnlySpan<T> targets, ReadOnlySpan<T> weights, Span<T> gradient, MeanSquaredErrorOptions options)
        where T : IFloatingPointIeee754<T>
    {
        ValidateShape(features, targets, weights);
        ValidateGradient(features, targets, weights, gradient);
        options.Validate(nameof(options));
        return Evaluate(features, targets, weights, T.Zero, gradient, out _, [], options);
    }

    /// <summary>
    /// The loss of the affine model Xw + b, its gradients with respect to w and b, and optionally the residuals,
    /// in one pass over X.
    /// </summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="features">X, N rows of D features, row-major (length N·D).</param>
    /// <param name="targets">y, length N ≥ 1.</param>
    /// <param name="weights">w, length D ≥ 1.</param>
    /// <param name="intercept">The intercept (bias) b.</param>
    /// <param name="gradient">Receives (2/N)·Xᵀr + 2λw, length D; must not overlap an input.</param>
    /// <param name="interceptGradient">Receives (2/N)·Σr, the derivative with respect to b (not penalized).</param>
    /// <param name="residuals">Empty (the default: not wanted), or length N: receives r = Xw + b − y; must not overlap an input or <paramref name="gradient"/>.</param>
    /// <param name="options">Ridge penalty and threading; the default is no penalty, one thread.</param>
    /// <returns>The loss (1/N)·‖r‖² + λ‖w‖²; NaN if the data hold a NaN.</returns>
    /// <exception cref="ArgumentException">A length does not match N and D, N or D is zero, or an output overlaps an input.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public static T LossAndGradient<T>(
        ReadOnlySpan<T> features, ReadOnlySpan<T> targets, ReadOnlySpan<T> weights, T intercept,
        Span<T> gradient, out T interceptGradient, Span<T> residuals = default, MeanSquaredErrorOptions options = default)
        where T : IFloatingPointIeee754<T>
    {
        ValidateShape(features, targets, weights);
        ValidateGradient(features, targets, weights, gradient);
        if (!residuals.IsEmpty)
        {
            ThrowHelper.ThrowIfLengthMismatch(residuals.Length, targets.Length, nameof(residuals), "targets.Length (N)");
            ThrowHelper.ThrowIfOverlapping(features, residuals, nameof(features), nameof(residuals));
            ThrowHelper.ThrowIfOverlapping(targets, residuals, nameof(targets), nameof(residuals));
            ThrowHelper.ThrowIfOverlapping(weights, residuals, nameof(weights), nameof(residuals));
            ThrowHelper.ThrowIfOverlapping<T>(gradient, residuals, nameof(gradient), nameof(residuals));
        }

        options.Validate(nameof(options));
        return Evaluate(features, targets, weights, intercept, gradient, out interceptGradient, residuals, options);
    }

    private static void ValidateShape<T>(ReadOnlySpan<T> features, ReadOnlySpan<T> targets, ReadOnlySpan<T> weights)
    {
        ThrowHelper.ThrowIfEmpty(targets.Length, nameof(targets));
        ThrowHelper.ThrowIfEmpty(weights.Length, nameof(weights));
        ThrowHelper.ThrowIfNotMatrix(features.Length, targets.Length, weights.Length, nameof(features), "targets.Length (N)", "weights.Length (D)");
    }

    private static void ValidateGradient<T>(ReadOnlySpan<T> features, ReadOnlySpan<T> targets, ReadOnlySpan<T> weights, Span<T> gradient)
    {
        ThrowHelper.ThrowIfLengthMismatch(gradient.Length, weights.Length, nameof(gradient), "weights.Length (D)");
        ThrowHelper.ThrowIfOverlapping(features, gradient, nameof(features), nameof(gradient));
        ThrowHelper.ThrowIfOverlapping(targets, gradient, nameof(targets), nameof(gradient));
        ThrowHelper.ThrowIfOverlapping(weights, gradient, nameof(weights), nameof(gradient));
    }

    /// <summary>Routes float and double to their kernels (the type tests are JIT-time constants) and other types to the scalar one.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static T Evaluate<T>(
        ReadOnlySpan<T> features, ReadOnlySpan<T> targets, ReadOnlySpan<T> weights, T intercept,
        Span<T> gradient, out T interceptGradient, Span<T> residuals, MeanSquaredErrorOptions options)
        where T : IFloatingPointIeee754<T>
    {
        var bias = double.CreateTruncating(intercept);
        double loss, biasGradient;
        if (typeof(T) == typeof(double))
        {
            loss = Evaluate<double, DoubleElements>(
                FusedPass.Reinterpret<T, double>(features), FusedPass.Reinterpret<T, double>(targets), FusedPass.Reinterpret<T, double>(weights), bias,
                FusedPass.Reinterpret<T, double>(gradient), out biasGradient, FusedPass.Reinterpret<T, double>(residuals), options);
        }
        else if (typeof(T) == typeof(float))
        {
            loss = options.FloatArithmetic == FloatArithmetic.Fast
                ? Evaluate<float, FastSingleElements>(
                    FusedPass.Reinterpret<T, float>(features), FusedPass.Reinterpret<T, float>(targets), FusedPass.Reinterpret<T, float>(weights), bias,
                    FusedPass.Reinterpret<T, float>(gradient), out biasGradient, FusedPass.Reinterpret<T, float>(residuals), options)
                : Evaluate<float, SingleElements>(
                    FusedPass.Reinterpret<T, float>(features), FusedPass.Reinterpret<T, float>(targets), FusedPass.Reinterpret<T, float>(weights), bias,
                    FusedPass.Reinterpret<T, float>(gradient), out biasGradient, FusedPass.Reinterpret<T, float>(residuals), options);
        }
        else
        {
            loss = Evaluate<T, GenericElements<T>>(features, targets, weights, bias, gradient, out biasGradient, residuals, options);
        }

        interceptGradient = T.CreateTruncating(biasGradient);
        return T.CreateTruncating(loss);
    }

    /// <summary>
    /// double gradients are summed in place; other types (and loss-only calls) need double sums beside them,
    /// whose buffer is set up out of line so the in-place path has no stack probe or cookie.
    /// </summary>
    /// <remarks>
    /// This router and the pass below are inlined by attribute, not left to Dynamic PGO: without it
    /// (<c>DOTNET_TieredPGO=0</c>, code that never reaches tier 1) each was a call of its own.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double Evaluate<T, TLanes>(
        ReadOnlySpan<T> features, ReadOnlySpan<T> targets, ReadOnlySpan<T> weights, double bias,
        Span<T> gradient, out double interceptGradient, Span<T> residuals, MeanSquaredErrorOptions options)
        where TLanes : struct, IDoubleLanes<T> =>
        typeof(T) == typeof(double) && !gradient.IsEmpty
            ? Evaluate<T, TLanes>(features, targets, weights, bias, gradient, out interceptGradient, residuals, options, FusedPass.Reinterpret<T, double>(gradient), inPlace: true)
            : typeof(T) == typeof(float) && weights.Length <= FusedPass.SmallDimensionLimit
                ? EvaluateWithSmallBuffer<T, TLanes>(features, targets, weights, bias, gradient, out interceptGradient, residuals, options)
                : EvaluateWithBuffer<T, TLanes>(features, targets, weights, bias, gradient, out interceptGradient, residuals, options);

    /// <summary>
    /// float with D ≤ 16 (the calls on small data, where fixed costs count): the double sums in a buffer of constant
    /// size, which needs no stack probe or size test.
    /// </summary>
    [SkipLocalsInit]
    private static double EvaluateWithSmallBuffer<T, TLanes>(
        ReadOnlySpan<T> features, ReadOnlySpan<T> targets, ReadOnlySpan<T> weights, double bias,
        Span<T> gradient, out double interceptGradient, Span<T> residuals, MeanSquaredErrorOptions options)
        where TLanes : struct, IDoubleLanes<T>
    {
        Span<double> sums = stackalloc double[FusedPass.SmallDimensionLimit];
        return Evaluate<T, TLanes>(features, targets, weights, bias, gradient, out interceptGradient, residuals, options, sums[..weights.Length], inPlace: false);
    }

    [SkipLocalsInit]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static double EvaluateWithBuffer<T, TLanes>(
        ReadOnlySpan<T> features, ReadOnlySpan<T> targets, ReadOnlySpan<T> weights, double bias,
        Span<T> gradient, out double interceptGradient, Span<T> residuals, MeanSquaredErrorOptions options)
        where TLanes : struct, IDoubleLanes<T>
    {
        var dimension = weights.Length;
        ThrowIfSumsExceedAnArray(dimension);
        double[]? rented = null;
        var sums = dimension <= 256
            ? CacheLineAlignment.Aligned(stackalloc double[dimension + CacheLineAlignment.SlackDoubles], dimension)
            : (rented = ArrayPool<double>.Shared.Rent(dimension)).AsSpan(0, dimension);
        var loss = Evaluate<T, TLanes>(features, targets, weights, bias, gradient, out interceptGradient, residuals, options, sums, inPlace: false);
        if (rented is not null)
        {
            ScratchBuffer.ReturnCleared(rented, dimension);
        }

        return loss;
    }

    /// <summary>
    /// D double sums live in one array: a D beyond <see cref="Array.MaxLength"/> (possible only for a span over
    /// native memory) is an argument error naming <c>weights</c>, not an OutOfMemoryException from the pool.
    /// </summary>
    internal static void ThrowIfSumsExceedAnArray(int dimension)
    {
        if (dimension > Array.MaxLength)
        {
            ThrowHelper.ThrowArgument(
                $"'weights' has length D = {dimension}: the pass needs D double sums in one array, more than the largest array holds (Array.MaxLength = {Array.MaxLength}).",
                "weights");
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double Evaluate<T, TLanes>(
        ReadOnlySpan<T> features, ReadOnlySpan<T> targets, ReadOnlySpan<T> weights, double bias,
        Span<T> gradient, out double interceptGradient, Span<T> residuals, MeanSquaredErrorOptions options,
        Span<double> sums, bool inPlace)
        where TLanes : struct, IDoubleLanes<T>
    {
        var dimension = weights.Length;
        var rows = targets.Length;
        var total = FusedPass.Run<T, TLanes>(features, targets, weights, bias, sums, residuals, options.Threads);

        // Dividing by N/2 (exact for N < 2⁵³) rounds once, where multiplying by 2/N would round twice. float results
        // multiply by the reciprocals (FloatResults), which are computed while the pass runs.
        var half = rows / 2.0;
        var inverseHalf = FloatResults.Reciprocal<T>(half);
        var loss = FloatResults.Divide<T>(total.SumOfSquares, rows, FloatResults.Reciprocal<T>(rows));
        interceptGradient = FloatResults.Divide<T>(total.SumOfResiduals, half, inverseHalf);
        var lambda = options.L2Penalty;
        if (lambda != 0.0)
        {
            var norm = 0.0;
            for (var j = 0; j < dimension; j++)
            {
                var w = TLanes.Load(ref MemoryMarshal.GetReference(weights), (nuint)j);
                norm += w * w;
            }

            loss += lambda * norm;
        }

        if (!gradient.IsEmpty)
        {
            if (inPlace)
            {
                if (dimension <= FusedPass.SmallDimensionLimit)
                {
                    // A call into TensorPrimitives costs about as much as the whole (50 × 4) pass's tail; and
                    // four divisions in one vector instruction cost what one scalar division does.
                    ref var s = ref MemoryMarshal.GetReference(sums);
                    var j = 0;
                    if (Vector256.IsHardwareAccelerated)
                    {
                        var halves = Vector256.Create(half);
                        for (; j + 4 <= dimension; j += 4)
                        {
                            (Vector256.LoadUnsafe(ref s, (nuint)j) / halves).StoreUnsafe(ref s, (nuint)j);
                        }
                    }

                    for (; j < dimension; j++)
                    {
                        Unsafe.Add(ref s, j) /= half;
                    }
                }
                else
                {
                    TensorPrimitives.Divide(sums, half, sums);
                }
                if (lambda != 0.0)
                {
                    TensorPrimitives.MultiplyAdd(FusedPass.Reinterpret<T, double>(weights), 2.0 * lambda, sums, sums);
                }
            }
            else
            {
                ref var g = ref MemoryMarshal.GetReference(gradient);
                ref var w = ref MemoryMarshal.GetReference(weights);
                var j = 0;
                if (typeof(T) == typeof(float) && Vector256.IsHardwareAccelerated)
                {
                    // Four at a time, the same operations as the scalar loop, so the same values.
                    ref var s = ref MemoryMarshal.GetReference(sums);
                    var penalty = Vector256.Create(2.0 * lambda);
                    var inverseHalves = Vector256.Create(inverseHalf);
                    for (; j + 4 <= dimension; j += 4)
                    {
                        var value = Vector256.LoadUnsafe(ref s, (nuint)j) * inverseHalves;
                        if (lambda != 0.0)
                        {
                            value += penalty * TLanes.Load256(ref w, (nuint)j);
                        }

                        TLanes.Store256(value, ref g, (nuint)j);
                    }
                }

                for (; j < dimension; j++)
                {
                    var value = FloatResults.Divide<T>(sums[j], half, inverseHalf);
                    if (lambda != 0.0)
                    {
                        value += 2.0 * lambda * TLanes.Load(ref w, (nuint)j);
                    }

                    TLanes.Store(value, ref g, (nuint)j);
                }
            }
        }

        return loss;
    }
}
