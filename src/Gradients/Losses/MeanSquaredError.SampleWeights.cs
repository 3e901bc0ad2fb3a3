using System.Numerics;

namespace Gradients;

public static partial class MeanSquaredError
{
    /// <summary>
    /// The weighted loss Σ sᵢrᵢ² / Σ sᵢ + λ‖w‖² of the affine model Xw + b, its gradients with respect to w and b,
    /// and optionally the residuals, in one pass over X (sample weights normalised by their sum, as scikit-learn does).
    /// </summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="features">X, N rows of D features, row-major (length N·D).</param>
    /// <param name="targets">y, length N ≥ 1.</param>
    /// <param name="weights">w, length D ≥ 1.</param>
    /// <param name="intercept">The intercept (bias) b.</param>
    /// <param name="gradient">Receives 2·Σ sᵢrᵢxᵢ / Σ sᵢ + 2λw, length D; must not overlap an input.</param>
    /// <param name="interceptGradient">Receives 2·Σ sᵢrᵢ / Σ sᵢ, the derivative with respect to b (not penalized).</param>
    /// <param name="residuals">Empty, or length N: receives r = Xw + b − y (unweighted); must not overlap an input or <paramref name="gradient"/>.</param>
    /// <param name="sampleWeights">Empty (every row weighs 1: the unweighted loss), or length N: finite weights ≥ 0 with a positive sum.</param>
    /// <param name="options">Ridge penalty and threading.</param>
    /// <returns>The loss; NaN if the data hold a NaN.</returns>
    /// <exception cref="ArgumentException">A length does not match N and D, N or D is zero, an output overlaps an input or the other output, or a sample weight is negative, not finite or subnormal, or they sum to zero.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public static T LossAndGradient<T>(
        ReadOnlySpan<T> features, ReadOnlySpan<T> targets, ReadOnlySpan<T> weights, T intercept,
        Span<T> gradient, out T interceptGradient, Span<T> residuals, ReadOnlySpan<T> sampleWeights, MeanSquaredErrorOptions options)
        where T : IFloatingPointIeee754<T>
    {
        if (sampleWeights.IsEmpty)
        {
            return LossAndGradient(features, targets, weights, intercept, gradient, out interceptGradient, residuals, options);
        }

        LinearModelLoss.Validate(features, targets, weights, gradient, hasGradient: true, sampleWeights);
        if (!residuals.IsEmpty)
        {
            ThrowHelper.ThrowIfLengthMismatch(residuals.Length, targets.Length, nameof(residuals), "targets.Length (N)");
            ThrowHelper.ThrowIfOverlapping(features, residuals, nameof(features), nameof(residuals));
            ThrowHelper.ThrowIfOverlapping(targets, residuals, nameof(targets), nameof(residuals));
            ThrowHelper.ThrowIfOverlapping(weights, residuals, nameof(weights), nameof(residuals));
            ThrowHelper.ThrowIfOverlapping(sampleWeights, residuals, nameof(sampleWeights), nameof(residuals));
            ThrowHelper.ThrowIfOverlapping<T>(gradient, residuals, nameof(gradient), nameof(residuals));
        }

        options.Validate(nameof(options));

        // The pass hands back r as the derivative (SquaredResidual); the 2 of ∂r²/∂η is the derivative scale.
        return LinearModelLoss.Evaluate(
            features, targets, weights, intercept, gradient, hasGradient: true, out interceptGradient, sampleWeights,
            new LinearModelLossOptions { L2Penalty = options.L2Penalty, MaxDegreeOfParallelism = options.MaxDegreeOfParallelism, FloatArithmetic = options.FloatArithmetic },
            default(SquaredResidual), residuals, derivativeScale: 2.0);
    }
}
