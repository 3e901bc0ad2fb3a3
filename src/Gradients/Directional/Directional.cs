using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;

namespace Gradients;

/// <summary>
/// Directional derivatives from a gradient: the rate of change of f along a unit vector u is the dot product
/// D_u f = ∇f·u, largest (= ‖∇f‖) along u = ∇f/‖∇f‖ and zero along any direction perpendicular to ∇f.
/// </summary>
/// <remarks>
/// Directions need not be unit vectors: each is normalized as u = d/‖d‖. ‖d‖ is computed without overflow or
/// underflow for any finite d ≠ 0 by scaling d by a power of two (exact) when its largest element is far from 1
/// (the scaling idea of LAPACK's <c>dnrm2</c>; Blue, "A portable Fortran program to find the Euclidean norm of a
/// vector", ACM TOMS 4(1), 1978). A rate ∇f·u that overflows (or underflows) although ∇f and d are finite is
/// recomputed with ∇f scaled the same way, so it is ±∞ only when the true rate is beyond the type's range.
/// All methods are pure: no state, no allocation, inputs never written.
/// </remarks>
public static partial class Directional
{
    /// <summary>Up to this length the loops are scalar; beyond it TensorPrimitives' vector kernels pay off.</summary>
    private const int ScalarLength = 16;

    /// <summary>
    /// The directional derivative D_u f = ∇f·u with u = <paramref name="direction"/>/‖<paramref name="direction"/>‖.
    /// </summary>
    /// <typeparam name="T">The floating-point type.</typeparam>
    /// <param name="gradient">∇f at the point, of length n ≥ 1.</param>
    /// <param name="direction">The direction d, of length n; any finite non-zero vector (it is normalized here).</param>
    /// <returns>
    /// The rate of change of f per unit distance along d. A NaN or infinite element of <paramref name="gradient"/> gives
    /// the IEEE result (NaN, or ±∞), as <see cref="MaximalRate{T}(ReadOnlySpan{T})"/> does; the steepest directions reject it.
    /// </returns>
    /// <exception cref="ArgumentException">
    /// <paramref name="gradient"/> is empty, the lengths differ, or <paramref name="direction"/> is zero or not finite.
    /// </exception>
    public static T Derivative<T>(ReadOnlySpan<T> gradient, ReadOnlySpan<T> direction)
        where T : IFloatingPointIeee754<T>
    {
        ThrowHelper.ThrowIfEmpty(gradient.Length, nameof(gradient));
        ThrowHelper.ThrowIfLengthMismatch(direction.Length, gradient.Length, nameof(direction), "the gradient");
        return Rate(gradient, direction, nameof(direction));
    }

    /// <summary>
    /// The directional derivatives along k directions in one call: <paramref name="rates"/>[j] = ∇f·uⱼ with
    /// uⱼ = dⱼ/‖dⱼ‖ and dⱼ row j of <paramref name="directions"/>. Each rate is bit-for-bit the value
    /// <see cref="Derivative{T}(ReadOnlySpan{T}, ReadOnlySpan{T})"/> returns for that row.
    /// </summary>
    /// <typeparam name="T">The floating-point type.</typeparam>
    /// <param name="gradient">∇f at the point, of length n ≥ 1.</param>
    /// <param name="directions">The k directions, row-major k×n (k = <paramref name="rates"/>.Length); each finite and non-zero.</param>
    /// <param name="rates">Receives the k rates (NaN or ±∞ where a NaN or infinite element of <paramref name="gradient"/> reaches, the IEEE result); must not overlap the inputs.</param>
    /// <exception cref="ArgumentException">
    /// <paramref name="gradient"/> is empty, <paramref name="directions"/> is not k×n, an output overlaps an input,
    /// or a direction is zero or not finite (the message names its row).
    /// </exception>
    public static void Derivatives<T>(ReadOnlySpan<T> gradient, ReadOnlySpan<T> directions, Span<T> rates)
        where T : IFloatingPointIeee754<T>
    {
        ThrowHelper.ThrowIfEmpty(gradient.Length, nameof(gradient));
        var n = gradient.Length;
        var required = (long)rates.Length * n;
        if (directions.Length != required)
        {
            ThrowHelper.ThrowArgument(
                $"'directions' has length {directions.Length}, but k×n directions with k = {rates.Length} (the length of 'rates') and n = {n} (the length of 'gradient') require length {required}.",
                nameof(directions));
        }

        ThrowHelper.ThrowIfOverlapping(gradient, rates, nameof(gradient), nameof(rates));
        ThrowHelper.ThrowIfOverlapping(directions, rates, nameof(directions), nameof(rates));
        if (n == 2 && !NarrowRange<T>.IsNarrow)
        {
            // The chapter's sweep: the plane case inline, so consecutive directions overlap in the pipeline. The
            // arithmetic is TryPlaneRate's, as in the single form, so the rates agree bit for bit.
            T g0 = gradient[0], g1 = gradient[1];
            for (var j = 0; j < rates.Length; j++)
            {
                rates[j] = TryPlaneRate(g0, g1, directions[2 * j], directions[(2 * j) + 1], out var rate) && !NeedsScaledGradient(rate)
                    ? rate
                    : Rate(gradient, directions.Slice(2 * j, 2), nameof(directions), j);
            }

            return;
        }

        for (var j = 0; j < rates.Length; j++)
        {
            rates[j] = Rate(gradient, directions.Slice(j * n, n), nameof(directions), j);
        }
    }

