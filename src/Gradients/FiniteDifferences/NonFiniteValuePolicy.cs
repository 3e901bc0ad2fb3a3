namespace Gradients;

/// <summary>What a finite-difference routine does when f returns NaN or ±∞ at a stencil point.</summary>
public enum NonFiniteValuePolicy
{
    /// <summary>
    /// Throw a <see cref="NotFiniteNumberException"/> that names the coordinate and the point. The default:
    /// a finite function never yields a silent NaN derivative.
    /// </summary>
    Throw = 0,

    /// <summary>
    /// Retry the coordinate with a one-sided stencil on the other side of x (which needs a finite f(x));
    /// throw only when no stencil gives finite values.
    /// </summary>
    FallBackToOneSided = 1,
}
