using System.Numerics;

namespace Gradients;

/// <summary>
/// Whether <typeparamref name="T"/> represents every <see cref="int"/> exactly (double does; float stops at 2²⁴,
/// Half at 2¹¹ and overflows beyond 65504). Positions computed from an index and a count — grid coordinates,
/// angles around a circle — are computed in T only when it does, and otherwise in double, rounded once to T:
/// a count of 70,000 is ∞ in Half, and every index above 2²⁴ is rounded in float.
/// </summary>
internal static class ExactIntegers<T>
    where T : IFloatingPointIeee754<T>
{
    /// <summary>True when every int converts to T and back unchanged.</summary>
    public static readonly bool HoldsEveryInt32 = Compute();

    // int.MaxValue = 2³¹ − 1 needs 31 significant bits; a type that holds it exactly holds every smaller integer.
    private static bool Compute() =>
        double.CreateTruncating(T.CreateTruncating(int.MaxValue)) == int.MaxValue;
}
