using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;

namespace Gradients;

public static partial class MeanSquaredError
{
    /// <summary>
    /// <see cref="Loss{T}(ReadOnlySpan{T}, ReadOnlySpan{T}, ReadOnlySpan{T})"/> for tensors: features N×D (rank 2),
    /// targets N and weights D (rank 1), each dense and row-major.
    /// </summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="features">X, rank 2 (N×D), dense row-major.</param>
    /// <param name="targets">y, rank 1 (N), dense.</param>
    /// <param name="weights">w, rank 1 (D), dense.</param>
    /// <returns>The loss; NaN if the data hold a NaN.</returns>
    /// <exception cref="ArgumentException">A tensor has the wrong rank or lengths, or a layout that is not dense row-major (strided slices, broadcasts).</exception>
    public static T Loss<T>(ReadOnlyTensorSpan<T> features, ReadOnlyTensorSpan<T> targets, ReadOnlyTensorSpan<T> weights)
        where T : IFloatingPointIeee754<T>
    {
        var x = Matrix(features, nameof(features), out var rows, out var columns);
        return Loss(x, Vector(targets, rows, nameof(targets)), Vector(weights, columns, nameof(weights)));
    }

    /// <summary>
    /// <see cref="LossAndGradient{T}(ReadOnlySpan{T}, ReadOnlySpan{T}, ReadOnlySpan{T}, Span{T})"/> for tensors:
    /// features N×D (rank 2), targets N, weights D and gradient D (rank 1), each dense and row-major.
    /// </summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="features">X, rank 2 (N×D), dense row-major.</param>
    /// <param name="targets">y, rank 1 (N), dense.</param>
    /// <param name="weights">w, rank 1 (D), dense.</param>
    /// <param name="gradient">Receives the gradient, rank 1 (D), dense; must not overlap an input.</param>
    /// <returns>The loss; NaN if the data hold a NaN.</returns>
    /// <exception cref="ArgumentException">A tensor has the wrong rank or lengths, a layout that is not dense row-major, or the gradient overlaps an input.</exception>
    public static T LossAndGradient<T>(ReadOnlyTensorSpan<T> features, ReadOnlyTensorSpan<T> targets, ReadOnlyTensorSpan<T> weights, TensorSpan<T> gradient)
        where T : IFloatingPointIeee754<T>
    {
        var x = Matrix(features, nameof(features), out var rows, out var columns);
        var g = Vector((ReadOnlyTensorSpan<T>)gradient, columns, nameof(gradient));
        return LossAndGradient(
            x, Vector(targets, rows, nameof(targets)), Vector(weights, columns, nameof(weights)),
            MemoryMarshal.CreateSpan(ref MemoryMarshal.GetReference(g), g.Length));
    }

    /// <summary>
    /// The multi-output <see cref="LossAndGradient{T}(ReadOnlySpan{T}, ReadOnlySpan{T}, ReadOnlySpan{T}, Span{T}, Span{T})"/>
    /// for tensors: features N×D, targets N×K, weights D×K and gradient D×K, each rank 2, dense and row-major.
    /// </summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="features">X, rank 2 (N×D).</param>
    /// <param name="targets">Y, rank 2 (N×K).</param>
    /// <param name="weights">W, rank 2 (D×K).</param>
    /// <param name="gradient">Receives the gradient, rank 2 (D×K).</param>
    /// <param name="losses">Receives the K losses.</param>
    /// <exception cref="ArgumentException">A tensor has the wrong rank or lengths, a layout that is not dense row-major, or an output overlaps an input.</exception>
    public static void LossAndGradient<T>(
        ReadOnlyTensorSpan<T> features, ReadOnlyTensorSpan<T> targets, ReadOnlyTensorSpan<T> weights, TensorSpan<T> gradient, Span<T> losses)
        where T : IFloatingPointIeee754<T>
    {
        // K comes from losses: an empty one is reported as K = 0, before the tensors are compared with it.
        ThrowHelper.ThrowIfEmpty(losses.Length, nameof(losses));
        var x = Matrix(features, nameof(features), out var rows, out var columns);
        var y = Matrix(targets, nameof(targets), out var targetRows, out var targetColumns);
        var w = Matrix(weights, nameof(weights), out var weightRows, out var weightColumns);
        var g = Matrix((ReadOnlyTensorSpan<T>)gradient, nameof(gradient), out var gradientRows, out var gradientColumns);
        RequireLength(targetRows, rows, nameof(targets), "rows", "features' rows (N)");
        RequireLength(weightRows, columns, nameof(weights), "rows", "features' columns (D)");
        RequireLength(targetColumns, losses.Length, nameof(targets), "columns", "losses.Length (K)");
        RequireLength(weightColumns, losses.Length, nameof(weights), "columns", "losses.Length (K)");
        RequireLength(gradientRows, weightRows, nameof(gradient), "rows", "weights' rows (D)");
        RequireLength(gradientColumns, weightColumns, nameof(gradient), "columns", "weights' columns (K)");
        LossAndGradient(x, y, w, MemoryMarshal.CreateSpan(ref MemoryMarshal.GetReference(g), g.Length), losses);
    }

