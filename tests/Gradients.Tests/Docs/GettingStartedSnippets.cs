using Gradients;

// Outside the Gradients namespace on purpose: the snippets compile exactly as in a user's project.
namespace GettingStarted;

/// <summary>
/// The code of docs/getting-started.md and of the README's quick start. Each snippet runs here as a test, and
/// <c>Gradients.Tests.Docs.DocumentationSnippetTests</c> checks that the documents show exactly this code, so they cannot rot.
/// Snippets sit between "// begin-snippet: name" and "// end-snippet" lines.
/// </summary>
public sealed class GettingStartedSnippets
{
    [Fact]
    public void Quick_start()
    {
        // begin-snippet: quick-start
        // f(x, y) = x² + 5y², the chapter's function, at p = (1, 0.5)
        double[] p = [1.0, 0.5];
        var numeric = new double[2];
        FiniteDifference.Gradient<double>(x => (x[0] * x[0]) + (5 * x[1] * x[1]), p, numeric);
        // numeric ≈ [2, 5] (central differences, error ~1e-10)

        var f = new WeightedSumOfSquares<double>([1.0, 5.0]);
        var exact = new double[2];
        f.EvaluateWithGradient(p, exact);                   // exact = [2, 5]
        var steepest = Directional.MaximalRate<double>(exact); // ‖∇f‖ = √29 ≈ 5.3852
        // end-snippet

        Assert.Equal([2.0, 5.0], exact);
        Assert.Equal(2.0, numeric[0], 1e-8);
        Assert.Equal(5.0, numeric[1], 1e-8);
        Assert.Equal(Math.Sqrt(29), steepest, 1e-14);
    }

    [Fact]
    public void First_gradient_with_error_estimate()
    {
        // begin-snippet: richardson
        double Rosenbrock(ReadOnlySpan<double> x) =>
            ((1 - x[0]) * (1 - x[0])) + (100 * (x[1] - (x[0] * x[0])) * (x[1] - (x[0] * x[0])));

        double[] point = [-1.2, 1.0];
        var gradient = new double[2];
        var errors = new double[2];
        var options = new FiniteDifferenceOptions<double> { Scheme = FiniteDifferenceScheme.Richardson };
        var result = FiniteDifference.Gradient<double>(Rosenbrock, point, gradient, options, errors);
        // gradient ≈ [-215.6, -88], errors[i] bounds |gradient[i] − exact|, result.Evaluations == 8
        // end-snippet

        Assert.Equal(-215.6, gradient[0], 1e-9);
        Assert.Equal(-88.0, gradient[1], 1e-9);
        Assert.True(Math.Abs(gradient[0] + 215.6) <= errors[0]);
        Assert.Equal(8, result.Evaluations);
    }

    [Fact]
    public void Directional_derivatives()
    {
        // begin-snippet: directional
        double[] gradient = [2.0, 5.0];
        var rate = Directional.Derivative<double>(gradient, [1.0, 1.0]); // ∇f·u, u = (1, 1)/√2: 7/√2

        // 360 directions at once (row-major 360×2), the chapter's sweep
        var directions = new double[360 * 2];
        Directional.UnitCircle<double>(directions);
        var rates = new double[360];
        Directional.Derivatives<double>(gradient, directions, rates);

        // from two evaluations of f, without a gradient
        var numeric = FiniteDifference.DirectionalDerivative<double>(
            x => (x[0] * x[0]) + (5 * x[1] * x[1]), [1.0, 0.5], [1.0, 1.0]);
        // end-snippet

        Assert.Equal(7 / Math.Sqrt(2), rate, 1e-14);
        Assert.Equal(68, Array.IndexOf(rates, rates.Max()));
        Assert.Equal(7 / Math.Sqrt(2), numeric, 1e-8);
    }

    [Fact]
    public void First_mean_squared_error_gradient()
    {
        // begin-snippet: mse
        // 3 samples, 2 features, row-major
        double[] features = [1.0, 2.0,
                             3.0, 4.0,
                             5.0, 6.0];
        double[] targets = [1.0, 2.0, 3.0];
        double[] weights = [0.5, 0.0];
        var gradient = new double[2];

        var loss = MeanSquaredError.LossAndGradient<double>(features, targets, weights, gradient);
        // residuals r = Xw − y = [-0.5, -0.5, -0.5]; loss = mean(r²) = 0.25
        // gradient = (2/N)·Xᵀr = [-3, -4]
        // end-snippet

        // Every operation here is exact in binary floating point (halves and small integers) except the 2/N scaling.
        Assert.Equal(0.25, loss);
        Assert.Equal(-3.0, gradient[0], 1e-15);
        Assert.Equal(-4.0, gradient[1], 1e-15);
    }

    [Fact]
    public void First_logistic_gradient()
    {
        // begin-snippet: logistic
        // 3 samples, 2 features, labels 0 or 1
        double[] features = [1.0, 2.0,
                             3.0, 4.0,
                             5.0, 6.0];
        double[] labels = [0.0, 1.0, 1.0];
        double[] weights = [0.0, 0.0];
        var gradient = new double[2];

        var loss = LogisticLoss.LossAndGradient<double>(features, labels, weights, gradient);
        // η = Xw = 0, σ(η) = 0.5: loss = mean(log(1 + e^η) − y·η) = log 2 ≈ 0.6931
        // gradient = (1/N)·Xᵀ(σ(η) − y) = (1/3)·[0.5 − 1.5 − 2.5, 1 − 2 − 3] = [-7/6, -4/3]
        // end-snippet

        // log 2 is one correctly rounded log1p(1) (≤ 1 ulp); the gradient sums are exact, the division by N rounds once.
        Assert.Equal(Math.Log(2), loss, 1e-15);
        Assert.Equal(-7.0 / 6, gradient[0], 1e-15);
        Assert.Equal(-4.0 / 3, gradient[1], 1e-15);
    }

    [Fact]
    public void Gradient_checker()
    {
        // begin-snippet: checker
        double Loss(ReadOnlySpan<double> w) => (w[0] * w[0] * w[1]) + Math.Sin(w[1]);
        void HandWritten(ReadOnlySpan<double> w, Span<double> g)
        {
            g[0] = 2 * w[0] * w[1];
            g[1] = (w[0] * w[0]) + Math.Cos(w[1]);
        }

        var report = GradientCheck.Check<double>(Loss, HandWritten, [0.7, -1.3]);
        Console.WriteLine(report);      // a table: analytic, numeric, errors, tolerance per component
        if (!report.Passed)
        {
            throw new InvalidOperationException($"component {report.WorstIndex} is wrong");
        }
        // end-snippet

        Assert.True(report.Passed);
    }
}
