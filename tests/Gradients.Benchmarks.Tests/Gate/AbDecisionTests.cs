using Gradients.Benchmarks.Gate;

namespace Gradients.Benchmarks.Tests.Gate;

/// <summary>
/// The A/B gate's decision on synthetic launch medians (no benchmarking here): what passes, what fails, and that
/// the one-sided Mann–Whitney test behind it has the size it claims.
/// </summary>
public sealed class AbDecisionTests
{
    private const double Threshold = AbCommand.DefaultThreshold;
    private const double Alpha = AbCommand.DefaultAlpha;

    [Fact]
    public void Identical_distributions_pass_in_almost_every_trial()
    {
        // 2000 A/A trials of 6 launches a side, launch medians lognormal with 3 % spread (a noisy runner). The test at
        // α = 0.01 against base × 1.05 can only be stricter than at α = 0.01 against base itself, so the expected
        // false-alarm rate is below 1 %; 2 % leaves room for the binomial spread of 2000 trials (σ ≈ 0.22 %).
        var random = new Random(7);
        var flagged = 0;
        for (var trial = 0; trial < 2000; trial++)
        {
            var decision = AbDecision.Decide(Sample(random, 1000, 0.03, 6), Sample(random, 1000, 0.03, 6), Threshold, Alpha);
            flagged += decision.IsRegression ? 1 : 0;
        }

        Assert.InRange(flagged, 0, 40);
    }

    [Fact]
    public void The_same_values_on_both_sides_pass_with_ratio_one()
    {
        var sample = new AbSample([1000, 1010, 990, 1005, 995, 1002], [0, 0, 0, 0, 0, 0]);

        var decision = AbDecision.Decide(sample, sample, Threshold, Alpha);

        Assert.Equal((AbVerdict.Same, 1.0), (decision.Verdict, decision.Ratio));
    }

    [Theory]
    [InlineData(0.10)]
    [InlineData(0.25)]
    public void A_consistent_slowdown_beyond_the_threshold_fails(double slowdown)
    {
        // Launch medians spread by ±1 %, head shifted by the slowdown: every head launch above every base launch × 1.05.
        double[] launches = [1000, 1010, 990, 1005, 995, 1002];
        var baseSample = new AbSample(launches, []);
        var headSample = new AbSample(launches.Select(t => t * (1 + slowdown)).ToArray(), []);

        var decision = AbDecision.Decide(baseSample, headSample, Threshold, Alpha);

        Assert.Equal(AbVerdict.Slower, decision.Verdict);
        Assert.True(decision.IsRegression);
        Assert.Equal(1 + slowdown, decision.Ratio!.Value, 1e-12);
    }

    [Fact]
    public void A_consistent_slowdown_below_the_threshold_passes()
    {
        // 3 % slower in every launch, with no overlap at all: significant, but within the 5 % tolerated.
        double[] launches = [1000, 1001, 999, 1002, 998, 1000.5];
        var decision = AbDecision.Decide(new AbSample(launches, []), new AbSample(launches.Select(t => t * 1.03).ToArray(), []), Threshold, Alpha);

        Assert.Equal(AbVerdict.Same, decision.Verdict);
    }

    [Fact]
    public void A_shifted_distribution_fails_in_most_trials_and_a_faster_one_never()
    {
        // Head 15 % slower, launches with 3 % spread: head vs base × 1.05 is a ~10 % shift, ≈ 2.3 standard deviations
        // of the difference of two launches; the exact test on 6 + 6 launches catches that in most trials.
        var random = new Random(11);
        var (slower, fasterFlagged) = (0, 0);
        for (var trial = 0; trial < 500; trial++)
        {
            var baseSample = Sample(random, 1000, 0.03, 6);
            slower += AbDecision.Decide(baseSample, Sample(random, 1150, 0.03, 6), Threshold, Alpha).Verdict == AbVerdict.Slower ? 1 : 0;
            fasterFlagged += AbDecision.Decide(baseSample, Sample(random, 850, 0.03, 6), Threshold, Alpha).IsRegression ? 1 : 0;
        }

        Assert.InRange(slower, 400, 500);
        Assert.Equal(0, fasterFlagged);
    }

