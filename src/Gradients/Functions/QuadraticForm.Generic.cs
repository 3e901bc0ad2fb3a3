using System.Numerics;

namespace Gradients;

public readonly partial struct QuadraticForm<T> : IGenericScalarFunction
{
    /// <summary>Evaluates ½xᵀSx + bᵀx + c over any floating-point type (S, b, c lifted as constants; for <see cref="ForwardMode"/>).</summary>
    /// <typeparam name="TScalar">The number type (e.g. <see cref="Dual{T}"/>).</typeparam>
    /// <param name="x">The point, of the form's dimension.</param>
    /// <returns>f(x).</returns>
    public TScalar Evaluate<TScalar>(ReadOnlySpan<TScalar> x)
        where TScalar : IFloatingPointIeee754<TScalar>
    {
        ReadOnlySpan<T> linear = _linear;
        ReadOnlySpan<T> symmetric = _symmetric;
        var n = linear.Length;
        FunctionArguments.ValidatePoint(x.Length, n, "the quadratic form's dimension");
        if (typeof(TScalar) == typeof(Half))
        {
            // In double, rounded once: Half's sums stall (ulp 2 from 2048) and overflow (65504) before the form does.
            var wide = 0.0;
            for (var i = 0; i < n; i++)
            {
                var row = symmetric.Slice(i * n, n);
                var product = 0.0;
                for (var j = 0; j < n; j++)
                {
                    product += double.CreateTruncating(row[j]) * double.CreateTruncating(x[j]);
                }

                wide += double.CreateTruncating(x[i]) * ((0.5 * product) + double.CreateTruncating(linear[i]));
            }

            return TScalar.CreateTruncating(wide + double.CreateTruncating(_constant));
        }

        var half = TScalar.One / (TScalar.One + TScalar.One);
        var sum = TScalar.Zero;
        for (var i = 0; i < n; i++)
        {
            var row = symmetric.Slice(i * n, n);
            var product = TScalar.Zero;
            for (var j = 0; j < n; j++)
            {
                product += TScalar.CreateTruncating(row[j]) * x[j];
            }

            sum += x[i] * ((half * product) + TScalar.CreateTruncating(linear[i]));
        }

        return sum + TScalar.CreateTruncating(_constant);
    }
}
