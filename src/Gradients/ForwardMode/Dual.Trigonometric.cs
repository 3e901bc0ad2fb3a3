namespace Gradients;

public readonly partial struct Dual<T>
{
    /// <summary>sin x, derivative cos x.</summary>
    /// <param name="x">x (radians).</param>
    /// <returns>sin x.</returns>
    public static Dual<T> Sin(Dual<T> x)
    {
        var (sin, cos) = T.SinCos(x._value);
        return x.Chain(sin, cos);
    }

    /// <summary>cos x, derivative −sin x.</summary>
    /// <param name="x">x (radians).</param>
    /// <returns>cos x.</returns>
    public static Dual<T> Cos(Dual<T> x)
    {
        var (sin, cos) = T.SinCos(x._value);
        return x.Chain(cos, -sin);
    }

    /// <summary>tan x, derivative 1 + tan² x.</summary>
    /// <param name="x">x (radians).</param>
    /// <returns>tan x.</returns>
    public static Dual<T> Tan(Dual<T> x)
    {
        var tan = T.Tan(x._value);
        return x.Chain(tan, T.One + (tan * tan));
    }

    /// <summary>(sin x, cos x) with their derivatives.</summary>
    /// <param name="x">x (radians).</param>
    /// <returns>(sin x, cos x).</returns>
    public static (Dual<T> Sin, Dual<T> Cos) SinCos(Dual<T> x)
    {
        var (sin, cos) = T.SinCos(x._value);
        return (x.Chain(sin, cos), x.Chain(cos, -sin));
    }

    /// <summary>sin πx, derivative π cos πx.</summary>
    /// <param name="x">x (half-turns).</param>
    /// <returns>sin πx.</returns>
    public static Dual<T> SinPi(Dual<T> x)
    {
        var (sin, cos) = T.SinCosPi(x._value);
        return x.Chain(sin, T.Pi * cos);
    }

    /// <summary>cos πx, derivative −π sin πx.</summary>
    /// <param name="x">x (half-turns).</param>
    /// <returns>cos πx.</returns>
    public static Dual<T> CosPi(Dual<T> x)
    {
        var (sin, cos) = T.SinCosPi(x._value);
        return x.Chain(cos, -T.Pi * sin);
    }

    /// <summary>
    /// tan πx, derivative π/cos² πx (from <c>CosPi</c>, which is more accurate than squaring <c>TanPi</c> in float).
    /// </summary>
    /// <param name="x">x (half-turns).</param>
    /// <returns>tan πx.</returns>
    public static Dual<T> TanPi(Dual<T> x)
    {
        var cos = T.CosPi(x._value);
        return x.Chain(T.TanPi(x._value), T.Pi / (cos * cos));
    }

    /// <summary>(sin πx, cos πx) with their derivatives.</summary>
    /// <param name="x">x (half-turns).</param>
    /// <returns>(sin πx, cos πx).</returns>
    public static (Dual<T> SinPi, Dual<T> CosPi) SinCosPi(Dual<T> x)
    {
        var (sin, cos) = T.SinCosPi(x._value);
        return (x.Chain(sin, T.Pi * cos), x.Chain(cos, -T.Pi * sin));
    }

    /// <summary>asin x, derivative 1/√((1 − x)(1 + x)) (the factored form keeps it accurate near ±1, where it is ∞).</summary>
    /// <param name="x">x.</param>
    /// <returns>asin x.</returns>
    public static Dual<T> Asin(Dual<T> x) => x.ChainSingular(T.Asin(x._value), T.One / OneMinusSquareRoot(x._value));

    /// <summary>acos x, derivative −1/√((1 − x)(1 + x)).</summary>
    /// <param name="x">x.</param>
    /// <returns>acos x.</returns>
    public static Dual<T> Acos(Dual<T> x) => x.ChainSingular(T.Acos(x._value), -T.One / OneMinusSquareRoot(x._value));

    /// <summary>atan x, derivative 1/(1 + x²).</summary>
    /// <param name="x">x.</param>
    /// <returns>atan x.</returns>
    public static Dual<T> Atan(Dual<T> x) => x.Chain(T.Atan(x._value), T.One / (T.One + (x._value * x._value)));

    /// <summary>asin(x)/π, derivative 1/(π√((1 − x)(1 + x))).</summary>
    /// <param name="x">x.</param>
    /// <returns>asin(x)/π.</returns>
    public static Dual<T> AsinPi(Dual<T> x) => x.ChainSingular(T.AsinPi(x._value), T.One / (T.Pi * OneMinusSquareRoot(x._value)));

    /// <summary>acos(x)/π, derivative −1/(π√((1 − x)(1 + x))).</summary>
    /// <param name="x">x.</param>
    /// <returns>acos(x)/π.</returns>
    public static Dual<T> AcosPi(Dual<T> x) => x.ChainSingular(T.AcosPi(x._value), -T.One / (T.Pi * OneMinusSquareRoot(x._value)));

    /// <summary>atan(x)/π, derivative 1/(π(1 + x²)).</summary>
    /// <param name="x">x.</param>
    /// <returns>atan(x)/π.</returns>
    public static Dual<T> AtanPi(Dual<T> x) => x.Chain(T.AtanPi(x._value), T.One / (T.Pi * (T.One + (x._value * x._value))));

    /// <summary>
    /// The angle of (x, y): ∂/∂y = x/(x² + y²), ∂/∂x = −y/(x² + y²). At the origin the angle is not differentiable:
    /// the tangent is NaN unless both incoming tangents are 0.
    /// </summary>
    /// <param name="y">y.</param>
    /// <param name="x">x.</param>
    /// <returns>atan2(y, x).</returns>
    public static Dual<T> Atan2(Dual<T> y, Dual<T> x)
    {
        var (dy, dx) = Atan2Partials(y._value, x._value);
        return ChainSkippingConstants(T.Atan2(y._value, x._value), y, dy, x, dx);
    }

    /// <summary>atan2(y, x)/π, the partials of <see cref="Atan2"/> divided by π.</summary>
    /// <param name="y">y.</param>
    /// <param name="x">x.</param>
    /// <returns>atan2(y, x)/π.</returns>
    public static Dual<T> Atan2Pi(Dual<T> y, Dual<T> x)
    {
        var (dy, dx) = Atan2Partials(y._value, x._value);
        return ChainSkippingConstants(T.Atan2Pi(y._value, x._value), y, dy / T.Pi, x, dx / T.Pi);
    }

    /// <summary>Degrees to radians (times π/180).</summary>
    /// <param name="degrees">The angle in degrees.</param>
    /// <returns>The angle in radians.</returns>
    public static Dual<T> DegreesToRadians(Dual<T> degrees)
    {
        var factor = T.Pi / T.CreateTruncating(180);
        return new(T.DegreesToRadians(degrees._value), degrees._tangent * factor);
    }

    /// <summary>Radians to degrees (times 180/π).</summary>
    /// <param name="radians">The angle in radians.</param>
    /// <returns>The angle in degrees.</returns>
    public static Dual<T> RadiansToDegrees(Dual<T> radians)
    {
        var factor = T.CreateTruncating(180) / T.Pi;
        return new(T.RadiansToDegrees(radians._value), radians._tangent * factor);
    }

    /// <summary>√((1 − x)(1 + x)) = √(1 − x²) without the cancellation of 1 − x·x near ±1.</summary>
    private static T OneMinusSquareRoot(T x) => T.Sqrt((T.One - x) * (T.One + x));

    /// <summary>(x/r², −y/r²) with r² = x² + y² scaled by the larger magnitude so it neither overflows nor underflows.</summary>
    private static (T Dy, T Dx) Atan2Partials(T y, T x)
    {
        var scale = T.Max(T.Abs(x), T.Abs(y));
        if (T.IsZero(scale))
        {
            return (T.NaN, T.NaN);
        }

        if (T.IsInfinity(scale))
        {
            return (T.Zero, T.Zero);
        }

        var xs = x / scale;
        var ys = y / scale;
        var r2 = ((xs * xs) + (ys * ys)) * scale;
        return (xs / r2, -ys / r2);
    }
}
