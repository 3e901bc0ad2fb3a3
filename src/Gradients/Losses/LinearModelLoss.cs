using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Gradients;

/// <summary>
/// The driver every single-output linear-model loss shares (the split of scikit-learn's
/// <c>LinearModelLoss</c>, which owns X, the intercept, the sample weights and the penalty, from the pointwise
/// losses): validates, runs the fused pass with the loss as a struct type parameter, reports invalid labels,
/// and scales the sums: loss = Σ sᵢℓᵢ / S + λ‖w‖², gradient = Σ sᵢdᵢxᵢ / S + 2λw, S = N or Σ sᵢ.
/// </summary>
internal static partial class LinearModelLoss
{
    /// <summary>
    /// Checks the shapes and sample weights, and the gradient (when not empty) against every input; the messages
    /// call the output <paramref name="gradientName"/> (<c>product</c> for a Hessian-vector product).
    /// </summary>
    /// <remarks>
    /// Inlined by attribute (the throws stay out of line), like the routers below: without Dynamic PGO
    /// (<c>DOTNET_TieredPGO=0</c>, code that never reaches tier 1) each was a call of its own (docs/benchmarks.md, Zen 4
    /// item 23).
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void Validate<T>(
        ReadOnlySpan<T> features, ReadOnlySpan<T> targets, ReadOnlySpan<T> weights, Span<T> gradient, bool hasGradient,
        ReadOnlySpan<T> sampleWeights, string gradientName = "gradient")
        where T : IFloatingPointIeee754<T>
    {
        ThrowHelper.ThrowIfEmpty(targets.Length, nameof(targets));
        ThrowHelper.ThrowIfEmpty(weights.Length, nameof(weights));
        ThrowHelper.ThrowIfNotMatrix(features.Length, targets.Length, weights.Length, nameof(features), "targets.Length (N)", "weights.Length (D)");
        if (!sampleWeights.IsEmpty)
        {
            ThrowHelper.ThrowIfLengthMismatch(sampleWeights.Length, targets.Length, nameof(sampleWeights), "targets.Length (N)");
        }

        if (hasGradient)
        {
            ThrowHelper.ThrowIfLengthMismatch(gradient.Length, weights.Length, gradientName, "weights.Length (D)");
            ThrowHelper.ThrowIfOverlapping(features, gradient, nameof(features), gradientName);
            ThrowHelper.ThrowIfOverlapping(targets, gradient, nameof(targets), gradientName);
            ThrowHelper.ThrowIfOverlapping(weights, gradient, nameof(weights), gradientName);
            ThrowHelper.ThrowIfOverlapping(sampleWeights, gradient, nameof(sampleWeights), gradientName);
        }
    }

    /// <summary>The smallest positive normal double, 2⁻¹⁰²², the least positive sample weight accepted.</summary>
    internal const double SmallestSampleWeight = 2.2250738585072014E-308;

    /// <summary>
    /// Whether a sample weight (as a double) is 0 or a finite positive normal number. A subnormal weight (10⁻³²⁰) is
    /// not: its products sᵢℓᵢ and sᵢdᵢxᵢ keep a few bits or none, so the weighted mean was silently wrong (0.25 for
    /// 0.393 with every weight 5·10⁻³²⁴); scaling every weight by one factor leaves the loss unchanged.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static bool IsValidSampleWeight(double s) => s == 0.0 || (s >= SmallestSampleWeight && s <= double.MaxValue);

    /// <summary>Throws for the invalid sample weight <paramref name="s"/> at <paramref name="index"/>, naming why.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    internal static void ThrowInvalidSampleWeight(int index, double s) =>
        ThrowHelper.ThrowArgument(
            s > 0.0 && s < SmallestSampleWeight
                ? $"'sampleWeights[{index}]' is {s}, a subnormal number (below 2⁻¹⁰²² = {SmallestSampleWeight}): its products with the rows' losses and features lose their digits. Multiply every sample weight by one common factor; the loss and gradient do not change."
                : $"'sampleWeights[{index}]' is {s}; sample weights must be finite and zero or positive.",
            "sampleWeights");

    /// <summary>
    /// Σ sᵢ in double, in row order, after checking each weight is finite and zero or positive (and not subnormal:
    /// <see cref="IsValidSampleWeight"/>) and that the sum is positive (the normaliser of a weighted mean;
    /// scikit-learn divides by the same sum).
    /// </summary>
    internal static double SumOfSampleWeights<T>(ReadOnlySpan<T> sampleWeights)
        where T : IFloatingPointIeee754<T> => SumOfSampleWeights(sampleWeights, out _);

