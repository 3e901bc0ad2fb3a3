using System.Numerics;
using System.Runtime.CompilerServices;

namespace Gradients;

/// <summary>
/// The default finite-difference steps. Each balances the truncation error of the formula against the round-off
/// error ε·|f|/h of differencing nearly equal values, so h ∝ ε^(1/(p+1)) for a formula of order p in a first
/// derivative and ε^(1/4) for the central second derivative (Nocedal &amp; Wright, Numerical Optimization, 2nd ed.,
/// §8.1, eqs. 8.6 and 8.9; Press et al., Numerical Recipes, 3rd ed., §5.7; Sauer, Numerical Analysis, §5.1).
/// Every default is relative: hᵢ = factor · max(|xᵢ|, 1).
/// </summary>
public static class StepSize
{
    /// <summary>
    /// Machine epsilon of <typeparamref name="T"/>: the gap between 1 and the next larger value (2⁻⁵² for double,
    /// 2⁻²³ for float). Not <c>T.Epsilon</c>, which in .NET is the smallest subnormal.
    /// </summary>
    /// <typeparam name="T">The floating-point type.</typeparam>
    /// <returns>ε of the type.</returns>
    public static T MachineEpsilon<T>()
        where T : IFloatingPointIeee754<T> => T.BitIncrement(T.One) - T.One;

    /// <summary>
    /// The relative step factor of a first-derivative scheme: √ε for forward and backward differences, ∛ε for
    /// central differences, 1.5·∛ε for fourth-order central differences, 3·∛ε for the base step h of Richardson
    /// extrapolation (whose finer stencil works at h/2 = 1.5·∛ε·max(|x|, 1), so it computes the fourth-order value),
    /// and ¼ for the first, largest step of <see cref="FiniteDifferenceScheme.Adaptive"/>.
    /// </summary>
    /// <remarks>
    /// Why not the fourth-order optimum ε^(1/5) ≈ 7.4e-4 (which balances h⁴|f⁽⁵⁾|/30 against 1.5ε|f|/h for f varying on
    /// the scale max(|x|, 1))? A relative step assumes that scale, and when f varies on a scale L far below it —
    /// sin at |x| = 1e4, log at |x| = 1e-4 — the 122× larger step fails where central differences still work (issue
    /// 14: errors ≈ 0.9, stencils leaving log's domain). With f⁽ᵏ⁾ ~ M/Lᵏ the five-point formula at step h₄ errs by
    /// h₄⁴M/(30L⁵) + 1.5εM/h₄ and the central one at h_c by h_c²M/(6L³) + εM/h_c (truncation terms: Sauer, Numerical
    /// Analysis, §5.1; round-off Σ|cⱼ|ε|f|: Numerical Recipes §5.7). At h₄ = 1.5·h_c the round-off terms are equal
    /// and the truncation term is smaller whenever h_c/L ≤ √5/1.5² ≈ 1, i.e. whenever central differences are
    /// accurate at all: fourth order is then never worse than central for any L, at the price of the optimum's
    /// accuracy for L = max(|x|, 1) (about ε^(2/3) rather than ε^(4/5) relative). <see cref="FiniteDifferenceScheme.Adaptive"/>
    /// finds L instead of assuming it. Below |x| = 1 the rule keeps max(|x|, 1), like central differences (SciPy's
    /// approx_derivative does the same): the stencil reaches 3h_c, about the central one, so it leaves a domain
    /// such as log's only where the central stencil nearly does too.
    /// </remarks>
    /// <typeparam name="T">The floating-point type.</typeparam>
    /// <param name="scheme">The scheme.</param>
    /// <returns>The factor that multiplies max(|xᵢ|, 1).</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="scheme"/> is not a defined scheme.</exception>
    public static T Factor<T>(FiniteDifferenceScheme scheme)
        where T : IFloatingPointIeee754<T>
    {
        if (!FiniteDifference.IsDefined(scheme))
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(scheme), scheme, $"{scheme} is not a defined FiniteDifferenceScheme.");
        }

        return FactorOf<T>(scheme);
    }

    /// <summary><see cref="Factor{T}"/> of a scheme already validated.</summary>
    internal static T FactorOf<T>(FiniteDifferenceScheme scheme)
        where T : IFloatingPointIeee754<T> => scheme switch
        {
            FiniteDifferenceScheme.Forward or FiniteDifferenceScheme.Backward => StepFactors<T>.SquareRoot,
            FiniteDifferenceScheme.FourthOrderCentral => StepFactors<T>.FourthOrderFactor,
            FiniteDifferenceScheme.Richardson => StepFactors<T>.RichardsonFactor,
            FiniteDifferenceScheme.Adaptive => AdaptiveStencil.InitialFactor<T>(),
            _ => StepFactors<T>.CubeRoot,
        };

    /// <summary>The relative step factor ε^(1/4) of central second differences (Hessians).</summary>
    /// <typeparam name="T">The floating-point type.</typeparam>
    /// <returns>The factor that multiplies max(|xᵢ|, 1).</returns>
    public static T SecondDerivativeFactor<T>()
        where T : IFloatingPointIeee754<T> => StepFactors<T>.FourthRoot;

    /// <summary>
    /// The default step of <paramref name="scheme"/> at <paramref name="x"/>, factor · max(|x|, 1), rounded so
    /// that x ± h are exactly representable.
    /// </summary>
    /// <typeparam name="T">The floating-point type.</typeparam>
    /// <param name="scheme">The scheme.</param>
    /// <param name="x">The coordinate value.</param>
    /// <returns>The step.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="scheme"/> is not a defined scheme.</exception>
    /// <exception cref="ArgumentException">
    /// <paramref name="x"/> is NaN or infinite, or so close to the type's largest value that the stencil x ± h (with
    /// the one-sided stencils the scheme may turn to) would not be finite.
    /// </exception>
    public static T Default<T>(FiniteDifferenceScheme scheme, T x)
        where T : IFloatingPointIeee754<T>
    {
        var factor = Factor<T>(scheme);
        if (!T.IsFinite(x))
        {
            ThrowHelper.ThrowArgument($"x is {x}; a step is defined at a finite point only.", nameof(x));
        }

        var h = Representable(x, factor * T.Max(T.Abs(x), T.One));
        FiniteDifference.ValidateStep(h, x, Stencil.Reach<T>(scheme, StencilSide.Plus), 0, userStep: false);
        return h;
    }

    /// <summary>
    /// Rounds h so that the stencil moves x by exactly h: h ← (|x| + h) − |x| (Nocedal &amp; Wright §8.1; Numerical
    /// Recipes §5.7, eq. 5.7.4). Done on |x| so the step away from zero — the one that can round — is the exact one;
    /// the step towards zero is then exact too whenever h ≤ |x|, the only case where the rounding matters.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static T Representable<T>(T x, T h)
        where T : IFloatingPointIeee754<T>
    {
        var magnitude = T.Abs(x);
        return (magnitude + h) - magnitude;
    }

    /// <summary>
    /// The step of coordinate i from the options: the per-coordinate step, else the single step, else the
    /// default factor; scaled by max(|xᵢ|, 1) when relative; rounded by <see cref="Representable{T}"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static T For<T>(T userOrFactor, bool relative, T x)
        where T : IFloatingPointIeee754<T>
    {
        // x is finite (validated), so a plain comparison replaces T.Max and its NaN and signed-zero rules.
        var magnitude = T.Abs(x);
        var scale = magnitude > T.One ? magnitude : T.One;
        return (magnitude + (relative ? userOrFactor * scale : userOrFactor)) - magnitude;
    }
}