    /// <summary>
    /// Writes the unit direction of steepest ascent u = ∇f/‖∇f‖ into <paramref name="direction"/> and returns the
    /// rate of change along it, the maximal rate ‖∇f‖.
    /// </summary>
    /// <typeparam name="T">The floating-point type.</typeparam>
    /// <param name="gradient">∇f at the point, of length n ≥ 1; finite and non-zero.</param>
    /// <param name="direction">Receives u, of length n; must not overlap <paramref name="gradient"/>.</param>
    /// <returns>‖∇f‖ (it may round to +∞ only if ‖∇f‖ exceeds the type's range).</returns>
    /// <exception cref="ArgumentException">
    /// The lengths differ or are zero, the spans overlap, <paramref name="gradient"/> is not finite, or it is zero:
    /// at a stationary point every direction has rate 0, so there is no steepest direction to return.
    /// </exception>
    public static T SteepestAscent<T>(ReadOnlySpan<T> gradient, Span<T> direction)
        where T : IFloatingPointIeee754<T>
    {
        ThrowHelper.ThrowIfEmpty(gradient.Length, nameof(gradient));
        ThrowHelper.ThrowIfLengthMismatch(direction.Length, gradient.Length, nameof(direction), "the gradient");
        ThrowHelper.ThrowIfOverlapping(gradient, direction, nameof(gradient), nameof(direction));
        var exponent = ScalingExponent(gradient, nameof(gradient), -1);
        if (NarrowRange<T>.IsNarrow)
        {
            var wideNorm = Math.Sqrt(WideSumOfSquares(gradient));
            for (var i = 0; i < gradient.Length; i++)
            {
                direction[i] = T.CreateTruncating(double.CreateTruncating(gradient[i]) / wideNorm);
            }

            return T.CreateTruncating(wideNorm);
        }

        if (exponent == 0)
        {
            gradient.CopyTo(direction);
        }
        else
        {
            ScaleByPowerOfTwo(gradient, -exponent, direction);
        }

        var norm = T.Sqrt(TensorPrimitives.SumOfSquares<T>(direction));
        TensorPrimitives.Divide(direction, norm, direction);
        return T.ScaleB(norm, exponent);
    }

    /// <summary>
    /// Writes the unit direction of steepest descent u = −∇f/‖∇f‖ into <paramref name="direction"/> and returns the
    /// rate of change along it, −‖∇f‖ (the direction a gradient-descent step takes).
    /// </summary>
    /// <typeparam name="T">The floating-point type.</typeparam>
    /// <param name="gradient">∇f at the point, of length n ≥ 1; finite and non-zero.</param>
    /// <param name="direction">Receives u, of length n; must not overlap <paramref name="gradient"/>.</param>
    /// <returns>−‖∇f‖.</returns>
    /// <exception cref="ArgumentException">As for <see cref="SteepestAscent{T}(ReadOnlySpan{T}, Span{T})"/>.</exception>
    public static T SteepestDescent<T>(ReadOnlySpan<T> gradient, Span<T> direction)
        where T : IFloatingPointIeee754<T>
    {
        var norm = SteepestAscent(gradient, direction);
        TensorPrimitives.Negate<T>(direction, direction);
        return -norm;
    }

