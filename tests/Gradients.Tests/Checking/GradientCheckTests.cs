using System.Numerics;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Gradients.Tests.Functions;
using Gradients.Tests.Properties;

namespace Gradients.Tests.Checking;

public sealed class GradientCheckTests
{
    /// <summary>
    /// Points for the fast check: polynomials at any magnitude; log-sum-exp only where |x| ≲ 10, because the fast
    /// check's truncation model assumes f varies on the scale of |x| and log-sum-exp varies on the scale 1
    /// (a limitation documented on <see cref="GradientCheck"/>).
    /// </summary>
    private static readonly Gen<FunctionSample> FastCheckable = Gen.OneOf(
        FunctionCatalog.WeightedSumOfSquares,
        FunctionCatalog.QuadraticForm,
        FunctionCatalog.Rosenbrock,
        FunctionCatalog.Booth,
        FunctionCatalog.Beale,
        FunctionCatalog.Himmelblau,
        FunctionCatalog.LogSumExp.Where(s => s.Point.All(v => Math.Abs(v) < 10)));

    [Property(MaxTest = 200)]
    public Property Correct_gradients_pass_in_double() =>
        Prop.ForAll(FunctionCatalog.Any.ToArbitrary(), sample => AssertPasses(GradientCheck.Check<double, ITwiceDifferentiableFunction<double>>(sample.Double, sample.Point)));

    [Property(MaxTest = 200)]
    public Property Correct_gradients_pass_in_float() =>
        Prop.ForAll(FunctionCatalog.Any.ToArbitrary(), sample => AssertPasses(GradientCheck.Check<float, ITwiceDifferentiableFunction<float>>(sample.Single, Generators.ToSingle(sample.Point))));

    [Property(MaxTest = 200)]
    public Property Correct_gradients_pass_the_fast_check_in_double_and_float() =>
        Prop.ForAll(FastCheckable.ToArbitrary(), Gen.Choose(0, 1000).ToArbitrary(), (sample, seed) =>
        {
            AssertPasses(GradientCheck.CheckRandomDirections<double, ITwiceDifferentiableFunction<double>>(sample.Double, sample.Point, 8, seed));
            AssertPasses(GradientCheck.CheckRandomDirections<float, ITwiceDifferentiableFunction<float>>(sample.Single, Generators.ToSingle(sample.Point), 8, seed));
        });

    [Property(MaxTest = 200)]
    public Property One_wrong_component_is_flagged_and_named_in_double_and_float() =>
        Prop.ForAll(FunctionCatalog.Any.ToArbitrary(), Gen.Choose(0, 1000).ToArbitrary(), (sample, pick) =>
        {
            var wrong = pick % sample.Dimension;
            AssertNamesWrongComponent(sample.Double, sample.Point, wrong);
            AssertNamesWrongComponent(sample.Single, Generators.ToSingle(sample.Point), wrong);
        });

    [Fact]
    public void Chapter_gradient_with_a_forgotten_factor_two_is_caught_in_component_one()
    {
        // f = x² + 5y² with the classic slip ∂f/∂y = 5y instead of 10y.
        var report = GradientCheck.Check<double>(
            p => (p[0] * p[0]) + (5 * p[1] * p[1]),
            (p, g) =>
            {
                g[0] = 2 * p[0];
                g[1] = 5 * p[1];
            },
            [1.0, 0.5]);
        Assert.False(report.Passed);
        Assert.Equal(1, report.FailureCount);
        Assert.Equal(1, report.Worst.Index);
        Assert.True(report.Entries[0].Passed);
        Assert.Equal(5.0, report.Worst.Numeric, 6);
        Assert.Equal(0.5, report.Worst.RelativeError, 6);

        var table = report.ToString();
        Assert.Contains("FAILED, 1 of 2 components", table, StringComparison.Ordinal);
        Assert.Contains("worst component 1", table, StringComparison.Ordinal);
        Assert.Contains("NO <<", table, StringComparison.Ordinal);

        var correct = GradientCheck.Check<float, WeightedSumOfSquares<float>>(new WeightedSumOfSquares<float>([1, 5]), [1f, 0.5f]);
        Assert.True(correct.Passed, correct.ToString());
        Assert.Contains("PASSED", correct.ToString(), StringComparison.Ordinal);
        Assert.Contains("adaptive central differences", correct.ToString(), StringComparison.Ordinal);
        Assert.Contains("resolution", correct.ToString(), StringComparison.Ordinal);

        // The report counts every call of f: the adaptive tableau's plus f(x) with the analytic gradient.
        var calls = 0;
        var counted = GradientCheck.Check<float>(
            p =>
            {
                calls++;
                return (p[0] * p[0]) + (5 * p[1] * p[1]);
            },
            (p, g) =>
            {
                g[0] = 2 * p[0];
                g[1] = 10 * p[1];
            },
            [1f, 0.5f]);
        Assert.True(counted.Passed, counted.ToString());
        Assert.Equal(calls, counted.Evaluations);
    }

