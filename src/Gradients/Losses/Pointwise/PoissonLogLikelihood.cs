using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Gradients;

/// <summary>
/// The Poisson loss with log link per row: ℓ = e^η − y·η for y ≥ 0 (half the Poisson deviance
/// y·log(y/μ) − y + μ, μ = e^η, less its η-free part y·log y − y; scikit-learn's <c>HalfPoissonLoss</c>),
/// ∂ℓ/∂η = e^η − y, ∂²ℓ/∂η² = e^η.
/// </summary>
internal readonly struct PoissonLogLikelihood : IPointwiseLoss
{
    public static bool ChecksLabels => true;

    public static string LabelRule => "the Poisson loss needs finite targets ≥ 0.";

    public static bool PrefersVectors => true;

    public static bool UsesTranscendentalFunctions => true;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double Add(double eta, double y, double sum, out double derivative)
    {
        var mu = VectorMath.Exp(eta);
        derivative = mu - y;
        return sum + (mu - (y * eta));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<double> Add(Vector256<double> eta, Vector256<double> y, Vector256<double> sum, out Vector256<double> derivative)
    {
        var mu = VectorMath.Exp(eta);
        derivative = mu - y;
        return sum + (mu - (y * eta));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector128<double> Add(Vector128<double> eta, Vector128<double> y, Vector128<double> sum, out Vector128<double> derivative)
    {
        var mu = VectorMath.Exp(eta);
        derivative = mu - y;
        return sum + (mu - (y * eta));
    }

    /// <summary>A count must be finite and zero or positive (NaN is invalid).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool IsInvalid(double y) => !(y >= 0.0 && y < double.PositiveInfinity);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<double> Invalid(Vector256<double> y) =>
        ~(Vector256.GreaterThanOrEqual(y, Vector256<double>.Zero) & Vector256.LessThan(y, Vector256.Create(double.PositiveInfinity)));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector128<double> Invalid(Vector128<double> y) =>
        ~(Vector128.GreaterThanOrEqual(y, Vector128<double>.Zero) & Vector128.LessThan(y, Vector128.Create(double.PositiveInfinity)));

    public double SecondDerivative(double eta, double y) => Math.Exp(eta);
}
