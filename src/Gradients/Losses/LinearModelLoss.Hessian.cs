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
        for (var j = 0; j < direction.Length; j++)
        {
            if (!T.IsFinite(direction[j]))
            {
                ThrowHelper.ThrowNonFiniteArgument(nameof(direction), j, double.CreateTruncating(direction[j]), direction.Length);
            }
        }

        if (!T.IsFinite(directionIntercept))
        {
            ThrowHelper.ThrowArgument($"'{nameof(directionIntercept)}' is {directionIntercept}; the direction must be finite.", nameof(directionIntercept));
        }

        options.Validate(nameof(options));
        var normaliser = sampleWeights.IsEmpty ? targets.Length : SumOfSampleWeights(sampleWeights);

        var d = weights.Length;
        var stack = default(ScratchBuffer<double>);
        var sums = ScratchBuffer.Take(ref stack, d, out var rented);
        sums.Clear();
        var b = double.CreateTruncating(intercept);
        var vb = double.CreateTruncating(directionIntercept);
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
                xv += x * double.CreateTruncating(direction[j]);
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
            product[j] = T.CreateTruncating((sums[j] / normaliser) + (2.0 * lambda * double.CreateTruncating(direction[j])));
        }

        productIntercept = T.CreateTruncating(interceptSum / normaliser);
        ScratchBuffer.Return(rented);
    }
}
