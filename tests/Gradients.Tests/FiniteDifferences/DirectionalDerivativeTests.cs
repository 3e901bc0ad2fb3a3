using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Gradients.Tests.Properties;

namespace Gradients.Tests.FiniteDifferences;

public sealed class DirectionalDerivativeTests
{
    [Fact]
    public void Chapter_example_directional_derivative_along_the_gradient_is_its_norm()
    {
        double[] p = [1.0, 0.5];

        var along = FiniteDifference.DirectionalDerivative<double>(TestFunctions.Chapter, p, [2.0, 5.0]);
        var across = FiniteDifference.DirectionalDerivative<double>(TestFunctions.Chapter, p, [-5.0, 2.0]);

        // Quadratic f: no truncation; round-off ε|f|/h ≈ 1e-11.
        Assert.Equal(Math.Sqrt(29.0), along, 1e-9);
        Assert.Equal(0.0, across, 1e-9);
    }

    [Property(MaxTest = 100)]
    public Property Uses_two_evaluations_whatever_n_is_and_matches_gradient_dot_u() =>
        Prop.ForAll(
            (from n in Gen.Choose(1, 40)
             from x in Generators.Vector(Generators.Unit, n)
             from u in Generators.UnitDirection(n)
             from scale in Generators.PositiveMagnitude(-3, 3)
             select (x, u, scale)).ToArbitrary(),
            c =>
            {
                var calls = 0;
                var direction = c.u.Select(v => v * c.scale).ToArray();
                var numeric = FiniteDifference.DirectionalDerivative<double>(
                    v =>
                    {
                        calls++;
                        return TestFunctions.LogSumExp(v);
                    },
                    c.x,
                    direction);
                var gradient = new double[c.x.Length];
                TestFunctions.LogSumExpGradient(c.x, gradient);
                var exact = gradient.Zip(c.u, (g, u) => g * u).Sum();

                // Central error model along the line: h²|f‴|/6 + ε|f|/h with |f‴| ≤ 2 for log-sum-exp along a unit
                // vector, plus the displacement round-off ε·Σ|xᵢ|·‖∇f‖/h of moving x along u coordinate by coordinate.
                var h = Math.Cbrt(Math.Pow(2, -52)) * Math.Max(1, c.x.Zip(c.u, (x, u) => Math.Abs(x * u)).Sum());
                var f = TestFunctions.LogSumExp<double>(c.x);
                var bound = ErrorModel.FirstDerivative<double>(FiniteDifferenceScheme.Central, h, new DerivativeBounds(Math.Abs(f) + h, exact, 1, 2, 0), evaluationUlps: c.x.Length + 2)
                    + (Math.Pow(2, -52) * c.x.Sum(Math.Abs) / h);
                return (calls == 2 && Math.Abs(numeric - exact) <= bound).Label($"calls {calls}, {numeric} vs {exact}, bound {bound}");
            });

    [Fact]
    public void Struct_and_delegate_front_doors_agree_bit_for_bit()
    {
        double[] x = [-1.2, 1.0, 0.7];
        double[] direction = [1.0, -2.0, 0.5];

        var viaDelegate = FiniteDifference.DirectionalDerivative<double>(TestFunctions.Rosenbrock, x, direction);
        var viaStruct = FiniteDifference.DirectionalDerivative(new RosenbrockFunction<double>(), x, direction);

        Assert.Equal(viaDelegate, viaStruct);
    }

    [Fact]
    public void Zero_direction_is_rejected_naming_the_parameter_and_length()
    {
        var exception = Assert.Throws<ArgumentException>(() =>
            FiniteDifference.DirectionalDerivative<double>(TestFunctions.Chapter, [1.0, 0.5], [0.0, 0.0]));

        Assert.Equal("direction", exception.ParamName);
        Assert.Contains("length 2", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Direction_of_the_wrong_length_is_rejected_naming_both_sizes()
    {
        var exception = Assert.Throws<ArgumentException>(() =>
            FiniteDifference.DirectionalDerivative<double>(TestFunctions.Chapter, [1.0, 0.5], [1.0, 0.0, 0.0]));

        Assert.Equal("direction", exception.ParamName);
        Assert.Contains("3", exception.Message, StringComparison.Ordinal);
        Assert.Contains("2", exception.Message, StringComparison.Ordinal);
    }
}
