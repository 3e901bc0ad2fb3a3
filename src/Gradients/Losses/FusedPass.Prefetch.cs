using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;

namespace Gradients;

/// <summary>Whether a kernel instance prefetches (a JIT-time constant, so the instance without carries no trace of it).</summary>
internal interface IPrefetchChoice
{
    /// <summary>True when the kernel asks for X <see cref="FusedPass.PrefetchDistance"/> bytes ahead.</summary>
    static abstract bool IsEnabled { get; }
}

/// <summary>The kernel reads X without prefetch hints (data that fits in L1).</summary>
internal readonly struct NoPrefetch : IPrefetchChoice
{
    public static bool IsEnabled => false;
}

/// <summary>The kernel asks for X <see cref="FusedPass.PrefetchDistance"/> bytes ahead (and into L2 further ahead).</summary>
internal readonly struct WithPrefetch : IPrefetchChoice
{
    public static bool IsEnabled => true;
}

internal static partial class FusedPass
{
    /// <summary>
    /// How far ahead of the block being computed the kernels ask for X, in bytes. The loss kernels do enough
    /// work per row (the dot product, the per-row loss, the gradient FMAs) that the hardware prefetchers, which run
    /// off the demand stream and stop at 4 KB page boundaries, fall behind: the pass waited on memory with the
    /// out-of-order window full of the previous rows' chain. Asked for 4 KB ahead, the lines are in L1 when the
    /// rows are read. Measured (thread-CPU clock, loaded 2-core VM, docs/benchmarks.md): MSE at 2,000,000×16 and
    /// 100,000×128 from 1.2–1.8× to 0.9–1.0× the read-only pass, logistic from 1.2–1.7× to 1.0–1.25×; 2048 to 16384
    /// bytes were within noise of 4096, 1024 helped least.
    /// </summary>
    internal const int PrefetchDistance = 4096;

    /// <summary>
    /// Whether a kernel prefetches a chunk of <paramref name="rows"/> rows of <paramref name="dimension"/> elements
    /// whose blocks span <paramref name="blockBytes"/> bytes each: only chunks larger than
    /// L1 (smaller data is in cache and the hints would be pure overhead), and only blocks no longer than
    /// <see cref="PrefetchDistance"/> (longer rows are long sequential streams the hardware prefetchers follow, and
    /// a prefetch 4 KB ahead would land inside the block being read; measured slower at 1000×1000).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool Prefetches<T>(int rows, nuint dimension, nuint blockBytes) =>
        Sse.IsSupported && blockBytes <= PrefetchDistance && (nuint)rows * dimension * (nuint)Unsafe.SizeOf<T>() >= 64 * 1024;

    /// <summary>
    /// Asks for the <paramref name="bytes"/> that start <see cref="PrefetchDistance"/> bytes after
    /// <paramref name="start"/> into L1, one 64-byte line after another, and for the same bytes
    /// <see cref="L2PrefetchDistance"/> ahead into L2. A prefetch never faults, so lines past
    /// the end of X cost nothing but the hint; and the address is only a hint, so a pointer that a moving
    /// garbage collection made stale between here and the instruction would prefetch the wrong line, nothing worse.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void PrefetchAhead<T>(ref T start, nuint bytes)
    {
        var at = (byte*)Unsafe.AsPointer(ref start) + PrefetchDistance;
        for (nuint offset = 0; offset < bytes; offset += 64)
        {
            Sse.Prefetch0(at + offset);
            Sse.Prefetch1(at + (L2PrefetchDistance - PrefetchDistance) + offset);
        }
    }

    /// <summary>One prefetch hint for the line of <paramref name="x"/>, into L1 or L2 (a hint: it never faults).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void PrefetchLine<T>(ref T x, bool intoL2)
    {
        if (intoL2)
        {
            Sse.Prefetch1(Unsafe.AsPointer(ref x));
        }
        else
        {
            Sse.Prefetch0(Unsafe.AsPointer(ref x));
        }
    }

    /// <summary>
    /// Asks L2 for the line <see cref="L2PrefetchDistance"/> bytes after <paramref name="start"/> (a hint: it never
    /// faults, past the end of X included).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void PrefetchLineIntoL2<T>(ref T start) =>
        Sse.Prefetch1((byte*)Unsafe.AsPointer(ref start) + L2PrefetchDistance);

    /// <summary>
    /// How far ahead the second hint of <see cref="PrefetchAhead{T}(ref T, nuint)"/> asks for X, into L2 (<c>prefetcht1</c>). The
    /// hints into L1 alone keep as many lines in flight as L1 has fill buffers; asking L2 for the lines 16 KB ahead
    /// as well keeps more of the memory's latency covered (the float kernels found the same, docs/benchmarks.md).
    /// Measured on the quiet VM (thread CPU time, one process per case, four rounds; MSE double ÷ the read-only pass of
    /// the same width, medians): 2,000,000×16 1.13 → 1.04 (AVX-512), 1.13 → 0.98 (AVX-512 off), 1.01 → 0.97 (AVX2 off);
    /// 100,000×128 1.35 → 1.31, 1.11 → 1.00, 1.12 → 0.98.
    /// </summary>
    internal const int L2PrefetchDistance = 16384;
}
