using Gradients.Benchmarks.Gate;

namespace Gradients.Benchmarks.Tests.Gate;

/// <summary>
/// The gate's sequential rule on synthetic launch streams (no benchmarking here): further looks only for cases in
/// doubt, a false-alarm rate held by the per-look level, and the power it adds where one look cannot separate.
/// </summary>
public sealed class AbSequentialPlanTests
{
    private const double Threshold = AbCommand.DefaultThreshold;
    private const double Alpha = AbCommand.DefaultAlpha;
    private static readonly AbSequentialPlan Quick = new(5, 30, Threshold, Alpha);
    private static readonly AbSequentialPlan OneLook = new(5, 5, Threshold, Alpha);

    [Fact]
    public void Identical_distributions_pass_in_almost_every_trial_even_with_further_looks()
    {
        // 2000 A/A trials with a 15 % lognormal launch spread (a loaded runner), up to 6 looks of 5 … 30 launches a
        // side. Each look tests at α/2 against base × 1.05, so by Bonferroni over the 6 looks the rate is at most
        // 3α = 3 % even for a true slowdown of exactly 5 %; here there is none. Bound: 3 % of 2000 plus 3 binomial
        // standard deviations (√(2000·0.03·0.97) ≈ 7.6).
        var random = new Random(17);
        var flagged = 0;
        for (var trial = 0; trial < 2000; trial++)
        {
            var (decision, _) = Quick.Replay(Stream(random, 1000, 0.15, 30), Stream(random, 1000, 0.15, 30));
            flagged += decision.IsRegression ? 1 : 0;
        }

        Assert.InRange(flagged, 0, 83);
    }

    [Fact]
    public void Random_bimodal_noise_rarely_fails_with_further_looks()
    {
        // Every launch in one of two modes 20 % apart with probability ½, both sides alike; same bound as above.
        var random = new Random(19);
        var flagged = 0;
        for (var trial = 0; trial < 2000; trial++)
        {
            var (decision, _) = Quick.Replay(BimodalStream(random, 30), BimodalStream(random, 30));
            flagged += decision.IsRegression ? 1 : 0;
        }

        Assert.InRange(flagged, 0, 83);
    }

    [Fact]
    public void Further_looks_catch_a_25_percent_slowdown_that_one_look_of_five_launches_mostly_misses()
    {
        // Launch spread 15 % (lognormal σ = 0.15), head 25 % slower: against base × 1.05 a shift of ln(1.25/1.05) =
        // 0.174 = 1.16σ. One look of 5 + 5 at α/2 = 0.005 needs all 25 pairs in order (p = 1/252), which for a
        // 1.16σ shift happens in about 10 % of trials (P(min of 5 N(1.16, 1) > max of 5 N(0, 1)), integrated
        // numerically). With up to 30 a side: at 30 + 30 the normal approximation of the test puts the shift
        // 0.174 / (0.15·√(2/30)) = 4.5 standard errors out, 1.9 beyond the 2.58 of p = 0.005 (≈ 97 %), less the
        // trials that stop early because their ratio of medians fell to 1.05 or below (a 1.5-standard-error dip of
        // the first look's medians, ≈ 7 %): about 90 %. Asserted: at least 80 % of 500 trials, and at least 40 points
        // more than one look on the same streams.
        var random = new Random(23);
        var (sequential, oneLook) = (0, 0);
        for (var trial = 0; trial < 500; trial++)
        {
            var (baseStream, headStream) = (Stream(random, 1000, 0.15, 30), Stream(random, 1250, 0.15, 30));
            sequential += Quick.Replay(baseStream, headStream).Decision.Verdict == AbVerdict.Slower ? 1 : 0;
            oneLook += OneLook.Replay(baseStream[..5], headStream[..5]).Decision.Verdict == AbVerdict.Slower ? 1 : 0;
        }

        Assert.InRange(sequential, 400, 500);
        Assert.InRange(sequential - oneLook, 200, 500);
    }

    [Fact]
    public void A_clear_slowdown_and_a_clear_tie_stop_at_the_first_look()
    {
        double[] launches = [1000, 1010, 990, 1005, 995, 1002, 1001, 999, 1003, 997];
        var slower = launches.Select(t => t * 1.3).ToArray();

        Assert.Equal((AbVerdict.Slower, 5), Verdict(Quick.Replay(launches, slower)));
        Assert.Equal((AbVerdict.Same, 5), Verdict(Quick.Replay(launches, launches)));
    }