    /// <summary>
    /// The maximal rate of change ‖∇f‖ (the Euclidean norm of the gradient), computed without intermediate
    /// overflow or underflow. Zero at a stationary point; NaN if an element is NaN, +∞ if one is infinite.
    /// </summary>
    /// <typeparam name="T">The floating-point type.</typeparam>
    /// <param name="gradient">∇f at the point, of length n ≥ 1.</param>
    /// <returns>‖∇f‖.</returns>
    /// <exception cref="ArgumentException"><paramref name="gradient"/> is empty.</exception>
    public static T MaximalRate<T>(ReadOnlySpan<T> gradient)
        where T : IFloatingPointIeee754<T>
    {
        ThrowHelper.ThrowIfEmpty(gradient.Length, nameof(gradient));
        var largest = T.Abs(TensorPrimitives.MaxMagnitude(gradient));
        if (!T.IsFinite(largest) || T.IsZero(largest))
        {
            return largest;
        }

        if (NarrowRange<T>.IsNarrow)
        {
            return T.CreateTruncating(Math.Sqrt(WideSumOfSquares(gradient)));
        }

        var exponent = UnscaledExponent(largest);
        if (exponent == 0)
        {
            return T.Sqrt(TensorPrimitives.SumOfSquares(gradient));
        }

        var scratch = default(ScratchBuffer<T>);
        Span<T> buffer = scratch;
        var sum = T.Zero;
        for (var start = 0; start < gradient.Length; start += ScratchBuffer.Length)
        {
            var chunk = buffer[..Math.Min(ScratchBuffer.Length, gradient.Length - start)];
            ScaleByPowerOfTwo(gradient.Slice(start, chunk.Length), -exponent, chunk);
            sum += TensorPrimitives.SumOfSquares<T>(chunk);
        }

        return T.ScaleB(T.Sqrt(sum), exponent);
    }

    /// <summary>
    /// Writes k = <paramref name="directions"/>.Length / 2 unit directions around the circle, row j =
    /// (cos θⱼ, sin θⱼ) with θⱼ = 2πj/k: the input of the chapter's sweep of D_u f over all angles.
    /// For types that cannot represent every int (float, Half) the angles and their sines and cosines are computed in
    /// double and rounded once, so any k works.
    /// </summary>
    /// <typeparam name="T">The floating-point type.</typeparam>
    /// <param name="directions">Receives the k×2 row-major directions; its length must be even and non-zero.</param>
    /// <exception cref="ArgumentException"><paramref name="directions"/> is empty or has an odd length.</exception>
    public static void UnitCircle<T>(Span<T> directions)
        where T : IFloatingPointIeee754<T>
    {
        if (directions.IsEmpty || directions.Length % 2 != 0)
        {
            ThrowHelper.ThrowArgument(
                $"'directions' has length {directions.Length}, but k 2-D directions need an even, non-zero length 2k.",
                nameof(directions));
        }

        var count = directions.Length / 2;
        if (!ExactIntegers<T>.HoldsEveryInt32)
        {
            // k may not be representable in T (140,000 directions: k = 70,000 is ∞ in Half) and j/k rounds in
            // float: the angle and its sine and cosine in double, each rounded once to T.
            for (var j = 0; j < count; j++)
            {
                var (sine, cosine) = Math.SinCos(Math.Tau * j / count);
                directions[2 * j] = T.CreateTruncating(cosine);
                directions[(2 * j) + 1] = T.CreateTruncating(sine);
            }

            return;
        }

        var k = T.CreateTruncating(count);
        for (var j = 0; j < count; j++)
        {
            var (sin, cos) = T.SinCos(T.Tau * T.CreateTruncating(j) / k);
            directions[2 * j] = cos;
            directions[(2 * j) + 1] = sin;
        }
    }

    /// <summary>∇f·d/‖d‖, the one routine behind the single and batched forms (so they agree bit for bit).</summary>
    private static T Rate<T>(ReadOnlySpan<T> gradient, ReadOnlySpan<T> direction, string paramName, int row = -1)
        where T : IFloatingPointIeee754<T>
    {
        if (NarrowRange<T>.IsNarrow)
        {
            return WideRate(gradient, direction, paramName, row);
        }

        if (direction.Length == 2 && TryPlaneRate(gradient[0], gradient[1], direction[0], direction[1], out var planeRate)
            && !NeedsScaledGradient(planeRate))
        {
            return planeRate;
        }

        var exponent = ScalingExponent(direction, paramName, row);
        var rate = UnitRate(gradient, direction, exponent);
        return NeedsScaledGradient(rate) ? ScaledGradientRate(gradient, direction, exponent, rate) : rate;
    }

    /// <summary>
    /// ∇f·d/‖d‖ for a type of narrow range (<see cref="NarrowRange{T}"/>): in double, where no sum of a span's worth
    /// of its products overflows or stalls, rounded once (±∞ only when the rate exceeds the type's range).
    /// </summary>
    private static T WideRate<T>(ReadOnlySpan<T> gradient, ReadOnlySpan<T> direction, string paramName, int row)
        where T : IFloatingPointIeee754<T>
    {
        _ = ScalingExponent(direction, paramName, row); // rejects a zero or non-finite direction
        double dot = 0, sumOfSquares = 0;
        for (var i = 0; i < direction.Length; i++)
        {
            var d = double.CreateTruncating(direction[i]);
            dot += double.CreateTruncating(gradient[i]) * d;
            sumOfSquares += d * d;
        }

        return T.CreateTruncating(dot / Math.Sqrt(sumOfSquares));
    }

