namespace Gradients.Benchmarks.Gate;

/// <summary>
/// Names one benchmark at one parameter set, the way the gate reports spell it:
/// <c>Type.Method</c> or <c>Type.Method(Name=value, Name=value)</c>, with the type as BenchmarkDotNet prints it
/// (<c>MeanSquaredErrorBenchmarks&lt;Double&gt;</c> for a closed generic class) and the parameters as
/// BenchmarkDotNet's <c>Parameters</c> field lists them.
/// </summary>
/// <remarks>
/// Two keys are equal when type, method and the set of parameters are equal: the order of the parameters and the
/// spaces around <c>,</c> and <c>=</c> do not matter, case does (C# names are case-sensitive).
/// </remarks>
public sealed class BenchmarkKey : IEquatable<BenchmarkKey>
{
    private readonly string _canonical;

    /// <summary>Creates a key from its parts.</summary>
    /// <param name="type">The benchmark class as BenchmarkDotNet prints it, without namespace.</param>
    /// <param name="method">The benchmark method.</param>
    /// <param name="parameters">The parameter set, in BenchmarkDotNet's order.</param>
    public BenchmarkKey(string type, string method, IReadOnlyList<KeyValuePair<string, string>> parameters)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(type);
        ArgumentException.ThrowIfNullOrWhiteSpace(method);
        ArgumentNullException.ThrowIfNull(parameters);
        Type = type.Trim();
        Method = method.Trim();
        Parameters = parameters.Select(p => new KeyValuePair<string, string>(p.Key.Trim(), p.Value.Trim())).ToArray();
        ParameterText = string.Join(", ", Parameters.Select(p => $"{p.Key}={p.Value}"));
        var sorted = Parameters.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}");
        _canonical = $"{Type}.{Method}({string.Join(",", sorted)})";
    }

    /// <summary>The benchmark class as BenchmarkDotNet prints it, without namespace.</summary>
    public string Type { get; }

    /// <summary>The benchmark method.</summary>
    public string Method { get; }

    /// <summary>The parameter set, in BenchmarkDotNet's order.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Parameters { get; }

    /// <summary>The parameters as <c>Name=value, Name=value</c> (empty without parameters).</summary>
    public string ParameterText { get; }

    /// <summary>Reads a key written as <c>Type.Method</c> or <c>Type.Method(Name=value, ...)</c>.</summary>
    /// <exception cref="FormatException">The text is not of that form.</exception>
    public static BenchmarkKey Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var trimmed = text.Trim();
        var head = trimmed;
        var parameters = new List<KeyValuePair<string, string>>();
        var open = FindParameterListStart(trimmed);
        if (open >= 0)
        {
            if (!trimmed.EndsWith(')'))
            {
                throw new FormatException($"Benchmark key '{text}': the parameter list opened at position {open} is not closed by ')' at the end.");
            }

            head = trimmed[..open];
            var list = trimmed[(open + 1)..^1];
            if (list.Trim().Length > 0)
            {
                parameters.AddRange(ParseParameters(list, text));
            }
        }

        // The method is after the last '.' outside the generic argument list ("Outer<A.B>.Method").
        var dot = LastTopLevelDot(head);
        if (dot <= 0 || dot == head.Length - 1)
        {
            throw new FormatException($"Benchmark key '{text}' must have the form 'Type.Method' or 'Type.Method(Name=value, ...)'.");
        }

        return new BenchmarkKey(head[..dot], head[(dot + 1)..], parameters);
    }

    /// <summary>Reads BenchmarkDotNet's <c>Parameters</c> field (<c>Name=value&amp;Name=value</c>).</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> ParseBenchmarkDotNetParameters(string? printInfo)
    {
        if (string.IsNullOrWhiteSpace(printInfo))
        {
            return [];
        }

        return printInfo.Split('&').Select(pair =>
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            return equals < 0
                ? new KeyValuePair<string, string>(pair, "")
                : new KeyValuePair<string, string>(pair[..equals], pair[(equals + 1)..]);
        }).ToArray();
    }

    /// <inheritdoc/>
    public bool Equals(BenchmarkKey? other) => other is not null && string.Equals(_canonical, other._canonical, StringComparison.Ordinal);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as BenchmarkKey);

    /// <inheritdoc/>
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(_canonical);

    /// <summary>The key as the gate reports spell it.</summary>
    public override string ToString() => Parameters.Count == 0 ? $"{Type}.{Method}" : $"{Type}.{Method}({ParameterText})";

    private static int FindParameterListStart(string text)
    {
        // The parameter list is the first '(' outside a generic argument list.
        var depth = 0;
        for (var i = 0; i < text.Length; i++)
        {
            switch (text[i])
            {
                case '<': depth++; break;
                case '>': depth--; break;
                case '(' when depth == 0: return i;
                default: break;
            }
        }

        return -1;
    }

    private static int LastTopLevelDot(string text)
    {
        var depth = 0;
        for (var i = text.Length - 1; i >= 0; i--)
        {
            switch (text[i])
            {
                case '>': depth++; break;
                case '<': depth--; break;
                case '.' when depth == 0: return i;
                default: break;
            }
        }

        return -1;
    }

    private static IEnumerable<KeyValuePair<string, string>> ParseParameters(string list, string text)
    {
        foreach (var pair in list.Split(','))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0 || pair[..equals].Trim().Length == 0)
            {
                throw new FormatException($"Benchmark key '{text}': parameter '{pair.Trim()}' must have the form 'Name=value'.");
            }

            yield return new KeyValuePair<string, string>(pair[..equals], pair[(equals + 1)..]);
        }
    }
}
