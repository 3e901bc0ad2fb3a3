namespace Gradients.Tour;

/// <summary>
/// <c>dotnet run --project src/Gradients.Tour [-- --out &lt;folder&gt;]</c>: the chapter "From Derivative to
/// Gradient" told with the library's public API, figures included.
/// </summary>
public static class Program
{
    /// <summary>Parses the command line and runs the tour; returns the process exit code.</summary>
    public static int Main(string[] args)
    {
        string? outputFolder = null;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--out" when i + 1 < args.Length:
                    outputFolder = args[++i];
                    break;
                case "-h" or "--help":
                    Console.WriteLine("usage: Gradients.Tour [--out <folder>]   (default: artifacts/tour under the repository)");
                    return 0;
                default:
                    Console.Error.WriteLine($"error: unknown argument '{args[i]}'. usage: Gradients.Tour [--out <folder>]");
                    return 2;
            }
        }

        return TourRunner.Run(Console.Out, Console.Error, outputFolder ?? DefaultOutputFolder());
    }

    private static string DefaultOutputFolder()
    {
        for (var directory = new DirectoryInfo(Environment.CurrentDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Gradients.sln")))
            {
                return Path.Combine(directory.FullName, "artifacts", "tour");
            }
        }

        return Path.Combine(Environment.CurrentDirectory, "artifacts", "tour");
    }
}
