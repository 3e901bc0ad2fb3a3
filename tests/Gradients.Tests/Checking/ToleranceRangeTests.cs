namespace Gradients.Tests.Checking;

/// <summary>
/// Issue 13, second hostile run: the checkers' error models overflowed for f near the largest finite value (an input
/// sensitivity Σ max(|xⱼ|, 1)·|gⱼ| of 4·10³⁰⁸, a sum f(x + hu) + f(x − hu) of 2·10³⁰⁸, a third-derivative bound
/// 64·|f|/L³, a tolerance factor of 10⁶ ulps in Half), every tolerance became ∞, and a gradient of all zeros passed
/// for f = 10³⁰⁸·(x − y). The models now apply their small factors first, and an entry whose tolerance is not finite
/// fails: an infinite tolerance checks nothing.
/// </summary>
public sealed class ToleranceRangeTests
{
    [Fact]
    public void A_wrong_gradient_of_a_function_near_the_largest_double_fails_and_the_right_one_passes_with_finite_tolerances()
    {
        static double F(ReadOnlySpan<double> v) => 1e308 * (v[0] - v[1]);

        var wrong = GradientCheck.Check<double>(F, (v, g) => g.Clear(), [2.0, 2.0]);
        Assert.False(wrong.Passed);
        Assert.Equal(2, wrong.FailureCount);

        var right = GradientCheck.Check<double>(F, (v, g) => { g[0] = 1e308; g[1] = -1e308; }, [2.0, 2.0]);
        Assert.True(right.Passed, right.ToString());
        Assert.All(right.Entries, e => Assert.True(double.IsFinite(e.Tolerance), e.ToString()));
    }

    [Fact]
    public void Random_directions_of_a_function_near_the_largest_double_have_finite_tolerances()
    {
        static double F(ReadOnlySpan<double> v) => 1e308 * (v[0] + v[1]);

        var wrong = GradientCheck.CheckRandomDirections<double>(F, (v, g) => g.Clear(), [0.4, 0.4]);
        Assert.Equal(GradientCheck.DefaultDirectionCount, wrong.FailureCount);

        var right = GradientCheck.CheckRandomDirections<double>(F, (v, g) => { g[0] = 1e308; g[1] = 1e308; }, [0.4, 0.4]);
        Assert.True(right.Passed, right.ToString());
        Assert.All(right.Entries, e => Assert.True(double.IsFinite(e.Tolerance) && double.IsFinite(e.PredictedError), e.ToString()));
    }

    [Fact]
    public void Float_and_half_checks_of_large_slopes_catch_a_wrong_gradient()
    {
        Assert.False(GradientCheck.Check<float>(v => 3e37f * (v[0] - v[1]), (v, g) => g.Clear(), [20f, 20f]).Passed);
        Assert.True(GradientCheck.Check<float>(v => 3e37f * (v[0] - v[1]), (v, g) => { g[0] = 3e37f; g[1] = -3e37f; }, [20f, 20f]).Passed);
        Assert.False(GradientCheck.CheckRandomDirections<float>(v => 1e38f * (v[0] + v[1]), (v, g) => g.Clear(), [1.5f, 1.5f]).Passed);

        // Half: 2·30000 + 2·30000 = 120,000 overflowed the input sensitivity.
        var half = (Half)30000;
        Assert.False(GradientCheck.Check<Half>(v => half * (v[0] - v[1]), (v, g) => g.Clear(), [(Half)2, (Half)2]).Passed);
        Assert.True(GradientCheck.Check<Half>(v => half * (v[0] - v[1]), (v, g) => { g[0] = half; g[1] = -half; }, [(Half)2, (Half)2]).Passed);
    }

    [Fact]
    public void An_entry_with_an_infinite_or_nan_tolerance_does_not_pass()
    {
        Assert.False(new GradientCheckEntry<double>(0, 1, 1, 0, 0, 1e-5, double.PositiveInfinity, double.PositiveInfinity).Passed);
        Assert.False(new GradientCheckEntry<double>(0, 1, 1, 0, 0, 1e-5, double.NaN, double.NaN).Passed);
        Assert.True(new GradientCheckEntry<double>(0, 1, 1, 0, 0, 1e-5, 1e-9, 1e-8).Passed);
    }

