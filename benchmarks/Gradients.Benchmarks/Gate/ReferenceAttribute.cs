namespace Gradients.Benchmarks;

/// <summary>
/// Marks a benchmark method (or every benchmark of a class) as a <b>reference</b>: it times code that is not a
/// Gradients entry point — a naive loop, a read-only pass, TensorPrimitives, MathNet — and stays in the tables as
/// context and as a floor, but the A/B gate (<c>ab</c>) does not run or judge it: its speed says nothing about a
/// change to Gradients. Every benchmark <b>without</b> this attribute is gated: a new benchmark is protected from
/// its first pull request. A benchmark that repeats a gated one (the same call at the same shapes, kept beside
/// other rows as context) is marked too, naming where it is gated: one verdict per entry point and shape.
/// <c>tests/Gradients.Benchmarks.Tests/Gate/BenchmarkClassification.approved.txt</c> lists every benchmark method
/// with its role, so adding one (or changing a role) shows up in review.
/// </summary>
/// <param name="reason">What the benchmark times instead of our code, e.g. "MathNet.Numerics".</param>
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Class, Inherited = false)]
public sealed class ReferenceAttribute(string reason) : Attribute
{
    /// <summary>What the benchmark times instead of our code.</summary>
    public string Reason { get; } = reason;
}
