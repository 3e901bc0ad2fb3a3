namespace Gradients.Tests.Losses;

/// <summary>Bad labels, bad sample weights, bad shapes and overlapping outputs of the linear-model losses.</summary>
public sealed class LinearModelLossValidationTests
{
    private static readonly double[] X = [1, 2, 3, 4, 5, 6, 7, 8];
    private static readonly double[] W = [0.5, -0.25];

    [Theory]
    [InlineData(2.0)]
    [InlineData(-1.0)]
    [InlineData(0.5)]
    [InlineData(double.NaN)]
    public void A_logistic_label_other_than_0_or_1_is_named_with_its_index_and_value(double bad)
    {
        // Four rows, so the vector kernel sees the bad label in a lane.
        double[] y = [0, 1, bad, 1];
        var e = Assert.Throws<ArgumentException>(() => LogisticLoss.Loss<double>(X, y, W));
        Assert.Equal("targets", e.ParamName);
        Assert.Contains($"'targets[2]' is {bad}", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_first_bad_label_of_many_rows_is_reported_after_a_threaded_pass()
    {
        var n = 100_000;
        var x = new double[n * 2];
        var y = new double[n];
        y[70_001] = 3;
        y[90_000] = -2;
        var e = Assert.Throws<ArgumentException>(() => LogisticLoss.Loss<double>(x, y, W, new LinearModelLossOptions { MaxDegreeOfParallelism = 2 }));
        Assert.Contains("'targets[70001]' is 3", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(8, 9)]
    [InlineData(17, 9)]
    [InlineData(20, 5)]
    [InlineData(31, 12)]
    [InlineData(64, 9)]
    [InlineData(300, 3)]
    public void A_bad_label_is_named_in_every_kernel_path(int dimension, int index)
    {
        // Thirteen rows: the bad one in a block of four (rows 0…11) or after the last block (row 12), for the register
        // kernel (D = 8), the wide kernel with its phases overlapped (D = 17…31), one after the other (D = 64) and eight
        // rows at a time (D = 300).
        const int N = 13;
        var x = Enumerable.Range(0, N * dimension).Select(i => (i % 7 / 7.0) - 0.5).ToArray();
        var w = Enumerable.Range(0, dimension).Select(j => (j % 3) - 1.0).ToArray();
        var y = new double[N];
        y[index] = 2;
        var e = Assert.Throws<ArgumentException>(() => LogisticLoss.Loss<double>(x, y, w));
        Assert.Contains($"'targets[{index}]' is 2", e.Message, StringComparison.Ordinal);
        y[index] = -1;
        e = Assert.Throws<ArgumentException>(() => PoissonLoss.LossAndGradient<double>(x, y, w, new double[dimension]));
        Assert.Contains($"'targets[{index}]' is -1", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1, 5)]
    [InlineData(3, 12)]
    [InlineData(4, 9)]
    [InlineData(8, 0)]
    [InlineData(17, 12)]
    [InlineData(64, 7)]
    [InlineData(300, 3)]
    public void A_NaN_feature_gives_a_NaN_loss_and_a_bad_label_still_throws_in_every_kernel_path(int dimension, int index)
    {
        // The pass reports an invalid label as a NaN loss sum, so a NaN from the data reads the same way: the caller then
        // searches the labels, finds none invalid, and returns the NaN. With a bad label as well, the search names it.
        // Float too: D = 3 and 4 run the in-cache float kernel, D = 8 and 17 the float register and wide kernels.
        const int N = 13;
        var x = Enumerable.Range(0, N * dimension).Select(i => (i % 7 / 7.0) - 0.5).ToArray();
        var w = Enumerable.Range(0, dimension).Select(j => (j % 3) - 1.0).ToArray();
        x[(((index + 1) % N) * dimension) + (dimension - 1)] = double.NaN;
        var y = new double[N];
        var (xf, wf, yf) = (x.Select(v => (float)v).ToArray(), w.Select(v => (float)v).ToArray(), new float[N]);

        Assert.True(double.IsNaN(LogisticLoss.LossAndGradient<double>(x, y, w, new double[dimension])));
        Assert.True(double.IsNaN(PoissonLoss.LossAndGradient<double>(x, y, w, new double[dimension])));
        Assert.True(float.IsNaN(LogisticLoss.LossAndGradient<float>(xf, yf, wf, new float[dimension])));
        Assert.True(float.IsNaN(PoissonLoss.LossAndGradient<float>(xf, yf, wf, new float[dimension])));

        (y[index], yf[index]) = (2, 2);
        var e = Assert.Throws<ArgumentException>(() => LogisticLoss.LossAndGradient<double>(x, y, w, new double[dimension]));
        Assert.Contains($"'targets[{index}]' is 2", e.Message, StringComparison.Ordinal);
        e = Assert.Throws<ArgumentException>(() => LogisticLoss.LossAndGradient<float>(xf, yf, wf, new float[dimension]));
        Assert.Contains($"'targets[{index}]' is 2", e.Message, StringComparison.Ordinal);
        (y[index], yf[index]) = (-1, -1);
        e = Assert.Throws<ArgumentException>(() => PoissonLoss.Loss<double>(x, y, w));
        Assert.Contains($"'targets[{index}]' is -1", e.Message, StringComparison.Ordinal);
        e = Assert.Throws<ArgumentException>(() => PoissonLoss.Loss<float>(xf, yf, wf));
        Assert.Contains($"'targets[{index}]' is -1", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(-1.0)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NaN)]
    public void A_bad_poisson_target_is_named_with_its_index_and_value(double bad)
    {
        double[] y = [0, 3, 1, bad];
        var e = Assert.Throws<ArgumentException>(() => PoissonLoss.Loss<double>(X, y, W));
        Assert.Contains($"'targets[3]' is {bad}", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(-0.5)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void A_bad_sample_weight_is_named_with_its_index(double bad)
    {
        double[] y = [0, 1, 1, 0];
        double[] s = [1, bad, 1, 1];
        var g = new double[2];
        var e = Assert.Throws<ArgumentException>(() => LogisticLoss.LossAndGradient<double>(X, y, W, 0.0, g, out _, s, default));
        Assert.Equal("sampleWeights", e.ParamName);
        Assert.Contains("sampleWeights[1]", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Sample_weights_that_sum_to_zero_or_have_the_wrong_length_are_rejected()
    {
        double[] y = [0, 1, 1, 0];
        var g = new double[2];
        Assert.Throws<ArgumentException>(() => HuberLoss.LossAndGradient<double>(X, y, W, 0.0, g, out _, [0.0, 0.0, 0.0, 0.0], default));
        var e = Assert.Throws<ArgumentException>(() => PoissonLoss.LossAndGradient<double>(X, y, W, 0.0, g, out _, [1.0, 1.0], default));
        Assert.Equal("sampleWeights", e.ParamName);
        Assert.Contains("length 2", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_gradient_that_overlaps_an_input_is_rejected_naming_both()
    {
        var buffer = new double[12];
        X.CopyTo(buffer, 0);
        double[] y = [0, 1, 1, 0];
        var e = Assert.Throws<ArgumentException>(() => LogisticLoss.LossAndGradient<double>(buffer.AsSpan(0, 8), y, W, buffer.AsSpan(7, 2)));
        Assert.Equal("gradient", e.ParamName);
        Assert.Contains("features", e.Message, StringComparison.Ordinal);
        double[] s = [1, 1, 1, 1, 0];
        e = Assert.Throws<ArgumentException>(() => LogisticLoss.LossAndGradient<double>(X, y, W, 0.0, s.AsSpan(3, 2), out _, s.AsSpan(0, 4), default));
        Assert.Contains("sampleWeights", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Shapes_that_do_not_match_name_the_parameter_and_sizes()
    {
        double[] y = [0, 1, 1];
        var e = Assert.Throws<ArgumentException>(() => LogisticLoss.Loss<double>(X, y, W));
        Assert.Equal("features", e.ParamName);
        Assert.Throws<ArgumentException>(() => PoissonLoss.Loss<double>(X, [], W));
        var se = Assert.Throws<ArgumentException>(() => SoftmaxCrossEntropy.Loss<double>(X, [0, 1, 2], W));
        Assert.Equal("features", se.ParamName);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-1.0)]
    [InlineData(double.NaN)]
    public void A_huber_delta_that_is_not_positive_is_rejected(double delta)
    {
        double[] y = [0, 1, 1, 0];
        Assert.Throws<ArgumentOutOfRangeException>(() => HuberLoss.Loss<double>(X, y, W, new HuberLossOptions { Delta = delta }));
    }
}
