using System.Numerics;

namespace Gradients.Tests.Robustness;

/// <summary>
/// A third audit of the public surface (classes the earlier hostile runs did not cover): Hessian-vector products along
/// vectors of extreme magnitude, and sample weights too small for their products to keep their digits. Each test
/// fails on the code before its fix.
/// </summary>
public sealed class AuditRound3Tests
{
    // Rosenbrock at (1, 2): H = [[1200x² − 400y + 2, −400x], [−400x, 200]] = [[402, −400], [−400, 200]].
    private static readonly double[] RosenbrockPoint = [1.0, 2.0];

    private static double[] RosenbrockHessianTimes(double v0, double v1) => [(402 * v0) - (400 * v1), (-400 * v0) + (200 * v1)];

    [Theory]
    [InlineData(1e-320, 1e-320)]
    [InlineData(5e-324, 0.0)]
    [InlineData(1e-315, -3e-316)]
    public void A_finite_difference_hessian_vector_product_along_a_tiny_v_is_computed(double v0, double v1)
    {
        // Both forms stepped by τ/‖v‖, which overflowed for ‖v‖ below τ/max (3·10⁻³¹⁴ in double): an ArgumentException
        // claiming x was near the largest double. The stencil now moves along u = v/‖v‖ (|uᵢ| ≤ 1) and the quotient is
        // multiplied by ‖v‖ after the division by 2τ.
        // Error model: the central difference of the gradient along u is within about 10⁻⁷·‖H‖ of H·u (ε^(2/3) times
        // the third derivatives, 2400 here, and round-off ε·|∇f|/τ); times ‖v‖, plus the rounding of a subnormal
        // result to a multiple of 2⁻¹⁰⁷⁴ (half of 4.9·10⁻³²⁴). 10⁻⁴·‖H‖·‖v‖ + 2⁻¹⁰⁷⁴ bounds both with room.
        double[] v = [v0, v1];
        var expected = RosenbrockHessianTimes(v0, v1);
        // ‖H‖ ≤ 1000 here; ‖v‖ ≤ √2·max|vᵢ| (formed without squaring, which would underflow).
        var bound = (1e-4 * 1000 * Math.Sqrt(2) * Math.Max(Math.Abs(v0), Math.Abs(v1))) + double.Epsilon;

        var fromGradient = new double[2];
        FiniteDifference.HessianVectorProductFromGradient<double, Rosenbrock<double>>(default, RosenbrockPoint, v, fromGradient);
        var fromValues = new double[2];
        FiniteDifference.HessianVectorProduct<double, Rosenbrock<double>>(default, RosenbrockPoint, v, fromValues);
        for (var i = 0; i < 2; i++)
        {
            Assert.True(Math.Abs(fromGradient[i] - expected[i]) <= bound, $"from the gradient, entry {i}: {fromGradient[i]} for {expected[i]} (bound {bound})");
            Assert.True(Math.Abs(fromValues[i] - expected[i]) <= bound, $"from values, entry {i}: {fromValues[i]} for {expected[i]} (bound {bound})");
        }
    }

    [Fact]
    public void Float_and_half_hessian_vector_products_along_a_tiny_v_are_computed()
    {
        // In Half τ/‖v‖ passes 65504 already at ‖v‖ = 10⁻⁷ (a Half subnormal), in float at 10⁻⁴¹.
        // f = x₀²·x₁ at (1, 2): H = [[4, 2], [2, 0]], H·(v₀, 0) = (4v₀, 2v₀). Error model: the stencil's error is
        // about ε^(2/3) of T relative (10⁻² in Half, 2.4·10⁻⁵ in float), and the subnormal result rounds to a multiple of
        // the smallest subnormal (6·10⁻⁸ in Half, 1.4·10⁻⁴⁵ in float): 0.2·|H·v| + two units bounds both.
        var half = new Half[2];
        FiniteDifference.HessianVectorProduct<Half>(x => x[0] * x[0] * x[1], [(Half)1, (Half)2], [(Half)1e-7, Half.Zero], half);
        var halfV = (double)(Half)1e-7;
        Assert.InRange((double)half[0], (4 * halfV * 0.8) - 1.2e-7, (4 * halfV * 1.2) + 1.2e-7);
        Assert.InRange((double)half[1], (2 * halfV * 0.8) - 1.2e-7, (2 * halfV * 1.2) + 1.2e-7);

        var single = new float[2];
        FiniteDifference.HessianVectorProduct<float>(x => x[0] * x[0] * x[1], [1f, 2f], [1e-42f, 0f], single);
        var singleV = (double)1e-42f;
        Assert.InRange((double)single[0], (4 * singleV * 0.8) - 3e-45, (4 * singleV * 1.2) + 3e-45);
        Assert.InRange((double)single[1], (2 * singleV * 0.8) - 3e-45, (2 * singleV * 1.2) + 3e-45);
    }

