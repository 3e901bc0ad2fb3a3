using System.Numerics;
using System.Numerics.Tensors;

namespace Gradients;

public static partial class PoissonLoss
{
    /// <summary><see cref="Loss{T}(ReadOnlyTensorSpan{T}, ReadOnlyTensorSpan{T}, ReadOnlyTensorSpan{T})"/> for <see cref="Tensor{T}"/>.</summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="features">X, rank 2 (N×D), dense row-major.</param>
    /// <param name="targets">y, rank 1 (N), each ≥ 0.</param>
    /// <param name="weights">w, rank 1 (D).</param>
    /// <returns>The loss.</returns>
    /// <exception cref="ArgumentNullException">A tensor is null.</exception>
    /// <exception cref="ArgumentException">A tensor has the wrong rank or lengths, or a layout that is not dense row-major, or a target is negative.</exception>
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
    /// <param name="features">X, rank 2 (N×D), dense row-major.</param>
    /// <param name="targets">y, rank 1 (N), each ≥ 0.</param>
    /// <param name="weights">w, rank 1 (D).</param>
    /// <param name="gradient">Receives the gradient, rank 1 (D); must not overlap an input.</param>
    /// <returns>The loss.</returns>
    /// <exception cref="ArgumentNullException">A tensor is null.</exception>
    /// <exception cref="ArgumentException">A tensor has the wrong rank or lengths, a layout that is not dense row-major, or the gradient overlaps an input, or a target is negative.</exception>
    public static T LossAndGradient<T>(Tensor<T> features, Tensor<T> targets, Tensor<T> weights, Tensor<T> gradient)
        where T : IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(targets);
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(gradient);
        return LossAndGradient(features.AsReadOnlyTensorSpan(), targets.AsReadOnlyTensorSpan(), weights.AsReadOnlyTensorSpan(), gradient.AsTensorSpan());
    }
}
