using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Exporters.Json;
using BenchmarkDotNet.Running;
using Gradients.Benchmarks.Gate;

namespace Gradients.Benchmarks;

/// <summary>
/// Entry point. <c>dotnet run -c Release --project benchmarks/Gradients.Benchmarks -- ARGS</c> where ARGS is
/// <list type="bullet">
/// <item><c>ab --base REF [--head REF] [--filter GLOB...] [--threshold 0.05] [--quick]</c>: the regression gate, base against
/// head interleaved on this machine (<see cref="AbCommand"/>);</item>
/// <item><c>compare BASE.json NEW.json [--threshold 5%] [--noise 1ns]</c>: two runs compared (<see cref="CompareCommand"/>);</item>
/// <item><c>smoke [--filter GLOB...]</c>: every benchmark run once (<see cref="SmokeCommand"/>);</item>
/// <item><c>paired --loss NAME [--shape NxD] [--pairs N] [--warmup N]</c>: a loss kernel and the read-only pass alternating
/// over one X, a tuning probe (<see cref="Losses.PairedPassCommand"/>);</item>
/// <item><c>builds --base PATH --head PATH [--loss NAME] [--type double|float] [--arithmetic accurate|fast] [--shape NxD]</c>: two builds of the library
/// in one process, their loss calls alternating batch by batch, a tuning probe (<see cref="BuildPairCommand"/>);</item>
/// <item>anything else: BenchmarkDotNet's own command line, e.g. <c>--filter '*' --job short</c>; results, with
/// the full JSON export <c>compare</c> reads, go to <c>artifacts/benchmarks/results/</c>.</item>
/// </list>
/// </summary>
public static class Program
{
    /// <summary>Runs a subcommand, or the benchmarks selected on BenchmarkDotNet's command line; returns the exit code.</summary>
    public static int Main(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var rest = args.Skip(1).ToArray();
        switch (args.FirstOrDefault())
        {
            case "ab":
                return AbCommand.Run(rest, Console.Out);
            case AbLaunchCommand.Name:
                return AbLaunchCommand.Run(rest, Console.Out);
            case "compare":
                return CompareCommand.Run(rest, Console.Out);
            case "smoke":
                return SmokeCommand.Run(rest, Console.Out);
            case Losses.PairedPassCommand.Name:
                return Losses.PairedPassCommand.Run(rest, Console.Out);
            case BuildPairCommand.Name:
                return BuildPairCommand.Run(rest, Console.Out);
            default:
                var config = ManualConfig.Create(DefaultConfig.Instance)
                    .AddExporter(JsonExporter.Full)
                    .WithArtifactsPath(Path.Combine(ExitCodes.RepositoryRoot(), "artifacts", "benchmarks"));
                var summaries = BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, config).ToArray();

                // Non-zero when a selected benchmark failed or a class is invalid, so scripts notice.
                var failed = summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success));
                return failed ? 1 : 0;
        }
    }
}
