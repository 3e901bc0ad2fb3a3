namespace Gradients.Tests.Robustness;

/// <summary>
/// Issue 13, second hostile run: sums over spans in Half, whose largest finite value is 65504. The directional forms
/// summed squares unscaled below 2⁴ (1000 entries of 15 gave ‖g‖ = ∞) and accumulated in Half (a rate 501.75 for the
/// true 474.34); log-sum-exp of 100,000 zeros was ∞. Narrow types are now computed in double and rounded once, so
/// the expected value is the double formula rounded once to Half — every Half input is exact in double and the sums
/// below are exact integers (225,000; 15,000; 1,000; 100,000), leaving one correctly rounded square root, quotient or
/// logarithm in double (≤ 2⁻⁵³ relative) before the one rounding to Half (2⁻¹¹): the same two roundings as the
/// reference, so the results agree to the bit.
/// </summary>
public sealed class NarrowRangeTests
{
    private static Half[] Repeat(double value, int count) => Enumerable.Repeat((Half)value, count).ToArray();

    [Fact]
    public void The_norm_of_a_half_gradient_whose_squares_overflow_half_is_finite()
    {
        var gradient = Repeat(15, 1000);
        var expected = (Half)Math.Sqrt(1000 * 225.0);

        Assert.Equal(expected, Gradients.Directional.MaximalRate<Half>(gradient));

        var direction = new Half[1000];
        Assert.Equal(expected, Gradients.Directional.SteepestAscent<Half>(gradient, direction));
        Assert.All(direction, u => Assert.Equal((Half)(15 / Math.Sqrt(225000.0)), u));
        Assert.Equal(-expected, Gradients.Directional.SteepestDescent<Half>(gradient, direction));
    }

    [Fact]
    public void Half_rates_are_accumulated_wide_and_the_batched_form_agrees_to_the_bit()
    {
        var gradient = Repeat(15, 1000);
        var direction = Repeat(1, 1000);
        var expected = (Half)(15000 / Math.Sqrt(1000.0));

        var rate = Gradients.Directional.Derivative<Half>(gradient, direction);
        Assert.Equal(expected, rate);

        var rates = new Half[2];
        Gradients.Directional.Derivatives<Half>(gradient, [.. direction, .. Repeat(-3, 1000)], rates);
        Assert.Equal(rate, rates[0]);
        Assert.Equal(-rate, rates[1]);

        // The plane case takes the same path as the single form.
        Half[] plane = [(Half)300, (Half)400];
        var planeRates = new Half[1];
        Gradients.Directional.Derivatives<Half>(plane, [(Half)3, (Half)4], planeRates);
        Assert.Equal(Gradients.Directional.Derivative<Half>(plane, [(Half)3, (Half)4]), planeRates[0]);
        Assert.Equal((Half)500, planeRates[0]);
    }

