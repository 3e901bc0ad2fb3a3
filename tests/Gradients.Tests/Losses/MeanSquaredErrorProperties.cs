using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Gradients.Tests.Properties;

namespace Gradients.Tests.Losses;

/// <summary>FsCheck properties of the fused MSE pass.</summary>
public sealed class MeanSquaredErrorProperties
{
    private static readonly double Epsilon = Math.BitIncrement(1.0) - 1.0;

    /// <summary>A regression problem: X (N×D), y, w with entries in [-1, 1], N in 1…40, D in 1…24.</summary>
    internal static Gen<(RowMajorMatrix X, double[] Y, double[] W)> Problem(int maxRows = 40, int maxColumns = 24) =>
        from n in Gen.Choose(1, maxRows)
        from d in Gen.Choose(1, maxColumns)
        from x in Generators.Matrix(Generators.Centered, n, d)
        from y in Generators.Vector(Generators.Centered, n)
        from w in Generators.Vector(Generators.Centered, d)
        select (x, y, w);

    [Property]
    public Property Fused_result_equals_the_separate_loss_and_gradient() =>
        Prop.ForAll(Problem().ToArbitrary(), p =>
        {
            var (x, y, w) = p;
            var fused = new double[w.Length];
            var separate = new double[w.Length];
            var loss = MeanSquaredError.LossAndGradient<double>(x.Values, y, w, fused);
            MeanSquaredError.Gradient<double>(x.Values, y, w, separate);

            // Same kernel, same chunks: bit-identical, not merely close.
            return loss == MeanSquaredError.Loss<double>(x.Values, y, w) && fused.SequenceEqual(separate);
        });

    [Property]
    public Property Float_fused_result_equals_the_separate_loss_and_gradient() =>
        Prop.ForAll(Problem().ToArbitrary(), p =>
        {
            var (x, y, w) = (Generators.ToSingle(p.X.Values), Generators.ToSingle(p.Y), Generators.ToSingle(p.W));
            var fused = new float[w.Length];
            var separate = new float[w.Length];
            var loss = MeanSquaredError.LossAndGradient<float>(x, y, w, fused);
            MeanSquaredError.Gradient<float>(x, y, w, separate);
            return loss == MeanSquaredError.Loss<float>(x, y, w) && fused.SequenceEqual(separate);
        });

    [Property]
    public Property Gradient_agrees_with_a_central_difference_of_the_loss() =>
        Prop.ForAll(Problem(30, 12).ToArbitrary(), p =>
        {
            var (x, y, w) = p;
            var gradient = new double[w.Length];
            MeanSquaredError.Gradient<double>(x.Values, y, w, gradient);
            var reference = HighPrecision.MeanSquaredError(x.Values, y, w);
            var probe = (double[])w.Clone();
            for (var j = 0; j < w.Length; j++)
            {
                // Central difference (f(w + h) − f(w − h)) / 2h: truncation h²|f'''|/6 vanishes (the loss is
                // quadratic in w), leaving round-off: each loss carries ≲ (D + N + 4)·u·LossScale, so the quotient
                // ≲ 2·(D + N + 4)·u·LossScale / (2h). The step is the actual difference of the perturbed weights.
                const double H = 1.0 / 1024;
                probe[j] = w[j] + H;
                var up = MeanSquaredError.Loss<double>(x.Values, y, probe);
                var upper = probe[j];
                probe[j] = w[j] - H;
                var down = MeanSquaredError.Loss<double>(x.Values, y, probe);
                var step = upper - probe[j];
                probe[j] = w[j];
                var difference = (up - down) / step;
                var tolerance = (w.Length + y.Length + 4) * Epsilon * 4 * reference.LossScale / step;
                if (!(Math.Abs(difference - gradient[j]) <= tolerance))
                {
                    return false.Label($"j={j}: gradient {gradient[j]:R}, central difference {difference:R}, tolerance {tolerance:E2}");
                }
            }

            return true.ToProperty();
        });

    [Property(MaxTest = 12)]
    public Property Threaded_result_is_bit_identical_for_every_thread_count() =>
        Prop.ForAll(
            (from d in Gen.Choose(1, 40)
             from extra in Gen.Choose(0, 99)
             from seed in Gen.Choose(0, 1000)
             select (d, extra, seed)).ToArbitrary(),
            c =>
            {
                var (d, extra, seed) = c;

                // Enough rows for at least three chunks, so threads really share the work.
                var n = (3 * FusedPass.ChunkRows(1, d)) + extra;
                var (x, y, w) = MeanSquaredErrorAccuracyTests.Data(new Random(seed), n, d);
                var single = new double[d];
                var singleResiduals = new double[n];
                var loss = MeanSquaredError.LossAndGradient<double>(x, y, w, 0.5, single, out var b, singleResiduals, default);
                foreach (var threads in new[] { 2, 3, 4, -1 })
                {
                    var gradient = new double[d];
                    var residuals = new double[n];
                    var threadedLoss = MeanSquaredError.LossAndGradient<double>(x, y, w, 0.5, gradient, out var threadedB, residuals, new MeanSquaredErrorOptions { MaxDegreeOfParallelism = threads });
                    if (BitConverter.DoubleToInt64Bits(threadedLoss) != BitConverter.DoubleToInt64Bits(loss) || threadedB != b
                        || !gradient.SequenceEqual(single) || !residuals.SequenceEqual(singleResiduals))
                    {
                        return false.Label($"threads={threads}, N={n}, D={d}");
                    }
                }

                return true.ToProperty();
            });
}
