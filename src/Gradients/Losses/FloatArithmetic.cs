namespace Gradients;

/// <summary>
/// The arithmetic a loss uses on float data (<see cref="MeanSquaredErrorOptions.FloatArithmetic"/>,
/// <see cref="LinearModelLossOptions.FloatArithmetic"/>, <see cref="HuberLossOptions.FloatArithmetic"/>). double data
/// is always computed in double.
/// </summary>
public enum FloatArithmetic
{
    /// <summary>
    /// The default: every row's linear predictor η = xᵀw + b and residual are computed in double from exactly widened
    /// floats (the product of two floats is exact in double), so data far from the origin (X = 10⁶ + noise, where η − y
    /// cancels all but a few digits) keeps its residuals. Loss and gradient are within 10⁻⁶ relative of the exact
    /// values at N = 2,000,000 on such data.
    /// </summary>
    Accurate = 0,

    /// <summary>
    /// Faster where a kernel for it exists: each row's η = xᵀw + b is summed in float, the mean squared error's
    /// residuals and squares too, and the gradient terms rᵢ·xᵢⱼ in float over blocks of at most 64 rows, each block then
    /// added in double. Each residual may be off by up to δᵢ = (D + 3)·2⁻²⁴·(Σⱼ|xᵢⱼwⱼ| + |b| + |yᵢ|) (float's unit
    /// roundoff times the size of the row's terms): harmless for data near the origin, but as large as the residual
    /// itself when X has a large offset (X = 10⁶ + noise). The mean squared error is then off by at most
    /// (1/N)·Σᵢ(2|rᵢ|δᵢ + δᵢ²) + 10·2⁻²⁴·(1/N)·Σᵢ(|rᵢ| + δᵢ)², and each gradient entry by
    /// (2/N)·Σᵢ(δᵢ + 10·2⁻²⁴·(|rᵢ| + δᵢ))·|xᵢⱼ| (the other losses: δᵢ in η, carried through the loss's slope), before
    /// the final rounding to float. Which shapes have such a kernel: in L1 (fewer than 16,384 elements), with AVX-512 the
    /// unweighted mean squared error of rows of three or four features from 96 elements on (24 rows of four, 32 of three;
    /// below, and for the other losses, the default was as fast or faster), and with AVX2 but not AVX-512 rows of four for
    /// every loss from 96 elements; data streamed from memory (chunks of at least 65,536 elements) with
    /// 17 ≤ D ≤ 512 (and D = 16 on Intel or without AVX-512) with AVX2; every other shape, and a block with a value past
    /// float's range, computes as <see cref="Accurate"/> does, whose error is within the same bound. Results are
    /// bit-identical for every thread count, as in the default.
    /// </summary>
    Fast = 1,
}
