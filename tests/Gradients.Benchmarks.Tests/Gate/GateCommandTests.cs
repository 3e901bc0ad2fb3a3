using Gradients.Benchmarks.Gate;

namespace Gradients.Benchmarks.Tests.Gate;

/// <summary>
/// The gate end to end, as CI runs it on exported results: <c>gate --results FILE --thresholds FILE</c>, judged by
/// its exit code and its table.
/// </summary>
public sealed class GateCommandTests
{
    private static readonly string RealExport = Path.Combine(AppContext.BaseDirectory, "Gate", "Data", "SumBenchmarks-report-full.json");

    [Fact]
    public void A_real_BenchmarkDotNet_export_is_read_with_its_baselines_means_and_allocations()
    {
        var measurements = BenchmarkResults.ReadJson([RealExport], BenchmarkDeclarations.FromLoadedAssemblies());

        Assert.Equal(6, measurements.Count);
        var copy = measurements.Single(m => m.Key.ToString() == "SumBenchmarks<Double>.Copy(Length=1000)");
        Assert.Equal((987.8881099913203, 964.1725666650593, 8024L), (copy.MeanNanoseconds, copy.MedianNanoseconds, copy.AllocatedBytesPerOperation));
        Assert.Equal("Gradients.Benchmarks.Tests.Gate.SumBenchmarks<Double>.Copy(Length=1000)", copy.FullName);
        Assert.Equal(["Scalar", "Scalar"], measurements.Where(m => m.IsBaseline).Select(m => m.Key.Method));
    }

    [Fact]
    public void A_results_directory_is_read_in_one_JSON_flavour_so_no_benchmark_counts_twice()
    {
        using var directory = new TemporaryDirectory();
        File.Copy(RealExport, Path.Combine(directory.Path, "Run-report-full.json"));
        File.Copy(RealExport, Path.Combine(directory.Path, "Run-report-full-compressed.json"));

        var measurements = BenchmarkResults.ReadJson([directory.Path], BenchmarkDeclarations.FromLoadedAssemblies());

        Assert.Equal(6, measurements.Count);
    }

    [Fact]
    public void The_gate_passes_thresholds_suggested_from_a_run_and_fails_when_any_one_ratio_is_tightened_below_it()
    {
        using var directory = new TemporaryDirectory();
        var measurements = BenchmarkResults.ReadJson([RealExport], BenchmarkDeclarations.FromLoadedAssemblies());
        var ratios = RegressionGate.Evaluate(measurements, [], partialRun: false).Rows
            .ToDictionary(r => r.Measurement.Key.ToString(), r => (Ratio: r.Ratio!.Value, Bytes: r.Measurement.AllocatedBytesPerOperation!.Value));
        var generous = ratios.Select(r => (r.Key, r.Value.Ratio * 1.5, r.Value.Bytes));

        var passing = Gate(directory, SyntheticResults.WriteThresholds(directory.Path, "generous.json", generous), RealExport);

        Assert.Equal((0, "Gate PASSED: 6 benchmarks within their thresholds."), (passing.ExitCode, LastVerdictLine(passing.Output)));

        // Every entry in turn made impossible (1 % below what was measured): each alone must fail the gate.
        foreach (var (key, (ratio, bytes)) in ratios)
        {
            var tightened = ratios.Select(r => (r.Key, r.Key == key ? ratio * 0.99 : r.Value.Ratio * 1.5, r.Value.Bytes));
            var failing = Gate(directory, SyntheticResults.WriteThresholds(directory.Path, "tight.json", tightened), RealExport);

            Assert.Equal(GateReport.FailedExitCode, failing.ExitCode);
            Assert.Equal("Gate FAILED: 1 above their ratio threshold (of 6 benchmarks).", LastVerdictLine(failing.Output));
            Assert.Contains(failing.Output.Split('\n'), line => line.Contains(key.Split('(')[0], StringComparison.Ordinal) && line.Contains("FAIL: ratio", StringComparison.Ordinal));
        }
    }

