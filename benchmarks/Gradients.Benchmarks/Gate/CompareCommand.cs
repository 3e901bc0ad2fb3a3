namespace Gradients.Benchmarks.Gate;

/// <summary>
/// <c>compare BASE NEW [--threshold 5%] [--noise 1ns] [--out FILE]</c>: compares two BenchmarkDotNet JSON exports
/// (files, or directories of them) of the same benchmarks on the same machine; prints the table and exits 1 when a
/// benchmark got slower, allocates more, or lost its result; 2 when the command line or a file is wrong.
/// </summary>
public static class CompareCommand
{
    /// <summary>Runs the comparison; returns the process exit code.</summary>
    public static int Run(IReadOnlyList<string> args, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        try
        {
            var line = CommandLine.Parse(args, "--threshold", "--noise", "--out");
            if (line.Positional.Count != 2 || line.Unknown.Count > 0)
            {
                throw new UsageException("usage: compare BASE.json NEW.json [--threshold 5%] [--noise 1ns] [--out FILE]");
            }

            var threshold = ResultsComparison.ParseThreshold(line.Single("--threshold", "5%"));
            var noise = ResultsComparison.ParseNoise(line.Single("--noise", "1ns"));

            var baseRun = BenchmarkResults.ReadJson([line.Positional[0]]);
            var newRun = BenchmarkResults.ReadJson([line.Positional[1]]);
            var rows = ResultsComparison.Compare(baseRun, newRun, threshold, noise);
            var markdown = ResultsComparison.ToMarkdown(rows, threshold, noise);
            output.Write(markdown);
            if (line.Has("--out"))
            {
                File.WriteAllText(line.Single("--out", ""), markdown);
            }

            return rows.Any(r => r.IsRegression) ? ExitCodes.Failed : ExitCodes.Passed;
        }
        catch (Exception e) when (e is UsageException or InvalidDataException or FileNotFoundException)
        {
            output.WriteLine($"compare: {e.Message}");
            return ExitCodes.Usage;
        }
    }
}
