namespace Gradients.Tests.Losses;

/// <summary>
/// The accumulator on non-finite data and at the edges of its state: it agrees with the one-shot call on ±∞ and
/// NaN (a compensated sum, as the accumulator once kept, turned ∞ into ∞ − ∞ = NaN; the plain double sums it keeps
/// now must give the one-shot call's ±∞), and an impossible state is rejected, not stored.
/// </summary>
public sealed class MeanSquaredErrorAccumulatorEdgeTests
{
    public static TheoryData<string, double[], double[]> NonFiniteProblems => new()
    {
        // Rows of D = 2: x, then y. r² ≈ 1e400 overflows to +∞ in the kernel; y = ±∞ makes r = ∓∞.
        { "square overflows", [1e200, 0, 1, 1], [0, 0.5] },
        { "y = +inf", [1, 0, 2, 3], [double.PositiveInfinity, 0.5] },
        { "y = -inf", [1, 2, 2, 3], [1, double.NegativeInfinity] },
        { "y = +inf and -inf", [1, 2, 2, 3, 1, 1], [double.PositiveInfinity, double.NegativeInfinity, 0] },
        { "y = NaN", [1, 2, 2, 3], [double.NaN, 0] },
        { "residual sum overflows in any order", [1, 0, 1, 0, 1, 0], [-1e308, -1e308, -1e308] },
    };

    [Theory]
    [MemberData(nameof(NonFiniteProblems))]
    public void Non_finite_data_give_the_one_shot_result_in_any_split(string name, double[] x, double[] y)
    {
        double[] w = [1.0, -0.5];
        const double Intercept = 0.25;
        var rows = y.Length;
        var expected = new double[2];
        var expectedLoss = MeanSquaredError.LossAndGradient<double>(x, y, w, Intercept, expected, out var expectedIntercept, [], default);

        // Every split into a prefix batch and a suffix batch, and the prefix and suffix merged from two accumulators.
        for (var cut = 0; cut <= rows; cut++)
        {
            var streamed = new MeanSquaredErrorAccumulator<double>(w, Intercept, default);
            streamed.Add(x.AsSpan(0, 2 * cut), y.AsSpan(0, cut));
            streamed.Add(x.AsSpan(2 * cut), y.AsSpan(cut));

            var other = new MeanSquaredErrorAccumulator<double>(w, Intercept, default);
            other.Add(x.AsSpan(2 * cut), y.AsSpan(cut));
            var merged = new MeanSquaredErrorAccumulator<double>(w, Intercept, default);
            merged.Add(x.AsSpan(0, 2 * cut), y.AsSpan(0, cut));
            merged.Merge(other);

            foreach (var accumulator in new[] { streamed, merged })
            {
                var gradient = new double[2];
                var loss = accumulator.LossAndGradient(gradient, out var interceptGradient);
                var where = $"{name}, cut {cut}";
                AssertSameClass(expectedLoss, loss, where + ", loss");
                AssertSameClass(expectedIntercept, interceptGradient, where + ", intercept gradient");
                AssertSameClass(expected[0], gradient[0], where + ", gradient[0]");
                AssertSameClass(expected[1], gradient[1], where + ", gradient[1]");
            }
        }
    }

    [Fact]
    public void A_merged_count_beyond_long_max_value_is_rejected_and_the_state_kept()
    {
        var accumulator = new MeanSquaredErrorAccumulator<double>([1.0]);
        accumulator.Merge(long.MaxValue, 3.0, 1.0, [2.0]);

        var e = Assert.Throws<ArgumentException>(() => accumulator.Merge(2, 1.0, 1.0, [1.0]));
        Assert.Equal("count", e.ParamName);
        Assert.Contains(long.MaxValue.ToString(System.Globalization.CultureInfo.InvariantCulture), e.Message, StringComparison.Ordinal);
        Assert.Equal(long.MaxValue, accumulator.Count);
        Assert.Equal(3.0, accumulator.SumOfSquaredResiduals);
        Assert.True(accumulator.Loss() > 0.0);

        var other = new MeanSquaredErrorAccumulator<double>([1.0]);
        other.Add([1.0], [0.0]);
        Assert.Equal("other", Assert.Throws<ArgumentException>(() => accumulator.Merge(other)).ParamName);
        Assert.Equal(long.MaxValue, accumulator.Count);
    }

    [Theory]
    [InlineData(1.0, 0.0, 0.0)]
    [InlineData(0.0, -2.0, 0.0)]
    [InlineData(0.0, 0.0, 5.0)]
    [InlineData(double.NaN, 0.0, 0.0)]
    [InlineData(0.0, 0.0, double.NaN)]
    public void A_state_of_no_rows_with_non_zero_sums_is_rejected(double squares, double residuals, double featureSum)
    {
        var accumulator = new MeanSquaredErrorAccumulator<double>([1.0, 2.0]);
        var e = Assert.Throws<ArgumentException>(() => accumulator.Merge(0, squares, residuals, [0.0, featureSum]));
        Assert.Equal("count", e.ParamName);
        Assert.Contains("count 0", e.Message, StringComparison.Ordinal);
        Assert.Equal(0, accumulator.Count);
        Assert.Equal(0.0, accumulator.SumOfSquaredResiduals);

        // The empty state itself, zeros of either sign, merges (a worker that saw no rows).
        accumulator.Merge(0, 0.0, -0.0, [-0.0, 0.0]);
        Assert.Equal(0, accumulator.Count);
    }

    [Fact]
    public void Merging_an_accumulator_into_itself_equals_merging_a_copy()
    {
        // With other = this, Merge reads the other state while writing this one. Merging an identical copy doubles
        // every sum, which is exact, so the two must agree bit for bit; a sum read after it was written (or a count
        // read after it was updated) would not.
        double[] x = [1e16, 1, 3, 1, -1e16, 1, 7, 1];
        double[] y = [0, 0, 0, 0];
        var self = new MeanSquaredErrorAccumulator<double>([1.0, 0.25]);
        var copy = new MeanSquaredErrorAccumulator<double>([1.0, 0.25]);
        var twin = new MeanSquaredErrorAccumulator<double>([1.0, 0.25]);
        foreach (var accumulator in new[] { self, copy, twin })
        {
            for (var row = 0; row < 4; row++)
            {
                accumulator.Add(x.AsSpan(2 * row, 2), y.AsSpan(row, 1));
            }
        }

        self.Merge(self);
        copy.Merge(twin);
        Assert.Equal(copy.Count, self.Count);
        Assert.Equal(copy.SumOfSquaredResiduals, self.SumOfSquaredResiduals);
        Assert.Equal(copy.SumOfResiduals, self.SumOfResiduals);
        var (expected, actual) = (new double[2], new double[2]);
        copy.CopyResidualFeatureSums(expected);
        self.CopyResidualFeatureSums(actual);
        Assert.Equal(expected, actual);
    }

    /// <summary>Both NaN, the same infinity, or both finite and close (same sums in another order: 1e-12 relative).</summary>
    private static void AssertSameClass(double expected, double actual, string where)
    {
        if (double.IsNaN(expected) || double.IsInfinity(expected))
        {
            Assert.True(expected.Equals(actual), $"{where}: one-shot {expected}, accumulator {actual}.");
            return;
        }

        Assert.True(double.IsFinite(actual) && Math.Abs(actual - expected) <= 1e-12 * Math.Max(1.0, Math.Abs(expected)), $"{where}: one-shot {expected}, accumulator {actual}.");
    }
}
