using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Gradients;

/// <summary>
/// The logistic loss per row: ℓ = log(1 + e^η) − y·η for y ∈ {0, 1}, ∂ℓ/∂η = σ(η) − y, ∂²ℓ/∂η² = σ(η)(1 − σ(η)).
/// </summary>
/// <remarks>
/// One exponential t = e^−|η| serves everything, so nothing overflows for any finite η:
/// log(1 + e^η) = max(η, 0) + log1p(t), and σ(η) − y = ((1 − y) − y·t)/(1 + t) for η ≥ 0,
/// ((1 − y)·t − y)/(1 + t) for η &lt; 0 (scikit-learn's <c>HalfBinomialLoss</c> computes the gradient in the same
/// two-branch form, so σ(η) − 1 keeps its relative accuracy where σ(η) rounds to 1). The term max(η, 0) − y·η is
/// formed as (1 − y)·η or −y·η so that a well-classified row (y = 1, η = 30) is not 30 + 1e−13 − 30.
/// e^−|η| and log1p(t) come from <see cref="VectorMath"/> (FMA polynomials, a few ulps; t enters log1p exactly, so a
/// well-classified row's tiny loss keeps its relative accuracy).
/// </remarks>
internal readonly struct BinomialLogLikelihood : IPointwiseLoss
{
    public static bool ChecksLabels => true;

    public static string LabelRule => "the logistic loss needs labels 0 or 1.";

    public static bool PrefersVectors => true;

    public static bool UsesTranscendentalFunctions => true;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double Add(double eta, double y, double sum, out double derivative)
    {
        var t = VectorMath.ExpOfNonPositive(-Math.Abs(eta));
        var u = 1.0 + t;
        var log1p = VectorMath.Log1pOfUnit(t);
        var notY = 1.0 - y;
        if (eta >= 0.0)
        {
            derivative = (notY - (y * t)) / u;
            return sum + (log1p + (notY * eta));
        }

        derivative = ((notY * t) - y) / u;
        return sum + (log1p - (y * eta));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<double> Add(Vector256<double> eta, Vector256<double> y, Vector256<double> sum, out Vector256<double> derivative)
    {
        var one = Vector256<double>.One;
        var t = VectorMath.ExpOfNonPositive(-Vector256.Abs(eta));
        var u = one + t;
        var log1p = VectorMath.Log1pOfUnit(t);
        var notY = one - y;
        var positive = Vector256.GreaterThanOrEqual(eta, Vector256<double>.Zero);
        var a = Vector256.ConditionalSelect(positive, one, t);
        var b = Vector256.ConditionalSelect(positive, t, one);
        derivative = ((notY * a) - (y * b)) / u;
        var linear = Vector256.ConditionalSelect(positive, notY, -y) * eta;
        return sum + (log1p + linear);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector128<double> Add(Vector128<double> eta, Vector128<double> y, Vector128<double> sum, out Vector128<double> derivative)
    {
        var one = Vector128<double>.One;
        var t = VectorMath.ExpOfNonPositive(-Vector128.Abs(eta));
        var u = one + t;
        var log1p = VectorMath.Log1pOfUnit(t);
        var notY = one - y;
        var positive = Vector128.GreaterThanOrEqual(eta, Vector128<double>.Zero);
        var a = Vector128.ConditionalSelect(positive, one, t);
        var b = Vector128.ConditionalSelect(positive, t, one);
        derivative = ((notY * a) - (y * b)) / u;
        var linear = Vector128.ConditionalSelect(positive, notY, -y) * eta;
        return sum + (log1p + linear);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool IsInvalid(double y) => y != 0.0 && y != 1.0;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<double> Invalid(Vector256<double> y) =>
        ~(Vector256.Equals(y, Vector256<double>.Zero) | Vector256.Equals(y, Vector256<double>.One));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector128<double> Invalid(Vector128<double> y) =>
        ~(Vector128.Equals(y, Vector128<double>.Zero) | Vector128.Equals(y, Vector128<double>.One));

    public double SecondDerivative(double eta, double y)
    {
        var t = Math.Exp(-Math.Abs(eta));
        var u = 1.0 + t;
        return t / (u * u);
    }
}
