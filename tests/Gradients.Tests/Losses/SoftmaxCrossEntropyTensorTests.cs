using System.Numerics.Tensors;

namespace Gradients.Tests.Losses;

/// <summary>The tensor overloads of <see cref="SoftmaxCrossEntropy"/>: the span results bit for bit, shapes checked with messages naming N, D and K.</summary>
public sealed class SoftmaxCrossEntropyTensorTests
{
    private const int N = 7;
    private const int D = 3;
    private const int K = 4;

    private static (double[] X, int[] Y, double[] W) Data()
    {
        var random = new Random(5);
        var x = Enumerable.Range(0, N * D).Select(_ => random.NextDouble() - 0.5).ToArray();
        var y = Enumerable.Range(0, N).Select(i => i % K).ToArray();
        var w = Enumerable.Range(0, D * K).Select(_ => random.NextDouble() - 0.5).ToArray();
        return (x, y, w);
    }

    private static Tensor<double> Shaped(double[] values, params nint[] lengths) => Tensor.Create(values, lengths);

    [Fact]
    public void Tensors_give_the_span_results_bit_for_bit()
    {
        var (x, y, w) = Data();
        var expected = new double[D * K];
        var expectedLoss = SoftmaxCrossEntropy.LossAndGradient<double>(x, y, w, expected);

        var gradient = Tensor.CreateFromShape<double>((ReadOnlySpan<nint>)[D, K]);
        Assert.Equal(expectedLoss, SoftmaxCrossEntropy.LossAndGradient(Shaped(x, N, D), Tensor.Create(y, [N]), Shaped(w, D, K), gradient));
        Assert.Equal(expected, gradient.ToArray());
        Assert.Equal(expectedLoss, SoftmaxCrossEntropy.Loss(Shaped(x, N, D), Tensor.Create(y, [N]), Shaped(w, D, K)));

        // The tensor-span overloads directly, in float too.
        float[] xf = [.. x.Select(v => (float)v)], wf = [.. w.Select(v => (float)v)];
        var expectedSingle = new float[D * K];
        var singleLoss = SoftmaxCrossEntropy.LossAndGradient<float>(xf, y, wf, expectedSingle);
        var singleGradient = new float[D * K];
        Assert.Equal(singleLoss, SoftmaxCrossEntropy.LossAndGradient(
            new ReadOnlyTensorSpan<float>(xf, [N, D], []), new ReadOnlyTensorSpan<int>(y, [N], []), new ReadOnlyTensorSpan<float>(wf, [D, K], []), new TensorSpan<float>(singleGradient, [D, K], [])));
        Assert.Equal(expectedSingle, singleGradient);
    }

