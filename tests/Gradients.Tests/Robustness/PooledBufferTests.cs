using System.Buffers;

namespace Gradients.Tests.Robustness;

/// <summary>
/// Arrays rented from <see cref="ArrayPool{T}.Shared"/> go back cleared: the next renter in the process (any
/// code, any thread) must not find the caller's x, nor sums computed from the caller's data.
/// </summary>
/// <remarks>
/// Each test first stocks the pool buckets the call rents from with arrays it has cleared (80 rents and returns: the
/// thread's own slot and the per-core stacks hold them, on any machine with up to 2 partitions of 32), fills its data
/// with a distinctive pattern, makes the call, then rents every array of those buckets it can get and checks that none
/// of the stocked ones holds a pattern value. Before the fix the array just returned sat in the thread's slot with x in
/// it. Only stocked arrays are checked: once a bucket is empty the pool allocates with
/// <c>GC.AllocateUninitializedArray</c>, whose memory may still hold a collected array of an earlier test, such as
/// its own x or gradient (this made the check fail now and then, on data the library never pooled).
/// </remarks>
[Collection(ProcessWideMeasurements.Name)] // it drains the shared pool: other tests renting and returning meanwhile would blur what it sees
public sealed class PooledBufferTests
{
    private const int Drain = 80;

    /// <summary>A value no other test produces: exact in float and double, as are its small multiples and square.</summary>
    private const double Mark = 4093.8125;

    [Theory]
    [InlineData(false, 1)]
    [InlineData(true, 1)]
    [InlineData(true, 2)]
    public void Finite_difference_gradient_leaves_no_copy_of_x_in_the_pool(bool withOptions, int threads)
    {
        const int n = 300;
        var x = Enumerable.Range(0, n).Select(i => 98765.4321 + (i / 1024.0)).ToArray();
        var pattern = x.ToHashSet();
        var gradient = new double[n];
        static double F(ReadOnlySpan<double> v) => v[0] + v[^1];
        var stocked = StockPool(n, 3 * n);

        if (withOptions)
        {
            var options = new FiniteDifferenceOptions<double> { Scheme = FiniteDifferenceScheme.Forward, MaxDegreeOfParallelism = threads };
            FiniteDifference.Gradient<double>(F, x, gradient, options);
        }
        else
        {
            FiniteDifference.Gradient<double>(F, x, gradient);
        }

        Assert.Equal(1.0, gradient[0], 1e-6);
        AssertNoPooledArrayHolds(n, pattern.Contains, stocked);
        AssertNoPooledArrayHolds(3 * n, pattern.Contains, stocked);
    }

    [Fact]
    public void Single_output_loss_in_float_leaves_no_sums_in_the_pool()
    {
        // float sums go through a rented double buffer for D > 256. One row, x = 1, w = 0, y = −Mark: r = Mark and
        // every Σ r·xⱼ is Mark.
        const int d = 300;
        var x = Enumerable.Repeat(1f, d).ToArray();
        var gradient = new float[d];
        var stocked = StockPool(d);
        MeanSquaredError.LossAndGradient<float>(x, [(float)-Mark], new float[d], gradient);

        Assert.Equal((float)(2 * Mark), gradient[0]);
        AssertNoPooledArrayHolds(d, IsMultipleOfMark(1), stocked);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Chunked_and_threaded_loss_leaves_no_partial_sums_in_the_pool(int threads)
    {
        // D = 600 > 512 rents the chunk buffer; 224 rows make two chunks of 112 rows (r = Mark on every row).
        const int d = 600, rows = 224;
        var x = Enumerable.Repeat(1.0, d * rows).ToArray();
        var y = Enumerable.Repeat(-Mark, rows).ToArray();
        var gradient = new double[d];
        var stocked = StockPool(d, 2 * (d + 2));
        MeanSquaredError.LossAndGradient<double>(x, y, new double[d], gradient, new MeanSquaredErrorOptions { MaxDegreeOfParallelism = threads });

        Assert.Equal(2 * Mark, gradient[0]);
        AssertNoPooledArrayHolds(d, IsMultipleOfMark(rows), stocked);
        AssertNoPooledArrayHolds(2 * (d + 2), IsMultipleOfMark(rows), stocked);
    }

    [Fact]
    public void Multi_output_loss_leaves_no_sums_in_the_pool()
    {
        // D·K + 2K = 20·30 + 60 > 512 rents the scratch; r = Mark for every row and output.
        const int d = 20, k = 30, rows = 5;
        var x = Enumerable.Repeat(1.0, rows * d).ToArray();
        var y = Enumerable.Repeat(-Mark, rows * k).ToArray();
        var gradient = new double[d * k];
        var losses = new double[k];
        var stocked = StockPool((d * k) + (2 * k));
        MeanSquaredError.LossAndGradient<double>(x, y, new double[d * k], gradient, losses);

        Assert.Equal(Mark * Mark, losses[0]);
        AssertNoPooledArrayHolds((d * k) + (2 * k), IsMultipleOfMark(rows), stocked);
    }

    /// <summary>k·Mark or k·Mark² for k = 1…<paramref name="rows"/>: the sums a pass over rows with r = Mark leaves.</summary>
    private static Func<double, bool> IsMultipleOfMark(int rows) => value =>
    {
        var k = value / Mark;
        var l = value / (Mark * Mark);
        return value != 0.0 && ((k == Math.Round(k) && k >= 1 && k <= rows) || (l == Math.Round(l) && l >= 1 && l <= rows));
    };

    /// <summary>
    /// Fills the pool's buckets for <paramref name="lengths"/> with cleared arrays (every array it held, and fresh ones up
    /// to <see cref="Drain"/> a bucket); returns them, the arrays the call under test will rent from.
    /// </summary>
    private static HashSet<double[]> StockPool(params int[] lengths)
    {
        var stocked = new HashSet<double[]>(ReferenceEqualityComparer.Instance);
        foreach (var length in lengths)
        {
            var rented = Enumerable.Range(0, Drain).Select(_ => ArrayPool<double>.Shared.Rent(length)).ToList();
            foreach (var array in rented)
            {
                Array.Clear(array);
                stocked.Add(array);
                ArrayPool<double>.Shared.Return(array);
            }
        }

        return stocked;
    }

    private static void AssertNoPooledArrayHolds(int length, Func<double, bool> isCallerData, HashSet<double[]> stocked)
    {
        var rented = new List<double[]>(Drain);
        try
        {
            for (var i = 0; i < Drain; i++)
            {
                rented.Add(ArrayPool<double>.Shared.Rent(length));
            }

            // The drain must reach the stocked arrays, or it checks nothing.
            Assert.Contains(rented, stocked.Contains);
            foreach (var array in rented.Where(stocked.Contains))
            {
                var leaked = array.Where(isCallerData).Take(3).ToArray();
                Assert.True(leaked.Length == 0, $"A pooled array of length {array.Length} still holds caller data: {string.Join(", ", leaked)}.");
            }
        }
        finally
        {
            foreach (var array in rented)
            {
                ArrayPool<double>.Shared.Return(array);
            }
        }
    }
}
