using Gradients.Benchmarks.Gate;

namespace Gradients.Benchmarks.Tests.Gate;

/// <summary>The <c>ab</c> command line: what it refuses before building anything (exit code 2).</summary>
public sealed class AbCommandTests
{
    [Theory]
    [InlineData("")]
    [InlineData("--filter *")] // no --base
    [InlineData("--base HEAD stray")]
    [InlineData("--base HEAD --job short")] // BenchmarkDotNet options are not passed on
    [InlineData("--base HEAD --threshold 1.5")]
    [InlineData("--base HEAD --alpha 0.7")]
    [InlineData("--base HEAD --launches 2")]
    [InlineData("--base HEAD --launches 8 --max-launches 6")] // fewer than the first look
    [InlineData("--base HEAD --max-launches many")]
    [InlineData("--base HEAD --budget -1")]
    [InlineData("--base HEAD --clock tsc")]
    [InlineData("--base HEAD --quick yes")]
    [InlineData("--base HEAD --shard 3/2")]
    [InlineData("--base HEAD --shard 0/2")]
    [InlineData("--base HEAD --shard 1/17")]
    [InlineData("--base HEAD --shard half")]
    [InlineData("--base HEAD --filter *SoftmaxLossAndGradient --shard 2/2")] // one method for two shards: an empty shard
    public void A_wrong_command_line_is_a_usage_error(string commandLine)
    {
        using var output = new StringWriter();

        Assert.Equal(ExitCodes.Usage, AbCommand.Run(commandLine.Split(' ', StringSplitOptions.RemoveEmptyEntries), output));
        Assert.StartsWith("ab: ", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_filter_that_selects_only_reference_rows_is_a_usage_error_that_says_so()
    {
        using var output = new StringWriter();

        Assert.Equal(ExitCodes.Usage, AbCommand.Run(["--base", "HEAD", "--filter", "*MathNet*"], output));
        Assert.Contains("reference rows are never gated", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void The_launch_subcommand_refuses_a_call_without_filter()
    {
        using var output = new StringWriter();

        Assert.Equal(ExitCodes.Usage, AbLaunchCommand.Run(["--clock", "cpu"], output));
    }
}

/// <summary>The CPU-time clocks the gate measures with. Alone, so no other test burns this process's CPU meanwhile.</summary>
[Collection(nameof(CpuTimeClockTests))]
[CollectionDefinition(nameof(CpuTimeClockTests), DisableParallelization = true)]
public sealed class CpuTimeClockTests
{
    [Theory]
    [InlineData("process", null)]
    [InlineData("thread", 0.01)]
    public void The_CPU_clocks_advance_with_work_and_not_with_sleep(string which, double? maxSleptSeconds)
    {
        // Work: ~50 ms of arithmetic must show as CPU time (at least 1 ms of it, however loaded the machine); sleep:
        // 200 ms asleep must not move the thread clock by more than 10 ms (the sleep's own system calls take
        // microseconds). The process clock is not bounded while asleep: it also counts the runtime's own threads
        // (tiered JIT, GC), which in CI burned 255 ms of CPU during one 200 ms sleep — that is why the gate times the
        // thread. The collection keeps the other tests of this assembly from running at the same time.
        var clock = which == "thread" ? CpuTimeClock.CurrentThread : CpuTimeClock.Process;
        var start = clock.GetTimestamp();
        var sum = 0.0;
        var until = DateTime.UtcNow.AddMilliseconds(50);
        while (DateTime.UtcNow < until)
        {
            sum += Math.Sqrt(sum + 1);
        }

        var worked = (clock.GetTimestamp() - start) / clock.Frequency.Hertz;
        var beforeSleep = clock.GetTimestamp();
        Thread.Sleep(200);
        var slept = (clock.GetTimestamp() - beforeSleep) / clock.Frequency.Hertz;

        Assert.True(sum > 0);
        Assert.InRange(worked, 0.001, 10);
        if (maxSleptSeconds is { } bound)
        {
            Assert.InRange(slept, 0, bound);
        }
    }
}

/// <summary>How <c>ab-launch --case</c> names a case: as the JSON export and the gate's reports do.</summary>
public sealed class AbCaseFilterTests
{
    [Fact]
    public void Closed_generic_classes_are_named_as_the_JSON_export_names_them()
    {
        Assert.Equal("SumBenchmarks<Double>", BenchmarkResults.TypeName(typeof(SumBenchmarks<double>)));
        Assert.Equal("AbCaseFilterTests", BenchmarkResults.TypeName(typeof(AbCaseFilterTests)));
    }

    [Fact]
    public void A_case_name_that_is_no_benchmark_key_is_a_usage_error()
    {
        using var output = new StringWriter();

        Assert.Equal(ExitCodes.Usage, AbLaunchCommand.Run(["--filter", "*Sum*", "--case", "Sum.Copy(Length=1000"], output));
        Assert.Contains("--case 'Sum.Copy(Length=1000'", output.ToString(), StringComparison.Ordinal);
    }
}