    [Fact]
    public void The_gate_fails_on_a_synthetic_regression_and_writes_the_table_to_gate_md()
    {
        using var directory = new TemporaryDirectory();
        var thresholds = SyntheticResults.WriteThresholds(directory.Path, "thresholds.json",
        [
            ("SumBenchmarks<Double>.Scalar(Length=1000)", 1.0, 0),
            ("SumBenchmarks<Double>.Tensor(Length=1000)", 0.15, 0),
        ]);
        var before = SyntheticResults.Write(directory.Path, "before.json",
        [
            RegressionGateTests.Result("Scalar", "Length=1000", 1000),
            RegressionGateTests.Result("Tensor", "Length=1000", 100),
        ]);
        var after = SyntheticResults.Write(directory.Path, "after.json",
        [
            RegressionGateTests.Result("Scalar", "Length=1000", 1000),
            RegressionGateTests.Result("Tensor", "Length=1000", 160), // the kernel lost its vectorization
        ]);

        var good = Gate(directory, thresholds, before);
        var bad = Gate(directory, thresholds, after);

        Assert.Equal(GateReport.PassedExitCode, good.ExitCode);
        Assert.Equal(GateReport.FailedExitCode, bad.ExitCode);
        var table = File.ReadAllText(Path.Combine(directory.Path, "artifacts", "gate.md"));
        Assert.Contains("| SumBenchmarks<Double>.Tensor ", table, StringComparison.Ordinal);
        Assert.Contains("FAIL: ratio 0.160 > 0.15", table, StringComparison.Ordinal);
    }

    [Fact]
    public void A_filter_limits_the_check_to_matching_benchmarks_and_excuses_the_other_thresholds()
    {
        using var directory = new TemporaryDirectory();
        var measurements = BenchmarkResults.ReadJson([RealExport], BenchmarkDeclarations.FromLoadedAssemblies());
        var thresholds = SyntheticResults.WriteThresholds(directory.Path, "t.json", RegressionGate.Evaluate(measurements, [], false).Rows
            .Where(r => r.Measurement.Key.ParameterText == "Length=1000")
            .Select(r => (r.Measurement.Key.ToString(), r.Ratio!.Value * 1.5, r.Measurement.AllocatedBytesPerOperation!.Value)));

        var unfiltered = Gate(directory, thresholds, RealExport);
        var filtered = Gate(directory, thresholds, RealExport, "--filter", "*SumBenchmarks*(Length=1000)");

        Assert.Equal("Gate FAILED: 3 without a threshold (of 6 benchmarks).", LastVerdictLine(unfiltered.Output));
        Assert.Equal((0, "Gate PASSED: 3 benchmarks within their thresholds."), (filtered.ExitCode, LastVerdictLine(filtered.Output)));
    }

    [Theory]
    [InlineData("--thresholds", "missing.json")]
    [InlineData("--results", "missing.json")]
    [InlineData("--margin", "0.5")]
    [InlineData("stray")]
    [InlineData("--job", "short")]
    public void A_wrong_command_line_or_missing_file_exits_2(params string[] args)
    {
        using var directory = new TemporaryDirectory();
        var thresholds = SyntheticResults.WriteThresholds(directory.Path, "t.json", []);
        var output = new StringWriter();
        string[] defaults = ["--thresholds", thresholds, "--results", RealExport, "--artifacts", directory.Path];

        // Options given twice take both values, which a single-valued option rejects; put the test's option first.
        var exitCode = GateCommand.Run([.. args, .. defaults.Where((_, i) => !args.Contains(defaults[i - i % 2]))], output);

        Assert.Equal(GateCommand.UsageExitCode, exitCode);
        Assert.StartsWith("gate: ", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_broken_thresholds_file_exits_2_naming_the_entry()
    {
        using var directory = new TemporaryDirectory();
        var thresholds = Path.Combine(directory.Path, "broken.json");
        File.WriteAllText(thresholds, """{ "thresholds": { "SumBenchmarks<Double>.Tensor(Length=1000)": { "maxRatio": 0.2, "maxAllocatedBytes": 0 } } }""");

        var result = Gate(directory, thresholds, RealExport);

        Assert.Equal(GateCommand.UsageExitCode, result.ExitCode);
        Assert.Contains("SumBenchmarks<Double>.Tensor(Length=1000)", result.Output, StringComparison.Ordinal);
        Assert.Contains("source", result.Output, StringComparison.Ordinal);
    }

    private static (int ExitCode, string Output) Gate(TemporaryDirectory directory, string thresholds, string results, params string[] extra)
    {
        var output = new StringWriter();
        string[] args = ["--results", results, "--thresholds", thresholds, "--artifacts", Path.Combine(directory.Path, "artifacts"), .. extra];
        var exitCode = GateCommand.Run(args, output);
        return (exitCode, output.ToString().ReplaceLineEndings("\n"));
    }

    private static string LastVerdictLine(string output) =>
        output.Split('\n').Last(line => line.StartsWith("Gate ", StringComparison.Ordinal));
}
