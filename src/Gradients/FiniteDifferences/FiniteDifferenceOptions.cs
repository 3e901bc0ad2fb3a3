using System.Numerics;

namespace Gradients;

/// <summary>
/// Settings of a finite-difference computation. <see langword="default"/> means central differences with the
/// default step, no bounds, an exception on non-finite values and serial evaluation. The value is immutable and
/// can be shared between threads; per-coordinate data is held as <see cref="ReadOnlyMemory{T}"/> so an options
/// value can be stored and reused without copying.
/// </summary>
/// <typeparam name="T">The floating-point type of the point.</typeparam>
public readonly struct FiniteDifferenceOptions<T>
    where T : IFloatingPointIeee754<T>
{
    private readonly T _step;
    private readonly T _functionValue;

    /// <summary>The difference formula. Defaults to <see cref="FiniteDifferenceScheme.Central"/>.</summary>
    public FiniteDifferenceScheme Scheme { get; init; }

    /// <summary>
    /// One step for every coordinate, interpreted according to <see cref="StepKind"/>. When not set, the default
    /// of <see cref="StepSize"/> for the scheme is used. Setting it to zero, a negative or a non-finite value makes
    /// the computation throw an <see cref="ArgumentException"/>.
    /// </summary>
    public T Step
    {
        get => _step;
        init
        {
            _step = value;
            HasStep = true;
        }
    }

    /// <summary>Whether <see cref="Step"/> was set.</summary>
    public bool HasStep { get; private init; }

    /// <summary>
    /// A step per coordinate (length n), interpreted according to <see cref="StepKind"/>; takes precedence over
    /// <see cref="Step"/>. Empty means "not given".
    /// </summary>
    public ReadOnlyMemory<T> Steps { get; init; }

    /// <summary>Whether user steps are relative to max(|xᵢ|, 1) (the default) or absolute.</summary>
    public StepSizeKind StepKind { get; init; }

    /// <summary>
    /// Lower bounds per coordinate (length n); f is never evaluated below them (−∞ entries leave a coordinate
    /// unbounded). Empty means "no lower bounds".
    /// </summary>
    public ReadOnlyMemory<T> LowerBounds { get; init; }

    /// <summary>
    /// Upper bounds per coordinate (length n); f is never evaluated above them (+∞ entries leave a coordinate
    /// unbounded). Empty means "no upper bounds".
    /// </summary>
    public ReadOnlyMemory<T> UpperBounds { get; init; }

    /// <summary>What to do when f returns NaN or ±∞ at a stencil point. Defaults to throwing.</summary>
    public NonFiniteValuePolicy NonFiniteValues { get; init; }

    /// <summary>
    /// The value f(x) when the caller already has it; one-sided stencils then save one evaluation.
    /// It must be exactly what f returns at x.
    /// </summary>
    public T FunctionValue
    {
        get => _functionValue;
        init
        {
            _functionValue = value;
            HasFunctionValue = true;
        }
    }

    /// <summary>Whether <see cref="FunctionValue"/> was set.</summary>
    public bool HasFunctionValue { get; private init; }

    /// <summary>
    /// The number of threads that evaluate coordinates at once: 0 or 1 means serial (the default), −1 means one
    /// per processor. Results are bit-identical to the serial ones; f must then be safe to call concurrently.
    /// Used by the gradient (coordinates), the Jacobian (columns) and the Hessian (its off-diagonal rows); the
    /// one-direction routines (derivative, directional derivative) always run on the calling thread.
    /// </summary>
    public int MaxDegreeOfParallelism { get; init; }
}
