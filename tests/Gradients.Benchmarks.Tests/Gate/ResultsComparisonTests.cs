using Gradients.Benchmarks.Gate;

namespace Gradients.Benchmarks.Tests.Gate;

public sealed class ResultsComparisonTests
{
    [Theory]
    [InlineData(1000, 1100, ComparisonVerdict.Slower)] // +10 % > 5 %
    [InlineData(1000, 1040, ComparisonVerdict.Same)] // +4 % within 5 %
    [InlineData(1000, 900, ComparisonVerdict.Faster)] // −10 %
    [InlineData(1000, 960, ComparisonVerdict.Same)] // −4 %
    [InlineData(2.0, 2.4, ComparisonVerdict.Same)] // +20 %, but 0.4 ns is below the 1 ns noise floor
    [InlineData(2.0, 3.5, ComparisonVerdict.Slower)] // +75 % and 1.5 ns above the floor
    public void The_median_ratio_is_judged_against_the_threshold_and_the_noise_floor(double baseMedian, double newMedian, ComparisonVerdict expected)
    {
        var rows = ResultsComparison.Compare([Median(baseMedian)], [Median(newMedian)], threshold: 0.05, noiseNanoseconds: 1);

        var row = Assert.Single(rows);
        Assert.Equal(expected, row.Verdict);
        Assert.Equal(newMedian / baseMedian, row.Ratio!.Value, 12);
        Assert.Equal(expected == ComparisonVerdict.Slower, row.IsRegression);
    }

    [Fact]
    public void Medians_not_means_are_compared()
    {
        // One slow outlier iteration moved the mean by 30 %, the median not at all.
        var before = Median(1000);
        var after = Median(1000) with { MeanNanoseconds = 1300 };

        Assert.Equal(ComparisonVerdict.Same, Assert.Single(ResultsComparison.Compare([before], [after], 0.05, 1)).Verdict);
    }

    [Fact]
    public void More_allocation_is_a_regression_beyond_the_threshold_and_8_bytes()
    {
        var before = Median(1000) with { AllocatedBytesPerOperation = 0 };

        Assert.Equal(ComparisonVerdict.AllocatesMore, ResultsComparison.Compare([before], [before with { AllocatedBytesPerOperation = 24 }], 0.05, 1)[0].Verdict);
        Assert.Equal(ComparisonVerdict.Same, ResultsComparison.Compare([before], [before with { AllocatedBytesPerOperation = 4 }], 0.05, 1)[0].Verdict);
    }

    [Fact]
    public void A_benchmark_lost_from_the_new_run_is_a_regression_and_a_new_one_is_not()
    {
        var kept = Median(1000);
        var lost = Median(1000) with { Key = BenchmarkKey.Parse("SumBenchmarks<Double>.Copy(Length=1000)") };
        var added = Median(1000) with { Key = BenchmarkKey.Parse("SumBenchmarks<Double>.Fused(Length=1000)") };

        var rows = ResultsComparison.Compare([kept, lost], [kept, added], 0.05, 1);

        Assert.Equal(ComparisonVerdict.MissingInNew, rows.Single(r => r.Name.Contains("Copy", StringComparison.Ordinal)).Verdict);
        Assert.Equal(ComparisonVerdict.MissingInBase, rows.Single(r => r.Name.Contains("Fused", StringComparison.Ordinal)).Verdict);
        Assert.Equal(1, rows.Count(r => r.IsRegression));
    }

    [Theory]
    [InlineData("5%", 0.05)]
    [InlineData("12.5", 0.125)]
    [InlineData("0%", 0.0)]
    public void Thresholds_are_percentages(string text, double expected) =>
        Assert.Equal(expected, ResultsComparison.ParseThreshold(text), 15);

    [Theory]
    [InlineData("1ns", 1.0)]
    [InlineData("0.5us", 500.0)]
    [InlineData("2μs", 2000.0)]
    [InlineData("3ms", 3e6)]
    [InlineData("1s", 1e9)]
    public void Noise_floors_are_times_with_units(string text, double nanoseconds) =>
        Assert.Equal(nanoseconds, ResultsComparison.ParseNoise(text), 6);

    [Theory]
    [InlineData("--threshold", "-5%")]
    [InlineData("--threshold", "five")]
    [InlineData("--noise", "1")]
    [InlineData("--noise", "1 parsec")]
    public void Bad_thresholds_and_noise_floors_exit_2(string option, string value)
    {
        using var directory = new TemporaryDirectory();
        var file = SyntheticResults.Write(directory.Path, "run.json", [SyntheticResults.Result("Scalar", "Length=1000", 1000)]);
        var output = new StringWriter();

        Assert.Equal(ExitCodes.Usage, CompareCommand.Run([file, file, option, value], output));
        Assert.Contains(option, output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void The_compare_command_exits_1_on_a_regression_and_0_otherwise()
    {
        using var directory = new TemporaryDirectory();
        var baseRun = SyntheticResults.Write(directory.Path, "base.json",
        [
            SyntheticResults.Result("Scalar", "Length=1000", 1000),
            SyntheticResults.Result("Tensor", "Length=1000", 100),
        ]);
        var slower = SyntheticResults.Write(directory.Path, "slower.json",
        [
            SyntheticResults.Result("Scalar", "Length=1000", 1010),
            SyntheticResults.Result("Tensor", "Length=1000", 130),
        ]);
        var faster = SyntheticResults.Write(directory.Path, "faster.json",
        [
            SyntheticResults.Result("Scalar", "Length=1000", 990),
            SyntheticResults.Result("Tensor", "Length=1000", 70),
        ]);
        var slowOutput = new StringWriter();

        var slowExit = CompareCommand.Run([baseRun, slower, "--threshold", "5%", "--noise", "1ns"], slowOutput);
        var fastExit = CompareCommand.Run([baseRun, faster], new StringWriter());

        Assert.Equal((ExitCodes.Failed, ExitCodes.Passed), (slowExit, fastExit));
        var table = slowOutput.ToString();
        Assert.Contains("| Gradients.Benchmarks.Tests.Gate.SumBenchmarks<Double>.Tensor(Length=1000) ", table, StringComparison.Ordinal);
        Assert.Contains("1.300", table, StringComparison.Ordinal);
        Assert.Contains("FAILED: 1 regressions", table, StringComparison.Ordinal);
    }

    private static BenchmarkMeasurement Median(double median) =>
        SyntheticResults.Result("Tensor", "Length=1000", median).ToMeasurement() with { MedianNanoseconds = median };
}
