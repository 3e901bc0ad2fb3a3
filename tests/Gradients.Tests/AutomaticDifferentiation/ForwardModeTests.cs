using System.Numerics;

namespace Gradients.Tests.AutomaticDifferentiation;

/// <summary>The entry points of <see cref="Gradients.ForwardMode"/>: the chapter's example, chunk boundaries, the scalar fallback, argument rules, allocation, threads.</summary>
public sealed class ForwardModeTests
{
    [Fact]
    public void Gradient_of_the_chapters_function_is_exactly_2_5()
    {
        double[] p = [1.0, 0.5];
        var gradient = new double[2];
        var value = Gradients.ForwardMode.ValueAndGradient(new ChapterFunction(), p, gradient);
        Assert.Equal([2.0, 5.0], gradient);
        Assert.Equal(2.25, value);
        Assert.Equal([1.0, 0.5], p);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(8)]
    [InlineData(9)]
    [InlineData(15)]
    [InlineData(16)]
    [InlineData(17)]
    [InlineData(33)]
    [InlineData(127)]
    [InlineData(128)]
    [InlineData(129)]
    [InlineData(1000)]
    public void Gradient_is_exact_across_chunk_boundaries_and_the_stack_to_pool_switch(int n)
    {
        // f = Σ cᵢxᵢ with small integer cᵢ: every partial is exactly cᵢ, whichever chunk holds coordinate i.
        var x = Enumerable.Range(0, n).Select(i => (i % 5) - 2.5).ToArray();
        var gradient = new double[n];
        Gradients.ForwardMode.Gradient(new IndexWeightedSum(), x, gradient);
        Assert.Equal(Enumerable.Range(0, n).Select(i => (double)((i % 7) + 1)).ToArray(), gradient);

        var single = Array.ConvertAll(x, v => (float)v);
        var gradientSingle = new float[n];
        Gradients.ForwardMode.Gradient(new IndexWeightedSum(), single, gradientSingle);
        Assert.Equal(Enumerable.Range(0, n).Select(i => (float)((i % 7) + 1)).ToArray(), gradientSingle);
    }

    /// <summary>
    /// Every length to 300 (the double seed's 512-bit body starts at 256 and steps by 16, then 8; the 256-bit one steps
    /// by 8 while nine coordinates remain, then by 4 while five remain — the bounds of its earlier pair form, kept so that
    /// ‖d‖² rounds as before; 128-bit pairs and one scalar coordinate finish), the stack's limits (128, 1024) and the pool;
    /// the stack blocks start the duals on a 32-byte boundary wherever the frame puts them.
    /// </summary>
    public static TheoryData<int> SeedLengths => [.. Enumerable.Range(1, 300), 1001, 1024, 1025];

