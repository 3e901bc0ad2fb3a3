using System.Buffers;
using System.Numerics;

namespace Gradients;

/// <summary>
/// The pooled arrays a parallel finite-difference run shares between its threads (spans cannot be captured by the
/// thread-pool delegates): a copy of x, the outputs (the gradient or the Jacobian), and the optional error estimates
/// and steps. Each thread writes its own entries; <see cref="CopyTo"/> hands them to the caller's spans.
/// </summary>
/// <typeparam name="T">The floating-point type.</typeparam>
internal sealed class ParallelOutputs<T> : IDisposable
    where T : IFloatingPointIeee754<T>
{
    private readonly T[] _origin;
    private readonly T[] _values;
    private readonly T[]? _errors;
    private readonly T[]? _steps;
    private readonly int _dimension;
    private readonly int _valueCount;

    /// <summary>Rents the arrays and copies <paramref name="x"/>.</summary>
    /// <param name="x">The point (n).</param>
    /// <param name="valueCount">The outputs: n for a gradient, m·n for a Jacobian; the error estimates have as many.</param>
    /// <param name="withErrors">Whether error estimates are wanted.</param>
    /// <param name="withSteps">Whether steps (n) are wanted.</param>
    public ParallelOutputs(ReadOnlySpan<T> x, int valueCount, bool withErrors, bool withSteps)
    {
        var pool = ArrayPool<T>.Shared;
        _dimension = x.Length;
        _valueCount = valueCount;
        _origin = pool.Rent(_dimension);
        _values = pool.Rent(valueCount);
        _errors = withErrors ? pool.Rent(valueCount) : null;
        _steps = withSteps ? pool.Rent(_dimension) : null;
        x.CopyTo(_origin);
    }

    /// <summary>The copy of x.</summary>
    public ReadOnlySpan<T> Origin => _origin.AsSpan(0, _dimension);

    /// <summary>The shared outputs.</summary>
    public Span<T> Values => _values.AsSpan(0, _valueCount);

    /// <summary>The shared error estimates, or empty when none are wanted.</summary>
    public Span<T> Errors => _errors is null ? default : _errors.AsSpan(0, _valueCount);

    /// <summary>The shared steps, or empty when none are wanted.</summary>
    public Span<T> Steps => _steps is null ? default : _steps.AsSpan(0, _dimension);

    /// <summary>Copies the outputs to the caller's spans (the optional ones only when wanted).</summary>
    public void CopyTo(Span<T> values, Span<T> errors, Span<T> steps)
    {
        Values.CopyTo(values);
        Errors.CopyTo(errors);
        Steps.CopyTo(steps);
    }

    /// <summary>Returns the arrays to the pool, cleared: they held a copy of the caller's x and results computed from it.</summary>
    public void Dispose()
    {
        var pool = ArrayPool<T>.Shared;
        pool.Return(_origin, clearArray: true);
        pool.Return(_values, clearArray: true);
        if (_errors is not null)
        {
            pool.Return(_errors, clearArray: true);
        }

        if (_steps is not null)
        {
            pool.Return(_steps, clearArray: true);
        }
    }
}
