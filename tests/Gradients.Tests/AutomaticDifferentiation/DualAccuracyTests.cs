namespace Gradients.Tests.AutomaticDifferentiation;

/// <summary>
/// Every differentiable member of <see cref="Dual{T}"/> against its true derivative at 10⁴ points over the member's
/// domain. The duals are <c>Dual&lt;float&gt;</c> and the reference is the closed-form derivative evaluated in double
/// (29 more significand bits: its own error, ≲ 2 double ulps, is below 10⁻⁸ float ulps and counts as exact). The
/// rules are written once over T, so the same arithmetic runs for double; float is where a 53-bit reference is
/// exact. <see cref="DualChunk{T}"/> (the gradient's chunked dual) must give bit-identical tangents.
/// </summary>
/// <remarks>
/// Bound: 4 ulp of the true derivative. Each rule is a few correctly-rounded operations on T-library results that are
/// themselves within 1 ulp (for example exp(x)·ln 2: 1 ulp + 0.5 ulp for ln 2 + 0.5 for the product), so 4 ulp is the
/// rounding budget of ≤ 6 half-ulp steps (Higham, Accuracy and Stability, §3.1, γ₆ ≈ 3u relative, + 1 ulp for the
/// library function). The one rule whose inputs carry amplified error is Pow's x-partial y·x^(y−1): y − 1 is rounded,
/// and xʸ⁻¹ is ill-conditioned in its exponent with κ = |(y − 1)·ln x|, so its bound is 4 ulp + κ·u (u = 2⁻²⁴).
/// The b-partial of log_b x has a 5-ulp bound (see <see cref="LogBaseBound"/>), TanPi 5.5 ulp because float's own
/// CosPi is up to 1.87 ulp off (see <see cref="TanPiBound"/>).
/// </remarks>
public sealed class DualAccuracyTests
{
    private const int Points = 10_000;
    private const double UlpBound = 4;

    /// <summary>
    /// log_b x's b-partial −log_b(x)/(b ln b) composes two library logarithms (ln x and ln b, ≤ 1 ulp each, ln b used
    /// twice) with three roundings: 1 + 2 + 1.5 = 4.5 ulp in the worst case, measured 4.43; the bound is 5 ulp.
    /// </summary>
    private const double LogBaseBound = 5;

    /// <summary>
    /// TanPi's derivative π/cos²(πx) squares float's <c>CosPi</c>, which is not within 1 ulp: measured up to 1.87 ulp
    /// over 2·10⁶ points in [−10, 10] against double's (it rounds the reduced argument before the cosine). Budget:
    /// 2 × 1.87 + three roundings (π, square, quotient) = 5.2 ulp; measured 4.28 over 2·10⁵ points; bound 5.5 ulp.
    /// </summary>
    private const double TanPiBound = 5.5;

    public static TheoryData<string> UnaryMembers => [.. Unary.Keys];

    public static TheoryData<string> BinaryMembers => [.. Binary.Keys];

