using System.Numerics.Tensors;
using Gradients;

// Outside the Gradients namespace on purpose: the snippets compile exactly as in a user's project.
namespace ApiReference;

/// <summary>
/// The examples of docs/api.md, one per public type. Each runs here as a test, and
/// <c>Gradients.Tests.Docs.DocumentationSnippetTests</c> checks that docs/api.md shows exactly this code.
/// Snippets sit between "// begin-snippet: api-name" and "// end-snippet" lines.
/// </summary>
public sealed class ApiReferenceSnippets
{
    private static readonly double Eps = Math.Pow(2, -52);

    private struct Polar : IVectorFunction<double>
    {
        public readonly void Evaluate(ReadOnlySpan<double> x, Span<double> values)
        {
            values[0] = x[0] * Math.Cos(x[1]);
            values[1] = x[0] * Math.Sin(x[1]);
        }
    }

    private readonly struct Cube : IScalarFunction<double>
    {
        public double Evaluate(ReadOnlySpan<double> x) => x[0] * x[0] * x[0];
    }

    private readonly struct Square : IDifferentiableFunction<double>
    {
        public double Evaluate(ReadOnlySpan<double> x) => x[0] * x[0];

        public double EvaluateWithGradient(ReadOnlySpan<double> x, Span<double> gradient)
        {
            gradient[0] = 2 * x[0];
            return x[0] * x[0];
        }
    }

    // ---- Functions ----

    [Fact]
    public void Scalar_function()
    {
        // begin-snippet: api-IScalarFunction
        // readonly struct Cube : IScalarFunction<double>
        // {
        //     public double Evaluate(ReadOnlySpan<double> x) => x[0] * x[0] * x[0];
        // }
        var slope = new double[1];
        FiniteDifference.Gradient<double, Cube>(default, [2.0], slope); // slope[0] ≈ 12
        // end-snippet

        // Central difference: truncation h²|f'''|/6 = h² with h ≈ 2∛ε ≈ 1.2e-5, plus round-off ε|f|/h ≈ 1.5e-10.
        Assert.Equal(12.0, slope[0], 1e-8);
    }

    [Fact]
    public void Differentiable_function()
    {
        // begin-snippet: api-IDifferentiableFunction
        // readonly struct Square : IDifferentiableFunction<double> — Evaluate and EvaluateWithGradient
        var gradient = new double[1];
        var value = new Square().EvaluateWithGradient([3.0], gradient); // value = 9, gradient = [6]
        // end-snippet

        Assert.Equal(9.0, value);
        Assert.Equal(6.0, gradient[0]);
    }

    [Fact]
    public void Twice_differentiable_function()
    {
        // begin-snippet: api-ITwiceDifferentiableFunction
        ITwiceDifferentiableFunction<double> f = new Booth<double>();
        var hessian = new double[4];
        f.Hessian([0.0, 0.0], hessian); // [10, 8, 8, 10], row-major 2×2
        // end-snippet

        Assert.Equal([10.0, 8.0, 8.0, 10.0], hessian);
    }

    [Fact]
    public void Vector_function()
    {
        // begin-snippet: api-IVectorFunction
        // struct Polar : IVectorFunction<double>: (r, θ) ↦ (r cos θ, r sin θ)
        var jacobian = new double[4]; // row-major m×n = 2×2
        FiniteDifference.Jacobian<double, Polar>(default, [2.0, 0.0], jacobian);
        // jacobian ≈ [1, 0, 0, 2]: ∂(x, y)/∂(r, θ) at r = 2, θ = 0
        // end-snippet

        // Central differences: truncation h²|F'''|/6 with h ≈ ∛ε·max(|x|, 1) ≈ 1.2e-5 → ≈ 5e-11; round-off ε|F|/h ≈ 4e-11.
        Assert.Equal(1.0, jacobian[0], 1e-8);
        Assert.Equal(0.0, jacobian[1], 1e-8);
        Assert.Equal(0.0, jacobian[2], 1e-8);
        Assert.Equal(2.0, jacobian[3], 1e-8);
    }

