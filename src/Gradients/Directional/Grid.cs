using System.Numerics;

namespace Gradients;

/// <summary>
/// A rectangular grid of points on the plane: <see cref="XCount"/> evenly spaced x values from <see cref="XMin"/>
/// to <see cref="XMax"/> (both included, as NumPy's <c>linspace</c>), and likewise for y. Grids sampled over it are
/// row-major with one row per y value: element (row j, column i) at index j·<see cref="XCount"/> + i is the point
/// (<see cref="X"/>(i), <see cref="Y"/>(j)), the layout of NumPy's <c>meshgrid</c> and of most plotting libraries.
/// </summary>
/// <typeparam name="T">The floating-point type.</typeparam>
public readonly record struct Grid<T>
    where T : IFloatingPointIeee754<T>
{
    /// <summary>Creates a grid.</summary>
    /// <param name="xMin">The first x value.</param>
    /// <param name="xMax">The last x value (equal to <paramref name="xMin"/> when <paramref name="xCount"/> is 1).</param>
    /// <param name="xCount">The number of x values, ≥ 1.</param>
    /// <param name="yMin">The first y value.</param>
    /// <param name="yMax">The last y value.</param>
    /// <param name="yCount">The number of y values, ≥ 1.</param>
    /// <exception cref="ArgumentOutOfRangeException">A count is below 1, or their product exceeds <see cref="int.MaxValue"/>.</exception>
    /// <exception cref="ArgumentException">A bound is not finite, or a range's width max − min overflows.</exception>
    public Grid(T xMin, T xMax, int xCount, T yMin, T yMax, int yCount)
    {
        ValidateAxis(xMin, xMax, xCount, nameof(xMin), nameof(xMax), nameof(xCount));
        ValidateAxis(yMin, yMax, yCount, nameof(yMin), nameof(yMax), nameof(yCount));
        if ((long)xCount * yCount > int.MaxValue)
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(yCount), yCount, $"A {xCount}×{yCount} grid has more than int.MaxValue points.");
        }

        XMin = xMin;
        XMax = xMax;
        XCount = xCount;
        YMin = yMin;
        YMax = yMax;
        YCount = yCount;
    }

    /// <summary>The first x value.</summary>
    public T XMin { get; }

    /// <summary>The last x value.</summary>
    public T XMax { get; }

    /// <summary>The number of x values (columns).</summary>
    public int XCount { get; }

    /// <summary>The first y value.</summary>
    public T YMin { get; }

    /// <summary>The last y value.</summary>
    public T YMax { get; }

    /// <summary>The number of y values (rows).</summary>
    public int YCount { get; }

    /// <summary>The number of points, <see cref="XCount"/>·<see cref="YCount"/>: the length of every sampled grid.</summary>
    public int Count => XCount * YCount;

    /// <summary>The x value of column <paramref name="column"/>.</summary>
    /// <param name="column">0 ≤ column &lt; <see cref="XCount"/>.</param>
    /// <returns>
    /// XMin + column·(XMax − XMin)/(XCount − 1), exactly XMax for the last column; computed in double and rounded
    /// once for types that cannot represent every int (float, Half).
    /// </returns>
    public T X(int column) => Coordinate(XMin, XMax, XCount, column, nameof(column));

    /// <summary>The y value of row <paramref name="row"/>.</summary>
    /// <param name="row">0 ≤ row &lt; <see cref="YCount"/>.</param>
    /// <returns>
    /// YMin + row·(YMax − YMin)/(YCount − 1), exactly YMax for the last row; computed in double and rounded once
    /// for types that cannot represent every int (float, Half).
    /// </returns>
    public T Y(int row) => Coordinate(YMin, YMax, YCount, row, nameof(row));

    private static T Coordinate(T min, T max, int count, int index, string paramName)
    {
        if ((uint)index >= (uint)count)
        {
            ThrowHelper.ThrowArgumentOutOfRange(paramName, index, $"The axis has {count} values; the index must lie in [0, {count - 1}].");
        }

        // NumPy's linspace: start + index·step, with the endpoint set exactly so the range closes without round-off.
        if (index == count - 1)
        {
            return count == 1 ? min : max;
        }

        if (ExactIntegers<T>.HoldsEveryInt32)
        {
            return min + (T.CreateTruncating(index) * ((max - min) / T.CreateTruncating(count - 1)));
        }

        // A type that cannot count to XCount (Half: 70,000 is ∞; float: indices beyond 2²⁴ round): the position in
        // double, where index and count are exact, rounded once to T — finite, within [min, max], non-decreasing.
        double low = double.CreateTruncating(min), high = double.CreateTruncating(max);
        return T.CreateTruncating(low + (index * ((high - low) / (count - 1))));
    }

    private static void ValidateAxis(T min, T max, int count, string minName, string maxName, string countName)
    {
        if (count < 1)
        {
            ThrowHelper.ThrowArgumentOutOfRange(countName, count, "A grid axis needs at least one value.");
        }

        if (!T.IsFinite(min))
        {
            ThrowHelper.ThrowArgument($"'{minName}' is {min}; grid bounds must be finite.", minName);
        }

        if (!T.IsFinite(max) || !T.IsFinite(max - min))
        {
            ThrowHelper.ThrowArgument($"'{maxName}' is {max} with '{minName}' = {min}; bounds and their difference must be finite.", maxName);
        }
    }
}
