namespace Gradients.Tests.Properties;

/// <summary>
/// A double-double reference (≈ 106-bit significand) for the MSE loss of a linear model, against which the
/// kernels are tested. Error-free transformations: TwoSum (Knuth, <i>TAOCP</i> vol. 2, §4.2.2) and TwoProduct
/// via FMA; double-double addition and multiplication as in Hida, Li and Bailey, "Algorithms for Quad-Double
/// Precision Floating Point Arithmetic" (ARITH 15, 2001). Relative error per operation ≲ 2⁻¹⁰⁴, far below
/// every tolerance in the suite, so the reference counts as exact.
/// </summary>
public static class HighPrecision
{
    /// <summary>The reference results of one MSE evaluation, rounded to double.</summary>
    /// <param name="Loss">(1/N)·Σr² + λ‖w‖².</param>
    /// <param name="Gradient">(2/N)·Xᵀr + 2λw.</param>
    /// <param name="InterceptGradient">(2/N)·Σr.</param>
    /// <param name="Residuals">r = Xw + b − y.</param>
    /// <param name="LossScale">(1/N)·Σ (|r| + Σ|x·w| + |b| + |y|)²: the size of the terms whose rounding perturbs the loss.</param>
    /// <param name="GradientScale">(2/N)·Σ (|r| + Σ|x·w| + |b| + |y|)·|xⱼ| + 2λ|wⱼ|, the same for each gradient entry.</param>
    public sealed record MeanSquaredErrorResult(
        double Loss, double[] Gradient, double InterceptGradient, double[] Residuals, double LossScale, double[] GradientScale);

    /// <summary>
    /// The MSE loss, gradient and residuals of the affine model Xw + b, in double-double; with
    /// <paramref name="sampleWeights"/> (length N) the weighted loss Σsᵢrᵢ²/Σsᵢ + λ‖w‖², its gradients 2·Σsᵢrᵢxᵢ/Σsᵢ + 2λw
    /// and 2·Σsᵢrᵢ/Σsᵢ, and the scales weighted the same way (the residuals stay unweighted). Σsᵢ is summed in
    /// double-double and rounded once (exact for weights whose sum is a double, such as multiples of 1/4).
    /// </summary>
    public static MeanSquaredErrorResult MeanSquaredError(
        ReadOnlySpan<double> features, ReadOnlySpan<double> targets, ReadOnlySpan<double> weights, double intercept = 0.0, double l2Penalty = 0.0,
        ReadOnlySpan<double> sampleWeights = default)
    {
        var n = targets.Length;
        var d = weights.Length;
        if (features.Length != n * d)
        {
            throw new ArgumentException($"features has {features.Length} elements, expected {n}×{d}.", nameof(features));
        }

        if (!sampleWeights.IsEmpty && sampleWeights.Length != n)
        {
            throw new ArgumentException($"sampleWeights has {sampleWeights.Length} elements, expected {n} (or none).", nameof(sampleWeights));
        }

        var squares = DoubleDouble.Zero;
        var residualSum = DoubleDouble.Zero;
        var gradient = new DoubleDouble[d];
        var residuals = new double[n];
        var lossScale = 0.0;
        var gradientScale = new double[d];
        var weightSum = DoubleDouble.Zero;
        for (var i = 0; i < n; i++)
        {
            var s = sampleWeights.IsEmpty ? 1.0 : sampleWeights[i];
            weightSum += new DoubleDouble(s);
            var row = features.Slice(i * d, d);
            var r = new DoubleDouble(intercept) - new DoubleDouble(targets[i]);
            var magnitude = Math.Abs(intercept) + Math.Abs(targets[i]);
            for (var j = 0; j < d; j++)
            {
                r += DoubleDouble.Product(row[j], weights[j]);
                magnitude += Math.Abs(row[j] * weights[j]);
            }

            residuals[i] = r.Value;
            var weighted = r * new DoubleDouble(s);
            squares += weighted * r;
            residualSum += weighted;
            magnitude += Math.Abs(r.Value);
            lossScale += s * magnitude * magnitude;
            for (var j = 0; j < d; j++)
            {
                gradient[j] += weighted * new DoubleDouble(row[j]);
                gradientScale[j] += s * magnitude * Math.Abs(row[j]);
            }
        }

        var norm = DoubleDouble.Zero;
        for (var j = 0; j < d; j++)
        {
            norm += DoubleDouble.Product(weights[j], weights[j]);
        }

        var total = weightSum.Value; // N without sample weights
        var loss = (squares / total) + (new DoubleDouble(l2Penalty) * norm);
        var result = new double[d];
        for (var j = 0; j < d; j++)
        {
            result[j] = ((gradient[j] * new DoubleDouble(2.0) / total) + DoubleDouble.Product(2.0 * l2Penalty, weights[j])).Value;
            gradientScale[j] = (2.0 * gradientScale[j] / total) + (2.0 * Math.Abs(l2Penalty * weights[j]));
        }

        return new MeanSquaredErrorResult(
            loss.Value, result, (residualSum * new DoubleDouble(2.0) / total).Value, residuals, (lossScale / total) + Math.Abs(l2Penalty * norm.Value), gradientScale);
    }