    [Fact]
    public void Gradient_function_delegate()
    {
        // begin-snippet: api-GradientFunction
        GradientFunction<double> gradient = (x, g) => { g[0] = 2 * x[0]; g[1] = 10 * x[1]; };
        var report = GradientCheck.Check(x => (x[0] * x[0]) + (5 * x[1] * x[1]), gradient, [1.0, 0.5]);
        // report.Passed == true
        // end-snippet

        Assert.True(report.Passed, report.ToString());
    }

    [Fact]
    public void Weighted_sum_of_squares()
    {
        // begin-snippet: api-WeightedSumOfSquares
        var f = new WeightedSumOfSquares<double>([1.0, 5.0]); // f = x² + 5y²
        var gradient = new double[2];
        var value = f.EvaluateWithGradient([1.0, 0.5], gradient); // value = 2.25, gradient = [2, 5]
        // end-snippet

        Assert.Equal(2.25, value);
        Assert.Equal([2.0, 5.0], gradient);
        Assert.Equal(2, f.Dimension);
    }

    [Fact]
    public void Quadratic_form()
    {
        // begin-snippet: api-QuadraticForm
        // f(x) = ½xᵀAx + bᵀx + c with A = [[2, 1], [1, 4]], b = [1, −1], c = 3
        var f = new QuadraticForm<double>([2.0, 1.0, 1.0, 4.0], [1.0, -1.0], 3.0);
        var gradient = new double[2];
        var value = f.EvaluateWithGradient([1.0, 1.0], gradient); // value = 7, gradient = Ax + b = [4, 4]
        // end-snippet

        Assert.Equal(7.0, value);
        Assert.Equal([4.0, 4.0], gradient);
    }

    [Fact]
    public void Rosenbrock_function()
    {
        // begin-snippet: api-Rosenbrock
        var f = new Rosenbrock<double>();
        var gradient = new double[3];
        var value = f.EvaluateWithGradient([1.0, 1.0, 1.0], gradient); // the minimum: value = 0, gradient = 0
        // end-snippet

        Assert.Equal(0.0, value);
        Assert.Equal([0.0, 0.0, 0.0], gradient);
    }

    [Fact]
    public void Beale_function()
    {
        // begin-snippet: api-Beale
        var value = new Beale<double>().Evaluate([3.0, 0.5]); // the minimum, 0
        // end-snippet

        Assert.Equal(0.0, value);
    }

    [Fact]
    public void Booth_function()
    {
        // begin-snippet: api-Booth
        var value = new Booth<double>().Evaluate([1.0, 3.0]); // the minimum, 0
        // end-snippet

        Assert.Equal(0.0, value);
    }

    [Fact]
    public void Himmelblau_function()
    {
        // begin-snippet: api-Himmelblau
        var gradient = new double[2];
        var value = new Himmelblau<double>().EvaluateWithGradient([3.0, 2.0], gradient); // a minimum: 0, [0, 0]
        // end-snippet

        Assert.Equal(0.0, value);
        Assert.Equal([0.0, 0.0], gradient);
    }

    [Fact]
    public void Log_sum_exp()
    {
        // begin-snippet: api-LogSumExp
        var softmax = new double[2];
        var value = new LogSumExp<double>().EvaluateWithGradient([1000.0, 1000.0], softmax);
        // value = 1000 + ln 2 (no overflow), softmax = [0.5, 0.5]
        // end-snippet

        // Evaluated as m + log Σ exp(xᵢ − m): one rounding of 1000 + ln 2, i.e. ≤ ε·1000 ≈ 2.3e-13.
        Assert.Equal(1000.0 + Math.Log(2), value, 1000 * Eps * 2);
        Assert.Equal(0.5, softmax[0], 4 * Eps);
        Assert.Equal(0.5, softmax[1], 4 * Eps);
    }

    // ---- Finite differences ----

