namespace Gradients.Tests.FiniteDifferences;

/// <summary>Every bad input named in the issue gives an ArgumentException naming the parameter and the sizes.</summary>
public sealed class InvalidInputTests
{
    private static readonly Func<ReadOnlySpan<double>, double> F = TestFunctions.Chapter;

    [Fact]
    public void Gradient_length_different_from_x_length()
    {
        var exception = Assert.Throws<ArgumentException>(() => FiniteDifference.Gradient(F, [1.0, 0.5], new double[3]));

        Assert.Equal("gradient", exception.ParamName);
        Assert.Contains("length 3", exception.Message, StringComparison.Ordinal);
        Assert.Contains("length 2", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Empty_x()
    {
        var exception = Assert.Throws<ArgumentException>(() => FiniteDifference.Gradient(F, ReadOnlySpan<double>.Empty, Span<double>.Empty));
        Assert.Equal("x", exception.ParamName);

        exception = Assert.Throws<ArgumentException>(() => FiniteDifference.DirectionalDerivative(F, ReadOnlySpan<double>.Empty, ReadOnlySpan<double>.Empty));
        Assert.Equal("x", exception.ParamName);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-1e-3)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void Non_positive_or_non_finite_step(double step)
    {
        var exception = Assert.ThrowsAny<ArgumentException>(() =>
            FiniteDifference.Gradient(F, [1.0, 0.5], new double[2], new FiniteDifferenceOptions<double> { Step = step }));

        Assert.Equal("options", exception.ParamName);
        Assert.Contains("options.Step", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Non_positive_per_coordinate_step_and_wrong_steps_length()
    {
        var zero = Assert.ThrowsAny<ArgumentException>(() =>
            FiniteDifference.Gradient(F, [1.0, 0.5], new double[2], new FiniteDifferenceOptions<double> { Steps = new[] { 1e-3, 0.0 } }));
        Assert.Contains("options.Steps[1]", zero.Message, StringComparison.Ordinal);

        var length = Assert.Throws<ArgumentException>(() =>
            FiniteDifference.Gradient(F, [1.0, 0.5], new double[2], new FiniteDifferenceOptions<double> { Steps = new[] { 1e-3 } }));
        Assert.Equal("options", length.ParamName); // the parameter; the message names the member
        Assert.Contains("'options.Steps'", length.Message, StringComparison.Ordinal);
        Assert.Contains("length 1", length.Message, StringComparison.Ordinal);
        Assert.Contains("length 2", length.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_step_too_small_to_move_x()
    {
        var exception = Assert.ThrowsAny<ArgumentException>(() => FiniteDifference.Gradient(
            F, [1e6, 0.5], new double[2], new FiniteDifferenceOptions<double> { Step = 1e-20, StepKind = StepSizeKind.Absolute }));

        Assert.Equal("options", exception.ParamName);
        Assert.Contains("coordinate 0", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bound_arrays_of_the_wrong_length()
    {
        var exception = Assert.Throws<ArgumentException>(() =>
            FiniteDifference.Gradient(F, [1.0, 0.5], new double[2], new FiniteDifferenceOptions<double> { UpperBounds = new[] { 2.0, 2.0, 2.0 } }));

        Assert.Equal("options", exception.ParamName);
        Assert.Contains("'options.UpperBounds'", exception.Message, StringComparison.Ordinal);
        Assert.Contains("length 3", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Non_finite_coordinates_of_x_or_direction()
    {
        var x = Assert.Throws<ArgumentException>(() => FiniteDifference.Gradient(F, [1.0, double.NaN], new double[2]));
        Assert.Equal("x", x.ParamName);
        Assert.Contains("x[1]", x.Message, StringComparison.Ordinal);

        var direction = Assert.Throws<ArgumentException>(() => FiniteDifference.DirectionalDerivative(F, [1.0, 0.5], [double.PositiveInfinity, 0.0]));
        Assert.Equal("direction", direction.ParamName);
    }

    [Fact]
    public void Output_overlapping_x()
    {
        var buffer = new double[] { 1.0, 0.5, 0.0 };

        var exception = Assert.Throws<ArgumentException>(() => FiniteDifference.Gradient(F, buffer.AsSpan(0, 2), buffer.AsSpan(1, 2)));

        Assert.Equal("gradient", exception.ParamName);
    }

    [Fact]
    public void Optional_outputs_of_the_wrong_length()
    {
        var estimates = Assert.Throws<ArgumentException>(() =>
            FiniteDifference.Gradient(F, [1.0, 0.5], new double[2], default(FiniteDifferenceOptions<double>), new double[1]));
        Assert.Equal("errorEstimates", estimates.ParamName);

        var steps = Assert.Throws<ArgumentException>(() =>
            FiniteDifference.Gradient(F, [1.0, 0.5], new double[2], default(FiniteDifferenceOptions<double>), steps: new double[5]));
        Assert.Equal("steps", steps.ParamName);
        Assert.Contains("length 5", steps.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Per_coordinate_steps_do_not_apply_to_a_direction_and_undefined_enums_are_rejected()
    {
        var steps = Assert.Throws<ArgumentException>(() => FiniteDifference.DirectionalDerivative(
            F, [1.0, 0.5], [1.0, 0.0], new FiniteDifferenceOptions<double> { Steps = new[] { 1e-3, 1e-3 } }));
        Assert.Equal("options", steps.ParamName);

        Assert.Throws<ArgumentOutOfRangeException>(() => FiniteDifference.Gradient(
            F, [1.0, 0.5], new double[2], new FiniteDifferenceOptions<double> { Scheme = (FiniteDifferenceScheme)42 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => FiniteDifference.Gradient(
            F, [1.0, 0.5], new double[2], new FiniteDifferenceOptions<double> { MaxDegreeOfParallelism = -2 }));
    }

    [Fact]
    public void Null_functions()
    {
        Assert.Throws<ArgumentNullException>(() => FiniteDifference.Gradient(null!, [1.0], new double[1]));
        Assert.Throws<ArgumentNullException>(() => FiniteDifference.DirectionalDerivative(null!, [1.0], [1.0]));
        Assert.Throws<ArgumentNullException>(() => FiniteDifference.Derivative(null!, 1.0));
        Assert.Throws<ArgumentNullException>(() => FiniteDifference.Jacobian<double>(null!, [1.0], new double[1]));
        Assert.Throws<ArgumentNullException>(() => FiniteDifference.Hessian(null!, [1.0], new double[1]));
    }
}
