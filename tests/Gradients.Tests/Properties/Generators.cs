using FsCheck;
using FsCheck.Fluent;

namespace Gradients.Tests.Properties;

/// <summary>
/// FsCheck generators shared by every property test. Magnitudes are controlled explicitly (FsCheck's
/// <c>NormalFloat</c> ties magnitude to the size parameter, so it never reaches 1e-6 or 1e6 reliably).
/// Values are built as sign × mantissa × 10^exponent with the exponent drawn uniformly, so every decade of a
/// range is equally likely.
/// </summary>
public static class Generators
{
    /// <summary>Magnitudes in [1e-6, 1e-3): small but far from the subnormals.</summary>
    public static Gen<double> Tiny { get; } = Magnitude(-6, -3);

    /// <summary>Magnitudes in [0.1, 10): the well-scaled case.</summary>
    public static Gen<double> Unit { get; } = Magnitude(-1, 1);

    /// <summary>Magnitudes in [1e3, 1e6).</summary>
    public static Gen<double> Huge { get; } = Magnitude(3, 6);

    /// <summary>Magnitudes anywhere in [1e-6, 1e6), every decade equally likely.</summary>
    public static Gen<double> Wide { get; } = Magnitude(-6, 6);

    /// <summary>Values in [-1, 1], uniform: data for kernels (features, targets, weights).</summary>
    public static Gen<double> Centered { get; } =
        Gen.Choose(-1_000_000, 1_000_000).Select(i => i / 1_000_000.0);

    /// <summary>
    /// Finite doubles of either sign whose magnitude lies in [10^<paramref name="minExponent"/>, 10^<paramref name="maxExponent"/>).
    /// </summary>
    public static Gen<double> Magnitude(int minExponent, int maxExponent) =>
        from sign in Gen.Elements(-1.0, 1.0)
        from exponentMillis in Gen.Choose(minExponent * 1000, maxExponent * 1000 - 1)
        select sign * Math.Pow(10.0, exponentMillis / 1000.0);

    /// <summary>Positive finite doubles in [10^<paramref name="minExponent"/>, 10^<paramref name="maxExponent"/>).</summary>
    public static Gen<double> PositiveMagnitude(int minExponent, int maxExponent) =>
        Magnitude(minExponent, maxExponent).Select(Math.Abs);

    /// <summary>A vector of exactly <paramref name="length"/> elements drawn from <paramref name="element"/>.</summary>
    public static Gen<double[]> Vector(Gen<double> element, int length) => element.ArrayOf(length);

    /// <summary>A vector whose length is drawn from [<paramref name="minLength"/>, <paramref name="maxLength"/>].</summary>
    public static Gen<double[]> Vector(Gen<double> element, int minLength, int maxLength) =>
        from length in Gen.Choose(minLength, maxLength)
        from values in element.ArrayOf(length)
        select values;

    /// <summary>A row-major matrix with the given shape.</summary>
    public static Gen<RowMajorMatrix> Matrix(Gen<double> element, int rows, int columns) =>
        element.ArrayOf(rows * columns).Select(values => new RowMajorMatrix(values, rows, columns));

    /// <summary>
    /// A random unit vector of dimension <paramref name="length"/>: Gaussian components (Box–Muller) normalized,
    /// which is uniform on the sphere.
    /// </summary>
    public static Gen<double[]> UnitDirection(int length) =>
        Gen.Choose(1, int.MaxValue - 1).ArrayOf(2 * length).Select(raw =>
        {
            var direction = new double[length];
            var norm = 0.0;
            for (var i = 0; i < length; i++)
            {
                var u1 = raw[2 * i] / (double)int.MaxValue;
                var u2 = raw[(2 * i) + 1] / (double)int.MaxValue;
                direction[i] = Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
                norm += direction[i] * direction[i];
            }

            norm = Math.Sqrt(norm);
            if (norm == 0.0)
            {
                direction[0] = 1.0;
                norm = 1.0;
            }

            for (var i = 0; i < length; i++)
            {
                direction[i] /= norm;
            }

            return direction;
        });

    /// <summary>Converts a double vector to float (round to nearest).</summary>
    public static float[] ToSingle(double[] values) => Array.ConvertAll(values, v => (float)v);
}

/// <summary>A row-major matrix drawn by a generator; its shape travels with its data so shrinking keeps them consistent.</summary>
/// <param name="Values">The elements, row after row.</param>
/// <param name="Rows">The number of rows.</param>
/// <param name="Columns">The number of columns.</param>
public sealed record RowMajorMatrix(double[] Values, int Rows, int Columns)
{
    /// <inheritdoc/>
    public override string ToString() => $"{Rows}x{Columns} [{string.Join(", ", Values)}]";
}
