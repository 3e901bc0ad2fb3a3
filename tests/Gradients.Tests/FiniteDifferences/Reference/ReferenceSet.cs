using System.Globalization;
using System.Numerics;

namespace Gradients.Tests.FiniteDifferences.Reference;

/// <summary>One case of <c>derivatives.csv</c>: g(x/s) at a point, with its exact derivative for one type.</summary>
internal sealed record ReferenceCase(int Band, string Function, double Scale, int Component, double X0, double X1, double Derivative)
{
    public override string ToString() => $"{Function}(x/{Scale:R}) at {X0:R} (band 1e{Band})";

    /// <summary>The function along the differentiated coordinate, evaluated in <typeparamref name="T"/>.</summary>
    public Func<T, T> Build<T>()
        where T : IFloatingPointIeee754<T>
    {
        var s = T.CreateTruncating(Scale);
        var other = T.CreateTruncating(Component == 0 ? X1 : X0);
        var hundred = T.CreateTruncating(100);
        var power = T.CreateTruncating(2.5);
        return Function switch
        {
            "exp" => x => T.Exp(x / s),
            "log" => x => T.Log(x / s),
            "sqrt" => x => T.Sqrt(x / s),
            "sin" => x => T.Sin(x / s),
            "cos" => x => T.Cos(x / s),
            "tan" => x => T.Tan(x / s),
            "cube" => x => x / s * (x / s) * (x / s),
            "pow2.5" => x => T.Pow(x / s, power),
            "inverse" => x => T.One / (x / s),
            "tanh" => x => T.Tanh(x / s),
            "rosenbrock" when Component == 0 => x => ((T.One - x) * (T.One - x)) + (hundred * (other - (x * x)) * (other - (x * x))),
            "rosenbrock" => y => ((T.One - other) * (T.One - other)) + (hundred * (y - (other * other)) * (y - (other * other))),
            _ => throw new InvalidOperationException($"Unknown reference function '{Function}'."),
        };
    }

    /// <summary>The point of the differentiated coordinate.</summary>
    public T Point<T>()
        where T : IFloatingPointIeee754<T> => T.CreateTruncating(Component == 0 ? X0 : X1);
}

/// <summary>
/// The committed reference set (<c>Reference/derivatives.csv</c>, written by <c>Reference/make_reference.py</c> with
/// mpmath at 60 digits): the classic functions and g(x/s) for s from 1e-8 to 1e8, at |x| from 1e-8 to 1e8.
/// </summary>
internal static class ReferenceSet
{
    public static readonly int[] Bands = [-8, -4, 0, 4, 8];

    private static readonly Lazy<string[][]> Rows = new(() =>
        File.ReadAllLines(Path.Combine(RepositoryPaths.Root, "tests", "Gradients.Tests", "FiniteDifferences", "Reference", "derivatives.csv"))
            .Skip(1)
            .Select(line => line.Split(','))
            .ToArray());

    /// <summary>The cases that exist in <typeparamref name="T"/> (no overflow or underflow of f or f′).</summary>
    public static IReadOnlyList<ReferenceCase> For<T>()
        where T : IFloatingPointIeee754<T>
    {
        var offset = typeof(T) == typeof(double) ? 6 : typeof(T) == typeof(float) ? 9 : throw new NotSupportedException(typeof(T).Name);
        var cases = new List<ReferenceCase>();
        foreach (var cells in Rows.Value)
        {
            if (cells[offset + 2].Length == 0)
            {
                continue;
            }

            cases.Add(new ReferenceCase(
                int.Parse(cells[0], CultureInfo.InvariantCulture),
                cells[1],
                double.Parse(cells[2], CultureInfo.InvariantCulture),
                int.Parse(cells[5], CultureInfo.InvariantCulture),
                double.Parse(cells[offset], CultureInfo.InvariantCulture),
                cells[offset + 1].Length == 0 ? 0 : double.Parse(cells[offset + 1], CultureInfo.InvariantCulture),
                double.Parse(cells[offset + 2], CultureInfo.InvariantCulture)));
        }

        return cases;
    }
}
