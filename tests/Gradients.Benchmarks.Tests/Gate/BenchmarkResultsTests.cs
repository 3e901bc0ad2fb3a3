using Gradients.Benchmarks.Gate;

namespace Gradients.Benchmarks.Tests.Gate;

/// <summary>Reading BenchmarkDotNet's JSON export, which <c>ab</c> and <c>compare</c> rely on, from a real export (Data/).</summary>
public sealed class BenchmarkResultsTests
{
    private static readonly string RealExport = Path.Combine(AppContext.BaseDirectory, "Gate", "Data", "SumBenchmarks-report-full.json");

    [Fact]
    public void A_real_BenchmarkDotNet_export_is_read_with_its_means_medians_and_allocations()
    {
        var measurements = BenchmarkResults.ReadJson([RealExport]);

        Assert.Equal(6, measurements.Count);
        var copy = measurements.Single(m => m.Key.ToString() == "SumBenchmarks<Double>.Copy(Length=1000)");
        Assert.Equal((987.8881099913203, 964.1725666650593, 8024L), (copy.MeanNanoseconds, copy.MedianNanoseconds, copy.AllocatedBytesPerOperation));
        Assert.Equal("Gradients.Benchmarks.Tests.Gate.SumBenchmarks<Double>.Copy(Length=1000)", copy.FullName);
    }

    [Fact]
    public void A_results_directory_is_read_in_one_JSON_flavour_so_no_benchmark_counts_twice()
    {
        using var directory = new TemporaryDirectory();
        File.Copy(RealExport, Path.Combine(directory.Path, "Run-report-full.json"));
        File.Copy(RealExport, Path.Combine(directory.Path, "Run-report-full-compressed.json"));

        var measurements = BenchmarkResults.ReadJson([directory.Path]);

        Assert.Equal(6, measurements.Count);
    }
}
