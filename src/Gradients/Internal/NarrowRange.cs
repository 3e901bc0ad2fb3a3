using System.Numerics;

namespace Gradients;

/// <summary>
/// Whether <typeparamref name="T"/> has so small an exponent range that sums over spans overflow or stall before the
/// result does: the unscaled sums of squares of <c>Directional</c> hold for n &lt; 2^(e_max/2 − 2) terms, fewer than a
/// span can have when e_max &lt; 66 (Half: e_max = 15, 32 terms of 15² already reach 7200 and 1000 overflow its
/// 65504), and a sum of 100,000 exponentials ≤ 1 is ∞ in Half although its logarithm is 11.5. Such types are
/// computed in double — every Half is exact there and no sum of a span's worth of them overflows — and rounded once.
/// </summary>
/// <typeparam name="T">The floating-point type.</typeparam>
internal static class NarrowRange<T>
    where T : IFloatingPointIeee754<T>
{
    /// <summary>True for Half (and any type whose largest finite value is below 2⁶⁶); false for float and double.</summary>
    public static readonly bool IsNarrow = T.ILogB(T.BitDecrement(T.PositiveInfinity)) < 66;
}
