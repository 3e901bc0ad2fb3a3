using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace Gradients;

public static partial class MeanSquaredError
{
    /// <summary>
    /// K regressions sharing the features, in one pass over X: targets Y (N×K), weights W (D×K) and gradient
    /// (D×K), all row-major. Output k is exactly the single-output problem (X, Y[:, k], W[:, k]): its loss is
    /// (1/N)·Σᵢ rᵢₖ² and column k of the gradient is (2/N)·Xᵀr₊ₖ.
    /// </summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="features">X, N rows of D features, row-major.</param>
    /// <param name="targets">Y, N×K, row-major (row i holds the K targets of sample i).</param>
    /// <param name="weights">W, D×K, row-major.</param>
    /// <param name="gradient">Receives the D×K gradient, row-major; must not overlap an input.</param>
    /// <param name="losses">Receives the K losses; its length is K ≥ 1. Must not overlap an input or <paramref name="gradient"/>.</param>
    /// <exception cref="ArgumentException">
    /// K is zero, a length is not a multiple of K, N or D is zero, a length does not match N, D, K, or an output overlaps an input.
    /// </exception>
    /// <remarks>NaN in the data gives NaN in the affected losses and gradient entries. Accumulates in double; no allocation for D·K ≤ 480.</remarks>
    [SkipLocalsInit]
    public static void LossAndGradient<T>(
        ReadOnlySpan<T> features, ReadOnlySpan<T> targets, ReadOnlySpan<T> weights, Span<T> gradient, Span<T> losses)
        where T : IFloatingPointIeee754<T>
    {
        var outputs = losses.Length;
        ThrowHelper.ThrowIfEmpty(outputs, nameof(losses));
        if (targets.Length % outputs != 0)
        {
            ThrowHelper.ThrowArgument($"'{nameof(targets)}' has length {targets.Length}, which is not a multiple of K = losses.Length = {outputs} (N×K row-major).", nameof(targets));
        }

        if (weights.Length % outputs != 0)
        {
            ThrowHelper.ThrowArgument($"'{nameof(weights)}' has length {weights.Length}, which is not a multiple of K = losses.Length = {outputs} (D×K row-major).", nameof(weights));
        }

        var rows = targets.Length / outputs;
        var dimension = weights.Length / outputs;
        ThrowHelper.ThrowIfEmpty(rows, nameof(targets));
        ThrowHelper.ThrowIfEmpty(dimension, nameof(weights));
        ThrowHelper.ThrowIfNotMatrix(features.Length, rows, dimension, nameof(features), "targets.Length / K (N)", "weights.Length / K (D)");
        ThrowHelper.ThrowIfLengthMismatch(gradient.Length, weights.Length, nameof(gradient), "weights (D×K)");
        ThrowHelper.ThrowIfOverlapping(features, gradient, nameof(features), nameof(gradient));
        ThrowHelper.ThrowIfOverlapping(targets, gradient, nameof(targets), nameof(gradient));
        ThrowHelper.ThrowIfOverlapping(weights, gradient, nameof(weights), nameof(gradient));
        ThrowHelper.ThrowIfOverlapping(features, losses, nameof(features), nameof(losses));
        ThrowHelper.ThrowIfOverlapping(targets, losses, nameof(targets), nameof(losses));
        ThrowHelper.ThrowIfOverlapping(weights, losses, nameof(weights), nameof(losses));
        ThrowHelper.ThrowIfOverlapping<T>(gradient, losses, nameof(gradient), nameof(losses));

        // D·K + 2K double sums: in long, since K alone may be up to int.MaxValue (a negative int would reach stackalloc).
        var required = (long)weights.Length + (2L * outputs);
        if (required > Array.MaxLength)
        {
            ThrowHelper.ThrowArgument(
                $"'{nameof(losses)}' has length K = {outputs} with 'weights' of length D×K = {dimension}×{outputs} = {weights.Length}: the pass needs D·K + 2K = {required} double sums, more than the largest array (Array.MaxLength = {Array.MaxLength}).",
                nameof(losses));
        }

        var size = (int)required;
        double[]? rented = null;
        var scratch = size <= 512 ? stackalloc double[size] : (rented = ArrayPool<double>.Shared.Rent(size)).AsSpan(0, size);
        var sums = scratch[..weights.Length];
        var squares = scratch.Slice(weights.Length, outputs);
        var residuals = scratch.Slice(weights.Length + outputs, outputs);

        if (typeof(T) == typeof(double))
        {
            FusedPass.MultiOutput<double, DoubleElements>(
                FusedPass.Reinterpret<T, double>(features), FusedPass.Reinterpret<T, double>(targets), FusedPass.Reinterpret<T, double>(weights),
                outputs, sums, squares, residuals);
        }
        else if (typeof(T) == typeof(float))
        {
            FusedPass.MultiOutput<float, SingleElements>(
                FusedPass.Reinterpret<T, float>(features), FusedPass.Reinterpret<T, float>(targets), FusedPass.Reinterpret<T, float>(weights),
                outputs, sums, squares, residuals);
        }
        else
        {
            FusedPass.MultiOutput<T, GenericElements<T>>(features, targets, weights, outputs, sums, squares, residuals);
        }

        var half = rows / 2.0;
        for (var i = 0; i < sums.Length; i++)
        {
            gradient[i] = T.CreateTruncating(sums[i] / half);
        }

        for (var c = 0; c < outputs; c++)
        {
            losses[c] = T.CreateTruncating(squares[c] / rows);
        }

        if (rented is not null)
        {
            ScratchBuffer.ReturnCleared(rented, size);
        }
    }
}
