using Gradients.Benchmarks.Gate;

namespace Gradients.Benchmarks.Tests.Gate;

public sealed class ThresholdFileTests
{
    [Fact]
    public void Parse_reads_every_entry_and_ignores_comments()
    {
        const string json = """
            {
              "$comment": "ratios to the in-run baseline",
              // JSON with comments, as editors allow
              "thresholds": {
                "Mse<Double>.Kernel(Samples=50, Features=4)": { "maxRatio": 0.35, "maxAllocatedBytes": 0, "source": "run A × 1.5" },
                "Fd.Gradient(N=10)": { "maxRatio": 2, "maxAllocatedBytes": 64, "source": "run B × 1.5" },
              }
            }
            """;

        var thresholds = ThresholdFile.Parse(json);

        Assert.Equal(2, thresholds.Count);
        Assert.Equal(new Threshold(BenchmarkKey.Parse("Mse<Double>.Kernel(Features=4, Samples=50)"), 0.35, 0, "run A × 1.5"), thresholds[0]);
        Assert.Equal((2.0, 64L, "run B × 1.5"), (thresholds[1].MaxRatio, thresholds[1].MaxAllocatedBytes, thresholds[1].Source));
    }

    [Theory]
    [InlineData("""{ "maxAllocatedBytes": 0, "source": "s" }""", "maxRatio")]
    [InlineData("""{ "maxRatio": "1.2", "maxAllocatedBytes": 0, "source": "s" }""", "maxRatio")]
    [InlineData("""{ "maxRatio": 0, "maxAllocatedBytes": 0, "source": "s" }""", "maxRatio")]
    [InlineData("""{ "maxRatio": -1, "maxAllocatedBytes": 0, "source": "s" }""", "maxRatio")]
    [InlineData("""{ "maxRatio": 1.2, "source": "s" }""", "maxAllocatedBytes")]
    [InlineData("""{ "maxRatio": 1.2, "maxAllocatedBytes": 1.5, "source": "s" }""", "maxAllocatedBytes")]
    [InlineData("""{ "maxRatio": 1.2, "maxAllocatedBytes": -8, "source": "s" }""", "maxAllocatedBytes")]
    [InlineData("""{ "maxRatio": 1.2, "maxAllocatedBytes": 0 }""", "source")]
    [InlineData("""{ "maxRatio": 1.2, "maxAllocatedBytes": 0, "source": " " }""", "source")]
    [InlineData("""{ "maxRatio": 1.2, "maxAllocatedBytes": 0, "source": "s", "maxRatoi": 1 }""", "maxRatoi")]
    [InlineData("""1.2""", "maxRatio, maxAllocatedBytes and source")]
    public void Parse_rejects_an_entry_naming_the_entry_and_the_field(string entry, string field)
    {
        var json = $$"""{ "thresholds": { "Fd.Gradient(N=10)": {{entry}} } }""";

        var error = Assert.Throws<InvalidDataException>(() => ThresholdFile.Parse(json, "my-thresholds.json"));

        Assert.Contains("my-thresholds.json", error.Message, StringComparison.Ordinal);
        Assert.Contains("Fd.Gradient(N=10)", error.Message, StringComparison.Ordinal);
        Assert.Contains(field, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_rejects_two_spellings_of_one_benchmark()
    {
        const string json = """
            { "thresholds": {
                "Mse.Kernel(A=1, B=2)": { "maxRatio": 1, "maxAllocatedBytes": 0, "source": "s" },
                "Mse.Kernel(B=2,A=1)": { "maxRatio": 9, "maxAllocatedBytes": 0, "source": "s" } } }
            """;

        var error = Assert.Throws<InvalidDataException>(() => ThresholdFile.Parse(json));

        Assert.Contains("name the same benchmark", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{ "thresholds": [] }""")]
    [InlineData("""{ }""")]
    [InlineData("""[]""")]
    [InlineData("""{ "thresholds": { """)]
    [InlineData("""{ "thresholds": { "NoMethod": { "maxRatio": 1, "maxAllocatedBytes": 0, "source": "s" } } }""")]
    public void Parse_rejects_files_that_break_the_schema(string json)
    {
        Assert.Throws<InvalidDataException>(() => ThresholdFile.Parse(json));
    }

    [Fact]
    public void The_checked_in_thresholds_file_parses()
    {
        var path = Path.Combine(RepositoryPaths.Root, "benchmarks", "thresholds.json");

        var thresholds = ThresholdFile.Load(path);

        Assert.All(thresholds, t => Assert.False(string.IsNullOrWhiteSpace(t.Source)));
    }
}
