using System.Numerics;
using System.Runtime.CompilerServices;

namespace Gradients;

/// <summary>The coordinate axis t ↦ f(x + t·eᵢ), evaluated on a scratch copy of x (never the caller's x).</summary>
internal ref struct CoordinateLine<T, TFunction> : IStencilLine<T>
    where T : IFloatingPointIeee754<T>
    where TFunction : struct, IScalarFunction<T>
{
    private readonly ref TFunction _function;
    private readonly Span<T> _point;
    private readonly int _index;
    private readonly T _origin;
    private readonly T _lower;
    private readonly T _upper;

    public CoordinateLine(ref TFunction function, Span<T> point, int index, T origin, T lower, T upper)
    {
        _function = ref function;
        _point = point;
        _index = index;
        _origin = origin;
        _lower = lower;
        _upper = upper;
    }

    public readonly T InputScale => T.Max(T.Abs(_origin), T.One);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public T Evaluate(T offset, out T appliedOffset)
    {
        // The clamp only guards against x + offset rounding one ulp past a bound; offsets are chosen to fit.
        var moved = T.Min(T.Max(_origin + offset, _lower), _upper);
        appliedOffset = moved - _origin;
        _point[_index] = moved;
        var value = _function.Evaluate(_point);
        _point[_index] = _origin;
        return value;
    }
}

/// <summary>The line t ↦ f(x + t·u) along a unit direction u.</summary>
internal ref struct DirectionLine<T, TFunction> : IStencilLine<T>
    where T : IFloatingPointIeee754<T>
    where TFunction : struct, IScalarFunction<T>
{
    private readonly ref TFunction _function;
    private readonly ReadOnlySpan<T> _origin;
    private readonly ReadOnlySpan<T> _unit;
    private readonly Span<T> _point;
    private readonly ReadOnlySpan<T> _lower;
    private readonly ReadOnlySpan<T> _upper;
    private readonly int _widest;

    public DirectionLine(ref TFunction function, ReadOnlySpan<T> origin, ReadOnlySpan<T> unit, Span<T> point, ReadOnlySpan<T> lower, ReadOnlySpan<T> upper)
    {
        _function = ref function;
        _origin = origin;
        _unit = unit;
        _point = point;
        _lower = lower;
        _upper = upper;
        InputScale = T.One;
        for (var i = 0; i < unit.Length; i++)
        {
            if (T.Abs(unit[i]) > T.Abs(unit[_widest]))
            {
                _widest = i;
            }

            InputScale = T.Max(InputScale, T.Abs(origin[i]));
        }
    }

    /// <summary>max(maxᵢ |xᵢ|, 1): every coordinate the line moves is rounded.</summary>
    public T InputScale { get; }

    public T Evaluate(T offset, out T appliedOffset)
    {
        // A multi-dimensional move cannot be made exact coordinate by coordinate; the other coordinates' rounding,
        // ε·|xᵢ|/|t·uᵢ| relative, is of the order of the stencil's own round-off.
        for (var i = 0; i < _point.Length; i++)
        {
            var moved = _origin[i] + (offset * _unit[i]);
            if (!_lower.IsEmpty)
            {
                moved = T.Max(moved, _lower[i]);
            }

            if (!_upper.IsEmpty)
            {
                moved = T.Min(moved, _upper[i]);
            }

            _point[i] = moved;
        }

        // The offset applied along the coordinate that moves most (|uᵢ| ≥ 1/√n), measured as on a coordinate axis:
        // exact there, and 0 when the step no longer moves x, so the stencils see what the coordinate stencils see
        // (a Richardson half step or an Adaptive step that rounds away is measured, not assumed to have moved x).
        appliedOffset = (_point[_widest] - _origin[_widest]) / _unit[_widest];
        return _function.Evaluate(_point);
    }
}

/// <summary>The real line t ↦ f(x + t) of a one-variable function.</summary>
internal readonly struct ScalarLine<T> : IStencilLine<T>
    where T : IFloatingPointIeee754<T>
{
    private readonly Func<T, T> _function;
    private readonly T _origin;
    private readonly T _lower;
    private readonly T _upper;

    public ScalarLine(Func<T, T> function, T origin, T lower, T upper)
    {
        _function = function;
        _origin = origin;
        _lower = lower;
        _upper = upper;
    }

    public T InputScale => T.Max(T.Abs(_origin), T.One);

    public T Evaluate(T offset, out T appliedOffset)
    {
        var moved = T.Min(T.Max(_origin + offset, _lower), _upper);
        appliedOffset = moved - _origin;
        return _function(moved);
    }
}

/// <summary>Wraps a delegate so the delegate front door and the struct front door share one generic driver.</summary>
internal readonly struct DelegateFunction<T> : IScalarFunction<T>
    where T : IFloatingPointIeee754<T>
{
    private readonly Func<ReadOnlySpan<T>, T> _function;

    public DelegateFunction(Func<ReadOnlySpan<T>, T> function) => _function = function;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public T Evaluate(ReadOnlySpan<T> x) => _function(x);
}