    [Fact]
    public void Fast_check_catches_one_wrong_component_with_the_probability_the_sphere_predicts()
    {
        // Rosenbrock in n = 10 with component 3 off by δ. Direction u sees the error δ·u₃; it misses when
        // |u₃| ≤ t = tolerance/δ. For u uniform on S⁹, u₃ has density c·(1 − s²)^(7/2) ≤ c with
        // c = Γ(5)/(√π·Γ(4.5)) = 24/(6.5625π) ≈ 1.164, so P(|u₃| ≤ t) ≤ 2ct per direction, and k independent
        // directions all miss with probability ≤ (2ct)^k.
        const int n = 10;
        const int wrongComponent = 3;
        const int seeds = 1000;
        var c = 24 / (6.5625 * Math.PI);
        var x = Enumerable.Range(0, n).Select(i => 0.3 + (0.17 * i) - (0.05 * i * i)).ToArray();
        var rosenbrock = new Rosenbrock<double>();

        var largestTolerance = 0.0;
        var smallestFirstTolerance = double.PositiveInfinity;
        for (var seed = 0; seed < seeds; seed++)
        {
            var report = GradientCheck.CheckRandomDirections<double, Rosenbrock<double>>(rosenbrock, x, 8, seed);
            Assert.True(report.Passed, report.ToString());
            largestTolerance = Math.Max(largestTolerance, report.Entries.Max(e => e.Tolerance));

            // Direction 0 of a seed is the same whatever k, so this is the tolerance a k = 1 check with that seed gets.
            smallestFirstTolerance = Math.Min(smallestFirstTolerance, report.Entries[0].Tolerance);
        }

        // δ = 20× the largest tolerance seen: t ≤ 0.05 (a wrong δ widens the tolerance by ~c·ε^(2/3)·δ, negligible).
        var delta = 20 * largestTolerance;
        var t = largestTolerance / delta;
        var missPerDirection = 2 * c * t;

        void Wrong(ReadOnlySpan<double> p, Span<double> g)
        {
            rosenbrock.EvaluateWithGradient(p, g);
            g[wrongComponent] += delta;
        }

        int Misses(int k) => Enumerable.Range(0, seeds)
            .Count(seed => GradientCheck.CheckRandomDirections<double>(rosenbrock.Evaluate, Wrong, x, k, seed).Passed);

        // k = 8: P(miss) ≤ (2ct)^8 ≈ 3.4e-8, so over 1000 seeds P(any miss) ≤ 3.4e-5 (union bound).
        Assert.Equal(0, Misses(8));

        // k = 1: P(miss) ≤ 2ct ≈ 0.116; the count of misses over 1000 seeds is binomial, so it exceeds
        // 1000·0.117 + 4σ (σ = √(1000·0.117·0.883) ≈ 10.2) with probability below 1e-4.
        var singleMisses = Misses(1);
        Assert.True(singleMisses <= (seeds * missPerDirection) + (4 * Math.Sqrt(seeds * missPerDirection * (1 - missPerDirection))), $"{singleMisses} misses");

        // …and at least as many as the smallest tolerance implies, P(|u₃| ≤ t_min) ≥ 2c·t_min·(1 − t_min²)^(7/2):
        // far fewer misses would mean the directions are not uniform on the sphere.
        var tMin = smallestFirstTolerance / delta;
        var missLower = 2 * c * tMin * Math.Pow(1 - (tMin * tMin), 3.5);
        Assert.True(singleMisses >= (seeds * missLower) - (4 * Math.Sqrt(seeds * missLower * (1 - missLower))), $"{singleMisses} misses, lower bound {seeds * missLower}");
    }