    /// <summary>Name → (sampler, true derivative in double).</summary>
    private static readonly Dictionary<string, (Func<Random, float> Sample, Func<double, double> Derivative)> Unary = new()
    {
        ["Exp"] = (r => Uniform(r, -80, 80), Math.Exp),
        ["Exp2"] = (r => Uniform(r, -120, 120), x => Math.Pow(2, x) * Math.Log(2)),
        ["Exp10"] = (r => Uniform(r, -35, 35), x => Math.Pow(10, x) * Math.Log(10)),
        ["ExpM1"] = (r => Uniform(r, -80, 80), Math.Exp),
        ["Exp2M1"] = (r => Uniform(r, -120, 120), x => Math.Pow(2, x) * Math.Log(2)),
        ["Exp10M1"] = (r => Uniform(r, -35, 35), x => Math.Pow(10, x) * Math.Log(10)),
        ["Log"] = (r => LogUniform(r, 1e-30, 1e30), x => 1 / x),
        ["Log2"] = (r => LogUniform(r, 1e-30, 1e30), x => 1 / (x * Math.Log(2))),
        ["Log10"] = (r => LogUniform(r, 1e-30, 1e30), x => 1 / (x * Math.Log(10))),
        ["LogP1"] = (OnePlusDomain, x => 1 / (1 + x)),
        ["Log2P1"] = (OnePlusDomain, x => 1 / ((1 + x) * Math.Log(2))),
        ["Log10P1"] = (OnePlusDomain, x => 1 / ((1 + x) * Math.Log(10))),
        ["Sqrt"] = (r => LogUniform(r, 1e-30, 1e30), x => 0.5 / Math.Sqrt(x)),
        ["Cbrt"] = (r => SignedLogUniform(r, 1e-30, 1e30), x => 1 / (3 * Math.Cbrt(x) * Math.Cbrt(x))),
        ["RootN5"] = (r => SignedLogUniform(r, 1e-30, 1e30), x => Math.Pow(Math.Abs(x), 0.2) / (5 * Math.Abs(x))),
        ["Sin"] = (r => Uniform(r, -100, 100), Math.Cos),
        ["Cos"] = (r => Uniform(r, -100, 100), x => -Math.Sin(x)),
        ["Tan"] = (r => Uniform(r, -100, 100), x => 1 / (Math.Cos(x) * Math.Cos(x))),
        ["SinPi"] = (r => Uniform(r, -10, 10), x => Math.PI * double.CosPi(x)),
        ["CosPi"] = (r => Uniform(r, -10, 10), x => -Math.PI * double.SinPi(x)),
        ["TanPi"] = (r => Uniform(r, -10, 10), x => Math.PI / (double.CosPi(x) * double.CosPi(x))),
        ["Asin"] = (r => Uniform(r, -1, 1), x => 1 / Math.Sqrt((1 - x) * (1 + x))),
        ["Acos"] = (r => Uniform(r, -1, 1), x => -1 / Math.Sqrt((1 - x) * (1 + x))),
        ["Atan"] = (r => SignedLogUniform(r, 1e-15, 1e15), x => 1 / (1 + (x * x))),
        ["AsinPi"] = (r => Uniform(r, -1, 1), x => 1 / (Math.PI * Math.Sqrt((1 - x) * (1 + x)))),
        ["AcosPi"] = (r => Uniform(r, -1, 1), x => -1 / (Math.PI * Math.Sqrt((1 - x) * (1 + x)))),
        ["AtanPi"] = (r => SignedLogUniform(r, 1e-15, 1e15), x => 1 / (Math.PI * (1 + (x * x)))),
        ["Sinh"] = (r => Uniform(r, -80, 80), Math.Cosh),
        ["Cosh"] = (r => Uniform(r, -80, 80), Math.Sinh),
        ["Tanh"] = (r => Uniform(r, -40, 40), x => 1 / (Math.Cosh(x) * Math.Cosh(x))),
        ["Asinh"] = (r => SignedLogUniform(r, 1e-15, 1e15), x => 1 / Math.Sqrt((x * x) + 1)),
        ["Acosh"] = (r => 1 + LogUniform(r, 1e-6, 1e15), x => 1 / (Math.Sqrt(x - 1) * Math.Sqrt(x + 1))),
        ["Atanh"] = (r => Uniform(r, -1, 1), x => 1 / ((1 - x) * (1 + x))),
        ["Abs"] = (r => SignedLogUniform(r, 1e-30, 1e30), x => Math.Sign(x)),
        ["BitIncrement"] = (r => SignedLogUniform(r, 1e-30, 1e30), _ => 1),
        ["BitDecrement"] = (r => SignedLogUniform(r, 1e-30, 1e30), _ => 1),
        ["DegreesToRadians"] = (r => Uniform(r, -720, 720), _ => Math.PI / 180),
        ["RadiansToDegrees"] = (r => Uniform(r, -10, 10), _ => 180 / Math.PI),
        ["ReciprocalEstimate"] = (r => SignedLogUniform(r, 1e-15, 1e15), x => -1 / (x * x)),
        ["ReciprocalSqrtEstimate"] = (r => LogUniform(r, 1e-15, 1e15), x => -0.5 / (x * Math.Sqrt(x))),
        ["ScaleB3"] = (r => SignedLogUniform(r, 1e-30, 1e30), _ => 8),
        ["Square"] = (r => SignedLogUniform(r, 1e-15, 1e15), x => 2 * x),
        ["Reciprocal"] = (r => SignedLogUniform(r, 1e-15, 1e15), x => -1 / (x * x)),
    };