    /// <inheritdoc cref="SumOfSampleWeights{T}(ReadOnlySpan{T})"/>
    /// <param name="sampleWeights">The weights.</param>
    /// <param name="largest">The largest weight, as a double.</param>
    internal static double SumOfSampleWeights<T>(ReadOnlySpan<T> sampleWeights, out double largest)
        where T : IFloatingPointIeee754<T>
    {
        var sum = 0.0;
        largest = 0.0;
        for (var i = 0; i < sampleWeights.Length; i++)
        {
            var s = double.CreateTruncating(sampleWeights[i]);
            if (!IsValidSampleWeight(s))
            {
                ThrowInvalidSampleWeight(i, s);
            }

            largest = Math.Max(largest, s);

            sum += s;
        }

        if (!(sum > 0.0 && double.IsFinite(sum)))
        {
            ThrowHelper.ThrowArgument($"The sample weights sum to {sum} over {sampleWeights.Length} rows; the sum must be positive and finite.", nameof(sampleWeights));
        }

        return sum;
    }

    /// <summary>The window of the largest sample weight inside which the weights are used as given: [2⁻¹²⁸, 2¹²⁸].</summary>
    private const double SampleWeightWindow = 3.402823669209385E+38;

    /// <summary>
    /// The sample weights the pass uses, and their sum <paramref name="normaliser"/> (<paramref name="sum"/> for the weights as given): as given while the largest lies in
    /// [2⁻¹²⁸, 2¹²⁸]; beyond, a copy scaled by the power of two 2⁻ᵉ that brings the largest into [1, 2) (in a pooled
    /// array, <paramref name="rented"/>, returned cleared by <see cref="ReturnScaledSampleWeights{T}"/>). A weighted mean
    /// does not depend on a common factor, and a power of two scales each weight exactly, so the loss and gradient are
    /// the unscaled ones wherever their products sᵢℓᵢ, sᵢdᵢxᵢ neither overflowed nor lost digits: weights of 10³⁰⁶ with
    /// losses of 200 gave ∞ for a loss of 202.
    /// </summary>
    /// <remarks>The test inlines (every unweighted call passes through it); the copy is made out of line.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static ReadOnlySpan<T> ScaledSampleWeights<T>(ReadOnlySpan<T> sampleWeights, double largest, double sum, out double normaliser, out T[]? rented)
        where T : IFloatingPointIeee754<T>
    {
        rented = null;
        normaliser = sum;
        return sampleWeights.IsEmpty || (largest <= SampleWeightWindow && largest >= 1.0 / SampleWeightWindow)
            ? sampleWeights
            : ScaleSampleWeights(sampleWeights, largest, out normaliser, out rented);
    }

    /// <summary>The copy of <see cref="ScaledSampleWeights{T}"/> for weights outside the window.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static ReadOnlySpan<T> ScaleSampleWeights<T>(ReadOnlySpan<T> sampleWeights, double largest, out double normaliser, out T[]? rented)
        where T : IFloatingPointIeee754<T>
    {
        var exponent = Math.ILogB(largest);
        rented = System.Buffers.ArrayPool<T>.Shared.Rent(sampleWeights.Length);
        var scaled = rented.AsSpan(0, sampleWeights.Length);
        for (var i = 0; i < scaled.Length; i++)
        {
            scaled[i] = T.ScaleB(sampleWeights[i], -exponent);
        }

        // Summed again in row order over the scaled weights: the normaliser of exactly the weights the pass reads.
        normaliser = 0.0;
        foreach (var s in scaled)
        {
            normaliser += double.CreateTruncating(s);
        }

        return scaled;
    }

    /// <summary>Returns the copy of <see cref="ScaledSampleWeights{T}"/> (if any) to the pool, cleared.</summary>
    internal static void ReturnScaledSampleWeights<T>(T[]? rented, int length)
    {
        if (rented is not null)
        {
            Array.Clear(rented, 0, length);
            System.Buffers.ArrayPool<T>.Shared.Return(rented);
        }
    }

