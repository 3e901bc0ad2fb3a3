namespace Gradients.Benchmarks.Tests;

/// <summary>Locates files of the repository from the test binaries (which live under <c>artifacts/</c>).</summary>
internal static class RepositoryPaths
{
    /// <summary>The folder holding <c>Gradients.sln</c>.</summary>
    public static string Root { get; } = FindRoot();

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Gradients.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"Gradients.sln not found above '{AppContext.BaseDirectory}'.");
    }
}
