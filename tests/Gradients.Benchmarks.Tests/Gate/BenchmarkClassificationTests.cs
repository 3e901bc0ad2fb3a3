using System.Reflection;
using BenchmarkDotNet.Attributes;
using Gradients.Benchmarks.Gate;

namespace Gradients.Benchmarks.Tests.Gate;

/// <summary>
/// Every benchmark method is either gated (the default) or a <c>[Reference]</c> row, and the list of which is which
/// is approved in <c>BenchmarkClassification.approved.txt</c>: a new benchmark, or a changed role, fails this test
/// until the list is updated, so the choice is made on purpose and shows up in review.
/// </summary>
public sealed class BenchmarkClassificationTests
{
    private static readonly string ApprovedPath = Path.Combine(RepositoryPaths.Root, "tests", "Gradients.Benchmarks.Tests", "Gate", "BenchmarkClassification.approved.txt");

    [Fact]
    public void Every_benchmark_method_is_classified_as_in_the_approved_list()
    {
        var lines = BenchmarkCatalog.Find(typeof(Program).Assembly)
            .Select(m => $"{m.Namespace}.{m.DisplayName}: {(m.IsGated ? "gated" : $"reference ({m.ReferenceReason})")}")
            .ToArray();
        var received = string.Join('\n', lines) + "\n";
        var approved = File.Exists(ApprovedPath) ? File.ReadAllText(ApprovedPath).ReplaceLineEndings("\n") : "";
        var receivedPath = Path.ChangeExtension(ApprovedPath, null).Replace(".approved", ".received", StringComparison.Ordinal) + ".txt";
        if (received != approved)
        {
            File.WriteAllText(receivedPath, received);
        }
        else if (File.Exists(receivedPath))
        {
            File.Delete(receivedPath);
        }

        Assert.True(
            received == approved,
            $"The benchmark methods or their roles changed. Check the roles in {receivedPath} (gated unless the method or "
            + $"its class has [Reference(\"why\")]; see benchmarks/README.md) and copy it over {ApprovedPath}.");
    }

    [Fact]
    public void The_reference_attribute_is_only_on_benchmark_methods()
    {
        var stray = typeof(Program).Assembly.GetTypes()
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly))
            .Where(m => m.GetCustomAttribute<ReferenceAttribute>() is not null && m.GetCustomAttribute<BenchmarkAttribute>() is null)
            .Select(m => $"{m.DeclaringType!.Name}.{m.Name}")
            .ToArray();

        Assert.Empty(stray);
    }

    [Fact]
    public void The_catalog_finds_generic_classes_with_a_filter_BenchmarkDotNet_understands()
    {
        var kernel = BenchmarkCatalog.Find(typeof(Program).Assembly).Single(m => m.DisplayName == "MeanSquaredErrorBenchmarks<T>.LossAndGradient");

        Assert.True(kernel.IsGated);
        Assert.Equal("Gradients.Benchmarks.Losses.MeanSquaredErrorBenchmarks<*>.LossAndGradient", kernel.Filter);
        Assert.True(kernel.MatchesAny(["*Squared*.LossAndGradient"]));
        Assert.False(kernel.MatchesAny(["*LossAndGradientTwoThreads"]));
    }
}
