using PublicApiGenerator;

namespace Gradients.Tests.Api;

/// <summary>
/// Approval test of the package's public surface: every API change shows up in review as a diff of
/// <c>Gradients.approved.txt</c>. When the surface changes, the test fails and writes
/// <c>Gradients.received.txt</c> next to the approved file; copy it over the approved file if the change is meant.
/// </summary>
public sealed class PublicApiTests
{
    [Fact]
    public void Public_api_matches_the_approved_file()
    {
        var options = new ApiGeneratorOptions
        {
            ExcludeAttributes = ["System.Runtime.Versioning.TargetFrameworkAttribute", "System.Reflection.AssemblyMetadataAttribute"],
        };
        var actual = typeof(IScalarFunction<>).Assembly.GeneratePublicApi(options).ReplaceLineEndings("\n");

        var directory = SourceDirectory();
        var approvedPath = Path.Combine(directory, "Gradients.approved.txt");
        var receivedPath = Path.Combine(directory, "Gradients.received.txt");
        var approved = File.Exists(approvedPath) ? File.ReadAllText(approvedPath).ReplaceLineEndings("\n") : "";

        if (actual != approved)
        {
            File.WriteAllText(receivedPath, actual);
            Assert.Fail(
                $"The public API changed. Review the difference between '{approvedPath}' and '{receivedPath}'; " +
                "if the change is intended, copy the received file over the approved one.");
        }

        if (File.Exists(receivedPath))
        {
            File.Delete(receivedPath);
        }
    }

    // CallerFilePath is unusable here: CI builds map source paths to "/_/" (ContinuousIntegrationBuild).
    // The repository root is found from the test binaries instead.
    private static string SourceDirectory() =>
        Path.Combine(RepositoryPaths.Root, "tests", "Gradients.Tests", "Api");
}
