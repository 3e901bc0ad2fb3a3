using FsCheck;
using FsCheck.Fluent;
using Gradients.Tests.Properties;

namespace Gradients.Tests.Functions;

/// <summary>
/// A built-in function drawn for a property test, in both precisions, with a point to test it at and the
/// function's "absolute" twin: the same expression with every coefficient and input replaced by its absolute value.
/// </summary>
/// <remarks>
/// The absolute twin bounds rounding: evaluating a polynomial in k floating-point operations errs by at most
/// γₖ·f_abs(|x|) with γₖ = ku/(1 − ku), u the unit round-off (Higham, Accuracy and Stability of Numerical
/// Algorithms, 2nd ed., §3.1 and §5.1). Because f_abs has non-negative coefficients, all its derivatives at |x| are
/// non-negative and its forward differences over-estimate them (Taylor's remainder is non-negative), which bounds
/// the rounding of the analytic gradient and Hessian the same way.
/// </remarks>
public sealed record FunctionSample(
    string Name,
    ITwiceDifferentiableFunction<double> Double,
    ITwiceDifferentiableFunction<float> Single,
    double[] Point,
    Func<double[], IEnumerable<double>> AbsoluteTerms,
    double GradientBound = double.NaN,
    double HessianBound = double.NaN)
{
    /// <summary>The absolute twin f_abs(x): the sum of its terms.</summary>
    public double AbsoluteValue(double[] x) => AbsoluteTerms(x).Sum();

    /// <summary>An upper bound on the number of rounding operations per evaluation (generous: 12 per coordinate plus 24).</summary>
    public int Operations => (12 * Point.Length) + 24;

    public int Dimension => Point.Length;

    /// <summary>Bounds the magnitude of every term of ∂f/∂xⱼ at <paramref name="x"/> (forward difference of the absolute twin).</summary>
    public double AbsoluteGradient(double[] x, int j)
    {
        if (!double.IsNaN(GradientBound))
        {
            return GradientBound;
        }

        var at = Array.ConvertAll(x, Math.Abs);
        var step = Math.Max(at[j], 1.0) / 8;
        var moved = (double[])at.Clone();
        moved[j] += step;

        // Term by term, so terms that do not involve xⱼ cancel exactly instead of swamping the difference.
        var pairs = AbsoluteTerms(moved).Zip(AbsoluteTerms(at)).ToList();
        var difference = pairs.Sum(p => p.First - p.Second);
        var magnitude = pairs.Sum(p => p.First + p.Second);
        return (difference + (TwinRounding(pairs.Count) * magnitude)) / step;
    }

    /// <summary>Bounds the magnitude of every term of ∂²f/∂xᵢ∂xⱼ at <paramref name="x"/> (mixed forward difference of the twin).</summary>
    public double AbsoluteHessian(double[] x, int i, int j)
    {
        if (!double.IsNaN(HessianBound))
        {
            return HessianBound;
        }

        var at = Array.ConvertAll(x, Math.Abs);
        var stepI = Math.Max(at[i], 1.0) / 8;
        var stepJ = Math.Max(at[j], 1.0) / 8;
        var both = (double[])at.Clone();
        both[i] += stepI;
        both[j] += stepJ;
        var onlyI = (double[])at.Clone();
        onlyI[i] += stepI;
        var onlyJ = (double[])at.Clone();
        onlyJ[j] += stepJ;
        var terms = AbsoluteTerms(both).Zip(AbsoluteTerms(onlyI), AbsoluteTerms(onlyJ))
            .Zip(AbsoluteTerms(at), (three, before) => (three.First, three.Second, three.Third, before));

        // Term by term, as above. Along one axis, both = x + 2δ and onlyI = onlyJ = x + δ: (F(x + 2δ) − 2F(x + δ) + F(x))/δ².
        var quadruples = terms.ToList();
        var difference = quadruples.Sum(t => t.First - t.Second - t.Third + t.before);
        var magnitude = quadruples.Sum(t => t.First + t.Second + t.Third + t.before);
        return (difference + (TwinRounding(quadruples.Count) * magnitude)) / (stepI * stepJ);
    }

    /// <summary>
    /// Bounds the relative rounding of the twin's differences, so that the bounds above stay upper bounds where the
    /// difference cancels (a term of 1e21 whose second difference along a small coordinate is 3: there the computed
    /// difference is rounding noise, and only this part of the bound is left).
    /// </summary>
    /// <remarks>
    /// Each twin term is a sum of products of non-negative numbers, evaluated in at most <see cref="Operations"/>
    /// operations, so its computed value errs by at most γₖ times itself (Higham §3.1); forming the differences and
    /// summing the terms adds at most one operation per term and three per difference. The step's own rounding
    /// (moving |xⱼ| by it) is relative 2⁻⁵³ of the step and is covered by the generous operation count.
    /// </remarks>
    private double TwinRounding(int terms)
    {
        var k = Operations + terms + 3;
        const double u = 1.0 / (1L << 53);
        return k * u / (1 - (k * u));
    }

    public override string ToString() => $"{Name} at [{string.Join(", ", Point)}]";
}

