using System.Runtime.Intrinsics;

namespace Gradients;

/// <summary>
/// The per-row part ℓ(η, y) of a linear model's loss, η = x·w + b: its value and first derivative ∂ℓ/∂η, for one
/// row or four rows in a vector, and its second derivative for Hessian products. The fused pass takes it as a
/// struct type parameter (the operator-struct pattern of <c>TensorPrimitives</c>), so every loss shares one set of
/// kernels and the JIT inlines the few operations of each.
/// </summary>
/// <remarks>
/// The kernels accumulate the values and the derivatives in double whatever the element type. "Add" members
/// return <c>sum + ℓ</c>, so a loss may fuse the addition (the squared residual is one FMA).
/// </remarks>
internal interface IPointwiseLoss
{
    /// <summary>Whether some labels are invalid (and the pass must look for them).</summary>
    static abstract bool ChecksLabels { get; }

    /// <summary>What a valid label is, for the message of the exception that rejects one.</summary>
    static abstract string LabelRule { get; }

    /// <summary>
    /// Whether the wide kernels should gather four rows' η into a vector before calling the loss: true for losses
    /// with transcendental functions, whose vector forms cost about what one scalar call does, and for losses whose
    /// scalar form branches on the data (the vector form selects without a branch, so no misprediction flushes the
    /// loads in flight).
    /// </summary>
    static abstract bool PrefersVectors { get; }

    /// <summary>
    /// Whether ℓ needs transcendental functions (e^x, log): a row costs tens of cycles more than its FMAs, which decides
    /// where the kernels give prefetch hints (<see cref="FusedPass"/>).
    /// </summary>
    static abstract bool UsesTranscendentalFunctions { get; }

    /// <summary><paramref name="sum"/> + ℓ(η, y); the derivative ∂ℓ/∂η in <paramref name="derivative"/>.</summary>
    double Add(double eta, double y, double sum, out double derivative);

    /// <summary>Four rows of <see cref="Add(double, double, double, out double)"/>, lane by lane.</summary>
    Vector256<double> Add(Vector256<double> eta, Vector256<double> y, Vector256<double> sum, out Vector256<double> derivative);

    /// <summary>
    /// Two rows of <see cref="Add(double, double, double, out double)"/>, lane by lane: the 128-bit kernel's form (no
    /// AVX2, and Arm64), the same operations as the four-row form lane for lane.
    /// </summary>
    Vector128<double> Add(Vector128<double> eta, Vector128<double> y, Vector128<double> sum, out Vector128<double> derivative);

    /// <summary>Whether <paramref name="y"/> is not a valid label (NaN included, where labels are checked).</summary>
    bool IsInvalid(double y);

    /// <summary>All-ones lanes where <paramref name="y"/> is not a valid label.</summary>
    Vector256<double> Invalid(Vector256<double> y);

    /// <summary>All-ones lanes where <paramref name="y"/> is not a valid label (two rows).</summary>
    Vector128<double> Invalid(Vector128<double> y);

    /// <summary>∂²ℓ/∂η² at (η, y).</summary>
    double SecondDerivative(double eta, double y);
}

/// <summary>Whether the rows carry sample weights (a JIT-time constant, so the unweighted kernels carry no trace of them).</summary>
internal interface IRowWeighting
{
    /// <summary>True when each row's value and derivative are multiplied by its sample weight.</summary>
    static abstract bool IsWeighted { get; }
}

/// <summary>Every row counts once.</summary>
internal readonly struct Unweighted : IRowWeighting
{
    public static bool IsWeighted => false;
}

/// <summary>Row i counts sᵢ times.</summary>
internal readonly struct Weighted : IRowWeighting
{
    public static bool IsWeighted => true;
}
