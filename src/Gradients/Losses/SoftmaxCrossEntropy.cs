using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Gradients;

/// <summary>
/// The softmax cross-entropy (multinomial logistic loss) of a linear model with K classes and its gradient, in one
/// fused pass over the features: for features X (N×D, row-major), class labels y (N, each in 0…K−1), weights W
/// (D×K, row-major) and intercepts b (K), with scores η = xᵀW + b per row,
/// loss = (1/N)·Σᵢ logsumexp(ηᵢ) − ηᵢ,yᵢ and gradient = (1/N)·Xᵀ(softmax(η) − onehot(y))
/// (Bishop, <i>Pattern Recognition and Machine Learning</i>, §4.3.4; scikit-learn's <c>HalfMultinomialLoss</c>).
/// </summary>
/// <remarks>
/// <para>
/// The shape is implied by the spans: N = <c>labels.Length</c>, D = <c>features.Length / N</c>,
/// K = <c>weights.Length / D</c>; each must divide exactly. K may be anything from 1 to well beyond 1000 (the
/// working set is W and the gradient sums, D×K doubles each).
/// </para>
/// <para>
/// Numerics: the log-sum-exp is shifted by the row's largest score, so every exponential is at most 1 and no score
/// of any finite size overflows; the loss is formed as (max − η_y) + log Σ e^(η − max). Sums are in double, in fixed
/// row chunks added in order: bit-identical for any <see cref="LinearModelLossOptions.MaxDegreeOfParallelism"/>.
/// </para>
/// <para>
/// Where the pass runs vectorized over the features (D ≥ 8 with K ≤ 64, or D ≥ 4 with D·K ≤ 60, on x64 with AVX),
/// the scores are formed relative to class 0's, with weights wₖ − w₀ and intercepts bₖ − b₀ (the softmax and the loss
/// do not change when every score moves by the same amount), and class 0's gradient as minus the sum of the other
/// classes' (each row's derivatives sum to 0): products for K − 1 classes instead of K. There two finite scores
/// further apart than double's range (about 1.8·10³⁰⁸) give NaN, as a score of +∞ does everywhere.
/// </para>
/// <para>
/// A label outside 0…K−1 is reported after the pass that met it, as an <see cref="ArgumentException"/> naming
/// its index and value. Sample weights sᵢ ≥ 0 make the loss and gradient weighted means (divided by Σ sᵢ).
/// </para>
/// <para>Thread-safe: no shared state; inputs are never written. A warm call allocates nothing, on one thread or
/// more (the threaded driver reuses one work item per calling thread and pooled buffers, as the mean squared error's).
/// The threaded driver keeps one D×Kp slot of partial sums per row chunk (at most 1024 chunks); where those would
/// pass 2²² doubles (32 MB) the call runs on the calling thread instead, with the same result bit for bit.</para>
/// </remarks>
public static partial class SoftmaxCrossEntropy
{
    /// <summary>The loss (1/N)·Σ logsumexp(xᵀW) − (xᵀW)_y.</summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="features">X, N rows of D features, row-major (length N·D).</param>
    /// <param name="labels">y, N class indices, each in 0…K−1.</param>
    /// <param name="weights">W, D×K row-major.</param>
    /// <returns>The loss.</returns>
    /// <exception cref="ArgumentException">A length does not divide into N, D, K, or a label is outside 0…K−1 (the message names the first such index and its value).</exception>
    public static T Loss<T>(ReadOnlySpan<T> features, ReadOnlySpan<int> labels, ReadOnlySpan<T> weights)
        where T : IFloatingPointIeee754<T> =>
        Evaluate(features, labels, weights, [], [], hasGradient: false, [], [], default);

    /// <summary>The loss (1/N)·Σ logsumexp(xᵀW) − (xᵀW)_y and its gradient (1/N)·Xᵀ(softmax(XW) − onehot(y)), in one pass over X.</summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="features">X, N rows of D features, row-major (length N·D).</param>
    /// <param name="labels">y, N class indices, each in 0…K−1.</param>
    /// <param name="weights">W, D×K row-major.</param>
    /// <param name="gradient">Receives the D×K gradient, row-major; must not overlap an input.</param>
    /// <returns>The loss.</returns>
    /// <exception cref="ArgumentException">A length does not divide into N, D, K or does not match them, the gradient overlaps an input, or a label is outside 0…K−1.</exception>
    public static T LossAndGradient<T>(ReadOnlySpan<T> features, ReadOnlySpan<int> labels, ReadOnlySpan<T> weights, Span<T> gradient)
        where T : IFloatingPointIeee754<T> =>
        Evaluate(features, labels, weights, [], gradient, hasGradient: true, [], [], default);

