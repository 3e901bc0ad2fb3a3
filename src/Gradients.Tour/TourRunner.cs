using Gradients.Tour.Sections;

namespace Gradients.Tour;

/// <summary>What every section of the tour shares: where it prints and where it writes figures.</summary>
public sealed class TourContext(TextWriter output, string outputFolder)
{
    private readonly List<string> _files = [];

    /// <summary>The console (or a test's writer).</summary>
    public TextWriter Output { get; } = output;

    /// <summary>The folder figures are written to.</summary>
    public string OutputFolder { get; } = outputFolder;

    /// <summary>Every file written so far.</summary>
    public IReadOnlyList<string> Files => _files;

    /// <summary>Records written files and says where they went.</summary>
    public void Wrote(IReadOnlyList<string> paths)
    {
        _files.AddRange(paths);
        foreach (var path in paths)
        {
            Output.WriteLine($"  wrote {path}");
        }
    }

    /// <summary>Prints a section heading.</summary>
    public void Heading(string title)
    {
        Output.WriteLine();
        Output.WriteLine(title);
        Output.WriteLine(new string('-', title.Length));
    }
}

/// <summary>Runs the tour's sections in the chapter's order.</summary>
public static class TourRunner
{
    /// <summary>Runs every section; returns 0, or 1 with one clear line on <paramref name="error"/> when it cannot.</summary>
    public static int Run(TextWriter output, TextWriter error, string outputFolder)
    {
        string folder;
        try
        {
            folder = Path.GetFullPath(outputFolder);
            Directory.CreateDirectory(folder);
            var probe = Path.Combine(folder, ".write-test");
            File.WriteAllText(probe, "");
            File.Delete(probe);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            error.WriteLine($"error: cannot write the tour's figures to '{outputFolder}': {e.Message}");
            return 1;
        }

        var context = new TourContext(output, folder);
        output.WriteLine("Gradients tour — the chapter \"From Derivative to Gradient\" with the Gradients library");
        output.WriteLine($"Figures go to {folder}");

        GradientSection.Run(context);
        DirectionalDerivativeSection.Run(context);
        ForwardModeSection.Run(context);
        LossGradientSection.Run(context);
        LogisticRegressionSection.Run(context);
        StepSizeSection.Run(context);
        GradientCheckSection.Run(context);
        GradientDescentSection.Run(context);

        output.WriteLine();
        output.WriteLine($"Done: {context.Files.Count} files written to {folder}");
        return 0;
    }
}