    [Fact]
    public void Finite_difference()
    {
        // begin-snippet: api-FiniteDifference
        var slope = FiniteDifference.Derivative(Math.Sin, 1.0); // ≈ cos 1
        var hessian = new double[4];
        FiniteDifference.Hessian<double, Booth<double>>(default, [0.0, 0.0], hessian); // ≈ [10, 8, 8, 10]
        // end-snippet

        // Central first difference: h²|f'''|/6 + ε|f|/h with h = ∛ε ≈ 6e-6 → ≈ 1e-11.
        Assert.Equal(Math.Cos(1.0), slope, 1e-9);

        // Central second differences of a quadratic have no truncation error; round-off ε|f|/h² with f(0) = 74 and
        // h = ε^¼ ≈ 1.2e-4 → ≈ 1.1e-6.
        Assert.Equal(10.0, hessian[0], 1e-5);
        Assert.Equal(8.0, hessian[1], 1e-5);
        Assert.Equal(8.0, hessian[2], 1e-5);
        Assert.Equal(10.0, hessian[3], 1e-5);
    }

    [Fact]
    public void Finite_difference_options()
    {
        // begin-snippet: api-FiniteDifferenceOptions
        var options = new FiniteDifferenceOptions<double>
        {
            Scheme = FiniteDifferenceScheme.Forward,
            StepKind = StepSizeKind.Absolute,
            Step = 1e-4,
        };
        var estimate = FiniteDifference.Derivative(x => x * x, 3.0, options);
        // estimate.Value ≈ 6 + h = 6.0001 (forward differences are first order), estimate.Step == 1e-4
        // end-snippet

        // Forward difference of x²: exactly 2x + h in exact arithmetic; round-off ε|f|/h ≈ 2e-11.
        Assert.Equal(6.0001, estimate.Value, 1e-9);
        Assert.Equal(1e-4, estimate.Step, 1e-4 * 1e-10);
    }

    [Fact]
    public void Finite_difference_scheme()
    {
        // begin-snippet: api-FiniteDifferenceScheme
        var fourth = new FiniteDifferenceOptions<double> { Scheme = FiniteDifferenceScheme.FourthOrderCentral };
        var slope = FiniteDifference.Derivative(Math.Exp, 0.0, fourth).Value; // ≈ 1, error ~1e-11
        // end-snippet

        // Fourth-order central: truncation h⁴|f⁽⁵⁾|/30 with h = 1.5∛ε ≈ 9e-6 → ≈ 0; round-off ≤ 1.5ε|f|/h ≈ 3.7e-11.
        Assert.Equal(1.0, slope, 1e-10);
    }

    [Fact]
    public void Finite_difference_estimate()
    {
        // begin-snippet: api-FiniteDifferenceEstimate
        var richardson = new FiniteDifferenceOptions<double> { Scheme = FiniteDifferenceScheme.Richardson };
        var estimate = FiniteDifference.Derivative(Math.Exp, 1.0, richardson);
        // estimate.Value ≈ e, estimate.HasErrorEstimate, estimate.ErrorEstimate ≈ |Value − e|
        // end-snippet

        // Richardson on central differences at k = h/2 = 1.5∛ε: truncation k⁴|f⁽⁵⁾|/30 ≈ 0; round-off ≤ 1.5ε·e/k ≈ 1.0e-10.
        Assert.Equal(Math.E, estimate.Value, 1e-10);
        Assert.True(estimate.HasErrorEstimate);
        Assert.True(estimate.ErrorEstimate >= 0);
        Assert.False(estimate.OneSided);
    }

