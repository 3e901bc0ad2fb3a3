using System.Text;

namespace Gradients.Benchmarks.Gate;

/// <summary>A GitHub-flavoured Markdown table whose columns are padded, so it reads as well in a terminal as on GitHub.</summary>
public sealed class MarkdownTable
{
    private readonly string[] _headers;
    private readonly bool[] _rightAligned;
    private readonly List<string[]> _rows = [];

    /// <summary>Creates a table; a header ending in <c>:</c> is right-aligned (the <c>:</c> is not shown).</summary>
    public MarkdownTable(params string[] headers)
    {
        ArgumentNullException.ThrowIfNull(headers);
        _rightAligned = headers.Select(h => h.EndsWith(':')).ToArray();
        _headers = headers.Select(h => h.TrimEnd(':')).ToArray();
    }

    /// <summary>Adds a row with one cell per column.</summary>
    public void Add(params string[] cells)
    {
        ArgumentNullException.ThrowIfNull(cells);
        if (cells.Length != _headers.Length)
        {
            throw new ArgumentException($"A row needs {_headers.Length} cells, not {cells.Length}.", nameof(cells));
        }

        _rows.Add(cells.Select(c => c.Replace("|", "\\|", StringComparison.Ordinal)).ToArray());
    }

    /// <summary>The table's text, one line per row, each line ending in a newline.</summary>
    public override string ToString()
    {
        var widths = _headers.Select((h, i) => Math.Max(3, _rows.Select(r => r[i].Length).Append(h.Length).Max())).ToArray();
        var text = new StringBuilder();
        AppendLine(text, _headers, widths);
        text.Append('|');
        for (var i = 0; i < widths.Length; i++)
        {
            text.Append(' ').Append('-', widths[i] - (_rightAligned[i] ? 1 : 0)).Append(_rightAligned[i] ? ":" : "").Append(" |");
        }

        text.Append('\n');
        foreach (var row in _rows)
        {
            AppendLine(text, row, widths);
        }

        return text.ToString();
    }

    private void AppendLine(StringBuilder text, string[] cells, int[] widths)
    {
        text.Append('|');
        for (var i = 0; i < cells.Length; i++)
        {
            text.Append(' ').Append(_rightAligned[i] ? cells[i].PadLeft(widths[i]) : cells[i].PadRight(widths[i])).Append(" |");
        }

        text.Append('\n');
    }
}
