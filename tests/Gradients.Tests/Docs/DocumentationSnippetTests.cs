using System.Text.RegularExpressions;

namespace Gradients.Tests.Docs;

/// <summary>
/// The documents show code that compiles and runs: every snippet of <c>GettingStartedSnippets.cs</c> and
/// <c>ApiReferenceSnippets.cs</c> (tests that run) must appear verbatim, as a fenced C# block, in the documents that
/// name it; every api-* snippet belongs in docs/api.md, and every public type has a heading there.
/// </summary>
public sealed partial class DocumentationSnippetTests
{
    public static TheoryData<string, string> Placements { get; } = new()
    {
        { "README.md", "quick-start" },
        { "src/Gradients/README.md", "quick-start" },
        { "src/Gradients/README.md", "api-IGenericScalarFunction" },
        { "src/Gradients/README.md", "logistic" },
        { "docs/getting-started.md", "quick-start" },
        { "docs/getting-started.md", "richardson" },
        { "docs/getting-started.md", "directional" },
        { "docs/getting-started.md", "mse" },
        { "docs/getting-started.md", "linear-regression" },
        { "docs/getting-started.md", "logistic" },
        { "docs/getting-started.md", "checker" },
        { "docs/distributed.md", "distributed-map-reduce" },
    };

    [Theory]
    [MemberData(nameof(Placements))]
    public void Document_shows_the_tested_snippet(string document, string snippet)
    {
        var code = Snippets()[snippet];
        var markdown = File.ReadAllText(Path.Combine(RepositoryPaths.Root, document)).ReplaceLineEndings("\n");
        var blocks = FencedCSharp().Matches(markdown).Select(m => m.Groups["code"].Value.TrimEnd('\n')).ToList();
        Assert.True(blocks.Contains(code), $"{document} has no ```csharp block equal to the snippet '{snippet}':\n{code}");
    }

    public static TheoryData<string> ApiSnippets { get; } = new(Snippets().Keys.Where(IsApiSnippet));

    [Fact]
    public void Every_snippet_is_shown_somewhere()
    {
        var placed = Placements.Select(row => (string)row[1]).ToHashSet();
        Assert.All(Snippets().Keys.Where(name => !IsApiSnippet(name)), name => Assert.Contains(name, placed));
    }

    [Theory]
    [MemberData(nameof(ApiSnippets))]
    public void Api_reference_shows_the_tested_snippet(string snippet) =>
        Document_shows_the_tested_snippet("docs/api.md", snippet);

    [Fact]
    public void Api_reference_snippets_are_found()
    {
        // Guards the theory above against an empty source (a renamed file would otherwise pass vacuously).
        Assert.True(ApiSnippets.Count >= 30, $"only {ApiSnippets.Count} api-* snippets found");
    }

    [Fact]
    public void Api_reference_has_a_heading_for_every_public_type()
    {
        var approved = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "tests", "Gradients.Tests", "Api", "Gradients.approved.txt"));
        var types = PublicType().Matches(approved).Select(m => m.Groups["name"].Value).Distinct().ToList();
        Assert.NotEmpty(types);
        var markdown = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "docs", "api.md")).ReplaceLineEndings("\n");
        var headings = markdown.Split('\n').Where(l => l.StartsWith("### ", StringComparison.Ordinal)).Select(l => l[4..].Trim()).ToHashSet();
        Assert.All(types, type => Assert.True(headings.Contains(type), $"docs/api.md has no heading '### {type}'"));
    }

    private static bool IsApiSnippet(string name) => name.StartsWith("api-", StringComparison.Ordinal);

    private static Dictionary<string, string> Snippets()
    {
        var snippets = new Dictionary<string, string>();
        foreach (var file in SnippetSources)
        {
            ReadSnippets(File.ReadAllLines(Path.Combine(RepositoryPaths.Root, "tests", "Gradients.Tests", "Docs", file)), snippets);
        }

        return snippets;
    }

    // A property, not a field: ApiSnippets above is initialized first and reads it.
    private static string[] SnippetSources => ["GettingStartedSnippets.cs", "ApiReferenceSnippets.cs", "ForwardModeSnippets.cs", "DistributedSnippets.cs"];

    private static void ReadSnippets(string[] source, Dictionary<string, string> snippets)
    {
        for (var i = 0; i < source.Length; i++)
        {
            var begin = source[i].Trim();
            if (!begin.StartsWith("// begin-snippet: ", StringComparison.Ordinal))
            {
                continue;
            }

            var name = begin["// begin-snippet: ".Length..];
            var lines = new List<string>();
            for (i++; source[i].Trim() != "// end-snippet"; i++)
            {
                lines.Add(source[i]);
            }

            var indent = lines.Where(l => l.Trim().Length > 0).Min(l => l.Length - l.TrimStart().Length);
            Assert.False(snippets.ContainsKey(name), $"snippet '{name}' is defined twice");
            snippets[name] = string.Join("\n", lines.Select(l => l.Length >= indent ? l[indent..] : l.TrimStart()));
        }
    }

    // A type declaration of the approved surface: "    public [modifiers] kind Name<...>" at namespace depth.
    [GeneratedRegex(@"^    public (?:(?:static|sealed|readonly|abstract) )*(?:class|struct|interface|enum|record|delegate \S+) (?<name>\w+)", RegexOptions.Multiline)]
    private static partial Regex PublicType();

    [GeneratedRegex("```csharp\\n(?<code>.*?)```", RegexOptions.Singleline)]
    private static partial Regex FencedCSharp();
}
