using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Gradients;

/// <summary>
/// The Huber loss per row (Huber, "Robust estimation of a location parameter", 1964): r = η − y,
/// ℓ = ½r² for |r| ≤ δ and δ(|r| − ½δ) beyond; ∂ℓ/∂η = r clipped to [−δ, δ]; ∂²ℓ/∂η² = 1 inside, 0 beyond.
/// </summary>
/// <param name="delta">δ &gt; 0, finite.</param>
internal readonly struct HuberResidual(double delta) : IPointwiseLoss
{
    private readonly double _delta = delta;

    public static bool ChecksLabels => false;

    public static string LabelRule => "any value is a valid target.";

    public static bool PrefersVectors => true;

    public static bool UsesTranscendentalFunctions => false;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double Add(double eta, double y, double sum, out double derivative)
    {
        var r = eta - y;
        var a = Math.Abs(r);
        if (a > _delta)
        {
            derivative = Math.CopySign(_delta, r);
            return sum + (_delta * (a - (0.5 * _delta)));
        }

        // NaN lands here: a NaN residual stays NaN in the derivative too.
        derivative = r;
        return sum + (0.5 * r * r);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<double> Add(Vector256<double> eta, Vector256<double> y, Vector256<double> sum, out Vector256<double> derivative)
    {
        var r = eta - y;
        var a = Vector256.Abs(r);
        var delta = Vector256.Create(_delta);
        var outside = Vector256.GreaterThan(a, delta);
        derivative = Vector256.ConditionalSelect(outside, Vector256.CopySign(delta, r), r);
        var half = Vector256.Create(0.5);
        var value = Vector256.ConditionalSelect(outside, delta * (a - (half * delta)), half * r * r);
        return sum + value;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector128<double> Add(Vector128<double> eta, Vector128<double> y, Vector128<double> sum, out Vector128<double> derivative)
    {
        var r = eta - y;
        var a = Vector128.Abs(r);
        var delta = Vector128.Create(_delta);
        var outside = Vector128.GreaterThan(a, delta);
        derivative = Vector128.ConditionalSelect(outside, Vector128.CopySign(delta, r), r);
        var half = Vector128.Create(0.5);
        var value = Vector128.ConditionalSelect(outside, delta * (a - (half * delta)), half * r * r);
        return sum + value;
    }

    public bool IsInvalid(double y) => false;

    public Vector256<double> Invalid(Vector256<double> y) => Vector256<double>.Zero;

    public Vector128<double> Invalid(Vector128<double> y) => Vector128<double>.Zero;

    public double SecondDerivative(double eta, double y) => Math.Abs(eta - y) > _delta ? 0.0 : 1.0;
}
