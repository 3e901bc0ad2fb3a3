using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Gradients.Tests.Properties;

namespace Gradients.Tests.FiniteDifferences;

public sealed class JacobianTests
{

    [Property(MaxTest = 60)]
    public Property Each_row_equals_the_gradient_of_that_output_bit_for_bit_for_every_scheme() =>
        Prop.ForAll(
            (from x in Generators.Vector(Generators.Unit, 2, 7)
             from scheme in Gen.Elements(TestFunctions.FixedStepSchemes)
             select (x, scheme)).ToArbitrary(),
            c =>
            {
                var n = c.x.Length;
                var options = new FiniteDifferenceOptions<double> { Scheme = c.scheme };
                var jacobian = new double[3 * n];
                var jacobianErrors = new double[3 * n];
                _ = FiniteDifference.Jacobian<double>(TestFunctions.ThreeOutputs, c.x, jacobian, options, jacobianErrors);

                Func<ReadOnlySpan<double>, double>[] rows =
                [
                    TestFunctions.LogSumExp,
                    TestFunctions.Rosenbrock,
                    v => TestFunctions.Separable(Component.Sin, v),
                ];
                var ok = true;
                for (var r = 0; r < 3; r++)
                {
                    var gradient = new double[n];
                    var errors = new double[n];
                    _ = FiniteDifference.Gradient(rows[r], c.x, gradient, options, errors);
                    ok &= gradient.AsSpan().SequenceEqual(jacobian.AsSpan(r * n, n));
                    ok &= errors.Select(BitConverter.DoubleToInt64Bits).SequenceEqual(jacobianErrors.Skip(r * n).Take(n).Select(BitConverter.DoubleToInt64Bits));
                }

                return ok;
            });

    [Property(MaxTest = 100)]
    public Property Linear_map_has_its_matrix_as_Jacobian_within_round_off() =>
        Prop.ForAll(
            (from rows in Gen.Choose(1, 5)
             from columns in Gen.Choose(1, 5)
             from a in Generators.Matrix(Generators.Centered, rows, columns)
             from x in Generators.Vector(Generators.Wide, columns)
             select (a, x)).ToArbitrary(),
            c =>
            {
                var (a, x) = c;
                var jacobian = new double[a.Rows * a.Columns];
                var steps = new double[a.Columns];
                _ = FiniteDifference.Jacobian<double>(
                    (v, values) =>
                    {
                        for (var i = 0; i < a.Rows; i++)
                        {
                            var sum = 0.0;
                            for (var j = 0; j < a.Columns; j++)
                            {
                                sum += a.Values[(i * a.Columns) + j] * v[j];
                            }

                            values[i] = sum;
                        }
                    },
                    x,
                    jacobian,
                    default(FiniteDifferenceOptions<double>),
                    steps: steps);

                // Linear F: no truncation; round-off u|Fᵢ|/h with |Fᵢ| ≤ Σ|aᵢⱼ|(|xⱼ| + h) and u = (n + 1)ε for the sum.
                var ok = true;
                for (var i = 0; i < a.Rows; i++)
                {
                    var magnitude = 0.0;
                    for (var j = 0; j < a.Columns; j++)
                    {
                        magnitude += Math.Abs(a.Values[(i * a.Columns) + j]) * (Math.Abs(x[j]) + steps[j]);
                    }

                    for (var j = 0; j < a.Columns; j++)
                    {
                        var expected = a.Values[(i * a.Columns) + j];
                        var bound = ErrorModel.FirstDerivative<double>(FiniteDifferenceScheme.Central, steps[j], new DerivativeBounds(magnitude, Math.Abs(expected), 0, 0, 0), evaluationUlps: a.Columns + 1);
                        ok &= Math.Abs(jacobian[(i * a.Columns) + j] - expected) <= bound;
                    }
                }

                return ok;
            });

    [Fact]
    public void Struct_and_delegate_front_doors_agree_and_central_costs_2n_evaluations()
    {
        double[] x = [0.5, -1.0, 2.0, 0.1, 1.5];
        var viaDelegate = new double[15];
        var viaStruct = new double[15];
        var calls = 0;

        var result = FiniteDifference.Jacobian<double>(
            (v, values) =>
            {
                calls++;
                TestFunctions.ThreeOutputs(v, values);
            },
            x,
            viaDelegate,
            default(FiniteDifferenceOptions<double>));
        FiniteDifference.Jacobian(new ThreeOutputFunction(), x, viaStruct);

        Assert.Equal(viaDelegate, viaStruct);
        Assert.Equal(10, calls);
        Assert.Equal(10, result.Evaluations);
    }

    [Fact]
    public void Jacobian_in_float_of_a_rotation_is_within_its_error_model()
    {
        float[] x = [0.8f, -0.3f];
        var jacobian = new float[4];
        var steps = new float[2];
        _ = FiniteDifference.Jacobian<float>(
            (v, values) =>
            {
                values[0] = (0.6f * v[0]) - (0.8f * v[1]);
                values[1] = (0.8f * v[0]) + (0.6f * v[1]);
            },
            x,
            jacobian,
            default(FiniteDifferenceOptions<float>),
            steps: steps);

        float[] expected = [0.6f, -0.8f, 0.8f, 0.6f];
        for (var k = 0; k < 4; k++)
        {
            // Linear: round-off only, |F| ≤ 1.4·(|x| + h) + coefficient rounding, u = 3ε.
            var h = (double)steps[k % 2];
            var bound = ErrorModel.FirstDerivative<float>(FiniteDifferenceScheme.Central, h, new DerivativeBounds(1.4 * (0.8 + h), 1, 0, 0, 0), evaluationUlps: 3);
            Assert.InRange(Math.Abs(jacobian[k] - expected[k]), 0, bound);
        }
    }

    [Fact]
    public void A_jacobian_whose_length_is_not_a_multiple_of_n_is_rejected_naming_both_sizes()
    {
        var exception = Assert.Throws<ArgumentException>(() => FiniteDifference.Jacobian<double>(TestFunctions.ThreeOutputs, [1.0, 2.0], new double[5]));

        Assert.Equal("jacobian", exception.ParamName);
        Assert.Contains("length 5", exception.Message, StringComparison.Ordinal);
        Assert.Contains("length 2", exception.Message, StringComparison.Ordinal);
    }

    private readonly struct ThreeOutputFunction : IVectorFunction<double>
    {
        public void Evaluate(ReadOnlySpan<double> x, Span<double> values) => TestFunctions.ThreeOutputs(x, values);
    }
}