    [Fact]
    public void Bimodal_noise_on_both_sides_does_not_fail()
    {
        // Launches land in one of two modes 20 % apart (code or data layout, another core), on both sides alike. A
        // test that pooled the modes' within-launch iterations would see two tight clusters; on launch medians the
        // modes mix and the test sees no consistent shift.
        double[] baseLaunches = [1000, 1200, 1003, 1198, 997, 1205];
        double[] headLaunches = [1202, 1001, 1199, 996, 1204, 1002];

        var decision = AbDecision.Decide(new AbSample(baseLaunches, []), new AbSample(headLaunches, []), Threshold, Alpha);

        Assert.Equal(AbVerdict.Same, decision.Verdict);
    }

    [Fact]
    public void Random_bimodal_noise_rarely_fails()
    {
        // Each launch in the slow mode (+20 %) with probability ½, independently, on both sides. A false alarm needs
        // the slow launches to fall almost all on head: rare, and the bound checks it is below the test's α plus the
        // binomial spread of 2000 trials.
        var random = new Random(3);
        var flagged = 0;
        for (var trial = 0; trial < 2000; trial++)
        {
            flagged += AbDecision.Decide(Bimodal(random), Bimodal(random), Threshold, Alpha).IsRegression ? 1 : 0;
        }

        Assert.InRange(flagged, 0, 40);
    }

    [Fact]
    public void One_outlier_launch_in_head_does_not_fail()
    {
        double[] launches = [1000, 1010, 990, 1005, 995, 1002];
        double[] head = [1001, 1008, 993, 1004, 2500, 999]; // a neighbour's burst during one head launch

        Assert.Equal(AbVerdict.Same, AbDecision.Decide(new AbSample(launches, []), new AbSample(head, []), Threshold, Alpha).Verdict);
    }

    [Fact]
    public void A_24_byte_allocation_per_call_fails_even_when_time_is_unchanged()
    {
        double[] launches = [1000, 1010, 990, 1005, 995, 1002];
        var baseSample = new AbSample(launches, [0, 0, 0, 0, 0, 0]);
        var headSample = new AbSample(launches, [24, 24, 24, 24, 24, 24]);

        var decision = AbDecision.Decide(baseSample, headSample, Threshold, Alpha);

        Assert.Equal((AbVerdict.AllocatesMore, 0L, 24L), (decision.Verdict, decision.BaseBytes, decision.HeadBytes));
        Assert.True(decision.IsRegression);
    }

    [Fact]
    public void Calling_thread_counts_decide_when_both_sides_have_them()
    {
        // The A/A run that motivated them (2026-12-06, load 17–20): process-wide bytes/op of one case in all five head
        // launches, none on the calling thread.
        double[] launches = [17.46e6, 17.89e6, 17.15e6, 17.16e6, 19.14e6];
        var baseSample = new AbSample(launches, [0, 1248, 1248, 0, 4992]) { CallingThreadBytes = [0] };
        var headSample = new AbSample(launches, [4992, 1248, 1248, 1248, 1248]) { CallingThreadBytes = [0] };
        Assert.Equal(AbVerdict.AllocatesMore, AbDecision.Decide(baseSample with { CallingThreadBytes = [] }, headSample, Threshold, Alpha).Verdict);
        Assert.Equal(AbVerdict.Same, AbDecision.Decide(baseSample, headSample, Threshold, Alpha).Verdict);

        // A real allocation per call is on the calling thread whatever the process-wide figures say.
        var allocating = headSample with { AllocatedBytes = [0, 0, 0, 0, 0], CallingThreadBytes = [24] };
        var decision = AbDecision.Decide(baseSample, allocating, Threshold, Alpha);
        Assert.Equal((AbVerdict.AllocatesMore, 0L, 24L), (decision.Verdict, decision.BaseBytes, decision.HeadBytes));
    }

    [Fact]
    public void Background_bytes_in_one_launch_are_not_an_allocation_increase()
    {
        // A runtime thread's bytes charged to the operations of one launch: the fewest bytes over launches stay 0.
        double[] launches = [1000, 1010, 990, 1005, 995, 1002];
        var decision = AbDecision.Decide(new AbSample(launches, [0, 0, 0, 0, 0, 0]), new AbSample(launches, [0, 169, 0, 0, 0, 0]), Threshold, Alpha);

        Assert.Equal(AbVerdict.Same, decision.Verdict);
    }