    [Fact]
    public void A_case_in_doubt_gets_more_launches_up_to_the_cap_and_no_more()
    {
        // Head 6 % slower in every launch, but the launches spread over a factor of e (lognormal σ = 1): the ratio of
        // medians is exactly 1.06 at every look — above the threshold, so in doubt — while about half the (base × 1.05,
        // head) pairs are out of order, far from significance. The rule runs to the cap of 30 and stops there.
        var random = new Random(29);
        var baseStream = Stream(random, 1000, 1.0, 40);
        var headStream = baseStream.Select(t => t * 1.06).ToArray();

        var (decision, launches) = Quick.Replay(baseStream, headStream);

        Assert.Equal(30, launches);
        Assert.Equal(AbVerdict.Same, decision.Verdict);
    }

    [Fact]
    public void More_launches_only_for_same_with_a_ratio_above_the_threshold()
    {
        var inDoubt = new AbDecision(AbVerdict.Same, 1.08, 0.2, null, null);

        Assert.Equal(5, Quick.MoreLaunches(inDoubt, 5));
        Assert.Equal(3, Quick.MoreLaunches(inDoubt, 27));
        Assert.Equal(0, Quick.MoreLaunches(inDoubt, 30));
        Assert.Equal(0, Quick.MoreLaunches(inDoubt with { Ratio = 1.05 }, 5));
        Assert.Equal(0, Quick.MoreLaunches(inDoubt with { Verdict = AbVerdict.Slower }, 5));
        Assert.Equal(0, Quick.MoreLaunches(inDoubt with { Verdict = AbVerdict.AllocatesMore }, 5));
        Assert.Equal(0, Quick.MoreLaunches(new AbDecision(AbVerdict.NewInHead, null, null, null, null), 5));
        Assert.Equal(Alpha / 2, Quick.LookAlpha);
    }

    [Fact]
    public void Cases_in_doubt_are_ordered_by_the_evidence_of_a_slowdown_then_by_the_ratio()
    {
        // What the budget's last minutes go to: a case one slow launch holds in doubt (ratio 1.30, p = 0.40) waits
        // behind a consistent 9 % slowdown (p = 0.02); equal p-values go by the ratio; a case without a p-value last.
        var noisy = new AbDecision(AbVerdict.Same, 1.30, 0.40, null, null);
        var consistent = new AbDecision(AbVerdict.Same, 1.09, 0.02, null, null);
        var consistentLarger = consistent with { Ratio = 1.12 };
        var unknown = new AbDecision(AbVerdict.Same, 1.50, null, null, null);
        var decisions = new List<AbDecision> { unknown, noisy, consistent, consistentLarger };

        decisions.Sort(AbSequentialPlan.CompareUrgency);

        Assert.Equal([consistentLarger, consistent, noisy, unknown], decisions);
        Assert.Equal(0, AbSequentialPlan.CompareUrgency(noisy, noisy with { }));
        Assert.Throws<ArgumentNullException>(() => AbSequentialPlan.CompareUrgency(null!, noisy));
    }

    [Fact]
    public void Nonsense_plans_and_streams_are_rejected_by_name()
    {
        Assert.Equal("step", Assert.Throws<ArgumentOutOfRangeException>(() => new AbSequentialPlan(2, 30, Threshold, Alpha)).ParamName);
        Assert.Equal("maxLaunches", Assert.Throws<ArgumentOutOfRangeException>(() => new AbSequentialPlan(5, 4, Threshold, Alpha)).ParamName);
        Assert.Equal("threshold", Assert.Throws<ArgumentOutOfRangeException>(() => new AbSequentialPlan(5, 30, double.NaN, Alpha)).ParamName);
        Assert.Equal("alpha", Assert.Throws<ArgumentOutOfRangeException>(() => new AbSequentialPlan(5, 30, Threshold, 1)).ParamName);
        var error = Assert.Throws<ArgumentException>(() => Quick.Replay([1, 2, 3, 4, 5], [1, 2, 3, 4]));
        Assert.Equal("headLaunches", error.ParamName);
        Assert.Contains("base has 5, head 4", error.Message, StringComparison.Ordinal);
    }

    private static (AbVerdict, int) Verdict((AbDecision Decision, int Launches) result) => (result.Decision.Verdict, result.Launches);

    // Launch medians: lognormal around the centre with the given relative spread.
    private static double[] Stream(Random random, double centre, double spread, int launches) =>
        Enumerable.Range(0, launches).Select(_ => centre * Math.Exp(spread * Normal(random))).ToArray();

    private static double[] BimodalStream(Random random, int launches) =>
        Enumerable.Range(0, launches).Select(_ => (random.Next(2) == 0 ? 1000 : 1200) * Math.Exp(0.01 * Normal(random))).ToArray();

    private static double Normal(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