    /// <summary>Σ vᵢ² in double (for <see cref="NarrowRange{T}"/> types).</summary>
    private static double WideSumOfSquares<T>(ReadOnlySpan<T> vector)
        where T : IFloatingPointIeee754<T>
    {
        var sum = 0.0;
        foreach (var v in vector)
        {
            var wide = double.CreateTruncating(v);
            sum += wide * wide;
        }

        return sum;
    }

    /// <summary>∇f·d/‖d‖ with d scaled by 2^−<paramref name="exponent"/> (exact) and ∇f as it is.</summary>
    private static T UnitRate<T>(ReadOnlySpan<T> gradient, ReadOnlySpan<T> direction, int exponent)
        where T : IFloatingPointIeee754<T>
    {
        if (direction.Length <= ScalarLength)
        {
            T dot = T.Zero, sumOfSquares = T.Zero;
            for (var i = 0; i < direction.Length; i++)
            {
                var d = exponent == 0 ? direction[i] : T.ScaleB(direction[i], -exponent);
                dot += gradient[i] * d;
                sumOfSquares += d * d;
            }

            return dot / T.Sqrt(sumOfSquares);
        }

        if (exponent == 0)
        {
            return TensorPrimitives.Dot(gradient, direction) / T.Sqrt(TensorPrimitives.SumOfSquares(direction));
        }

        var scratch = default(ScratchBuffer<T>);
        Span<T> buffer = scratch;
        T chunkedDot = T.Zero, chunkedSum = T.Zero;
        for (var start = 0; start < direction.Length; start += ScratchBuffer.Length)
        {
            var chunk = buffer[..Math.Min(ScratchBuffer.Length, direction.Length - start)];
            ScaleByPowerOfTwo(direction.Slice(start, chunk.Length), -exponent, chunk);
            chunkedDot += TensorPrimitives.Dot<T>(gradient.Slice(start, chunk.Length), chunk);
            chunkedSum += TensorPrimitives.SumOfSquares<T>(chunk);
        }

        return chunkedDot / T.Sqrt(chunkedSum);
    }

    /// <summary>
    /// Whether a rate computed with ∇f unscaled may have overflowed (∇f·u infinite although ∇f and u are finite,
    /// e.g. ∇f = (10³⁰⁸, 10³⁰⁸) along (1, 1)) or lost its precision to underflow; such rates are recomputed by
    /// <see cref="ScaledGradientRate"/>. Ordinary rates fail this test and cost nothing more.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool NeedsScaledGradient<T>(T rate)
        where T : IFloatingPointIeee754<T> =>
        !(T.Abs(rate) >= ScalingWindow<T>.Lower && T.Abs(rate) < ScalingWindow<T>.Upper);

    /// <summary>
    /// ∇f·d/‖d‖ with ∇f scaled by a power of two as well (exact), so neither the products nor their sum can
    /// overflow: the result is then scaled back once, overflowing only if the true rate exceeds the type's range.
    /// A non-finite ∇f keeps the IEEE result computed without scaling.
    /// </summary>
    private static T ScaledGradientRate<T>(ReadOnlySpan<T> gradient, ReadOnlySpan<T> direction, int directionExponent, T unscaledRate)
        where T : IFloatingPointIeee754<T>
    {
        var largest = T.Zero;
        foreach (var g in gradient)
        {
            var magnitude = T.Abs(g);
            if (!T.IsFinite(magnitude))
            {
                return unscaledRate;
            }

            largest = T.Max(largest, magnitude);
        }

        var gradientExponent = T.IsZero(largest) ? 0 : UnscaledExponent(largest);
        if (gradientExponent == 0)
        {
            return unscaledRate;
        }

        T dot = T.Zero, sumOfSquares = T.Zero;
        for (var i = 0; i < direction.Length; i++)
        {
            var d = directionExponent == 0 ? direction[i] : T.ScaleB(direction[i], -directionExponent);
            dot += T.ScaleB(gradient[i], -gradientExponent) * d;
            sumOfSquares += d * d;
        }

        return T.ScaleB(dot / T.Sqrt(sumOfSquares), gradientExponent);
    }