    [Fact]
    public void Finite_difference_result()
    {
        // begin-snippet: api-FiniteDifferenceResult
        var options = new FiniteDifferenceOptions<double> { Scheme = FiniteDifferenceScheme.Richardson };
        var gradient = new double[2];
        var result = FiniteDifference.Gradient(x => (x[0] * x[0]) + (5 * x[1] * x[1]), [1.0, 0.5], gradient, options);
        // result.Evaluations == 8 (four per coordinate), result.MaxErrorEstimate bounds the worst component's error
        // end-snippet

        // Quadratic: Richardson's central stencils are exact in exact arithmetic, leaving round-off ≤ 1.5ε|f|/k ≈ 1e-10.
        Assert.Equal(2.0, gradient[0], 1e-9);
        Assert.Equal(5.0, gradient[1], 1e-9);
        Assert.Equal(8, result.Evaluations);
        Assert.True(result.HasErrorEstimate);
        Assert.Equal(0, result.OneSidedCoordinates);
    }

    [Fact]
    public void Step_size()
    {
        // begin-snippet: api-StepSize
        var eps = StepSize.MachineEpsilon<double>();                          // 2⁻⁵², not double.Epsilon
        var factor = StepSize.Factor<double>(FiniteDifferenceScheme.Central); // ∛ε ≈ 6.06e-6
        var h = StepSize.Default(FiniteDifferenceScheme.Central, 100.0);      // ≈ 100·∛ε, with 100 ± h exact
        // end-snippet

        Assert.Equal(Math.Pow(2, -52), eps);
        Assert.Equal(Math.Cbrt(Eps), factor, 4 * Eps * factor);

        // The rounding h ← (|x| + h) − |x| moves h by at most half an ulp of 100.
        Assert.Equal(100 * factor, h, Math.BitIncrement(100.0) - 100.0);
        Assert.Equal(h, (100.0 + h) - 100.0);
    }

    [Fact]
    public void Step_size_kind()
    {
        // begin-snippet: api-StepSizeKind
        // Relative (the default): h = Step·max(|x|, 1); Absolute: h = Step as given.
        var relative = new FiniteDifferenceOptions<double> { Step = 1e-3, StepKind = StepSizeKind.Relative };
        var estimate = FiniteDifference.Derivative(x => x * x, 1000.0, relative); // estimate.Step ≈ 1
        // end-snippet

        // The rounding to a representable stencil moves h by at most half an ulp of 1000 ≈ 1.1e-13.
        Assert.Equal(1.0, estimate.Step, 1e-12);

        // Central difference of x² is exact in exact arithmetic; round-off ε|f|/h ≈ 2.2e-10.
        Assert.Equal(2000.0, estimate.Value, 1e-8);
    }

    [Fact]
    public void Non_finite_value_policy()
    {
        // begin-snippet: api-NonFiniteValuePolicy
        static double DefinedForNonNegative(double x) => x >= 0 ? (x * x) + x : double.NaN;

        var fallBack = new FiniteDifferenceOptions<double> { NonFiniteValues = NonFiniteValuePolicy.FallBackToOneSided };
        var estimate = FiniteDifference.Derivative(DefinedForNonNegative, 0.0, fallBack);
        // estimate.OneSided == true, estimate.Value ≈ 1; with the default policy (Throw): NotFiniteNumberException
        // end-snippet

        // A one-sided difference at 0 with h ≤ ∛ε: truncation ≤ h|f''| ≈ 1.2e-5 at first order; round-off ε/h.
        Assert.True(estimate.OneSided);
        Assert.Equal(1.0, estimate.Value, 1e-4);
        Assert.Throws<NotFiniteNumberException>(() => FiniteDifference.Derivative(DefinedForNonNegative, 0.0));
    }

    // ---- Directional & gradient fields ----

