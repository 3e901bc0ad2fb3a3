using Xunit.Abstractions;

namespace Gradients.Tests.AutomaticDifferentiation.Reference;

/// <summary>
/// Every differentiable member of <c>Dual&lt;double&gt;</c> against its true derivative from an independent
/// arbitrary-precision tool: <c>dual-derivatives.bin.gz</c>, written by <c>make_dual_reference.py</c> (mpmath at 160
/// bits, 10⁴ points per member over its domain, each derivative stored to 2⁻¹⁶ ulp beyond its rounding to double so
/// the reference adds no rounding of its own; <see cref="DualReferenceTable"/> reads it). <see cref="DualAccuracyTests"/>
/// sweeps 10⁴ points per member for <c>Dual&lt;float&gt;</c> against a double reference; this is the double check, and
/// <c>DualChunk&lt;double&gt;</c> must give the same bits.
/// </summary>
/// <remarks>
/// Bound (the error model of <see cref="DualAccuracyTests"/>, with u = 2⁻⁵³): 4 ulp of the true derivative — each rule
/// is at most six correctly rounded operations (γ₆ ≈ 3u) on library results within 1 ulp. Stated exceptions, where
/// the derivative's inputs carry error the primal's conditioning amplifies: Pow's x-partial y·x^(y−1) rounds y − 1, and
/// xʸ⁻¹ has condition |(y − 1)·ln x| in its exponent, so its bound is 4 ulp + |(y − 1) ln x|·u (relative); the
/// b-partial of log_b x composes two library logarithms (5 ulp, as in float); Cbrt, RootN and TanPi, whose derivative
/// reuses a library result that is itself more than 1 ulp off (the root; TanPi's cos πx), are charged that result's
/// measured error (<see cref="UnaryBound"/>).
/// </remarks>
public sealed class DualReferenceTests(ITestOutputHelper output)
{
    private const double UlpBound = 4;
    private const double LogBaseBound = 5;

    private const int PointsPerMember = 10_000;

    private static readonly Lazy<IReadOnlyDictionary<string, DualReferenceTable.Member>> Table = new(() =>
        DualReferenceTable.Load(Path.Combine(RepositoryPaths.Root, "tests", "Gradients.Tests", "AutomaticDifferentiation", "Reference", "dual-derivatives.bin.gz")));

    public static TheoryData<string> Members => [.. Table.Value.Keys];

    [Theory]
    [MemberData(nameof(Members))]
    public void Double_tangents_are_within_the_ulp_bound_of_the_mpmath_derivatives(string name)
    {
        var member = Table.Value[name];
        Assert.True(member.Points.Count >= PointsPerMember, $"{name}: {member.Points.Count} reference points");
        Assert.Equal(IsBinary(name), member.Arity == 2);
        var binary = member.Arity == 2;
        var worst = 0.0;
        var worstUlps = 0.0;
        var worstAt = string.Empty;
        foreach (var row in member.Points)
        {
            if (!binary)
            {
                var dual = DualMembersByName.ApplyUnary(name, new Dual<double>(row.A, 1));
                var chunk = DualMembersByName.ApplyUnary(name, DualChunk<double>.Seed(row.A, 5));
                Assert.Equal(dual.Tangent, chunk.Tangent(5));
                Track(UlpError(dual.Tangent, row.Da), UnaryBound(name, row), $"x = {row.A:R}: {dual.Tangent:R} vs {row.Da.Hi:R}");
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
                boundA += kappa * Math.ScaleB(1.0, -53) / RelativeUlp(row.Da.Hi);
            }

            Track(UlpError(first.Tangent, row.Da), boundA, $"∂/∂a at ({row.A:R}, {row.B:R}): {first.Tangent:R} vs {row.Da.Hi:R}");
            var boundB = name == "LogBase" ? LogBaseBound : UlpBound;
            Track(UlpError(second.Tangent, row.Db), boundB, $"∂/∂b at ({row.A:R}, {row.B:R}): {second.Tangent:R} vs {row.Db.Hi:R}");
        }

        output.WriteLine($"{name}: {member.Points.Count} points, worst {worst:F2} × its bound ({worstUlps:F2} ulp), {worstAt}");
        Assert.True(worst <= 1, $"{name}: {worst:F2} × its bound, {worstAt}");

        void Track(double ulps, double bound, string where)
        {
            if (ulps / bound > worst)
            {
                (worst, worstUlps, worstAt) = (ulps / bound, ulps, where);
            }
        }
    }

    /// <summary>
    /// 4 ulp, plus, for the rules that build the derivative from the library's primal result r, that result's own
    /// error (measured at the point against the reference primal) times its weight in the rule: Cbrt's 1/(3r²) doubles
    /// r's relative error, RootN's r/(n·x) carries it once, TanPi's π/cos²(πx) doubles that of <c>CosPi</c>. .NET's
    /// double Cbrt, RootN and CosPi are not within 1 ulp: RootN raises |x| to the rounded 1/n, off by |ln|x||·u/n
    /// relative (65 ulp at x = 10⁻³⁰⁰), Cbrt's library result is measured up to a few ulp at tiny arguments, and
    /// CosPi (as float's, see DualAccuracyTests.TanPiBound) is measured above 1 ulp. Charging the library's error to
    /// the library keeps the 4-ulp bound on what the dual adds.
    /// </summary>
    private static double UnaryBound(string name, DualReferenceTable.Point row)
    {
        var weight = name switch
        {
            "Cbrt" => 2,
            "RootN5" => 1,
            "TanPi" => 2,
            _ => 0,
        };
        if (weight == 0)
        {
            return UlpBound;
        }

        var primal = name switch
        {
            "Cbrt" => double.Cbrt(row.A),
            "RootN5" => double.RootN(row.A, 5),
            _ => double.CosPi(row.A),
        };
        var primalError = UlpError(primal, row.Primal) * RelativeUlp(row.Primal.Hi);
        return UlpBound + (weight * primalError / RelativeUlp(row.Da.Hi));
    }

    /// <summary>|computed − (hi + lo)| in ulps of hi (the spacing of doubles at |hi|); an exact 0 must be met exactly.</summary>
    private static double UlpError(double computed, DualReferenceTable.DoubleDouble reference)
    {
        var (hi, lo) = reference;
        if (hi == 0)
        {
            return computed == 0 ? 0 : double.PositiveInfinity;
        }

        // computed − hi is exact when they are within a factor 2 (Sterbenz); otherwise the error is huge anyway.
        return Math.Abs((computed - hi) - lo) / UlpOf(hi);
    }

    private static double UlpOf(double value) => DualReferenceTable.UlpOf(value);

    private static double RelativeUlp(double value) => UlpOf(value) / Math.Abs(value);

    private static bool IsBinary(string name) =>
        name is "Pow" or "Atan2" or "Atan2Pi" or "Hypot" or "LogBase" or "Multiply" or "Divide" or "FusedMultiplyAdd" or "Lerp" or "CopySign";
}
