using System.Numerics;

namespace Gradients.Tests.Properties;

/// <summary>
/// The expected error of a finite-difference derivative: truncation + round-off, so every suite derives its
/// tolerances from one place instead of hard-coding them.
/// <para>
/// Sources. Truncation terms are the leading Taylor remainders of each formula: forward/backward h·|f″|/2,
/// central h²·|f‴|/6, fourth-order central k⁴·|f⁽⁵⁾|/30 (Nocedal &amp; Wright, Numerical Optimization, 2nd ed.,
/// §8.1, eqs. 8.4–8.9; Press et al., Numerical Recipes, 3rd ed., §5.7, eqs. 5.7.5–5.7.9; Sauer, Numerical
/// Analysis, §5.1, the five-point formula). Round-off is Σⱼ|cⱼ|·u·|f| for a stencil Σⱼ cⱼ f(x + jh): every value
/// f(x + jh) carries a relative error of at most u, the per-evaluation error bound (Higham, Accuracy and Stability
/// of Numerical Algorithms, 2nd ed., §3.1: a sum of n terms is accurate to γₙ ≈ n·ε/2 of Σ|terms|). The final
/// subtraction and division of the quotient add 2ε relative to the result. The stencil offsets are exact (the
/// library rounds the step so x ± h is representable and divides by the applied offsets), so no ε|x|/h term.
/// </para>
/// </summary>
public static class ErrorModel
{
    /// <summary>Machine epsilon of <typeparamref name="T"/> as a double (2⁻⁵² or 2⁻²³).</summary>
    public static double Epsilon<T>()
        where T : IFloatingPointIeee754<T> => double.CreateTruncating(T.BitIncrement(T.One) - T.One);

    /// <summary>
    /// The error bound of a first derivative by <paramref name="scheme"/> with step <paramref name="step"/>
    /// (for <see cref="FiniteDifferenceScheme.Richardson"/>, the base step h; its finer stencil works at h/2).
    /// </summary>
    /// <typeparam name="T">The type the function and the stencil are evaluated in.</typeparam>
    /// <param name="scheme">The scheme.</param>
    /// <param name="step">The step used.</param>
    /// <param name="bounds">Bounds of |f| and its derivatives over the stencil's interval.</param>
    /// <param name="evaluationUlps">How many ε the evaluation of f may be off, relative to <see cref="DerivativeBounds.Value"/>.</param>
    /// <returns>A bound of |computed − true derivative|.</returns>
    public static double FirstDerivative<T>(FiniteDifferenceScheme scheme, double step, DerivativeBounds bounds, double evaluationUlps = 1)
        where T : IFloatingPointIeee754<T>
    {
        var epsilon = Epsilon<T>();
        var u = evaluationUlps * epsilon;
        var (truncation, roundOff) = scheme switch
        {
            FiniteDifferenceScheme.Forward or FiniteDifferenceScheme.Backward =>
                (step * bounds.Second / 2, 2 * u * bounds.Value / step),
            FiniteDifferenceScheme.Central => (step * step * bounds.Third / 6, u * bounds.Value / step),
            FiniteDifferenceScheme.FourthOrderCentral => (Math.Pow(step, 4) * bounds.Fifth / 30, 1.5 * u * bounds.Value / step),
            FiniteDifferenceScheme.Richardson => (Math.Pow(step / 2, 4) * bounds.Fifth / 30, 3 * u * bounds.Value / step),
            _ => throw new ArgumentOutOfRangeException(nameof(scheme)),
        };
        return truncation + roundOff + (2 * epsilon * bounds.FirstDerivative);
    }

