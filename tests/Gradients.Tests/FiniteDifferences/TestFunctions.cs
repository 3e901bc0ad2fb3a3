using System.Numerics;
using Gradients.Tests.Properties;

namespace Gradients.Tests.FiniteDifferences;

/// <summary>Functions with known derivatives, private to the finite-difference tests.</summary>
internal static class TestFunctions
{
    /// <summary>
    /// The fixed-step schemes: every scheme but <see cref="FiniteDifferenceScheme.Adaptive"/>, whose step is chosen
    /// at run time (so an a-priori error model does not bound it, and a Jacobian column shares one step sequence
    /// among its outputs rather than repeating each output's gradient).
    /// </summary>
    public static readonly FiniteDifferenceScheme[] FixedStepSchemes =
        Enum.GetValues<FiniteDifferenceScheme>().Where(s => s != FiniteDifferenceScheme.Adaptive).ToArray();

    /// <summary>The chapter's f(x, y) = x² + 5y², ∇f = (2x, 10y).</summary>
    public static T Chapter<T>(ReadOnlySpan<T> x)
        where T : IFloatingPointIeee754<T> => (x[0] * x[0]) + (T.CreateTruncating(5) * x[1] * x[1]);

    /// <summary>Rosenbrock: Σ 100(xᵢ₊₁ − xᵢ²)² + (1 − xᵢ)².</summary>
    public static T Rosenbrock<T>(ReadOnlySpan<T> x)
        where T : IFloatingPointIeee754<T>
    {
        var hundred = T.CreateTruncating(100);
        var sum = T.Zero;
        for (var i = 0; i + 1 < x.Length; i++)
        {
            var a = x[i + 1] - (x[i] * x[i]);
            var b = T.One - x[i];
            sum += (hundred * a * a) + (b * b);
        }

        return sum;
    }

    /// <summary>F = (log-sum-exp, Rosenbrock, Σ sin xᵢ): three outputs with known gradients, every column different.</summary>
    public static void ThreeOutputs(ReadOnlySpan<double> x, Span<double> values)
    {
        values[0] = LogSumExp(x);
        values[1] = Rosenbrock(x);
        values[2] = Separable(Component.Sin, x);
    }

    public static void RosenbrockGradient(ReadOnlySpan<double> x, Span<double> gradient)
    {
        gradient.Clear();
        for (var i = 0; i + 1 < x.Length; i++)
        {
            var a = x[i + 1] - (x[i] * x[i]);
            gradient[i] += (-400 * x[i] * a) - (2 * (1 - x[i]));
            gradient[i + 1] += 200 * a;
        }
    }

    /// <summary>Log-sum-exp, shifted by the maximum so it never overflows; ∇ = softmax.</summary>
    public static T LogSumExp<T>(ReadOnlySpan<T> x)
        where T : IFloatingPointIeee754<T>
    {
        var max = x[0];
        foreach (var v in x)
        {
            max = T.Max(max, v);
        }

        var sum = T.Zero;
        foreach (var v in x)
        {
            sum += T.Exp(v - max);
        }

        return max + T.Log(sum);
    }

    public static void LogSumExpGradient(ReadOnlySpan<double> x, Span<double> gradient)
    {
        var max = x.ToArray().Max();
        var sum = 0.0;
        foreach (var v in x)
        {
            sum += Math.Exp(v - max);
        }

        for (var i = 0; i < x.Length; i++)
        {
            gradient[i] = Math.Exp(x[i] - max) / sum;
        }
    }

    /// <summary>Σ g(xᵢ) for a component g.</summary>
    public static T Separable<T>(Component component, ReadOnlySpan<T> x)
        where T : IFloatingPointIeee754<T>
    {
        var sum = T.Zero;
        foreach (var v in x)
        {
            sum += component.Value(v);
        }

        return sum;
    }
}

/// <summary>A one-variable function g with its derivative and bounds of its higher derivatives on an interval.</summary>
internal abstract class Component(string name)
{
    public static Component Exp { get; } = new ExpComponent();

    public static Component Sin { get; } = new SinComponent();

    public static Component Cubic { get; } = new CubicComponent();

    public static Component LogOnePlusSquare { get; } = new LogOnePlusSquareComponent();

    public abstract T Value<T>(T x)
        where T : IFloatingPointIeee754<T>;

    public abstract double Derivative(double x);

    /// <summary>max |g⁽ᵏ⁾| over [a, b] for k = 0, 2, 3, 5, 4 (a bound, not necessarily tight); |g′(x)|.</summary>
    public abstract DerivativeBounds Bounds(double a, double b, double x);

    public override string ToString() => name;

    private sealed class ExpComponent() : Component("exp")
    {
        public override T Value<T>(T x) => T.Exp(x);

        public override double Derivative(double x) => Math.Exp(x);

        public override DerivativeBounds Bounds(double a, double b, double x)
        {
            var m = Math.Exp(b);
            return new DerivativeBounds(m, Math.Exp(x), m, m, m, m);
        }
    }

    private sealed class SinComponent() : Component("sin")
    {
        public override T Value<T>(T x) => T.Sin(x);

        public override double Derivative(double x) => Math.Cos(x);

        public override DerivativeBounds Bounds(double a, double b, double x) => new(1, Math.Abs(Math.Cos(x)), 1, 1, 1, 1);
    }

    /// <summary>g = x³/3 + x: g′ = x² + 1 ≥ 1, g″ = 2x, g‴ = 2, g⁽⁵⁾ = 0.</summary>
    private sealed class CubicComponent() : Component("x^3/3+x")
    {
        public override T Value<T>(T x) => (x * x * x / T.CreateTruncating(3)) + x;

        public override double Derivative(double x) => (x * x) + 1;

        public override DerivativeBounds Bounds(double a, double b, double x)
        {
            var m = Math.Max(Math.Abs(a), Math.Abs(b));
            return new DerivativeBounds((m * m * m / 3) + m, (x * x) + 1, 2 * m, 2, 0);
        }
    }

    /// <summary>g = log(1 + x²); its derivatives up to the fifth are bounded by 24 on the real line.</summary>
    private sealed class LogOnePlusSquareComponent() : Component("log(1+x^2)")
    {
        public override T Value<T>(T x) => T.Log(T.One + (x * x));

        public override double Derivative(double x) => 2 * x / (1 + (x * x));

        public override DerivativeBounds Bounds(double a, double b, double x)
        {
            var m = Math.Max(Math.Abs(a), Math.Abs(b));
            return new DerivativeBounds(Math.Log(1 + (m * m)), Math.Abs(Derivative(x)), 2, 4, 24, 12);
        }
    }
}

/// <summary>Rosenbrock as a struct, for the struct front door.</summary>
internal readonly struct RosenbrockFunction<T> : IScalarFunction<T>
    where T : IFloatingPointIeee754<T>
{
    public T Evaluate(ReadOnlySpan<T> x) => TestFunctions.Rosenbrock(x);
}

/// <summary>A separable function as a struct.</summary>
internal readonly struct SeparableFunction<T>(Component component) : IScalarFunction<T>
    where T : IFloatingPointIeee754<T>
{
    public T Evaluate(ReadOnlySpan<T> x) => TestFunctions.Separable(component, x);
}
