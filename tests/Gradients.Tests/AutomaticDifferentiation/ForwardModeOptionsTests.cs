using System.Numerics;

namespace Gradients.Tests.AutomaticDifferentiation;

/// <summary><see cref="ForwardModeOptions.ChunkSize"/>: every chunk size gives the same bits; bad sizes are named errors.</summary>
public sealed class ForwardModeOptionsTests
{
    public static TheoryData<int> Lengths => [2, 3, 8, 9, 16, 17, 40, 129];

    [Theory]
    [MemberData(nameof(Lengths))]
    public void Every_chunk_size_gives_the_same_gradient_bit_for_bit(int n)
    {
        // Lane j of a chunk runs exactly the operations of a Dual<T> seeded on coordinate j (DualAccuracyTests checks
        // that per member), so the chunk size only moves coordinates between passes: the results must be identical,
        // not merely close. The functions mix products, quotients, Exp/Log/Sin/Sqrt/Pow, Max with its kink, and sums.
        var random = new Random(1500 + n);
        var x = Enumerable.Range(0, n).Select(_ => random.NextDouble() + 0.5).ToArray();
        AssertSameForEveryChunkSize(new Rosenbrock<double>(), x);
        AssertSameForEveryChunkSize(new LogSumExp<double>(), x);
        AssertSameForEveryChunkSize(new Mixed(), x);
        AssertSameForEveryChunkSize(new Mixed(), Array.ConvertAll(x, v => (float)v));
        AssertSameForEveryChunkSize(new Rosenbrock<float>(), Array.ConvertAll(x, v => (float)v));
        AssertSameForEveryChunkSize(new Mixed(), Array.ConvertAll(x, v => (Half)v));

        var m = 3;
        var reference = new double[m * n];
        Gradients.ForwardMode.Jacobian(new MixedMap(), x, reference);
        for (var chunk = 1; chunk <= Gradients.ForwardMode.LargestChunkSize<double>(); chunk++)
        {
            var jacobian = new double[m * n];
            Gradients.ForwardMode.Jacobian(new MixedMap(), x, jacobian, new ForwardModeOptions { ChunkSize = chunk });
            Assert.Equal(reference, jacobian);
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(7)]
    [InlineData(9)]
    [InlineData(17)]
    [InlineData(33)]
    public void Every_chunk_size_gives_the_same_Hessian_bit_for_bit(int n)
    {
        // Chunk 1 nests Dual<Dual<T>>, larger chunks Dual<DualChunk<T>>; lane by lane the same operations.
        var random = new Random(1600 + n);
        var x = Enumerable.Range(0, n).Select(_ => random.NextDouble() + 0.5).ToArray();
        AssertSameHessianForEveryChunkSize(new Mixed(), x);
        AssertSameHessianForEveryChunkSize(new LogSumExp<double>(), x);
        AssertSameHessianForEveryChunkSize(new Mixed(), Array.ConvertAll(x, v => (float)v));
    }

    [Fact]
    public void The_largest_chunk_is_two_256_bit_vectors_and_one_without_vectors()
    {
        Assert.Equal(8, Gradients.ForwardMode.LargestChunkSize<double>());
        Assert.Equal(16, Gradients.ForwardMode.LargestChunkSize<float>());
        Assert.Equal(1, Gradients.ForwardMode.LargestChunkSize<Half>());
        Assert.Equal(1, Gradients.ForwardMode.LargestChunkSize<Dual<double>>());
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(9)]
    [InlineData(int.MinValue)]
    [InlineData(int.MaxValue)]
    public void A_chunk_size_out_of_range_is_an_error_naming_the_option_and_the_range(int chunkSize)
    {
        var options = new ForwardModeOptions { ChunkSize = chunkSize };
        double[] x = [1, 2];
        var error = Assert.Throws<ArgumentOutOfRangeException>("options", () => Gradients.ForwardMode.Gradient(new Mixed(), x, new double[2], options));
        Assert.Contains($"options.ChunkSize is {chunkSize}", error.Message, StringComparison.Ordinal);
        Assert.Contains("between 1 and 8", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>("options", () => Gradients.ForwardMode.ValueAndGradient(new Mixed(), x, new double[2], options));
        Assert.Throws<ArgumentOutOfRangeException>("options", () => Gradients.ForwardMode.Jacobian(new MixedMap(), x, new double[6], options));
        Assert.Throws<ArgumentOutOfRangeException>("options", () => Gradients.ForwardMode.Hessian(new Mixed(), x, new double[4], options));
        var half = Assert.Throws<ArgumentOutOfRangeException>("options", () => Gradients.ForwardMode.Gradient(new Mixed(), [(Half)1, (Half)2], new Half[2], new ForwardModeOptions { ChunkSize = 2 }));
        Assert.Contains("between 1 and 1", half.Message, StringComparison.Ordinal);
    }

    private static void AssertSameForEveryChunkSize<T, TFunction>(TFunction function, T[] x)
        where T : IFloatingPointIeee754<T>
        where TFunction : IGenericScalarFunction
    {
        var reference = new T[x.Length];
        var value = Gradients.ForwardMode.ValueAndGradient(function, x, reference);
        for (var chunk = 0; chunk <= Gradients.ForwardMode.LargestChunkSize<T>(); chunk++)
        {
            var gradient = new T[x.Length];
            var options = new ForwardModeOptions { ChunkSize = chunk };
            Assert.Equal(value, Gradients.ForwardMode.ValueAndGradient(function, x, gradient, options));
            Assert.Equal(reference, gradient);
            Gradients.ForwardMode.Gradient(function, x, gradient, options);
            Assert.Equal(reference, gradient);
        }
    }

    private static void AssertSameHessianForEveryChunkSize<T, TFunction>(TFunction function, T[] x)
        where T : IFloatingPointIeee754<T>
        where TFunction : IGenericScalarFunction
    {
        var n = x.Length;
        var reference = new T[n * n];
        Gradients.ForwardMode.Hessian(function, x, reference);
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < i; j++)
            {
                Assert.Equal(reference[(i * n) + j], reference[(j * n) + i]);
            }
        }

        for (var chunk = 1; chunk <= Gradients.ForwardMode.LargestChunkSize<T>(); chunk++)
        {
            var hessian = new T[n * n];
            Gradients.ForwardMode.Hessian(function, x, hessian, new ForwardModeOptions { ChunkSize = chunk });
            Assert.Equal(reference, hessian);
        }
    }

