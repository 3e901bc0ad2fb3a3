using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Gradients;

/// <summary>
/// The mean squared error's per-row part: ℓ = r², r = η − y. The "derivative" it hands the pass is r (half of
/// ∂ℓ/∂η = 2r): <see cref="MeanSquaredError"/> applies the 2 when it scales the sums, as it always has.
/// </summary>
internal readonly struct SquaredResidual : IPointwiseLoss
{
    public static bool ChecksLabels => false;

    public static string LabelRule => "any value is a valid target.";

    public static bool PrefersWideVectors => false;

    public static bool PrefersVectors => false;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double Add(double eta, double y, double sum, out double derivative)
    {
        var r = eta - y;
        derivative = r;
        return sum + (r * r);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<double> Add(Vector256<double> eta, Vector256<double> y, Vector256<double> sum, out Vector256<double> derivative)
    {
        var r = eta - y;
        derivative = r;
        return Vector256.FusedMultiplyAdd(r, r, sum);
    }

    /// <summary>Two four-row calls (this loss has no eight-lane form of its own; <see cref="PrefersWideVectors"/> is false).</summary>
    public Vector512<double> Value(Vector512<double> eta, Vector512<double> y, out Vector512<double> derivative)
    {
        var lower = Add(eta.GetLower(), y.GetLower(), Vector256<double>.Zero, out var lowerDerivative);
        var upper = Add(eta.GetUpper(), y.GetUpper(), Vector256<double>.Zero, out var upperDerivative);
        derivative = Vector512.Create(lowerDerivative, upperDerivative);
        return Vector512.Create(lower, upper);
    }

    public bool IsInvalid(double y) => false;

    public Vector256<double> Invalid(Vector256<double> y) => Vector256<double>.Zero;

    public double SecondDerivative(double eta, double y) => 1.0;
}
