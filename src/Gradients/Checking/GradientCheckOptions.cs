using System.Numerics;

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
    /// relative to |f| + Σⱼ max(|xⱼ|, 1)·|∂f/∂xⱼ| (the error of a backward-stable evaluation: Higham, Accuracy and Stability of
    /// Numerical Algorithms, §1.5). Raise it for functions that sum many terms or lose accuracy to cancellation.
    /// Must be ≥ 1.
    /// </summary>
    public double EvaluationError { get; init; } = 16;

    /// <summary>
    /// Rejects settings that make no sense or that would make a tolerance in <typeparamref name="T"/> infinite or NaN:
    /// both factors must be finite and ≥ 1, and EvaluationError·ε and SafetyFactor·EvaluationError·ε below 1 (an
    /// evaluation error of 1/ε epsilons means f has no correct digit, and no check can say anything).
    /// </summary>
    internal void Validate<T>()
        where T : IFloatingPointIeee754<T>
    {
        var epsilon = double.CreateTruncating(StepSize.MachineEpsilon<T>());
        if (!(SafetyFactor >= 1) || !double.IsFinite(SafetyFactor) || !(SafetyFactor * epsilon < 1))
        {
            ThrowHelper.ThrowArgument(
                $"options.SafetyFactor is {SafetyFactor}; it must be finite, at least 1 and below 1/ε = {1 / epsilon} for {typeof(T).Name}.", "options");
        }

        if (!(EvaluationError >= 1) || !double.IsFinite(EvaluationError) || !(SafetyFactor * EvaluationError * epsilon < 1))
        {
            ThrowHelper.ThrowArgument(
                $"options.EvaluationError is {EvaluationError} (machine epsilons); it must be finite, at least 1, and SafetyFactor × EvaluationError ({SafetyFactor} × {EvaluationError}) below 1/ε = {1 / epsilon} for {typeof(T).Name}: a larger evaluation error leaves f no correct digit to check.", "options");
        }
    }
}
