using System.Runtime.Intrinsics;

namespace Gradients.Tests.Losses;

/// <summary>
/// Every pointwise loss's three forms (one row, two rows in a 128-bit vector, four rows in a 256-bit vector) run the
/// same operations lane by lane, so a row's value, derivative and label check do not depend on the kernel that
/// computed it: compared bit for bit at random η and labels and at the edges (|η| up to 700, where the logistic
/// loss's naive formula overflows, and labels that are not valid).
/// </summary>
public sealed class PointwiseLossFormsTests
{
    private static readonly double[] RealTargets = [0.0, 1.0, -2.5, 40.0, -700.0, double.NaN];

    [Fact]
    public void The_squared_residual_forms_agree_bit_for_bit() => AssertFormsAgree(default(SquaredResidual), RealTargets);

    [Fact]
    public void The_logistic_forms_agree_bit_for_bit() => AssertFormsAgree(default(BinomialLogLikelihood), [0.0, 1.0, 0.5, 2.0, -1.0, double.NaN]);

    [Fact]
    public void The_poisson_forms_agree_bit_for_bit() => AssertFormsAgree(default(PoissonLogLikelihood), [0.0, 1.0, 3.0, 17.5, -1.0, double.PositiveInfinity, double.NaN]);

    [Fact]
    public void The_huber_forms_agree_bit_for_bit() => AssertFormsAgree(new HuberResidual(1.35), RealTargets);

    private static void AssertFormsAgree<TLoss>(TLoss loss, double[] labels)
        where TLoss : struct, IPointwiseLoss
    {
        var random = new Random(typeof(TLoss).Name.Length);
        var etas = new List<double> { 0.0, -0.0, 1e-300, -1e-300, 36.0, -36.0, 700.0, -700.0, 709.0, -745.0, double.NaN };
        for (var i = 0; i < 4000; i++)
        {
            etas.Add((random.NextDouble() - 0.5) * (i % 4 == 0 ? 1400.0 : 20.0));
        }

        foreach (var y in labels)
        {
            for (var i = 0; i + 4 <= etas.Count; i += 4)
            {
                if (typeof(TLoss) == typeof(PoissonLogLikelihood) && etas[i..(i + 4)].Any(e => e > 709.0))
                {
                    continue;
                }

                var eta = Vector256.Create(etas[i], etas[i + 1], etas[i + 2], etas[i + 3]);
                var ys = Vector256.Create(y);
                var four = loss.Add(eta, ys, Vector256<double>.Zero, out var fourDerivatives);
                var lower = loss.Add(eta.GetLower(), ys.GetLower(), Vector128<double>.Zero, out var lowerDerivatives);
                var upper = loss.Add(eta.GetUpper(), ys.GetUpper(), Vector128<double>.Zero, out var upperDerivatives);
                var invalid = Vector256.Create(loss.Invalid(ys.GetLower()), loss.Invalid(ys.GetUpper()));
                Assert.Equal(loss.Invalid(ys).AsInt64(), invalid.AsInt64());
                for (var lane = 0; lane < 4; lane++)
                {
                    var value = loss.Add(eta.GetElement(lane), y, 0.0, out var derivative);
                    var pairValue = lane < 2 ? lower.GetElement(lane) : upper.GetElement(lane - 2);
                    var pairDerivative = lane < 2 ? lowerDerivatives.GetElement(lane) : upperDerivatives.GetElement(lane - 2);
                    var context = $"{typeof(TLoss).Name} η = {eta.GetElement(lane):R}, y = {y:R}";
                    Assert.True(Bits(value) == Bits(four.GetElement(lane)) && Bits(value) == Bits(pairValue), $"{context}: values {value:R}, {four.GetElement(lane):R}, {pairValue:R}");
                    Assert.True(Bits(derivative) == Bits(fourDerivatives.GetElement(lane)) && Bits(derivative) == Bits(pairDerivative), $"{context}: derivatives");
                    Assert.Equal(loss.IsInvalid(y), invalid.AsInt64().GetElement(lane) != 0);
                }
            }
        }
    }

    private static long Bits(double value) => double.IsNaN(value) ? long.MinValue : BitConverter.DoubleToInt64Bits(value);
}
