using System.Runtime.CompilerServices;

namespace Gradients;

/// <summary>
/// Options of the linear-model losses (<see cref="LogisticLoss"/>, <see cref="PoissonLoss"/>,
/// and the softmax cross-entropy): an L2 (ridge) penalty, multi-threading and the arithmetic on float data.
/// The default value means no penalty, one thread, accurate float arithmetic.
/// </summary>
public readonly record struct LinearModelLossOptions
{
    private readonly int _maxDegreeOfParallelism;

    /// <summary>
    /// The ridge coefficient λ ≥ 0, finite: the loss gains λ‖w‖² and the gradient 2λw, as in
    /// <see cref="MeanSquaredErrorOptions.L2Penalty"/> (scikit-learn writes ½α‖w‖²: λ = α/2). The intercept is not penalized.
    /// </summary>
    public double L2Penalty { get; init; }

    /// <summary>
    /// The most threads one call may use: 1 (the default) computes on the calling thread; −1 means
    /// <see cref="Environment.ProcessorCount"/>. Data smaller than two row chunks always runs on one thread.
    /// The result is bit-identical for every value.
    /// </summary>
    public int MaxDegreeOfParallelism
    {
        get => _maxDegreeOfParallelism == 0 ? 1 : _maxDegreeOfParallelism;
        init => _maxDegreeOfParallelism = value;
    }

    /// <summary>
    /// The arithmetic on float data (see <see cref="MeanSquaredErrorOptions.FloatArithmetic"/>): the logistic and Poisson
    /// losses use it; the softmax cross-entropy computes in double whatever its value. Ignored for double data.
    /// </summary>
    public FloatArithmetic FloatArithmetic { get; init; }

    /// <summary>The thread count this option resolves to.</summary>
    internal int Threads => MaxDegreeOfParallelism == -1 ? Environment.ProcessorCount : MaxDegreeOfParallelism;

    /// <summary>Throws when a value is out of range (the rules and messages of <see cref="MeanSquaredErrorOptions"/>; the test inlines).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void Validate(string paramName) =>
        new MeanSquaredErrorOptions { L2Penalty = L2Penalty, MaxDegreeOfParallelism = MaxDegreeOfParallelism, FloatArithmetic = FloatArithmetic }.Validate(paramName);
}

/// <summary>
/// Options of the <see cref="HuberLoss"/>: the threshold δ, an L2 (ridge) penalty and multi-threading.
/// The default value means δ = 1, no penalty, one thread, accurate float arithmetic.
/// </summary>
public readonly record struct HuberLossOptions
{
    private readonly double _delta;

    /// <summary>The threshold δ &gt; 0, finite and not subnormal (at least 2⁻¹⁰²²), where the loss turns from quadratic to linear (default 1).</summary>
    public double Delta
    {
        get => _delta == 0.0 ? 1.0 : _delta;
        init => _delta = value == 0.0 ? double.NaN : value;
    }

    /// <summary>The ridge coefficient λ ≥ 0, finite: the loss gains λ‖w‖² and the gradient 2λw.</summary>
    public double L2Penalty { get; init; }

    /// <summary>The most threads one call may use (see <see cref="LinearModelLossOptions.MaxDegreeOfParallelism"/>).</summary>
    public int MaxDegreeOfParallelism { get; init; }

    /// <summary>The arithmetic on float data (see <see cref="MeanSquaredErrorOptions.FloatArithmetic"/>). Ignored for double data.</summary>
    public FloatArithmetic FloatArithmetic { get; init; }

    /// <summary>Whether δ is a finite normal positive number (the rule of <see cref="Delta"/>, also for a state's bytes).</summary>
    internal static bool IsValidDelta(double delta) => delta >= LinearModelLoss.SmallestSampleWeight && delta <= double.MaxValue;

    /// <summary>The penalty and threading as the shared options.</summary>
    internal LinearModelLossOptions Common => new() { L2Penalty = L2Penalty, MaxDegreeOfParallelism = MaxDegreeOfParallelism, FloatArithmetic = FloatArithmetic };

    /// <summary>Throws when a value is out of range (the test inlines, the messages stay out of line).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void Validate(string paramName)
    {
        if (!IsValidDelta(Delta))
        {
            ThrowInvalidDelta(paramName, _delta);
        }

        Common.Validate(paramName);
    }

    /// <summary>The throw of <see cref="Validate(string)"/> for δ (static: see <see cref="MeanSquaredErrorOptions"/>'s).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowInvalidDelta(string paramName, double delta)
    {
        // An explicit δ = 0 is stored as NaN so that it is rejected here rather than read as the default. A subnormal
        // δ (5·10⁻³²⁴) is rejected too: the clipped derivatives ±δ times x kept a bit or none (a gradient of
        // (5·10⁻³²⁴, 5·10⁻³²⁴) whatever the data).
        ThrowHelper.ThrowArgumentOutOfRange(
            paramName, delta,
            $"options.{nameof(Delta)} must be finite and positive, and not subnormal (at least 2⁻¹⁰²² = {LinearModelLoss.SmallestSampleWeight}); it is {(double.IsNaN(delta) ? "0 or NaN" : delta)}.");
    }
}
