using Gradients.Benchmarks.Gate;

namespace Gradients.Benchmarks.Tests.Gate;

/// <summary>The Mann–Whitney test against hand-counted cases and its own normal approximation.</summary>
public sealed class MannWhitneyTests
{
    [Fact]
    public void The_exact_distribution_for_two_against_two_is_the_hand_count()
    {
        // The 6 orders of two x's and two y's, smallest first: yyxx, yxyx, yxxy, xyyx, xyxy, xxyy have U = 0, 1, 2, 2, 3, 4.
        var distribution = MannWhitney.ExactDistribution(2, 2);

        Assert.Equal([1 / 6.0, 1 / 6.0, 2 / 6.0, 1 / 6.0, 1 / 6.0], distribution, (a, b) => Math.Abs(a - b) < 1e-15);
    }

    [Theory]
    [InlineData(5, 5, 252)]
    [InlineData(6, 6, 924)]
    [InlineData(3, 7, 120)]
    public void A_complete_separation_has_p_one_over_the_number_of_interleavings(int m, int n, int interleavings)
    {
        var x = Enumerable.Range(0, m).Select(i => (double)i).ToArray();
        var y = Enumerable.Range(100, n).Select(i => (double)i).ToArray();

        // Rounding: a sum of up to m·n + 1 probabilities, each with a relative error of a few ulps.
        Assert.Equal(1.0 / interleavings, MannWhitney.PValueGreater(x, y), 1e-14);
        Assert.Equal(1.0, MannWhitney.PValueGreater(y, x), 1e-12);
    }

    [Fact]
    public void The_exact_distribution_sums_to_one_and_is_symmetric()
    {
        var distribution = MannWhitney.ExactDistribution(6, 9);

        Assert.Equal(1.0, distribution.Sum(), 1e-12);
        for (var u = 0; u < distribution.Length; u++)
        {
            Assert.Equal(distribution[u], distribution[^(u + 1)], 1e-15);
        }
    }

    [Fact]
    public void The_normal_approximation_agrees_with_the_exact_test_at_30_against_30()
    {
        // With the continuity correction the approximation's error at m = n = 30 is of order 1e-3 for p-values between
        // 0.01 and 0.5 (its error term is O(1/(mn)) in the Edgeworth expansion); 0.005 is a bound with room.
        var x = Enumerable.Range(0, 30).Select(i => i * 1.0).ToArray();
        foreach (var shift in new[] { 1.5, 3.5, 5.5, 7.5 })
        {
            var y = x.Select(v => v + shift).ToArray();
            var exact = MannWhitney.PValueGreater(x, y);

            Assert.InRange(exact, 0.001, 0.5);
            Assert.Equal(exact, MannWhitney.PValueGreaterNormal(x, y), 0.005);
        }
    }

    [Fact]
    public void Ties_count_one_half_and_all_equal_values_give_no_evidence()
    {
        Assert.Equal(3.5, MannWhitney.U([1, 2], [2, 3]));
        Assert.Equal(0.5, MannWhitney.PValueGreater([5, 5, 5], [5, 5, 5]));
    }

    [Fact]
    public void Empty_and_non_finite_samples_are_rejected_by_name()
    {
        Assert.Equal("x", Assert.Throws<ArgumentException>(() => MannWhitney.PValueGreater([], [1.0])).ParamName);
        Assert.Equal("y", Assert.Throws<ArgumentException>(() => MannWhitney.PValueGreater([1.0], [double.NaN])).ParamName);
    }
}
