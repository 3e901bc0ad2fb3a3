using Markdig;
using Markdig.Extensions.Tables;
using Markdig.Syntax;

namespace Gradients.Tests.Docs;

/// <summary>
/// Every Markdown file of the repository renders its tables as written: each row of a pipe table has as many
/// cells as its header. An unescaped <c>|</c> inside a cell (say <c>|x|</c>) splits it into extra cells, which
/// GitHub and nuget.org render as a shifted or truncated row.
/// </summary>
public sealed class MarkdownTableTests
{
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder().UsePipeTables().Build();

    private static readonly string[] SkippedFolders = ["artifacts", "bin", "obj", "node_modules", ".git", "TestResults", "BenchmarkDotNet.Artifacts"];

    private static readonly List<string> Files = FindMarkdownFiles().ToList();

    public static TheoryData<string> MarkdownFiles { get; } = new(Files);

    [Fact]
    public void Markdown_files_are_found()
    {
        // Guards the theory below against an empty list (it would pass vacuously).
        Assert.Contains("README.md", Files);
        Assert.Contains("docs/concepts.md", Files);
    }

    [Theory]
    [MemberData(nameof(MarkdownFiles))]
    public void Every_table_row_has_as_many_cells_as_its_header(string file)
    {
        var markdown = File.ReadAllText(Path.Combine(RepositoryPaths.Root, file));
        var problems = MismatchedRows(markdown);
        Assert.True(problems.Count == 0, $"{file}: {string.Join("; ", problems)}");
    }

    [Fact]
    public void Checker_finds_an_unescaped_bar_and_a_missing_cell()
    {
        const string Markdown = """
            | scheme | step |
            |---|---|
            | central | max(|x|, 1) |
            | escaped | max(\|x\|, 1) |
            | short |
            | code | `a|b` |
            """;
        var problems = MismatchedRows(Markdown);
        Assert.Equal(["line 3: 4 cells, header has 2", "line 5: 1 cells, header has 2", "line 6: 3 cells, header has 2"], problems);
    }

    [Fact]
    public void Checker_accepts_a_well_formed_table()
    {
        const string Markdown = """
            | a | b |
            |---|--:|
            | `x \| y` | 2 |
            | | 3 |
            """;
        Assert.Empty(MismatchedRows(Markdown));
        Assert.Single(Markdig.Markdown.Parse(Markdown, Pipeline).Descendants<Table>());
    }

    /// <summary>
    /// "line N: 4 cells, header has 3" for every row of every table whose cell count differs from its header's.
    /// Markdig finds the tables (so a fenced block with bars is no table); the cells of a row are counted the way
    /// GitHub's GFM renderer splits it: at every bar not escaped by a backslash, inside code spans too (Markdig
    /// keeps a code span whole and pads short rows, so its own cell count would hide both).
    /// </summary>
    private static List<string> MismatchedRows(string markdown)
    {
        var lines = markdown.ReplaceLineEndings("\n").Split('\n');
        var document = Markdig.Markdown.Parse(string.Join('\n', lines), Pipeline);
        var problems = new List<string>();
        foreach (var table in document.Descendants<Table>())
        {
            // The header is the table's first line, the delimiter row its second, the body rows follow one per
            // line (a blank line ends a table). Rows are located by position: Markdig leaves Line at 0 for a row
            // whose cells are all empty.
            var rows = table.OfType<TableRow>().ToList();
            if (rows.Count == 0 || !rows[0].IsHeader)
            {
                problems.Add($"line {table.Line + 1}: a table without a header row");
                continue;
            }

            var columns = GfmCellCount(lines[table.Line]);
            for (var k = 1; k < rows.Count; k++)
            {
                var line = table.Line + 1 + k;
                var cells = GfmCellCount(lines[line]);
                if (cells != columns)
                {
                    problems.Add($"line {line + 1}: {cells} cells, header has {columns}");
                }
            }
        }

        return problems;
    }

    private static int GfmCellCount(string row)
    {
        var text = row.Trim();
        var bars = 0;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '|' && (i == 0 || text[i - 1] != '\\'))
            {
                bars++;
            }
        }

        // A leading and a trailing bar open and close the row; every other bar separates two cells.
        var leading = text.StartsWith('|');
        var trailing = text.Length > 1 && text.EndsWith('|') && text[^2] != '\\';
        return bars + 1 - (leading ? 1 : 0) - (trailing ? 1 : 0);
    }

    private static IEnumerable<string> FindMarkdownFiles()
    {
        var root = RepositoryPaths.Root;
        return Directory.EnumerateFiles(root, "*.md", SearchOption.AllDirectories)
            .Select(path => Path.GetRelativePath(root, path).Replace('\\', '/'))
            .Where(path => !path.Split('/').SkipLast(1).Any(folder => SkippedFolders.Contains(folder)))
            .Order(StringComparer.Ordinal);
    }
}
