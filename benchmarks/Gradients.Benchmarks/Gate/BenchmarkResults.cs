using System.Globalization;
using System.Reflection;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Reports;

namespace Gradients.Benchmarks.Gate;

/// <summary>
/// Turns BenchmarkDotNet results into <see cref="BenchmarkMeasurement"/>s: from the <see cref="Summary"/> of a run
/// in this process, or from the JSON files its exporter wrote (<c>*-report-full.json</c>, <c>*-report-brief.json</c>).
/// </summary>
public static class BenchmarkResults
{
    // The JSON exports, richest first: a directory is read in the first flavour it holds.
    private static readonly string[] JsonFlavours =
        ["*-report-full.json", "*-report-full-compressed.json", "*-report-brief.json", "*-report-brief-compressed.json", "*.json"];

    /// <summary>The measurements of a run that just finished, read from BenchmarkDotNet's public API.</summary>
    public static IReadOnlyList<BenchmarkMeasurement> FromSummaries(IEnumerable<Summary> summaries)
    {
        ArgumentNullException.ThrowIfNull(summaries);
        var measurements = new List<BenchmarkMeasurement>();
        foreach (var summary in summaries)
        {
            foreach (var report in summary.Reports)
            {
                var benchmark = report.BenchmarkCase;
                var descriptor = benchmark.Descriptor;
                var key = new BenchmarkKey(
                    TypeName(descriptor.Type),
                    descriptor.WorkloadMethod.Name,
                    BenchmarkKey.ParseBenchmarkDotNetParameters(benchmark.Parameters.PrintInfo));
                var statistics = report.Success ? report.ResultStatistics : null;
                measurements.Add(new BenchmarkMeasurement(
                    key,
                    descriptor.Type.Namespace ?? "",
                    descriptor.Categories,
                    descriptor.Baseline,
                    statistics?.Mean,
                    statistics?.Median,
                    report.Success ? report.GcStats.GetBytesAllocatedPerOperation(benchmark) : null));
            }
        }

        return measurements;
    }

    /// <summary>
    /// Reads BenchmarkDotNet JSON result files. A directory stands for every <c>*.json</c> file in it. The JSON does
    /// not say which method is the baseline; <paramref name="declarations"/> finds out from the benchmark classes.
    /// </summary>
    /// <exception cref="InvalidDataException">A file is not a BenchmarkDotNet JSON export.</exception>
    public static IReadOnlyList<BenchmarkMeasurement> ReadJson(IEnumerable<string> paths, BenchmarkDeclarations declarations)
    {
        ArgumentNullException.ThrowIfNull(paths);
        ArgumentNullException.ThrowIfNull(declarations);
        var measurements = new List<BenchmarkMeasurement>();
        foreach (var file in ExpandPaths(paths))
        {
            measurements.AddRange(ReadJsonFile(file, declarations));
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

    private static List<BenchmarkMeasurement> ReadJsonFile(string file, BenchmarkDeclarations declarations)
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
                var declaration = declarations.Find(ns, type, method);
                measurements.Add(new BenchmarkMeasurement(
                    new BenchmarkKey(type, method, parameters),
                    ns,
                    declaration?.Categories ?? [],
                    declaration?.IsBaseline ?? false,
                    Statistic(benchmark, "Mean"),
                    Statistic(benchmark, "Median"),
                    AllocatedBytes(benchmark)));
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

    private static long? AllocatedBytes(JsonElement benchmark)
    {
        if (!benchmark.TryGetProperty("Memory", out var memory)
            || memory.ValueKind != JsonValueKind.Object
            || !memory.TryGetProperty("BytesAllocatedPerOperation", out var bytes))
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

/// <summary>Whether a benchmark method is a baseline, and its categories, as declared by its attributes.</summary>
/// <param name="IsBaseline"><c>[Benchmark(Baseline = true)]</c>.</param>
/// <param name="Categories">The <c>[BenchmarkCategory]</c> names on the method and its class.</param>
public sealed record BenchmarkDeclaration(bool IsBaseline, IReadOnlyList<string> Categories);

/// <summary>
/// Finds benchmark methods by the names BenchmarkDotNet's JSON gives them (namespace, printed type name, method),
/// searching the given assemblies (by default every assembly loaded in the process, which includes this one).
/// </summary>
public sealed class BenchmarkDeclarations
{
    private readonly Lazy<ILookup<string, Type>> _typesByName;

    /// <summary>Searches the given assemblies (those that reference BenchmarkDotNet's attributes).</summary>
    public BenchmarkDeclarations(IEnumerable<Assembly> assemblies)
    {
        ArgumentNullException.ThrowIfNull(assemblies);
        var candidates = assemblies.Distinct().ToArray();
        _typesByName = new Lazy<ILookup<string, Type>>(() => candidates
            .Where(DeclaresBenchmarks)
            .SelectMany(LoadableTypes)
            .ToLookup(t => $"{t.Namespace}.{t.Name}", StringComparer.Ordinal));
    }

    /// <summary>Searches this benchmark assembly and every other assembly loaded in the process.</summary>
    public static BenchmarkDeclarations FromLoadedAssemblies() =>
        new([typeof(BenchmarkDeclarations).Assembly, .. AppDomain.CurrentDomain.GetAssemblies()]);

    /// <summary>The declaration of <paramref name="method"/>, or <see langword="null"/> when no such benchmark method is found.</summary>
    public BenchmarkDeclaration? Find(string ns, string printedTypeName, string method)
    {
        // "Name<Double, Int32>" is the generic type "Name`2": compare the plain name and the number of arguments.
        var open = printedTypeName.IndexOf('<', StringComparison.Ordinal);
        var plainName = open < 0 ? printedTypeName : printedTypeName[..open];
        var arity = open < 0 ? 0 : TopLevelArgumentCount(printedTypeName[(open + 1)..]);
        var clrName = arity == 0 ? plainName : $"{plainName}`{arity}";

        foreach (var type in _typesByName.Value[$"{ns}.{clrName}"])
        {
            foreach (var candidate in type.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static))
            {
                var attribute = candidate.Name == method ? candidate.GetCustomAttribute<BenchmarkAttribute>() : null;
                if (attribute is not null)
                {
                    var categories = candidate.GetCustomAttributes<BenchmarkCategoryAttribute>()
                        .Concat(type.GetCustomAttributes<BenchmarkCategoryAttribute>())
                        .SelectMany(c => c.Categories)
                        .Distinct(StringComparer.Ordinal)
                        .ToArray();
                    return new BenchmarkDeclaration(attribute.Baseline, categories);
                }
            }
        }

        return null;
    }

    private static int TopLevelArgumentCount(string arguments)
    {
        var (count, depth) = (1, 0);
        foreach (var c in arguments)
        {
            depth += c switch { '<' => 1, '>' => -1, _ => 0 };
            count += c == ',' && depth == 0 ? 1 : 0;
        }

        return count;
    }

    private static bool DeclaresBenchmarks(Assembly assembly) =>
        !assembly.IsDynamic
        && (assembly == typeof(BenchmarkAttribute).Assembly
            || assembly.GetReferencedAssemblies().Any(a => a.Name == typeof(BenchmarkAttribute).Assembly.GetName().Name));

    private static IEnumerable<Type> LoadableTypes(Assembly assembly)
    {
        if (assembly.IsDynamic)
        {
            return [];
        }

        try
        {
            return assembly.GetTypes();
        }
        catch (ReflectionTypeLoadException e)
        {
            return e.Types.OfType<Type>();
        }
    }
}
