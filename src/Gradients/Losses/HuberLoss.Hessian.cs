using System.Numerics;

namespace Gradients;

public static partial class HuberLoss
{
    /// <summary>
    /// The Hessian-vector product Hv = (1/N)·Xᵀ·diag(ℓ″(η))·X·v of the loss at w (ℓ″ = 1 where |η − y| ≤ δ, 0 beyond), in
    /// one pass over X and without an N×D buffer. The Huber loss is not twice differentiable where |η − y| = δ; there
    /// ℓ″ is taken as 1 (the quadratic side, as scikit-learn's <c>HalfHuberLoss</c> does).
    /// </summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="features">X, N rows of D features, row-major (length N·D).</param>
    /// <param name="targets">y, length N ≥ 1.</param>
    /// <param name="weights">w, length D ≥ 1: where the Hessian is taken.</param>
    /// <param name="direction">v, length D, finite.</param>
    /// <param name="product">Receives Hv, length D; must not overlap an input.</param>
    /// <exception cref="ArgumentException">A length does not match N and D, <paramref name="product"/> overlaps an input, or the direction is not finite.</exception>
    public static void HessianVectorProduct<T>(ReadOnlySpan<T> features, ReadOnlySpan<T> targets, ReadOnlySpan<T> weights, ReadOnlySpan<T> direction, Span<T> product)
        where T : IFloatingPointIeee754<T> =>
        HessianVectorProduct(features, targets, weights, T.Zero, direction, T.Zero, product, out _, [], default);

    /// <summary>
    /// The Hessian-vector product of the loss with respect to (w, b) of the model Xw + b, with sample weights, δ and a
    /// ridge penalty: Hv = Σ sᵢℓ″(ηᵢ)(xᵢ·v + v_b)xᵢ / Σ sᵢ + 2λv and (Hv)_b = Σ sᵢℓ″(ηᵢ)(xᵢ·v + v_b) / Σ sᵢ, in one pass
    /// over X on the calling thread.
    /// </summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="features">X, N rows of D features, row-major (length N·D).</param>
    /// <param name="targets">y, length N ≥ 1.</param>
    /// <param name="weights">w, length D ≥ 1.</param>
    /// <param name="intercept">b.</param>
    /// <param name="direction">v, length D, finite.</param>
    /// <param name="directionIntercept">v_b, the direction's intercept component (0 without an intercept), finite.</param>
    /// <param name="product">Receives the w part of the product, length D; must not overlap an input.</param>
    /// <param name="productIntercept">Receives the b part of the product.</param>
    /// <param name="sampleWeights">Empty, or length N: finite weights ≥ 0 with a positive sum.</param>
    /// <param name="options">δ and the ridge penalty (<see cref="HuberLossOptions.MaxDegreeOfParallelism"/> is not used: one thread).</param>
    /// <exception cref="ArgumentException">A length does not match N and D, <paramref name="product"/> overlaps an input, the direction is not finite, or a sample weight is invalid.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public static void HessianVectorProduct<T>(
        ReadOnlySpan<T> features, ReadOnlySpan<T> targets, ReadOnlySpan<T> weights, T intercept,
        ReadOnlySpan<T> direction, T directionIntercept, Span<T> product, out T productIntercept,
        ReadOnlySpan<T> sampleWeights, HuberLossOptions options)
        where T : IFloatingPointIeee754<T>
    {
        options.Validate(nameof(options));
        LinearModelLoss.HessianVectorProduct(
            features, targets, weights, intercept, direction, directionIntercept, product, out productIntercept, sampleWeights, options.Common, new HuberResidual(options.Delta));
    }
}