    /// <summary>
    /// The error bound of the one-sided stencil a scheme turns into near a bound (or after a non-finite value),
    /// with <paramref name="step"/> the step reported for the coordinate. Forward/backward: as
    /// <see cref="FirstDerivative{T}"/>. Central → three-point (−3f₀ + 4f(h) − f(2h))/2h: truncation h²|f‴|/3,
    /// round-off (3 + 4 + 1)u|f|/2h = 4u|f|/h. Fourth-order and Richardson → the three-point formula at k and 2k
    /// extrapolated: truncation k³|f⁽⁴⁾|/3, round-off (4/3·4 + 1/3·2)u|f|/k = 6u|f|/k, with k = step for
    /// fourth order and step/2 for Richardson (Taylor expansion of the three-point formula:
    /// D(k) = f′ − k²f‴/3 − k³f⁽⁴⁾/4 + …, Sauer §5.1).
    /// </summary>
    public static double OneSidedFirstDerivative<T>(FiniteDifferenceScheme scheme, double step, DerivativeBounds bounds, double evaluationUlps = 1)
        where T : IFloatingPointIeee754<T>
    {
        var epsilon = Epsilon<T>();
        var u = evaluationUlps * epsilon;
        var k = scheme == FiniteDifferenceScheme.Richardson ? step / 2 : step;
        var (truncation, roundOff) = scheme switch
        {
            FiniteDifferenceScheme.Forward or FiniteDifferenceScheme.Backward =>
                (step * bounds.Second / 2, 2 * u * bounds.Value / step),
            FiniteDifferenceScheme.Central => (step * step * bounds.Third / 3, 4 * u * bounds.Value / step),
            _ => (k * k * k * bounds.Fourth / 3, 6 * u * bounds.Value / k),
        };
        return truncation + roundOff + (2 * epsilon * bounds.FirstDerivative);
    }

    /// <summary>
    /// The error bound of the central second derivative (f(x + h) − 2f(x) + f(x − h)) / h²: truncation h²|f⁽⁴⁾|/12,
    /// round-off 4u|f|/h² (Numerical Recipes §5.7; Sauer §5.1).
    /// </summary>
    public static double SecondDerivative<T>(double step, double valueBound, double fourthDerivativeBound, double secondDerivative, double evaluationUlps = 1)
        where T : IFloatingPointIeee754<T>
    {
        var epsilon = Epsilon<T>();
        return (step * step * fourthDerivativeBound / 12) + (4 * evaluationUlps * epsilon * valueBound / (step * step)) + (4 * epsilon * Math.Abs(secondDerivative));
    }

    /// <summary>
    /// The error bound of the four-point mixed derivative
    /// (f(x + hᵢeᵢ + hⱼeⱼ) − f(x + hᵢeᵢ − hⱼeⱼ) − f(x − hᵢeᵢ + hⱼeⱼ) + f(x − hᵢeᵢ − hⱼeⱼ)) / 4hᵢhⱼ:
    /// truncation (hᵢ² + hⱼ²)·M₄/6 with M₄ bounding the fourth derivatives, round-off u|f|/(hᵢhⱼ).
    /// </summary>
    public static double MixedDerivative<T>(double stepI, double stepJ, double valueBound, double fourthDerivativeBound, double mixedDerivative, double evaluationUlps = 1)
        where T : IFloatingPointIeee754<T>
    {
        var epsilon = Epsilon<T>();
        return (((stepI * stepI) + (stepJ * stepJ)) * fourthDerivativeBound / 6) + (evaluationUlps * epsilon * valueBound / (stepI * stepJ)) + (4 * epsilon * Math.Abs(mixedDerivative));
    }
}

/// <summary>Bounds of |f| and of its derivatives over the interval a stencil touches.</summary>
/// <param name="Value">max |f|.</param>
/// <param name="FirstDerivative">|f′| at the point (for the final roundings).</param>
/// <param name="Second">max |f″|.</param>
/// <param name="Third">max |f‴|.</param>
/// <param name="Fifth">max |f⁽⁵⁾|.</param>
/// <param name="Fourth">max |f⁽⁴⁾| (only one-sided extrapolation needs it).</param>
public readonly record struct DerivativeBounds(double Value, double FirstDerivative, double Second, double Third, double Fifth, double Fourth = 0);