    [Theory]
    [MemberData(nameof(SeedLengths))]
    public void Directional_derivative_is_exact_on_every_seeding_path(int n)
    {
        // f = Σ cᵢxᵢ and d with small integers: ∇f·d and ‖d‖² are exact integers in any order of summation, so the
        // result is √ then ÷ rounded once each — the same bits from the vectorized seed (double, float), its scalar
        // tail, the stack or the pool, and the rescaled path a huge or tiny direction takes (scaling by 2ᵏ is exact).
        var x = Enumerable.Range(0, n).Select(i => (i % 5) - 2.5).ToArray();
        var d = Enumerable.Range(0, n).Select(i => (double)((i % 4) - 1)).ToArray();
        d[0] = 3;
        var dot = Enumerable.Range(0, n).Sum(i => ((i % 7) + 1) * d[i]);
        var expected = dot / Math.Sqrt(d.Sum(v => v * v));
        var f = new IndexWeightedSum();
        Assert.Equal(expected, Gradients.ForwardMode.DirectionalDerivative(f, x, d));
        Assert.Equal(expected, Gradients.ForwardMode.DirectionalDerivative(f, x, Array.ConvertAll(d, v => Math.ScaleB(v, 600))));
        Assert.Equal(expected, Gradients.ForwardMode.DirectionalDerivative(f, x, Array.ConvertAll(d, v => Math.ScaleB(v, -600))));
        Assert.Equal(expected, Gradients.ForwardMode.DirectionalDerivative(f, x, Array.ConvertAll(d, v => Math.ScaleB(v, -1070))));

        var xSingle = Array.ConvertAll(x, v => (float)v);
        var dSingle = Array.ConvertAll(d, v => (float)v);
        var expectedSingle = (float)dot / MathF.Sqrt((float)d.Sum(v => v * v));
        Assert.Equal(expectedSingle, Gradients.ForwardMode.DirectionalDerivative(f, xSingle, dSingle));
        Assert.Equal(expectedSingle, Gradients.ForwardMode.DirectionalDerivative(f, xSingle, Array.ConvertAll(dSingle, v => MathF.ScaleB(v, 100))));
        Assert.Equal(expectedSingle, Gradients.ForwardMode.DirectionalDerivative(f, xSingle, Array.ConvertAll(dSingle, v => MathF.ScaleB(v, -140))));

        // Σcᵢxᵢ² has tangent Σ2cᵢxᵢdᵢ, which reads every seeded value too: a dual with a swapped or shifted xᵢ changes
        // it. With xᵢ a half-integer and dᵢ an integer every term and partial sum is an exact integer (below 2²⁴, so in
        // float as well), so again √ and ÷ are the only roundings.
        var quadraticDot = Enumerable.Range(0, n).Sum(i => 2.0 * ((i % 7) + 1) * x[i] * d[i]);
        var squares = new IndexWeightedSquares();
        Assert.Equal(quadraticDot / Math.Sqrt(d.Sum(v => v * v)), Gradients.ForwardMode.DirectionalDerivative(squares, x, d));
        Assert.Equal((float)quadraticDot / MathF.Sqrt((float)d.Sum(v => v * v)), Gradients.ForwardMode.DirectionalDerivative(squares, xSingle, dSingle));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    [InlineData(6)]
    [InlineData(9)]
    [InlineData(200)]
    [InlineData(273)]
    public void Directional_derivative_names_the_first_non_finite_coordinate_wherever_it_is(int n)
    {
        // The fused pass folds the checks into ‖d‖²; the element-wise checks must still name x before the direction
        // and the first bad index, in the vector body and in the tail alike.
        var f = new IndexWeightedSum();
        foreach (var bad in new[] { double.NaN, double.PositiveInfinity, double.NegativeInfinity })
        {
            for (var i = 0; i < n; i++)
            {
                var x = Enumerable.Repeat(1.0, n).ToArray();
                var d = Enumerable.Repeat(1.0, n).ToArray();
                x[i] = bad;
                AssertArgument("x", $"'x[{i}]'", () => Gradients.ForwardMode.DirectionalDerivative(f, x, d));
                d[n - 1 - i] = bad;
                AssertArgument("x", $"'x[{i}]'", () => Gradients.ForwardMode.DirectionalDerivative(f, x, d));
                x[i] = 1;
                AssertArgument("direction", $"'direction[{n - 1 - i}]'", () => Gradients.ForwardMode.DirectionalDerivative(f, x, d));
                var xSingle = Enumerable.Repeat(1f, n).ToArray();
                var dSingle = Enumerable.Repeat(1f, n).ToArray();
                xSingle[i] = (float)bad;
                AssertArgument("x", $"'x[{i}]'", () => Gradients.ForwardMode.DirectionalDerivative(f, xSingle, dSingle));
                xSingle[i] = 1;
                dSingle[i] = (float)bad;
                AssertArgument("direction", $"'direction[{i}]'", () => Gradients.ForwardMode.DirectionalDerivative(f, xSingle, dSingle));
            }
        }

        AssertArgument("direction", "zero norm", () => Gradients.ForwardMode.DirectionalDerivative(f, new double[n], new double[n]));
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(8)]
    [InlineData(9)]
    [InlineData(16)]
    [InlineData(17)]
    [InlineData(20)]
    [InlineData(130)]
    public void Hessian_and_Hessian_vector_product_of_Rosenbrock_are_its_analytic_ones_exactly_across_chunks(int n)
    {
        // With dyadic xᵢ ∈ {−1.5, −0.5, 0.25, 1, 2} and integer vᵢ every entry 1200xᵢ² − 400xᵢ₊₁ + 2 (+200), −400xᵢ and
        // every sum of (H·v)ᵢ is exact in double and float (all below 2²⁴), and so is each operation forward mode performs on
        // them: the results must equal the closed forms bit for bit, in every chunk and across chunk boundaries
        // (float: 16 entries per pass, double: 8; n = 130 also crosses the stack-to-pool switch).
        double[] values = [-1.5, -0.5, 0.25, 1, 2];
        var x = Enumerable.Range(0, n).Select(i => values[(i * 3) % 5]).ToArray();
        var v = Enumerable.Range(0, n).Select(i => (double)((i % 5) - 2)).ToArray();
        var analytic = new double[n * n];
        new Rosenbrock<double>().Hessian(x, analytic);
        var expectedProduct = new double[n];
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < n; j++)
            {
                expectedProduct[i] += analytic[(i * n) + j] * v[j];
            }
        }

