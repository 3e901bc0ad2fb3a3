using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Gradients.Tests.Functions;
using Gradients.Tests.Properties;

namespace Gradients.Tests.Directional;

/// <summary>
/// The gradient is perpendicular to the contour: in 2-D the contour's tangent at p is t = (−∂f/∂y, ∂f/∂x), and f
/// does not change to first order along it. Checked two ways: the dot-product form gives exactly 0, and the
/// finite-difference rate of f itself along t (the engine's Richardson estimate) is 0 within its error model.
/// </summary>
public sealed class ContourTangentTests
{
    private static readonly Gen<FunctionSample> TwoDimensional = Gen.OneOf(
        FunctionCatalog.Booth,
        FunctionCatalog.Beale,
        FunctionCatalog.Himmelblau,
        FunctionCatalog.WeightedSumOfSquares.Where(s => s.Dimension == 2),
        from point in Generators.Vector(Generators.Wide, 2)
        select new FunctionSample(
            "Chapter x² + 5y²",
            new WeightedSumOfSquares<double>([1, 5]),
            new WeightedSumOfSquares<float>([1, 5]),
            point,
            x => x.Select((v, i) => (i == 0 ? 1 : 5) * v * v)));

    [Property(MaxTest = 200)]
    public Property Rate_along_the_contour_tangent_is_zero() =>
        Prop.ForAll(TwoDimensional.ToArbitrary(), sample =>
        {
            var point = ReferenceDifference.Snap(sample.Point);
            var gradient = new double[2];
            sample.Double.EvaluateWithGradient(point, gradient);
            if (gradient[0] == 0 && gradient[1] == 0)
            {
                return;
            }

            double[] tangent = [-gradient[1], gradient[0]];

            // g·t = −g₀g₁ + g₁g₀: the two products are the same rounded value with opposite signs, so exactly 0
            // (the power-of-two scaling of t is exact and cannot break the symmetry).
            Assert.Equal(0.0, Gradients.Directional.Derivative<double>(gradient, tangent));

            // The rate of f along t by Richardson: the engine's estimate assumes f exact to ε|f|; f's real rounding
            // is bounded by γₖ·f_abs (see FunctionSample), and moving x by h·u rounds each coordinate by ≤ u|xⱼ|,
            // which changes f by ≤ u·Σ|xⱼ|·∂f_abs/∂xⱼ. The stencil's coefficients sum to 3/h, so the rate errs by at
            // most estimate + 3·(γₖ·f_abs + u·Σ|xⱼ|·g_abs,ⱼ)/h, with f_abs taken at |x| + 2h (the stencil's reach).
            var estimate = FiniteDifference.DirectionalDerivative<double>(
                p => sample.Double.Evaluate(p), point, tangent, new FiniteDifferenceOptions<double> { Scheme = FiniteDifferenceScheme.Richardson });
            var u = Math.Pow(2, -53);
            var gamma = sample.Operations * u / (1 - (sample.Operations * u));
            var reach = point.Select(v => Math.Abs(v) + (2 * estimate.Step)).ToArray();
            var inputs = (sample.AbsoluteGradient(reach, 0) * reach[0]) + (sample.AbsoluteGradient(reach, 1) * reach[1]);
            var bound = estimate.ErrorEstimate + (3 * ((gamma * sample.AbsoluteValue(reach)) + (u * inputs)) / estimate.Step);
            Assert.True(Math.Abs(estimate.Value) <= bound, $"{sample}: rate along the tangent {estimate.Value:G3} > {bound:G3}");
        });
}
