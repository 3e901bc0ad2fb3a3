using System.Numerics;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Gradients.Tests.Functions;
using Gradients.Tests.Properties;

namespace Gradients.Tests.AutomaticDifferentiation;

/// <summary>
/// Forward mode against the closed forms of the built-in functions at random points (the catalog of
/// <see cref="BuiltInFunctionPropertyTests"/>), in double and float. Both sides round: each is within γₖ·(absolute
/// twin's derivative) of the exact value (Higham §3.1; <see cref="FunctionSample"/>), so they agree within twice that.
/// </summary>
public sealed class ForwardModePropertyTests
{
    [Property(MaxTest = 300)]
    public Property Gradient_equals_the_analytic_gradient_in_double() =>
        Prop.ForAll(FunctionCatalog.Any.ToArbitrary(), sample => GradientAgrees(sample, sample.Double));

    [Property(MaxTest = 300)]
    public Property Gradient_equals_the_analytic_gradient_in_float() =>
        Prop.ForAll(FunctionCatalog.Any.ToArbitrary(), sample => GradientAgrees(sample, sample.Single));

    [Property(MaxTest = 150)]
    public Property Hessian_is_symmetric_and_equals_the_analytic_Hessian_in_double() =>
        Prop.ForAll(FunctionCatalog.Any.ToArbitrary(), sample => HessianAgrees(sample, sample.Double));

    [Property(MaxTest = 150)]
    public Property Hessian_is_symmetric_and_equals_the_analytic_Hessian_in_float() =>
        Prop.ForAll(FunctionCatalog.Any.ToArbitrary(), sample => HessianAgrees(sample, sample.Single));

    [Property(MaxTest = 200)]
    public Property Directional_derivative_equals_gradient_dot_unit_direction() =>
        Prop.ForAll(
            FunctionCatalog.Any.SelectMany(sample => Generators.Vector(Generators.Unit, sample.Dimension).Select(d => (sample, d))).ToArbitrary(),
            pair =>
            {
                var (sample, direction) = pair;
                var x = ReferenceDifference.Snap(sample.Point);
                var function = (IGenericScalarFunction)sample.Double;
                var gradient = new double[x.Length];
                sample.Double.EvaluateWithGradient(x, gradient);
                var norm = Math.Sqrt(direction.Sum(d => d * d));
                var expected = 0.0;
                var scale = 0.0;
                for (var j = 0; j < x.Length; j++)
                {
                    var u = direction[j] / norm;
                    expected += gradient[j] * u;
                    scale += sample.AbsoluteGradient(x, j) * Math.Abs(u);
                }

                var actual = Gradients.ForwardMode.DirectionalDerivative(function, x, direction);

                // Each side's gradient terms within γₖ of exact (k = the sample's operation count, plus n for the dot
                // product and 4 for the normalisation), both sides: 2γ·Σ|∂ⱼf_abs|·|uⱼ|.
                var tolerance = 2 * Gamma<double>(sample.Operations + x.Length + 4) * scale;
                Assert.True(Math.Abs(actual - expected) <= tolerance, $"{sample}: {actual:R} vs ∇f·u = {expected:R}, |Δ| {Math.Abs(actual - expected):G3} > {tolerance:G3}");
            });

    [Property(MaxTest = 200)]
    public Property Jacobian_of_a_linear_map_is_its_matrix_exactly() =>
        Prop.ForAll(
            (from m in Gen.Choose(1, 20)
             from n in Gen.Choose(1, 40)
             from matrix in Generators.Vector(Generators.Wide, m * n)
             from x in Generators.Vector(Generators.Wide, n)
             select (m, n, matrix, x)).ToArbitrary(),
            input =>
            {
                var (m, n, matrix, x) = input;
                var jacobian = new double[m * n];
                Gradients.ForwardMode.Jacobian(new LinearMap<double>(matrix, m), x, jacobian);
                Assert.Equal(matrix, jacobian);

                var single = Generators.ToSingle(matrix);
                var jacobianSingle = new float[m * n];
                Gradients.ForwardMode.Jacobian(new LinearMap<float>(single, m), Generators.ToSingle(x), jacobianSingle);
                Assert.Equal(single, jacobianSingle);
            });

