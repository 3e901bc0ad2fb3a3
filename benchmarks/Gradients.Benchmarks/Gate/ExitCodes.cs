namespace Gradients.Benchmarks.Gate;

/// <summary>The exit codes of the subcommands, and where the repository is.</summary>
public static class ExitCodes
{
    /// <summary>Everything checked passed.</summary>
    public const int Passed = 0;

    /// <summary>A regression (<c>ab</c>, <c>compare</c>) or a failed benchmark (<c>smoke</c>).</summary>
    public const int Failed = 1;

    /// <summary>The command line, an input file or a build is wrong: nothing was judged.</summary>
    public const int Usage = 2;

    /// <summary>The folder holding <c>Gradients.sln</c> above the current directory, or the current directory.</summary>
    public static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(Environment.CurrentDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Gradients.sln")))
            {
                return directory.FullName;
            }
        }

        return Environment.CurrentDirectory;
    }
}