    /// <summary>The gradient of <see cref="Loss{T}(ReadOnlySpan{T}, ReadOnlySpan{int}, ReadOnlySpan{T})"/> with respect to W.</summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="features">X, N rows of D features, row-major (length N·D).</param>
    /// <param name="labels">y, N class indices, each in 0…K−1.</param>
    /// <param name="weights">W, D×K row-major.</param>
    /// <param name="gradient">Receives the D×K gradient, row-major; must not overlap an input.</param>
    /// <exception cref="ArgumentException">A length does not divide into N, D, K or does not match them, the gradient overlaps an input, or a label is outside 0…K−1.</exception>
    public static void Gradient<T>(ReadOnlySpan<T> features, ReadOnlySpan<int> labels, ReadOnlySpan<T> weights, Span<T> gradient)
        where T : IFloatingPointIeee754<T> =>
        Evaluate(features, labels, weights, [], gradient, hasGradient: true, [], [], default);

    /// <summary>
    /// The loss Σ sᵢℓᵢ / Σ sᵢ + λ‖W‖² of the model xᵀW + b and its gradients with respect to W and b, in one pass over X.
    /// </summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="features">X, N rows of D features, row-major (length N·D).</param>
    /// <param name="labels">y, N class indices, each in 0…K−1.</param>
    /// <param name="weights">W, D×K row-major.</param>
    /// <param name="intercepts">b: empty (no intercept) or length K.</param>
    /// <param name="gradient">Receives the D×K gradient + 2λW, row-major; must not overlap an input.</param>
    /// <param name="interceptGradient">Empty, or length K: receives the derivatives with respect to b (not penalized); must not overlap an input or <paramref name="gradient"/>.</param>
    /// <param name="sampleWeights">Empty (every row weighs 1), or length N: finite weights ≥ 0 with a positive sum.</param>
    /// <param name="options">Ridge penalty and threading.</param>
    /// <returns>The loss.</returns>
    /// <exception cref="ArgumentException">A length does not divide into N, D, K or does not match them, an output overlaps an input or the other output, a sample weight is invalid, or a label is outside 0…K−1.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public static T LossAndGradient<T>(
        ReadOnlySpan<T> features, ReadOnlySpan<int> labels, ReadOnlySpan<T> weights, ReadOnlySpan<T> intercepts,
        Span<T> gradient, Span<T> interceptGradient, ReadOnlySpan<T> sampleWeights, LinearModelLossOptions options)
        where T : IFloatingPointIeee754<T> =>
        Evaluate(features, labels, weights, intercepts, gradient, hasGradient: true, interceptGradient, sampleWeights, options);

    private static T Evaluate<T>(
        ReadOnlySpan<T> features, ReadOnlySpan<int> labels, ReadOnlySpan<T> weights, ReadOnlySpan<T> intercepts,
        Span<T> gradient, bool hasGradient, Span<T> interceptGradient, ReadOnlySpan<T> sampleWeights, LinearModelLossOptions options)
        where T : IFloatingPointIeee754<T>
    {
        var rows = labels.Length;
        ThrowHelper.ThrowIfEmpty(rows, nameof(labels));
        ThrowHelper.ThrowIfEmpty(features.Length, nameof(features));
        ThrowHelper.ThrowIfEmpty(weights.Length, nameof(weights));
        if (features.Length % rows != 0)
        {
            ThrowHelper.ThrowArgument($"'features' has length {features.Length}, which is not a multiple of labels.Length (N = {rows}).", nameof(features));
        }

        var dimension = features.Length / rows;
        if (weights.Length % dimension != 0)
        {
            ThrowHelper.ThrowArgument($"'weights' has length {weights.Length}, which is not a multiple of D = {dimension} (features.Length / N).", nameof(weights));
        }

        var classes = weights.Length / dimension;
        if (!intercepts.IsEmpty)
        {
            ThrowHelper.ThrowIfLengthMismatch(intercepts.Length, classes, nameof(intercepts), "K (weights.Length / D)");
        }

        if (!sampleWeights.IsEmpty)
        {
            ThrowHelper.ThrowIfLengthMismatch(sampleWeights.Length, rows, nameof(sampleWeights), "labels.Length (N)");
        }

        if (hasGradient)
        {
            ThrowHelper.ThrowIfLengthMismatch(gradient.Length, weights.Length, nameof(gradient), "weights.Length (D×K)");
            ThrowHelper.ThrowIfOverlapping(features, gradient, nameof(features), nameof(gradient));
            ThrowHelper.ThrowIfOverlapping(weights, gradient, nameof(weights), nameof(gradient));
            ThrowHelper.ThrowIfOverlapping(intercepts, gradient, nameof(intercepts), nameof(gradient));
            ThrowHelper.ThrowIfOverlapping(sampleWeights, gradient, nameof(sampleWeights), nameof(gradient));
            ThrowIfOverlapping(labels, gradient, nameof(labels), nameof(gradient));
        }

        if (!interceptGradient.IsEmpty)
        {
            ThrowHelper.ThrowIfLengthMismatch(interceptGradient.Length, classes, nameof(interceptGradient), "K (weights.Length / D)");
            ThrowHelper.ThrowIfOverlapping(features, interceptGradient, nameof(features), nameof(interceptGradient));
            ThrowHelper.ThrowIfOverlapping(weights, interceptGradient, nameof(weights), nameof(interceptGradient));
            ThrowHelper.ThrowIfOverlapping(intercepts, interceptGradient, nameof(intercepts), nameof(interceptGradient));
            ThrowHelper.ThrowIfOverlapping(sampleWeights, interceptGradient, nameof(sampleWeights), nameof(interceptGradient));
            ThrowHelper.ThrowIfOverlapping<T>(gradient, interceptGradient, nameof(gradient), nameof(interceptGradient));
            ThrowIfOverlapping(labels, interceptGradient, nameof(labels), nameof(interceptGradient));
        }

        options.Validate(nameof(options));
        var largest = 0.0;
        var sum = sampleWeights.IsEmpty ? rows : LinearModelLoss.SumOfSampleWeights(sampleWeights, out largest);
        sampleWeights = LinearModelLoss.ScaledSampleWeights(sampleWeights, largest, sum, out var normaliser, out var rented);
        if (rented is null)
        {
            return Evaluate(features, labels, weights, intercepts, gradient, hasGradient, interceptGradient, sampleWeights, dimension, classes, normaliser, options);
        }

        try
        {
            return Evaluate(features, labels, weights, intercepts, gradient, hasGradient, interceptGradient, sampleWeights, dimension, classes, normaliser, options);
        }
        finally
        {
            LinearModelLoss.ReturnScaledSampleWeights(rented, sampleWeights.Length);
        }
    }

    /// <summary>Dispatches a validated call on the element type (sample weights already in range, summed to <paramref name="normaliser"/>).</summary>
    private static T Evaluate<T>(
        ReadOnlySpan<T> features, ReadOnlySpan<int> labels, ReadOnlySpan<T> weights, ReadOnlySpan<T> intercepts,
        Span<T> gradient, bool hasGradient, Span<T> interceptGradient, ReadOnlySpan<T> sampleWeights,
        int dimension, int classes, double normaliser, LinearModelLossOptions options)
        where T : IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(double))
        {
            return T.CreateTruncating(Evaluate<double, DoubleElements>(
                FusedPass.Reinterpret<T, double>(features), labels, FusedPass.Reinterpret<T, double>(weights), FusedPass.Reinterpret<T, double>(intercepts),
                FusedPass.Reinterpret<T, double>(gradient), hasGradient, FusedPass.Reinterpret<T, double>(interceptGradient),
                FusedPass.Reinterpret<T, double>(sampleWeights), dimension, classes, normaliser, options));
        }

        if (typeof(T) == typeof(float))
        {
            return T.CreateTruncating(Evaluate<float, SingleElements>(
                FusedPass.Reinterpret<T, float>(features), labels, FusedPass.Reinterpret<T, float>(weights), FusedPass.Reinterpret<T, float>(intercepts),
                FusedPass.Reinterpret<T, float>(gradient), hasGradient, FusedPass.Reinterpret<T, float>(interceptGradient),
                FusedPass.Reinterpret<T, float>(sampleWeights), dimension, classes, normaliser, options));
        }

        return T.CreateTruncating(Evaluate<T, GenericElements<T>>(
            features, labels, weights, intercepts, gradient, hasGradient, interceptGradient, sampleWeights, dimension, classes, normaliser, options));
    }

    private static double Evaluate<T, TLanes>(
        ReadOnlySpan<T> features, ReadOnlySpan<int> labels, ReadOnlySpan<T> weights, ReadOnlySpan<T> intercepts,
        Span<T> gradient, bool hasGradient, Span<T> interceptGradient, ReadOnlySpan<T> sampleWeights,
        int dimension, int classes, double normaliser, LinearModelLossOptions options)
        where TLanes : struct, IDoubleLanes<T>
    {
        var kp = SoftmaxPass.PaddedClasses(classes);

        // In long: D·Kp may pass int.MaxValue for a weights span of nearly that length (over native memory).
        var longSize = (2L * dimension * kp) + (2L * kp);
        if (longSize > Array.MaxLength)
        {
            ThrowHelper.ThrowArgument(
                $"'weights' has length D×K = {dimension}×{classes}: the pass needs 2·D·Kp + 2·Kp = {longSize} double sums (Kp = {kp}, K padded to whole vectors) in one array, more than the largest array holds (Array.MaxLength = {Array.MaxLength}).",
                nameof(weights));
        }

        var size = (int)longSize;
        var buffer = ArrayPool<double>.Shared.Rent(size);
        try
        {
            var paddedWeights = buffer.AsSpan(0, dimension * kp);
            var gradientSums = buffer.AsSpan(dimension * kp, dimension * kp);
            var paddedIntercepts = buffer.AsSpan(2 * dimension * kp, kp);
            var interceptSums = buffer.AsSpan((2 * dimension * kp) + kp, kp);
            ref var w = ref MemoryMarshal.GetReference(weights);
            var norm = SoftmaxPass.PadWeights<T, TLanes>(weights, intercepts, dimension, classes, paddedWeights, paddedIntercepts);
            var sums = SoftmaxPass.Run<T, TLanes>(features, labels, paddedWeights, paddedIntercepts, dimension, classes, sampleWeights, gradientSums, interceptSums, options.Threads);
            if (sums.HasInvalidLabel)
            {
                ThrowInvalidLabel(labels, classes);
            }

            var lambda = options.L2Penalty;
            if (hasGradient)
            {
                ref var g = ref MemoryMarshal.GetReference(gradient);
                for (var j = 0; j < dimension; j++)
                {
                    for (var k = 0; k < classes; k++)
                    {
                        var at = (nuint)((j * classes) + k);
                        var value = gradientSums[(j * kp) + k] / normaliser;
                        if (lambda != 0.0)
                        {
                            value += 2.0 * lambda * TLanes.Load(ref w, at);
                        }

                        TLanes.Store(value, ref g, at);
                    }
                }
            }

            for (var k = 0; k < interceptGradient.Length; k++)
            {
                TLanes.Store(interceptSums[k] / normaliser, ref MemoryMarshal.GetReference(interceptGradient), (nuint)k);
            }

            return (sums.Loss / normaliser) + (lambda * norm);
        }
        finally
        {
            ArrayPool<double>.Shared.Return(buffer);
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    internal static void ThrowInvalidLabel(ReadOnlySpan<int> labels, int classes)
    {
        for (var i = 0; i < labels.Length; i++)
        {
            if ((uint)labels[i] >= (uint)classes)
            {
                ThrowHelper.ThrowArgument($"'labels[{i}]' is {labels[i]}; class labels must lie in 0…{classes - 1} (K = {classes}, weights.Length / D).", nameof(labels));
            }
        }
    }

    private static void ThrowIfOverlapping<T>(ReadOnlySpan<int> labels, Span<T> output, string inputName, string outputName)
    {
        if (labels.IsEmpty || output.IsEmpty)
        {
            return;
        }

        // Byte ranges [labels, labels + 4N) and [output, output + size·n) overlap when the offset between them falls inside both.
        var offset = Unsafe.ByteOffset(
            ref Unsafe.As<int, byte>(ref MemoryMarshal.GetReference(labels)),
            ref Unsafe.As<T, byte>(ref MemoryMarshal.GetReference(output)));
        if (offset < (nint)labels.Length * sizeof(int) && -offset < (nint)output.Length * Unsafe.SizeOf<T>())
        {
            ThrowHelper.ThrowOverlapping(inputName, outputName, labels.Length, output.Length);
        }
    }
}