    /// <summary>Name → (sampler of (a, b), ∂/∂a, ∂/∂b, the extra ill-conditioning κ of each partial).</summary>
    private static readonly Dictionary<string, (Func<Random, (float, float)> Sample, Func<double, double, double> DA, Func<double, double, double> DB, Func<double, double, double> KappaA)> Binary = new()
    {
        ["Pow"] = (r => (LogUniform(r, 1e-3, 1e3), Uniform(r, -5, 5)), (x, y) => y * Math.Pow(x, y - 1), (x, y) => Math.Pow(x, y) * Math.Log(x), (x, y) => Math.Abs((y - 1) * Math.Log(x))),
        ["Atan2"] = (r => (SignedLogUniform(r, 1e-10, 1e10), SignedLogUniform(r, 1e-10, 1e10)), (y, x) => x / ((x * x) + (y * y)), (y, x) => -y / ((x * x) + (y * y)), (_, _) => 0),
        ["Atan2Pi"] = (r => (SignedLogUniform(r, 1e-10, 1e10), SignedLogUniform(r, 1e-10, 1e10)), (y, x) => x / (Math.PI * ((x * x) + (y * y))), (y, x) => -y / (Math.PI * ((x * x) + (y * y))), (_, _) => 0),
        ["Hypot"] = (r => (SignedLogUniform(r, 1e-10, 1e10), SignedLogUniform(r, 1e-10, 1e10)), (x, y) => x / Math.Sqrt((x * x) + (y * y)), (x, y) => y / Math.Sqrt((x * x) + (y * y)), (_, _) => 0),
        ["LogBase"] = (r => (LogUniform(r, 1e-20, 1e20), Uniform(r, 2, 100)), (x, b) => 1 / (x * Math.Log(b)), (x, b) => -Math.Log(x) / (b * Math.Log(b) * Math.Log(b)), (_, _) => 0),
        ["Multiply"] = (r => (SignedLogUniform(r, 1e-15, 1e15), SignedLogUniform(r, 1e-15, 1e15)), (_, b) => b, (a, _) => a, (_, _) => 0),
        ["Divide"] = (r => (SignedLogUniform(r, 1e-9, 1e9), SignedLogUniform(r, 1e-9, 1e9)), (_, b) => 1 / b, (a, b) => -a / (b * b), (_, _) => 0),
        ["FusedMultiplyAdd"] = (r => (SignedLogUniform(r, 1e-15, 1e15), SignedLogUniform(r, 1e-15, 1e15)), (_, b) => b, (a, _) => a, (_, _) => 0),
        ["Lerp"] = (r => (Uniform(r, -100, 100), Uniform(r, 0, 1)), (_, t) => 1 - t, (a, _) => 10 - a, (_, _) => 0),
        ["CopySign"] = (r => (SignedLogUniform(r, 1e-15, 1e15), SignedLogUniform(r, 1e-15, 1e15)), (a, s) => Math.Sign(a) == Math.Sign(s) ? 1 : -1, (_, _) => 0, (_, _) => 0),
    };

    [Theory]
    [MemberData(nameof(UnaryMembers))]
    public void Unary_member_tangent_is_within_4_ulp_of_the_true_derivative(string name)
    {
        var (sample, derivative) = Unary[name];
        var random = new Random(StableSeed(name));
        var worst = 0.0;
        var worstAt = 0f;
        for (var i = 0; i < Points; i++)
        {
            var x = sample(random);
            var dual = DualMembersByName.ApplyUnary(name, new Dual<float>(x, 1f));
            var chunk = DualMembersByName.ApplyUnary(name, DualChunk<float>.Seed(x, 0));
            Assert.Equal(dual.Value, chunk.Value);
            Assert.Equal(dual.Tangent, chunk.Tangent(0));

            var ulps = UlpError(dual.Tangent, derivative(x));
            if (ulps > worst)
            {
                (worst, worstAt) = (ulps, x);
            }
        }

        Assert.True(worst <= (name == "TanPi" ? TanPiBound : UlpBound), $"{name}: {worst:F2} ulp at x = {worstAt:R} (d = {derivative(worstAt):R}, got {DualMembersByName.ApplyUnary(name, new Dual<float>(worstAt, 1f)).Tangent:R})");
    }

