using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;

namespace Gradients;

/// <summary>
/// The logistic loss (binary cross-entropy) of a linear model and its gradient, in one fused pass over the features:
/// for features X (N×D, row-major), labels y ∈ {0, 1} (N) and weights w (D), with η = Xw + b,
/// loss = (1/N)·Σᵢ log(1 + e^ηᵢ) − yᵢηᵢ and gradient = (1/N)·Xᵀ(σ(η) − y)
/// (logistic regression's negative log-likelihood; Hastie, Tibshirani and Friedman, <i>The Elements of Statistical Learning</i>, §4.4.1;
/// scikit-learn's <c>HalfBinomialLoss</c>).
/// </summary>
/// <remarks>
/// <para>
/// The shape is implied by the spans: N = <c>targets.Length</c>, D = <c>weights.Length</c>, and
/// <c>features.Length</c> must be N·D (row-major). Each row is read once: η = x·w + b, the row's loss and its
/// derivative d = ∂ℓ/∂η are formed and d·x is accumulated at once, with no N-sized temporary (scikit-learn's
/// <c>LinearModelLoss.loss_gradient</c> reads X twice: Xw, then Xᵀd).
/// </para>
/// <para>
/// Stable for any finite η: one e^−|η| per row gives log(1 + e^η) and σ(η) − y without overflow (at |η| = 700 a naive
/// log(1 + exp(η)) is ∞), with σ(η) − y keeping its relative accuracy where σ(η) rounds to 1.
/// Every element type is accumulated in double, in fixed row chunks added in order, so results are bit-identical
/// for any <see cref="LinearModelLossOptions.MaxDegreeOfParallelism"/>.
/// </para>
/// <para>
/// Sample weights sᵢ ≥ 0 (finite, positive sum) make the loss the weighted mean Σ sᵢℓᵢ / Σ sᵢ (and the gradient
/// likewise), as scikit-learn normalises them. A label other than 0 or 1 (NaN included) is reported after the pass that met it, as an <see cref="ArgumentException"/> naming its index and value.
/// </para>
/// <para>Thread-safe: no shared state; inputs are never written. No allocation once warm.</para>
/// </remarks>
public static partial class LogisticLoss
{
    /// <summary>The loss (1/N)·Σ log(1 + e^η) − y·η of the model Xw.</summary>
    /// <typeparam name="T">The element type; float and double have vectorized kernels, others a scalar one.</typeparam>
    /// <param name="features">X, N rows of D features, row-major (length N·D).</param>
    /// <param name="targets">y, length N ≥ 1, each 0 or 1.</param>
    /// <param name="weights">w, length D ≥ 1.</param>
    /// <returns>The loss; NaN if the data hold a NaN.</returns>
    /// <exception cref="ArgumentException">N or D is zero, <paramref name="features"/> is not N·D long, or a label is not 0 or 1 (the message names the first such index and its value).</exception>
    public static T Loss<T>(ReadOnlySpan<T> features, ReadOnlySpan<T> targets, ReadOnlySpan<T> weights)
        where T : IFloatingPointIeee754<T> =>
        Loss(features, targets, weights, default(LinearModelLossOptions));

    /// <summary>The loss (1/N)·Σ log(1 + e^η) − y·η + λ‖w‖², with the given options.</summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="features">X, N rows of D features, row-major (length N·D).</param>
    /// <param name="targets">y, length N ≥ 1, each 0 or 1.</param>
    /// <param name="weights">w, length D ≥ 1.</param>
    /// <param name="options">Ridge penalty and threading.</param>
    /// <returns>The loss; NaN if the data hold a NaN.</returns>
    /// <exception cref="ArgumentException">N or D is zero, <paramref name="features"/> is not N·D long, or a label is not 0 or 1 (the message names the first such index and its value).</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public static T Loss<T>(ReadOnlySpan<T> features, ReadOnlySpan<T> targets, ReadOnlySpan<T> weights, LinearModelLossOptions options)
        where T : IFloatingPointIeee754<T>
    {
        LinearModelLoss.Validate(features, targets, weights, [], hasGradient: false, []);
        options.Validate(nameof(options));
        return LinearModelLoss.Evaluate(features, targets, weights, T.Zero, [], hasGradient: false, out _, [], options, default(BinomialLogLikelihood));
    }

