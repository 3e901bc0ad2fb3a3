using System.Numerics;

namespace Gradients;

public static partial class MeanSquaredError
{
    /// <summary>
    /// The Hessian-vector product Hv = (2/N)·XᵀX·v of the loss (the same at every w and for every y: the loss is
    /// quadratic), in one pass over X and without an N×D buffer. The targets and weights are taken so the call reads as
    /// the other losses' and are checked as theirs are.
    /// </summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="features">X, N rows of D features, row-major (length N·D).</param>
    /// <param name="targets">y, length N ≥ 1 (only N is used).</param>
    /// <param name="weights">w, length D ≥ 1 (only D is used).</param>
    /// <param name="direction">v, length D, finite.</param>
    /// <param name="product">Receives Hv, length D; must not overlap an input.</param>
    /// <exception cref="ArgumentException">A length does not match N and D, <paramref name="product"/> overlaps an input, or the direction is not finite.</exception>
    public static void HessianVectorProduct<T>(ReadOnlySpan<T> features, ReadOnlySpan<T> targets, ReadOnlySpan<T> weights, ReadOnlySpan<T> direction, Span<T> product)
        where T : IFloatingPointIeee754<T> =>
        HessianVectorProduct(features, targets, weights, T.Zero, direction, T.Zero, product, out _, [], default);

    /// <summary>
    /// The Hessian-vector product of the loss Σ sᵢrᵢ² / Σ sᵢ + λ‖w‖² with respect to (w, b) of the model Xw + b:
    /// Hv = 2·Σ sᵢ(xᵢ·v + v_b)xᵢ / Σ sᵢ + 2λv and (Hv)_b = 2·Σ sᵢ(xᵢ·v + v_b) / Σ sᵢ, in one pass over X on the calling thread.
    /// </summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="features">X, N rows of D features, row-major (length N·D).</param>
    /// <param name="targets">y, length N ≥ 1 (only N is used).</param>
    /// <param name="weights">w, length D ≥ 1 (only D is used).</param>
    /// <param name="intercept">b (not used: the Hessian does not depend on it).</param>
    /// <param name="direction">v, length D, finite.</param>
    /// <param name="directionIntercept">v_b, the direction's intercept component (0 without an intercept), finite.</param>
    /// <param name="product">Receives the w part of the product, length D; must not overlap an input.</param>
    /// <param name="productIntercept">Receives the b part of the product.</param>
    /// <param name="sampleWeights">Empty, or length N: finite weights ≥ 0 with a positive sum.</param>
    /// <param name="options">The ridge penalty (<see cref="MeanSquaredErrorOptions.MaxDegreeOfParallelism"/> is not used: one thread).</param>
    /// <exception cref="ArgumentException">A length does not match N and D, <paramref name="product"/> overlaps an input, the direction is not finite, or a sample weight is invalid.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public static void HessianVectorProduct<T>(
        ReadOnlySpan<T> features, ReadOnlySpan<T> targets, ReadOnlySpan<T> weights, T intercept,
        ReadOnlySpan<T> direction, T directionIntercept, Span<T> product, out T productIntercept,
        ReadOnlySpan<T> sampleWeights, MeanSquaredErrorOptions options)
        where T : IFloatingPointIeee754<T>
    {
        options.Validate(nameof(options));
        LinearModelLoss.HessianVectorProduct(
            features, targets, weights, intercept, direction, directionIntercept, product, out productIntercept, sampleWeights,
            new LinearModelLossOptions { L2Penalty = options.L2Penalty, MaxDegreeOfParallelism = options.MaxDegreeOfParallelism }, default(SquaredResidual), curvatureScale: 2.0);
    }
}
