using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;

namespace Gradients;

/// <summary>
/// The Huber loss of a linear model and its gradient, in one fused pass over the features: for features X
/// (N×D, row-major), targets y (N) and weights w (D), with r = Xw + b − y and a threshold δ &gt; 0,
/// loss = (1/N)·Σᵢ h(rᵢ), h(r) = ½r² for |r| ≤ δ and δ(|r| − ½δ) beyond, and gradient = (1/N)·Xᵀ·clip(r, −δ, δ)
/// (Huber, "Robust estimation of a location parameter", 1964): least squares near the fit, least absolute deviations far from it.
/// </summary>
/// <remarks>
/// <para>
/// The shape is implied by the spans: N = <c>targets.Length</c>, D = <c>weights.Length</c>, and
/// <c>features.Length</c> must be N·D (row-major). Each row is read once: η = x·w + b, the row's loss and its
/// derivative d = ∂ℓ/∂η are formed and d·x is accumulated at once, with no N-sized temporary (scikit-learn's
/// <c>LinearModelLoss.loss_gradient</c> reads X twice: Xw, then Xᵀd).
/// </para>
/// <para>
/// A NaN anywhere in the data makes the loss and the affected gradient entries NaN; no exception is thrown.
/// Every element type is accumulated in double, in fixed row chunks added in order, so results are bit-identical
/// for any <see cref="HuberLossOptions.MaxDegreeOfParallelism"/>.
/// </para>
/// <para>
/// Sample weights sᵢ ≥ 0 (finite, positive sum) make the loss the weighted mean Σ sᵢℓᵢ / Σ sᵢ (and the gradient
/// likewise), as scikit-learn normalises them. Any target value is valid.
/// </para>
/// <para>Thread-safe: no shared state; inputs are never written. No allocation once warm.</para>
/// </remarks>
public static partial class HuberLoss
{
    /// <summary>The loss (1/N)·Σ h(Xw − y) of the model Xw.</summary>
    /// <typeparam name="T">The element type; float and double have vectorized kernels, others a scalar one.</typeparam>
    /// <param name="features">X, N rows of D features, row-major (length N·D).</param>
    /// <param name="targets">y, length N ≥ 1.</param>
    /// <param name="weights">w, length D ≥ 1.</param>
    /// <returns>The loss; NaN if the data hold a NaN.</returns>
    /// <exception cref="ArgumentException">N or D is zero, <paramref name="features"/> is not N·D long.</exception>
    public static T Loss<T>(ReadOnlySpan<T> features, ReadOnlySpan<T> targets, ReadOnlySpan<T> weights)
        where T : IFloatingPointIeee754<T> =>
        Loss(features, targets, weights, default(HuberLossOptions));

    /// <summary>The loss (1/N)·Σ h(Xw − y) + λ‖w‖², with the given options.</summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="features">X, N rows of D features, row-major (length N·D).</param>
    /// <param name="targets">y, length N ≥ 1.</param>
    /// <param name="weights">w, length D ≥ 1.</param>
    /// <param name="options">δ, ridge penalty and threading.</param>
    /// <returns>The loss; NaN if the data hold a NaN.</returns>
    /// <exception cref="ArgumentException">N or D is zero, <paramref name="features"/> is not N·D long.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public static T Loss<T>(ReadOnlySpan<T> features, ReadOnlySpan<T> targets, ReadOnlySpan<T> weights, HuberLossOptions options)
        where T : IFloatingPointIeee754<T>
    {
        LinearModelLoss.Validate(features, targets, weights, [], hasGradient: false, []);
        options.Validate(nameof(options));
        return LinearModelLoss.Evaluate(features, targets, weights, T.Zero, [], hasGradient: false, out _, [], options.Common, new HuberResidual(options.Delta));
    }

    /// <summary>The gradient (1/N)·Xᵀ·clip(Xw − y, −δ, δ) of the loss with respect to w.</summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="features">X, N rows of D features, row-major (length N·D).</param>
    /// <param name="targets">y, length N ≥ 1.</param>
    /// <param name="weights">w, length D ≥ 1.</param>
    /// <param name="gradient">Receives the D partial derivatives; must not overlap an input.</param>
    /// <exception cref="ArgumentException">A length does not match N and D, N or D is zero, <paramref name="gradient"/> overlaps an input.</exception>
    public static void Gradient<T>(ReadOnlySpan<T> features, ReadOnlySpan<T> targets, ReadOnlySpan<T> weights, Span<T> gradient)
        where T : IFloatingPointIeee754<T> =>
        LossAndGradient(features, targets, weights, gradient, default(HuberLossOptions));

