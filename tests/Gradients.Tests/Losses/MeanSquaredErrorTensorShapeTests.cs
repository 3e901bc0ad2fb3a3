using System.Numerics.Tensors;

namespace Gradients.Tests.Losses;

/// <summary>
/// Empty and degenerate tensor shapes are reported as what they are — N, D or K is 0 — not as a layout problem
/// with meaningless strides.
/// </summary>
public sealed class MeanSquaredErrorTensorShapeTests
{
    [Theory]
    [InlineData(0, 3, "N (the number of samples) is 0")]
    [InlineData(3, 0, "D (the number of features) is 0")]
    [InlineData(0, 0, "N (the number of samples) is 0")]
    public void Empty_feature_tensors_say_which_size_is_zero(int rows, int columns, string expected)
    {
        var features = Tensor.CreateFromShape<double>((ReadOnlySpan<nint>)[rows, columns]);
        var targets = Tensor.CreateFromShape<double>((ReadOnlySpan<nint>)[rows]);
        var weights = Tensor.CreateFromShape<double>((ReadOnlySpan<nint>)[columns]);

        var e = Assert.Throws<ArgumentException>(() => MeanSquaredError.Loss(features, targets, weights));
        Assert.Equal("features", e.ParamName);
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
        Assert.Contains($"[{rows}, {columns}]", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("strides", e.Message, StringComparison.Ordinal);

        var gradient = Tensor.CreateFromShape<double>((ReadOnlySpan<nint>)[columns]);
        e = Assert.Throws<ArgumentException>(() => MeanSquaredError.LossAndGradient(features, targets, weights, gradient));
        Assert.Equal("features", e.ParamName);
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("targets", 4, 0, "K (the number of outputs) is 0")]
    [InlineData("weights", 0, 2, "D (the number of features) is 0")]
    [InlineData("weights", 3, 0, "K (the number of outputs) is 0")]
    [InlineData("gradient", 0, 2, "D (the number of features) is 0")]
    public void Empty_multi_output_tensors_say_which_size_is_zero(string empty, int rows, int columns, string expected)
    {
        // A valid problem of N = 4, D = 3, K = 2, with one tensor replaced by an empty one.
        var shapes = new Dictionary<string, (int Rows, int Columns)>
        {
            ["features"] = (4, 3),
            ["targets"] = (4, 2),
            ["weights"] = (3, 2),
            ["gradient"] = (3, 2),
        };
        shapes[empty] = (rows, columns);
        var t = shapes.ToDictionary(p => p.Key, p => new double[p.Value.Rows * p.Value.Columns]);
        TensorSpan<double> Of(string name) => new(t[name], [shapes[name].Rows, shapes[name].Columns]);
        var losses = new double[2];

        var e = Assert.Throws<ArgumentException>(() =>
            MeanSquaredError.LossAndGradient<double>(Of("features"), Of("targets"), Of("weights"), Of("gradient"), losses));
        Assert.Equal(empty, e.ParamName);
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("strides", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Empty_losses_say_that_k_is_zero()
    {
        var e = Assert.Throws<ArgumentException>(() => MeanSquaredError.LossAndGradient<double>(
            new TensorSpan<double>(new double[6], [2, 3]), new TensorSpan<double>(new double[4], [2, 2]),
            new TensorSpan<double>(new double[6], [3, 2]), new TensorSpan<double>(new double[6], [3, 2]), Span<double>.Empty));
        Assert.Equal("losses", e.ParamName);
        Assert.Contains("empty", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_broadcast_of_real_size_is_still_a_layout_error()
    {
        // The shape check must not hide the layout check: stride 0 over 2×3 is a broadcast, not dense.
        var e = Assert.Throws<ArgumentException>(() => MeanSquaredError.Loss<double>(
            new ReadOnlyTensorSpan<double>(new double[3], [2, 3], [0, 1]), new ReadOnlyTensorSpan<double>(new double[2]), new ReadOnlyTensorSpan<double>(new double[3])));
        Assert.Equal("features", e.ParamName);
        Assert.Contains("strides [0, 1]", e.Message, StringComparison.Ordinal);
    }
}
