using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Exporters.Json;
using BenchmarkDotNet.Running;
using Gradients.Benchmarks.Gate;

namespace Gradients.Benchmarks;

/// <summary>
/// Entry point. <c>dotnet run -c Release --project benchmarks/Gradients.Benchmarks -- ARGS</c> where ARGS is
/// <list type="bullet">
/// <item><c>gate [--filter GLOB...] [--thresholds FILE] [--results FILE|DIR...]</c>: the regression gate (<see cref="GateCommand"/>);</item>
/// <item><c>compare BASE.json NEW.json [--threshold 5%] [--noise 1ns]</c>: two runs compared (<see cref="CompareCommand"/>);</item>
/// <item><c>smoke [--filter GLOB...]</c>: every benchmark run once (<see cref="SmokeCommand"/>);</item>
/// <item>anything else: BenchmarkDotNet's own command line, e.g. <c>--filter '*' --job short</c>; results, with
/// the full JSON export the gate and <c>compare</c> read, go to <c>artifacts/benchmarks/results/</c>.</item>
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
            case "gate":
                return GateCommand.Run(rest, Console.Out);
            case "compare":
                return CompareCommand.Run(rest, Console.Out);
            case "smoke":
                return SmokeCommand.Run(rest, Console.Out);
            default:
                var config = ManualConfig.Create(DefaultConfig.Instance)
                    .AddExporter(JsonExporter.Full)
                    .WithArtifactsPath(Path.Combine(GateCommand.RepositoryRoot(), "artifacts", "benchmarks"));
                var summaries = BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, config).ToArray();

                // Non-zero when a selected benchmark failed or a class is invalid, so scripts notice.
                var failed = summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success));
                return failed ? 1 : 0;
        }
    }
}
