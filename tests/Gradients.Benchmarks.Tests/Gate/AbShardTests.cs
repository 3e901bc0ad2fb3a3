using Gradients.Benchmarks.Gate;

namespace Gradients.Benchmarks.Tests.Gate;

/// <summary><c>ab --shard K/N</c>: the shards of a catalog are disjoint, cover it, and stay the same from run to run.</summary>
public sealed class AbShardTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(5)]
    public void The_shards_of_the_gated_methods_are_disjoint_and_cover_every_method(int count)
    {
        var gated = BenchmarkCatalog.Find(typeof(AbCommand).Assembly).Where(m => m.IsGated).ToArray();

        var shards = Enumerable.Range(1, count).Select(k => new AbShard(k, count).Select(gated)).ToArray();

        Assert.Equal(gated.Length, shards.Sum(s => s.Length));
        Assert.Equal(gated.OrderBy(m => m.DisplayName), shards.SelectMany(s => s).OrderBy(m => m.DisplayName));
        Assert.All(shards, s => Assert.InRange(s.Length, gated.Length / count, (gated.Length / count) + 1)); // round-robin: sizes differ by at most one
    }

    [Fact]
    public void Neighbours_in_the_catalog_go_to_different_shards()
    {
        // The two heaviest methods, the MSE kernel with one and with two threads, are neighbours in the catalog.
        var gated = BenchmarkCatalog.Find(typeof(AbCommand).Assembly).Where(m => m.IsGated).ToArray();
        var oneThread = Array.FindIndex(gated, m => m.DisplayName == "MeanSquaredErrorBenchmarks<T>.LossAndGradient");
        var twoThreads = Array.FindIndex(gated, m => m.DisplayName == "MeanSquaredErrorBenchmarks<T>.LossAndGradientTwoThreads");

        Assert.Equal(1, Math.Abs(oneThread - twoThreads));
        Assert.NotEqual(new AbShard(1, 2).Select(gated).Contains(gated[oneThread]), new AbShard(1, 2).Select(gated).Contains(gated[twoThreads]));
    }

    [Theory]
    [InlineData("1/2", 1, 2)]
    [InlineData("2/2", 2, 2)]
    [InlineData("1/1", 1, 1)]
    [InlineData("16/16", 16, 16)]
    public void Parses_k_of_n(string text, int index, int count)
    {
        var shard = AbShard.Parse(text);

        Assert.Equal((index, count), (shard.Index, shard.Count));
        Assert.Equal(text, shard.ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("2")]
    [InlineData("0/2")]
    [InlineData("3/2")]
    [InlineData("1/0")]
    [InlineData("1/17")]
    [InlineData("-1/2")]
    [InlineData("1/2/3")]
    [InlineData(" 1/2")]
    public void Refuses_anything_else_with_a_usage_error_that_shows_the_form(string text)
    {
        var error = Assert.Throws<UsageException>(() => AbShard.Parse(text));

        Assert.Contains("K/N", error.Message, StringComparison.Ordinal);
        Assert.Contains($"'{text}'", error.Message, StringComparison.Ordinal);
    }
}
