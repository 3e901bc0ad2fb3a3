namespace Gradients;

public readonly partial struct Dual<T>
{
    /// <summary>
    /// xʸ: ∂/∂x = y·x^(y−1), ∂/∂y = xʸ·ln x. At x = 0 the x-partial is y·0^(y−1) with 0 for y = 0, and the y-partial
    /// is 0 (the limit of xʸ ln x for y &gt; 0). For x &lt; 0 the y-partial (NaN) is used only when y carries a tangent,
    /// so <c>Pow(x, 3)</c> with a constant exponent is differentiable at negative x.
    /// </summary>
    /// <param name="x">x.</param>
    /// <param name="y">y.</param>
    /// <returns>xʸ.</returns>
    public static Dual<T> Pow(Dual<T> x, Dual<T> y)
    {
        var value = T.Pow(x._value, y._value);
        var dx = T.IsZero(y._value) ? T.Zero : y._value * T.Pow(x._value, y._value - T.One);
        var dy = T.IsZero(x._value) ? T.Zero : value * T.Log(x._value);
        return ChainSkippingConstants(value, x, dx, y, dy);
    }

    /// <summary>√x, derivative 1/(2√x) (+∞ at 0: see the remarks on <see cref="Dual{T}"/>).</summary>
    /// <param name="x">x.</param>
    /// <returns>√x.</returns>
    public static Dual<T> Sqrt(Dual<T> x)
    {
        var root = T.Sqrt(x._value);
        return x.ChainSingular(root, T.One / (root + root));
    }

    /// <summary>∛x, derivative 1/(3∛x²) (+∞ at 0).</summary>
    /// <param name="x">x.</param>
    /// <returns>∛x.</returns>
    public static Dual<T> Cbrt(Dual<T> x)
    {
        var root = T.Cbrt(x._value);
        return x.ChainSingular(root, T.One / (T.CreateTruncating(3) * root * root));
    }

    /// <summary>The n-th root x^(1/n), derivative x^(1/n)/(n·x) (±∞ at 0).</summary>
    /// <param name="x">x.</param>
    /// <param name="n">n.</param>
    /// <returns>x^(1/n).</returns>
    public static Dual<T> RootN(Dual<T> x, int n)
    {
        var root = T.RootN(x._value, n);
        return x.ChainSingular(root, root / (T.CreateTruncating(n) * x._value));
    }

    /// <summary>
    /// √(x² + y²) without overflow: ∂/∂x = x/h, ∂/∂y = y/h; at the origin (a cone's tip) both are 0, the subgradient
    /// of least magnitude, as for <see cref="Abs"/>(0).
    /// </summary>
    /// <param name="x">x.</param>
    /// <param name="y">y.</param>
    /// <returns>√(x² + y²).</returns>
    public static Dual<T> Hypot(Dual<T> x, Dual<T> y)
    {
        var h = T.Hypot(x._value, y._value);
        return T.IsZero(h) ? new(h) : Chain(h, x, x._value / h, y, y._value / h);
    }
}
