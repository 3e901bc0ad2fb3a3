using System.Text.Json;

namespace Gradients.Benchmarks.Gate;

/// <summary>The limits one benchmark at one parameter set must stay within.</summary>
/// <param name="Key">The benchmark and parameter set.</param>
/// <param name="MaxRatio">The largest allowed mean(benchmark) ÷ mean(baseline of the same class and parameter set).</param>
/// <param name="MaxAllocatedBytes">The largest allowed managed allocation per operation, in bytes.</param>
/// <param name="Source">Where the numbers came from (machine, run, margin), for the reviewer.</param>
public sealed record Threshold(BenchmarkKey Key, double MaxRatio, long MaxAllocatedBytes, string Source);

/// <summary>
/// <c>benchmarks/thresholds.json</c>: an object <c>"thresholds"</c> whose property names are benchmark keys
/// (<see cref="BenchmarkKey"/>) and whose values are <c>{ "maxRatio": 1.3, "maxAllocatedBytes": 0, "source": "…" }</c>.
/// Other top-level properties (<c>"$comment"</c>, <c>"$schema"</c>) are ignored.
/// </summary>
public static class ThresholdFile
{
    /// <summary>Reads a thresholds file.</summary>
    /// <exception cref="InvalidDataException">The file breaks the schema; the message names the entry and the field.</exception>
    public static IReadOnlyList<Threshold> Load(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"The thresholds file '{path}' does not exist.", path);
        }

        return Parse(File.ReadAllText(path), path);
    }

    /// <summary>Reads the text of a thresholds file; <paramref name="origin"/> names it in error messages.</summary>
    /// <exception cref="InvalidDataException">The text breaks the schema; the message names the entry and the field.</exception>
    public static IReadOnlyList<Threshold> Parse(string json, string origin = "thresholds.json")
    {
        ArgumentNullException.ThrowIfNull(json);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{origin}: not valid JSON: {e.Message}", e);
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object
                || !document.RootElement.TryGetProperty("thresholds", out var entries)
                || entries.ValueKind != JsonValueKind.Object)
            {
                throw new InvalidDataException($"{origin}: the top level must be an object with a \"thresholds\" object.");
            }

            var thresholds = new List<Threshold>();
            var seen = new Dictionary<BenchmarkKey, string>();
            foreach (var entry in entries.EnumerateObject())
            {
                BenchmarkKey key;
                try
                {
                    key = BenchmarkKey.Parse(entry.Name);
                }
                catch (FormatException e)
                {
                    throw new InvalidDataException($"{origin}: {e.Message}", e);
                }

                // JSON objects may repeat a name and readers keep one silently; spelling variants of a key
                // (parameter order, spaces) are the same benchmark too. Either way one of them would be ignored.
                if (seen.TryGetValue(key, out var first))
                {
                    throw new InvalidDataException($"{origin}: \"{entry.Name}\" and \"{first}\" name the same benchmark; keep one entry.");
                }

                seen.Add(key, entry.Name);
                thresholds.Add(ReadEntry(key, entry, origin));
            }

            return thresholds;
        }
    }

    private static Threshold ReadEntry(BenchmarkKey key, JsonProperty entry, string origin)
    {
        var where = $"{origin}: entry \"{entry.Name}\"";
        if (entry.Value.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidDataException($"{where} must be an object with maxRatio, maxAllocatedBytes and source.");
        }

        foreach (var field in entry.Value.EnumerateObject())
        {
            if (field.Name is not ("maxRatio" or "maxAllocatedBytes" or "source"))
            {
                throw new InvalidDataException($"{where}: unknown field \"{field.Name}\" (expected maxRatio, maxAllocatedBytes, source).");
            }
        }

        if (!entry.Value.TryGetProperty("maxRatio", out var ratio) || ratio.ValueKind != JsonValueKind.Number)
        {
            throw new InvalidDataException($"{where}: \"maxRatio\" must be a number.");
        }

        var maxRatio = ratio.GetDouble();
        if (!(maxRatio > 0) || double.IsInfinity(maxRatio))
        {
            throw new InvalidDataException($"{where}: \"maxRatio\" must be positive and finite, not {ratio.GetRawText()}.");
        }

        if (!entry.Value.TryGetProperty("maxAllocatedBytes", out var bytes)
            || bytes.ValueKind != JsonValueKind.Number
            || !bytes.TryGetInt64(out var maxBytes)
            || maxBytes < 0)
        {
            throw new InvalidDataException($"{where}: \"maxAllocatedBytes\" must be a whole number of bytes ≥ 0.");
        }

        if (!entry.Value.TryGetProperty("source", out var source)
            || source.ValueKind != JsonValueKind.String
            || string.IsNullOrWhiteSpace(source.GetString()))
        {
            throw new InvalidDataException($"{where}: \"source\" must say where the numbers came from (machine, run, margin).");
        }

        return new Threshold(key, maxRatio, maxBytes, source.GetString()!);
    }
}
