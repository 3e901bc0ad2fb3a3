using System.Globalization;
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
        // f(x, y) = x² + 5y² at p = (1, 0.5)
        double[] p = [1.0, 0.5];
        var numeric = new double[2];
        FiniteDifference.Gradient(x => (x[0] * x[0]) + (5 * x[1] * x[1]), p, numeric);
        // numeric ≈ [2, 5] (central differences, error ~1e-10)

        var f = new WeightedSumOfSquares<double>([1.0, 5.0]);
        var exact = new double[2];
        f.EvaluateWithGradient(p, exact);              // exact = [2, 5]
        var steepest = Directional.MaximalRate(exact); // ‖∇f‖ = √29 ≈ 5.3852
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
        var result = FiniteDifference.Gradient(Rosenbrock, point, gradient, options, errors);
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
        var rate = Directional.Derivative(gradient, [1.0, 1.0]); // ∇f·u, u = (1, 1)/√2: 7/√2

        // 360 directions at once (row-major 360×2), the chapter's sweep
        var directions = new double[360 * 2];
        Directional.UnitCircle(directions);
        var rates = new double[360];
        Directional.Derivatives(gradient, directions, rates);

        // from two evaluations of f, without a gradient
        var numeric = FiniteDifference.DirectionalDerivative(
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

        var loss = MeanSquaredError.LossAndGradient(features, targets, weights, gradient);
        // residuals r = Xw − y = [-0.5, -0.5, -0.5]; loss = mean(r²) = 0.25
        // gradient = (2/N)·Xᵀr = [-3, -4]
        // end-snippet

        // Every operation here is exact in binary floating point (halves and small integers) except the 2/N scaling.
        Assert.Equal(0.25, loss);
        Assert.Equal(-3.0, gradient[0], 1e-15);
        Assert.Equal(-4.0, gradient[1], 1e-15);
    }

    [Fact]
    public void Fit_a_linear_regression()
    {
        // The chapter's data set, as a user's program would find it: a folder with X.csv and y.csv.
        var folder = Path.Combine(AppContext.BaseDirectory, "Data", "linreg-seed0");

        // begin-snippet: linear-regression
        // Load: X.csv holds one sample per line (comma-separated features), y.csv one target per line.
        double[][] rows = [.. File.ReadLines(Path.Combine(folder, "X.csv"))
            .Select(line => line.Split(',').Select(cell => double.Parse(cell, CultureInfo.InvariantCulture)).ToArray())];
        double[] targets = [.. File.ReadLines(Path.Combine(folder, "y.csv")).Select(line => double.Parse(line, CultureInfo.InvariantCulture))];
        double[] features = [.. rows.SelectMany(row => row)]; // row-major N×D
        var d = rows[0].Length;

        // Gradient descent on the MSE loss of Xw + b.
        var weights = new double[d];
        var intercept = 0.0;
        var gradient = new double[d];
        const double LearningRate = 0.1;
        var converged = false;
        var loss = double.NaN;
        for (var step = 0; step < 10_000; step++)
        {
            loss = MeanSquaredError.LossAndGradient(features, targets, weights, intercept, gradient, out var interceptGradient);

            // Converged when the gradient (w and b together) is numerically zero.
            var gradientNorm = Math.Sqrt(gradient.Sum(g => g * g) + (interceptGradient * interceptGradient));
            if (gradientNorm < 1e-8)
            {
                converged = true;
                break;
            }

            for (var j = 0; j < d; j++)
            {
                weights[j] -= LearningRate * gradient[j];
            }

            intercept -= LearningRate * interceptGradient;
        }

        Console.WriteLine(converged ? $"loss {loss:F6}, w = [{string.Join(", ", weights)}], b = {intercept}" : "no convergence");
        // end-snippet

        // The minimizer solves the normal equations H·(w, b) = (2/N)·[X 1]ᵀy with H = (2/N)·[X 1]ᵀ[X 1].
        // The loop stopped at ‖∇L‖ < 1e-8, and ∇L = H·(θ − θ*), so ‖θ − θ*‖ ≤ ‖H⁻¹‖·1e-8 ≤ ‖H⁻¹‖_F·1e-8
        // (plus the rounding of ∇L itself, ~1e-15 here). The 5×5 normal equations are solved to ~1e-14 relative.
        Assert.True(converged);
        var n = targets.Length;
        var m = d + 1;
        var hessian = new double[m, m];
        var right = new double[m];
        for (var i = 0; i < n; i++)
        {
            for (var a = 0; a < m; a++)
            {
                var xa = a < d ? features[(i * d) + a] : 1.0;
                right[a] += 2.0 / n * xa * targets[i];
                for (var b = 0; b < m; b++)
                {
                    hessian[a, b] += 2.0 / n * xa * (b < d ? features[(i * d) + b] : 1.0);
                }
            }
        }

        var exact = Solve(hessian, right);
        var inverseFrobenius = 0.0;
        for (var k = 0; k < m; k++)
        {
            var unit = new double[m];
            unit[k] = 1;
            inverseFrobenius += Solve(hessian, unit).Sum(v => v * v);
        }

        var tolerance = Math.Sqrt(inverseFrobenius) * (1e-8 + 1e-13);
        double[] fitted = [.. weights, intercept];
        var distance = Math.Sqrt(fitted.Select((v, k) => (v - exact[k]) * (v - exact[k])).Sum());
        Assert.True(distance <= tolerance, $"‖θ − θ*‖ = {distance:E3} > {tolerance:E3}");
    }

    /// <summary>Gaussian elimination with partial pivoting (the test's own reference, not the library).</summary>
    private static double[] Solve(double[,] matrix, double[] vector)
    {
        var m = vector.Length;
        var a = (double[,])matrix.Clone();
        var b = (double[])vector.Clone();
        for (var col = 0; col < m; col++)
        {
            var pivot = Enumerable.Range(col, m - col).MaxBy(r => Math.Abs(a[r, col]));
            for (var k = 0; k < m; k++)
            {
                (a[col, k], a[pivot, k]) = (a[pivot, k], a[col, k]);
            }

            (b[col], b[pivot]) = (b[pivot], b[col]);
            for (var r = col + 1; r < m; r++)
            {
                var factor = a[r, col] / a[col, col];
                for (var k = col; k < m; k++)
                {
                    a[r, k] -= factor * a[col, k];
                }

                b[r] -= factor * b[col];
            }
        }

        var x = new double[m];
        for (var r = m - 1; r >= 0; r--)
        {
            var sum = b[r];
            for (var k = r + 1; k < m; k++)
            {
                sum -= a[r, k] * x[k];
            }

            x[r] = sum / a[r, r];
        }

        return x;
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

        var report = GradientCheck.Check(Loss, HandWritten, [0.7, -1.3]);
        Console.WriteLine(report);      // a table: analytic, numeric, errors, tolerance per component
        if (!report.Passed)
        {
            throw new InvalidOperationException($"component {report.WorstIndex} is wrong");
        }
        // end-snippet

        Assert.True(report.Passed);
    }
}
