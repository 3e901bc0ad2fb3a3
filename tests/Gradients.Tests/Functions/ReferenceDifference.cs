using System.Numerics;

namespace Gradients.Tests.Functions;

/// <summary>
/// A test-local central difference with a stated error bound, the reference the analytic gradients and Hessians
/// are checked against.
/// </summary>
/// <remarks>
/// D(h) = (g(x + h·eⱼ) − g(x − h·eⱼ))/(2h) for a scalar g (f, or one gradient component for Hessians). Its error is
/// truncation + round-off (Nocedal and Wright, Numerical Optimization, 2nd ed., §8.1):
/// <list type="bullet">
/// <item>truncation c·h² + d·h⁴ + …, estimated from the stencils at 2h and 4h: D(2h) − D(h) = 3c·h² + 15d·h⁴ and
/// (D(4h) − D(2h))/4 = 3c·h² + 60d·h⁴, each about three times the truncation of D(h) where c·h² dominates. Where h is
/// not small against the scale on which g varies (the step follows max(|xⱼ|, 1); log-sum-exp varies on a scale of 1),
/// c·h² and 15d·h⁴ can cancel and the first estimate fall below the truncation (CI found one: float log-sum-exp at
/// |xⱼ| = 76.7, h = 0.5); the two cannot cancel at once, so the larger of them is the estimate;</item>
/// <item>round-off: each g evaluation errs by at most γₖ·g_abs (see <see cref="FunctionSample"/>), so the difference
/// quotient errs by at most γₖ·(g_abs(x + h) + g_abs(x − h))/(2h), plus a few units of round-off in the quotient.</item>
/// </list>
/// The step h is a power of two near ∛ε·max(|xⱼ|, 1) (ε = machine epsilon; the step that balances the two terms).
/// Points are first snapped to a grid of 2⁻²⁰·max(|xⱼ|, 1), so x ± h, x ± 2h and x ± 4h are exact in float and double and
/// the stencil is exactly symmetric.
/// </remarks>
public static class ReferenceDifference
{
    /// <summary>Rounds each coordinate to a multiple of 2⁻²⁰ times the power of two at or below max(|xⱼ|, 1).</summary>
    public static double[] Snap(double[] point) => Array.ConvertAll(point, value =>
    {
        var quantum = Math.ScaleB(1.0, Math.ILogB(Math.Max(Math.Abs(value), 1.0)) - 20);
        return Math.Round(value / quantum) * quantum;
    });

    /// <summary>Machine epsilon of <typeparamref name="T"/> (not <c>T.Epsilon</c>, the smallest subnormal).</summary>
    public static double MachineEpsilon<T>()
        where T : IFloatingPointIeee754<T> =>
        double.CreateChecked(T.BitIncrement(T.One) - T.One);

    /// <summary>The power-of-two central step for coordinate value <paramref name="value"/>.</summary>
    public static double Step<T>(double value)
        where T : IFloatingPointIeee754<T> =>
        Math.ScaleB(1.0, (int)Math.Round(Math.Log2(Math.Cbrt(MachineEpsilon<T>()) * Math.Max(Math.Abs(value), 1.0))));

    /// <summary>
    /// The central difference of <paramref name="evaluate"/> along coordinate <paramref name="j"/> and the bound on its
    /// error (truncation estimate + round-off), with <paramref name="absolute"/> bounding |terms of g| at a point.
    /// </summary>
    public static (double Estimate, double ErrorBound) Partial<T>(
        Func<T[], T> evaluate, double[] point, int j, Func<double[], double> absolute, int operations)
        where T : IFloatingPointIeee754<T>
    {
        var unitRoundoff = MachineEpsilon<T>() / 2;
        var gamma = operations * unitRoundoff / (1 - (operations * unitRoundoff));
        var h = Step<T>(point[j]);
        var near = Quotient(evaluate, point, j, h);
        var far = Quotient(evaluate, point, j, 2 * h);
        var farther = Quotient(evaluate, point, j, 4 * h);
        var truncation = Math.Max(Math.Abs(far - near), Math.Abs(farther - far) / 4);
        var roundoff = gamma * (absolute(Moved(point, j, h)) + absolute(Moved(point, j, -h))) / (2 * h);
        var bound = truncation + roundoff + (4 * unitRoundoff * Math.Abs(near));
        return (near, bound);
    }

    private static double Quotient<T>(Func<T[], T> evaluate, double[] point, int j, double h)
        where T : IFloatingPointIeee754<T>
    {
        var plus = Convert<T>(Moved(point, j, h));
        var minus = Convert<T>(Moved(point, j, -h));
        if (double.CreateChecked(plus[j]) - double.CreateChecked(minus[j]) != 2 * h)
        {
            throw new InvalidOperationException($"The stencil at x[{j}] = {point[j]} with h = {h} is not exact; snap the point first.");
        }

        return (double.CreateChecked(evaluate(plus)) - double.CreateChecked(evaluate(minus))) / (2 * h);
    }

    public static T[] Convert<T>(double[] values)
        where T : IFloatingPointIeee754<T> => Array.ConvertAll(values, T.CreateChecked);

    private static double[] Moved(double[] point, int j, double step)
    {
        var moved = (double[])point.Clone();
        moved[j] += step;
        return moved;
    }
}
