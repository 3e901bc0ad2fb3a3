namespace Gradients.Tests.AutomaticDifferentiation;

/// <summary>
/// Nested duals (<c>Dual&lt;Dual&lt;T&gt;&gt;</c>, the forward Hessian): a tangent whose value is 0 may still carry a
/// second-order part, and no member may drop it. Found by the Hessian property at two coordinates that the test's
/// grid made equal: log-sum-exp's Hessian came out 0 instead of ¼ on the diagonal.
/// </summary>
public sealed class NestedDualTests
{
    [Theory]
    [InlineData(-5.7220458984375E-06)]
    [InlineData(-0.5)]
    [InlineData(3.0)]
    public void Log_sum_exp_Hessian_at_equal_coordinates_is_the_analytic_one(double coordinate)
    {
        // At x₁ = x₂ the softmax is (½, ½): H = [[¼, −¼], [−¼, ¼]], exact in binary. The forward Hessian rounds in
        // exp (twice), the sum, log's 1/s and the products of the chain rule: under 8 operations of ≤ 1 ulp each, so
        // within 16 ulp of ¼ (16 · 2⁻⁵² · ¼).
        double[] x = [coordinate, coordinate];
        var hessian = new double[4];
        Gradients.ForwardMode.Hessian(new LogSumExp<double>(), x, hessian);

        double[] expected = [0.25, -0.25, -0.25, 0.25];
        for (var k = 0; k < 4; k++)
        {
            Assert.True(Math.Abs(hessian[k] - expected[k]) <= 16 * Math.ScaleB(1.0, -52) * 0.25, $"H[{k}] = {hessian[k]:R}, expected {expected[k]}");
        }
    }

    [Fact]
    public void A_tangent_with_a_zero_value_keeps_its_second_order_part_through_singular_chain_rules()
    {
        // s = (2, 0; 0, ½): value 2, first-order tangents 0, second-order part ½ (Σ eᵢ at the tie above).
        var s = new Dual<Dual<double>>(new Dual<double>(2, 0), new Dual<double>(0, 0.5));

        // log: second-order part ½/2 = ¼; √: ½/(2√2); log₂: ½/(2 ln 2); 2ˢ: 2ˢ·ln 2·½ = 2 ln 2. Each rule once tested
        // "the tangent is zero" on its value and dropped the part.
        Assert.Equal(0.25, Dual<Dual<double>>.Log(s).Tangent.Tangent);
        Assert.Equal(0.5 / (2 * Math.Sqrt(2)), Dual<Dual<double>>.Sqrt(s).Tangent.Tangent, 15);
        Assert.Equal(0.5 / Math.Log(2) / 2, Dual<Dual<double>>.Log2(s).Tangent.Tangent, 15);
        Assert.Equal(2 * Math.Log(2), Dual<Dual<double>>.Pow(new Dual<Dual<double>>(new Dual<double>(2)), s).Tangent.Tangent, 15);
    }

    [Fact]
    public void Converting_out_a_nested_dual_whose_tangent_has_only_a_second_order_part_is_an_error()
    {
        var value = new Dual<Dual<double>>(new Dual<double>(2, 0), new Dual<double>(0, 0.5));

        Assert.Throws<InvalidOperationException>(() => double.CreateChecked(value));
        Assert.Equal(2.0, double.CreateChecked(new Dual<Dual<double>>(new Dual<double>(2, 0), new Dual<double>(0, 0))));
    }
}