public static class FunctionCatalog
{
    public static Gen<FunctionSample> WeightedSumOfSquares { get; } =
        from n in Gen.Choose(1, 40)
        from weights in Generators.Vector(Generators.Unit, n)
        from point in Generators.Vector(Generators.Wide, n)
        select new FunctionSample(
            "WeightedSumOfSquares",
            new WeightedSumOfSquares<double>(weights),
            new WeightedSumOfSquares<float>(Generators.ToSingle(weights)),
            point,
            x => x.Select((v, i) => Math.Abs(weights[i]) * v * v));

    public static Gen<FunctionSample> QuadraticForm { get; } =
        from n in Gen.Choose(1, 12)
        from matrix in Generators.Vector(Generators.Unit, n * n)
        from linear in Generators.Vector(Generators.Unit, n)
        from constant in Generators.Unit
        from point in Generators.Vector(Generators.Wide, n)
        let function = new QuadraticForm<double>(matrix, linear, constant)
        select new FunctionSample(
            "QuadraticForm",
            function,
            new QuadraticForm<float>(Generators.ToSingle(matrix), Generators.ToSingle(linear), (float)constant),
            point,
            x => AbsoluteQuadratic(function, x));

    public static Gen<FunctionSample> Rosenbrock { get; } =
        from n in Gen.Choose(2, 12)
        from point in Generators.Vector(Generators.Wide, n)
        select new FunctionSample(
            "Rosenbrock",
            new Rosenbrock<double>(),
            new Rosenbrock<float>(),
            point,
            x => Enumerable.Range(0, x.Length - 1)
                .Select(i => (100 * Square(Math.Abs(x[i + 1]) + (x[i] * x[i]))) + Square(1 + Math.Abs(x[i]))));

    public static Gen<FunctionSample> Booth { get; } =
        from point in Generators.Vector(Generators.Wide, 2)
        select new FunctionSample(
            "Booth",
            new Booth<double>(),
            new Booth<float>(),
            point,
            x => [Square(Math.Abs(x[0]) + (2 * Math.Abs(x[1])) + 7), Square((2 * Math.Abs(x[0])) + Math.Abs(x[1]) + 5)]);

    // Beale's xy³ term squared grows like x²y⁶: magnitudes up to 1e3 keep it well inside float's range.
    public static Gen<FunctionSample> Beale { get; } =
        from point in Generators.Vector(Generators.Magnitude(-3, 3), 2)
        select new FunctionSample(
            "Beale",
            new Beale<double>(),
            new Beale<float>(),
            point,
            x =>
            {
                double a = Math.Abs(x[0]), b = Math.Abs(x[1]);
                return [Square(1.5 + a + (a * b)), Square(2.25 + a + (a * b * b)), Square(2.625 + a + (a * b * b * b))];
            });

    public static Gen<FunctionSample> Himmelblau { get; } =
        from point in Generators.Vector(Generators.Wide, 2)
        select new FunctionSample(
            "Himmelblau",
            new Himmelblau<double>(),
            new Himmelblau<float>(),
            point,
            x => [Square((x[0] * x[0]) + Math.Abs(x[1]) + 11), Square(Math.Abs(x[0]) + (x[1] * x[1]) + 7)]);

    // log-sum-exp = m + log Σ exp(xᵢ − m): the shift is exact-ish and each term is ≤ 1, so the rounding is bounded by
    // γ·(|m| + n) (Blanchard, Higham and Higham 2021, §2). Its gradient (softmax) and Hessian entries lie in [-1, 1].
    public static Gen<FunctionSample> LogSumExp { get; } =
        from n in Gen.Choose(1, 40)
        from point in Generators.Vector(Generators.Magnitude(-6, 2), n)
        select new FunctionSample(
            "LogSumExp",
            new LogSumExp<double>(),
            new LogSumExp<float>(),
            point,
            x => [x.Max(Math.Abs) + x.Length],
            GradientBound: 1.0,
            HessianBound: 1.0);

    public static Gen<FunctionSample> Any { get; } =
        Gen.OneOf(WeightedSumOfSquares, QuadraticForm, Rosenbrock, Booth, Beale, Himmelblau, LogSumExp);

    private static double Square(double value) => value * value;

    private static List<double> AbsoluteQuadratic(QuadraticForm<double> function, double[] x)
    {
        var n = x.Length;
        var symmetric = function.SymmetricMatrix;
        var terms = new List<double> { Math.Abs(function.Constant) };
        for (var i = 0; i < n; i++)
        {
            terms.Add(Math.Abs(function.Linear[i] * x[i]));
            for (var j = 0; j < n; j++)
            {
                terms.Add(0.5 * Math.Abs(symmetric[(i * n) + j] * x[i] * x[j]));
            }
        }

        return terms;
    }
}
