namespace Gradients;

/// <summary>Settings of <see cref="GradientCheck"/>: how much error the finite-difference model allows.</summary>
public sealed record GradientCheckOptions
{
    /// <summary>The defaults: <see cref="SafetyFactor"/> 10, <see cref="EvaluationError"/> 16.</summary>
    public static GradientCheckOptions Default { get; } = new();

    /// <summary>
    /// How many times the predicted finite-difference error a component may be off and still pass. The prediction
    /// is itself an estimate (of truncation from two stencils, of round-off from a bound), so a margin keeps correct
    /// gradients from failing; a wrong gradient is typically off by orders of magnitude more. Must be ≥ 1.
    /// </summary>
    public double SafetyFactor { get; init; } = 10;

    /// <summary>
    /// The error of one evaluation of f (and of the analytic gradient), in machine epsilons ε of the type checked,
    /// relative to |f| + Σⱼ|xⱼ·∂f/∂xⱼ| (the error of a backward-stable evaluation: Higham, Accuracy and Stability of
    /// Numerical Algorithms, §1.5). Raise it for functions that sum many terms or lose accuracy to cancellation.
    /// Must be ≥ 1.
    /// </summary>
    public double EvaluationError { get; init; } = 16;

    internal void Validate()
    {
        if (!(SafetyFactor >= 1) || double.IsInfinity(SafetyFactor))
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(SafetyFactor), SafetyFactor, "The safety factor must be finite and at least 1.");
        }

        if (!(EvaluationError >= 1) || double.IsInfinity(EvaluationError))
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(EvaluationError), EvaluationError, "The evaluation error (in machine epsilons) must be finite and at least 1.");
        }
    }
}
