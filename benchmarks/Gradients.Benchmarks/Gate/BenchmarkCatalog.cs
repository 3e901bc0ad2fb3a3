using System.Reflection;
using BenchmarkDotNet.Attributes;

namespace Gradients.Benchmarks.Gate;

/// <summary>
/// One benchmark method of the benchmark program, with every parameter set and generic argument it runs with:
/// the unit the A/B gate launches (one process runs all its cases).
/// </summary>
/// <param name="Namespace">The class's namespace.</param>
/// <param name="TypeName">The class's name without generic arguments (<c>MeanSquaredErrorBenchmarks</c>).</param>
/// <param name="IsGeneric">Whether the class is generic (BenchmarkDotNet closes it over its <c>[GenericTypeArguments]</c>).</param>
/// <param name="Method">The method's name.</param>
/// <param name="ReferenceReason">Why the method is a reference row (<see cref="ReferenceAttribute"/>), or <see langword="null"/> when it is gated.</param>
public sealed record BenchmarkMethod(string Namespace, string TypeName, bool IsGeneric, string Method, string? ReferenceReason)
{
    /// <summary>Whether the A/B gate judges this method: every benchmark not marked <see cref="ReferenceAttribute"/>.</summary>
    public bool IsGated => ReferenceReason is null;

    /// <summary>
    /// BenchmarkDotNet's <c>--filter</c> glob for exactly this method, every case: <c>Ns.Type.Method</c>, or
    /// <c>Ns.Type&lt;*&gt;.Method</c> for a generic class.
    /// </summary>
    public string Filter => $"{Namespace}.{TypeName}{(IsGeneric ? "<*>" : "")}.{Method}";

    /// <summary><c>Type.Method</c>, or <c>Type&lt;T&gt;.Method</c> for a generic class: a short display name.</summary>
    public string DisplayName => $"{TypeName}{(IsGeneric ? "<T>" : "")}.{Method}";

    /// <summary>Whether one of BenchmarkDotNet-style globs (<c>*</c>, <c>?</c>, case-insensitive) matches the method, with or without its namespace.</summary>
    public bool MatchesAny(IEnumerable<string> globs)
    {
        ArgumentNullException.ThrowIfNull(globs);
        string[] names = [Filter, $"{Namespace}.{TypeName}.{Method}", DisplayName, $"{TypeName}.{Method}"];
        return globs.Any(glob => names.Any(name => Glob.IsMatch(glob, name)));
    }
}

/// <summary>The benchmark methods of an assembly, in a stable order (namespace, class, declaration order).</summary>
public static class BenchmarkCatalog
{
    /// <summary>Every <c>[Benchmark]</c> method of the public, non-abstract classes of <paramref name="assembly"/>.</summary>
    public static IReadOnlyList<BenchmarkMethod> Find(Assembly assembly)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        var methods = new List<BenchmarkMethod>();
        var types = assembly.GetExportedTypes()
            .Where(t => t.IsClass && !t.IsAbstract && !t.IsNested)
            .OrderBy(t => t.Namespace, StringComparer.Ordinal)
            .ThenBy(t => t.Name, StringComparer.Ordinal);
        foreach (var type in types)
        {
            var classReason = type.GetCustomAttribute<ReferenceAttribute>()?.Reason;
            var name = type.IsGenericType ? type.Name[..type.Name.IndexOf('`', StringComparison.Ordinal)] : type.Name;
            foreach (var method in type.GetMethods(BindingFlags.Public | BindingFlags.Instance).OrderBy(m => m.MetadataToken))
            {
                if (method.GetCustomAttribute<BenchmarkAttribute>() is not null)
                {
                    var reason = method.GetCustomAttribute<ReferenceAttribute>()?.Reason ?? classReason;
                    methods.Add(new BenchmarkMethod(type.Namespace ?? "", name, type.IsGenericType, method.Name, reason));
                }
            }
        }

        return methods;
    }
}

/// <summary>BenchmarkDotNet's filter globs: <c>*</c> any run of characters, <c>?</c> one character, case-insensitive, whole name.</summary>
public static class Glob
{
    /// <summary>Whether <paramref name="glob"/> matches all of <paramref name="name"/>.</summary>
    public static bool IsMatch(string glob, string name)
    {
        ArgumentNullException.ThrowIfNull(glob);
        ArgumentNullException.ThrowIfNull(name);
        var pattern = "^" + System.Text.RegularExpressions.Regex.Escape(glob)
            .Replace("\\*", ".*", StringComparison.Ordinal)
            .Replace("\\?", ".", StringComparison.Ordinal) + "$";
        return System.Text.RegularExpressions.Regex.IsMatch(
            name, pattern, System.Text.RegularExpressions.RegexOptions.IgnoreCase | System.Text.RegularExpressions.RegexOptions.CultureInvariant);
    }
}
