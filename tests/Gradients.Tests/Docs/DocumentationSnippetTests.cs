using System.Text.RegularExpressions;

namespace Gradients.Tests.Docs;

/// <summary>
/// The documents show code that compiles and runs: every snippet of <c>GettingStartedSnippets.cs</c> (a test
/// that runs) must appear verbatim, as a fenced C# block, in the documents that name it.
/// </summary>
public sealed partial class DocumentationSnippetTests
{
    public static TheoryData<string, string> Placements { get; } = new()
    {
        { "README.md", "quick-start" },
        { "docs/getting-started.md", "quick-start" },
        { "docs/getting-started.md", "richardson" },
        { "docs/getting-started.md", "directional" },
        { "docs/getting-started.md", "mse" },
        { "docs/getting-started.md", "checker" },
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

    [Fact]
    public void Every_snippet_is_shown_somewhere()
    {
        var placed = Placements.Select(row => (string)row[1]).ToHashSet();
        Assert.All(Snippets().Keys, name => Assert.Contains(name, placed));
    }

    private static Dictionary<string, string> Snippets()
    {
        var source = File.ReadAllLines(Path.Combine(RepositoryPaths.Root, "tests", "Gradients.Tests", "Docs", "GettingStartedSnippets.cs"));
        var snippets = new Dictionary<string, string>();
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
            snippets[name] = string.Join("\n", lines.Select(l => l.Length >= indent ? l[indent..] : l.TrimStart()));
        }

        return snippets;
    }

    [GeneratedRegex("```csharp\\n(?<code>.*?)```", RegexOptions.Singleline)]
    private static partial Regex FencedCSharp();
}
