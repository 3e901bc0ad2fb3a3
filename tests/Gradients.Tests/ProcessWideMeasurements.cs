namespace Gradients.Tests;

/// <summary>
/// Tests that observe process-wide state — the thread pool's queue and threads, allocations that a busy queue makes
/// while it grows — run in this collection: after every parallel test, one at a time. Run beside the rest of the
/// suite, another test's burst of pool work could make them fail (a queue segment allocated on the measured thread,
/// a pool too busy to start a worker in time) without anything being wrong with the code they test.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessWideMeasurements
{
    /// <summary>The collection's name, for <c>[Collection]</c>.</summary>
    public const string Name = "Process-wide measurements";
}
