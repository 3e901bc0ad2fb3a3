using System.Numerics;

namespace Gradients.Tests.Docs;

/// <summary>
/// The forward-mode examples of docs/api.md (api-* snippets, checked verbatim by <see cref="DocumentationSnippetTests"/>),
/// each run here as a test.
/// </summary>
public sealed class ForwardModeSnippets
{
    private readonly struct Chapter : IGenericScalarFunction
    {
        public T Evaluate<T>(ReadOnlySpan<T> x)
            where T : IFloatingPointIeee754<T> => (x[0] * x[0]) + (T.CreateTruncating(5) * x[1] * x[1]);
    }

    private readonly struct Polar : IGenericVectorFunction
    {
        public void Evaluate<T>(ReadOnlySpan<T> x, Span<T> values)
            where T : IFloatingPointIeee754<T>
        {
            values[0] = x[0] * T.Cos(x[1]);
            values[1] = x[0] * T.Sin(x[1]);
        }
    }

    private readonly struct Cube : IGenericUnivariateFunction
    {
        public T Evaluate<T>(T x)
            where T : IFloatingPointIeee754<T> => x * x * x;
    }

    [Fact]
    public void Dual_number()
    {
        // begin-snippet: api-Dual
        var x = new Dual<double>(2.0, 1.0);  // x = 2 with dx = 1
        var y = Dual<double>.Exp(x) * x;     // y = x·eˣ
        // y.Value == 2e², y.Tangent == (x + 1)eˣ = 3e²
        // end-snippet

        // Exp (≤ 1 ulp) and one product each side: a few ulps.
        Assert.Equal(2 * Math.Exp(2), y.Value, 4e-16 * 2 * Math.Exp(2) * 4);
        Assert.Equal(3 * Math.Exp(2), y.Tangent, 4e-16 * 3 * Math.Exp(2) * 4);
    }

    [Fact]
    public void Generic_scalar_function()
    {
        // begin-snippet: api-IGenericScalarFunction
        // readonly struct Chapter : IGenericScalarFunction
        // {
        //     public T Evaluate<T>(ReadOnlySpan<T> x) where T : IFloatingPointIeee754<T> =>
        //         (x[0] * x[0]) + (T.CreateTruncating(5) * x[1] * x[1]);
        // }
        var gradient = new double[2];
        ForwardMode.Gradient(new Chapter(), [1.0, 0.5], gradient); // exactly [2, 5]
        // end-snippet

        Assert.Equal([2.0, 5.0], gradient);
    }

    [Fact]
    public void Generic_vector_function()
    {
        // begin-snippet: api-IGenericVectorFunction
        // readonly struct Polar : IGenericVectorFunction   // (r, θ) → (r cos θ, r sin θ)
        // {
        //     public void Evaluate<T>(ReadOnlySpan<T> x, Span<T> values) where T : IFloatingPointIeee754<T>
        //     {
        //         values[0] = x[0] * T.Cos(x[1]);
        //         values[1] = x[0] * T.Sin(x[1]);
        //     }
        // }
        var jacobian = new double[4];
        ForwardMode.Jacobian(new Polar(), [2.0, 0.0], jacobian); // [[1, 0], [0, 2]], row-major
        // end-snippet

        Assert.Equal([1.0, 0.0, 0.0, 2.0], jacobian);
    }

    [Fact]
    public void Generic_univariate_function()
    {
        // begin-snippet: api-IGenericUnivariateFunction
        // readonly struct Cube : IGenericUnivariateFunction
        // {
        //     public T Evaluate<T>(T x) where T : IFloatingPointIeee754<T> => x * x * x;
        // }
        var slope = ForwardMode.Derivative(new Cube(), 2.0); // 12, exactly
        // end-snippet

        Assert.Equal(12.0, slope);
    }

    [Fact]
    public void Forward_mode()
    {
        // begin-snippet: api-ForwardMode
        double[] x = [-1.2, 1.0];
        var gradient = new double[2];
        var value = ForwardMode.ValueAndGradient(new Rosenbrock<double>(), x, gradient); // 24.2, [-215.6, -88]
        var rate = ForwardMode.DirectionalDerivative(new Rosenbrock<double>(), x, [3.0, 4.0]); // ∇f·(0.6, 0.8)
        var hessian = new double[4];
        ForwardMode.Hessian(new Rosenbrock<double>(), x, hessian); // [[1330, 480], [480, 200]]
        // end-snippet

        // Rosenbrock at (−1.2, 1): every intermediate is a short decimal; forward mode rounds like the closed form.
        var expected = new double[2];
        var analytic = new Rosenbrock<double>().EvaluateWithGradient(x, expected);
        Assert.Equal(analytic, value);
        Assert.Equal(expected[0], gradient[0], 1e-12);
        Assert.Equal(expected[1], gradient[1], 1e-12);
        Assert.Equal((0.6 * expected[0]) + (0.8 * expected[1]), rate, 1e-12);
        Assert.Equal([1330.0, 480.0, 480.0, 200.0], hessian.Select(h => Math.Round(h, 9)).ToArray());
    }
}