    [Fact]
    public void Directional_derivatives()
    {
        // begin-snippet: api-Directional
        double[] gradient = [2.0, 5.0];
        var along = Directional.Derivative(gradient, [1.0, 1.0]);  // ∇f·d/‖d‖ = 7/√2
        var directions = new double[8];
        Directional.UnitCircle(directions);                        // 0°, 90°, 180°, 270°
        var rates = new double[4];
        Directional.Derivatives(gradient, directions, rates);      // ≈ [2, 5, −2, −5]
        var descent = new double[2];
        var rate = Directional.SteepestDescent(gradient, descent); // −√29, descent = −∇f/√29
        // end-snippet

        // Each is a dot product of length 2 and a norm: a few roundings, ≤ 8ε relative to ‖∇f‖‖d‖.
        var tolerance = 8 * Eps * Math.Sqrt(29);
        Assert.Equal(7 / Math.Sqrt(2), along, tolerance);
        Assert.Equal(2.0, rates[0], tolerance);
        Assert.Equal(5.0, rates[1], tolerance);
        Assert.Equal(-2.0, rates[2], tolerance);
        Assert.Equal(-5.0, rates[3], tolerance);
        Assert.Equal(-Math.Sqrt(29), rate, tolerance);
        Assert.Equal(-2 / Math.Sqrt(29), descent[0], 4 * Eps);
        Assert.Equal(Math.Sqrt(29), Directional.MaximalRate(gradient), tolerance);
    }

    [Fact]
    public void Grid_points()
    {
        // begin-snippet: api-Grid
        var grid = new Grid<double>(-1.0, 1.0, 3, 0.0, 2.0, 5); // x ∈ {−1, 0, 1}, y ∈ {0, 0.5, …, 2}
        // grid.Count == 15, grid.X(1) == 0, grid.Y(4) == 2 (the last value is exact)
        // end-snippet

        Assert.Equal(15, grid.Count);
        Assert.Equal(0.0, grid.X(1));
        Assert.Equal(2.0, grid.Y(4));
        Assert.Equal(0.5, grid.Y(1));
    }

    [Fact]
    public void Gradient_field()
    {
        // begin-snippet: api-GradientField
        var grid = new Grid<double>(-3.0, 3.0, 12, -3.0, 3.0, 12);
        var values = new double[grid.Count];
        var gradientX = new double[grid.Count];
        var gradientY = new double[grid.Count];
        GradientField.Sample<double, Himmelblau<double>>(grid, default, values, gradientX, gradientY);
        // point (grid.X(column), grid.Y(row)) sits at index row * grid.XCount + column
        // end-snippet

        var f = new Himmelblau<double>();
        var g = new double[2];
        for (var row = 0; row < grid.YCount; row++)
        {
            for (var column = 0; column < grid.XCount; column++)
            {
                var value = f.EvaluateWithGradient([grid.X(column), grid.Y(row)], g);
                var i = (row * grid.XCount) + column;
                Assert.Equal(value, values[i]);
                Assert.Equal(g[0], gradientX[i]);
                Assert.Equal(g[1], gradientY[i]);
            }
        }
    }

    // ---- Checking ----

    [Fact]
    public void Gradient_check()
    {
        // begin-snippet: api-GradientCheck
        var x = new double[] { -1.2, 1.0 };
        var full = GradientCheck.Check<double, Rosenbrock<double>>(default, x);                // one row per component
        var fast = GradientCheck.CheckRandomDirections<double, Rosenbrock<double>>(default, x); // 8 seeded directions
        // full.Passed && fast.Passed
        // end-snippet

        Assert.True(full.Passed, full.ToString());
        Assert.True(fast.Passed, fast.ToString());
        Assert.Equal(2, full.Entries.Count);
        Assert.Equal(GradientCheck.DefaultDirectionCount, fast.Entries.Count);
    }

    [Fact]
    public void Gradient_check_report()
    {
        // begin-snippet: api-GradientCheckReport
        GradientFunction<double> wrong = (x, g) => { g[0] = 2 * x[0]; g[1] = 5 * x[1]; }; // ∂/∂y should be 10y
        var report = GradientCheck.Check(x => (x[0] * x[0]) + (5 * x[1] * x[1]), wrong, [1.0, 0.5]);
        // report.Passed == false, report.FailureCount == 1, report.WorstIndex == 1
        Console.WriteLine(report); // a table: index, analytic, numeric, errors, tolerance
        // end-snippet

        Assert.False(report.Passed);
        Assert.Equal(1, report.FailureCount);
        Assert.Equal(1, report.WorstIndex);
        Assert.Equal(GradientCheckMode.Components, report.Mode);
    }

