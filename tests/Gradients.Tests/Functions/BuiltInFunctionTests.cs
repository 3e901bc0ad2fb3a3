namespace Gradients.Tests.Functions;

public sealed class BuiltInFunctionTests
{
    [Fact]
    public void Chapter_function_has_gradient_two_five_at_one_half()
    {
        // f(x, y) = x² + 5y², ∇f = (2x, 10y): at (1, 0.5) every operation is exact, so the gradient is exactly [2, 5].
        var f = new WeightedSumOfSquares<double>([1, 5]);
        var gradient = new double[2];
        var value = f.EvaluateWithGradient([1.0, 0.5], gradient);
        Assert.Equal([2.0, 5.0], gradient);
        Assert.Equal(2.25, value);
        Assert.Equal(2.25, f.Evaluate([1.0, 0.5]));
    }

    public static TheoryData<string, double[]> KnownMinima => new()
    {
        // Each function's published minimizer (see the type's remarks for the source), where f = 0 and ∇f = 0 exactly.
        { "Booth", [1, 3] },
        { "Beale", [3, 0.5] },
        { "Himmelblau", [3, 2] },
        { "Rosenbrock", [1, 1, 1, 1, 1] },
    };

    [Theory]
    [MemberData(nameof(KnownMinima))]
    public void Value_and_gradient_vanish_at_the_published_minimum(string name, double[] minimizer)
    {
        IDifferentiableFunction<double> f = name switch
        {
            "Booth" => new Booth<double>(),
            "Beale" => new Beale<double>(),
            "Himmelblau" => new Himmelblau<double>(),
            _ => new Rosenbrock<double>(),
        };
        var gradient = new double[minimizer.Length];
        Assert.Equal(0.0, f.EvaluateWithGradient(minimizer, gradient));
        Assert.All(gradient, g => Assert.Equal(0.0, g));
    }

    [Fact]
    public void Log_sum_exp_does_not_overflow_for_large_inputs()
    {
        var f = new LogSumExp<double>();
        var gradient = new double[2];
        var value = f.EvaluateWithGradient([1000.0, 1000.0], gradient);

        // log(2e^1000) = 1000 + log 2; the unshifted sum would overflow to +∞.
        Assert.Equal(1000 + Math.Log(2), value, 12);
        Assert.Equal([0.5, 0.5], gradient);
        Assert.Equal(double.PositiveInfinity, f.Evaluate([1.0, double.PositiveInfinity]));
        Assert.Equal(double.NegativeInfinity, f.Evaluate([double.NegativeInfinity, double.NegativeInfinity]));
    }

    [Fact]
    public void Functions_copy_their_arrays_and_never_write_inputs()
    {
        double[] weights = [1, 5];
        var f = new WeightedSumOfSquares<double>(weights);
        weights[1] = 100;
        Assert.Equal(6.0, f.Evaluate([1.0, 1.0]));

        double[] matrix = [2, 1, 3, 4];
        double[] linear = [1, -1];
        var q = new QuadraticForm<double>(matrix, linear, 0.5);
        matrix[0] = 1e9;
        linear[0] = 1e9;
        double[] x = [1.0, 2.0];

        // ½xᵀAx + bᵀx + c with A = [[2, 1], [3, 4]]: ½(2 + 2 + 6 + 16) − 1 + 0.5 = 12.5; S = [[2, 2], [2, 4]].
        Assert.Equal(12.5, q.Evaluate(x));
        Assert.Equal([2.0, 2.0, 2.0, 4.0], q.SymmetricMatrix.ToArray());
        var gradient = new double[2];
        Assert.Equal(12.5, q.EvaluateWithGradient(x, gradient));
        Assert.Equal([2.0 + 4.0 + 1.0, 2.0 + 8.0 - 1.0], gradient);
        Assert.Equal([1.0, 2.0], x);
    }

    [Fact]
    public void Wrong_point_length_names_the_sizes()
    {
        var f = new WeightedSumOfSquares<double>([1, 5]);
        var error = Assert.Throws<ArgumentException>(() => f.Evaluate([1.0, 2.0, 3.0]));
        Assert.Equal("x", error.ParamName);
        Assert.Contains("3", error.Message, StringComparison.Ordinal);
        Assert.Contains("2", error.Message, StringComparison.Ordinal);

        Assert.Throws<ArgumentException>(() => new Booth<float>().Evaluate([1f]));
        Assert.Throws<ArgumentException>(() => new Beale<double>().Evaluate([1.0, 2.0, 3.0]));
        Assert.Throws<ArgumentException>(() => new Himmelblau<double>().Evaluate([]));
        Assert.Throws<ArgumentException>(() => new Rosenbrock<double>().Evaluate([1.0]));
        Assert.Throws<ArgumentException>(() => new LogSumExp<double>().Evaluate([]));
    }

    [Fact]
    public void Wrong_gradient_or_hessian_length_and_overlap_are_rejected()
    {
        var f = new Rosenbrock<double>();
        var error = Assert.Throws<ArgumentException>(() => f.EvaluateWithGradient([1.0, 2.0, 3.0], new double[2]));
        Assert.Equal("gradient", error.ParamName);
        var hessianError = Assert.Throws<ArgumentException>(() => f.Hessian([1.0, 2.0, 3.0], new double[6]));
        Assert.Equal("hessian", hessianError.ParamName);
        Assert.Contains("9", hessianError.Message, StringComparison.Ordinal);

        var buffer = new double[4];
        Assert.Throws<ArgumentException>(() => f.EvaluateWithGradient(buffer.AsSpan(0, 2), buffer.AsSpan(1, 2)));
    }

    [Fact]
    public void Constructors_validate_their_shapes()
    {
        Assert.Throws<ArgumentException>(() => new WeightedSumOfSquares<double>([]));
        var error = Assert.Throws<ArgumentException>(() => new QuadraticForm<double>(new double[5], new double[2], 0));
        Assert.Equal("matrix", error.ParamName);
        Assert.Contains("5", error.Message, StringComparison.Ordinal);
        Assert.Contains("4", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Log_sum_exp_hessian_is_diag_p_minus_p_p_transpose()
    {
        double[] x = [0.3, -1.2, 2.0];
        var p = new double[3];
        new LogSumExp<double>().EvaluateWithGradient(x, p);
        var hessian = new double[9];
        new LogSumExp<double>().Hessian(x, hessian);
        for (var i = 0; i < 3; i++)
        {
            for (var j = 0; j < 3; j++)
            {
                // Each entry is one product and at most one addition away from the formula: 2 roundings of ≤ 1.
                var expected = (i == j ? p[i] : 0) - (p[i] * p[j]);
                Assert.True(Math.Abs(hessian[(i * 3) + j] - expected) <= 2 * Math.Pow(2, -53), $"H[{i},{j}]");
            }
        }
    }
}