    /// <summary><see cref="Loss{T}(ReadOnlyTensorSpan{T}, ReadOnlyTensorSpan{T}, ReadOnlyTensorSpan{T})"/> for <see cref="Tensor{T}"/>.</summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="features">X, rank 2 (N×D).</param>
    /// <param name="targets">y, rank 1 (N).</param>
    /// <param name="weights">w, rank 1 (D).</param>
    /// <returns>The loss.</returns>
    /// <exception cref="ArgumentException">A tensor has the wrong rank or lengths, or a layout that is not dense row-major.</exception>
    public static T Loss<T>(Tensor<T> features, Tensor<T> targets, Tensor<T> weights)
        where T : IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(targets);
        ArgumentNullException.ThrowIfNull(weights);
        return Loss(features.AsReadOnlyTensorSpan(), targets.AsReadOnlyTensorSpan(), weights.AsReadOnlyTensorSpan());
    }

    /// <summary><see cref="LossAndGradient{T}(ReadOnlyTensorSpan{T}, ReadOnlyTensorSpan{T}, ReadOnlyTensorSpan{T}, TensorSpan{T})"/> for <see cref="Tensor{T}"/>.</summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="features">X, rank 2 (N×D).</param>
    /// <param name="targets">y, rank 1 (N).</param>
    /// <param name="weights">w, rank 1 (D).</param>
    /// <param name="gradient">Receives the gradient, rank 1 (D).</param>
    /// <returns>The loss.</returns>
    /// <exception cref="ArgumentException">A tensor has the wrong rank or lengths, a layout that is not dense row-major, or the gradient overlaps an input.</exception>
    public static T LossAndGradient<T>(Tensor<T> features, Tensor<T> targets, Tensor<T> weights, Tensor<T> gradient)
        where T : IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(targets);
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(gradient);
        return LossAndGradient(features.AsReadOnlyTensorSpan(), targets.AsReadOnlyTensorSpan(), weights.AsReadOnlyTensorSpan(), gradient.AsTensorSpan());
    }

    /// <summary>A dense row-major rank-2 tensor as a flat span with its shape.</summary>
    /// <remarks>
    /// The shape is checked before the layout: an empty or oversized tensor is reported as such (the strides of an
    /// empty tensor say nothing), and lengths are compared as <see cref="nint"/> so none is truncated to int.
    /// </remarks>
    internal static ReadOnlySpan<T> Matrix<T>(ReadOnlyTensorSpan<T> tensor, string paramName, out int rows, out int columns)
    {
        var lengths = tensor.Lengths;
        var strides = tensor.Strides;
        if (tensor.Rank != 2)
        {
            ThrowHelper.ThrowArgument($"'{paramName}' must be a rank-2 tensor (rows × columns); it has rank {tensor.Rank} and lengths [{string.Join(", ", lengths.ToArray())}].", paramName);
        }

        RequireShape(lengths, 0, paramName);
        RequireShape(lengths, 1, paramName);
        var elements = (long)lengths[0] * lengths[1];
        if (elements > int.MaxValue)
        {
            ThrowHelper.ThrowArgument(
                $"'{paramName}' has lengths [{lengths[0]}, {lengths[1]}]: {lengths[0]} × {lengths[1]} = {elements} elements, more than a span can hold (int.MaxValue = {int.MaxValue}).",
                paramName);
        }

        rows = (int)lengths[0];
        columns = (int)lengths[1];
        if ((columns > 1 && strides[1] != 1) || (rows > 1 && strides[0] != columns))
        {
            ThrowLayout(paramName, lengths, strides);
        }

        return MemoryMarshal.CreateReadOnlySpan(in tensor.GetPinnableReference(), (int)elements);
    }

    /// <summary>A dense rank-1 tensor of the given length as a span.</summary>
    internal static ReadOnlySpan<T> Vector<T>(ReadOnlyTensorSpan<T> tensor, int length, string paramName)
    {
        var lengths = tensor.Lengths;
        if (tensor.Rank != 1)
        {
            ThrowHelper.ThrowArgument($"'{paramName}' must be a rank-1 tensor of length {length}; it has rank {tensor.Rank} and lengths [{string.Join(", ", lengths.ToArray())}].", paramName);
        }

        if (lengths[0] != length)
        {
            ThrowHelper.ThrowArgument($"'{paramName}' has length {lengths[0]}, but the features' shape requires {length}.", paramName);
        }

        if (length > 1 && tensor.Strides[0] != 1)
        {
            ThrowLayout(paramName, lengths, tensor.Strides);
        }

        return MemoryMarshal.CreateReadOnlySpan(in tensor.GetPinnableReference(), length);
    }

    /// <summary>Throws when a rank-2 tensor has no rows or no columns: N, D or K would be 0.</summary>
    private static void RequireShape(ReadOnlySpan<nint> lengths, int axis, string paramName)
    {
        if (lengths[axis] == 0)
        {
            var symbol = (paramName, axis) switch
            {
                ("features", 0) or ("targets", 0) => "N (the number of samples)",
                ("features", 1) or ("weights", 0) or ("gradient", 0) => "D (the number of features)",
                _ => "K (the number of outputs)",
            };
            ThrowHelper.ThrowArgument(
                $"'{paramName}' has lengths [{lengths[0]}, {lengths[1]}], so {symbol} is 0; it must be at least 1 (the tensor holds no elements).",
                paramName);
        }
    }

    private static void RequireLength(int actual, int expected, string paramName, string what, string source)
    {
        if (actual != expected)
        {
            ThrowHelper.ThrowArgument($"'{paramName}' has {what} {actual}, but {source} requires {expected}.", paramName);
        }
    }

    private static void ThrowLayout(string paramName, ReadOnlySpan<nint> lengths, ReadOnlySpan<nint> strides) =>
        ThrowHelper.ThrowArgument(
            $"'{paramName}' has lengths [{string.Join(", ", lengths.ToArray())}] and strides [{string.Join(", ", strides.ToArray())}]; only dense row-major tensors can be read (copy a strided slice or broadcast with ToDenseTensor or CopyTo first).",
            paramName);
}
