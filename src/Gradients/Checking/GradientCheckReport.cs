using System.Globalization;
using System.Numerics;
using System.Text;

namespace Gradients;

/// <summary>
/// The result of a <see cref="GradientCheck"/>: one <see cref="GradientCheckEntry{T}"/> per component (or per random
/// direction), the worst one, and the verdict. <see cref="ToString"/> prints it as a table.
/// </summary>
/// <typeparam name="T">The floating-point type.</typeparam>
public sealed class GradientCheckReport<T>
    where T : IFloatingPointIeee754<T>
{
    private readonly GradientCheckEntry<T>[] _entries;
    private readonly T[] _directions;

    internal GradientCheckReport(GradientCheckMode mode, GradientCheckEntry<T>[] entries, T[] directions, int evaluations, int? seed)
    {
        Mode = mode;
        _entries = entries;
        _directions = directions;
        Evaluations = evaluations;
        Seed = seed;

        // The worst entry is the one furthest outside (or least inside) its own tolerance; NaN errors count as worst.
        var worst = 0;
        for (var i = 1; i < entries.Length; i++)
        {
            var ratio = entries[i].ToleranceRatio;
            var worstRatio = entries[worst].ToleranceRatio;
            if (T.IsNaN(ratio) ? !T.IsNaN(worstRatio) : ratio > worstRatio)
            {
                worst = i;
            }
        }

        WorstIndex = worst;
        var failures = 0;
        foreach (var entry in entries)
        {
            failures += entry.Passed ? 0 : 1;
        }

        FailureCount = failures;
        var resolution = T.Zero;
        foreach (var entry in entries)
        {
            resolution = T.Max(resolution, entry.Resolution);
        }

        Resolution = resolution;
    }

    /// <summary>
    /// The resolution of the check: the largest <see cref="GradientCheckEntry{T}.Resolution"/>, so every entry whose
    /// analytic value is off by more than this relative error is caught. A full check in double typically resolves
    /// 1e-9 or better, in float 1e-4 to 1e-3.
    /// </summary>
    public T Resolution { get; }

    /// <summary>Whether the entries are gradient components or random directions.</summary>
    public GradientCheckMode Mode { get; }

    /// <summary>The entries: component i at index i, or direction j at index j.</summary>
    public IReadOnlyList<GradientCheckEntry<T>> Entries => _entries;

    /// <summary>
    /// The random unit directions of a fast check, row-major k×n (row j belongs to entry j); empty for a full check.
    /// </summary>
    public ReadOnlyMemory<T> Directions => _directions;

    /// <summary>The position in <see cref="Entries"/> of the entry with the largest error relative to its tolerance.</summary>
    public int WorstIndex { get; }

    /// <summary>The entry with the largest error relative to its tolerance: in a full check, the most suspicious component.</summary>
    public GradientCheckEntry<T> Worst => _entries[WorstIndex];

    /// <summary>The number of entries outside their tolerance.</summary>
    public int FailureCount { get; }

    /// <summary>Whether every entry is within its tolerance.</summary>
    public bool Passed => FailureCount == 0;

    /// <summary>The number of evaluations of f the check spent (the analytic gradient is evaluated once).</summary>
    public int Evaluations { get; }

    /// <summary>The seed of the random directions (fast check); <see langword="null"/> for a full check.</summary>
    public int? Seed { get; }

    /// <summary>The report as a table: a verdict line, then one row per entry, failed rows marked.</summary>
    /// <returns>The table.</returns>
    public override string ToString()
    {
        var culture = CultureInfo.InvariantCulture;
        var what = Mode == GradientCheckMode.Components ? "component" : "direction";
        var builder = new StringBuilder();
        builder.Append(culture, $"Gradient check ({typeof(T).Name}, ");
        builder.Append(Mode == GradientCheckMode.Components
            ? "adaptive central differences per component (Ridders)"
            : $"{_entries.Length} random directions, seed {Seed}, central differences");
        builder.Append(culture, $", {Evaluations} evaluations, resolution {Format(Resolution)} relative): ");
        builder.Append(Passed ? "PASSED" : $"FAILED, {FailureCount} of {_entries.Length} {what}s outside tolerance");
        builder.Append(culture, $"; worst {what} {Worst.Index} (error/tolerance {Format(Worst.ToleranceRatio)})");
        builder.AppendLine();
        builder.AppendLine(culture, $"{what,9} {"analytic",12} {"numeric",12} {"abs error",12} {"rel error",12} {"step",12} {"predicted",12} {"tolerance",12} {"resolution",12}  ok");
        foreach (var entry in _entries)
        {
            builder.AppendLine(culture,
                $"{entry.Index,9} {Format(entry.Analytic),12} {Format(entry.Numeric),12} {Format(entry.AbsoluteError),12} {Format(entry.RelativeError),12} {Format(entry.Step),12} {Format(entry.PredictedError),12} {Format(entry.Tolerance),12} {Format(entry.Resolution),12}  {(entry.Passed ? "yes" : "NO <<")}");
        }

        return builder.ToString();
    }

    private static string Format(T value) => value.ToString("E4", CultureInfo.InvariantCulture);
}
