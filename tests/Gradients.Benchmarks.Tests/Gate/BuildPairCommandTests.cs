using System.Globalization;
using System.Text.RegularExpressions;
using Gradients.Benchmarks.Gate;

namespace Gradients.Benchmarks.Tests.Gate;

/// <summary>
/// The <c>builds</c> probe: its command line, and one line of medians for the library this test runs against loaded
/// twice (base and head the same file: each copy in its own load context, so the line comes from two loaded copies).
/// </summary>
public sealed partial class BuildPairCommandTests
{
    /// <summary>The Gradients.dll beside the tests (the build under test).</summary>
    private static string Library => typeof(MeanSquaredError).Assembly.Location;

    [Theory]
    [InlineData("")]
    [InlineData("--base LIB")]
    [InlineData("--head LIB")]
    [InlineData("--base LIB --head /nowhere/Gradients.dll")]
    [InlineData("--base LIB --head LIB stray")]
    [InlineData("--base LIB --head LIB --loss softmax")]
    [InlineData("--base LIB --head LIB --type half")]
    [InlineData("--base LIB --head LIB --shape 0x4")]
    [InlineData("--base LIB --head LIB --batches 0")]
    [InlineData("--base LIB --head LIB --calls many")]
    [InlineData("--base LIB --head LIB --warmup-seconds -1")]
    [InlineData("--base LIB --head LIB --arithmetic fast")] // double data: the option is float's
    [InlineData("--base LIB --head LIB --type float --loss poisson --arithmetic fast")] // its options have no FloatArithmetic
    [InlineData("--base LIB --head LIB --type float --arithmetic quick")]
    public void A_wrong_command_line_is_a_usage_error(string commandLine)
    {
        using var output = new StringWriter();
        var args = commandLine.Replace("LIB", Library, StringComparison.Ordinal).Split(' ', StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal(ExitCodes.Usage, BuildPairCommand.Run(args, output));
        Assert.Contains("usage: builds", output.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("mse", "double")]
    [InlineData("logistic", "float")]
    [InlineData("poisson", "double")]
    [InlineData("huber", "float")]
    public void Two_copies_of_one_build_report_positive_times_and_quartiles_around_the_median(string loss, string type)
    {
        using var output = new StringWriter();

        // A directory is accepted for a path as well as the file itself.
        var directory = Path.GetDirectoryName(Library)!;
        Assert.Equal(
            ExitCodes.Passed,
            BuildPairCommand.Run(["--base", Library, "--head", directory, "--loss", loss, "--type", type, "--shape", "64x8", "--batches", "8", "--calls", "20", "--warmup-seconds", "0"], output));

        var match = Report().Match(output.ToString());
        Assert.True(match.Success, output.ToString());
        Assert.Equal($"{loss} {(type == "float" ? "float " : "")}64x8", match.Groups["case"].Value);
        double Number(string name) => double.Parse(match.Groups[name].Value, CultureInfo.InvariantCulture);
        Assert.True(Number("base") > 0 && Number("head") > 0, output.ToString());
        Assert.InRange(Number("ratio"), Number("low"), Number("high"));
        Assert.Contains("8 batches of 20 calls", output.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("mse")]
    [InlineData("logistic")]
    public void The_fast_float_arithmetic_is_called_through_the_options_overload(string loss)
    {
        using var output = new StringWriter();
        Assert.Equal(
            ExitCodes.Passed,
            BuildPairCommand.Run(["--base", Library, "--head", Library, "--loss", loss, "--type", "float", "--arithmetic", "fast", "--shape", "50x4", "--batches", "4", "--calls", "10", "--warmup-seconds", "0"], output));

        var match = Report().Match(output.ToString());
        Assert.True(match.Success, output.ToString());
        Assert.Equal($"{loss} float fast 50x4", match.Groups["case"].Value);
    }

    [GeneratedRegex(@"^(?<case>[a-z]+ (?:float )?(?:fast )?\d+x\d+): base (?<base>[\d.]+) ns, head (?<head>[\d.]+) ns a call, head ÷ base (?<ratio>[\d.]+) \(quartiles (?<low>[\d.]+)–(?<high>[\d.]+), ")]
    private static partial Regex Report();
}