    [Fact]
    public void Gradient_check_entry()
    {
        // begin-snippet: api-GradientCheckEntry
        var report = GradientCheck.Check<double, Himmelblau<double>>(default, [1.0, 1.0]);
        var entry = report.Entries[0]; // ∂f/∂x at (1, 1): analytic −46
        // entry.Analytic == −46, entry.Numeric ≈ −46, entry.AbsoluteError ≤ entry.Tolerance, entry.Passed
        // end-snippet

        Assert.Equal(-46.0, entry.Analytic);

        // Richardson per component: error ~1e-12·|f'|; the check's own tolerance is the error model's bound.
        Assert.Equal(-46.0, entry.Numeric, 1e-8);
        Assert.True(entry.AbsoluteError <= entry.Tolerance);
        Assert.True(entry.Passed);
    }

    [Fact]
    public void Gradient_check_mode()
    {
        // begin-snippet: api-GradientCheckMode
        var report = GradientCheck.CheckRandomDirections<double, Booth<double>>(default, [0.0, 0.0], directionCount: 3, seed: 42);
        // report.Mode == GradientCheckMode.RandomDirections, report.Seed == 42, report.Directions.Length == 3 × 2
        // end-snippet

        Assert.Equal(GradientCheckMode.RandomDirections, report.Mode);
        Assert.Equal(42, report.Seed);
        Assert.Equal(6, report.Directions.Length);
        Assert.True(report.Passed, report.ToString());
    }

    [Fact]
    public void Gradient_check_options()
    {
        // begin-snippet: api-GradientCheckOptions
        // A function that sums many terms loses more than 16ε per evaluation: say so.
        var options = GradientCheckOptions.Default with { EvaluationError = 1000 };
        var report = GradientCheck.Check<double, LogSumExp<double>>(default, [0.1, 0.2, 0.3], options);
        // end-snippet

        Assert.True(report.Passed, report.ToString());
        Assert.Equal(10, options.SafetyFactor);
    }

    // ---- Losses ----

    [Fact]
    public void Mean_squared_error()
    {
        // begin-snippet: api-MeanSquaredError
        double[] features = [1, 2, 3, 4]; // X: 2 rows × 2 features, row-major
        double[] targets = [1, 2];
        double[] weights = [0.5, 0.5];
        var gradient = new double[2];
        var loss = MeanSquaredError.LossAndGradient(features, targets, weights, gradient);
        // r = Xw − y = [0.5, 1.5]; loss = (0.25 + 2.25)/2 = 1.25; gradient = (2/N)·Xᵀr = [5, 7]
        // end-snippet

        // Accumulated in double over 2 rows: a handful of roundings of values ≤ 10, ≤ 16ε·10.
        Assert.Equal(1.25, loss, 16 * Eps * 10);
        Assert.Equal(5.0, gradient[0], 16 * Eps * 10);
        Assert.Equal(7.0, gradient[1], 16 * Eps * 10);
    }

    [Fact]
    public void Mean_squared_error_options()
    {
        // begin-snippet: api-MeanSquaredErrorOptions
        var ridge = new MeanSquaredErrorOptions { L2Penalty = 0.1, MaxDegreeOfParallelism = -1 };
        var loss = MeanSquaredError.Loss([1, 2, 3, 4], [1, 2], [0.5, 0.5], ridge);
        // 1.25 + 0.1·‖w‖² = 1.25 + 0.05 = 1.3 (bit-identical for any thread count)
        // end-snippet

        // As above, plus the penalty's two products and one addition.
        Assert.Equal(1.3, loss, 16 * Eps * 10);
        Assert.Equal(MeanSquaredError.Loss([1, 2, 3, 4], [1, 2], [0.5, 0.5], ridge with { MaxDegreeOfParallelism = 1 }), loss);
    }

