using BenchmarkDotNet.Running;

namespace Gradients.Benchmarks;

/// <summary>Entry point: <c>dotnet run -c Release --project benchmarks/Gradients.Benchmarks -- --filter '*'</c>.</summary>
public static class Program
{
    /// <summary>Runs the benchmarks selected on the command line.</summary>
    public static int Main(string[] args)
    {
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        return 0;
    }
}
