using System.Globalization;
using System.Text.Json;

namespace Gradients.Benchmarks.Gate;

/// <summary>
/// Reads the JSON files BenchmarkDotNet's exporter wrote (<c>*-report-full.json</c>, <c>*-report-brief.json</c>, …)
/// into <see cref="BenchmarkMeasurement"/>s.
/// </summary>
public static class BenchmarkResults
{
    // The JSON exports, richest first: a directory is read in the first flavour it holds.
    private static readonly string[] JsonFlavours =
        ["*-report-full.json", "*-report-full-compressed.json", "*-report-brief.json", "*-report-brief-compressed.json", "*.json"];

    /// <summary>
    /// Reads BenchmarkDotNet JSON result files. A directory stands for its JSON exports of one flavour (see
    /// <see cref="ExpandPaths"/>).
    /// </summary>
    /// <exception cref="InvalidDataException">A file is not a BenchmarkDotNet JSON export.</exception>
    public static IReadOnlyList<BenchmarkMeasurement> ReadJson(IEnumerable<string> paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var measurements = new List<BenchmarkMeasurement>();
        foreach (var file in ExpandPaths(paths))
        {
            measurements.AddRange(ReadJsonFile(file));
        }

        return measurements;
    }

    /// <summary>
    /// The files a list of paths stands for: files as given, a directory as its JSON exports of one flavour (the
    /// first of <c>*-report-full.json</c>, <c>*-report-full-compressed.json</c>, <c>*-report-brief.json</c>, … it holds).
    /// </summary>
    /// <exception cref="FileNotFoundException">A path is neither a file nor a directory, or a directory holds no JSON.</exception>
    public static IReadOnlyList<string> ExpandPaths(IEnumerable<string> paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var files = new List<string>();
        foreach (var path in paths)
        {
            if (Directory.Exists(path))
            {
                // BenchmarkDotNet may have written one run in several JSON flavours; read one flavour only.
                var found = JsonFlavours
                    .Select(pattern => Directory.GetFiles(path, pattern).Order(StringComparer.Ordinal).ToArray())
                    .FirstOrDefault(files => files.Length > 0) ?? [];
                if (found.Length == 0)
                {
                    throw new FileNotFoundException($"The results directory '{path}' holds no *.json file.", path);
                }

                files.AddRange(found);
            }
            else if (File.Exists(path))
            {
                files.Add(path);
            }
            else
            {
                throw new FileNotFoundException($"The results path '{path}' is neither a file nor a directory.", path);
            }
        }

        return files;
    }

    /// <summary>The class name as BenchmarkDotNet prints it: <c>Name</c>, or <c>Name&lt;Double&gt;</c> for a closed generic class.</summary>
    public static string TypeName(Type type)
    {
        ArgumentNullException.ThrowIfNull(type);
        if (!type.IsGenericType)
        {
            return type.Name;
        }

        var name = type.Name[..type.Name.IndexOf('`', StringComparison.Ordinal)];
        return $"{name}<{string.Join(", ", type.GetGenericArguments().Select(TypeName))}>";
    }

    private static List<BenchmarkMeasurement> ReadJsonFile(string file)
    {
        using var stream = File.OpenRead(file);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(stream);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"'{file}' is not JSON: {e.Message}", e);
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object
                || !document.RootElement.TryGetProperty("Benchmarks", out var benchmarks)
                || benchmarks.ValueKind != JsonValueKind.Array)
            {
                throw new InvalidDataException($"'{file}' is not a BenchmarkDotNet JSON export: it has no \"Benchmarks\" array.");
            }

            var measurements = new List<BenchmarkMeasurement>();
            foreach (var benchmark in benchmarks.EnumerateArray())
            {
                var type = RequiredString(benchmark, "Type", file);
                var method = RequiredString(benchmark, "Method", file);
                var ns = OptionalString(benchmark, "Namespace") ?? "";
                var parameters = BenchmarkKey.ParseBenchmarkDotNetParameters(OptionalString(benchmark, "Parameters"));
                measurements.Add(new BenchmarkMeasurement(
                    new BenchmarkKey(type, method, parameters),
                    ns,
                    Statistic(benchmark, "Mean"),
                    Statistic(benchmark, "Median"),
                    AllocatedBytes(benchmark, "BytesAllocatedPerOperation"))
                {
                    CallingThreadBytesPerOperation = AllocatedBytes(benchmark, CallingThreadAllocations.JsonProperty),
                });
            }

            return measurements;
        }
    }

    private static string RequiredString(JsonElement element, string name, string file) =>
        OptionalString(element, name)
        ?? throw new InvalidDataException($"'{file}': a benchmark entry has no \"{name}\" string.");

    private static string? OptionalString(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    // BenchmarkDotNet writes "Statistics": null for a benchmark that failed, and "" in place of NaN.
    private static double? Statistic(JsonElement benchmark, string name) =>
        benchmark.TryGetProperty("Statistics", out var statistics)
        && statistics.ValueKind == JsonValueKind.Object
        && statistics.TryGetProperty(name, out var value)
        && value.ValueKind == JsonValueKind.Number
            ? value.GetDouble()
            : null;

    private static long? AllocatedBytes(JsonElement benchmark, string property)
    {
        if (!benchmark.TryGetProperty("Memory", out var memory)
            || memory.ValueKind != JsonValueKind.Object
            || !memory.TryGetProperty(property, out var bytes))
        {
            return null;
        }

        return bytes.ValueKind switch
        {
            JsonValueKind.Number when bytes.TryGetInt64(out var whole) => whole,
            JsonValueKind.Number => (long)Math.Ceiling(bytes.GetDouble()),
            JsonValueKind.String when long.TryParse(bytes.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed) => parsed,
            _ => null,
        };
    }
}
