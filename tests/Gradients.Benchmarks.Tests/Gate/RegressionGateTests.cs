using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Gradients.Benchmarks.Gate;

namespace Gradients.Benchmarks.Tests.Gate;

public sealed class RegressionGateTests
{
    private const string Sum = "SumBenchmarks<Double>";

    // Times per operation from 1 ns to 1 s, every decade equally likely.
    private static readonly Gen<double> Nanoseconds =
        Gen.Choose(0, 9000).Select(millis => Math.Pow(10, millis / 1000.0));

    private static readonly double Epsilon = double.BitIncrement(1.0) - 1.0;

    [Property]
    public Property Ratio_is_mean_over_baseline_mean_and_does_not_drift_with_the_runner() =>
        Prop.ForAll(Nanoseconds.ToArbitrary(), Nanoseconds.ToArbitrary(), Gen.Choose(1, 400).Select(p => p / 100.0).ToArbitrary(), (kernel, baseline, drift) =>
        {
            var k = Result("Tensor", "Length=10", kernel).ToMeasurement();
            var b = Result("Scalar", "Length=10", baseline) with { IsBaseline = true };
            var slowRunner = (k with { MeanNanoseconds = kernel * drift }, b.ToMeasurement() with { MeanNanoseconds = baseline * drift });

            var ratio = RegressionGate.Ratio(k, b.ToMeasurement())!.Value;
            var drifted = RegressionGate.Ratio(slowRunner.Item1, slowRunner.Item2)!.Value;

            // The quotient rounds once (≤ ε/2 relative); on the drifted runner the two products round once more
            // each, so the two ratios differ by at most about 2ε relative (Higham, §2.2): 4ε is a safe bound.
            return Math.Abs(ratio - kernel / baseline) <= Epsilon * ratio
                && Math.Abs(drifted - ratio) <= 4 * Epsilon * ratio;
        });

    [Fact]
    public void Each_benchmark_is_divided_by_the_baseline_of_its_own_parameter_set()
    {
        var measurements = SumRun(kernelSmall: 300, kernelLarge: 20_000);

        var report = RegressionGate.Evaluate(measurements, Thresholds(measurements, maxRatio: 10), partialRun: false);

        Assert.Equal(0.3, RatioOf(report, "Tensor", "Length=1000"), 12);
        Assert.Equal(0.2, RatioOf(report, "Tensor", "Length=100000"), 12);
        Assert.Equal(1.0, RatioOf(report, "Scalar", "Length=1000"));
        Assert.True(report.Passed);
        Assert.Equal(GateReport.PassedExitCode, report.ExitCode);
    }

    [Fact]
    public void A_ratio_above_its_threshold_fails_and_one_at_its_threshold_passes()
    {
        var measurements = SumRun(kernelSmall: 300, kernelLarge: 20_000);
        var thresholds = Thresholds(measurements, maxRatio: 10)
            .Select(t => t.Key.Method == "Tensor" ? t with { MaxRatio = t.Key.ParameterText == "Length=1000" ? 0.3 : 0.19 } : t)
            .ToArray();

        var report = RegressionGate.Evaluate(measurements, thresholds, partialRun: false);

        var failed = Assert.Single(report.FailedRows);
        Assert.Equal(("Tensor", "Length=100000"), (failed.Measurement.Key.Method, failed.Measurement.Key.ParameterText));
        Assert.Equal([GateFinding.RatioAboveThreshold], failed.Findings);
        Assert.Equal(GateReport.FailedExitCode, report.ExitCode);
        Assert.Contains("FAIL: ratio 0.200 > 0.19", report.ToMarkdown(), StringComparison.Ordinal);
    }

