using System.Globalization;
using System.Runtime.InteropServices;

namespace Gradients.Tests.Robustness;

/// <summary>
/// Sizes of the newer surface (issue 13, second hostile run): the accumulator's byte state, forward mode's scratch and
/// Hessian. A shape too large is an ArgumentException naming the parameter and the sizes, before anything is
/// allocated — not an OutOfMemoryException from the pool, an OverflowException from the byte count, or a message
/// without the sizes.
/// </summary>
/// <remarks>The long spans live in reserved native memory that is never touched: they cost address space, not RAM.</remarks>
public sealed unsafe class NewSurfaceSizeTests
{
    [Fact]
    public void An_accumulator_whose_byte_state_would_pass_an_array_is_rejected_before_allocating()
    {
        // 72 + 8·D > Array.MaxLength from D = 268,435,447: GetByteCount threw OverflowException (checked int), and the
        // construction itself copied gigabytes first. D = 2²⁸ (2 GB of double weights) is rejected naming weights.
        const int dimension = 1 << 28;
        using var block = new NativeBlock<double>(dimension);

        var e = Assert.Throws<ArgumentException>(() => LinearModelLossAccumulator<double>.ForLogisticLoss(block.Span, 0.0, default));
        Assert.Equal("weights", e.ParamName);
        Assert.Contains("268435456", e.Message, StringComparison.Ordinal);
        Assert.Contains("2147483720", e.Message, StringComparison.Ordinal);

        using var halves = new NativeBlock<Half>(1 << 30);
        Assert.Equal("weights", Assert.Throws<ArgumentException>(() => new MeanSquaredErrorAccumulator<Half>(halves.Span)).ParamName);
        Assert.Equal("weights", Assert.Throws<ArgumentException>(() => LinearModelLossAccumulator<Half>.ForHuberLoss(halves.Span, Half.Zero, default)).ParamName);
    }

    [Fact]
    public void The_largest_accumulator_dimension_still_has_a_byte_count()
    {
        // The limit is exact: D = (Array.MaxLength − 72) / 8 passes the check (GetByteCount fits in an int).
        var largest = (Array.MaxLength - 72) / 8;
        Assert.True(72L + (8L * largest) <= Array.MaxLength);
        using var block = new NativeBlock<double>(largest + 1);
        var e = Assert.Throws<ArgumentException>(() => LinearModelLossAccumulator<double>.ForPoissonLoss(block.Span, 0.0, default));
        Assert.Contains(largest.ToString(CultureInfo.InvariantCulture), e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_forward_jacobian_with_more_outputs_than_an_array_holds_names_the_jacobian()
    {
        // n = 1, m = jacobian.Length: the m dual outputs are one pooled array; ArrayPool.Rent threw OutOfMemoryException.
        using var block = new NativeBlock<double>(int.MaxValue);
        var e = Assert.Throws<ArgumentException>(() => ForwardMode.Jacobian<double, Identity>(default, [1.0], block.Span));
        Assert.Equal("jacobian", e.ParamName);
        Assert.Contains(int.MaxValue.ToString(CultureInfo.InvariantCulture), e.Message, StringComparison.Ordinal);

        using var floats = new NativeBlock<float>(Array.MaxLength + 1L);
        Assert.Equal("jacobian", Assert.Throws<ArgumentException>(() =>
            ForwardMode.Jacobian<float, Identity>(default, [1f], floats.Span, new ForwardModeOptions { ChunkSize = 1 })).ParamName);
    }

    [Fact]
    public void A_forward_gradient_of_more_coordinates_than_an_array_holds_names_x_before_reading_it()
    {
        // x in native memory may be longer than Array.MaxLength; its duals cannot be.
        using var x = new NativeBlock<double>(int.MaxValue);
        using var gradient = new NativeBlock<double>(int.MaxValue);
        var e = Assert.Throws<ArgumentException>(() => ForwardMode.Gradient<double, Identity>(default, x.Span, gradient.Span));
        Assert.Equal("x", e.ParamName);
        Assert.Contains(Array.MaxLength.ToString(CultureInfo.InvariantCulture), e.Message, StringComparison.Ordinal);
        Assert.Equal("x", Assert.Throws<ArgumentException>(() => ForwardMode.DirectionalDerivative<double, Identity>(default, x.Span, gradient.Span)).ParamName);
    }

    [Fact]
    public void A_forward_hessian_beyond_int_gives_n_and_n_squared()
    {
        using var x = new NativeBlock<double>(46341);
        var e = Assert.Throws<ArgumentException>(() => ForwardMode.Hessian<double, Identity>(default, x.Span, []));
        Assert.Equal("x", e.ParamName);
        Assert.Contains("46341", e.Message, StringComparison.Ordinal);
        Assert.Contains("2147488281", e.Message, StringComparison.Ordinal);
    }

    /// <summary>f(x) = Σx and F(x) = x₀ in every output, for every element type.</summary>
    private readonly struct Identity : IGenericScalarFunction, IGenericVectorFunction
    {
        public T Evaluate<T>(ReadOnlySpan<T> x)
            where T : System.Numerics.IFloatingPointIeee754<T> => x[0];

        public void Evaluate<T>(ReadOnlySpan<T> x, Span<T> values)
            where T : System.Numerics.IFloatingPointIeee754<T> => values.Fill(x[0]);
    }

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

        public Span<T> Span => new(Pointer, (int)Math.Min(_length, int.MaxValue));

        public void Dispose() => NativeMemory.Free(Pointer);
    }
}
