using System.Globalization;
using System.Text.RegularExpressions;
using Gradients.Benchmarks.Gate;
using Gradients.Benchmarks.Losses;

namespace Gradients.Benchmarks.Tests.Losses;

/// <summary>The <c>paired</c> probe: its command line, and one line of medians for every loss (512 × 64: a read-only pass of some 10 µs, above the clock's 3-decimal print).</summary>
public sealed partial class PairedPassCommandTests
{
    [Theory]
    [InlineData("stray")]
    [InlineData("--loss cubic")]
    [InlineData("--shape 100")]
    [InlineData("--shape 0x8")]
    [InlineData("--shape 10x-8")]
    [InlineData("--pairs 0")]
    [InlineData("--warmup many")]
    [InlineData("--job short")]
    [InlineData("--type half")]
    [InlineData("--warmup-seconds -1")]
    public void A_wrong_command_line_is_a_usage_error(string commandLine)
    {
        using var output = new StringWriter();

        Assert.Equal(ExitCodes.Usage, PairedPassCommand.Run(commandLine.Split(' ', StringSplitOptions.RemoveEmptyEntries), output));
        Assert.Contains("usage: paired", output.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("mse")]
    [InlineData("huber")]
    [InlineData("logistic")]
    [InlineData("poisson")]
    [InlineData("softmax")]
    public void Every_loss_reports_positive_times_and_quartiles_around_the_median(string loss)
    {
        using var output = new StringWriter();

        Assert.Equal(ExitCodes.Passed, PairedPassCommand.Run(["--loss", loss, "--shape", "512x64", "--pairs", "8", "--warmup", "2", "--warmup-seconds", "0"], output));

        var match = Report().Match(output.ToString());
        Assert.True(match.Success, output.ToString());
        Assert.Equal($"{loss} 512x64", match.Groups["case"].Value);
        double Number(string name) => double.Parse(match.Groups[name].Value, CultureInfo.InvariantCulture);
        Assert.True(Number("pass") > 0 && Number("kernel") > 0, output.ToString());
        Assert.InRange(Number("ratio"), Number("low"), Number("high"));
    }

    [Theory]
    [InlineData("mse")]
    [InlineData("logistic")]
    [InlineData("softmax")]
    public void Float_data_reports_its_type_beside_the_loss(string loss)
    {
        using var output = new StringWriter();

        Assert.Equal(ExitCodes.Passed, PairedPassCommand.Run(["--loss", loss, "--type", "float", "--shape", "512x64", "--pairs", "8", "--warmup", "2", "--warmup-seconds", "0"], output));

        var match = Report().Match(output.ToString());
        Assert.True(match.Success, output.ToString());
        Assert.Equal($"{loss} float 512x64", match.Groups["case"].Value);
        Assert.InRange(double.Parse(match.Groups["ratio"].Value, CultureInfo.InvariantCulture), double.Parse(match.Groups["low"].Value, CultureInfo.InvariantCulture), double.Parse(match.Groups["high"].Value, CultureInfo.InvariantCulture));
    }

    [GeneratedRegex(@"^(?<case>\w+ (float )?\d+x\d+): read-only pass (?<pass>[\d.]+) ms, kernel (?<kernel>[\d.]+) ms, ratio (?<ratio>[\d.]+) \(quartiles (?<low>[\d.]+)–(?<high>[\d.]+), 8 pairs\)\r?\n$")]
    private static partial Regex Report();
}