        var hessian = new double[n * n];
        Gradients.ForwardMode.Hessian(new Rosenbrock<double>(), x, hessian);
        Assert.Equal(analytic, hessian);
        var product = new double[n];
        Gradients.ForwardMode.HessianVectorProduct(new Rosenbrock<double>(), x, v, product);
        Assert.Equal(expectedProduct, product);

        var xSingle = Array.ConvertAll(x, value => (float)value);
        var hessianSingle = new float[n * n];
        Gradients.ForwardMode.Hessian(new Rosenbrock<float>(), xSingle, hessianSingle);
        Assert.Equal(Array.ConvertAll(analytic, value => (float)value), hessianSingle);
        var productSingle = new float[n];
        Gradients.ForwardMode.HessianVectorProduct(new Rosenbrock<float>(), xSingle, Array.ConvertAll(v, value => (float)value), productSingle);
        Assert.Equal(Array.ConvertAll(expectedProduct, value => (float)value), productSingle);

        Half[] xHalf = [(Half)1.0, (Half)0.5, (Half)(-0.5)];
        var hessianHalf = new Half[9];
        Gradients.ForwardMode.Hessian(new Rosenbrock<Half>(), xHalf, hessianHalf);
        var analyticHalf = new double[9];
        new Rosenbrock<double>().Hessian([1.0, 0.5, -0.5], analyticHalf);
        Assert.Equal(Array.ConvertAll(analyticHalf, value => (Half)value), hessianHalf);
    }

    [Fact]
    public void Types_without_vectors_take_one_tangent_per_pass()
    {
        // Half has no Vector256 support; a dual as T (a gradient inside a derivative) neither.
        Half[] x = [(Half)1.0, (Half)0.5];
        var gradient = new Half[2];
        Gradients.ForwardMode.Gradient(new ChapterFunction(), x, gradient);
        Assert.Equal([(Half)2.0, (Half)5.0], gradient);

        Dual<double>[] dualPoint = [new(1.0, 1.0), new(0.5, 0.0)];
        var dualGradient = new Dual<double>[2];
        Gradients.ForwardMode.Gradient(new ChapterFunction(), dualPoint, dualGradient);

        // ∇f = (2x, 10y); its derivative along x is (2, 0).
        Assert.Equal((2.0, 2.0), (dualGradient[0].Value, dualGradient[0].Tangent));
        Assert.Equal((5.0, 0.0), (dualGradient[1].Value, dualGradient[1].Tangent));
    }

    [Fact]
    public void Directional_derivative_is_one_pass_along_the_unit_direction()
    {
        double[] p = [1.0, 0.5];
        Assert.Equal(2.0, Gradients.ForwardMode.DirectionalDerivative(new ChapterFunction(), p, [3.0, 0.0]));
        Assert.Equal(5.0, Gradients.ForwardMode.DirectionalDerivative(new ChapterFunction(), p, [0.0, 1e-300]));
        Assert.Equal(7 / Math.Sqrt(2), Gradients.ForwardMode.DirectionalDerivative(new ChapterFunction(), p, [1e300, 1e300]), 14);
        Assert.Equal(7 / Math.Sqrt(2), Gradients.ForwardMode.DirectionalDerivative(new ChapterFunction(), p, [double.Epsilon, double.Epsilon]), 14);
        Assert.Equal(-2.0, Gradients.ForwardMode.DirectionalDerivative(new ChapterFunction(), p, [-3 * double.Epsilon, 0]));
    }

    [Fact]
    public void Jacobian_and_Hessian_of_a_small_example()
    {
        // F(x, y) = (x²y, 5x + sin y): J = [[2xy, x²], [5, cos y]].
        double[] p = [1.5, 0.25];
        var jacobian = new double[4];
        Gradients.ForwardMode.Jacobian(new SmallMap(), p, jacobian);
        Assert.Equal([2 * 1.5 * 0.25, 1.5 * 1.5, 5.0, Math.Cos(0.25)], jacobian);

        // Rosenbrock's Hessian at (1, 1): [[802, −400], [−400, 200]].
        var hessian = new double[4];
        Gradients.ForwardMode.Hessian(new Rosenbrock<double>(), [1.0, 1.0], hessian);
        Assert.Equal([802.0, -400.0, -400.0, 200.0], hessian);
        var product = new double[2];
        Gradients.ForwardMode.HessianVectorProduct(new Rosenbrock<double>(), [1.0, 1.0], [1.0, 2.0], product);
        Assert.Equal([2.0, 0.0], product);
    }

    [Fact]
    public void Bad_arguments_get_the_finite_difference_messages()
    {
        var f = new ChapterFunction();
        var x = new double[] { 1, 2 };
        AssertArgument("x", "empty", () => Gradients.ForwardMode.Gradient(f, ReadOnlySpan<double>.Empty, Span<double>.Empty));
        AssertArgument("gradient", "length 3", () => Gradients.ForwardMode.Gradient(f, x, new double[3]));
        AssertArgument("gradient", "overlaps", () => Gradients.ForwardMode.Gradient(f, x, x));
        AssertArgument("x", "NaN", () => Gradients.ForwardMode.Gradient(f, [1.0, double.NaN], new double[2]));
        AssertArgument("x", "must be finite", () => Gradients.ForwardMode.Derivative(new Square(), double.PositiveInfinity));
        AssertArgument("direction", "zero norm", () => Gradients.ForwardMode.DirectionalDerivative(f, x, [0.0, 0.0]));
        AssertArgument("direction", "length 1", () => Gradients.ForwardMode.DirectionalDerivative(f, x, [1.0]));
        AssertArgument("direction", "NaN", () => Gradients.ForwardMode.DirectionalDerivative(f, x, [1.0, double.NaN]));
        AssertArgument("jacobian", "length 3", () => Gradients.ForwardMode.Jacobian(new SmallMap(), x, new double[3]));
        AssertArgument("jacobian", "overlaps", () => Gradients.ForwardMode.Jacobian(new SmallMap(), x.AsSpan(0, 1), x));
        AssertArgument("hessian", "length 3", () => Gradients.ForwardMode.Hessian(f, x, new double[3]));
        AssertArgument("product", "overlaps", () => Gradients.ForwardMode.HessianVectorProduct(f, x, [1.0, 1.0], x));
        AssertArgument("v", "length 1", () => Gradients.ForwardMode.HessianVectorProduct(f, x, [1.0], new double[2]));
        Assert.Throws<ArgumentNullException>("function", () => Gradients.ForwardMode.Gradient<double, IGenericScalarFunction>(null!, x, new double[2]));
        Assert.Throws<ArgumentNullException>("function", () => Gradients.ForwardMode.Derivative<double, IGenericUnivariateFunction>(null!, 1.0));
    }

    [Fact]
    public void Hot_paths_allocate_nothing()
    {
        var gradient = new double[1000];
        var x = Enumerable.Range(0, 1000).Select(i => 0.001 * i).ToArray();
        var jacobian = new double[4];
        var hessian = new double[100];
        var product = new double[10];
        var direction = Enumerable.Repeat(1.0, 1000).ToArray();
        Run();
        Assert.Equal(0, CallingThreadBytes.FewestInRounds(Run));

        void Run()
        {
            Gradients.ForwardMode.Gradient(new Rosenbrock<double>(), x.AsSpan(0, 10), gradient.AsSpan(0, 10));
            Gradients.ForwardMode.Gradient(new Rosenbrock<double>(), x.AsSpan(0, 100), gradient.AsSpan(0, 100));
            Gradients.ForwardMode.Gradient(new Rosenbrock<double>(), x, gradient);
            _ = Gradients.ForwardMode.DirectionalDerivative(new Rosenbrock<double>(), x, direction);
            Gradients.ForwardMode.Jacobian(new SmallMap(), x.AsSpan(0, 2), jacobian);
            Gradients.ForwardMode.Hessian(new Rosenbrock<double>(), x.AsSpan(0, 10), hessian);
            Gradients.ForwardMode.HessianVectorProduct(new Rosenbrock<double>(), x.AsSpan(0, 10), direction.AsSpan(0, 10), product);
        }
    }

    [Fact]
    public void Concurrent_calls_give_the_serial_results_and_never_write_x()
    {
        var x = Enumerable.Range(0, 100).Select(i => Math.Sin(i)).ToArray();
        var copy = (double[])x.Clone();
        var expected = new double[x.Length];
        Gradients.ForwardMode.Gradient(new Rosenbrock<double>(), x, expected);
        var results = new double[8][];
        Parallel.For(0, 8, new ParallelOptions { MaxDegreeOfParallelism = 8 }, t =>
        {
            var gradient = new double[x.Length];
            for (var repeat = 0; repeat < 10; repeat++)
            {
                Gradients.ForwardMode.Gradient(new Rosenbrock<double>(), x, gradient);
            }

            results[t] = gradient;
        });
        Assert.All(results, gradient => Assert.Equal(expected, gradient));
        Assert.Equal(copy, x);
    }

    private static void AssertArgument(string paramName, string fragment, Action action)
    {
        var error = Assert.ThrowsAny<ArgumentException>(action);
        Assert.Equal(paramName, error.ParamName);
        Assert.Contains(fragment, error.Message, StringComparison.Ordinal);
    }

    private readonly struct ChapterFunction : IGenericScalarFunction
    {
        public T Evaluate<T>(ReadOnlySpan<T> x)
            where T : IFloatingPointIeee754<T> => (x[0] * x[0]) + (T.CreateTruncating(5) * x[1] * x[1]);
    }

    private readonly struct IndexWeightedSum : IGenericScalarFunction
    {
        public T Evaluate<T>(ReadOnlySpan<T> x)
            where T : IFloatingPointIeee754<T>
        {
            var sum = T.Zero;
            for (var i = 0; i < x.Length; i++)
            {
                sum += T.CreateTruncating((i % 7) + 1) * x[i];
            }

            return sum;
        }
    }

    /// <summary>Σ cᵢxᵢ² with cᵢ = (i mod 7) + 1: its tangent depends on the seeded values as well as the tangents.</summary>
    private readonly struct IndexWeightedSquares : IGenericScalarFunction
    {
        public T Evaluate<T>(ReadOnlySpan<T> x)
            where T : IFloatingPointIeee754<T>
        {
            var sum = T.Zero;
            for (var i = 0; i < x.Length; i++)
            {
                sum += T.CreateTruncating((i % 7) + 1) * x[i] * x[i];
            }

            return sum;
        }
    }

    private readonly struct SmallMap : IGenericVectorFunction
    {
        public void Evaluate<T>(ReadOnlySpan<T> x, Span<T> values)
            where T : IFloatingPointIeee754<T>
        {
            values[0] = x[0] * x[0] * x[1];
            values[1] = (T.CreateTruncating(5) * x[0]) + T.Sin(x[1]);
        }
    }

    private readonly struct Square : IGenericUnivariateFunction
    {
        public T Evaluate<T>(T x)
            where T : IFloatingPointIeee754<T> => x * x;
    }
}
