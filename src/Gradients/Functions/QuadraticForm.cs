using System.Numerics;

namespace Gradients;

/// <summary>
/// f(x) = ½xᵀAx + bᵀx + c; ∇f = Sx + b and ∇²f = S, where S = ½(A + Aᵀ) is the symmetric part of A
/// (xᵀAx = xᵀSx for every x, so only S matters; A need not be symmetric).
/// </summary>
/// <remarks>
/// A and b are copied at construction (A is stored as its symmetric part S); the caller's spans are never kept
/// or written. Instances are immutable and safe to share between threads. Each gradient row is one vectorized
/// dot product, O(n²) in all.
/// </remarks>
/// <typeparam name="T">The floating-point type.</typeparam>
public readonly partial struct QuadraticForm<T> : ITwiceDifferentiableFunction<T>
    where T : IFloatingPointIeee754<T>
{
    private readonly T[] _symmetric;
    private readonly T[] _linear;
    private readonly T _constant;

    /// <summary>Creates f(x) = ½xᵀAx + bᵀx + c.</summary>
    /// <param name="matrix">A, row-major n×n (n = <paramref name="linear"/>.Length), finite.</param>
    /// <param name="linear">b, of length n ≥ 1, finite.</param>
    /// <param name="constant">c, finite.</param>
    /// <exception cref="ArgumentException"><paramref name="linear"/> is empty, <paramref name="matrix"/> is not n×n, or an entry of A, b or c is NaN or infinite (which would make every value NaN or infinite).</exception>
    public QuadraticForm(ReadOnlySpan<T> matrix, ReadOnlySpan<T> linear, T constant)
    {
        ThrowHelper.ThrowIfEmpty(linear.Length, nameof(linear));
        var n = linear.Length;
        ThrowHelper.ThrowIfNotMatrix(matrix.Length, n, n, nameof(matrix), "n", "n (the length of 'linear')");
        FunctionArguments.ThrowIfNotFinite(matrix, nameof(matrix));
        FunctionArguments.ThrowIfNotFinite(linear, nameof(linear));
        if (!T.IsFinite(constant))
        {
            ThrowHelper.ThrowArgument($"'{nameof(constant)}' is {constant}; it must be finite.", nameof(constant));
        }

        var half = T.One / (T.One + T.One);
        _symmetric = new T[n * n];
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < n; j++)
            {
                _symmetric[(i * n) + j] = i == j ? matrix[(i * n) + i] : Average(matrix[(i * n) + j], matrix[(j * n) + i], half);
            }
        }

        _linear = linear.ToArray();
        _constant = constant;
    }

    /// <summary>
    /// ½(a + b), without overflow: when a + b overflows (a = 10³⁰⁸, b = 1.5·10³⁰⁸), ½a + ½b — each halving exact for
    /// normal numbers, so the sum rounds once and is the correctly rounded mean. Otherwise ½(a + b) as before, which
    /// is exact also for subnormal a and b.
    /// </summary>
    private static T Average(T a, T b, T half)
    {
        var sum = a + b;
        return T.IsFinite(sum) || !T.IsFinite(a) || !T.IsFinite(b) ? half * sum : (half * a) + (half * b);
    }

    /// <summary>The dimension n; 0 for a default instance.</summary>
    public int Dimension => _linear?.Length ?? 0;

    /// <summary>S = ½(A + Aᵀ), row-major n×n (a read-only view of this instance's own copy).</summary>
    public ReadOnlySpan<T> SymmetricMatrix => _symmetric;

    /// <summary>b (a read-only view of this instance's own copy).</summary>
    public ReadOnlySpan<T> Linear => _linear;

    /// <summary>c.</summary>
    public T Constant => _constant;

    /// <inheritdoc/>
    public T Evaluate(ReadOnlySpan<T> x)
    {
        ReadOnlySpan<T> linear = _linear;
        ReadOnlySpan<T> symmetric = _symmetric;
        var n = linear.Length;
        FunctionArguments.ValidatePoint(x.Length, n, "the quadratic form's dimension");

        // f = Σᵢ xᵢ(½(Sx)ᵢ + bᵢ) + c: one pass over S, no scratch.
        var half = T.One / (T.One + T.One);
        var sum = default(WideSum<T>); // in double for Half (see WideSum)
        for (var i = 0; i < n; i++)
        {
            sum.Add(x[i] * ((half * WideSum<T>.Dot(symmetric.Slice(i * n, n), x)) + linear[i]));
        }

        sum.Add(_constant);
        var value = sum.Value;
        return T.IsFinite(value) ? value : Rescaled(x, value, []);
    }

    private static bool AllFinite(ReadOnlySpan<T> values)
    {
        foreach (var value in values)
        {
            if (!T.IsFinite(value))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// f once more on x′ = x·2⁻ᵏ (largest element in [1, 2)) for a direct value (or gradient) that overflowed:
    /// f = 2²ᵏ·½x′ᵀSx′ + 2ᵏ·bᵀx′ + c and ∇f = 2ᵏ·Sx′ + b. Products Sᵢⱼxⱼ can overflow and cancel (∞ − ∞ = NaN)
    /// where f and ∇f are representable (S = 10³⁰⁰·[[1, −1], [−1, 1]] at x = (10¹⁰, 10¹⁰): f = 0, ∇f = 0). A value
    /// beyond the range stays ±∞; a NaN x stays NaN. The gradient, when wanted, is rewritten whole.
    /// </summary>
    private T Rescaled(ReadOnlySpan<T> x, T direct, Span<T> gradient)
    {
        if (FunctionArguments.ScalingExponent(x) is not { } k)
        {
            return direct;
        }

        ReadOnlySpan<T> linear = _linear;
        ReadOnlySpan<T> symmetric = _symmetric;
        var n = linear.Length;
        var stack = default(ScratchBuffer<T>);
        var scaled = ScratchBuffer.Take(ref stack, n, out var rented);
        for (var i = 0; i < n; i++)
        {
            scaled[i] = T.ScaleB(x[i], -k);
        }

        var half = T.One / (T.One + T.One);
        var quadratic = default(WideSum<T>);
        var linearPart = default(WideSum<T>);
        for (var i = 0; i < n; i++)
        {
            var row = WideSum<T>.Dot(symmetric.Slice(i * n, n), scaled);
            quadratic.Add(scaled[i] * (half * row));
            linearPart.Add(scaled[i] * linear[i]);
            if (!gradient.IsEmpty)
            {
                gradient[i] = T.ScaleB(row, k) + linear[i];
            }
        }

        ScratchBuffer.Return(rented);
        return T.ScaleB(quadratic.Value, 2 * k) + T.ScaleB(linearPart.Value, k) + _constant;
    }

    /// <inheritdoc/>
    public T EvaluateWithGradient(ReadOnlySpan<T> x, Span<T> gradient)
    {
        ReadOnlySpan<T> linear = _linear;
        ReadOnlySpan<T> symmetric = _symmetric;
        var n = linear.Length;
        FunctionArguments.ValidatePoint(x.Length, n, "the quadratic form's dimension");
        FunctionArguments.ValidateGradient(x, gradient);

        var half = T.One / (T.One + T.One);
        var sum = default(WideSum<T>);
        for (var i = 0; i < n; i++)
        {
            var row = WideSum<T>.Dot(symmetric.Slice(i * n, n), x);
            gradient[i] = row + linear[i];
            sum.Add(x[i] * ((half * row) + linear[i]));
        }

        sum.Add(_constant);
        var value = sum.Value;
        var gradientFinite = AllFinite(gradient);
        if (T.IsFinite(value) && gradientFinite)
        {
            return value;
        }

        // Only the part that overflowed is replaced: a finite direct value or gradient keeps its bits.
        var rescaled = Rescaled(x, value, gradientFinite ? [] : gradient);
        return T.IsFinite(value) ? value : rescaled;
    }

    /// <inheritdoc/>
    public void Hessian(ReadOnlySpan<T> x, Span<T> hessian)
    {
        FunctionArguments.ValidatePoint(x.Length, Dimension, "the quadratic form's dimension");
        FunctionArguments.ValidateHessian(x, hessian);
        _symmetric.CopyTo(hessian);
    }
}