    [Fact]
    public void An_allocation_above_its_threshold_fails_beyond_the_noise_tolerance()
    {
        // Threshold 0 B for Tensor: 12 B/op is BenchmarkDotNet's averaging noise (tolerated, 16 B), while 24 B/op —
        // the smallest managed object — is a real allocation per operation.
        var noisy = SumRun(kernelSmall: 300, kernelLarge: 20_000, allocated: 12);
        var allocating = SumRun(kernelSmall: 300, kernelLarge: 20_000, allocated: 24);
        var thresholds = Thresholds(noisy, maxRatio: 10).Select(t => t.Key.Method == "Tensor" ? t with { MaxAllocatedBytes = 0 } : t).ToArray();

        var passing = RegressionGate.Evaluate(noisy, thresholds, partialRun: false);
        var failing = RegressionGate.Evaluate(allocating, thresholds, partialRun: false);

        Assert.Equal(16, RegressionGate.AllocationToleranceBytes);
        Assert.True(passing.Passed);
        Assert.Equal(2, failing.FailedRows.Count);
        Assert.All(failing.FailedRows, r => Assert.Equal([GateFinding.AllocationAboveThreshold], r.Findings));
        Assert.Contains("allocates 24 B > 0 B + 16 B", failing.ToMarkdown(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_measured_benchmark_without_a_threshold_fails()
    {
        var measurements = SumRun(kernelSmall: 300, kernelLarge: 20_000);
        var thresholds = Thresholds(measurements, maxRatio: 10).Where(t => t.Key.ToString() != "SumBenchmarks<Double>.Tensor(Length=1000)").ToArray();

        var report = RegressionGate.Evaluate(measurements, thresholds, partialRun: true);

        var failed = Assert.Single(report.FailedRows);
        Assert.Equal([GateFinding.NoThreshold], failed.Findings);
        Assert.False(report.Passed);
    }

    [Fact]
    public void A_threshold_matching_no_benchmark_fails_a_full_run_but_not_a_filtered_one()
    {
        var measurements = SumRun(kernelSmall: 300, kernelLarge: 20_000);
        var stale = new Threshold(BenchmarkKey.Parse("SumBenchmarks<Double>.Renamed(Length=1000)"), 1, 0, "old run");
        var thresholds = Thresholds(measurements, maxRatio: 10).Append(stale).ToArray();

        var full = RegressionGate.Evaluate(measurements, thresholds, partialRun: false);
        var filtered = RegressionGate.Evaluate(measurements, thresholds, partialRun: true);

        Assert.Equal([stale], full.UnmatchedThresholds);
        Assert.Empty(full.FailedRows);
        Assert.False(full.Passed);
        Assert.Contains("STALE THRESHOLDS", full.ToMarkdown(), StringComparison.Ordinal);
        Assert.True(filtered.Passed);
    }

    [Fact]
    public void A_failed_benchmark_and_a_class_without_baseline_fail()
    {
        SyntheticResult[] results =
        [
            Result("Scalar", "Length=10", 100) with { IsBaseline = true },
            Result("Tensor", "Length=10", 10) with { Failed = true },
            Result("Lonely", "", 10) with { Type = "NoBaselineBenchmarks" },
        ];
        var measurements = results.Select(r => r.ToMeasurement()).ToArray();
        var thresholds = measurements.Select(m => new Threshold(m.Key, 10, 0, "test")).ToArray();

        var report = RegressionGate.Evaluate(measurements, thresholds, partialRun: false);

        Assert.Equal([GateFinding.NoResult], report.Rows.Single(r => r.Measurement.Key.Method == "Tensor").Findings);
        Assert.Equal([GateFinding.NoBaseline], report.Rows.Single(r => r.Measurement.Key.Method == "Lonely").Findings);
        Assert.Equal(2, report.FailedRows.Count);
    }

    [Fact]
    public void With_a_baseline_per_category_each_benchmark_is_divided_by_its_categorys_baseline()
    {
        BenchmarkMeasurement[] measurements =
        [
            (Result("ScalarDouble", "", 100) with { IsBaseline = true }).ToMeasurement("Double"),
            (Result("ScalarSingle", "", 50) with { IsBaseline = true }).ToMeasurement("Single"),
            Result("KernelDouble", "", 20).ToMeasurement("Double"),
            Result("KernelSingle", "", 20).ToMeasurement("Single"),
            Result("Uncategorized", "", 20).ToMeasurement(),
        ];

        var report = RegressionGate.Evaluate(measurements, measurements.Select(m => new Threshold(m.Key, 10, 0, "t")).ToArray(), partialRun: false);

        Assert.Equal(0.2, RatioOf(report, "KernelDouble", ""), 12);
        Assert.Equal(0.4, RatioOf(report, "KernelSingle", ""), 12);
        Assert.Equal([GateFinding.AmbiguousBaseline], report.Rows.Single(r => r.Measurement.Key.Method == "Uncategorized").Findings);
    }

    [Fact]
    public void Two_results_with_one_key_fail_because_no_threshold_can_tell_them_apart()
    {
        BenchmarkMeasurement[] measurements =
        [
            (Result("Scalar", "", 100) with { IsBaseline = true }).ToMeasurement(),
            (Result("Scalar", "", 100) with { IsBaseline = true, Namespace = "Other" }).ToMeasurement(),
        ];

        var report = RegressionGate.Evaluate(measurements, [new Threshold(measurements[0].Key, 10, 0, "t")], partialRun: false);

        Assert.All(report.Rows, r => Assert.Contains(GateFinding.DuplicateResult, r.Findings));
    }

    [Fact]
    public void A_rerun_clears_a_ratio_that_was_high_once_but_not_one_that_stays_high()
    {
        var firstRun = SumRun(kernelSmall: 400, kernelLarge: 40_000); // both Tensor ratios 0.4
        var thresholds = Thresholds(firstRun, maxRatio: 10).Select(t => t.Key.Method == "Tensor" ? t with { MaxRatio = 0.3 } : t).ToArray();

        // The re-run measures only the failing benchmarks and their baselines: at Length=1000 the burst of load
        // is gone (0.25), at Length=100000 the kernel is still slow (0.35); the baseline ran at a different speed.
        BenchmarkMeasurement[] rerun =
        [
            (Result("Scalar", "Length=1000", 1200) with { IsBaseline = true }).ToMeasurement(),
            Result("Tensor", "Length=1000", 300).ToMeasurement(),
            (Result("Scalar", "Length=100000", 80_000) with { IsBaseline = true }).ToMeasurement(),
            Result("Tensor", "Length=100000", 28_000).ToMeasurement(),
        ];

        var once = RegressionGate.Evaluate(firstRun, thresholds, partialRun: false);
        var twice = RegressionGate.EvaluateAttempts([firstRun, rerun], thresholds, partialRun: false);

        Assert.Equal(2, once.FailedRows.Count);
        var failed = Assert.Single(twice.FailedRows);
        Assert.Equal(("Length=100000", 0.35, 2), (failed.Measurement.Key.ParameterText, Math.Round(failed.Ratio!.Value, 12), failed.Attempts));
        Assert.Equal(0.25, RatioOf(twice, "Tensor", "Length=1000"), 12);
        Assert.Equal(1, twice.Rows.Single(r => r.Measurement.Key.Method == "Copy" && r.Measurement.Key.ParameterText == "Length=1000").Attempts);
        Assert.Contains("0.350 (best of 2)", twice.ToMarkdown(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_rerun_clears_an_allocation_that_showed_once_but_not_one_that_recurs()
    {
        // The full run: both Tensor cases show 169 B/op against a 0 B ceiling. In the re-run, Length=1000 allocates
        // nothing (the bytes were a background thread's, spread over one iteration) and Length=100000 still
        // allocates 48 B/op: a real allocation recurs in every attempt.
        var firstRun = SumRun(kernelSmall: 300, kernelLarge: 30_000, allocated: 169);
        var thresholds = Thresholds(firstRun, maxRatio: 10).Select(t => t.Key.Method == "Tensor" ? t with { MaxAllocatedBytes = 0 } : t).ToArray();
        BenchmarkMeasurement[] rerun =
        [
            (Result("Scalar", "Length=1000", 1000) with { IsBaseline = true }).ToMeasurement(),
            Result("Tensor", "Length=1000", 300, allocated: 0).ToMeasurement(),
            (Result("Scalar", "Length=100000", 100_000) with { IsBaseline = true }).ToMeasurement(),
            Result("Tensor", "Length=100000", 30_000, allocated: 48).ToMeasurement(),
        ];

        var once = RegressionGate.Evaluate(firstRun, thresholds, partialRun: false);
        var twice = RegressionGate.EvaluateAttempts([firstRun, rerun], thresholds, partialRun: false);

        Assert.Equal(2, once.Rows.Count(r => r.Findings.Contains(GateFinding.AllocationAboveThreshold)));
        var failed = Assert.Single(twice.FailedRows);
        Assert.Equal(("Length=100000", 48L, 2), (failed.Measurement.Key.ParameterText, failed.AllocatedBytesPerOperation, failed.Attempts));
        Assert.Equal(0L, twice.Rows.Single(r => r.Measurement.Key.Method == "Tensor" && r.Measurement.Key.ParameterText == "Length=1000").AllocatedBytesPerOperation);
        Assert.Contains("allocates 48 B > 0 B + 16 B", twice.ToMarkdown(), StringComparison.Ordinal);
    }

    [Fact]
    public void Nothing_measured_fails()
    {
        var report = RegressionGate.Evaluate([], [], partialRun: true);

        Assert.False(report.Passed);
        Assert.Contains("no benchmark was measured", report.Conclusion(), StringComparison.Ordinal);
    }

    [Fact]
    public void Suggested_thresholds_are_the_measured_figures_times_the_margin_and_the_run_passes_them()
    {
        var measurements = SumRun(kernelSmall: 300, kernelLarge: 20_000, allocated: 24);
        var report = RegressionGate.Evaluate(measurements, [], partialRun: false);

        var suggested = ThresholdFile.Parse(RegressionGate.SuggestThresholds(report, 1.5, "test run"));

        Assert.Equal(measurements.Length, suggested.Count);
        var tensor = suggested.Single(t => t.Key.ToString() == "SumBenchmarks<Double>.Tensor(Length=1000)");
        Assert.Equal((0.45, 36L), (tensor.MaxRatio, tensor.MaxAllocatedBytes));
        Assert.StartsWith("test run: measured ratio 0.300, 24 B/op", tensor.Source, StringComparison.Ordinal);
        Assert.True(RegressionGate.Evaluate(measurements, suggested, partialRun: false).Passed);
    }

    internal static SyntheticResult Result(string method, string parameters, double mean, long allocated = 0) =>
        new(Sum, method, parameters, mean, allocated);

    /// <summary>
    /// A run of <see cref="SumBenchmarks{T}"/>: Scalar (baseline) at 1000 and 100,000 ns, Tensor at the given times,
    /// Copy at 1.2× and 5× its baseline.
    /// </summary>
    internal static BenchmarkMeasurement[] SumRun(double kernelSmall, double kernelLarge, long allocated = 0) =>
    [
        (Result("Scalar", "Length=1000", 1000) with { IsBaseline = true }).ToMeasurement(),
        Result("Tensor", "Length=1000", kernelSmall, allocated).ToMeasurement(),
        Result("Copy", "Length=1000", 1200, 8024).ToMeasurement(),
        (Result("Scalar", "Length=100000", 100_000) with { IsBaseline = true }).ToMeasurement(),
        Result("Tensor", "Length=100000", kernelLarge, allocated).ToMeasurement(),
        Result("Copy", "Length=100000", 500_000, 800_024).ToMeasurement(),
    ];

    private static Threshold[] Thresholds(IEnumerable<BenchmarkMeasurement> measurements, double maxRatio) =>
        measurements.Select(m => new Threshold(m.Key, maxRatio, m.AllocatedBytesPerOperation ?? 0, "test")).ToArray();

    private static double RatioOf(GateReport report, string method, string parameters) =>
        report.Rows.Single(r => r.Measurement.Key.Method == method && r.Measurement.Key.ParameterText == parameters.Replace("&", ", ", StringComparison.Ordinal)).Ratio!.Value;
}