    /// <summary>An unevaluated sum Hi + Lo with |Lo| ≤ ulp(Hi)/2.</summary>
    /// <param name="Hi">The leading double.</param>
    /// <param name="Lo">The trailing correction.</param>
    public readonly record struct DoubleDouble(double Hi, double Lo)
    {
        /// <summary>Zero.</summary>
        public static DoubleDouble Zero => default;

        /// <summary>A double, exactly.</summary>
        public DoubleDouble(double value)
            : this(value, 0.0)
        {
        }

        /// <summary>The value rounded to double.</summary>
        public double Value => Hi + Lo;

        /// <summary>a·b exactly (TwoProduct by FMA).</summary>
        public static DoubleDouble Product(double a, double b)
        {
            var p = a * b;
            return new DoubleDouble(p, Math.FusedMultiplyAdd(a, b, -p));
        }

        /// <summary>Double-double sum (the "sloppy" variant's accurate form: two TwoSums).</summary>
        public static DoubleDouble operator +(DoubleDouble a, DoubleDouble b)
        {
            var (s, e) = TwoSum(a.Hi, b.Hi);
            var (t, f) = TwoSum(a.Lo, b.Lo);
            e += t;
            (s, e) = QuickTwoSum(s, e);
            e += f;
            return Normalize(s, e);
        }

        /// <summary>Double-double difference.</summary>
        public static DoubleDouble operator -(DoubleDouble a, DoubleDouble b) => a + new DoubleDouble(-b.Hi, -b.Lo);

        /// <summary>Double-double product.</summary>
        public static DoubleDouble operator *(DoubleDouble a, DoubleDouble b)
        {
            var p = Product(a.Hi, b.Hi);
            var lo = p.Lo + ((a.Hi * b.Lo) + (a.Lo * b.Hi));
            return Normalize(p.Hi, lo);
        }

        /// <summary>Division by a double (one Newton correction).</summary>
        public static DoubleDouble operator /(DoubleDouble a, double b)
        {
            var q1 = a.Hi / b;
            var remainder = a - Product(q1, b);
            var q2 = remainder.Hi / b;
            return Normalize(q1, q2);
        }

        private static (double Sum, double Error) TwoSum(double a, double b)
        {
            var s = a + b;
            var bb = s - a;
            return (s, (a - (s - bb)) + (b - bb));
        }

        private static (double Sum, double Error) QuickTwoSum(double a, double b)
        {
            var s = a + b;
            return (s, b - (s - a));
        }

        private static DoubleDouble Normalize(double hi, double lo)
        {
            if (!double.IsFinite(hi))
            {
                return new DoubleDouble(hi, 0.0);
            }

            var (s, e) = QuickTwoSum(hi, lo);
            return new DoubleDouble(s, e);
        }
    }
}
