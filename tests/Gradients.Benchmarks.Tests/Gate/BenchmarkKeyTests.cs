using Gradients.Benchmarks.Gate;

namespace Gradients.Benchmarks.Tests.Gate;

public sealed class BenchmarkKeyTests
{
    [Fact]
    public void Parse_reads_type_method_and_parameters()
    {
        var key = BenchmarkKey.Parse("MeanSquaredErrorBenchmarks<Double>.LossAndGradient(Samples=50, Features=4)");

        Assert.Equal("MeanSquaredErrorBenchmarks<Double>", key.Type);
        Assert.Equal("LossAndGradient", key.Method);
        Assert.Equal([new("Samples", "50"), new("Features", "4")], key.Parameters);
        Assert.Equal("MeanSquaredErrorBenchmarks<Double>.LossAndGradient(Samples=50, Features=4)", key.ToString());
    }

    [Fact]
    public void Parse_reads_a_key_without_parameters_and_generic_arguments_with_dots_and_commas()
    {
        var plain = BenchmarkKey.Parse("RosenbrockGradient.TwoNEvaluations");
        var generic = BenchmarkKey.Parse("Pair<System.Double, Int32>.Run(N=3)");

        Assert.Equal(("RosenbrockGradient", "TwoNEvaluations", 0), (plain.Type, plain.Method, plain.Parameters.Count));
        Assert.Equal(("Pair<System.Double, Int32>", "Run", "N=3"), (generic.Type, generic.Method, generic.ParameterText));
    }

    [Fact]
    public void Keys_match_whatever_the_parameter_order_and_spacing()
    {
        var written = BenchmarkKey.Parse("Mse<Double>.Kernel( Features = 4 ,Samples=50 )");
        var measured = new BenchmarkKey("Mse<Double>", "Kernel", BenchmarkKey.ParseBenchmarkDotNetParameters("Samples=50&Features=4"));

        Assert.Equal(measured, written);
        Assert.Equal(measured.GetHashCode(), written.GetHashCode());
    }

    [Theory]
    [InlineData("Mse<Double>.Kernel(Samples=51, Features=4)")] // another parameter value
    [InlineData("Mse<Single>.Kernel(Samples=50, Features=4)")] // another generic argument
    [InlineData("Mse<Double>.kernel(Samples=50, Features=4)")] // C# names are case-sensitive
    [InlineData("Mse<Double>.Kernel(Samples=50)")] // a parameter missing
    [InlineData("Mse<Double>.Kernel")]
    public void Keys_differing_in_anything_but_spelling_do_not_match(string other)
    {
        var measured = new BenchmarkKey("Mse<Double>", "Kernel", BenchmarkKey.ParseBenchmarkDotNetParameters("Samples=50&Features=4"));

        Assert.NotEqual(measured, BenchmarkKey.Parse(other));
    }

    [Theory]
    [InlineData("NoMethod")]
    [InlineData(".Method")]
    [InlineData("Type.")]
    [InlineData("Type.Method(N=1")]
    [InlineData("Type.Method(N)")]
    [InlineData("Type.Method(=1)")]
    public void Parse_rejects_malformed_keys(string text)
    {
        var error = Assert.Throws<FormatException>(() => BenchmarkKey.Parse(text));

        Assert.Contains(text.Trim(), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void BenchmarkDotNet_parameters_are_split_at_ampersands()
    {
        Assert.Equal([new("Length", "16"), new("Label", "a b")], BenchmarkKey.ParseBenchmarkDotNetParameters("Length=16&Label=a b"));
        Assert.Empty(BenchmarkKey.ParseBenchmarkDotNetParameters(""));
        Assert.Empty(BenchmarkKey.ParseBenchmarkDotNetParameters(null));
    }
}
