using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Gradients.Tests.Robustness;

/// <summary>
/// Random, mostly inconsistent span lengths thrown at every public entry point that takes several spans. Each call
/// must either succeed (when the shapes happen to agree) or throw an <see cref="ArgumentException"/> that names a
/// parameter of the method and gives the sizes; never an IndexOutOfRangeException, a NullReferenceException or a
/// hang from inside.
/// </summary>
public sealed class ShapeFuzzTests
{
    private static readonly Gen<int> AnyLength = Gen.Frequency((3, Gen.Choose(0, 6)), (1, Gen.Choose(7, 40)));

    [Property(MaxTest = 300)]
    public Property Mean_squared_error_accepts_consistent_shapes_and_names_inconsistent_ones() =>
        Prop.ForAll(Gen.Zip(Gen.Zip(AnyLength, AnyLength), Gen.Zip(AnyLength, AnyLength)).ToArbitrary(), lengths =>
        {
            var ((featureCount, targetCount), (weightCount, gradientCount)) = lengths;
            var features = Filled(featureCount);
            var targets = Filled(targetCount);
            var weights = Filled(weightCount);
            var gradient = new double[gradientCount];
            var consistent = targetCount > 0 && weightCount > 0 && featureCount == targetCount * weightCount && gradientCount == weightCount;

            Expect(consistent, ["features", "targets", "weights", "gradient"],
                () => MeanSquaredError.LossAndGradient<double>(features, targets, weights, gradient));
            Expect(consistent || (targetCount > 0 && weightCount > 0 && featureCount == targetCount * weightCount), ["features", "targets", "weights"],
                () => MeanSquaredError.Loss<double>(features, targets, weights));
        });

    [Property(MaxTest = 300)]
    public Property Directional_derivatives_accept_consistent_shapes_and_name_inconsistent_ones() =>
        Prop.ForAll(Gen.Zip(Gen.Zip(AnyLength, AnyLength), AnyLength).ToArbitrary(), lengths =>
        {
            var ((gradientCount, directionsCount), ratesCount) = lengths;
            var gradient = Filled(gradientCount);
            var directions = Filled(directionsCount);
            var rates = new double[ratesCount];

            Expect(gradientCount > 0 && gradientCount == directionsCount, ["gradient", "direction"],
                () => global::Gradients.Directional.Derivative<double>(gradient, directions));
            // An empty batch (no directions, no rates) is a valid no-op.
            Expect(gradientCount > 0 && directionsCount == gradientCount * ratesCount, ["gradient", "directions", "rates"],
                () => global::Gradients.Directional.Derivatives<double>(gradient, directions, rates));
        });

    [Property(MaxTest = 200)]
    public Property Finite_difference_gradient_and_checker_accept_consistent_shapes_and_name_inconsistent_ones() =>
        Prop.ForAll(Gen.Zip(AnyLength, AnyLength).ToArbitrary(), lengths =>
        {
            var (xCount, gradientCount) = lengths;
            var x = Filled(xCount);
            var gradient = new double[gradientCount];
            static double Squares(ReadOnlySpan<double> v)
            {
                var sum = 0.0;
                foreach (var value in v)
                {
                    sum += value * value;
                }

                return sum;
            }

            Expect(xCount > 0 && xCount == gradientCount, ["x", "gradient"], () => FiniteDifference.Gradient<double>(Squares, x, gradient));
            Expect(xCount > 0, ["x", "direction"], () => FiniteDifference.DirectionalDerivative<double>(Squares, x, Filled(xCount)));
            // A user gradient that writes past its span is the user's bug; one that is correct must pass.
            Expect(xCount > 0, ["x"], () => GradientCheck.Check<double>(Squares, (p, g) =>
            {
                for (var i = 0; i < p.Length; i++)
                {
                    g[i] = 2 * p[i];
                }
            }, x));
        });

    private static double[] Filled(int length) => Enumerable.Range(1, length).Select(i => 0.25 + (i % 7 * 0.125)).ToArray();

    private static void Expect(bool shouldSucceed, string[] parameterNames, Action call)
    {
        try
        {
            call();
        }
        catch (ArgumentException e) when (!shouldSucceed)
        {
            Assert.Contains(e.ParamName, parameterNames);
            Assert.Matches("[0-9]", e.Message);
            return;
        }

        Assert.True(shouldSucceed, "an inconsistent shape was accepted");
    }
}