/// <summary>Powers of machine epsilon, computed once per type (immutable, so safe to share between threads).</summary>
internal static class StepFactors<T>
    where T : IFloatingPointIeee754<T>
{
    public static readonly T Epsilon = StepSize.MachineEpsilon<T>();
    public static readonly T SquareRoot = T.Sqrt(Epsilon);
    public static readonly T CubeRoot = T.Cbrt(Epsilon);
    public static readonly T FourthRoot = T.Sqrt(T.Sqrt(Epsilon));
    public static readonly T FifthRoot = T.RootN(Epsilon, 5);

    /// <summary>1.5·∛ε: the round-off of the five-point formula equals the central one's (see <see cref="StepSize.Factor{T}"/>).</summary>
    public static readonly T FourthOrderFactor = T.CreateTruncating(1.5) * CubeRoot;

    /// <summary>3·∛ε: Richardson's finer stencil then works at 1.5·∛ε, the fourth-order step.</summary>
    public static readonly T RichardsonFactor = T.CreateTruncating(3) * CubeRoot;
    public static readonly T ThreeQuarterPower = FourthRoot * FourthRoot * FourthRoot;

    /// <summary>
    /// The smallest normal number of T, 2^e_min (2⁻¹⁰²² in double, 2⁻¹²⁶ in float, 2⁻¹⁴ in Half): the smallest
    /// subnormal <c>T.Epsilon</c> divided by the machine epsilon, both powers of two, so the quotient is exact.
    /// </summary>
    public static readonly T SmallestNormal = T.Epsilon / Epsilon;
}