    [Fact]
    public void Same_seed_gives_the_same_report_and_directions_are_unit_vectors()
    {
        var f = new Beale<double>();
        var first = GradientCheck.CheckRandomDirections<double, Beale<double>>(f, [1.5, -0.25], 5, seed: 42);
        var second = GradientCheck.CheckRandomDirections<double, Beale<double>>(f, [1.5, -0.25], 5, seed: 42);
        Assert.Equal(first.Entries, second.Entries);
        Assert.Equal(first.Directions.ToArray(), second.Directions.ToArray());
        Assert.Equal(42, first.Seed);
        Assert.Equal(11, first.Evaluations);
        for (var k = 0; k < 5; k++)
        {
            var row = first.Directions.Span.Slice(k * 2, 2);
            Assert.Equal(1.0, Math.Sqrt((row[0] * row[0]) + (row[1] * row[1])), 15);
        }

        Assert.Contains("5 random directions, seed 42", first.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Bad_arguments_are_rejected()
    {
        var f = new Booth<double>();
        Assert.Throws<ArgumentException>(() => GradientCheck.Check<double, Booth<double>>(f, []));
        var nan = Assert.Throws<ArgumentException>(() => GradientCheck.Check<double, Booth<double>>(f, [1.0, double.NaN]));
        Assert.Contains("x[1]", nan.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => GradientCheck.CheckRandomDirections<double, Booth<double>>(f, [1.0, 2.0], 0));
        var safety = Assert.Throws<ArgumentException>(() =>
            GradientCheck.Check<double, Booth<double>>(f, [1.0, 2.0], new GradientCheckOptions { SafetyFactor = 0.5 }));
        Assert.Equal("options", safety.ParamName);
        Assert.Equal("function", Assert.Throws<ArgumentNullException>(() => GradientCheck.Check<double>(null!, (_, _) => { }, [1.0])).ParamName);
        Assert.Equal("function", Assert.Throws<ArgumentNullException>(() => GradientCheck.CheckRandomDirections<double>(null!, (_, _) => { }, [1.0])).ParamName);
        Assert.Equal("gradient", Assert.Throws<ArgumentNullException>(() => GradientCheck.Check<double>(p => p[0], null!, [1.0])).ParamName);
    }

    /// <summary>Issue 13: options that would make a tolerance infinite or NaN in the checked type are rejected.</summary>
    [Theory]
    [InlineData(1e39, 10)]
    [InlineData(double.NaN, 10)]
    [InlineData(-1, 10)]
    [InlineData(double.PositiveInfinity, 10)]
    [InlineData(16, 1e39)]
    [InlineData(16, double.NaN)]
    [InlineData(16, -1)]
    [InlineData(16, double.PositiveInfinity)]
    [InlineData(1e6, 1e2)] // SafetyFactor × EvaluationError × ε(float) = 1.2: no digit of f left to check
    public void Options_that_break_the_tolerance_are_rejected(double evaluationError, double safetyFactor)
    {
        var options = new GradientCheckOptions { EvaluationError = evaluationError, SafetyFactor = safetyFactor };
        var e = Assert.Throws<ArgumentException>(() => GradientCheck.Check<float, Booth<float>>(new Booth<float>(), [1f, 2f], options));
        Assert.Equal("options", e.ParamName);
        Assert.Contains("options.", e.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => GradientCheck.CheckRandomDirections<float, Booth<float>>(new Booth<float>(), [1f, 2f], options: options));
    }

    /// <summary>Issue 13: f(x) = NaN is reported as what it is, not as an option the caller never passed.</summary>
    [Fact]
    public void A_nan_function_value_is_named_as_such()
    {
        var e = Assert.Throws<NotFiniteNumberException>(() => GradientCheck.Check<double>(_ => double.NaN, (_, g) => g.Clear(), [1.0, 2.0]));
        Assert.Contains("f returned NaN at the point x", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("options", e.Message, StringComparison.Ordinal);
        var fast = Assert.Throws<NotFiniteNumberException>(() => GradientCheck.CheckRandomDirections<double>(_ => double.NaN, (_, g) => g.Clear(), [1.0, 2.0]));
        Assert.Contains("f returned NaN at the point x", fast.Message, StringComparison.Ordinal);
    }

    /// <summary>Issue 13: too many directions is an ArgumentOutOfRangeException naming directionCount and the sizes.</summary>
    [Fact]
    public void Too_many_directions_name_the_count_and_the_sizes()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() =>
            GradientCheck.CheckRandomDirections<double, Booth<double>>(new Booth<double>(), [1.0, 2.0], int.MaxValue));
        Assert.Equal("directionCount", e.ParamName);
        Assert.Contains("n = 2", e.Message, StringComparison.Ordinal);
        Assert.Contains((2L * int.MaxValue).ToString(System.Globalization.CultureInfo.InvariantCulture), e.Message, StringComparison.Ordinal);
    }

    /// <summary>Issue 13: f sees a copy of x, as in the finite-difference routines; the caller's x is never handed out.</summary>
    [Fact]
    public void The_function_gets_a_copy_of_x()
    {
        double[] x = [1.0, 2.0];
        var sawCallerArray = false;
        unsafe
        {
            fixed (double* caller = x)
            {
                var address = (nint)caller;
                double Value(ReadOnlySpan<double> p)
                {
                    fixed (double* seen = p)
                    {
                        sawCallerArray |= (nint)seen == address;
                    }

                    return (p[0] * p[0]) + p[1];
                }

                void Gradient(ReadOnlySpan<double> p, Span<double> g)
                {
                    fixed (double* seen = p)
                    {
                        sawCallerArray |= (nint)seen == address;
                    }

                    g[0] = 2 * p[0];
                    g[1] = 1;
                }

                Assert.True(GradientCheck.Check<double>(Value, Gradient, x).Passed);
                Assert.True(GradientCheck.CheckRandomDirections<double>(Value, Gradient, x).Passed);
            }
        }

        Assert.False(sawCallerArray);
        Assert.Equal([1.0, 2.0], x);
    }

    [Theory]
    [InlineData(new[] { -18.535316234148116, 2.296148648112361E-06 }, 0)]
    [InlineData(new[] { -19.408858775927783, -30.4088502567628, -0.001315224832192239 }, 0)]
    [InlineData(new[] { -19.408858775927783, -30.4088502567628, -0.001315224832192239 }, 2)]
    public void Log_sum_exp_with_partials_below_float_rounding_passes_when_correct_and_names_only_the_wrong_one(double[] point, int wrong)
    {
        // Found by the properties above (about 1 run in 30): in float, log-sum-exp computes log(1 + e^(xᵢ − max)) with
        // e^(xᵢ − max) ≈ 1e-8 below float's rounding of 1, so no difference sees ∂f/∂xᵢ ≈ 1e-8 and the numeric value is
        // 0. The rounding term must be one ulp of f's O(1) intermediate, not of |f| ≈ |x_max| ≈ 0.
        var function = new LogSumExp<float>();
        var x = Generators.ToSingle(point);
        AssertPasses(GradientCheck.Check<float, LogSumExp<float>>(function, x));
        AssertNamesWrongComponent<float>(new LogSumExp<float>(), x, wrong);
        AssertPasses(GradientCheck.Check<double, LogSumExp<double>>(new LogSumExp<double>(), point));
    }

    private static void AssertPasses<T>(GradientCheckReport<T> report)
        where T : IFloatingPointIeee754<T> =>
        Assert.True(report.Passed, report.ToString());

    private static void AssertNamesWrongComponent<T>(ITwiceDifferentiableFunction<T> function, T[] point, int wrong)
        where T : IFloatingPointIeee754<T>
    {
        // The slip: component `wrong` off by 100× the tolerance the correct gradient gets there (a smaller slip can be
        // below what finite differences resolve, e.g. a component whose effect on f is lost in f's round-off) plus 5%
        // of the largest gradient component. Its tolerance depends on the numeric gradient only, so the slip cannot widen it.
        var exact = new T[point.Length];
        function.EvaluateWithGradient(point, exact);
        var correct = GradientCheck.Check<T, ITwiceDifferentiableFunction<T>>(function, point);
        var delta = (T.CreateTruncating(100) * correct.Entries[wrong].Tolerance) +
                    (T.CreateTruncating(0.05) * T.Abs(exact[TensorIndexOfMaxMagnitude(exact)]));

        var report = GradientCheck.Check<T>(
            p => function.Evaluate(p),
            (p, g) =>
            {
                function.EvaluateWithGradient(p, g);
                g[wrong] += delta;
            },
            point);
        Assert.False(report.Passed, report.ToString());
        Assert.Equal(wrong, report.Worst.Index);
        Assert.Equal(1, report.FailureCount);
    }

    private static int TensorIndexOfMaxMagnitude<T>(T[] values)
        where T : IFloatingPointIeee754<T> =>
        System.Numerics.Tensors.TensorPrimitives.IndexOfMaxMagnitude<T>(values);
}
