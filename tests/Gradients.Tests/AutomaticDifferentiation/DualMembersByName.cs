using System.Numerics;

namespace Gradients.Tests.AutomaticDifferentiation;

/// <summary>
/// The generic members by name, for <see cref="Dual{T}"/> and <see cref="DualChunk{T}"/> alike: the accuracy tests
/// (float against a double reference) and the reference tests (double against mpmath) apply the same table.
/// </summary>
internal static class DualMembersByName
{
    /// <summary>The one-argument member <paramref name="name"/> at <paramref name="x"/>.</summary>
    public static TDual ApplyUnary<TDual>(string name, TDual x)
        where TDual : IFloatingPointIeee754<TDual> => name switch
        {
            "Exp" => TDual.Exp(x),
            "Exp2" => TDual.Exp2(x),
            "Exp10" => TDual.Exp10(x),
            "ExpM1" => TDual.ExpM1(x),
            "Exp2M1" => TDual.Exp2M1(x),
            "Exp10M1" => TDual.Exp10M1(x),
            "Log" => TDual.Log(x),
            "Log2" => TDual.Log2(x),
            "Log10" => TDual.Log10(x),
            "LogP1" => TDual.LogP1(x),
            "Log2P1" => TDual.Log2P1(x),
            "Log10P1" => TDual.Log10P1(x),
            "Sqrt" => TDual.Sqrt(x),
            "Cbrt" => TDual.Cbrt(x),
            "RootN5" => TDual.RootN(x, 5),
            "Sin" => TDual.Sin(x),
            "Cos" => TDual.Cos(x),
            "Tan" => TDual.Tan(x),
            "SinPi" => TDual.SinPi(x),
            "CosPi" => TDual.CosPi(x),
            "TanPi" => TDual.TanPi(x),
            "Asin" => TDual.Asin(x),
            "Acos" => TDual.Acos(x),
            "Atan" => TDual.Atan(x),
            "AsinPi" => TDual.AsinPi(x),
            "AcosPi" => TDual.AcosPi(x),
            "AtanPi" => TDual.AtanPi(x),
            "Sinh" => TDual.Sinh(x),
            "Cosh" => TDual.Cosh(x),
            "Tanh" => TDual.Tanh(x),
            "Asinh" => TDual.Asinh(x),
            "Acosh" => TDual.Acosh(x),
            "Atanh" => TDual.Atanh(x),
            "Abs" => TDual.Abs(x),
            "BitIncrement" => TDual.BitIncrement(x),
            "BitDecrement" => TDual.BitDecrement(x),
            "DegreesToRadians" => TDual.DegreesToRadians(x),
            "RadiansToDegrees" => TDual.RadiansToDegrees(x),
            "ReciprocalEstimate" => TDual.ReciprocalEstimate(x),
            "ReciprocalSqrtEstimate" => TDual.ReciprocalSqrtEstimate(x),
            "ScaleB3" => TDual.ScaleB(x, 3),
            "Square" => x * x,
            "Reciprocal" => TDual.One / x,
            _ => throw new ArgumentOutOfRangeException(nameof(name), name, "not a member these tests apply by name"),
        };

    /// <summary>The two-argument member <paramref name="name"/> at (<paramref name="a"/>, <paramref name="b"/>).</summary>
    public static TDual ApplyBinary<TDual>(string name, TDual a, TDual b)
        where TDual : IFloatingPointIeee754<TDual> => name switch
        {
            "Pow" => TDual.Pow(a, b),
            "Atan2" => TDual.Atan2(a, b),
            "Atan2Pi" => TDual.Atan2Pi(a, b),
            "Hypot" => TDual.Hypot(a, b),
            "LogBase" => TDual.Log(a, b),
            "Multiply" => a * b,
            "Divide" => a / b,
            "FusedMultiplyAdd" => TDual.FusedMultiplyAdd(a, b, TDual.CreateTruncating(0.5)),
            "Lerp" => TDual.Lerp(a, TDual.CreateTruncating(10), b),
            "CopySign" => TDual.CopySign(a, b),
            _ => throw new ArgumentOutOfRangeException(nameof(name), name, "not in the reference table"),
        };
}
