namespace Gradients.Tests.Functions;

/// <summary>
/// The absolute twin's derivative bounds (<see cref="FunctionSample.AbsoluteGradient"/>,
/// <see cref="FunctionSample.AbsoluteHessian"/>) set the tolerances of the property tests, so they must stay upper
/// bounds where the twin's differences cancel: a coordinate far larger than another.
/// </summary>
public sealed class FunctionSampleBoundTests
{
    // Found by CI (seed 5559304828791845804,14579844724221138387): the Hessian-vector product of Himmelblau here was
    // 2 ulp off the analytic one, and the tolerance, from a twin Hessian lost to cancellation, was 1.7 ulp.
    private static readonly double[] FarAlongOneAxis = [-212324.44620002192, 2.8575905433749494E-06];

    [Fact]
    public void Himmelblau_twin_bounds_hold_where_one_coordinate_dwarfs_the_other()
    {
        var sample = Sample("Himmelblau", x => [Square((x[0] * x[0]) + Math.Abs(x[1]) + 11), Square(Math.Abs(x[0]) + (x[1] * x[1]) + 7)]);
        double a = Math.Abs(FarAlongOneAxis[0]), b = Math.Abs(FarAlongOneAxis[1]);

        // The twin (a² + b + 11)² + (a + b² + 7)² differentiated by hand at |x|.
        var gradientB = (2 * ((a * a) + b + 11)) + (4 * b * (a + (b * b) + 7));
        var hessianAB = (4 * a) + (4 * b);
        var hessianBB = 2 + (4 * (a + (b * b) + 7)) + (8 * b * b);
        Assert.True(sample.AbsoluteGradient(FarAlongOneAxis, 1) >= gradientB, $"{sample.AbsoluteGradient(FarAlongOneAxis, 1)} < {gradientB}");
        Assert.True(sample.AbsoluteHessian(FarAlongOneAxis, 0, 1) >= hessianAB, $"{sample.AbsoluteHessian(FarAlongOneAxis, 0, 1)} < {hessianAB}");
        Assert.True(sample.AbsoluteHessian(FarAlongOneAxis, 1, 1) >= hessianBB, $"{sample.AbsoluteHessian(FarAlongOneAxis, 1, 1)} < {hessianBB}");
    }

    [Fact]
    public void Rosenbrock_twin_Hessian_bound_holds_along_the_small_coordinate()
    {
        // 100(|x₁| + x₀²)² + (1 + |x₀|)²: ∂²/∂x₁² = 200, under a term of 100·x₀⁴ ≈ 2e23.
        double[] x = [-212324.44620002192, 2.8575905433749494E-06];
        var sample = Sample("Rosenbrock", v => [(100 * Square(Math.Abs(v[1]) + (v[0] * v[0]))) + Square(1 + Math.Abs(v[0]))]);
        Assert.True(sample.AbsoluteHessian(x, 1, 1) >= 200, $"{sample.AbsoluteHessian(x, 1, 1)} < 200");
    }

    [Fact]
    public void Bounds_stay_tight_where_nothing_cancels()
    {
        // At (3, 2) the bound is the forward difference of the twin: within a few percent of the derivative.
        double[] x = [3, 2];
        var sample = Sample("Himmelblau", v => [Square((v[0] * v[0]) + Math.Abs(v[1]) + 11), Square(Math.Abs(v[0]) + (v[1] * v[1]) + 7)]);
        var hessianBB = 2 + (4 * (3 + 4 + 7)) + (8 * 4);
        var bound = sample.AbsoluteHessian(x, 1, 1);
        Assert.InRange(bound, hessianBB, hessianBB * 1.5);
    }

    private static FunctionSample Sample(string name, Func<double[], IEnumerable<double>> terms) =>
        new(name, new Himmelblau<double>(), new Himmelblau<float>(), FarAlongOneAxis, terms);

    private static double Square(double value) => value * value;
}