    /// <summary>
    /// The plane case without scaling: false (leaving the general path to scale or throw) unless the larger of
    /// |d₀|, |d₁| lies in the scaling window, which NaN, zero and infinite directions all fail.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool TryPlaneRate<T>(T g0, T g1, T d0, T d1, out T rate)
        where T : IFloatingPointIeee754<T>
    {
        // Each magnitude tested on its own: a NaN fails "< Upper" instead of losing a max to the other element.
        T a0 = T.Abs(d0), a1 = T.Abs(d1);
        if (a0 < ScalingWindow<T>.Upper && a1 < ScalingWindow<T>.Upper && (a0 >= ScalingWindow<T>.Lower || a1 >= ScalingWindow<T>.Lower))
        {
            rate = ((g0 * d0) + (g1 * d1)) / T.Sqrt((d0 * d0) + (d1 * d1));
            return true;
        }

        rate = T.Zero;
        return false;
    }

    /// <summary>
    /// The power of two to divide <paramref name="vector"/> by before squaring (0 when none is needed); throws
    /// for a zero or non-finite vector.
    /// </summary>
    private static int ScalingExponent<T>(ReadOnlySpan<T> vector, string paramName, int row)
        where T : IFloatingPointIeee754<T>
    {
        T largest;
        if (vector.Length <= ScalarLength)
        {
            largest = T.Zero;
            for (var i = 0; i < vector.Length; i++)
            {
                var magnitude = T.Abs(vector[i]);
                if (T.IsNaN(magnitude))
                {
                    ThrowHelper.ThrowNonFiniteVector(paramName, Subject(paramName, row), vector.Length);
                }

                if (magnitude > largest)
                {
                    largest = magnitude;
                }
            }
        }
        else
        {
            largest = T.Abs(TensorPrimitives.MaxMagnitude(vector));
        }

        if (!T.IsFinite(largest))
        {
            ThrowHelper.ThrowNonFiniteVector(paramName, Subject(paramName, row), vector.Length);
        }

        if (T.IsZero(largest))
        {
            ThrowHelper.ThrowZeroVector(
                paramName,
                Subject(paramName, row),
                vector.Length,
                row < 0 && paramName == "gradient"
                    ? "at a stationary point every direction has rate 0, so no steepest direction exists."
                    : "a direction must be non-zero to be normalized.");
        }

        return UnscaledExponent(largest);
    }

    /// <summary>
    /// 0 when squares of elements up to <paramref name="largest"/> can be summed as they are; otherwise the binary
    /// exponent of <paramref name="largest"/>. Inside |log₂ largest| ≤ e_max/4 (±255 for double, ±31 for float) the
    /// sum of n squares cannot overflow for any n &lt; 2^(e_max/2), and elements whose squares underflow are below
    /// largest·2^(−e_max/4), contributing under ε relative.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int UnscaledExponent<T>(T largest)
        where T : IFloatingPointIeee754<T> =>
        largest >= ScalingWindow<T>.Lower && largest < ScalingWindow<T>.Upper ? 0 : T.ILogB(largest);

    /// <summary>
    /// destination = source·2^<paramref name="exponent"/>, exact while results stay normal. The factor is split in
    /// two when 2^exponent itself overflows (|exponent| can reach e_max − e_min for subnormal inputs), so a
    /// zero element never meets an infinite factor.
    /// </summary>
    private static void ScaleByPowerOfTwo<T>(ReadOnlySpan<T> source, int exponent, Span<T> destination)
        where T : IFloatingPointIeee754<T>
    {
        var factor = T.ScaleB(T.One, exponent);
        if (T.IsFinite(factor))
        {
            TensorPrimitives.Multiply(source, factor, destination);
            return;
        }

        var half = exponent / 2;
        TensorPrimitives.Multiply(source, T.ScaleB(T.One, half), destination);
        TensorPrimitives.Multiply(destination, T.ScaleB(T.One, exponent - half), destination);
    }

    private static string Subject(string paramName, int row) => row < 0 ? $"'{paramName}'" : $"Row {row} of '{paramName}'";
}

/// <summary>
/// The range [2^−w, 2^(w+1)) with w = e_max/4 inside which a vector's largest element needs no scaling (see
/// <c>Directional.UnscaledExponent</c>). Immutable per type; the JIT folds the fields into constants.
/// </summary>
internal static class ScalingWindow<T>
    where T : IFloatingPointIeee754<T>
{
    private static readonly int Exponent = T.ILogB(T.BitDecrement(T.PositiveInfinity)) / 4;

    public static readonly T Lower = T.ScaleB(T.One, -Exponent);

    public static readonly T Upper = T.ScaleB(T.One, Exponent + 1);
}
