namespace Gradients;

/// <summary>The difference formula used for a first derivative.</summary>
public enum FiniteDifferenceScheme
{
    /// <summary>
    /// Central difference (f(x + h) − f(x − h)) / 2h: 2 evaluations per coordinate, error O(h²).
    /// The default.
    /// </summary>
    Central = 0,

    /// <summary>Forward difference (f(x + h) − f(x)) / h: 1 evaluation per coordinate plus f(x), error O(h).</summary>
    Forward = 1,

    /// <summary>Backward difference (f(x) − f(x − h)) / h: 1 evaluation per coordinate plus f(x), error O(h).</summary>
    Backward = 2,

    /// <summary>
    /// Fourth-order central difference (−f(x + 2h) + 8f(x + h) − 8f(x − h) + f(x − 2h)) / 12h:
    /// 4 evaluations per coordinate, error O(h⁴).
    /// </summary>
    FourthOrderCentral = 3,

    /// <summary>
    /// Richardson extrapolation of central differences at h and h/2, D = (4·D(h/2) − D(h)) / 3: 4 evaluations
    /// per coordinate, error O(h⁴), and an error estimate per component built from |D(h/2) − D(h)| plus the
    /// round-off of the stencil.
    /// </summary>
    Richardson = 4,

    /// <summary>
    /// Ridders' method: central differences at a geometric sequence of steps from large to small (by default from
    /// ¼·max(|x|, 1); a user step sets the largest), extrapolated in a Neville tableau, returning the entry with the
    /// smallest error estimate (Ridders 1982; Numerical Recipes §5.7 <c>dfridr</c>; as in numdifftools). It finds the
    /// scale of f by itself, shrinks the step when a stencil point leaves f's domain (whatever
    /// <see cref="FiniteDifferenceOptions{T}.NonFiniteValues"/> says) and turns one-sided near a bound. Typically
    /// 10–16 evaluations per coordinate, up to 80 when f varies on a scale far from max(|x|, 1) (twice that when no
    /// central step works and both one-sided tableaus are tried); accurate to about
    /// ε^(8/9) relative, with an error estimate of the value returned (large when the tableau did not converge).
    /// Gradient, derivative, directional derivative and Jacobian (per column one tableau per output on a shared step
    /// sequence, an estimate per entry); not the Hessian, whose per-entry tableaus would cost about 16n² evaluations —
    /// take the Jacobian of an analytic gradient instead.
    /// </summary>
    Adaptive = 5,
}
