using System.Numerics;

namespace Gradients;

/// <summary>What a finite-difference gradient, Jacobian or Hessian computation did.</summary>
/// <typeparam name="T">The floating-point type of the point.</typeparam>
/// <param name="Evaluations">The number of calls of f.</param>
/// <param name="OneSidedCoordinates">
/// The number of coordinates that used a one-sided stencil in place of the requested one, because of a bound or
/// a non-finite value.
/// </param>
/// <param name="MaxErrorEstimate">
/// The largest per-component error estimate (<see cref="FiniteDifferenceScheme.Richardson"/> and <see cref="FiniteDifferenceScheme.Adaptive"/> have one);
/// NaN when the scheme gives no estimate.
/// </param>
public readonly record struct FiniteDifferenceResult<T>(int Evaluations, int OneSidedCoordinates, T MaxErrorEstimate)
    where T : IFloatingPointIeee754<T>
{
    /// <summary>Whether <see cref="MaxErrorEstimate"/> holds an estimate.</summary>
    public bool HasErrorEstimate => !T.IsNaN(MaxErrorEstimate);
}

/// <summary>One finite-difference derivative with what it cost and how good it is.</summary>
/// <typeparam name="T">The floating-point type.</typeparam>
/// <param name="Value">The derivative.</param>
/// <param name="ErrorEstimate">
/// An estimate of |Value − true derivative| (<see cref="FiniteDifferenceScheme.Richardson"/> and <see cref="FiniteDifferenceScheme.Adaptive"/> have one);
/// NaN when the scheme gives no estimate.
/// </param>
/// <param name="Step">The step h used (after rounding it to a representable value and shrinking it to fit bounds).</param>
/// <param name="Evaluations">The number of calls of f.</param>
/// <param name="OneSided">Whether a one-sided stencil replaced the requested one (a bound or a non-finite value).</param>
public readonly record struct FiniteDifferenceEstimate<T>(T Value, T ErrorEstimate, T Step, int Evaluations, bool OneSided)
    where T : IFloatingPointIeee754<T>
{
    /// <summary>Whether <see cref="ErrorEstimate"/> holds an estimate.</summary>
    public bool HasErrorEstimate => !T.IsNaN(ErrorEstimate);
}
