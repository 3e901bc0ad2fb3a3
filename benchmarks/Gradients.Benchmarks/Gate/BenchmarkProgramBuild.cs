using System.Diagnostics;
using System.Reflection;

namespace Gradients.Benchmarks.Gate;

/// <summary>
/// A built copy of the benchmark program, ready to launch: of a git commit (exported with <c>git archive</c> into a
/// folder of its own and built there, so the work tree and the repository's worktrees are left alone), or of the
/// program that is running (the work tree as <c>dotnet run</c> just built it).
/// </summary>
/// <param name="Label">What was built: a commit's short hash and the ref it came from, or "work tree".</param>
/// <param name="Directory">The folder holding <c>Gradients.Benchmarks.dll</c> and its dependencies.</param>
public sealed record BenchmarkProgramBuild(string Label, string Directory)
{
    /// <summary>The program's main assembly.</summary>
    public string Assembly => Path.Combine(Directory, "Gradients.Benchmarks.dll");

    /// <summary>
    /// Whether this build has the <c>ab-launch</c> subcommand (<see cref="AbLaunchCommand"/>): read from its metadata,
    /// without running it (an older program would take the word for a BenchmarkDotNet argument).
    /// </summary>
    public bool HasAbLaunch() => HasGateType(nameof(AbLaunchCommand));

    /// <summary>Whether this build's <c>ab-launch</c> can count the calling thread's bytes (<see cref="CallingThreadAllocations"/>).</summary>
    public bool HasCallingThreadAllocations() => HasGateType(nameof(CallingThreadAllocations));

    /// <summary>Whether this build's <c>ab-launch</c> can run only named cases (<see cref="AbCaseFilter"/>).</summary>
    public bool HasCaseFilter() => HasGateType(nameof(AbCaseFilter));

    private bool HasGateType(string name)
    {
        using var stream = File.OpenRead(Assembly);
        using var pe = new System.Reflection.PortableExecutable.PEReader(stream);
        var metadata = System.Reflection.Metadata.PEReaderExtensions.GetMetadataReader(pe);
        return metadata.TypeDefinitions
            .Select(metadata.GetTypeDefinition)
            .Any(t => metadata.GetString(t.Name) == name && metadata.GetString(t.Namespace) == typeof(AbLaunchCommand).Namespace);
    }

    /// <summary>
    /// Copies the running benchmark program into <paramref name="destination"/>, so a rebuild of the work tree during
    /// the comparison cannot change it.
    /// </summary>
    /// <exception cref="UsageException">The running program is a Debug build (its timings would mean nothing).</exception>
    public static BenchmarkProgramBuild CopyOfRunningProgram(string destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        var debuggable = typeof(BenchmarkProgramBuild).Assembly.GetCustomAttribute<DebuggableAttribute>();
        if (debuggable?.IsJITOptimizerDisabled == true)
        {
            throw new UsageException("the benchmark program is a Debug build; run it with `dotnet run -c Release`.");
        }

        CopyDirectory(AppContext.BaseDirectory, destination);
        return new BenchmarkProgramBuild("work tree", destination);
    }

    /// <summary>
    /// Builds the benchmark program of commit <paramref name="reference"/> in Release into
    /// <c><paramref name="cacheRoot"/>/&lt;commit&gt;/bin</c>, or reuses that folder when an earlier run completed it
    /// (a commit's build never changes).
    /// </summary>
    /// <exception cref="UsageException">The ref names no commit, or the build failed (its log is named).</exception>
    public static BenchmarkProgramBuild OfCommit(string repositoryRoot, string reference, string cacheRoot, TextWriter log)
    {
        ArgumentNullException.ThrowIfNull(repositoryRoot);
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(cacheRoot);
        ArgumentNullException.ThrowIfNull(log);
        var (exit, output) = RunTool("git", ["rev-parse", "--verify", "--quiet", reference + "^{commit}"], repositoryRoot, null);
        if (exit != 0 || output.Trim().Length == 0)
        {
            throw new UsageException($"'{reference}' is not a commit of the repository at {repositoryRoot} (git rev-parse failed; in CI, check out with fetch-depth: 0).");
        }

        var commit = output.Trim();
        var label = commit.StartsWith(reference, StringComparison.OrdinalIgnoreCase) ? commit[..10] : $"{commit[..10]} ({reference})";
        var folder = Path.Combine(cacheRoot, commit);
        var bin = Path.Combine(folder, "bin");
        var done = Path.Combine(folder, "build-complete");
        if (File.Exists(done))
        {
            log.WriteLine($"ab: {label}: reusing the build in {bin}");
            return new BenchmarkProgramBuild(label, bin);
        }

        if (System.IO.Directory.Exists(folder))
        {
            System.IO.Directory.Delete(folder, recursive: true);
        }

        var source = Path.Combine(folder, "src");
        System.IO.Directory.CreateDirectory(source);
        var archive = Path.Combine(folder, "source.tar");
        var stopwatch = Stopwatch.StartNew();
        log.WriteLine($"ab: {label}: exporting the commit (git archive) and building the benchmark program in Release …");
        Require(RunTool("git", ["archive", "--format=tar", "-o", archive, commit], repositoryRoot, null), "git archive", label);
        Require(RunTool("tar", ["-xf", archive, "-C", source], folder, null), "tar -x", label);
        File.Delete(archive);

        var buildLog = Path.Combine(folder, "build.log");
        var project = Path.Combine(source, "benchmarks", "Gradients.Benchmarks", "Gradients.Benchmarks.csproj");
        var build = RunTool("dotnet", ["build", "-c", "Release", project, "-o", bin, "-nologo", "-v", "quiet"], source, buildLog);
        if (build.ExitCode != 0)
        {
            throw new UsageException($"building {label} failed (exit code {build.ExitCode}); the log is {buildLog}");
        }

        File.WriteAllText(done, label);
        log.WriteLine($"ab: {label}: built in {stopwatch.Elapsed.TotalSeconds:F0} s");
        return new BenchmarkProgramBuild(label, bin);
    }

    /// <summary>Runs a tool to its end; returns its exit code and its output (or writes the output to <paramref name="logFile"/>).</summary>
    internal static (int ExitCode, string Output) RunTool(string fileName, IEnumerable<string> arguments, string workingDirectory, string? logFile)
    {
        var start = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardInput = true, // closed below: BenchmarkDotNet must never wait for a choice on the console
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new UsageException($"cannot start '{fileName}'.");
        var text = new System.Text.StringBuilder();
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { lock (text) { text.AppendLine(e.Data); } } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lock (text) { text.AppendLine(e.Data); } } };
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        process.WaitForExit();
        var output = text.ToString();
        if (logFile is not null)
        {
            File.WriteAllText(logFile, output);
        }

        return (process.ExitCode, output);
    }

    private static void Require((int ExitCode, string Output) result, string what, string label)
    {
        if (result.ExitCode != 0)
        {
            throw new UsageException($"{what} for {label} failed (exit code {result.ExitCode}): {result.Output.Trim()}");
        }
    }

    private static void CopyDirectory(string from, string to)
    {
        System.IO.Directory.CreateDirectory(to);
        foreach (var file in System.IO.Directory.GetFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            System.IO.Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target, overwrite: true);
        }
    }
}
