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

    public static bool PrefersVectors => false;

    public static bool UsesTranscendentalFunctions => false;

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

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector128<double> Add(Vector128<double> eta, Vector128<double> y, Vector128<double> sum, out Vector128<double> derivative)
    {
        var r = eta - y;
        derivative = r;
        return sum + (r * r);
    }

    public bool IsInvalid(double y) => false;

    public Vector256<double> Invalid(Vector256<double> y) => Vector256<double>.Zero;

    public Vector128<double> Invalid(Vector128<double> y) => Vector128<double>.Zero;

    public double SecondDerivative(double eta, double y) => 1.0;
}
