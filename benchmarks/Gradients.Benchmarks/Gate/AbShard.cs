using System.Globalization;

namespace Gradients.Benchmarks.Gate;

/// <summary>
/// One of <see cref="Count"/> disjoint parts of the gated methods (<c>ab --shard K/N</c>), so that N runners can
/// each run the A/B gate on a part, each with both builds on its own machine, and together cover every method.
/// </summary>
/// <remarks>
/// Why: on a 2-core runner the first look of every gated method takes about 11–12 of a pull request's 15 minutes,
/// which leaves the further looks (<see cref="AbSequentialPlan"/>) — where a 10 % slowdown is told from noise — only
/// 2–3 minutes. Two shards on two runners halve the first looks and give each shard's further looks about 8 minutes,
/// in the same wall-clock time. Base and head still meet on one machine: a shard is a complete A/B run of its methods.
/// Methods are dealt round-robin in catalog order (method i to shard i mod N + 1), so the heavy neighbours of the
/// catalog (the MSE kernel with one and with two threads) land in different shards, and a shard is the same on
/// every runner for the same catalog.
/// </remarks>
public sealed record AbShard
{
    /// <summary>The most shards a run may be split into.</summary>
    public const int MaxCount = 16;

    /// <summary>Creates shard <paramref name="index"/> of <paramref name="count"/>.</summary>
    /// <param name="index">The shard, 1 ≤ index ≤ count.</param>
    /// <param name="count">The number of shards, 1 ≤ count ≤ <see cref="MaxCount"/>.</param>
    public AbShard(int index, int count)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, MaxCount);
        ArgumentOutOfRangeException.ThrowIfLessThan(index, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(index, count);
        (Index, Count) = (index, count);
    }

    /// <summary>The shard, from 1.</summary>
    public int Index { get; }

    /// <summary>The number of shards.</summary>
    public int Count { get; }

    /// <summary>Reads <c>K/N</c>, e.g. <c>1/2</c>.</summary>
    /// <param name="text">The text of the <c>--shard</c> option.</param>
    /// <exception cref="UsageException">The text is not K/N with 1 ≤ K ≤ N ≤ <see cref="MaxCount"/>.</exception>
    public static AbShard Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parts = text.Split('/');
        if (parts.Length == 2
            && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var index)
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var count)
            && count is >= 1 and <= MaxCount && index >= 1 && index <= count)
        {
            return new AbShard(index, count);
        }

        throw new UsageException($"--shard must be K/N with 1 ≤ K ≤ N ≤ {MaxCount} (e.g. 1/2), not '{text}'.");
    }

    /// <summary>This shard's part of <paramref name="items"/>: the items at positions i with i mod N = K − 1.</summary>
    /// <typeparam name="T">The item type.</typeparam>
    /// <param name="items">Every item, in a fixed order.</param>
    public T[] Select<T>(IReadOnlyList<T> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        return [.. items.Where((_, i) => i % Count == Index - 1)];
    }

    /// <summary><c>K/N</c>.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Index}/{Count}");
}
