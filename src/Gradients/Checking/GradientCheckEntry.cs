using System.Numerics;

namespace Gradients;

/// <summary>
/// One line of a <see cref="GradientCheckReport{T}"/>: a gradient component (full check) or a random direction
/// (fast check), with the analytic and numeric values, their disagreement and the error the finite-difference
/// model predicts.
/// </summary>
/// <typeparam name="T">The floating-point type.</typeparam>
/// <param name="Index">The component i (full check) or the direction number j (fast check).</param>
/// <param name="Analytic">∂f/∂xᵢ from the analytic gradient, or ∇f·uⱼ in a fast check.</param>
/// <param name="Numeric">The finite-difference estimate of the same quantity.</param>
/// <param name="AbsoluteError">|analytic − numeric|.</param>
/// <param name="RelativeError">|analytic − numeric| / max(|analytic|, |numeric|); 0 when both are 0.</param>
/// <param name="Step">The finite-difference step h used.</param>
/// <param name="PredictedError">The error the finite-difference model predicts for the numeric value (truncation + round-off).</param>
/// <param name="Tolerance">The largest absolute error that passes: safety factor × predicted error + the analytic value's own rounding.</param>
public readonly record struct GradientCheckEntry<T>(
    int Index, T Analytic, T Numeric, T AbsoluteError, T RelativeError, T Step, T PredictedError, T Tolerance)
    where T : IFloatingPointIeee754<T>
{
    /// <summary>
    /// Whether <see cref="AbsoluteError"/> is within <see cref="Tolerance"/> (a NaN error fails). An infinite or NaN
    /// tolerance — an error model beyond the type's range — checks nothing and fails, never passes every gradient.
    /// </summary>
    public bool Passed => AbsoluteError <= Tolerance && T.IsFinite(Tolerance);

    /// <summary>
    /// The smallest relative error of the analytic value this entry is sure to catch: (tolerance + predicted error) /
    /// |numeric|. An analytic value off by more than that relative to the true one fails, whatever the finite-difference
    /// error (at most the predicted one) did; smaller errors may pass. +∞ when the numeric value is 0.
    /// </summary>
    public T Resolution => T.IsZero(Numeric) ? T.PositiveInfinity : (Tolerance + PredictedError) / T.Abs(Numeric);

    /// <summary>How far outside (&gt; 1) or inside (≤ 1) the tolerance the error lies: error / tolerance.</summary>
    public T ToleranceRatio => T.IsZero(Tolerance) ? (T.IsZero(AbsoluteError) ? T.Zero : T.PositiveInfinity) : AbsoluteError / Tolerance;
}