    private readonly struct SumOfCubes : IGenericScalarFunction
    {
        public T Evaluate<T>(ReadOnlySpan<T> x)
            where T : IFloatingPointIeee754<T>
        {
            var sum = T.Zero;
            foreach (var value in x)
            {
                sum += value * value * value;
            }

            return sum;
        }
    }

    [Fact]
    public void A_forward_mode_hessian_vector_product_along_a_huge_v_is_finite_when_the_product_is()
    {
        // f = Σxᵢ³: (H·v)ᵢ = 6xᵢvᵢ = 6·10⁸ at x = 10⁻³⁰⁰, v = 10³⁰⁸. The tangents carried ∂(2x·v)/∂x = 2v = 2·10³⁰⁸ = ∞
        // before multiplying by x, so the product was ∞. v is now carried as v·2⁻ᵉ and the product scaled back by 2ᵉ.
        // Error model: a handful of roundings of products (≤ 8 ulps of 6·10⁸).
        double[] x = [1e-300, 1e-300, 1e-300];
        double[] v = [1e308, -1e308, 1e307];
        var product = new double[3];
        ForwardMode.HessianVectorProduct<double, SumOfCubes>(default, x, v, product);
        for (var i = 0; i < 3; i++)
        {
            var expected = 6 * x[i] * v[i];
            Assert.True(Math.Abs(product[i] - expected) <= 8 * Math.ScaleB(Math.Abs(expected), -52), $"entry {i}: {product[i]} for {expected}");
        }
    }

    [Fact]
    public void A_forward_mode_hessian_vector_product_is_linear_in_v_to_the_bit()
    {
        // Scaling by a power of two is exact, so H·(2ᵏv) = 2ᵏ·H·v bit for bit wherever nothing overflows: the scaling
        // that fixed the huge v changes no ordinary result.
        double[] x = [0.3, -1.7, 2.5];
        double[] v = [0.75, -3.25, 1.5];
        var reference = new double[3];
        ForwardMode.HessianVectorProduct<double, SumOfCubes>(default, x, v, reference);
        foreach (var k in new[] { -1000, -40, 7, 1000 })
        {
            var scaled = v.Select(value => Math.ScaleB(value, k)).ToArray();
            var product = new double[3];
            ForwardMode.HessianVectorProduct<double, SumOfCubes>(default, x, scaled, product);
            for (var i = 0; i < 3; i++)
            {
                Assert.Equal(Math.ScaleB(reference[i], k), product[i]);
            }
        }
    }

    public static TheoryData<string> Losses => new() { "mse", "logistic", "poisson", "huber" };

    private static void LossHessianVectorProduct(string loss, double[] features, double[] targets, double[] weights, double[] direction, double directionIntercept, double[] product, out double productIntercept)
    {
        switch (loss)
        {
            case "mse":
                MeanSquaredError.HessianVectorProduct<double>(features, targets, weights, 0.0, direction, directionIntercept, product, out productIntercept, [], default);
                break;
            case "logistic":
                LogisticLoss.HessianVectorProduct<double>(features, targets, weights, 0.0, direction, directionIntercept, product, out productIntercept, [], default);
                break;
            case "poisson":
                PoissonLoss.HessianVectorProduct<double>(features, targets, weights, 0.0, direction, directionIntercept, product, out productIntercept, [], default);
                break;
            default:
                HuberLoss.HessianVectorProduct<double>(features, targets, weights, 0.0, direction, directionIntercept, product, out productIntercept, [], default);
                break;
        }
    }