    [Fact]
    public void Half_rates_beyond_the_range_are_infinite_and_bad_directions_still_rejected()
    {
        Assert.Equal(Half.PositiveInfinity, Gradients.Directional.Derivative<Half>(Repeat(60000, 4), Repeat(1, 4))); // 120,000
        var zero = Assert.Throws<ArgumentException>(() => Gradients.Directional.Derivative<Half>(Repeat(1, 3), new Half[3]));
        Assert.Equal("direction", zero.ParamName);
        var row = Assert.Throws<ArgumentException>(() => Gradients.Directional.Derivatives<Half>(Repeat(1, 2), [Half.One, Half.One, Half.NaN, Half.One], new Half[2]));
        Assert.Contains("Row 1", row.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Log_sum_exp_in_half_of_more_terms_than_half_can_count_is_finite()
    {
        var x = new Half[100000];
        Assert.Equal((Half)Math.Log(100000), default(LogSumExp<Half>).Evaluate(x));

        var gradient = new Half[x.Length];
        Assert.Equal((Half)Math.Log(100000), default(LogSumExp<Half>).EvaluateWithGradient(x, gradient));
        Assert.All(gradient, p => Assert.Equal((Half)(1.0 / 100000), p));
    }

    [Fact]
    public void Log_sum_exp_in_half_keeps_its_hessian_and_its_non_finite_rules()
    {
        Half[] x = [Half.Zero, (Half)Math.Log(3)];
        var hessian = new Half[4];
        default(LogSumExp<Half>).Hessian(x, hessian);
        // p₀ = 1/(1 + e^x₁) rounded once to Half, then p₀ − p₀·p₀ in Half: three roundings of 2⁻¹¹ relative, plus the
        // amplification 1/(1 − p₀) ≈ 1.3 of p₀'s rounding in 1 − p₀; 4·2⁻¹¹ relative covers them.
        var p0 = 1 / (1 + Math.Exp((double)x[1]));
        var expected = p0 * (1 - p0);
        Assert.True(Math.Abs((double)hessian[0] - expected) <= 4 * Math.ScaleB(expected, -11), $"{hessian[0]} vs {expected}");

        Assert.Equal(Half.PositiveInfinity, default(LogSumExp<Half>).Evaluate([Half.Zero, Half.PositiveInfinity]));
        Assert.True(Half.IsNaN(default(LogSumExp<Half>).Evaluate([Half.Zero, Half.NaN])));
    }

    /// <summary>
    /// The built-in functions sum their terms in double for Half: a Half sum of 3000 terms of 1 stalls at 2048 (its ulp
    /// there is 2). Every term below is exact (1 or 0), so the wide sum is the exact integer, rounded once to Half.
    /// </summary>
    [Fact]
    public void Built_in_functions_in_half_sum_their_terms_wide()
    {
        const int n = 3000;
        var ones = Repeat(1, n);
        var gradient = new Half[n];

        var squares = new WeightedSumOfSquares<Half>(ones);
        Assert.Equal((Half)n, squares.Evaluate(ones));
        Assert.Equal((Half)n, squares.EvaluateWithGradient(ones, gradient));

        Assert.Equal((Half)(n - 1), default(Rosenbrock<Half>).Evaluate(new Half[n]));
        Assert.Equal((Half)(n - 1), default(Rosenbrock<Half>).EvaluateWithGradient(new Half[n], gradient));

        var linear = new QuadraticForm<Half>(new Half[n * n], ones, Half.One);
        Assert.Equal((Half)(n + 1), linear.Evaluate(ones));
        Assert.Equal((Half)(n + 1), linear.EvaluateWithGradient(ones, gradient));

        // A dense row: the row sums (Sx)ᵢ = n are themselves sums of n products.
        var dense = new QuadraticForm<Half>(Repeat(1, 100 * 100), new Half[100], Half.Zero);
        var x = Repeat(0.25, 100);
        Assert.Equal((Half)(0.5 * 25 * 25), dense.Evaluate(x)); // ½(Σxᵢ)² = ½·25²
    }

    [Fact]
    public void The_generic_forms_of_the_built_ins_sum_half_in_double()
    {
        // The forward-mode forms Evaluate<TScalar> summed in TScalar: log-sum-exp of 100,000 Half zeros was 7.625
        // (the sum stalled at 2048) for log 100,000 = 11.51. Inputs exact in double, integer sums exact, one
        // logarithm (≤ 2⁻⁵³ relative) then one rounding to Half: the reference takes the same two roundings.
        var zeros = new Half[100_000];
        Assert.Equal((Half)Math.Log(100_000), default(LogSumExp<double>).Evaluate<Half>(zeros));
        Assert.Equal((Half)Math.Log(100_000), default(LogSumExp<Half>).Evaluate<Half>(zeros));

        // Rosenbrock at 0: n − 1 terms of (1 − 0)² = 1, so 4999, which a Half sum stalls at 2048.
        Assert.Equal((Half)4999.0, default(Rosenbrock<double>).Evaluate<Half>(new Half[5000]));

        // Σ aᵢxᵢ² with a = x = 1: 5000.
        var ones = Repeat(1, 5000);
        Assert.Equal((Half)5000.0, new WeightedSumOfSquares<Half>(ones).Evaluate<Half>(ones));
        Assert.Equal((Half)5000.0, new WeightedSumOfSquares<double>(Enumerable.Repeat(1.0, 5000).ToArray()).Evaluate<Half>(ones));

        // ½xᵀIx + 1ᵀx with x = 1 at n = 3000 would need a 9M-entry matrix; n = 64 with S = 64·I, b = 1 gives
        // 64 terms of ½·64 + 1 = 33: 2112 — a Half sum reaches it exactly too, so this pins the double path's value
        // against the double form rounded once (every entry and partial sum is an exact integer in double).
        const int N = 64;
        var matrix = new double[N * N];
        for (var i = 0; i < N; i++)
        {
            matrix[(i * N) + i] = 64;
        }

        var form = new QuadraticForm<double>(matrix, Enumerable.Repeat(1.0, N).ToArray(), 0.5);
        var point = Repeat(1, N);
        Assert.Equal((Half)form.Evaluate(Enumerable.Repeat(1.0, N).ToArray()), form.Evaluate<Half>(point));
    }
}