    /// <summary>
    /// The loss, and when <paramref name="hasGradient"/> the gradient and intercept gradient, of the linear model
    /// under <typeparamref name="TLoss"/>. Arguments are already validated.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static T Evaluate<T, TLoss>(
        ReadOnlySpan<T> features, ReadOnlySpan<T> targets, ReadOnlySpan<T> weights, T intercept,
        Span<T> gradient, bool hasGradient, out T interceptGradient, ReadOnlySpan<T> sampleWeights,
        LinearModelLossOptions options, TLoss loss, Span<T> residuals = default, double derivativeScale = 1.0)
        where T : IFloatingPointIeee754<T>
        where TLoss : struct, IPointwiseLoss
    {
        var largest = 0.0;
        var sum = sampleWeights.IsEmpty ? targets.Length : SumOfSampleWeights(sampleWeights, out largest);
        sampleWeights = ScaledSampleWeights(sampleWeights, largest, sum, out var normaliser, out var rented);
        if (rented is null)
        {
            return Evaluate(features, targets, weights, intercept, gradient, hasGradient, out interceptGradient, sampleWeights, normaliser, options, loss, residuals, derivativeScale);
        }

        try
        {
            return Evaluate(features, targets, weights, intercept, gradient, hasGradient, out interceptGradient, sampleWeights, normaliser, options, loss, residuals, derivativeScale);
        }
        finally
        {
            ReturnScaledSampleWeights(rented, sampleWeights.Length);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static T Evaluate<T, TLoss>(
        ReadOnlySpan<T> features, ReadOnlySpan<T> targets, ReadOnlySpan<T> weights, T intercept,
        Span<T> gradient, bool hasGradient, out T interceptGradient, ReadOnlySpan<T> sampleWeights, double normaliser,
        LinearModelLossOptions options, TLoss loss, Span<T> residuals, double derivativeScale)
        where T : IFloatingPointIeee754<T>
        where TLoss : struct, IPointwiseLoss
    {
        var bias = double.CreateTruncating(intercept);
        double value, biasGradient;
        if (typeof(T) == typeof(double))
        {
            value = Evaluate<double, DoubleElements, TLoss>(
                FusedPass.Reinterpret<T, double>(features), FusedPass.Reinterpret<T, double>(targets), FusedPass.Reinterpret<T, double>(weights), bias,
                FusedPass.Reinterpret<T, double>(gradient), hasGradient, out biasGradient, FusedPass.Reinterpret<T, double>(sampleWeights), normaliser / derivativeScale, derivativeScale, options, loss, FusedPass.Reinterpret<T, double>(residuals));
        }
        else if (typeof(T) == typeof(float))
        {
            value = options.FloatArithmetic == FloatArithmetic.Fast
                ? Evaluate<float, FastSingleElements, TLoss>(
                    FusedPass.Reinterpret<T, float>(features), FusedPass.Reinterpret<T, float>(targets), FusedPass.Reinterpret<T, float>(weights), bias,
                    FusedPass.Reinterpret<T, float>(gradient), hasGradient, out biasGradient, FusedPass.Reinterpret<T, float>(sampleWeights), normaliser / derivativeScale, derivativeScale, options, loss, FusedPass.Reinterpret<T, float>(residuals))
                : Evaluate<float, SingleElements, TLoss>(
                    FusedPass.Reinterpret<T, float>(features), FusedPass.Reinterpret<T, float>(targets), FusedPass.Reinterpret<T, float>(weights), bias,
                    FusedPass.Reinterpret<T, float>(gradient), hasGradient, out biasGradient, FusedPass.Reinterpret<T, float>(sampleWeights), normaliser / derivativeScale, derivativeScale, options, loss, FusedPass.Reinterpret<T, float>(residuals));
        }
        else
        {
            value = Evaluate<T, GenericElements<T>, TLoss>(features, targets, weights, bias, gradient, hasGradient, out biasGradient, sampleWeights, normaliser / derivativeScale, derivativeScale, options, loss, residuals);
        }

        interceptGradient = T.CreateTruncating(biasGradient);
        return T.CreateTruncating(value);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double Evaluate<T, TLanes, TLoss>(
        ReadOnlySpan<T> features, ReadOnlySpan<T> targets, ReadOnlySpan<T> weights, double bias,
        Span<T> gradient, bool hasGradient, out double interceptGradient, ReadOnlySpan<T> sampleWeights, double normaliser, double derivativeScale,
        LinearModelLossOptions options, TLoss loss, Span<T> residuals)
        where TLanes : struct, IDoubleLanes<T>
        where TLoss : struct, IPointwiseLoss =>
        typeof(T) == typeof(double) && hasGradient
            ? Evaluate<T, TLanes, TLoss>(features, targets, weights, bias, gradient, hasGradient, out interceptGradient, sampleWeights, normaliser, derivativeScale, options, loss, residuals, FusedPass.Reinterpret<T, double>(gradient))
            : EvaluateWithBuffer<T, TLanes, TLoss>(features, targets, weights, bias, gradient, hasGradient, out interceptGradient, sampleWeights, normaliser, derivativeScale, options, loss, residuals);

    [SkipLocalsInit]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static double EvaluateWithBuffer<T, TLanes, TLoss>(
        ReadOnlySpan<T> features, ReadOnlySpan<T> targets, ReadOnlySpan<T> weights, double bias,
        Span<T> gradient, bool hasGradient, out double interceptGradient, ReadOnlySpan<T> sampleWeights, double normaliser, double derivativeScale,
        LinearModelLossOptions options, TLoss loss, Span<T> residuals)
        where TLanes : struct, IDoubleLanes<T>
        where TLoss : struct, IPointwiseLoss
    {
        var stack = default(ScratchBuffer<double>);
        // On whole cache lines when on the stack (see CacheLineAlignment); the slack is asked for only then, so a D near
        // int.MaxValue (a span over native memory) does not overflow.
        var dimension = weights.Length;
        var onStack = dimension <= ScratchBuffer.Length - CacheLineAlignment.SlackDoubles;
        var sums = ScratchBuffer.Take(ref stack, onStack ? dimension + CacheLineAlignment.SlackDoubles : dimension, out var rented);
        if (onStack)
        {
            sums = CacheLineAlignment.Aligned(sums, dimension);
        }
        var value = Evaluate<T, TLanes, TLoss>(features, targets, weights, bias, gradient, hasGradient, out interceptGradient, sampleWeights, normaliser, derivativeScale, options, loss, residuals, sums);
        ScratchBuffer.Return(rented);
        return value;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double Evaluate<T, TLanes, TLoss>(
        ReadOnlySpan<T> features, ReadOnlySpan<T> targets, ReadOnlySpan<T> weights, double bias,
        Span<T> gradient, bool hasGradient, out double interceptGradient, ReadOnlySpan<T> sampleWeights, double normaliser, double derivativeScale,
        LinearModelLossOptions options, TLoss loss, Span<T> residuals, Span<double> sums)
        where TLanes : struct, IDoubleLanes<T>
        where TLoss : struct, IPointwiseLoss
    {
        var total = sampleWeights.IsEmpty
            ? FusedPass.Run<T, TLanes, TLoss, Unweighted>(features, targets, weights, bias, sums, residuals, options.Threads, loss, [])
            : FusedPass.Run<T, TLanes, TLoss, Weighted>(features, targets, weights, bias, sums, residuals, options.Threads, loss, sampleWeights);
        if (TLoss.ChecksLabels && total.HasInvalidLabel)
        {
            ThrowInvalidLabel<T, TLanes, TLoss>(targets, loss);
        }

        // normaliser is S / c for a derivative scale c (2 for the mean squared error, whose d is r): dividing by it
        // rounds once. The loss takes S itself. float results multiply by the reciprocals (FloatResults).
        var inverse = FloatResults.Reciprocal<T>(normaliser);
        interceptGradient = FloatResults.Divide<T>(total.DerivativeSum, normaliser, inverse);
        var lossDivisor = normaliser * derivativeScale;
        var value = FloatResults.Divide<T>(total.LossSum, lossDivisor, FloatResults.Reciprocal<T>(lossDivisor));
        var lambda = options.L2Penalty;
        ref var w = ref MemoryMarshal.GetReference(weights);
        if (lambda != 0.0)
        {
            var norm = 0.0;
            for (var j = 0; j < weights.Length; j++)
            {
                var wj = TLanes.Load(ref w, (nuint)j);
                norm += wj * wj;
            }

            value += lambda * norm;
        }

        if (hasGradient)
        {
            ref var g = ref MemoryMarshal.GetReference(gradient);
            for (var j = 0; j < weights.Length; j++)
            {
                var gj = FloatResults.Divide<T>(sums[j], normaliser, inverse);
                if (lambda != 0.0)
                {
                    gj += 2.0 * lambda * TLanes.Load(ref w, (nuint)j);
                }

                TLanes.Store(gj, ref g, (nuint)j);
            }
        }

        return value;
    }

    /// <summary>Finds the first invalid label (after the pass flagged one) and throws naming its index and value.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    internal static void ThrowInvalidLabel<T, TLanes, TLoss>(ReadOnlySpan<T> targets, TLoss loss)
        where TLanes : struct, IDoubleLanes<T>
        where TLoss : struct, IPointwiseLoss
    {
        for (var i = 0; i < targets.Length; i++)
        {
            var y = TLanes.Load(ref MemoryMarshal.GetReference(targets), (nuint)i);
            if (loss.IsInvalid(y))
            {
                ThrowHelper.ThrowArgument($"'targets[{i}]' is {y}; {TLoss.LabelRule}", nameof(targets));
            }
        }
    }
}