    [Theory]
    [MemberData(nameof(Losses))]
    public void A_loss_hessian_vector_product_along_a_huge_direction_is_the_scaled_product_of_a_small_one(string loss)
    {
        // Row 0 is x = (6, 8) and v = 2¹⁰²²·(1, −0.75): x·v = 6·2¹⁰²² − 6·2¹⁰²² = ∞ − ∞ = NaN in the pass, although
        // x·v = 0 exactly, so every entry of H·v was NaN. Row 1 makes H·v non-zero and representable. H·v is linear in v,
        // so the product along v equals 2¹⁰²² times the product along 2⁻¹⁰²²·v, bit for bit (powers of two scale exactly).
        double[] features = [6, 8, 1, 0];
        double[] targets = [0, 0];
        double[] weights = [0, 0];
        double[] small = [1.0, -0.75];
        double[] huge = [Math.ScaleB(1.0, 1022), Math.ScaleB(-0.75, 1022)];

        var reference = new double[2];
        LossHessianVectorProduct(loss, features, targets, weights, small, 0.0, reference, out var referenceIntercept);
        var product = new double[2];
        LossHessianVectorProduct(loss, features, targets, weights, huge, 0.0, product, out var productIntercept);

        Assert.True(double.IsFinite(reference[0]) && reference[0] != 0.0, $"the reference {reference[0]}");
        Assert.Equal(Math.ScaleB(reference[0], 1022), product[0]);
        Assert.Equal(Math.ScaleB(reference[1], 1022), product[1]);
        Assert.Equal(Math.ScaleB(referenceIntercept, 1022), productIntercept);
    }

    [Fact]
    public void A_subnormal_sample_weight_is_rejected_naming_it_at_every_entry_point()
    {
        // Every weight 5·10⁻³²⁴ gave the mean squared error 0.25 for 0.393 and a gradient of (1, 1) for (0.93, 0.8),
        // silently: each product sᵢℓᵢ, sᵢdᵢxᵢ kept one bit. A subnormal weight is now an ArgumentException naming
        // sampleWeights with its index and value.
        double[] features = [1, 2, 3, 4, 5, 6];
        double[] targets = [1, 0, 1];
        double[] weights = [0.5, -0.25];
        double[] sampleWeights = [1.0, 1e-320, 1.0];
        var gradient = new double[2];

        void Check(Action call)
        {
            var e = Assert.Throws<ArgumentException>(call);
            Assert.Equal("sampleWeights", e.ParamName);
            Assert.Contains("sampleWeights[1]", e.Message, StringComparison.Ordinal);
            Assert.Contains("subnormal", e.Message, StringComparison.Ordinal);
        }

        Check(() => MeanSquaredError.LossAndGradient<double>(features, targets, weights, 0.0, gradient, out _, [], sampleWeights, default));
        Check(() => LogisticLoss.LossAndGradient<double>(features, targets, weights, 0.0, gradient, out _, sampleWeights, default));
        Check(() => PoissonLoss.LossAndGradient<double>(features, targets, weights, 0.0, gradient, out _, sampleWeights, default));
        Check(() => HuberLoss.LossAndGradient<double>(features, targets, weights, 0.0, gradient, out _, sampleWeights, default));
        Check(() => LogisticLoss.HessianVectorProduct<double>(features, targets, weights, 0.0, [1.0, 0.0], 0.0, gradient, out _, sampleWeights, default));
        Check(() => SoftmaxCrossEntropy.LossAndGradient<double>(features, [1, 0, 1], [0.5, -0.25, 0.1, 0.2], [0.0, 0.0], new double[4], new double[2], sampleWeights, default));

        var accumulator = LinearModelLossAccumulator<double>.ForLogisticLoss(weights, 0.0, default);
        Check(() => accumulator.Add(features, targets, sampleWeights));
        Assert.Equal(0, accumulator.Count);
        Assert.Equal(0.0, accumulator.SumOfSampleWeights);
        var softmax = new SoftmaxCrossEntropyAccumulator<double>([0.5, -0.25, 0.1, 0.2], [], 2, default);
        Check(() => softmax.Add(features, [1, 0, 1], sampleWeights));
        Assert.Equal(0, softmax.Count);

        // A float weight of 10⁻⁴⁰ is subnormal in float but normal as the double the sums use: accepted.
        var single = new float[2];
        _ = LogisticLoss.LossAndGradient<float>([1, 2, 3, 4, 5, 6], [1, 0, 1], [0.5f, -0.25f], 0f, single, out _, [1e-40f, 1e-40f, 1e-40f], default);
        Assert.All(single, value => Assert.True(float.IsFinite(value)));
    }

