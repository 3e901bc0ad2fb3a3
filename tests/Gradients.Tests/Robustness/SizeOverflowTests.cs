using System.Numerics.Tensors;
using System.Runtime.InteropServices;

namespace Gradients.Tests.Robustness;

/// <summary>
/// Sizes computed from span lengths never overflow int: a shape too large to process is an ArgumentException
/// naming the parameter and the sizes, never a crash, an OverflowException or a silently truncated shape.
/// </summary>
/// <remarks>
/// The spans here are billions of elements long. They live in native memory that is reserved but never touched
/// (the validation reads only lengths and addresses), so the tests cost address space, not RAM.
/// </remarks>
public sealed unsafe class SizeOverflowTests
{
    /// <summary>2³¹, read at run time (a constant beyond int does not convert to nint at compile time).</summary>
    private static readonly long TwoToThe31 = 1L << 31;

    [Fact]
    public void Multi_output_with_eight_hundred_million_outputs_is_rejected_not_a_stack_overflow()
    {
        // Issue 13, item 1: D·K + 2K with D = 1, K = 8·10⁸ overflowed int; the negative size reached stackalloc
        // and killed the process. Inputs may share memory (only outputs are checked against them).
        const int outputs = 800_000_000;
        using var inputs = new NativeBlock<Half>(outputs);
        using var gradient = new NativeBlock<Half>(outputs);
        using var losses = new NativeBlock<Half>(outputs);

        var e = Assert.Throws<ArgumentException>(() =>
            MeanSquaredError.LossAndGradient<Half>(inputs.Span[..1], inputs.Span, inputs.Span, gradient.Span, losses.Span));
        Assert.Equal("losses", e.ParamName);
        Assert.Contains("800000000", e.Message, StringComparison.Ordinal);
        Assert.Contains("2400000000", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Weights_longer_than_the_largest_array_are_rejected_where_d_sums_are_needed()
    {
        // N = 1, D = int.MaxValue: the D double sums of the loss-only and non-double paths, the chunk partials and
        // the accumulator's state cannot be arrays (Array.MaxLength < int.MaxValue); the pool threw OutOfMemoryException.
        using var block = new NativeBlock<Half>(int.MaxValue);
        var e = Assert.Throws<ArgumentException>(() => MeanSquaredError.Loss<Half>(block.Span, block.Span[..1], block.Span));
        Assert.Equal("weights", e.ParamName);
        Assert.Contains(int.MaxValue.ToString(System.Globalization.CultureInfo.InvariantCulture), e.Message, StringComparison.Ordinal);
        Assert.Equal("weights", Assert.Throws<ArgumentException>(() => new MeanSquaredErrorAccumulator<Half>(block.Span)).ParamName);
    }

    [Fact]
    public void A_tensor_of_more_than_int_max_value_elements_is_rejected_naming_it()
    {
        var rows = (nint)TwoToThe31;
        using var block = new NativeBlock<Half>(rows);
        var small = new Half[1];

        var e = Throws(() =>
            MeanSquaredError.Loss<Half>(
                new ReadOnlyTensorSpan<Half>(block.Pointer, rows, [rows, 1]), new ReadOnlyTensorSpan<Half>(small), new ReadOnlyTensorSpan<Half>(small)));
        Assert.Equal("features", e.ParamName);
        Assert.Contains("2147483648", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_target_tensor_longer_than_int_is_not_truncated_to_a_matching_length()
    {
        // 2³² + 4 elements: cast to int it is 4, which matched N = 4 and was read as a 4-element vector.
        var length = (nint)((2 * TwoToThe31) + 4);
        using var block = new NativeBlock<Half>(length);
        var x = new Half[4];
        var w = new Half[1];

        var e = Throws(() =>
            MeanSquaredError.Loss<Half>(
                new ReadOnlyTensorSpan<Half>(x, [4, 1]), new ReadOnlyTensorSpan<Half>(block.Pointer, length, [length]), new ReadOnlyTensorSpan<Half>(w)));
        Assert.Equal("targets", e.ParamName);
        Assert.Contains("4294967300", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(int.MaxValue, 1)]
    [InlineData(int.MaxValue - 3, 1)]
    [InlineData(1, int.MaxValue)]
    [InlineData(17, int.MaxValue / 17)]
    [InlineData(1 << 30, 2)]
    public void The_row_chunk_plan_covers_every_row_at_the_largest_shapes(int rows, int dimension)
    {
        // N + chunkRows − 1 overflowed int for N near int.MaxValue: the chunk count came out negative and the
        // pass summed no row at all (loss 0). The plan must cover N rows in at most MaxChunks chunks.
        var chunkRows = FusedPass.ChunkRows(rows, dimension);
        var chunkCount = FusedPass.ChunkCount(rows, chunkRows);
        Assert.InRange(chunkRows, FusedPass.MinChunkRows, int.MaxValue);
        Assert.InRange(chunkCount, 1, FusedPass.MaxChunks);
        Assert.True((long)chunkCount * chunkRows >= rows, $"{chunkCount} chunks of {chunkRows} rows do not cover {rows} rows.");
        Assert.True((long)(chunkCount - 1) * chunkRows < rows, $"{chunkCount} chunks of {chunkRows} rows include an empty chunk for {rows} rows.");
    }

    [Fact]
    public void Square_shapes_beyond_int_report_the_true_size_not_minus_one()
    {
        // n·n overflows int beyond n = 46340; the message used to say "requires length -1".
        var x = new double[46341];
        var e = Assert.Throws<ArgumentException>(() => new WeightedSumOfSquares<double>(x).Hessian(x, new double[4]));
        Assert.Equal("hessian", e.ParamName);
        Assert.Contains("2147488281", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("-1", e.Message, StringComparison.Ordinal);

        var q = Assert.Throws<ArgumentException>(() => new QuadraticForm<double>(new double[4], x, 0.0));
        Assert.Equal("matrix", q.ParamName);
        Assert.Contains("2147488281", q.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_adaptive_jacobian_whose_evaluation_count_exceeds_int_is_rejected_before_any_work()
    {
        // Adaptive makes up to 161 evaluations per column (4·40 rows + F(x)), so n = 13,338,000 columns may need
        // 2,147,418,001 — still an int — and n = 13,400,000 may need 2,157,400,001, which is not. The fixed schemes
        // (16 per column) fit at that n. Validation reads lengths only, so x and the Jacobian stay untouched.
        const int n = 13_400_000;
        using var x = new NativeBlock<float>(n);
        using var jacobian = new NativeBlock<float>(n);
        var adaptive = new FiniteDifferenceOptions<float> { Scheme = FiniteDifferenceScheme.Adaptive };
        var e = Throws(() => FiniteDifference.Jacobian<float>((v, values) => values[0] = v[0], x.Span[..n], jacobian.Span[..n], adaptive));
        Assert.Equal("jacobian", e.ParamName);
        Assert.Contains("2,157,400,001", e.Message, StringComparison.Ordinal);
    }

    private static ArgumentException Throws(Action call) => Assert.Throws<ArgumentException>(call);

    /// <summary>Native memory of a given number of elements, reserved and never written.</summary>
    private sealed class NativeBlock<T> : IDisposable
        where T : unmanaged
    {
        private readonly long _length;

        public NativeBlock(long length)
        {
            _length = length;
            Pointer = (T*)NativeMemory.Alloc((nuint)length, (nuint)sizeof(T));
        }

        public T* Pointer { get; }

        /// <summary>The block as a span (at most int.MaxValue elements).</summary>
        public Span<T> Span => new(Pointer, (int)Math.Min(_length, int.MaxValue));

        public void Dispose() => NativeMemory.Free(Pointer);
    }
}
