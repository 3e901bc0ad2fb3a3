using System.Numerics;
using System.Runtime.InteropServices;

namespace Gradients.Tests.Robustness;

/// <summary>
/// The loss kernels read whole vectors, blocks of rows and overlapping row ends: none may read past the end of X, y or
/// w, or before its start. Each input here ends flush against a page the process may not touch
/// (<c>mprotect(PROT_NONE)</c>, Linux), and then starts flush after one, so such a read is a segmentation fault that
/// ends the test run; a passing run is the assertion. Every kernel path
/// of the generic pass (narrow rows, the register kernels, the wide and float kernels, full chunks and small calls) and
/// the softmax pass, in float and double; the knobs CI sets (<c>DOTNET_EnableAVX512=0</c>, <c>DOTNET_EnableAVX2=0</c>,
/// <c>DOTNET_EnableHWIntrinsic=0</c>) run the narrower paths.
/// </summary>
public sealed class GuardPageTests
{
    private static readonly int[] Dimensions = [1, 2, 3, 4, 5, 7, 8, 9, 13, 15, 16, 17, 20, 23, 24, 31, 32, 33, 40, 64, 100, 127, 128, 129, 256, 257, 513];
    private static readonly int[] SmallRowCounts = [1, 2, 3, 5, 7, 8, 9, 13, 50];

    [Fact]
    public void The_linear_model_losses_read_nothing_past_their_inputs()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        foreach (var d in Dimensions)
        {
            // Small calls, and one full chunk (at least 65,536 elements, with a row remainder of three) for the kernels of
            // large data.
            foreach (var n in SmallRowCounts.Append(((65_536 + d - 1) / d) + 3))
            {
                foreach (var guardBefore in new[] { false, true })
                {
                    Check<double>(n, d, guardBefore);
                    Check<float>(n, d, guardBefore);
                }
            }
        }
    }

    [Fact]
    public void The_softmax_reads_nothing_past_its_inputs()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        const int Classes = 3;
        foreach (var d in Dimensions)
        {
            foreach (var n in SmallRowCounts.Append(((65_536 + d - 1) / d) + 3))
            {
                foreach (var guardBefore in new[] { false, true })
                {
                    using var x = GuardedSpan<double>.Filled(n * d, i => Math.Sin(i) / 2, guardBefore);
                    using var w = GuardedSpan<double>.Filled(d * Classes, i => Math.Cos(i) / 4, guardBefore);
                    using var labels = GuardedSpan<int>.Filled(n, i => i % Classes, guardBefore);
                    var gradient = new double[d * Classes];
                    var loss = SoftmaxCrossEntropy.LossAndGradient<double>(x.Span, labels.Span, w.Span, gradient);
                    Assert.True(double.IsFinite(loss), $"softmax N={n} D={d}: loss {loss}");
                }
            }
        }
    }

    private static void Check<T>(int n, int d, bool guardBefore)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        using var x = GuardedSpan<T>.Filled(n * d, i => T.CreateTruncating(Math.Sin(i) / 2), guardBefore);
        using var y = GuardedSpan<T>.Filled(n, i => T.CreateTruncating(i % 2), guardBefore);
        using var w = GuardedSpan<T>.Filled(d, i => T.CreateTruncating(Math.Cos(i) / 4), guardBefore);
        var gradient = new T[d];
        var residuals = new T[n];
        var mse = MeanSquaredError.LossAndGradient<T>(x.Span, y.Span, w.Span, T.One, gradient, out _, residuals);
        var logistic = LogisticLoss.LossAndGradient<T>(x.Span, y.Span, w.Span, gradient);
        var huber = HuberLoss.LossAndGradient<T>(x.Span, y.Span, w.Span, gradient);
        Assert.True(T.IsFinite(mse) && T.IsFinite(logistic) && T.IsFinite(huber), $"{typeof(T).Name} N={n} D={d}: {mse}, {logistic}, {huber}");

        // FloatArithmetic.Fast has kernels of its own (float rows of three and four in L1, the wide kernels' float η),
        // and the mean squared error's reads its last rows as a block of its own.
        var fastMse = MeanSquaredError.LossAndGradient<T>(x.Span, y.Span, w.Span, T.One, gradient, out _, residuals, new MeanSquaredErrorOptions { FloatArithmetic = FloatArithmetic.Fast });
        var fastLogistic = LogisticLoss.LossAndGradient<T>(x.Span, y.Span, w.Span, gradient, new LinearModelLossOptions { FloatArithmetic = FloatArithmetic.Fast });
        var fastHuber = HuberLoss.LossAndGradient<T>(x.Span, y.Span, w.Span, gradient, new HuberLossOptions { FloatArithmetic = FloatArithmetic.Fast });
        Assert.True(
            T.IsFinite(fastMse) && T.IsFinite(fastLogistic) && T.IsFinite(fastHuber),
            $"{typeof(T).Name} N={n} D={d}, FloatArithmetic.Fast: {fastMse}, {fastLogistic}, {fastHuber}");
    }

    /// <summary>
    /// Elements ending exactly where a page with no access begins, or starting exactly where one ends (anonymous memory
    /// from <c>mmap</c>, the last or the first page <c>PROT_NONE</c>).
    /// </summary>
    private sealed unsafe class GuardedSpan<T> : IDisposable
        where T : unmanaged
    {
        private const int ProtNone = 0;
        private const int ProtReadWrite = 3;
        private const int MapPrivateAnonymous = 0x22;
        private readonly nint _mapping;
        private readonly nuint _mappedBytes;
        private readonly T* _start;
        private readonly int _length;

        private GuardedSpan(int length, bool guardBefore)
        {
            var page = (nuint)Environment.SystemPageSize;
            var bytes = (nuint)length * (nuint)sizeof(T);
            var dataPages = (bytes + page - 1) / page;
            _mappedBytes = (dataPages + 1) * page;
            _mapping = Libc.Mmap(0, _mappedBytes, ProtReadWrite, MapPrivateAnonymous, -1, 0);
            Assert.True(_mapping != -1, $"mmap of {_mappedBytes} bytes failed (errno {Marshal.GetLastPInvokeError()})");
            var guard = guardBefore ? _mapping : _mapping + (nint)(dataPages * page);
            Assert.Equal(0, Libc.Mprotect(guard, page, ProtNone));
            _start = guardBefore ? (T*)(guard + (nint)page) : (T*)(guard - (nint)bytes);
            _length = length;
        }

        public Span<T> Span => new(_start, _length);

        public static GuardedSpan<T> Filled(int length, Func<int, T> value, bool guardBefore = false)
        {
            var buffer = new GuardedSpan<T>(length, guardBefore);
            for (var i = 0; i < length; i++)
            {
                buffer.Span[i] = value(i);
            }

            return buffer;
        }

        public void Dispose() => _ = Libc.Munmap(_mapping, _mappedBytes);
    }

    /// <summary>The three calls of the C library the guarded buffers need.</summary>
    private static class Libc
    {
        [DllImport("libc", EntryPoint = "mmap", SetLastError = true)]
        internal static extern nint Mmap(nint address, nuint length, int protection, int flags, int descriptor, nint offset);

        [DllImport("libc", EntryPoint = "mprotect", SetLastError = true)]
        internal static extern int Mprotect(nint address, nuint length, int protection);

        [DllImport("libc", EntryPoint = "munmap", SetLastError = true)]
        internal static extern int Munmap(nint address, nuint length);
    }
}
