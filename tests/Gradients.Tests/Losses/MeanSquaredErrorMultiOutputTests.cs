using System.Buffers;
using System.Numerics.Tensors;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Gradients.Tests.Properties;

namespace Gradients.Tests.Losses;

/// <summary>K outputs in one pass equal K single-output calls; tensors give the same results as spans.</summary>
/// <remarks>Error model as in <see cref="MeanSquaredErrorAccumulatorTests"/>: two summation orders of the same terms, 2e-13 × scale.</remarks>
public sealed class MeanSquaredErrorMultiOutputTests
{
    [Property]
    public Property Multi_output_equals_K_single_output_calls() =>
        Prop.ForAll(
            (from n in Gen.Choose(1, 30)
             from d in Gen.Choose(1, 20)
             from k in Gen.Choose(1, 9)
             from x in Generators.Vector(Generators.Centered, n * d)
             from y in Generators.Vector(Generators.Centered, n * k)
             from w in Generators.Vector(Generators.Centered, d * k)
             select (n, d, k, x, y, w)).ToArbitrary(),
            c =>
            {
                var (n, d, k, x, y, w) = c;
                var gradient = new double[d * k];
                var losses = new double[k];
                MeanSquaredError.LossAndGradient<double>(x, y, w, gradient, losses);
                for (var output = 0; output < k; output++)
                {
                    var yk = Enumerable.Range(0, n).Select(i => y[(i * k) + output]).ToArray();
                    var wk = Enumerable.Range(0, d).Select(j => w[(j * k) + output]).ToArray();
                    var single = new double[d];
                    var loss = MeanSquaredError.LossAndGradient<double>(x, yk, wk, single);
                    var reference = HighPrecision.MeanSquaredError(x, yk, wk);
                    if (Math.Abs(losses[output] - loss) > 2e-13 * reference.LossScale)
                    {
                        return false.Label($"loss of output {output}: {losses[output]:R} vs {loss:R}");
                    }

                    for (var j = 0; j < d; j++)
                    {
                        if (Math.Abs(gradient[(j * k) + output] - single[j]) > 2e-13 * reference.GradientScale[j])
                        {
                            return false.Label($"gradient[{j}, {output}]: {gradient[(j * k) + output]:R} vs {single[j]:R}");
                        }
                    }
                }

                return true.ToProperty();
            });

    [Fact]
    public void Multi_output_in_float_matches_the_reference()
    {
        var (x, y, w) = MeanSquaredErrorAccuracyTests.Data(new Random(12), 23, 6 * 3);
        var (xs, ys, ws) = (Generators.ToSingle(x[..(23 * 6)]), Generators.ToSingle(y.Concat(y).Concat(y).ToArray()[..(23 * 3)]), Generators.ToSingle(w));
        var gradient = new float[18];
        var losses = new float[3];
        MeanSquaredError.LossAndGradient<float>(xs, ys, ws, gradient, losses);
        for (var output = 0; output < 3; output++)
        {
            var yk = Enumerable.Range(0, 23).Select(i => (double)ys[(i * 3) + output]).ToArray();
            var wk = Enumerable.Range(0, 6).Select(j => (double)ws[(j * 3) + output]).ToArray();
            var reference = HighPrecision.MeanSquaredError(MeanSquaredErrorAccuracyTests.Widen(xs), yk, wk);
            var column = Enumerable.Range(0, 6).Select(j => (double)gradient[(j * 3) + output]).ToArray();
            MeanSquaredErrorAccuracyTests.AssertClose(reference, losses[output], column, Math.Pow(2, -24), $"output {output}");
        }
    }

    [Fact]
    public void Multi_output_shapes_are_validated()
    {
        var e = Assert.Throws<ArgumentException>(() => MeanSquaredError.LossAndGradient<double>(new double[12], new double[7], new double[6], new double[6], new double[2]));
        Assert.Equal("targets", e.ParamName);
        Assert.Contains("K = losses.Length = 2", e.Message, StringComparison.Ordinal);
        Assert.Equal("losses", Assert.Throws<ArgumentException>(() => MeanSquaredError.LossAndGradient<double>(new double[12], new double[8], new double[6], new double[6], [])).ParamName);
        Assert.Equal("features", Assert.Throws<ArgumentException>(() => MeanSquaredError.LossAndGradient<double>(new double[11], new double[8], new double[6], new double[6], new double[2])).ParamName);
    }

    [Fact]
    public void Tensors_give_the_span_results()
    {
        var (x, y, w) = MeanSquaredErrorAccuracyTests.Data(new Random(13), 21, 5);
        var expected = new double[5];
        var expectedLoss = MeanSquaredError.LossAndGradient<double>(x, y, w, expected);

        var gradient = Tensor.Create(new double[5], [5]);
        var loss = MeanSquaredError.LossAndGradient(Tensor.Create(x, [21, 5]), Tensor.Create(y, [21]), Tensor.Create(w, [5]), gradient);
        Assert.Equal(expectedLoss, loss);
        Assert.Equal(expected, gradient.ToArray());
        Assert.Equal(expectedLoss, MeanSquaredError.Loss(Tensor.Create(x, [21, 5]), Tensor.Create(y, [21]), Tensor.Create(w, [5])));

        // Multi-output through rank-2 tensors.
        var multiGradient = Tensor.Create(new double[5], [5, 1]);
        var losses = new double[1];
        MeanSquaredError.LossAndGradient(Tensor.Create(x, [21, 5]), Tensor.Create(y, [21, 1]), Tensor.Create(w, [5, 1]), multiGradient, losses);
        Assert.True(Math.Abs(losses[0] - expectedLoss) <= 1e-14 * expectedLoss);
    }

    [Fact]
    public void Tensor_layouts_that_cannot_be_read_are_rejected_with_the_shape()
    {
        var x = Tensor.Create(new double[40], [8, 5]);
        var y = Tensor.Create(new double[8], [8]);
        var w = Tensor.Create(new double[5], [5]);
        var g = Tensor.Create(new double[5], [5]);

        // A column slice is strided: rows are 5 apart but hold 3 elements.
        var slice = x.Slice(new NRange[] { .., ..3 });
        var e = Assert.Throws<ArgumentException>(() => MeanSquaredError.LossAndGradient(slice, y, Tensor.Create(new double[3], [3]), Tensor.Create(new double[3], [3])));
        Assert.Equal("features", e.ParamName);
        Assert.Contains("strides", e.Message, StringComparison.Ordinal);

        e = Assert.Throws<ArgumentException>(() => MeanSquaredError.LossAndGradient(Tensor.Create(new double[40], [40]), y, w, g));
        Assert.Contains("rank-2", e.Message, StringComparison.Ordinal);

        e = Assert.Throws<ArgumentException>(() => MeanSquaredError.LossAndGradient(x, Tensor.Create(new double[7], [7]), w, g));
        Assert.Equal("targets", e.ParamName);
    }
}
