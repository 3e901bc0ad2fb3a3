using System.Numerics;

namespace Gradients;

internal static partial class LinearModelLoss
{
    /// <summary>
    /// The Hessian-vector product of the loss with respect to (w, b), in one pass over X and without an N×D buffer:
    /// per row, η = x·w + b and c = sᵢ·ℓ″(η)·(x·v + v_b), then Hv += c·x and (Hv)_b += c; finally both divided by S,
    /// and 2λv added (scikit-learn's <c>gradient_hessian_product</c> first builds h·X, an N×D copy).
    /// <paramref name="curvatureScale"/> multiplies ℓ″ (2 for the mean squared error, whose pointwise part hands the
    /// pass r rather than ∂(r²)/∂η = 2r).
    /// </summary>
    internal static void HessianVectorProduct<T, TLoss>(
        ReadOnlySpan<T> features, ReadOnlySpan<T> targets, ReadOnlySpan<T> weights, T intercept,
        ReadOnlySpan<T> direction, T directionIntercept, Span<T> product, out T productIntercept,
        ReadOnlySpan<T> sampleWeights, LinearModelLossOptions options, TLoss loss, double curvatureScale = 1.0)
        where T : IFloatingPointIeee754<T>
        where TLoss : struct, IPointwiseLoss
    {
        Validate(features, targets, weights, product, hasGradient: true, sampleWeights, nameof(product));
        ThrowHelper.ThrowIfLengthMismatch(direction.Length, weights.Length, nameof(direction), "weights.Length (D)");
        ThrowHelper.ThrowIfOverlapping(direction, product, nameof(direction), nameof(product));

        // A non-finite direction is rejected as ForwardMode's and FiniteDifference's Hessian-vector products reject
        // theirs: H·v would be NaN or ±∞ in every entry a data row reaches, whatever the data.
        var largest = 0.0;
        for (var j = 0; j < direction.Length; j++)
        {
            if (!T.IsFinite(direction[j]))
            {
                ThrowHelper.ThrowNonFiniteArgument(nameof(direction), j, double.CreateTruncating(direction[j]), direction.Length);
            }

            largest = Math.Max(largest, Math.Abs(double.CreateTruncating(direction[j])));
        }

        if (!T.IsFinite(directionIntercept))
        {
            ThrowHelper.ThrowArgument($"'{nameof(directionIntercept)}' is {directionIntercept}; the direction must be finite.", nameof(directionIntercept));
        }

        // H·v is linear in v: the pass runs on v·2⁻ᵉ (largest |vⱼ|, |v_b| in [1, 2)) and scales the sums back by 2ᵉ.
        // A power of two scales exactly, so the result is the unscaled one to the bit wherever that neither overflowed
        // nor underflowed; a huge v (x·v = 3·10³⁰⁸ − 3·10³⁰⁸) no longer gives ∞ − ∞ = NaN for a representable product.
        largest = Math.Max(largest, Math.Abs(double.CreateTruncating(directionIntercept)));
        var exponent = largest == 0.0 ? 0 : Math.ILogB(largest);

        options.Validate(nameof(options));
        var largestWeight = 0.0;
        var sum = sampleWeights.IsEmpty ? targets.Length : SumOfSampleWeights(sampleWeights, out largestWeight);
        sampleWeights = ScaledSampleWeights(sampleWeights, largestWeight, sum, out var normaliser, out var rentedWeights);
        try
        {
            HessianVectorProduct(features, targets, weights, intercept, direction, exponent, directionIntercept, product, out productIntercept, sampleWeights, normaliser, options, loss, curvatureScale);
        }
        finally
        {
            ReturnScaledSampleWeights(rentedWeights, sampleWeights.Length);
        }
    }

    /// <summary>The pass of a validated call: v scaled by 2⁻<paramref name="exponent"/>, the sample weights summing to <paramref name="normaliser"/>.</summary>
    private static void HessianVectorProduct<T, TLoss>(
        ReadOnlySpan<T> features, ReadOnlySpan<T> targets, ReadOnlySpan<T> weights, T intercept,
        ReadOnlySpan<T> direction, int exponent, T directionIntercept, Span<T> product, out T productIntercept,
        ReadOnlySpan<T> sampleWeights, double normaliser, LinearModelLossOptions options, TLoss loss, double curvatureScale)
        where T : IFloatingPointIeee754<T>
        where TLoss : struct, IPointwiseLoss
    {
        var d = weights.Length;
        var stack = default(ScratchBuffer<double>);
        var sums = ScratchBuffer.Take(ref stack, d, out var rented);
        sums.Clear();
        var b = double.CreateTruncating(intercept);
        var vb = Math.ScaleB(double.CreateTruncating(directionIntercept), -exponent);
        var interceptSum = 0.0;
        var invalid = false;
        for (var i = 0; i < targets.Length; i++)
        {
            var row = features.Slice(i * d, d);
            double eta = b, xv = vb;
            for (var j = 0; j < d; j++)
            {
                var x = double.CreateTruncating(row[j]);
                eta += x * double.CreateTruncating(weights[j]);
                xv += x * Math.ScaleB(double.CreateTruncating(direction[j]), -exponent);
            }

            var y = double.CreateTruncating(targets[i]);
            invalid |= TLoss.ChecksLabels && loss.IsInvalid(y);
            var c = curvatureScale * loss.SecondDerivative(eta, y) * xv;
            if (!sampleWeights.IsEmpty)
            {
                c *= double.CreateTruncating(sampleWeights[i]);
            }

            interceptSum += c;
            for (var j = 0; j < d; j++)
            {
                sums[j] += c * double.CreateTruncating(row[j]);
            }
        }

        if (invalid)
        {
            for (var i = 0; i < targets.Length; i++)
            {
                var y = double.CreateTruncating(targets[i]);
                if (loss.IsInvalid(y))
                {
                    ScratchBuffer.Return(rented);
                    ThrowHelper.ThrowArgument($"'targets[{i}]' is {y}; {TLoss.LabelRule}", nameof(targets));
                }
            }
        }

        var lambda = options.L2Penalty;
        for (var j = 0; j < d; j++)
        {
            product[j] = T.CreateTruncating(Math.ScaleB(sums[j] / normaliser, exponent) + (2.0 * lambda * double.CreateTruncating(direction[j])));
        }

        productIntercept = T.CreateTruncating(Math.ScaleB(interceptSum / normaliser, exponent));
        ScratchBuffer.Return(rented);
    }
}
