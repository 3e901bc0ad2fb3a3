using BenchmarkDotNet.Filters;
using BenchmarkDotNet.Running;

namespace Gradients.Benchmarks.Gate;

/// <summary>
/// <c>ab-launch --case NAME</c>: a launch that runs only the named cases of its method — the further launches of
/// <see cref="AbSequentialPlan"/>, which go only to the cases still in doubt. A case is named as the gate's reports
/// name it (<see cref="BenchmarkKey"/>: <c>Type.Method(Name=value, ...)</c>).
/// </summary>
public static class AbCaseFilter
{
    /// <summary>The option of <c>ab-launch</c>, given once per case.</summary>
    public const string Option = "--case";

    /// <summary>The key of <paramref name="benchmarkCase"/>, spelled as BenchmarkDotNet's JSON export spells it.</summary>
    public static BenchmarkKey KeyOf(BenchmarkCase benchmarkCase)
    {
        ArgumentNullException.ThrowIfNull(benchmarkCase);
        return new BenchmarkKey(
            BenchmarkResults.TypeName(benchmarkCase.Descriptor.Type),
            benchmarkCase.Descriptor.WorkloadMethod.Name,
            BenchmarkKey.ParseBenchmarkDotNetParameters(benchmarkCase.Parameters.PrintInfo));
    }

    /// <summary>A filter that keeps the cases named in <paramref name="names"/> and no other.</summary>
    /// <exception cref="UsageException">A name is not of the form <c>Type.Method(Name=value, ...)</c>.</exception>
    public static IFilter For(IEnumerable<string> names)
    {
        ArgumentNullException.ThrowIfNull(names);
        var keys = new HashSet<BenchmarkKey>();
        foreach (var name in names)
        {
            try
            {
                keys.Add(BenchmarkKey.Parse(name));
            }
            catch (FormatException e)
            {
                throw new UsageException($"{Option} '{name}': {e.Message}", e);
            }
        }

        return new SimpleFilter(benchmarkCase => keys.Contains(KeyOf(benchmarkCase)));
    }
}
