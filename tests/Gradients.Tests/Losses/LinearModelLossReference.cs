using System.Text.Json;

namespace Gradients.Tests.Losses;

/// <summary>
/// The cases of tests/reference/linear_model_losses.json: data, mpmath (60-digit) reference values and, where
/// scikit-learn has the loss, its <c>LinearModelLoss.loss_gradient</c> values (written by the script beside the file).
/// </summary>
internal sealed record LinearModelLossCase(
    string Name, string Loss, int Rows, int Columns, int Classes, double[] Features, double[] Targets, int[] Labels,
    double[] Weights, double Intercept, double[] Intercepts, double[]? SampleWeights, double? Delta,
    double ExpectedLoss, double[] ExpectedGradient, JsonElement ExpectedInterceptGradient,
    double? SklearnLoss, double[]? SklearnGradient, JsonElement SklearnInterceptGradient)
{
    private static readonly JsonSerializerOptions Options = new() { PropertyNameCaseInsensitive = true };

    /// <summary>All cases, read once.</summary>
    public static IReadOnlyList<LinearModelLossCase> All { get; } = Read();

    /// <summary>The cases of one loss, by name (for <c>MemberData</c>).</summary>
    public static TheoryData<string> Names(string loss)
    {
        var data = new TheoryData<string>();
        foreach (var c in All.Where(c => c.Loss == loss))
        {
            data.Add(c.Name);
        }

        return data;
    }

    /// <summary>The case with this name.</summary>
    public static LinearModelLossCase Named(string name) => All.Single(c => c.Name == name);

    /// <summary>‖a − b‖∞ / ‖b‖∞: a normwise relative error (entries near zero make entry-wise ones meaningless).</summary>
    public static double RelativeError(ReadOnlySpan<double> actual, ReadOnlySpan<double> expected)
    {
        var difference = 0.0;
        var size = 0.0;
        for (var i = 0; i < expected.Length; i++)
        {
            difference = Math.Max(difference, Math.Abs(actual[i] - expected[i]));
            size = Math.Max(size, Math.Abs(expected[i]));
        }

        return difference / size;
    }

    private static List<LinearModelLossCase> Read()
    {
        var path = Path.Combine(RepositoryPaths.Root, "tests", "reference", "linear_model_losses.json");
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        return [.. document.RootElement.GetProperty("cases").EnumerateArray().Select(c => c.Deserialize<LinearModelLossCase>(Options)!)];
    }
}
