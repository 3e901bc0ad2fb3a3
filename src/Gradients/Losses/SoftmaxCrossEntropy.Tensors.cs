using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;

namespace Gradients;

public static partial class SoftmaxCrossEntropy
{
    /// <summary>
    /// <see cref="Loss{T}(ReadOnlySpan{T}, ReadOnlySpan{int}, ReadOnlySpan{T})"/> for tensors: features N×D and
    /// weights D×K (rank 2), labels N (rank 1), each dense and row-major.
    /// </summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="features">X, rank 2 (N×D), dense row-major.</param>
    /// <param name="labels">y, rank 1 (N), dense: class indices, each in 0…K−1.</param>
    /// <param name="weights">W, rank 2 (D×K), dense row-major.</param>
    /// <returns>The loss.</returns>
    /// <exception cref="ArgumentException">A tensor has the wrong rank or lengths (the message names N, D or K), or a layout that is not dense row-major, or a label is outside 0…K−1 (the message names the first such index and its value).</exception>
    public static T Loss<T>(ReadOnlyTensorSpan<T> features, ReadOnlyTensorSpan<int> labels, ReadOnlyTensorSpan<T> weights)
        where T : IFloatingPointIeee754<T>
    {
        var x = MeanSquaredError.Matrix(features, nameof(features), out var rows, out var columns);
        var y = MeanSquaredError.Vector(labels, rows, nameof(labels));
        var w = MeanSquaredError.Matrix(weights, nameof(weights), out var weightRows, out _);
        RequireLength(weightRows, columns, nameof(weights), "rows", "the features' columns (D)");
        return Loss(x, y, w);
    }

    /// <summary>
    /// <see cref="LossAndGradient{T}(ReadOnlySpan{T}, ReadOnlySpan{int}, ReadOnlySpan{T}, Span{T})"/> for tensors:
    /// features N×D, weights and gradient D×K (rank 2), labels N (rank 1), each dense and row-major.
    /// </summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="features">X, rank 2 (N×D), dense row-major.</param>
    /// <param name="labels">y, rank 1 (N), dense: class indices, each in 0…K−1.</param>
    /// <param name="weights">W, rank 2 (D×K), dense row-major.</param>
    /// <param name="gradient">Receives the gradient, rank 2 (D×K), dense row-major; must not overlap an input.</param>
    /// <returns>The loss.</returns>
    /// <exception cref="ArgumentException">A tensor has the wrong rank or lengths (the message names N, D or K), a layout that is not dense row-major, or the gradient overlaps an input, or a label is outside 0…K−1 (the message names the first such index and its value).</exception>
    public static T LossAndGradient<T>(ReadOnlyTensorSpan<T> features, ReadOnlyTensorSpan<int> labels, ReadOnlyTensorSpan<T> weights, TensorSpan<T> gradient)
        where T : IFloatingPointIeee754<T>
    {
        var x = MeanSquaredError.Matrix(features, nameof(features), out var rows, out var columns);
        var y = MeanSquaredError.Vector(labels, rows, nameof(labels));
        var w = MeanSquaredError.Matrix(weights, nameof(weights), out var weightRows, out var classes);
        RequireLength(weightRows, columns, nameof(weights), "rows", "the features' columns (D)");
        var g = MeanSquaredError.Matrix((ReadOnlyTensorSpan<T>)gradient, nameof(gradient), out var gradientRows, out var gradientColumns);
        RequireLength(gradientRows, columns, nameof(gradient), "rows", "the features' columns (D)");
        RequireLength(gradientColumns, classes, nameof(gradient), "columns", "the weights' columns (K, the classes)");
        return LossAndGradient(x, y, w, MemoryMarshal.CreateSpan(ref MemoryMarshal.GetReference(g), g.Length));
    }

    /// <summary><see cref="Loss{T}(ReadOnlyTensorSpan{T}, ReadOnlyTensorSpan{int}, ReadOnlyTensorSpan{T})"/> for <see cref="Tensor{T}"/>.</summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="features">X, rank 2 (N×D), dense row-major.</param>
    /// <param name="labels">y, rank 1 (N): class indices, each in 0…K−1.</param>
    /// <param name="weights">W, rank 2 (D×K), dense row-major.</param>
    /// <returns>The loss.</returns>
    /// <exception cref="ArgumentNullException">A tensor is null.</exception>
    /// <exception cref="ArgumentException">A tensor has the wrong rank or lengths (the message names N, D or K), or a layout that is not dense row-major, or a label is outside 0…K−1.</exception>
    public static T Loss<T>(Tensor<T> features, Tensor<int> labels, Tensor<T> weights)
        where T : IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(weights);
        return Loss(features.AsReadOnlyTensorSpan(), labels.AsReadOnlyTensorSpan(), weights.AsReadOnlyTensorSpan());
    }

    /// <summary><see cref="LossAndGradient{T}(ReadOnlyTensorSpan{T}, ReadOnlyTensorSpan{int}, ReadOnlyTensorSpan{T}, TensorSpan{T})"/> for <see cref="Tensor{T}"/>.</summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="features">X, rank 2 (N×D), dense row-major.</param>
    /// <param name="labels">y, rank 1 (N): class indices, each in 0…K−1.</param>
    /// <param name="weights">W, rank 2 (D×K), dense row-major.</param>
    /// <param name="gradient">Receives the gradient, rank 2 (D×K); must not overlap an input.</param>
    /// <returns>The loss.</returns>
    /// <exception cref="ArgumentNullException">A tensor is null.</exception>
    /// <exception cref="ArgumentException">A tensor has the wrong rank or lengths (the message names N, D or K), a layout that is not dense row-major, or the gradient overlaps an input, or a label is outside 0…K−1.</exception>
    public static T LossAndGradient<T>(Tensor<T> features, Tensor<int> labels, Tensor<T> weights, Tensor<T> gradient)
        where T : IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(gradient);
        return LossAndGradient(features.AsReadOnlyTensorSpan(), labels.AsReadOnlyTensorSpan(), weights.AsReadOnlyTensorSpan(), gradient.AsTensorSpan());
    }

    private static void RequireLength(int actual, int expected, string paramName, string what, string source)
    {
        if (actual != expected)
        {
            ThrowHelper.ThrowArgument($"'{paramName}' has {what} {actual}, but {source} requires {expected}.", paramName);
        }
    }
}
