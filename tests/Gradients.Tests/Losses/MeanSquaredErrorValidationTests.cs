namespace Gradients.Tests.Losses;

/// <summary>Bad input gives an ArgumentException naming the parameter and the sizes; NaN data give NaN.</summary>
public sealed class MeanSquaredErrorValidationTests
{
    [Fact]
    public void Features_of_the_wrong_length_are_rejected_with_the_sizes()
    {
        var e = Assert.Throws<ArgumentException>(() => MeanSquaredError.Loss<double>(new double[11], new double[4], new double[3]));
        Assert.Equal("features", e.ParamName);
        Assert.Contains("11", e.Message, StringComparison.Ordinal);
        Assert.Contains("4 × 3", e.Message, StringComparison.Ordinal);
        Assert.Contains("12", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_gradient_of_the_wrong_length_is_rejected_with_the_sizes()
    {
        var e = Assert.Throws<ArgumentException>(() => MeanSquaredError.Gradient<double>(new double[12], new double[4], new double[3], new double[4]));
        Assert.Equal("gradient", e.ParamName);
        Assert.Contains("length 4", e.Message, StringComparison.Ordinal);
        Assert.Contains("length 3", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void No_rows_or_no_columns_are_rejected()
    {
        Assert.Equal("targets", Assert.Throws<ArgumentException>(() => MeanSquaredError.Loss<double>([], [], new double[3])).ParamName);
        Assert.Equal("weights", Assert.Throws<ArgumentException>(() => MeanSquaredError.Loss<float>([], new float[2], [])).ParamName);
    }

    [Fact]
    public void A_gradient_overlapping_an_input_is_rejected()
    {
        var buffer = new double[20];
        var e = Assert.Throws<ArgumentException>(() =>
            MeanSquaredError.LossAndGradient<double>(buffer.AsSpan(0, 12), buffer.AsSpan(12, 4), buffer.AsSpan(16, 3), buffer.AsSpan(10, 3)));
        Assert.Equal("gradient", e.ParamName);
        Assert.Contains("features", e.Message, StringComparison.Ordinal);

        e = Assert.Throws<ArgumentException>(() =>
            MeanSquaredError.LossAndGradient<double>(buffer.AsSpan(0, 12), buffer.AsSpan(12, 4), buffer.AsSpan(16, 3), buffer.AsSpan(16, 3)));
        Assert.Contains("weights", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Residuals_of_the_wrong_length_or_overlapping_are_rejected()
    {
        var x = new double[12];
        var y = new double[4];
        var w = new double[3];
        var g = new double[3];
        Assert.Equal("residuals", Assert.Throws<ArgumentException>(() =>
            MeanSquaredError.LossAndGradient<double>(x, y, w, 0.0, g, out _, new double[5], default)).ParamName);
        Assert.Equal("residuals", Assert.Throws<ArgumentException>(() =>
            MeanSquaredError.LossAndGradient<double>(x, y, w, 0.0, g, out _, x.AsSpan(0, 4), default)).ParamName);
    }

    [Theory]
    [InlineData(-1.0)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void A_negative_or_non_finite_ridge_penalty_is_rejected_with_its_value(double lambda)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() =>
            MeanSquaredError.Loss<double>(new double[2], new double[2], new double[1], new MeanSquaredErrorOptions { L2Penalty = lambda }));
        Assert.Equal("options", error.ParamName);
        Assert.Contains("L2Penalty", error.Message, StringComparison.Ordinal);
        Assert.Contains(lambda.ToString(System.Globalization.CultureInfo.CurrentCulture), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Options_out_of_range_are_rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() =>
            MeanSquaredError.Loss<double>(new double[2], new double[2], new double[1], new MeanSquaredErrorOptions { L2Penalty = -1 }));
        Assert.Throws<ArgumentOutOfRangeException>(() =>
            MeanSquaredError.Loss<double>(new double[2], new double[2], new double[1], new MeanSquaredErrorOptions { MaxDegreeOfParallelism = -2 }));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(5)]
    [InlineData(13)]
    [InlineData(40)]
    public void NaN_in_the_data_gives_NaN_and_does_not_leak_into_other_rows(int d)
    {
        var (x, y, w) = MeanSquaredErrorAccuracyTests.Data(new Random(d), 9, d);
        x[(5 * d) + d - 1] = double.NaN; // last feature of row 5
        x[6 * d] = double.PositiveInfinity; // first feature of row 6: a vector load of row 5 may reach it
        var gradient = new double[d];
        var residuals = new double[9];
        var loss = MeanSquaredError.LossAndGradient<double>(x, y, w, 0.0, gradient, out _, residuals, default);
        Assert.True(double.IsNaN(loss));
        Assert.True(double.IsNaN(gradient[d - 1]));
        Assert.True(double.IsNaN(residuals[5]));
        for (var i = 0; i < 5; i++)
        {
            Assert.True(double.IsFinite(residuals[i]), $"row {i}");
        }

        Assert.True(double.IsInfinity(residuals[6]) || w[0] == 0);
        Assert.True(double.IsFinite(residuals[7]) && double.IsFinite(residuals[8]));
    }
}