    [Property(MaxTest = 100)]
    public Property Hessian_vector_product_equals_Hessian_times_vector() =>
        Prop.ForAll(
            FunctionCatalog.Any.SelectMany(sample => Generators.Vector(Generators.Unit, sample.Dimension).Select(v => (sample, v))).ToArbitrary(),
            pair =>
            {
                var (sample, v) = pair;
                var x = ReferenceDifference.Snap(sample.Point);
                var n = x.Length;
                var hessian = new double[n * n];
                sample.Double.Hessian(x, hessian);
                var product = new double[n];
                Gradients.ForwardMode.HessianVectorProduct((IGenericScalarFunction)sample.Double, x, v, product);
                var gamma = Gamma<double>(sample.Operations + n);
                for (var i = 0; i < n; i++)
                {
                    double expected = 0, scale = 0;
                    for (var j = 0; j < n; j++)
                    {
                        expected += hessian[(i * n) + j] * v[j];
                        scale += Math.Abs(sample.AbsoluteHessian(x, i, j)) * Math.Abs(v[j]);
                    }

                    var tolerance = 2 * gamma * scale;
                    Assert.True(Math.Abs(product[i] - expected) <= tolerance, $"{sample}: (Hv)[{i}] {product[i]:R} vs {expected:R}, |Δ| > {tolerance:G3}");
                }
            });

    private static void GradientAgrees<T>(FunctionSample sample, ITwiceDifferentiableFunction<T> function)
        where T : IFloatingPointIeee754<T>
    {
        var point = ReferenceDifference.Snap(sample.Point);
        var x = ReferenceDifference.Convert<T>(point);
        var analytic = new T[x.Length];
        var analyticValue = function.EvaluateWithGradient(x, analytic);
        var forward = new T[x.Length];
        var value = Gradients.ForwardMode.ValueAndGradient((IGenericScalarFunction)function, x, forward);
        var gamma = Gamma<T>(sample.Operations);
        var valueTolerance = 2 * gamma * sample.AbsoluteValue(point);
        Assert.True(
            Math.Abs(double.CreateChecked(value) - double.CreateChecked(analyticValue)) <= valueTolerance,
            $"{typeof(T).Name} {sample}: f {value} vs {analyticValue}");
        for (var j = 0; j < x.Length; j++)
        {
            var tolerance = 2 * gamma * sample.AbsoluteGradient(point, j);
            var delta = Math.Abs(double.CreateChecked(forward[j]) - double.CreateChecked(analytic[j]));
            Assert.True(delta <= tolerance, $"{typeof(T).Name} {sample}: ∂f/∂x[{j}] forward {forward[j]} vs analytic {analytic[j]}, |Δ| = {delta:G3} > {tolerance:G3}");
        }
    }

    private static void HessianAgrees<T>(FunctionSample sample, ITwiceDifferentiableFunction<T> function)
        where T : IFloatingPointIeee754<T>
    {
        var point = ReferenceDifference.Snap(sample.Point);
        var x = ReferenceDifference.Convert<T>(point);
        var n = x.Length;
        var analytic = new T[n * n];
        function.Hessian(x, analytic);
        var forward = new T[n * n];
        Gradients.ForwardMode.Hessian((IGenericScalarFunction)function, x, forward);
        var gamma = Gamma<T>(sample.Operations);
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < n; j++)
            {
                Assert.Equal(forward[(i * n) + j], forward[(j * n) + i]);
                // The twin's mixed difference can round to a tiny negative number where the term is 0: its magnitude bounds it.
                var tolerance = 2 * gamma * Math.Abs(sample.AbsoluteHessian(point, i, j));
                var delta = Math.Abs(double.CreateChecked(forward[(i * n) + j]) - double.CreateChecked(analytic[(i * n) + j]));
                Assert.True(delta <= tolerance, $"{typeof(T).Name} {sample}: H[{i},{j}] forward {forward[(i * n) + j]} vs analytic {analytic[(i * n) + j]}, |Δ| = {delta:G3} > {tolerance:G3}");
            }
        }
    }

    private static double Gamma<T>(int operations)
        where T : IFloatingPointIeee754<T>
    {
        var u = ReferenceDifference.MachineEpsilon<T>() / 2;
        return operations * u / (1 - (operations * u));
    }
}

/// <summary>F(x) = A·x for a row-major m×n matrix A, written over any T: its Jacobian is A.</summary>
internal readonly struct LinearMap<TMatrix>(TMatrix[] matrix, int rows) : IGenericVectorFunction
    where TMatrix : IFloatingPointIeee754<TMatrix>
{
    public void Evaluate<T>(ReadOnlySpan<T> x, Span<T> values)
        where T : IFloatingPointIeee754<T>
    {
        var n = x.Length;
        for (var i = 0; i < rows; i++)
        {
            var sum = T.Zero;
            for (var j = 0; j < n; j++)
            {
                sum += T.CreateTruncating(matrix[(i * n) + j]) * x[j];
            }

            values[i] = sum;
        }
    }
}