    [Fact]
    public void Mean_squared_error_multi_output_and_tensors()
    {
        // begin-snippet: api-MeanSquaredError-more
        // K = 2 outputs sharing X: targets N×K, weights D×K, gradient D×K, one loss per output
        var losses = new double[2];
        var gradients = new double[4];
        MeanSquaredError.LossAndGradient([1, 2, 3, 4], [1, 0, 2, 0], [0.5, 0, 0.5, 0], gradients, losses);
        // losses = [1.25, 0], output 0 is the single-output problem above

        // Intercept b, its gradient (2/N)·Σr and the residuals
        var residuals = new double[2];
        var lossB = MeanSquaredError.LossAndGradient([1, 2, 3, 4], [1, 2], [0.5, 0.5], 1.0, new double[2], out var db, residuals);
        // residuals = [1.5, 2.5], db = 4

        // System.Numerics.Tensors: features rank 2 (N×D), targets and weights rank 1
        var lossT = MeanSquaredError.Loss(Tensor.Create(new double[] { 1, 2, 3, 4 }, [2, 2]), Tensor.Create(new double[] { 1, 2 }, [2]), Tensor.Create(new double[] { 0.5, 0.5 }, [2]));
        // lossT = 1.25
        // end-snippet

        var tolerance = 16 * Eps * 10;
        Assert.Equal(1.25, losses[0], tolerance);
        Assert.Equal(0.0, losses[1]);
        Assert.Equal(5.0, gradients[0], tolerance);
        Assert.Equal(7.0, gradients[2], tolerance);
        Assert.Equal([1.5, 2.5], residuals);
        Assert.Equal(4.0, db, tolerance);
        Assert.Equal((2.25 + 6.25) / 2, lossB, tolerance);
        Assert.Equal(1.25, lossT, tolerance);
    }

    [Fact]
    public void Mean_squared_error_accumulator()
    {
        // begin-snippet: api-MeanSquaredErrorAccumulator
        var accumulator = new MeanSquaredErrorAccumulator<double>([0.5, 0.5]);
        accumulator.Add([1, 2], [1]); // batches of rows, e.g. as they stream from a file
        accumulator.Add([3, 4], [2]);
        var gradient = new double[2];
        var loss = accumulator.LossAndGradient(gradient); // 1.25, [5, 7]: as one call over all rows
        // end-snippet

        Assert.Equal(2, accumulator.Count);
        var whole = new double[2];
        var wholeLoss = MeanSquaredError.LossAndGradient([1, 2, 3, 4], [1, 2], [0.5, 0.5], whole);

        // Both sum the same double residuals in the same row order: identical up to a few roundings.
        Assert.Equal(wholeLoss, loss, 16 * Eps * 10);
        Assert.Equal(whole[0], gradient[0], 16 * Eps * 10);
        Assert.Equal(whole[1], gradient[1], 16 * Eps * 10);
    }

    [Fact]
    public void Softmax_cross_entropy()
    {
        // begin-snippet: api-SoftmaxCrossEntropy
        double[] features = [1, 2, 3, 4]; // X: 2 rows × 2 features
        int[] labels = [0, 2];            // class indices; K = weights.Length / D = 3
        var weights = new double[6];      // W: D×K row-major, here 0: every class equally likely
        var gradient = new double[6];
        var loss = SoftmaxCrossEntropy.LossAndGradient<double>(features, labels, weights, gradient);
        // loss = log 3; gradient = (1/N)·Xᵀ(softmax(XW) − onehot(y)) = [1/6, 2/3, -5/6, 0, 1, -1]
        // end-snippet

        // One log and sums of thirds: within a few ulps.
        Assert.Equal(Math.Log(3), loss, 4 * Eps);
        double[] expected = [1.0 / 6, 2.0 / 3, -5.0 / 6, 0, 1, -1];
        Assert.All(expected.Zip(gradient), t => Assert.Equal(t.First, t.Second, 8 * Eps));
    }
}