    /// <summary>The gradient (1/N)·Xᵀ(σ(Xw) − y) of the loss with respect to w.</summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="features">X, N rows of D features, row-major (length N·D).</param>
    /// <param name="targets">y, length N ≥ 1, each 0 or 1.</param>
    /// <param name="weights">w, length D ≥ 1.</param>
    /// <param name="gradient">Receives the D partial derivatives; must not overlap an input.</param>
    /// <exception cref="ArgumentException">A length does not match N and D, N or D is zero, <paramref name="gradient"/> overlaps an input, or a label is not 0 or 1 (the message names the first such index and its value).</exception>
    public static void Gradient<T>(ReadOnlySpan<T> features, ReadOnlySpan<T> targets, ReadOnlySpan<T> weights, Span<T> gradient)
        where T : IFloatingPointIeee754<T> =>
        LossAndGradient(features, targets, weights, gradient, default(LinearModelLossOptions));

    /// <summary>The gradient (1/N)·Xᵀ(σ(Xw) − y) + 2λw, with the given options.</summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="features">X, N rows of D features, row-major (length N·D).</param>
    /// <param name="targets">y, length N ≥ 1, each 0 or 1.</param>
    /// <param name="weights">w, length D ≥ 1.</param>
    /// <param name="gradient">Receives the D partial derivatives; must not overlap an input.</param>
    /// <param name="options">Ridge penalty and threading.</param>
    /// <exception cref="ArgumentException">A length does not match N and D, N or D is zero, <paramref name="gradient"/> overlaps an input, or a label is not 0 or 1 (the message names the first such index and its value).</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public static void Gradient<T>(ReadOnlySpan<T> features, ReadOnlySpan<T> targets, ReadOnlySpan<T> weights, Span<T> gradient, LinearModelLossOptions options)
        where T : IFloatingPointIeee754<T> =>
        LossAndGradient(features, targets, weights, gradient, options);

    /// <summary>The loss and its gradient with respect to w, in one pass over X.</summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="features">X, N rows of D features, row-major (length N·D).</param>
    /// <param name="targets">y, length N ≥ 1, each 0 or 1.</param>
    /// <param name="weights">w, length D ≥ 1.</param>
    /// <param name="gradient">Receives (1/N)·Xᵀ(σ(Xw) − y), length D; must not overlap an input.</param>
    /// <returns>The loss (1/N)·Σ log(1 + e^η) − y·η; NaN if the data hold a NaN.</returns>
    /// <exception cref="ArgumentException">A length does not match N and D, N or D is zero, <paramref name="gradient"/> overlaps an input, or a label is not 0 or 1 (the message names the first such index and its value).</exception>
    public static T LossAndGradient<T>(ReadOnlySpan<T> features, ReadOnlySpan<T> targets, ReadOnlySpan<T> weights, Span<T> gradient)
        where T : IFloatingPointIeee754<T> =>
        LossAndGradient(features, targets, weights, gradient, default(LinearModelLossOptions));

    /// <summary>The loss (1/N)·Σ log(1 + e^η) − y·η + λ‖w‖² and its gradient, in one pass over X, with the given options.</summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="features">X, N rows of D features, row-major (length N·D).</param>
    /// <param name="targets">y, length N ≥ 1, each 0 or 1.</param>
    /// <param name="weights">w, length D ≥ 1.</param>
    /// <param name="gradient">Receives (1/N)·Xᵀ(σ(Xw) − y) + 2λw, length D; must not overlap an input.</param>
    /// <param name="options">Ridge penalty and threading.</param>
    /// <returns>The loss; NaN if the data hold a NaN.</returns>
    /// <exception cref="ArgumentException">A length does not match N and D, N or D is zero, <paramref name="gradient"/> overlaps an input, or a label is not 0 or 1 (the message names the first such index and its value).</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public static T LossAndGradient<T>(ReadOnlySpan<T> features, ReadOnlySpan<T> targets, ReadOnlySpan<T> weights, Span<T> gradient, LinearModelLossOptions options)
        where T : IFloatingPointIeee754<T>
    {
        LinearModelLoss.Validate(features, targets, weights, gradient, hasGradient: true, []);
        options.Validate(nameof(options));
        return LinearModelLoss.Evaluate(features, targets, weights, T.Zero, gradient, hasGradient: true, out _, [], options, default(BinomialLogLikelihood));
    }