    [Fact]
    public void The_smallest_normal_sample_weight_is_accepted_and_scale_free()
    {
        // Every weight 2⁻⁹⁰⁰ (normal, products of normal size for this data) gives the unweighted result: the weighted
        // mean does not depend on a common factor, and a power of two scales every product exactly.
        double[] features = [1, 2, 3, 4, 5, 6];
        double[] targets = [1, 0, 1];
        double[] weights = [0.5, -0.25];
        var tiny = Math.ScaleB(1.0, -900);
        var weighted = new double[2];
        var loss = LogisticLoss.LossAndGradient<double>(features, targets, weights, 0.0, weighted, out var interceptGradient, [tiny, tiny, tiny], default);
        var plain = new double[2];
        var plainLoss = LogisticLoss.LossAndGradient<double>(features, targets, weights, 0.0, plain, out var plainIntercept, [1.0, 1.0, 1.0], default);
        Assert.Equal(plainLoss, loss);
        Assert.Equal(plain, weighted);
        Assert.Equal(plainIntercept, interceptGradient);

        _ = LogisticLoss.LossAndGradient<double>(features, targets, weights, 0.0, weighted, out _, [2.2250738585072014E-308, 1.0, 0.0], default);

        // Float weights below 2⁻¹²⁸ take the scaled copy too (float subnormals, exact when scaled up): the smallest
        // float subnormal ε times (1, 1, 2) gives the bits of the weights (1, 1, 2), for the losses and the softmax.
        var epsilon = float.Epsilon;
        float[] singleFeatures = [1, 2, 3, 4, 5, 6];
        float[] singleTargets = [1, 0, 1];
        var tinyGradient = new float[2];
        var plainGradient = new float[2];
        Assert.Equal(
            LogisticLoss.LossAndGradient<float>(singleFeatures, singleTargets, [0.5f, -0.25f], 0.1f, plainGradient, out _, [1f, 1f, 2f], default),
            LogisticLoss.LossAndGradient<float>(singleFeatures, singleTargets, [0.5f, -0.25f], 0.1f, tinyGradient, out _, [epsilon, epsilon, 2 * epsilon], default));
        Assert.Equal(plainGradient, tinyGradient);
        var tinySoftmax = new float[4];
        var plainSoftmax = new float[4];
        Assert.Equal(
            SoftmaxCrossEntropy.LossAndGradient<float>(singleFeatures, [1, 0, 1], [1f, 2f, 3f, 4f], [], plainSoftmax, [], [1f, 1f, 2f], default),
            SoftmaxCrossEntropy.LossAndGradient<float>(singleFeatures, [1, 0, 1], [1f, 2f, 3f, 4f], [], tinySoftmax, [], [epsilon, epsilon, 2 * epsilon], default));
        Assert.Equal(plainSoftmax, tinySoftmax);
    }

    public static TheoryData<string> WeightedEntryPoints => new() { "mse", "logistic", "poisson", "huber", "softmax", "hessian" };

