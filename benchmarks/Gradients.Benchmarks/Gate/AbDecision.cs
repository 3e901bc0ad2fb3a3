namespace Gradients.Benchmarks.Gate;

/// <summary>What the A/B comparison found for one benchmark.</summary>
public enum AbVerdict
{
    /// <summary>No significant slowdown beyond the threshold, and no more bytes allocated.</summary>
    Same,

    /// <summary>Head is significantly faster than base by more than the threshold (never a failure).</summary>
    Faster,

    /// <summary>Head is significantly slower than base × (1 + threshold): a regression.</summary>
    Slower,

    /// <summary>Head allocates more bytes per operation than base in every launch: a regression.</summary>
    AllocatesMore,

    /// <summary>The benchmark ran in base but produced no result in head (it threw, or disappeared): a regression.</summary>
    MissingInHead,

    /// <summary>The benchmark has no result in base (it is new): nothing to compare, not a failure.</summary>
    NewInHead,
}

/// <summary>The per-launch results of one benchmark (one method at one parameter set) on one side.</summary>
/// <param name="Nanoseconds">The median time per operation of each launch that succeeded.</param>
/// <param name="AllocatedBytes">The bytes allocated per operation in each launch that reported them.</param>
public sealed record AbSample(IReadOnlyList<double> Nanoseconds, IReadOnlyList<long> AllocatedBytes)
{
    /// <summary>A side without any result.</summary>
    public static AbSample Empty { get; } = new([], []);

    /// <summary>
    /// The bytes per call the benchmarked code allocated on its own thread, from the launches that counted them
    /// (<see cref="CallingThreadAllocations"/>); empty when none did.
    /// </summary>
    public IReadOnlyList<long> CallingThreadBytes { get; init; } = [];
}

/// <summary>The decision for one benchmark, with the figures it rests on.</summary>
/// <param name="Verdict">The finding.</param>
/// <param name="Ratio">median(head) ÷ median(base) of the launch medians, when both sides have results.</param>
/// <param name="PValueSlower">The p-value of "head is slower than base × (1 + threshold)", when both sides have results.</param>
/// <param name="BaseBytes">The fewest bytes per operation base allocated in any launch.</param>
/// <param name="HeadBytes">The fewest bytes per operation head allocated in any launch.</param>
public sealed record AbDecision(AbVerdict Verdict, double? Ratio, double? PValueSlower, long? BaseBytes, long? HeadBytes)
{
    /// <summary>
    /// The smallest increase of the fewest bytes per operation that counts: 8 B, a third of the smallest managed
    /// object (24 B), so an allocation in every call, or every third call, fails; below it are the background bytes
    /// BenchmarkDotNet charges to every launch of a case now and then (an A/A run here showed 2 B/op in all five
    /// launches of one side of a 20 µs case).
    /// </summary>
    public const long AllocationToleranceBytes = 8;

    /// <summary>Whether this finding fails the gate.</summary>
    public bool IsRegression => Verdict is AbVerdict.Slower or AbVerdict.AllocatesMore or AbVerdict.MissingInHead;