    [Fact]
    public void A_few_background_bytes_in_every_launch_are_below_the_tolerance_and_24_bytes_are_not()
    {
        // Seen in an A/A run: 2 B/op in all five launches of one side. A 24 B object per call is 3 times the tolerance.
        double[] launches = [1000, 1010, 990, 1005, 995];
        var clean = new AbSample(launches, [0, 0, 0, 0, 2]);

        Assert.Equal(AbVerdict.Same, AbDecision.Decide(clean, new AbSample(launches, [2, 2, 2, 2, 2]), Threshold, Alpha).Verdict);
        Assert.Equal(AbVerdict.AllocatesMore, AbDecision.Decide(clean, new AbSample(launches, [24, 26, 24, 24, 26]), Threshold, Alpha).Verdict);
        Assert.Equal(AbVerdict.AllocatesMore, AbDecision.Decide(clean, new AbSample(launches, [8, 8, 8, 8, 8]), Threshold, Alpha).Verdict);
    }

    [Fact]
    public void Fewer_bytes_pass()
    {
        double[] launches = [1000, 1010, 990, 1005, 995, 1002];
        var decision = AbDecision.Decide(new AbSample(launches, [48, 48, 48, 48, 48, 48]), new AbSample(launches, [24, 24, 24, 24, 24, 24]), Threshold, Alpha);

        Assert.False(decision.IsRegression);
    }

    [Fact]
    public void A_benchmark_without_result_in_head_fails_and_a_new_one_passes()
    {
        var some = new AbSample([1000, 1001, 999], [0, 0, 0]);

        Assert.Equal(AbVerdict.MissingInHead, AbDecision.Decide(some, AbSample.Empty, Threshold, Alpha).Verdict);
        Assert.True(AbDecision.Decide(some, AbSample.Empty, Threshold, Alpha).IsRegression);
        Assert.Equal(AbVerdict.NewInHead, AbDecision.Decide(AbSample.Empty, some, Threshold, Alpha).Verdict);
        Assert.False(AbDecision.Decide(AbSample.Empty, some, Threshold, Alpha).IsRegression);
    }

    [Fact]
    public void Nonsense_thresholds_and_levels_are_rejected_by_name()
    {
        var some = new AbSample([1000], []);

        Assert.Equal("threshold", Assert.Throws<ArgumentOutOfRangeException>(() => AbDecision.Decide(some, some, -0.1, Alpha)).ParamName);
        Assert.Equal("threshold", Assert.Throws<ArgumentOutOfRangeException>(() => AbDecision.Decide(some, some, double.NaN, Alpha)).ParamName);
        Assert.Equal("alpha", Assert.Throws<ArgumentOutOfRangeException>(() => AbDecision.Decide(some, some, Threshold, 0)).ParamName);
    }

    [Theory]
    [InlineData("0.10", 0.10)]
    [InlineData("10%", 0.10)]
    [InlineData("0", 0.0)]
    public void Thresholds_are_read_as_fractions_or_percentages(string text, double expected) =>
        Assert.Equal(expected, AbCommand.ParseThreshold(text), 1e-15);

    [Theory]
    [InlineData("1")]
    [InlineData("-0.1")]
    [InlineData("ten")]
    [InlineData("150%")]
    public void Thresholds_of_100_percent_or_more_or_not_numbers_are_usage_errors(string text) =>
        Assert.Throws<UsageException>(() => AbCommand.ParseThreshold(text));

    // Launch medians: lognormal around the centre with the given relative spread.
    private static AbSample Sample(Random random, double centre, double spread, int launches) =>
        new(Enumerable.Range(0, launches).Select(_ => centre * Math.Exp(spread * Normal(random))).ToArray(), []);

    private static AbSample Bimodal(Random random) =>
        new(Enumerable.Range(0, 6).Select(_ => (random.Next(2) == 0 ? 1000 : 1200) * Math.Exp(0.01 * Normal(random))).ToArray(), []);

    private static double Normal(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
