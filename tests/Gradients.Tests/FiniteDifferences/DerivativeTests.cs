using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Gradients.Tests.Properties;

namespace Gradients.Tests.FiniteDifferences;

public sealed class DerivativeTests
{
    [Property(MaxTest = 100)]
    public Property Derivative_equals_the_one_coordinate_gradient_bit_for_bit() =>
        Prop.ForAll(
            (from component in Gen.Elements(Component.Exp, Component.Sin, Component.Cubic)
             from x in component == Component.Cubic ? Generators.Wide : Generators.Magnitude(-6, 1)
             from scheme in Gen.Elements(Enum.GetValues<FiniteDifferenceScheme>())
             select (component, x, scheme)).ToArbitrary(),
            c =>
            {
                var options = new FiniteDifferenceOptions<double> { Scheme = c.scheme };
                var estimate = FiniteDifference.Derivative(t => c.component.Value(t), c.x, options);
                var gradient = new double[1];
                var errors = new double[1];
                var result = FiniteDifference.Gradient(v => TestFunctions.Separable(c.component, v), [c.x], gradient, options, errors);
                return (estimate.Value.Equals(gradient[0]) && estimate.Evaluations == result.Evaluations && estimate.ErrorEstimate.Equals(errors[0]))
                    .Label($"{estimate.Value} vs {gradient[0]}");
            });

    [Fact]
    public void Derivative_of_sin_in_float_is_within_its_error_model()
    {
        var estimate = FiniteDifference.Derivative(MathF.Sin, 0.6f, default(FiniteDifferenceOptions<float>));
        var bound = ErrorModel.FirstDerivative<float>(FiniteDifferenceScheme.Central, estimate.Step, new DerivativeBounds(1, Math.Cos(0.6), 1, 1, 1), evaluationUlps: 1);

        Assert.InRange(Math.Abs(estimate.Value - Math.Cos(0.6f)), 0, bound);
        Assert.Equal(FiniteDifference.Derivative(MathF.Sin, 0.6f), estimate.Value);
    }
}
