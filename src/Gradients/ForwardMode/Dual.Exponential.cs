namespace Gradients;

public readonly partial struct Dual<T>
{
    private static T Ln2 => T.CreateTruncating(0.693147180559945309417232121458176568);

    private static T Ln10 => T.CreateTruncating(2.30258509299404568401799145468436421);

    /// <summary>eˣ, derivative eˣ.</summary>
    /// <param name="x">x.</param>
    /// <returns>eˣ.</returns>
    public static Dual<T> Exp(Dual<T> x)
    {
        var e = T.Exp(x._value);
        return x.Chain(e, e);
    }

    /// <summary>2ˣ, derivative 2ˣ·ln 2.</summary>
    /// <param name="x">x.</param>
    /// <returns>2ˣ.</returns>
    public static Dual<T> Exp2(Dual<T> x)
    {
        var e = T.Exp2(x._value);
        return x.Chain(e, e * Ln2);
    }

    /// <summary>10ˣ, derivative 10ˣ·ln 10.</summary>
    /// <param name="x">x.</param>
    /// <returns>10ˣ.</returns>
    public static Dual<T> Exp10(Dual<T> x)
    {
        var e = T.Exp10(x._value);
        return x.Chain(e, e * Ln10);
    }

    /// <summary>eˣ − 1 (accurate near 0), derivative eˣ.</summary>
    /// <param name="x">x.</param>
    /// <returns>eˣ − 1.</returns>
    public static Dual<T> ExpM1(Dual<T> x) => x.Chain(T.ExpM1(x._value), T.Exp(x._value));

    /// <summary>2ˣ − 1, derivative 2ˣ·ln 2.</summary>
    /// <param name="x">x.</param>
    /// <returns>2ˣ − 1.</returns>
    public static Dual<T> Exp2M1(Dual<T> x) => x.Chain(T.Exp2M1(x._value), T.Exp2(x._value) * Ln2);

    /// <summary>10ˣ − 1, derivative 10ˣ·ln 10.</summary>
    /// <param name="x">x.</param>
    /// <returns>10ˣ − 1.</returns>
    public static Dual<T> Exp10M1(Dual<T> x) => x.Chain(T.Exp10M1(x._value), T.Exp10(x._value) * Ln10);

    /// <summary>ln x, derivative 1/x (±∞ at 0: see the remarks on <see cref="Dual{T}"/>).</summary>
    /// <param name="x">x.</param>
    /// <returns>ln x.</returns>
    public static Dual<T> Log(Dual<T> x) => x.ChainSingular(T.Log(x._value), T.One / x._value);

    /// <summary>log_b x = ln x / ln b: ∂/∂x = 1/(x ln b), ∂/∂b = −ln x/(b (ln b)²).</summary>
    /// <param name="x">x.</param>
    /// <param name="newBase">b.</param>
    /// <returns>log_b x.</returns>
    public static Dual<T> Log(Dual<T> x, Dual<T> newBase)
    {
        var lnBase = T.Log(newBase._value);
        var value = T.Log(x._value, newBase._value);
        return ChainSkippingConstants(value, x, T.One / (x._value * lnBase), newBase, -value / (newBase._value * lnBase));
    }

    /// <summary>log₂ x, derivative 1/(x ln 2).</summary>
    /// <param name="x">x.</param>
    /// <returns>log₂ x.</returns>
    public static Dual<T> Log2(Dual<T> x) => x.ChainSingular(T.Log2(x._value), T.One / (x._value * Ln2));

    /// <summary>log₁₀ x, derivative 1/(x ln 10).</summary>
    /// <param name="x">x.</param>
    /// <returns>log₁₀ x.</returns>
    public static Dual<T> Log10(Dual<T> x) => x.ChainSingular(T.Log10(x._value), T.One / (x._value * Ln10));

    /// <summary>ln(1 + x) (accurate near 0), derivative 1/(1 + x).</summary>
    /// <param name="x">x.</param>
    /// <returns>ln(1 + x).</returns>
    public static Dual<T> LogP1(Dual<T> x) => x.ChainSingular(T.LogP1(x._value), T.One / (T.One + x._value));

    /// <summary>log₂(1 + x), derivative 1/((1 + x) ln 2).</summary>
    /// <param name="x">x.</param>
    /// <returns>log₂(1 + x).</returns>
    public static Dual<T> Log2P1(Dual<T> x) => x.ChainSingular(T.Log2P1(x._value), T.One / ((T.One + x._value) * Ln2));

    /// <summary>log₁₀(1 + x), derivative 1/((1 + x) ln 10).</summary>
    /// <param name="x">x.</param>
    /// <returns>log₁₀(1 + x).</returns>
    public static Dual<T> Log10P1(Dual<T> x) => x.ChainSingular(T.Log10P1(x._value), T.One / ((T.One + x._value) * Ln10));
}