    /// <summary>
    /// Decides one benchmark from its launches on both sides.
    /// <list type="bullet">
    /// <item><b>Time</b>: the samples are the launch medians (one value per process, because what varies most between
    /// runs of the same code is the process — its code and data layout, the core it lands on — so the iterations of
    /// one launch are not independent evidence). Head is <see cref="AbVerdict.Slower"/> when the one-sided
    /// Mann–Whitney test finds head's launches larger than base's launches × (1 + <paramref name="threshold"/>) at
    /// level <paramref name="alpha"/> — a slowdown smaller than the threshold never fails, however consistent, and
    /// a larger one fails only when it is consistent across launches (as dotnet/performance's ResultsComparer does
    /// with its threshold). <see cref="AbVerdict.Faster"/> the other way round.</item>
    /// <item><b>Allocation</b>: no statistics: head is <see cref="AbVerdict.AllocatesMore"/> when the fewest bytes
    /// per operation it allocated in any launch exceed base's fewest by <see cref="AllocationToleranceBytes"/> or
    /// more. When both sides counted the calling thread's bytes (<see cref="AbSample.CallingThreadBytes"/>), those
    /// decide: they hold only the benchmarked call's own allocations. Otherwise BenchmarkDotNet's figures decide, and
    /// the minimum, because they count the bytes of every thread of the process and divide them by the operations of
    /// the iteration, so a runtime thread's few kilobytes show up as 1–5,000 B/op in some launches (more for long
    /// operations; under heavy load in all five launches of a side, see <see cref="CallingThreadAllocations"/>); an
    /// allocation in the benchmarked code is there in every launch.</item>
    /// </list>
    /// </summary>
    /// <param name="baseSample">Base's launches.</param>
    /// <param name="headSample">Head's launches.</param>
    /// <param name="threshold">The relative slowdown tolerated, e.g. 0.05.</param>
    /// <param name="alpha">The significance level of the one-sided test, e.g. 0.01.</param>
    public static AbDecision Decide(AbSample baseSample, AbSample headSample, double threshold, double alpha)
    {
        ArgumentNullException.ThrowIfNull(baseSample);
        ArgumentNullException.ThrowIfNull(headSample);
        if (!(threshold >= 0 && double.IsFinite(threshold)))
        {
            throw new ArgumentOutOfRangeException(nameof(threshold), threshold, "The threshold must be a finite number ≥ 0.");
        }

        if (!(alpha is > 0 and < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(alpha), alpha, "The significance level must lie strictly between 0 and 1.");
        }

        // The calling thread's counts when both sides have them (deterministic); otherwise BenchmarkDotNet's
        // process-wide figures, whose fewest per side filters out most of the runtime's background bytes.
        var callingThread = baseSample.CallingThreadBytes.Count > 0 && headSample.CallingThreadBytes.Count > 0;
        var baseAllocations = callingThread ? baseSample.CallingThreadBytes : baseSample.AllocatedBytes;
        var headAllocations = callingThread ? headSample.CallingThreadBytes : headSample.AllocatedBytes;
        long? baseBytes = baseAllocations.Count > 0 ? baseAllocations.Min() : null;
        long? headBytes = headAllocations.Count > 0 ? headAllocations.Min() : null;
        if (headSample.Nanoseconds.Count == 0)
        {
            var verdict = baseSample.Nanoseconds.Count == 0 ? AbVerdict.NewInHead : AbVerdict.MissingInHead;
            return new AbDecision(verdict, null, null, baseBytes, headBytes);
        }

        if (baseSample.Nanoseconds.Count == 0)
        {
            return new AbDecision(AbVerdict.NewInHead, null, null, baseBytes, headBytes);
        }

        var ratio = Median(headSample.Nanoseconds) / Median(baseSample.Nanoseconds);
        var scaledBase = baseSample.Nanoseconds.Select(t => t * (1 + threshold)).ToArray();
        var scaledHead = headSample.Nanoseconds.Select(t => t * (1 + threshold)).ToArray();
        var pSlower = MannWhitney.PValueGreater(scaledBase, headSample.Nanoseconds);
        if (headBytes - baseBytes >= AllocationToleranceBytes)
        {
            return new AbDecision(AbVerdict.AllocatesMore, ratio, pSlower, baseBytes, headBytes);
        }

        var timeVerdict = pSlower < alpha ? AbVerdict.Slower
            : MannWhitney.PValueGreater(scaledHead, baseSample.Nanoseconds) < alpha ? AbVerdict.Faster
            : AbVerdict.Same;
        return new AbDecision(timeVerdict, ratio, pSlower, baseBytes, headBytes);
    }

    /// <summary>The median (the mean of the two middle values for an even count).</summary>
    public static double Median(IReadOnlyList<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count == 0)
        {
            throw new ArgumentException("The median of no values is undefined.", nameof(values));
        }

        var sorted = values.Order().ToArray();
        var middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }
}
