using System.Runtime.Intrinsics;

namespace Gradients.Tests.Losses;

/// <summary>The softmax's four-row log of z ∈ [1, K] (<see cref="VectorMath.LogOfAtLeastOne"/>) against <see cref="Math.Log(double)"/>.</summary>
public sealed class VectorLogTests
{
    /// <summary>
    /// log z for z ∈ [1, K]: Log1pOfUnit's error (≤ 4 ulps of log1p(m − 1), see <see cref="VectorMathTests"/>) plus the
    /// roundings of e·Ln2Low and the two additions, against Math.Log's one ulp: 8 ulps of log z (log z ≥ 0; at z = 1
    /// both are exactly 0).
    /// </summary>
    [Fact]
    public void Log_of_at_least_one_matches_Math_Log()
    {
        var random = new Random(11);
        var points = Enumerable.Range(0, 400_000).Select(i => i switch
        {
            < 100_000 => 1.0 + random.NextDouble(),
            < 200_000 => 1.0 + (random.NextDouble() * 1000),
            < 300_000 => Math.Pow(2, random.Next(0, 60)) * (1 + (random.NextDouble() * 1e-12)),
            _ => Math.Exp(random.NextDouble() * 700),
        }).Concat([1.0, Math.BitIncrement(1.0), 2.0, Math.BitDecrement(2.0), 3.0, 4.0, 5.0, 7.0, 10.0, 1000.0, 1e308, double.MaxValue]).ToArray();
        for (var i = 0; i + 4 <= points.Length; i += 4)
        {
            var z = Vector256.Create(points[i], points[i + 1], points[i + 2], points[i + 3]);
            var log = VectorMath.LogOfAtLeastOne(z);
            for (var lane = 0; lane < 4; lane++)
            {
                var expected = Math.Log(z.GetElement(lane));
                var error = Math.Abs(log.GetElement(lane) - expected);
                Assert.True(error <= 8 * (Math.BitIncrement(expected) - expected), $"log({z.GetElement(lane):R}) = {log.GetElement(lane):R}, Math.Log {expected:R}");
            }
        }

        Assert.Equal(0.0, VectorMath.LogOfAtLeastOne(Vector256<double>.One).ToScalar());
        var special = VectorMath.LogOfAtLeastOne(Vector256.Create(double.NaN, double.PositiveInfinity, 1.0, 4.0));
        Assert.True(double.IsNaN(special.GetElement(0)));
        Assert.Equal(double.PositiveInfinity, special.GetElement(1));
        Assert.Equal(0.0, special.GetElement(2));
    }
}