    private static double WeightedCall(string entryPoint, double[] sampleWeights, double[] gradient)
    {
        // Rows whose losses are large (η up to 36, residuals up to 1e5): sᵢℓᵢ with sᵢ = 1.5·2¹⁰²⁰ passes double's range.
        double[] features = [1, 2, 3, 4, 5, 6];
        double[] targets = [1, 0, 1];
        double[] weights = [5, -2.5];
        switch (entryPoint)
        {
            case "mse":
                return MeanSquaredError.LossAndGradient<double>(features, targets, [1e5, 0], 0.5, gradient, out _, [], sampleWeights, default);
            case "logistic":
                return LogisticLoss.LossAndGradient<double>(features, targets, weights, 0.5, gradient, out _, sampleWeights, default);
            case "poisson":
                return PoissonLoss.LossAndGradient<double>(features, targets, [2, 1], 0.5, gradient, out _, sampleWeights, default);
            case "huber":
                return HuberLoss.LossAndGradient<double>(features, targets, [1e5, 0], 0.5, gradient, out _, sampleWeights, new HuberLossOptions { Delta = 1e200 });
            case "softmax":
                var softmaxGradient = new double[4];
                var loss = SoftmaxCrossEntropy.LossAndGradient<double>(features, [1, 0, 1], [50, -50, 1, 0.2], [0.5, 0], softmaxGradient, new double[2], sampleWeights, default);
                softmaxGradient.AsSpan(0, 2).CopyTo(gradient);
                return loss;
            default:
                LogisticLoss.HessianVectorProduct<double>(features, targets, weights, 0.5, [1e5, 3], 1, gradient, out var productIntercept, sampleWeights, default);
                return productIntercept;
        }
    }

    [Theory]
    [MemberData(nameof(WeightedEntryPoints))]
    public void Sample_weights_of_any_normal_scale_give_the_result_of_the_same_weights_near_one(string entryPoint)
    {
        // The weighted mean does not depend on a common factor. Weights of 1.5·2¹⁰²⁰ made Σ sᵢℓᵢ overflow: the mean
        // squared error and the softmax loss were ∞ for 1.2·10¹¹ and 202. The one-shot calls now scale weights whose
        // largest lies outside [2⁻¹²⁸, 2¹²⁸] by a power of two (exact) into [1, 2): the same bits as the weights
        // (0.5, 1, 1.5) themselves, also for weights of 2⁻¹⁰⁰⁰ (whose products could lose digits).
        double[] reference = [0.5, 1.0, 1.5];
        var expectedGradient = new double[2];
        var expected = WeightedCall(entryPoint, reference, expectedGradient);
        Assert.True(double.IsFinite(expected), $"the reference {expected}");
        foreach (var k in new[] { 1020, 200, -200, -1000 })
        {
            var gradient = new double[2];
            var value = WeightedCall(entryPoint, reference.Select(s => Math.ScaleB(s, k)).ToArray(), gradient);
            Assert.Equal(expected, value);
            Assert.Equal(expectedGradient, gradient);
        }
    }