    [Fact]
    public void Shapes_are_checked_with_messages_naming_N_D_and_K()
    {
        var (x, y, w) = Data();
        var features = Shaped(x, N, D);
        var labels = Tensor.Create(y, [N]);
        var weights = Shaped(w, D, K);
        var gradient = Tensor.CreateFromShape<double>((ReadOnlySpan<nint>)[D, K]);

        var e = Assert.Throws<ArgumentException>(() => SoftmaxCrossEntropy.Loss(Shaped(x, N * D), labels, weights));
        Assert.Equal("features", e.ParamName);
        Assert.Contains("must be a rank-2 tensor", e.Message, StringComparison.Ordinal);

        e = Assert.Throws<ArgumentException>(() => SoftmaxCrossEntropy.Loss(features, Tensor.Create(y[..6], [6]), weights));
        Assert.Equal("labels", e.ParamName);
        Assert.Contains("has length 6, but the features' shape requires 7", e.Message, StringComparison.Ordinal);

        e = Assert.Throws<ArgumentException>(() => SoftmaxCrossEntropy.Loss(features, Tensor.Create(y, [1, N]), weights));
        Assert.Equal("labels", e.ParamName);
        Assert.Contains("rank-1", e.Message, StringComparison.Ordinal);

        // W as a flat vector, or with D × K the wrong way round.
        e = Assert.Throws<ArgumentException>(() => SoftmaxCrossEntropy.Loss(features, labels, Shaped(w, D * K)));
        Assert.Equal("weights", e.ParamName);
        Assert.Contains("rank-2", e.Message, StringComparison.Ordinal);
        e = Assert.Throws<ArgumentException>(() => SoftmaxCrossEntropy.Loss(features, labels, Shaped(w, K, D)));
        Assert.Equal("weights", e.ParamName);
        Assert.Contains("has rows 4, but the features' columns (D) requires 3", e.Message, StringComparison.Ordinal);
        e = Assert.Throws<ArgumentException>(() => SoftmaxCrossEntropy.Loss(features, labels, Tensor.CreateFromShape<double>((ReadOnlySpan<nint>)[D, 0])));
        Assert.Contains("K", e.Message, StringComparison.Ordinal);
        e = Assert.Throws<ArgumentException>(() => SoftmaxCrossEntropy.Loss(Tensor.CreateFromShape<double>((ReadOnlySpan<nint>)[0, D]), Tensor.Create(Array.Empty<int>(), [0]), weights));
        Assert.Contains("N", e.Message, StringComparison.Ordinal);

        e = Assert.Throws<ArgumentException>(() => SoftmaxCrossEntropy.LossAndGradient(features, labels, weights, Tensor.CreateFromShape<double>((ReadOnlySpan<nint>)[D, K - 1])));
        Assert.Equal("gradient", e.ParamName);
        Assert.Contains("has columns 3, but the weights' columns (K, the classes) requires 4", e.Message, StringComparison.Ordinal);
        e = Assert.Throws<ArgumentException>(() => SoftmaxCrossEntropy.LossAndGradient(features, labels, weights, Tensor.CreateFromShape<double>((ReadOnlySpan<nint>)[D + 1, K])));
        Assert.Equal("gradient", e.ParamName);
        Assert.Contains("(D)", e.Message, StringComparison.Ordinal);
        e = Assert.Throws<ArgumentException>(() => SoftmaxCrossEntropy.LossAndGradient(features, labels, weights, Tensor.CreateFromShape<double>((ReadOnlySpan<nint>)[D * K])));
        Assert.Equal("gradient", e.ParamName);

        // A strided view (every other column of a 7×6 tensor) is not dense row-major.
        var strided = Tensor.Create(new double[N * 6], 0, [N, D], [6, 2]);
        e = Assert.Throws<ArgumentException>(() => SoftmaxCrossEntropy.Loss(strided, labels, weights));
        Assert.Equal("features", e.ParamName);
        Assert.Contains("only dense row-major tensors", e.Message, StringComparison.Ordinal);

        // Labels are checked as for spans.
        int[] bad = [.. y];
        bad[5] = K;
        e = Assert.Throws<ArgumentException>(() => SoftmaxCrossEntropy.Loss(features, Tensor.Create(bad, [N]), weights));
        Assert.Contains("'labels[5]' is 4", e.Message, StringComparison.Ordinal);

        Assert.Throws<ArgumentNullException>(() => SoftmaxCrossEntropy.Loss(null!, labels, weights));
        Assert.Throws<ArgumentNullException>(() => SoftmaxCrossEntropy.Loss(features, null!, weights));
        Assert.Throws<ArgumentNullException>(() => SoftmaxCrossEntropy.LossAndGradient(features, labels, weights, null!));

        // Aliasing the gradient with an input is an overlap error, as for spans.
        var shared = new double[N * D];
        x.CopyTo(shared, 0);
        e = Assert.Throws<ArgumentException>(() => SoftmaxCrossEntropy.LossAndGradient(Shaped(shared, N, D), labels, weights, Shaped(shared, D, K)));
        Assert.Contains("overlap", e.Message, StringComparison.Ordinal);
        Assert.Equal(expected: 0.0, actual: gradient.ToArray().Sum());
    }
}
