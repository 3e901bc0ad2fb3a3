using System.Globalization;

namespace Gradients.Tests.AutomaticDifferentiation.Reference;

/// <summary>
/// Every differentiable member of <c>Dual&lt;double&gt;</c> against its true derivative from an independent
/// arbitrary-precision tool: <c>dual-derivatives.csv</c>, written by <c>make_dual_reference.py</c> (mpmath at 160 bits,
/// 400 points per member over its domain, each derivative stored as a double-double so the reference adds no
/// rounding of its own). <see cref="DualAccuracyTests"/> sweeps 10⁴ points per member for <c>Dual&lt;float&gt;</c>
/// against a double reference; this is the double check, and <c>DualChunk&lt;double&gt;</c> must give the same bits.
/// </summary>
/// <remarks>
/// Bound (the error model of <see cref="DualAccuracyTests"/>, with u = 2⁻⁵³): 4 ulp of the true derivative — each rule
/// is at most six correctly rounded operations (γ₆ ≈ 3u) on library results within 1 ulp. Stated exceptions, where
/// the derivative's inputs carry error the primal's conditioning amplifies: Pow's x-partial y·x^(y−1) rounds y − 1, and
/// xʸ⁻¹ has condition |(y − 1)·ln x| in its exponent, so its bound is 4 ulp + |(y − 1) ln x|·u (relative); the
/// b-partial of log_b x composes two library logarithms (5 ulp, as in float); Cbrt and RootN, whose derivative
/// reuses a library result that is itself several ulp off, are charged that result's measured error
/// (<see cref="UnaryBound"/>).
/// </remarks>
public sealed class DualReferenceTests
{
    private const double UlpBound = 4;
    private const double LogBaseBound = 5;

    private static readonly Lazy<ILookup<string, Row>> Rows = new(Load);

    public static TheoryData<string> Members => [.. Rows.Value.Select(group => group.Key)];

    [Theory]
    [MemberData(nameof(Members))]
    public void Double_tangents_are_within_the_ulp_bound_of_the_mpmath_derivatives(string name)
    {
        var rows = Rows.Value[name].ToArray();
        Assert.True(rows.Length >= 400, $"{name}: {rows.Length} reference points");
        var binary = IsBinary(name);
        var worst = 0.0;
        var worstAt = string.Empty;
        foreach (var row in rows)
        {
            if (!binary)
            {
                var dual = DualMembersByName.ApplyUnary(name, new Dual<double>(row.A, 1));
                var chunk = DualMembersByName.ApplyUnary(name, DualChunk<double>.Seed(row.A, 5));
                Assert.Equal(dual.Tangent, chunk.Tangent(5));
                Track(UlpError(dual.Tangent, row.DaHi, row.DaLo) / UnaryBound(name, row), $"x = {row.A:R}: {dual.Tangent:R} vs {row.DaHi:R}");
                continue;
            }

            var first = DualMembersByName.ApplyBinary(name, new Dual<double>(row.A, 1), new Dual<double>(row.B));
            var second = DualMembersByName.ApplyBinary(name, new Dual<double>(row.A), new Dual<double>(row.B, 1));
            Assert.Equal(first.Tangent, DualMembersByName.ApplyBinary(name, DualChunk<double>.Seed(row.A, 2), new DualChunk<double>(row.B)).Tangent(2));
            Assert.Equal(second.Tangent, DualMembersByName.ApplyBinary(name, new DualChunk<double>(row.A), DualChunk<double>.Seed(row.B, 7)).Tangent(7));

            var boundA = UlpBound;
            if (name == "Pow")
            {
                // κ·u relative, in ulps of the true derivative.
                var kappa = Math.Abs((row.B - 1) * Math.Log(row.A));
                boundA += kappa * Math.ScaleB(1.0, -53) / RelativeUlp(row.DaHi);
            }

            Track(UlpError(first.Tangent, row.DaHi, row.DaLo) / boundA, $"∂/∂a at ({row.A:R}, {row.B:R}): {first.Tangent:R} vs {row.DaHi:R}");
            var boundB = name == "LogBase" ? LogBaseBound : UlpBound;
            Track(UlpError(second.Tangent, row.DbHi, row.DbLo) / boundB, $"∂/∂b at ({row.A:R}, {row.B:R}): {second.Tangent:R} vs {row.DbHi:R}");
        }

        Assert.True(worst <= 1, $"{name}: {worst:F2} × its bound, {worstAt}");

        void Track(double fractionOfBound, string where)
        {
            if (fractionOfBound > worst)
            {
                (worst, worstAt) = (fractionOfBound, where);
            }
        }
    }