    /// <summary>Σ over neighbours of a mix of the rules, with a tie-free Max and every coordinate used.</summary>
    private readonly struct Mixed : IGenericScalarFunction
    {
        public T Evaluate<T>(ReadOnlySpan<T> x)
            where T : IFloatingPointIeee754<T>
        {
            var sum = T.Sin(x[0]) / (T.One + (x[0] * x[0]));
            for (var i = 1; i < x.Length; i++)
            {
                var a = x[i - 1];
                var b = x[i];
                sum += (T.Exp(a - b) * T.Sqrt(b)) + T.Log(a + b) - T.Max(a, b * T.CreateTruncating(0.75)) + T.Pow(b, a);
            }

            return sum;
        }
    }

    /// <summary>F: Rⁿ → R³, each value touching every coordinate.</summary>
    private readonly struct MixedMap : IGenericVectorFunction
    {
        public void Evaluate<T>(ReadOnlySpan<T> x, Span<T> values)
            where T : IFloatingPointIeee754<T>
        {
            values[0] = T.Zero;
            values[1] = T.One;
            values[2] = T.Zero;
            for (var i = 0; i < x.Length; i++)
            {
                values[0] += x[i] * x[i];
                values[1] *= T.Cos(x[i]);
                values[2] = T.Hypot(values[2], x[i]);
            }
        }
    }
}
