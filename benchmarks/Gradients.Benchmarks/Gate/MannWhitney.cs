namespace Gradients.Benchmarks.Gate;

/// <summary>
/// The one-sided Mann–Whitney U test (Wilcoxon rank-sum): does one sample tend to hold larger values than another?
/// It uses only the order of the values, so it needs no assumption about their distribution (benchmark times are
/// skewed, with a long tail from interruptions) and a single outlier moves it by at most one pair.
/// </summary>
/// <remarks>
/// U counts the pairs (x, y) with y &gt; x, ties counting one half. Under the null hypothesis (both samples from one
/// distribution) every interleaving of the two sorted samples is equally likely. Without ties and for samples of up
/// to <see cref="ExactLimit"/> values each, the p-value is exact: the distribution of U is counted by the recursion
/// of Mann and Whitney (1947), P(m, n, u) = n/(m+n)·P(m, n−1, u−m) + m/(m+n)·P(m−1, n, u) — the largest of all the
/// values is a y (beating all m x's) or an x. Otherwise the normal approximation with the tie correction of the
/// variance and a continuity correction of ½ is used.
/// </remarks>
public static class MannWhitney
{
    /// <summary>Samples up to this size each get the exact p-value (when they hold no ties).</summary>
    public const int ExactLimit = 40;

    /// <summary>U: the number of pairs (x, y) with y &gt; x, a tie counting one half.</summary>
    public static double U(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        var u = 0.0;
        foreach (var b in y)
        {
            foreach (var a in x)
            {
                u += b > a ? 1 : b == a ? 0.5 : 0;
            }
        }

        return u;
    }

    /// <summary>
    /// The p-value of the one-sided test whose alternative is "values of <paramref name="y"/> tend to be larger than
    /// those of <paramref name="x"/>": the probability, when both come from one distribution, of a U at least as
    /// large as the observed one.
    /// </summary>
    /// <exception cref="ArgumentException">A sample is empty or holds a value that is not finite.</exception>
    public static double PValueGreater(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        Validate(x, nameof(x));
        Validate(y, nameof(y));
        var (m, n) = (x.Count, y.Count);
        var u = U(x, y);
        var hasTies = x.Concat(y).Distinct().Count() < m + n;
        if (!hasTies && m <= ExactLimit && n <= ExactLimit)
        {
            var distribution = ExactDistribution(m, n);
            var tail = 0.0;
            for (var k = (int)u; k < distribution.Length; k++)
            {
                tail += distribution[k];
            }

            return Math.Min(1, tail);
        }

        return PValueGreaterNormal(x, y);
    }

    /// <summary>P(U = u) for u = 0 … m·n, when every interleaving of m x's and n y's is equally likely.</summary>
    public static double[] ExactDistribution(int m, int n)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(m);
        ArgumentOutOfRangeException.ThrowIfNegative(n);

        // previous[j] holds P(i − 1, j, ·), current[j] is built as P(i, j, ·); P(i, 0, ·) = P(0, j, ·) = [1].
        var previous = new double[n + 1][];
        for (var j = 0; j <= n; j++)
        {
            previous[j] = [1.0];
        }

        for (var i = 1; i <= m; i++)
        {
            var current = new double[n + 1][];
            current[0] = [1.0];
            for (var j = 1; j <= n; j++)
            {
                var p = new double[(i * j) + 1];
                var yLargest = (double)j / (i + j);
                var withoutY = current[j - 1]; // P(i, j − 1, ·): the largest value is a y, above all i x's
                for (var u = 0; u < withoutY.Length; u++)
                {
                    p[u + i] += yLargest * withoutY[u];
                }

                var withoutX = previous[j]; // P(i − 1, j, ·): the largest value is an x, above no y
                for (var u = 0; u < withoutX.Length; u++)
                {
                    p[u] += (1 - yLargest) * withoutX[u];
                }

                current[j] = p;
            }

            previous = current;
        }

        return previous[n];
    }

    /// <summary>
    /// <see cref="PValueGreater"/> by the normal approximation of U (mean mn/2, variance corrected for ties, continuity
    /// correction ½), which <see cref="PValueGreater"/> uses for samples with ties or larger than <see cref="ExactLimit"/>.
    /// </summary>
    public static double PValueGreaterNormal(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        Validate(x, nameof(x));
        Validate(y, nameof(y));
        var u = U(x, y);
        var (m, n) = ((double)x.Count, (double)y.Count);
        var total = m + n;

        // Var(U) = mn/12 · ((N + 1) − Σ(t³ − t)/(N(N − 1))) for tie groups of sizes t.
        var tieTerm = x.Concat(y).GroupBy(v => v).Select(g => (double)g.Count()).Sum(t => (t * t * t) - t);
        var variance = m * n / 12 * ((total + 1) - (tieTerm / (total * (total - 1))));
        if (variance <= 0)
        {
            return 0.5; // every value equal: no evidence either way
        }

        var z = (u - (m * n / 2) - 0.5) / Math.Sqrt(variance);
        return UpperTailOfStandardNormal(z);
    }

    // 1 − Φ(z) = erfc(z/√2)/2, with erfc from Numerical Recipes' Chebyshev fit (relative error < 1.2e-7 everywhere).
    private static double UpperTailOfStandardNormal(double z)
    {
        var x = z / Math.Sqrt(2);
        var t = 1 / (1 + (0.5 * Math.Abs(x)));
        ReadOnlySpan<double> coefficients =
            [-1.26551223, 1.00002368, 0.37409196, 0.09678418, -0.18628806, 0.27886807, -1.13520398, 1.48851587, -0.82215223, 0.17087277];
        var polynomial = 0.0;
        for (var k = coefficients.Length - 1; k >= 0; k--)
        {
            polynomial = (polynomial * t) + coefficients[k];
        }

        var erfc = t * Math.Exp((-x * x) + polynomial);
        return (x >= 0 ? erfc : 2 - erfc) / 2;
    }

    private static void Validate(IReadOnlyList<double> sample, string name)
    {
        if (sample.Count == 0)
        {
            throw new ArgumentException("The sample is empty.", name);
        }

        if (sample.Any(v => !double.IsFinite(v)))
        {
            throw new ArgumentException($"The sample of {sample.Count} values holds a value that is not finite.", name);
        }
    }
}