    [Theory]
    [MemberData(nameof(BinaryMembers))]
    public void Binary_member_partials_are_within_4_ulp_of_the_true_derivatives(string name)
    {
        var (sample, da, db, kappaA) = Binary[name];
        var random = new Random(StableSeed(name));
        var u = Math.ScaleB(1.0, -24);
        for (var i = 0; i < Points; i++)
        {
            var (a, b) = sample(random);
            var first = DualMembersByName.ApplyBinary(name, new Dual<float>(a, 1f), new Dual<float>(b));
            var second = DualMembersByName.ApplyBinary(name, new Dual<float>(a), new Dual<float>(b, 1f));
            var chunkFirst = DualMembersByName.ApplyBinary(name, DualChunk<float>.Seed(a, 0), new DualChunk<float>(b));
            var chunkSecond = DualMembersByName.ApplyBinary(name, new DualChunk<float>(a), DualChunk<float>.Seed(b, 3));
            Assert.Equal(first.Tangent, chunkFirst.Tangent(0));
            Assert.Equal(second.Tangent, chunkSecond.Tangent(3));

            var errorA = UlpError(first.Tangent, da(a, b));
            var boundA = UlpBound + (kappaA(a, b) * u / RelativeUlp(da(a, b)));
            Assert.True(errorA <= boundA, $"{name}: ∂/∂a {errorA:F2} ulp > {boundA:F2} at ({a:R}, {b:R}): {first.Tangent:R} vs {da(a, b):R}");
            var errorB = UlpError(second.Tangent, db(a, b));
            var boundB = name == "LogBase" ? LogBaseBound : UlpBound;
            Assert.True(errorB <= boundB, $"{name}: ∂/∂b {errorB:F2} ulp at ({a:R}, {b:R}): {second.Tangent:R} vs {db(a, b):R}");
        }
    }

    /// <summary>|computed − exact| in float ulps of the exact value (the spacing of floats at |exact|).</summary>
    private static double UlpError(float computed, double exact)
    {
        if (computed == exact)
        {
            return 0;
        }

        return Math.Abs(computed - exact) / UlpOf(exact);
    }

    private static double UlpOf(double exact)
    {
        var magnitude = Math.Abs((float)exact);
        return Math.Max(MathF.BitIncrement(magnitude) - magnitude, float.Epsilon);
    }

    /// <summary>One ulp relative to the value (between 2⁻²⁴ and 2⁻²³).</summary>
    private static double RelativeUlp(double exact) => UlpOf(exact) / Math.Max(Math.Abs(exact), double.Epsilon);

    /// <summary>A seed from the name that does not change between runs (string.GetHashCode is randomized per process).</summary>
    private static int StableSeed(string name) => name.Aggregate(17, (hash, c) => unchecked((hash * 31) + c));

    private static float Uniform(Random random, double low, double high) => (float)(low + ((high - low) * random.NextDouble()));

    private static float LogUniform(Random random, double low, double high) =>
        (float)Math.Exp(Math.Log(low) + ((Math.Log(high) - Math.Log(low)) * random.NextDouble()));

    private static float SignedLogUniform(Random random, double low, double high) =>
        (random.Next(2) == 0 ? -1 : 1) * LogUniform(random, low, high);

    /// <summary>(−1, 10⁶]: half near −1…1, half large, for the log(1 + x) family.</summary>
    private static float OnePlusDomain(Random random) =>
        random.Next(2) == 0 ? Uniform(random, -0.999, 1) : LogUniform(random, 1, 1e6);
}