    /// <summary>
    /// 4 ulp, plus, for the rules that build the derivative from the library's primal result r, that result's own
    /// error (measured at the point against the reference primal) times its weight in the rule: Cbrt's 1/(3r²) doubles
    /// r's relative error, RootN's r/(n·x) carries it once. .NET's double Cbrt and RootN are not within 1 ulp: RootN
    /// raises |x| to the rounded 1/n, off by |ln|x||·u/n relative (65 ulp at x = 10⁻³⁰⁰), and Cbrt's library result
    /// is measured up to a few ulp at tiny arguments. Charging the library's error to the library keeps the 4-ulp
    /// bound on what the dual adds.
    /// </summary>
    private static double UnaryBound(string name, Row row)
    {
        var weight = name switch
        {
            "Cbrt" => 2,
            "RootN5" => 1,
            _ => 0,
        };
        if (weight == 0)
        {
            return UlpBound;
        }

        var primal = name == "Cbrt" ? double.Cbrt(row.A) : double.RootN(row.A, 5);
        var primalError = UlpError(primal, row.PHi, row.PLo) * RelativeUlp(row.PHi);
        return UlpBound + (weight * primalError / RelativeUlp(row.DaHi));
    }

    /// <summary>|computed − (hi + lo)| in ulps of hi (the spacing of doubles at |hi|); an exact 0 must be met exactly.</summary>
    private static double UlpError(double computed, double hi, double lo)
    {
        if (hi == 0)
        {
            return computed == 0 ? 0 : double.PositiveInfinity;
        }

        // computed − hi is exact when they are within a factor 2 (Sterbenz); otherwise the error is huge anyway.
        return Math.Abs((computed - hi) - lo) / UlpOf(hi);
    }

    private static double UlpOf(double value)
    {
        var magnitude = Math.Abs(value);
        return Math.BitIncrement(magnitude) - magnitude;
    }

    private static double RelativeUlp(double value) => UlpOf(value) / Math.Abs(value);

    private static bool IsBinary(string name) =>
        name is "Pow" or "Atan2" or "Atan2Pi" or "Hypot" or "LogBase" or "Multiply" or "Divide" or "FusedMultiplyAdd" or "Lerp" or "CopySign";

    private static ILookup<string, Row> Load()
    {
        var path = Path.Combine(RepositoryPaths.Root, "tests", "Gradients.Tests", "AutomaticDifferentiation", "Reference", "dual-derivatives.csv");
        return File.ReadLines(path)
            .Where(line => !line.StartsWith('#') && !line.StartsWith("member,", StringComparison.Ordinal))
            .Select(Row.Parse)
            .ToLookup(row => row.Member);
    }

    /// <summary>A line of the table: the point (a, b), the true partials and, for Cbrt and RootN5, the true primal, as double-doubles.</summary>
    private sealed record Row(string Member, double A, double B, double DaHi, double DaLo, double DbHi, double DbLo, double PHi, double PLo)
    {
        public static Row Parse(string line)
        {
            var parts = line.Split(',');
            return new Row(parts[0], Bits(parts[1]), Bits(parts[2]), Bits(parts[3]), Bits(parts[4]), Bits(parts[5]), Bits(parts[6]), Bits(parts[7]), Bits(parts[8]));
        }

        private static double Bits(string hex) => BitConverter.Int64BitsToDouble(long.Parse(hex, NumberStyles.HexNumber, CultureInfo.InvariantCulture));
    }
}
