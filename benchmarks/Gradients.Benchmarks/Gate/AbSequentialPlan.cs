namespace Gradients.Benchmarks.Gate;

/// <summary>
/// The gate's sequential rule: how many launches a benchmark case gets, and at what level each look tests.
/// </summary>
/// <remarks>
/// <para>Every case first gets <see cref="Step"/> launches a side and one look: <see cref="AbDecision.Decide"/> at
/// <see cref="LookAlpha"/>. A case that is not significantly slower but whose ratio of medians is above
/// 1 + <see cref="Threshold"/> — the evidence points to a regression that these launches cannot yet separate from
/// the noise — gets <see cref="Step"/> more launches a side and another look over all its launches, and so on up to
/// <see cref="MaxLaunches"/> a side. Every other case stops at once, so an unchanged benchmark costs what it did
/// with one look (in the simulation below, 6.5 launches a side on average instead of 5).</para>
/// <para>Why: under load the launch medians of one side spread by ±10–30 % (the FD gradient at n = 1000: 2.07–3.03 ms
/// over five base launches), and five launches a side at one look caught a real 25 % slowdown of such a case in
/// 0 of 5 runs. More launches where the evidence is ambiguous is the only cure that costs nothing where it is not.</para>
/// <para>Level: each look tests at α/2 (<see cref="LookAlpha"/>). Looks at growing samples of the same launches are
/// strongly dependent, so the chance that any of them fails a case whose true slowdown is exactly the threshold
/// stays near α rather than the k·α of independent looks (Bonferroni bounds it by 3α for six looks). In a bootstrap
/// of the launch medians of the 13 cases of the gate's studies (benchmarks/ab-study/sequential_sim.py →
/// sequential.txt; α = 1 %, threshold 5 %), looks of 5, 10, … 30 launches a side at α/2 failed 1.6 % of the cases
/// at a true 5 % slowdown (at most 3.5 % for one case; one look of 5 at α: 0.9 %) and 0.08 % of unchanged ones
/// (one look: 0.07 %), with 6.5 launches a side on average for an unchanged case. Detection of a 25 % slowdown
/// rose from 29 % to 85 % of the cases, of a 10 % one from 7.9 % to 39 %.</para>
/// </remarks>
public sealed record AbSequentialPlan
{
    /// <summary>Creates a plan.</summary>
    /// <param name="step">Launches a side before the first look, and added before each further look (≥ 3).</param>
    /// <param name="maxLaunches">The most launches a side any case gets (≥ <paramref name="step"/>).</param>
    /// <param name="threshold">The relative slowdown tolerated, e.g. 0.05.</param>
    /// <param name="alpha">The level of the whole sequence of looks, e.g. 0.01; each look tests at half of it.</param>
    public AbSequentialPlan(int step, int maxLaunches, double threshold, double alpha)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(step, 3);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLaunches, step);
        if (!(threshold >= 0 && double.IsFinite(threshold)))
        {
            throw new ArgumentOutOfRangeException(nameof(threshold), threshold, "The threshold must be a finite number ≥ 0.");
        }

        if (!(alpha is > 0 and < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(alpha), alpha, "The significance level must lie strictly between 0 and 1.");
        }

        (Step, MaxLaunches, Threshold, Alpha) = (step, maxLaunches, threshold, alpha);
    }

    /// <summary>Launches a side before the first look, and added before each further look.</summary>
    public int Step { get; }

    /// <summary>The most launches a side any case gets.</summary>
    public int MaxLaunches { get; }

    /// <summary>The relative slowdown tolerated.</summary>
    public double Threshold { get; }

    /// <summary>The level of the whole sequence of looks.</summary>
    public double Alpha { get; }

    /// <summary>The level each look tests at: α/2 (see the remarks).</summary>
    public double LookAlpha => Alpha / 2;

    /// <summary>The decision at one look, over all launches so far.</summary>
    /// <param name="baseSample">Base's launches so far.</param>
    /// <param name="headSample">Head's launches so far.</param>
    public AbDecision Decide(AbSample baseSample, AbSample headSample) => AbDecision.Decide(baseSample, headSample, Threshold, LookAlpha);

    /// <summary>
    /// How many more launches a side the case should get before its next look: <see cref="Step"/> (fewer at the cap)
    /// when <paramref name="decision"/> is "same" with a ratio of medians above 1 + <see cref="Threshold"/>, else 0.
    /// </summary>
    /// <param name="decision">The decision at the last look.</param>
    /// <param name="launchesPerSide">The launches of the side with fewer (a failed launch counts for nothing).</param>
    public int MoreLaunches(AbDecision decision, int launchesPerSide)
    {
        ArgumentNullException.ThrowIfNull(decision);
        var inDoubt = decision.Verdict == AbVerdict.Same && decision.Ratio > 1 + Threshold;
        return inDoubt ? Math.Clamp(MaxLaunches - launchesPerSide, 0, Step) : 0;
    }

    /// <summary>
    /// Orders cases in doubt for a limited budget, the most urgent first: the one whose last look came nearest to
    /// "slower" (the smaller p-value of "head is slower than base × (1 + threshold)"), then the larger ratio of
    /// medians. A real slowdown usually has both; a case held in doubt by noise alone (a ratio above the threshold
    /// from one slow launch) has a large p-value, so it waits: when the budget runs out, the launches went to the
    /// cases most likely to turn into a verdict.
    /// </summary>
    /// <param name="x">One case's last decision.</param>
    /// <param name="y">Another's.</param>
    /// <returns>Negative when <paramref name="x"/> is the more urgent, positive when <paramref name="y"/> is, else 0.</returns>
    public static int CompareUrgency(AbDecision x, AbDecision y)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        var byPValue = (x.PValueSlower ?? 1).CompareTo(y.PValueSlower ?? 1);
        return byPValue != 0 ? byPValue : (y.Ratio ?? 0).CompareTo(x.Ratio ?? 0);
    }

    /// <summary>
    /// Replays the rule over two streams of launch medians in launch order, as <see cref="AbCommand"/> would take
    /// them: the decision at the last look, and the launches a side it used.
    /// </summary>
    /// <param name="baseLaunches">Base's launch medians, at least <see cref="Step"/>.</param>
    /// <param name="headLaunches">Head's launch medians, as many as base's.</param>
    public (AbDecision Decision, int Launches) Replay(IReadOnlyList<double> baseLaunches, IReadOnlyList<double> headLaunches)
    {
        ArgumentNullException.ThrowIfNull(baseLaunches);
        ArgumentNullException.ThrowIfNull(headLaunches);
        if (baseLaunches.Count != headLaunches.Count || baseLaunches.Count < Step)
        {
            throw new ArgumentException(
                $"Both streams need the same number of launches, at least {Step}; base has {baseLaunches.Count}, head {headLaunches.Count}.",
                nameof(headLaunches));
        }

        var launches = Step;
        while (true)
        {
            var decision = Decide(new AbSample(baseLaunches.Take(launches).ToArray(), []), new AbSample(headLaunches.Take(launches).ToArray(), []));
            var more = Math.Min(MoreLaunches(decision, launches), baseLaunches.Count - launches);
            if (more == 0)
            {
                return (decision, launches);
            }

            launches += more;
        }
    }
}
