namespace Gradients;

public readonly partial struct Dual<T>
{
    /// <summary>sinh x, derivative cosh x.</summary>
    /// <param name="x">x.</param>
    /// <returns>sinh x.</returns>
    public static Dual<T> Sinh(Dual<T> x) => x.Chain(T.Sinh(x._value), T.Cosh(x._value));

    /// <summary>cosh x, derivative sinh x.</summary>
    /// <param name="x">x.</param>
    /// <returns>cosh x.</returns>
    public static Dual<T> Cosh(Dual<T> x) => x.Chain(T.Cosh(x._value), T.Sinh(x._value));

    /// <summary>tanh x, derivative 1 − tanh² x, computed as (1 − tanh)(1 + tanh) to keep it accurate where tanh → ±1.</summary>
    /// <param name="x">x.</param>
    /// <returns>tanh x.</returns>
    public static Dual<T> Tanh(Dual<T> x)
    {
        var tanh = T.Tanh(x._value);
        var derivative = T.Abs(tanh) < T.CreateTruncating(0.5)
            ? T.One - (tanh * tanh)
            : OneOverCoshSquared(x._value);
        return x.Chain(tanh, derivative);
    }

    /// <summary>asinh x, derivative 1/√(x² + 1) = 1/hypot(x, 1) (no overflow for large x).</summary>
    /// <param name="x">x.</param>
    /// <returns>asinh x.</returns>
    public static Dual<T> Asinh(Dual<T> x) => x.Chain(T.Asinh(x._value), T.One / T.Hypot(x._value, T.One));

    /// <summary>acosh x, derivative 1/√((x − 1)(x + 1)) (+∞ at 1).</summary>
    /// <param name="x">x ≥ 1.</param>
    /// <returns>acosh x.</returns>
    public static Dual<T> Acosh(Dual<T> x)
    {
        var v = x._value;

        // √(x − 1)·√(x + 1) instead of √((x − 1)(x + 1)): the product overflows for x beyond √max.
        return x.ChainSingular(T.Acosh(v), T.One / (T.Sqrt(v - T.One) * T.Sqrt(v + T.One)));
    }

    /// <summary>atanh x, derivative 1/((1 − x)(1 + x)) (±∞ at ±1).</summary>
    /// <param name="x">x.</param>
    /// <returns>atanh x.</returns>
    public static Dual<T> Atanh(Dual<T> x) =>
        x.ChainSingular(T.Atanh(x._value), T.One / ((T.One - x._value) * (T.One + x._value)));

    /// <summary>1/cosh² x = 4/(eˣ + e⁻ˣ)², from e^−2|x| so large |x| underflows to 0 instead of overflowing.</summary>
    private static T OneOverCoshSquared(T x)
    {
        var e = T.Exp(-(T.Abs(x) + T.Abs(x)));
        var denominator = T.One + e;
        var four = T.CreateTruncating(4);
        return four * e / (denominator * denominator);
    }
}