    [Theory]
    [InlineData(1e300, "Single")]
    [InlineData(1e6, "Half")]
    [InlineData(1024, "Half")]
    [InlineData(5e15, "Double")]
    public void Forward_mode_tolerances_of_no_correct_digit_are_rejected_naming_ulps(double ulps, string type)
    {
        var e = type switch
        {
            "Single" => Assert.Throws<ArgumentOutOfRangeException>(() => GradientCheck.CheckAgainstForwardMode<float, Rosenbrock<float>>(default, [0.5f, 0.5f], ulps)),
            "Half" => Assert.Throws<ArgumentOutOfRangeException>(() => GradientCheck.CheckAgainstForwardMode<Half, Rosenbrock<Half>>(default, [(Half)0.5, (Half)0.5], ulps)),
            _ => Assert.Throws<ArgumentOutOfRangeException>(() => GradientCheck.CheckAgainstForwardMode<double, Rosenbrock<double>>(default, [0.5, 0.5], ulps)),
        };
        Assert.Equal("ulps", e.ParamName);
        Assert.Contains(type, e.Message, StringComparison.Ordinal);

        // Just below the limit the tolerance is finite.
        var report = GradientCheck.CheckAgainstForwardMode<Half, Rosenbrock<Half>>(default, [(Half)0.5, (Half)0.5], 1023);
        Assert.All(report.Entries, entry => Assert.True(Half.IsFinite(entry.Tolerance)));
    }

    [Fact]
    public void The_forward_mode_check_hands_f_a_copy_of_x()
    {
        double[] x = [1.5, 2.5];
        _ = GradientCheck.CheckAgainstForwardMode<double, Scribbler>(default, x);
        Assert.Equal([1.5, 2.5], x);
    }

    [Fact]
    public void More_directions_than_the_evaluation_count_holds_are_rejected_before_f_runs()
    {
        // 2·2³⁰ + 1 evaluations exceed int. f throws if it runs: before the check, the call evaluated f, then drew
        // 2³⁰ directions (minutes) and wrapped the count.
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => GradientCheck.CheckRandomDirections<Half>(
            v => throw new InvalidOperationException("f ran"), (v, g) => g[0] = Half.One, [Half.One], directionCount: 1 << 30));
        Assert.Equal("directionCount", e.ParamName);
        Assert.Contains("2147483649", e.Message, StringComparison.Ordinal);

        // The largest count that fits is accepted up to the point where f runs.
        Assert.Throws<InvalidOperationException>(() => GradientCheck.CheckRandomDirections<Half>(
            v => throw new InvalidOperationException("f ran"), (v, g) => g[0] = Half.One, [Half.One], directionCount: (int.MaxValue - 1) / 2));
    }

    /// <summary>A function that writes −777 into the span it is given (through MemoryMarshal), value 0, gradient 0.</summary>
    private readonly struct Scribbler : IDifferentiableFunction<double>, IGenericScalarFunction
    {
        public double Evaluate(ReadOnlySpan<double> x)
        {
            Scribble(x);
            return 0;
        }

        public TScalar Evaluate<TScalar>(ReadOnlySpan<TScalar> x)
            where TScalar : System.Numerics.IFloatingPointIeee754<TScalar> => TScalar.Zero;

        public double EvaluateWithGradient(ReadOnlySpan<double> x, Span<double> gradient)
        {
            Scribble(x);
            gradient.Clear();
            return 0;
        }

        private static void Scribble(ReadOnlySpan<double> x) =>
            System.Runtime.InteropServices.MemoryMarshal.CreateSpan(ref System.Runtime.InteropServices.MemoryMarshal.GetReference(x), x.Length).Fill(-777);
    }
}