    /// <summary>The gradient (1/N)·Xᵀ·clip(Xw − y, −δ, δ) + 2λw, with the given options.</summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="features">X, N rows of D features, row-major (length N·D).</param>
    /// <param name="targets">y, length N ≥ 1.</param>
    /// <param name="weights">w, length D ≥ 1.</param>
    /// <param name="gradient">Receives the D partial derivatives; must not overlap an input.</param>
    /// <param name="options">δ, ridge penalty and threading.</param>
    /// <exception cref="ArgumentException">A length does not match N and D, N or D is zero, <paramref name="gradient"/> overlaps an input.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public static void Gradient<T>(ReadOnlySpan<T> features, ReadOnlySpan<T> targets, ReadOnlySpan<T> weights, Span<T> gradient, HuberLossOptions options)
        where T : IFloatingPointIeee754<T> =>
        LossAndGradient(features, targets, weights, gradient, options);

    /// <summary>The loss and its gradient with respect to w, in one pass over X.</summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="features">X, N rows of D features, row-major (length N·D).</param>
    /// <param name="targets">y, length N ≥ 1.</param>
    /// <param name="weights">w, length D ≥ 1.</param>
    /// <param name="gradient">Receives (1/N)·Xᵀ·clip(Xw − y, −δ, δ), length D; must not overlap an input.</param>
    /// <returns>The loss (1/N)·Σ h(Xw − y); NaN if the data hold a NaN.</returns>
    /// <exception cref="ArgumentException">A length does not match N and D, N or D is zero, <paramref name="gradient"/> overlaps an input.</exception>
    public static T LossAndGradient<T>(ReadOnlySpan<T> features, ReadOnlySpan<T> targets, ReadOnlySpan<T> weights, Span<T> gradient)
        where T : IFloatingPointIeee754<T> =>
        LossAndGradient(features, targets, weights, gradient, default(HuberLossOptions));

    /// <summary>The loss (1/N)·Σ h(Xw − y) + λ‖w‖² and its gradient, in one pass over X, with the given options.</summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="features">X, N rows of D features, row-major (length N·D).</param>
    /// <param name="targets">y, length N ≥ 1.</param>
    /// <param name="weights">w, length D ≥ 1.</param>
    /// <param name="gradient">Receives (1/N)·Xᵀ·clip(Xw − y, −δ, δ) + 2λw, length D; must not overlap an input.</param>
    /// <param name="options">δ, ridge penalty and threading.</param>
    /// <returns>The loss; NaN if the data hold a NaN.</returns>
    /// <exception cref="ArgumentException">A length does not match N and D, N or D is zero, <paramref name="gradient"/> overlaps an input.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public static T LossAndGradient<T>(ReadOnlySpan<T> features, ReadOnlySpan<T> targets, ReadOnlySpan<T> weights, Span<T> gradient, HuberLossOptions options)
        where T : IFloatingPointIeee754<T>
    {
        LinearModelLoss.Validate(features, targets, weights, gradient, hasGradient: true, []);
        options.Validate(nameof(options));
        return LinearModelLoss.Evaluate(features, targets, weights, T.Zero, gradient, hasGradient: true, out _, [], options.Common, new HuberResidual(options.Delta));
    }

    /// <summary>
    /// The loss of the model Xw + b with optional sample weights, and its gradients with respect to w and b, in one pass over X.
    /// </summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="features">X, N rows of D features, row-major (length N·D).</param>
    /// <param name="targets">y, length N ≥ 1.</param>
    /// <param name="weights">w, length D ≥ 1.</param>
    /// <param name="intercept">The intercept b.</param>
    /// <param name="gradient">Receives Σ sᵢdᵢxᵢ / Σ sᵢ + 2λw, length D; must not overlap an input.</param>
    /// <param name="interceptGradient">Receives Σ sᵢdᵢ / Σ sᵢ, the derivative with respect to b (not penalized).</param>
    /// <param name="sampleWeights">Empty (every row weighs 1), or length N: finite weights ≥ 0 with a positive sum.</param>
    /// <param name="options">δ, ridge penalty and threading.</param>
    /// <returns>The loss Σ sᵢℓᵢ / Σ sᵢ + λ‖w‖²; NaN if the data hold a NaN.</returns>
    /// <exception cref="ArgumentException">A length does not match N and D, N or D is zero, <paramref name="gradient"/> overlaps an input, a sample weight is negative, not finite or subnormal, or they sum to zero.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public static T LossAndGradient<T>(
        ReadOnlySpan<T> features, ReadOnlySpan<T> targets, ReadOnlySpan<T> weights, T intercept,
        Span<T> gradient, out T interceptGradient, ReadOnlySpan<T> sampleWeights, HuberLossOptions options)
        where T : IFloatingPointIeee754<T>
    {
        LinearModelLoss.Validate(features, targets, weights, gradient, hasGradient: true, sampleWeights);
        options.Validate(nameof(options));
        return LinearModelLoss.Evaluate(features, targets, weights, intercept, gradient, hasGradient: true, out interceptGradient, sampleWeights, options.Common, new HuberResidual(options.Delta));
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
    /// <exception cref="ArgumentException">A tensor has the wrong rank or lengths, or a layout that is not dense row-major.</exception>
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
    /// <exception cref="ArgumentException">A tensor has the wrong rank or lengths, a layout that is not dense row-major, or the gradient overlaps an input.</exception>
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
