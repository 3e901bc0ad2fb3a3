using Gradients;

// Outside the Gradients namespace on purpose: the snippets compile exactly as in a user's project.
namespace ApiReference;

/// <summary>
/// The map/reduce example of docs/distributed.md, run as a test; <c>Gradients.Tests.Docs.DocumentationSnippetTests</c>
/// checks that the page shows exactly this code.
/// </summary>
public sealed class DistributedSnippets
{
    private const int Rows = 2_500;

    /// <summary>A worker's own rows (seeded): X in [−1, 1], labels 0 or 1.</summary>
    private static (double[] Features, double[] Labels) LoadShard(int shard, int dimension)
    {
        var random = new Random(shard);
        var x = Enumerable.Range(0, Rows * dimension).Select(_ => (2 * random.NextDouble()) - 1).ToArray();
        var y = Enumerable.Range(0, Rows).Select(_ => (double)random.Next(2)).ToArray();
        return (x, y);
    }

    [Fact]
    public async Task Map_reduce_with_tasks_equals_the_one_shot_call()
    {
        // begin-snippet: distributed-map-reduce
        // Broadcast: every worker knows the loss and the point (w, b) of this iteration.
        double[] weights = [0.5, -0.25, 1.0];
        const double Intercept = 0.1;
        var options = new LinearModelLossOptions { L2Penalty = 0.01 };

        // Map: each worker adds its own rows and ships its state as bytes (72 + 8·D of them, whatever its row count).
        var workers = Enumerable.Range(0, 4).Select(shard => Task.Run(() =>
        {
            var (features, labels) = LoadShard(shard, weights.Length);
            var state = LinearModelLossAccumulator<double>.ForLogisticLoss(weights, Intercept, options);
            state.Add(features, labels);
            return state.ToByteArray();
        }));
        byte[][] messages = await Task.WhenAll(workers);

        // Reduce: one reducer merges the states, in any order, and reads the loss and gradient of all rows.
        var total = LinearModelLossAccumulator<double>.ForLogisticLoss(weights, Intercept, options);
        foreach (var message in messages)
        {
            total.Merge(message);
        }

        var gradient = new double[weights.Length];
        var loss = total.LossAndGradient(gradient, out var interceptGradient);
        // end-snippet

        // The same rows in one call. Error model: both sides sum the same 10 000 terms (|dᵢxᵢⱼ| ≤ 1, |ℓᵢ| ≤ 3 here:
        // |η| ≤ 1.85) in another association, each within (N + D + 2)·u·Σ|terms| of the exact sum; divided by N
        // that is ≤ 3·(N + D + 2)·u ≈ 3.3e-12 apart from the exact mean per side.
        var x = messages.Select((_, shard) => LoadShard(shard, weights.Length)).ToList();
        var expected = new double[weights.Length];
        var expectedLoss = LogisticLoss.LossAndGradient<double>(
            [.. x.SelectMany(s => s.Features)], [.. x.SelectMany(s => s.Labels)], weights, Intercept, expected, out var expectedIntercept, [], options);
        const double Tolerance = 2 * 3 * (10_000 + 3 + 2) * 1.2e-16;
        Assert.Equal(4 * Rows, total.Count);
        Assert.Equal(expectedLoss, loss, Tolerance);
        Assert.Equal(expectedIntercept, interceptGradient, Tolerance);
        for (var j = 0; j < weights.Length; j++)
        {
            Assert.Equal(expected[j], gradient[j], Tolerance);
        }
    }
}
