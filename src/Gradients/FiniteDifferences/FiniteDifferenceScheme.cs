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
}