    /// <summary>
    /// The loss of the model Xw + b with optional sample weights, and its gradients with respect to w and b, in one pass over X.
    /// </summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="features">X, N rows of D features, row-major (length N·D).</param>
    /// <param name="targets">y, length N ≥ 1, each 0 or 1.</param>
    /// <param name="weights">w, length D ≥ 1.</param>
    /// <param name="intercept">The intercept b.</param>
    /// <param name="gradient">Receives Σ sᵢdᵢxᵢ / Σ sᵢ + 2λw, length D; must not overlap an input.</param>
    /// <param name="interceptGradient">Receives Σ sᵢdᵢ / Σ sᵢ, the derivative with respect to b (not penalized).</param>
    /// <param name="sampleWeights">Empty (every row weighs 1), or length N: finite weights ≥ 0 with a positive sum.</param>
    /// <param name="options">Ridge penalty and threading.</param>
    /// <returns>The loss Σ sᵢℓᵢ / Σ sᵢ + λ‖w‖²; NaN if the data hold a NaN.</returns>
    /// <exception cref="ArgumentException">A length does not match N and D, N or D is zero, <paramref name="gradient"/> overlaps an input, a sample weight is negative, not finite or subnormal, or they sum to zero, or a label is not 0 or 1 (the message names the first such index and its value).</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public static T LossAndGradient<T>(
        ReadOnlySpan<T> features, ReadOnlySpan<T> targets, ReadOnlySpan<T> weights, T intercept,
        Span<T> gradient, out T interceptGradient, ReadOnlySpan<T> sampleWeights, LinearModelLossOptions options)
        where T : IFloatingPointIeee754<T>
    {
        LinearModelLoss.Validate(features, targets, weights, gradient, hasGradient: true, sampleWeights);
        options.Validate(nameof(options));
        return LinearModelLoss.Evaluate(features, targets, weights, intercept, gradient, hasGradient: true, out interceptGradient, sampleWeights, options, default(BinomialLogLikelihood));
    }

    /// <summary>
    /// <see cref="Loss{T}(ReadOnlySpan{T}, ReadOnlySpan{T}, ReadOnlySpan{T})"/> for tensors: features N×D (rank 2),
    /// targets N and weights D (rank 1), each dense and row-major.
    /// </summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="features">X, rank 2 (N×D), dense row-major.</param>
    /// <param name="targets">y, rank 1 (N), dense.</param>
    /// <param name="weights">w, rank 1 (D), dense.</param>
    /// <returns>The loss.</returns>
    /// <exception cref="ArgumentException">A tensor has the wrong rank or lengths, or a layout that is not dense row-major, or a label is not 0 or 1 (the message names the first such index and its value).</exception>
    public static T Loss<T>(ReadOnlyTensorSpan<T> features, ReadOnlyTensorSpan<T> targets, ReadOnlyTensorSpan<T> weights)
        where T : IFloatingPointIeee754<T>
    {
        var x = MeanSquaredError.Matrix(features, nameof(features), out var rows, out var columns);
        return Loss(x, MeanSquaredError.Vector(targets, rows, nameof(targets)), MeanSquaredError.Vector(weights, columns, nameof(weights)));
    }

    /// <summary>
    /// <see cref="LossAndGradient{T}(ReadOnlySpan{T}, ReadOnlySpan{T}, ReadOnlySpan{T}, Span{T})"/> for tensors:
    /// features N×D (rank 2), targets N, weights D and gradient D (rank 1), each dense and row-major.
    /// </summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="features">X, rank 2 (N×D), dense row-major.</param>
    /// <param name="targets">y, rank 1 (N), dense.</param>
    /// <param name="weights">w, rank 1 (D), dense.</param>
    /// <param name="gradient">Receives the gradient, rank 1 (D), dense; must not overlap an input.</param>
    /// <returns>The loss.</returns>
    /// <exception cref="ArgumentException">A tensor has the wrong rank or lengths, a layout that is not dense row-major, or the gradient overlaps an input, or a label is not 0 or 1 (the message names the first such index and its value).</exception>
    public static T LossAndGradient<T>(ReadOnlyTensorSpan<T> features, ReadOnlyTensorSpan<T> targets, ReadOnlyTensorSpan<T> weights, TensorSpan<T> gradient)
        where T : IFloatingPointIeee754<T>
    {
        var x = MeanSquaredError.Matrix(features, nameof(features), out var rows, out var columns);
        var g = MeanSquaredError.Vector((ReadOnlyTensorSpan<T>)gradient, columns, nameof(gradient));
        return LossAndGradient(
            x, MeanSquaredError.Vector(targets, rows, nameof(targets)), MeanSquaredError.Vector(weights, columns, nameof(weights)),
            MemoryMarshal.CreateSpan(ref MemoryMarshal.GetReference(g), g.Length));
    }
}