    [Fact]
    public void Non_finite_data_of_a_built_in_function_is_rejected_at_construction()
    {
        // A NaN or infinite weight made every value of the weighted sum of squares NaN or ±∞, silently; likewise A, b or
        // c of the quadratic form.
        Assert.Equal("weights", Assert.Throws<ArgumentException>(() => new WeightedSumOfSquares<double>([1.0, double.NaN])).ParamName);
        Assert.Equal("weights", Assert.Throws<ArgumentException>(() => new WeightedSumOfSquares<float>([float.PositiveInfinity])).ParamName);
        Assert.Equal("matrix", Assert.Throws<ArgumentException>(() => new QuadraticForm<double>([1, double.NaN, 0, 1], [0, 0], 0)).ParamName);
        Assert.Equal("linear", Assert.Throws<ArgumentException>(() => new QuadraticForm<double>([1, 0, 0, 1], [0, double.NegativeInfinity], 0)).ParamName);
        Assert.Equal("constant", Assert.Throws<ArgumentException>(() => new QuadraticForm<Half>([Half.One], [Half.One], Half.PositiveInfinity)).ParamName);
        Assert.Contains("weights[1]", Assert.Throws<ArgumentException>(() => new WeightedSumOfSquares<double>([1.0, double.NaN])).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_subnormal_huber_delta_is_rejected_naming_options_and_the_value()
    {
        // δ = 5·10⁻³²⁴ was accepted: every clipped derivative ±δ times x kept a bit or none, so the gradient was
        // (5·10⁻³²⁴, 5·10⁻³²⁴) for data whose true gradient differs between the coordinates. The rule is now δ ≥ 2⁻¹⁰²²
        // (finite, positive, normal), in the options of every entry point and in an accumulator's bytes.
        double[] features = [1, 2, 3, 4, 5, 6];
        double[] targets = [1, 0, 1];
        double[] weights = [0.5, -0.25];
        foreach (var delta in new[] { double.Epsilon, 1e-310, Math.BitDecrement(2.2250738585072014E-308) })
        {
            var options = new HuberLossOptions { Delta = delta };
            var e = Assert.Throws<ArgumentOutOfRangeException>(() => HuberLoss.LossAndGradient<double>(features, targets, weights, new double[2], options));
            Assert.Equal("options", e.ParamName);
            Assert.Contains("subnormal", e.Message, StringComparison.Ordinal);
            Assert.Equal("options", Assert.Throws<ArgumentOutOfRangeException>(() => LinearModelLossAccumulator<double>.ForHuberLoss(weights, 0.0, options)).ParamName);
            Assert.Equal("options", Assert.Throws<ArgumentOutOfRangeException>(() => HuberLoss.HessianVectorProduct<double>(features, targets, weights, 0.0, [1.0, 0.0], 0.0, new double[2], out _, [], options)).ParamName);
        }

        // The smallest normal δ is accepted.
        _ = HuberLoss.LossAndGradient<double>(features, targets, weights, new double[2], new HuberLossOptions { Delta = 2.2250738585072014E-308 });
    }

    [Fact]
    public void Built_in_functions_whose_terms_overflow_and_cancel_give_the_representable_value()
    {
        // a = (1, −0.5) at x = (2⁵¹², 2⁵¹²): the terms 2¹⁰²⁴ = ∞ and −2¹⁰²³ summed to ∞, but f = 2¹⁰²³ exactly. The direct
        // sum is kept when finite; otherwise f is recomputed on x·2⁻ᵏ and scaled by 2²ᵏ (exact here).
        var sum = new WeightedSumOfSquares<double>([1.0, -0.5]);
        double[] x = [Math.ScaleB(1.0, 512), Math.ScaleB(1.0, 512)];
        Assert.Equal(Math.ScaleB(1.0, 1023), sum.Evaluate(x));
        var gradient = new double[2];
        Assert.Equal(Math.ScaleB(1.0, 1023), sum.EvaluateWithGradient(x, gradient));
        Assert.Equal([Math.ScaleB(1.0, 513), -Math.ScaleB(1.0, 512)], gradient);

        // S = 2¹⁰⁰⁰·[[1, −1], [−1, 1]] at x = (2³⁰, 2³⁰): Sx = 2¹⁰³⁰ − 2¹⁰³⁰ = ∞ − ∞ = NaN in value and gradient, but
        // Sx = 0, so f = bᵀx + c = 3·2³⁰ + 3 and ∇f = b exactly.
        var big = Math.ScaleB(1.0, 1000);
        var form = new QuadraticForm<double>([big, -big, -big, big], [1.0, 2.0], 3.0);
        double[] point = [Math.ScaleB(1.0, 30), Math.ScaleB(1.0, 30)];
        Assert.Equal((3 * Math.ScaleB(1.0, 30)) + 3, form.Evaluate(point));
        var formGradient = new double[2];
        Assert.Equal((3 * Math.ScaleB(1.0, 30)) + 3, form.EvaluateWithGradient(point, formGradient));
        Assert.Equal([1.0, 2.0], formGradient);

        // A value truly beyond the range stays +∞, and NaN in x stays NaN.
        Assert.Equal(double.PositiveInfinity, new WeightedSumOfSquares<double>([1.0, 1.0]).Evaluate(x));
        Assert.True(double.IsNaN(sum.Evaluate([double.NaN, 1.0])));
        var floatForm = new QuadraticForm<float>([1e30f, -1e30f, -1e30f, 1e30f], [1f, 2f], 3f);
        Assert.Equal((3 * 1e10f) + 3f, floatForm.Evaluate([1e10f, 1e10f]));
    }
}
