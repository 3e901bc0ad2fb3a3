using System.Diagnostics;
using System.IO.Compression;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Markdig;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace Gradients.Tests.Packaging;

/// <summary>
/// The package as nuget.org and a debugger see it: packs src/Gradients (from the build these tests run against,
/// <c>dotnet pack --no-build</c>) into a temporary folder and reads the .nupkg and .snupkg back. The README must
/// stand on its own (absolute links only, to files that exist), the icon and license must be declared, and the
/// symbols must map every source file to the repository through SourceLink.
/// </summary>
public sealed partial class PackageTests(PackageTests.PackedPackage package) : IClassFixture<PackageTests.PackedPackage>
{
    private const string RepositoryUrl = "https://github.com/gradients-dotnet/Gradients";

    // The portable PDB's custom debug information kinds (System.Reflection.Metadata has no named constants).
    private static readonly Guid SourceLinkKind = new("CC110556-A091-4D38-9FEC-25AB9A351A6A");
    private static readonly Guid EmbeddedSourceKind = new("0E8A571B-6926-466E-B4AD-8AB04611F5FE");

    public sealed class PackedPackage : IDisposable
    {
        public PackedPackage()
        {
            Folder = Path.Combine(Path.GetTempPath(), "gradients-pack-" + Guid.NewGuid().ToString("N"));
#if DEBUG
            const string Configuration = "Debug";
#else
            const string Configuration = "Release";
#endif
            var project = Path.Combine(RepositoryPaths.Root, "src", "Gradients", "Gradients.csproj");
            var start = new ProcessStartInfo("dotnet")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            foreach (var argument in new[] { "pack", project, "-c", Configuration, "--no-build", "--disable-build-servers", "-o", Folder })
            {
                start.ArgumentList.Add(argument);
            }

            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(TimeSpan.FromMinutes(5)))
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException("dotnet pack did not finish in 5 minutes");
            }

            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"dotnet pack failed ({process.ExitCode}):\n{output.Result}\n{error.Result}");
            }

            Package = Directory.GetFiles(Folder, "Gradients.*.nupkg").Single();
            Symbols = Directory.GetFiles(Folder, "Gradients.*.snupkg").Single();
        }

        public string Folder { get; }

        public string Package { get; }

        public string Symbols { get; }

        public void Dispose() => Directory.Delete(Folder, recursive: true);
    }

    [Fact]
    public void Package_holds_the_library_its_docs_readme_and_icon()
    {
        using var zip = ZipFile.OpenRead(package.Package);
        var entries = zip.Entries.Select(e => e.FullName).ToHashSet();
        Assert.Contains("lib/net10.0/Gradients.dll", entries);
        Assert.Contains("lib/net10.0/Gradients.xml", entries);
        Assert.Contains("README.md", entries);
        Assert.Contains("icon.png", entries);

        var icon = Read(zip, "icon.png");
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], icon[..4]);
        Assert.InRange(icon.Length, 1_000, 1_000_000); // nuget.org rejects icons over 1 MB
    }

    [Fact]
    public void Nuspec_declares_readme_icon_license_repository_and_version()
    {
        using var zip = ZipFile.OpenRead(package.Package);
        var nuspec = XDocument.Parse(ReadText(zip, "Gradients.nuspec"));
        var metadata = nuspec.Root!.Elements().Single(e => e.Name.LocalName == "metadata");
        string Value(string name) => metadata.Elements().Single(e => e.Name.LocalName == name).Value;
        XElement Element(string name) => metadata.Elements().Single(e => e.Name.LocalName == name);

        Assert.Equal("Gradients", Value("id"));
        Assert.Equal("README.md", Value("readme"));
        Assert.Equal("icon.png", Value("icon"));
        Assert.Equal("MIT", Value("license"));
        Assert.Equal(RepositoryUrl, Value("projectUrl"));

        var repository = Element("repository");
        Assert.Equal("git", repository.Attribute("type")?.Value);
        Assert.Equal(RepositoryUrl, repository.Attribute("url")?.Value);
        Assert.Matches("^[0-9a-f]{40}$", repository.Attribute("commit")?.Value ?? "");

        // MinVer: vX.Y.Z tags give X.Y.Z; without a tag in reach, 0.1.0-alpha.0.<height> (0.0.0-alpha.0 without git).
        Assert.Matches(@"^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$", Value("version"));
        Assert.Contains(Value("version"), Path.GetFileName(package.Package), StringComparison.Ordinal);
    }

    [Fact]
    public void Packed_readme_has_only_absolute_links_to_files_that_exist()
    {
        using var zip = ZipFile.OpenRead(package.Package);
        var readme = ReadText(zip, "README.md");
        var links = Links(readme);
        Assert.True(links.Count >= 5, $"only {links.Count} links in the packed README");

        var relative = links.Where(url => !Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttps).ToList();
        Assert.True(relative.Count == 0, $"links that do not resolve on nuget.org: {string.Join(", ", relative)}");

        // A link into this repository's main branch names a file or folder that exists here.
        var prefix = RepositoryUrl + "/blob/main/";
        var missing = links.Where(url => url.StartsWith(prefix, StringComparison.Ordinal))
            .Select(url => url[prefix.Length..].Split('#')[0])
            .Where(path => !File.Exists(Path.Combine(RepositoryPaths.Root, path)))
            .ToList();
        Assert.True(missing.Count == 0, $"links to files that do not exist: {string.Join(", ", missing)}");
    }

    [Fact]
    public void Packed_readme_is_the_package_readme_without_contributor_sections()
    {
        using var zip = ZipFile.OpenRead(package.Package);
        var readme = ReadText(zip, "README.md").ReplaceLineEndings("\n");
        var source = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "src", "Gradients", "README.md")).ReplaceLineEndings("\n");
        Assert.Equal(source, readme);
        Assert.DoesNotContain(".ci/run", readme, StringComparison.Ordinal);
        Assert.DoesNotContain("dotnet test", readme, StringComparison.Ordinal);
        Assert.DoesNotContain("the chapter", readme, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("dotnet add package Gradients", readme, StringComparison.Ordinal);
    }

    [Fact]
    public void Checker_finds_relative_links_images_and_references()
    {
        const string Markdown = """
            [docs](docs/api.md) and ![icon](images/icon.png) and [ref][r] and <https://example.org/a>
            <a href="LICENSE">license</a>

            [r]: ../CHANGELOG.md
            """;
        Assert.Equal(["docs/api.md", "images/icon.png", "../CHANGELOG.md", "https://example.org/a", "LICENSE"], Links(Markdown));
    }

    [Fact]
    public void Symbols_map_every_source_file_to_the_repository_at_one_commit()
    {
        using var symbols = ZipFile.OpenRead(package.Symbols);
        var pdbBytes = Read(symbols, "lib/net10.0/Gradients.pdb");
        using var provider = MetadataReaderProvider.FromPortablePdbImage([.. pdbBytes]);
        var pdb = provider.GetMetadataReader();

        var sourceLink = pdb.CustomDebugInformation
            .Select(pdb.GetCustomDebugInformation)
            .Where(info => pdb.GetGuid(info.Kind) == SourceLinkKind)
            .Select(info => pdb.GetBlobBytes(info.Value))
            .SingleOrDefault();
        Assert.True(sourceLink is not null, "the PDB has no SourceLink JSON");

        // {"documents":{"<local root>/*":"https://raw.githubusercontent.com/gradients-dotnet/Gradients/<commit>/*"}}
        var documents = JsonDocument.Parse(sourceLink).RootElement.GetProperty("documents");
        var mappings = documents.EnumerateObject().Select(p => (Local: p.Name, Url: p.Value.GetString()!)).ToList();
        var mapping = Assert.Single(mappings);
        Assert.EndsWith("*", mapping.Local, StringComparison.Ordinal);
        Assert.Matches(RawContentUrl(), mapping.Url);
        var localRoot = mapping.Local[..^1];
        var urlRoot = mapping.Url[..^1];

        var embedded = pdb.CustomDebugInformation
            .Select(pdb.GetCustomDebugInformation)
            .Where(info => pdb.GetGuid(info.Kind) == EmbeddedSourceKind && info.Parent.Kind == HandleKind.Document)
            .Select(info => (DocumentHandle)info.Parent)
            .ToHashSet();

        var mapped = 0;
        foreach (var handle in pdb.Documents)
        {
            var name = pdb.GetString(pdb.GetDocument(handle).Name);
            if (embedded.Contains(handle))
            {
                // Generated files (AssemblyInfo, global usings under artifacts/obj) are in no commit: the PDB carries them.
                continue;
            }

            Assert.True(name.StartsWith(localRoot, StringComparison.Ordinal), $"'{name}' is neither mapped by SourceLink nor embedded");
            var relative = name[localRoot.Length..];
            Assert.False(relative.StartsWith("artifacts/", StringComparison.Ordinal), $"'{name}' is a build output, not a source of the repository");
            Assert.True(File.Exists(Path.Combine(RepositoryPaths.Root, relative)), $"'{name}' resolves to {urlRoot + relative}, not a file of the repository");
            mapped++;
        }

        // Every .cs file of src/Gradients is compiled, so each has a document that SourceLink maps.
        var sources = Directory.GetFiles(Path.Combine(RepositoryPaths.Root, "src", "Gradients"), "*.cs", SearchOption.AllDirectories)
            .Count(path => !path.Split(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar).Any(part => part is "obj" or "bin"));
        Assert.Equal(sources, mapped);
    }

    [Fact]
    public void Library_is_a_deterministic_build_whose_pdb_is_the_one_in_the_symbol_package()
    {
        using var zip = ZipFile.OpenRead(package.Package);
        using var symbols = ZipFile.OpenRead(package.Symbols);
        using var pe = new PEReader(new MemoryStream(Read(zip, "lib/net10.0/Gradients.dll")));
        var debug = pe.ReadDebugDirectory();

        // Deterministic builds mark the image reproducible (its timestamp and MVID are content hashes).
        Assert.Contains(debug, entry => entry.Type == DebugDirectoryEntryType.Reproducible);

        var codeView = pe.ReadCodeViewDebugDirectoryData(debug.Single(entry => entry.Type == DebugDirectoryEntryType.CodeView));
        using var provider = MetadataReaderProvider.FromPortablePdbImage([.. Read(symbols, "lib/net10.0/Gradients.pdb")]);
        var pdbId = new BlobContentId(provider.GetMetadataReader().DebugMetadataHeader!.Id);
        Assert.Equal(codeView.Guid, pdbId.Guid);

        if (Environment.GetEnvironmentVariable("CI") == "true")
        {
            // ContinuousIntegrationBuild (set when CI=true) maps the checkout's path to /_/ so the build does not
            // depend on where it ran.
            Assert.StartsWith("/_/", codeView.Path, StringComparison.Ordinal);
        }
    }

    /// <summary>Every link target of a Markdown document: inline links and images, reference links, autolinks, HTML href/src.</summary>
    private static List<string> Links(string markdown)
    {
        var document = Markdig.Markdown.Parse(markdown, new MarkdownPipelineBuilder().UsePipeTables().Build());
        var links = document.Descendants<LinkInline>().Select(link => link.Url ?? "")
            .Concat(document.Descendants<AutolinkInline>().Select(link => link.Url))
            .ToList();
        links.AddRange(HtmlLink().Matches(markdown).Select(m => m.Groups["url"].Value));
        return links;
    }

    private static byte[] Read(ZipArchive zip, string entry)
    {
        var found = zip.GetEntry(entry);
        Assert.True(found is not null, $"no {entry} in the package");
        using var stream = found.Open();
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    private static string ReadText(ZipArchive zip, string entry) => System.Text.Encoding.UTF8.GetString(Read(zip, entry)).TrimStart('\uFEFF');

    [GeneratedRegex("""^https://raw\.githubusercontent\.com/gradients-dotnet/Gradients/[0-9a-f]{40}/\*$""")]
    private static partial Regex RawContentUrl();

    [GeneratedRegex(@"<(?:a|img)\s[^>]*(?:href|src)=""(?<url>[^""]*)""")]
    private static partial Regex HtmlLink();
}
