using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Gradients;

public static partial class ForwardMode
{
    /// <summary>
    /// The rate of change of f at <paramref name="x"/> along the unit vector u = direction/‖direction‖,
    /// D_u f = ∇f·u, exact, from one evaluation of f with tangent u — without forming ∇f.
    /// </summary>
    /// <typeparam name="T">The floating-point type.</typeparam>
    /// <typeparam name="TFunction">The function type (a struct is inlined).</typeparam>
    /// <param name="function">f; it must not write to its argument.</param>
    /// <param name="x">The point, of length n ≥ 1, finite.</param>
    /// <param name="direction">The direction, of length n, finite and non-zero; only its orientation matters.</param>
    /// <returns>∇f(x)·u.</returns>
    /// <exception cref="ArgumentException">An argument is empty, non-finite, zero or of the wrong length.</exception>
    public static T DirectionalDerivative<T, TFunction>(TFunction function, ReadOnlySpan<T> x, ReadOnlySpan<T> direction)
        where T : IFloatingPointIeee754<T>
        where TFunction : IGenericScalarFunction
    {
        ThrowIfNull(function);
        ThrowHelper.ThrowIfEmpty(x.Length, nameof(x));
        ThrowIfScratchExceedsAnArray(x.Length, nameof(x), "n duals (one per coordinate of x)");
        ThrowHelper.ThrowIfLengthMismatch(direction.Length, x.Length, nameof(direction), "the point 'x'");
        return DirectionalCore(ref function, x, direction);
    }

    /// <summary>
    /// One pass over x and d builds the duals (xᵢ, dᵢ) and, in the same loads, ‖d‖² and the finiteness checks of
    /// both; f is evaluated once and its tangent ∇f·d divided by ‖d‖. Directions whose ‖d‖² lies outside
    /// <see cref="IsModerate{T}"/>'s band (or that fail a check) take <see cref="DirectionalRescaled"/>.
    /// </summary>
    private static T DirectionalCore<T, TFunction>(ref TFunction function, ReadOnlySpan<T> x, ReadOnlySpan<T> direction)
        where T : IFloatingPointIeee754<T>
        where TFunction : IGenericScalarFunction =>
        x.Length <= DirectionalSmallScratch<Dual<T>>.Capacity ? DirectionalOnSmallStack(ref function, x, direction)
        : x.Length <= DirectionalScratch<Dual<T>>.Capacity && Unsafe.SizeOf<Dual<T>>() <= 16 ? DirectionalOnLargeStack(ref function, x, direction)
        : DirectionalOnScratch(ref function, x, direction);

    /// <summary>n ≤ 128: the duals in a 128-element stack block (no pool, so no try/finally either).</summary>
    [SkipLocalsInit]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static T DirectionalOnSmallStack<T, TFunction>(ref TFunction function, ReadOnlySpan<T> x, ReadOnlySpan<T> direction)
        where T : IFloatingPointIeee754<T>
        where TFunction : IGenericScalarFunction
    {
        Unsafe.SkipInit(out DirectionalSmallScratch<Dual<T>> stack);
        if (RuntimeHelpers.IsReferenceOrContainsReferences<T>())
        {
            stack = default;
        }

        return DirectionalPass(ref function, x, direction, AlignedDuals<T>(stack, x.Length));
    }

    /// <summary>
    /// 128 &lt; n ≤ 1024 with a dual of at most 16 bytes (double, float): the duals live in a 16 KiB stack block, so no
    /// pool is rented and no array cleared afterwards (at n = 1000 about a tenth of one evaluation of f). Kept out of
    /// the small case, whose frame would otherwise grow to 16 KiB (four pages probed on every call).
    /// </summary>
    [SkipLocalsInit]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static T DirectionalOnLargeStack<T, TFunction>(ref TFunction function, ReadOnlySpan<T> x, ReadOnlySpan<T> direction)
        where T : IFloatingPointIeee754<T>
        where TFunction : IGenericScalarFunction
    {
        Unsafe.SkipInit(out DirectionalScratch<Dual<T>> stack);
        if (RuntimeHelpers.IsReferenceOrContainsReferences<T>())
        {
            stack = default;
        }

        return DirectionalPass(ref function, x, direction, AlignedDuals<T>(stack, x.Length));
    }

    /// <summary>
    /// The first <paramref name="length"/> duals of a stack block, for <c>Dual&lt;double&gt;</c> moved up to the next
    /// 32-byte boundary (8, 16 or 24 bytes: the JIT places the block 8 bytes past a 16-byte boundary in some frames), so
    /// that the seed's 32-byte stores never straddle a cache line: a straddling store costs two, and a load of a dual f
    /// reads right after it cannot take its data from the store buffer. The blocks hold two elements more than they
    /// serve. A block that holds references is never moved (the GC sees its elements where it laid them out). The order
    /// of the seed's sums does not depend on this.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe Span<Dual<T>> AlignedDuals<T>(Span<Dual<T>> block, int length)
        where T : IFloatingPointIeee754<T>
    {
        ref var first = ref MemoryMarshal.GetReference(block);
        if (Unsafe.SizeOf<Dual<T>>() != 16 || RuntimeHelpers.IsReferenceOrContainsReferences<T>())
        {
            return block[..length];
        }

        var skip = (nuint)(-(nint)Unsafe.AsPointer(ref first)) & 31;
        return MemoryMarshal.CreateSpan(ref Unsafe.As<byte, Dual<T>>(ref Unsafe.AddByteOffset(ref Unsafe.As<Dual<T>, byte>(ref first), skip)), length);
    }

    [SkipLocalsInit]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static T DirectionalOnScratch<T, TFunction>(ref TFunction function, ReadOnlySpan<T> x, ReadOnlySpan<T> direction)
        where T : IFloatingPointIeee754<T>
        where TFunction : IGenericScalarFunction
    {
        var n = x.Length;
        Unsafe.SkipInit(out ScratchBuffer<Dual<T>> stack);
        var point = ScratchBuffer.Take(ref stack, n, out var rented);
        try
        {
            return DirectionalPass(ref function, x, direction, point);
        }
        finally
        {
            if (rented is not null)
            {
                ScratchBuffer.ReturnCleared(rented, n); // the n entries that held x
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static T DirectionalPass<T, TFunction>(ref TFunction function, ReadOnlySpan<T> x, ReadOnlySpan<T> direction, Span<Dual<T>> point)
        where T : IFloatingPointIeee754<T>
        where TFunction : IGenericScalarFunction
    {
        var sumOfSquares = SeedAlongDirection(point, x, direction);
        if (!IsModerate(sumOfSquares))
        {
            return DirectionalRescaled(ref function, x, direction, point);
        }

        // With d itself as the tangent (not d/‖d‖, which would cost n divisions), ∇f·d/‖d‖. Every tangent in f is
        // 2ᵏ times the one the scaled direction d·2ᵏ would give, exactly, so this rounds as the scaled pass does.
        // ‖d‖ is taken before f runs, so the square root's latency overlaps f instead of following it.
        var norm = T.Sqrt(sumOfSquares);
        return function.Evaluate<Dual<T>>(point).Tangent / norm;
    }

    /// <summary>
    /// Writes the duals (xᵢ, dᵢ) and returns Σdᵢ² + Σ(xᵢ − xᵢ): ‖d‖², or NaN/∞ when a coordinate of x or d is not
    /// finite (xᵢ − xᵢ is NaN exactly then) — the checks ride on loads the pass makes anyway. Four partial sums, so
    /// the latency of one running sum does not set the pace.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static T SeedAlongDirection<T>(Span<Dual<T>> point, ReadOnlySpan<T> x, ReadOnlySpan<T> direction)
        where T : IFloatingPointIeee754<T>
    {
        ref var xs = ref MemoryMarshal.GetReference(x);
        ref var ds = ref MemoryMarshal.GetReference(direction);
        ref var ps = ref MemoryMarshal.GetReference(point);
        var n = point.Length;
        T s0 = T.Zero, s1 = T.Zero, s2 = T.Zero, s3 = T.Zero;
        var i = 0;
        if (typeof(T) == typeof(double) && Sse2.IsSupported)
        {
            return T.CreateTruncating(SeedAlongDirectionDouble(
                ref Unsafe.As<Dual<T>, double>(ref ps), ref Unsafe.As<T, double>(ref xs), ref Unsafe.As<T, double>(ref ds), n));
        }

        if (typeof(T) == typeof(float) && Sse.IsSupported && n >= 4)
        {
            i = SeedAlongDirectionSse(
                ref Unsafe.As<Dual<T>, float>(ref ps), ref Unsafe.As<T, float>(ref xs), ref Unsafe.As<T, float>(ref ds), n, out var partial);
            s0 = T.CreateTruncating(partial);
        }

        for (; i <= n - 4; i += 4)
        {
            T x0 = Unsafe.Add(ref xs, i), x1 = Unsafe.Add(ref xs, i + 1), x2 = Unsafe.Add(ref xs, i + 2), x3 = Unsafe.Add(ref xs, i + 3);
            T d0 = Unsafe.Add(ref ds, i), d1 = Unsafe.Add(ref ds, i + 1), d2 = Unsafe.Add(ref ds, i + 2), d3 = Unsafe.Add(ref ds, i + 3);
            Unsafe.Add(ref ps, i) = new Dual<T>(x0, d0);
            Unsafe.Add(ref ps, i + 1) = new Dual<T>(x1, d1);
            Unsafe.Add(ref ps, i + 2) = new Dual<T>(x2, d2);
            Unsafe.Add(ref ps, i + 3) = new Dual<T>(x3, d3);
            s0 += (d0 * d0) + (x0 - x0);
            s1 += (d1 * d1) + (x1 - x1);
            s2 += (d2 * d2) + (x2 - x2);
            s3 += (d3 * d3) + (x3 - x3);
        }

        for (; i < n; i++)
        {
            T xi = Unsafe.Add(ref xs, i), di = Unsafe.Add(ref ds, i);
            Unsafe.Add(ref ps, i) = new Dual<T>(xi, di);
            s0 += (di * di) + (xi - xi);
        }

        return (s0 + s1) + (s2 + s3);
    }

    /// <summary>
    /// The n from which <see cref="SeedAlongDirectionWide"/> writes the duals 64 bytes at a time. f reads them back
    /// at once, 8 bytes at a time, and a load cannot take its data from a 64-byte store still in the store buffer
    /// (store-to-load forwarding fails; 16- and 32-byte stores forward): at n = 10 the 512-bit seed made the whole
    /// call 1.5× slower, measured. From a few hundred duals on, the first stores have reached the cache before f
    /// reads them, and the wider stores halve the seed's cost.
    /// </summary>
    private const int WideSeedMinimum = 256;

    /// <summary>
    /// <see cref="SeedAlongDirection{T}"/> for double: writes the duals (xᵢ, dᵢ) and returns Σdᵢ² plus Σ xᵢ·0 (±0 for
    /// finite xᵢ, NaN otherwise — a non-finite dᵢ shows in dᵢ²). With AVX-512 and n ≥ <see cref="WideSeedMinimum"/>,
    /// <see cref="SeedAlongDirectionWide"/>; otherwise inline (at n = 10 a call, its register saves and the
    /// <c>vzeroupper</c> were a visible part of the whole derivative): with AVX, four coordinates from one 32-byte load
    /// of x and one of d into two 32-byte stores of two duals each — by <c>vpermt2pd</c> with AVX-512 (one shuffle per
    /// store), else by <c>vunpcklpd</c>/<c>vunpckhpd</c> and two <c>vperm2f128</c>; then the rest two at a time in
    /// 128-bit halves. The stack blocks start the duals on a 32-byte boundary (<see cref="AlignedDuals{T}"/>). Profiled
    /// at n = 1000 without AVX-512, the form before this one (pairs from 16-byte loads at i and i + 1 joined by
    /// <c>vinsertf128</c>, 52 instructions per eight coordinates, half its 32-byte stores straddling a line) took
    /// 1.1–1.2 cycles a coordinate, spread over the whole loop with no hot instruction; this one has 27 instructions.
    /// The sums run in four vectors, so the latency of one running sum does not set the pace.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double SeedAlongDirectionDouble(ref double point, ref double x, ref double direction, int n)
    {
        if (Avx512F.IsSupported && n >= WideSeedMinimum)
        {
            return SeedAlongDirectionWide(ref point, ref x, ref direction, n);
        }

        var count = (nuint)n;
        nuint i = 0;
        var sum = Vector128<double>.Zero;
        if (Avx.IsSupported && count >= 5)
        {
            // Running sums by coordinate class i mod 8: dᵢ² in squares0 (classes 0–3) and squares1 (4–7), xᵢ·0 in
            // finite0 and finite1. The steps stop where the pair form did (nine, then five coordinates left), and the
            // fold below adds the classes in its order, so ‖d‖² has the same bits as before.
            var zero = Vector256<double>.Zero;
            Vector256<double> squares0 = zero, squares1 = zero, finite0 = zero, finite1 = zero;
            for (; i + 9 <= count; i += 8)
            {
                var x0 = Vector256.LoadUnsafe(ref x, i);
                var d0 = Vector256.LoadUnsafe(ref direction, i);
                var x1 = Vector256.LoadUnsafe(ref x, i + 4);
                var d1 = Vector256.LoadUnsafe(ref direction, i + 4);
                ref var duals = ref Unsafe.Add(ref point, 2 * i);
                StoreDuals(ref duals, ref x, ref direction, i, x0, d0);
                StoreDuals(ref Unsafe.Add(ref duals, 8), ref x, ref direction, i + 4, x1, d1);
                squares0 = MultiplyAdd(d0, d0, squares0);
                squares1 = MultiplyAdd(d1, d1, squares1);
                finite0 = MultiplyAdd(x0, zero, finite0);
                finite1 = MultiplyAdd(x1, zero, finite1);
            }

            if (i + 5 <= count)
            {
                var x0 = Vector256.LoadUnsafe(ref x, i);
                var d0 = Vector256.LoadUnsafe(ref direction, i);
                StoreDuals(ref Unsafe.Add(ref point, 2 * i), ref x, ref direction, i, x0, d0);
                squares0 = MultiplyAdd(d0, d0, squares0);
                finite0 = MultiplyAdd(x0, zero, finite0);
                i += 4;
            }

            // ((S₀ + S₂) + (S₄ + S₆)) + ((S₁ + S₃) + (S₅ + S₇)) for the squares (class sums Sⱼ), the same for the
            // checks; one horizontal add puts the checks in lane 0 and ‖d‖² in lane 1, where the tail adds to them.
            var squares = (squares0.GetLower() + squares0.GetUpper()) + (squares1.GetLower() + squares1.GetUpper());
            var finite = (finite0.GetLower() + finite0.GetUpper()) + (finite1.GetLower() + finite1.GetUpper());
            sum = Sse3.HorizontalAdd(finite, squares); // AVX implies SSE3
        }

        SeedPairsTail(ref point, ref x, ref direction, ref i, count, ref sum);
        return Vector128.Sum(sum);

        // The four duals (xᵢ, dᵢ) … (xᵢ₊₃, dᵢ₊₃) as two 32-byte stores. With AVX-512, one vpermt2pd per store from the
        // loaded x and d. With AVX2, (xᵢ, xᵢ₊₁, dᵢ, dᵢ₊₁) from a 16-byte load of x and one of d into the upper half
        // (vinsertf128 from memory: a load and a simple vector op, not a shuffle), then one vpermpd: one shuffle per two
        // coordinates — with unpacks and lane permutes (AVX alone) it is two, and the shuffle port set the pace.
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        static void StoreDuals(ref double duals, ref double x, ref double direction, nuint i, Vector256<double> xs, Vector256<double> ds)
        {
            if (Avx512F.VL.IsSupported)
            {
                Avx512F.VL.PermuteVar4x64x2(xs, Vector256.Create(0L, 4, 1, 5), ds).StoreUnsafe(ref duals);
                Avx512F.VL.PermuteVar4x64x2(xs, Vector256.Create(2L, 6, 3, 7), ds).StoreUnsafe(ref duals, 4);
            }
            else if (Avx2.IsSupported)
            {
                const byte Interleave = 0b11_01_10_00; // (a, b, c, d) → (a, c, b, d)
                Avx2.Permute4x64(Vector256.Create(Vector128.LoadUnsafe(ref x, i), Vector128.LoadUnsafe(ref direction, i)), Interleave)
                    .StoreUnsafe(ref duals);
                Avx2.Permute4x64(Vector256.Create(Vector128.LoadUnsafe(ref x, i + 2), Vector128.LoadUnsafe(ref direction, i + 2)), Interleave)
                    .StoreUnsafe(ref duals, 4);
            }
            else
            {
                var even = Avx.UnpackLow(xs, ds);
                var odd = Avx.UnpackHigh(xs, ds);
                Avx.Permute2x128(even, odd, 0x20).StoreUnsafe(ref duals);
                Avx.Permute2x128(even, odd, 0x31).StoreUnsafe(ref duals, 4);
            }
        }

        // Fused where the hardware has FMA (DOTNET_EnableAVX2=0 turns FMA off too; then a product and a sum).
        // Both helpers are forced inline: the JIT left them as calls in the four-coordinate step, and the running sums,
        // live across those calls, then lived on the stack in the main loop too (a load and a store per sum per step).
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        static Vector256<double> MultiplyAdd(Vector256<double> a, Vector256<double> b, Vector256<double> c) =>
            Fma.IsSupported ? Fma.MultiplyAdd(a, b, c) : (a * b) + c;
    }

    /// <summary>
    /// The last coordinates of the seed, from <paramref name="i"/> on: two at a time by <c>unpcklpd</c>/<c>unpckhpd</c>
    /// into 16-byte stores, then one; their dᵢ² + xᵢ·0 are added to <paramref name="sum"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void SeedPairsTail(ref double point, ref double x, ref double direction, ref nuint i, nuint count, ref Vector128<double> sum)
    {
        for (; i + 2 <= count; i += 2)
        {
            var x0 = Vector128.LoadUnsafe(ref x, i);
            var d0 = Vector128.LoadUnsafe(ref direction, i);
            Sse2.UnpackLow(x0, d0).StoreUnsafe(ref point, 2 * i);
            Sse2.UnpackHigh(x0, d0).StoreUnsafe(ref point, (2 * i) + 2);
            sum += (d0 * d0) + (x0 * Vector128<double>.Zero);
        }

        if (i < count)
        {
            double xi = Unsafe.Add(ref x, i), di = Unsafe.Add(ref direction, i);
            Unsafe.Add(ref point, 2 * i) = xi;
            Unsafe.Add(ref point, (2 * i) + 1) = di;
            sum += Vector128.CreateScalar((di * di) + (xi * 0.0));
            i++;
        }
    }

    /// <summary>
    /// <see cref="SeedAlongDirectionDouble"/> with AVX-512 from n = <see cref="WideSeedMinimum"/>: 16 coordinates a
    /// step, <c>vpermt2pd</c> interleaves eight x and eight d into four duals per 64-byte store, two shuffles per
    /// eight coordinates (the 256-bit form takes one per two); the rest as there.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static double SeedAlongDirectionWide(ref double point, ref double x, ref double direction, int n)
    {
        var count = (nuint)n;
        nuint i = 0;
        var sum = 0.0;

        // A 64-byte store that straddles two cache lines costs two. The stack's duals are 16-byte aligned: up to three
        // coordinates first put the rest on line boundaries (a pooled array may be 8 mod 16 and is left as it is).
        while (MisalignedBy16(ref Unsafe.Add(ref point, 2 * i)))
        {
            double xi = Unsafe.Add(ref x, i), di = Unsafe.Add(ref direction, i);
            Unsafe.Add(ref point, 2 * i) = xi;
            Unsafe.Add(ref point, (2 * i) + 1) = di;
            sum += (di * di) + (xi * 0.0);
            i++;
        }

        var lowPairs = Vector512.Create(0L, 8, 1, 9, 2, 10, 3, 11);
        var highPairs = Vector512.Create(4L, 12, 5, 13, 6, 14, 7, 15);
        Vector512<double> squares0 = Vector512<double>.Zero, squares1 = Vector512<double>.Zero;
        Vector512<double> finite0 = Vector512<double>.Zero, finite1 = Vector512<double>.Zero;
        for (; i + 16 <= count; i += 16)
        {
            var x0 = Vector512.LoadUnsafe(ref x, i);
            var x1 = Vector512.LoadUnsafe(ref x, i + 8);
            var d0 = Vector512.LoadUnsafe(ref direction, i);
            var d1 = Vector512.LoadUnsafe(ref direction, i + 8);
            Avx512F.PermuteVar8x64x2(x0, lowPairs, d0).StoreUnsafe(ref point, 2 * i);
            Avx512F.PermuteVar8x64x2(x0, highPairs, d0).StoreUnsafe(ref point, (2 * i) + 8);
            Avx512F.PermuteVar8x64x2(x1, lowPairs, d1).StoreUnsafe(ref point, (2 * i) + 16);
            Avx512F.PermuteVar8x64x2(x1, highPairs, d1).StoreUnsafe(ref point, (2 * i) + 24);
            squares0 = Vector512.FusedMultiplyAdd(d0, d0, squares0);
            squares1 = Vector512.FusedMultiplyAdd(d1, d1, squares1);
            finite0 = Vector512.FusedMultiplyAdd(x0, Vector512<double>.Zero, finite0);
            finite1 = Vector512.FusedMultiplyAdd(x1, Vector512<double>.Zero, finite1);
        }

        if (i + 8 <= count)
        {
            var x0 = Vector512.LoadUnsafe(ref x, i);
            var d0 = Vector512.LoadUnsafe(ref direction, i);
            Avx512F.PermuteVar8x64x2(x0, lowPairs, d0).StoreUnsafe(ref point, 2 * i);
            Avx512F.PermuteVar8x64x2(x0, highPairs, d0).StoreUnsafe(ref point, (2 * i) + 8);
            squares0 = Vector512.FusedMultiplyAdd(d0, d0, squares0);
            finite0 = Vector512.FusedMultiplyAdd(x0, Vector512<double>.Zero, finite0);
            i += 8;
        }

        sum += Vector512.Sum((squares0 + squares1) + (finite0 + finite1));
        var tail = Vector128<double>.Zero;
        SeedPairsTail(ref point, ref x, ref direction, ref i, count, ref tail);
        return sum + Vector128.Sum(tail);

        // 16, 32 or 48 bytes past a 64-byte boundary.
        static unsafe bool MisalignedBy16(ref double at) => ((nuint)Unsafe.AsPointer(ref at) & 63) is 16 or 32 or 48;
    }

    /// <summary>As the 128-bit part of <see cref="SeedAlongDirectionDouble"/> for float: four coordinates per step, (xᵢ, dᵢ) pairs by <c>unpcklps</c>/<c>unpckhps</c>.</summary>
    private static int SeedAlongDirectionSse(ref float point, ref float x, ref float direction, int n, out float partial)
    {
        var squares = Vector128<float>.Zero;
        var i = 0;
        for (; i <= n - 4; i += 4)
        {
            var x0 = Vector128.LoadUnsafe(ref x, (nuint)i);
            var d0 = Vector128.LoadUnsafe(ref direction, (nuint)i);
            Sse.UnpackLow(x0, d0).StoreUnsafe(ref point, (nuint)(2 * i));
            Sse.UnpackHigh(x0, d0).StoreUnsafe(ref point, (nuint)((2 * i) + 4));
            squares += (d0 * d0) + (x0 - x0);
        }

        partial = Vector128.Sum(squares);
        return i;
    }

    /// <summary>
    /// ‖d‖² within 2^(±e/8), e = the exponent of T's smallest subnormal (2^±134 for double, 2^±18 for float): no
    /// square of a component that matters underflowed, nothing overflowed, and the tangents d stay 2^±67 (double)
    /// from where a scaled direction's would; also false for NaN, ∞ (a non-finite coordinate) and 0 (a zero direction).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool IsModerate<T>(T sumOfSquares)
        where T : IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(double))
        {
            // The same test on the biased exponent e (0 for zero and subnormals, 2047 for ∞ and NaN, both outside):
            // |e − 1023| ≤ 134, one compare instead of ILogB's branches.
            const int Band = 1074 / 8;
            var exponent = (int)(BitConverter.DoubleToUInt64Bits((double)(object)sumOfSquares) >> 52) & 0x7FF;
            return (uint)(exponent - (1023 - Band)) <= 2 * Band;
        }

        var band = -T.ILogB(T.Epsilon) / 8;
        return T.IsFinite(sumOfSquares) && !T.IsZero(sumOfSquares) && int.Abs(T.ILogB(sumOfSquares)) <= band;
    }

    /// <summary>
    /// The careful path: validates x and d (naming the bad coordinate), then seeds d·2ᵏ with 2ᵏ ≈ 1/max|dᵢ| (exact: a
    /// power of two) and divides by ‖d·2ᵏ‖ once, so huge or tiny directions neither overflow nor underflow
    /// (LAPACK's dnrm2 idea) without n divisions.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static T DirectionalRescaled<T, TFunction>(ref TFunction function, ReadOnlySpan<T> x, ReadOnlySpan<T> direction, Span<Dual<T>> point)
        where T : IFloatingPointIeee754<T>
        where TFunction : IGenericScalarFunction
    {
        ValidatePoint(x, nameof(x));
        ValidatePoint(direction, nameof(direction));
        var largest = T.Abs(TensorPrimitives.MaxMagnitude(direction));
        if (T.IsZero(largest))
        {
            ThrowHelper.ThrowZeroDirection(nameof(direction), direction.Length);
        }

        var exponent = -T.ILogB(largest);
        var scale = T.ScaleB(T.One, exponent);
        var scaleIsNormal = T.IsNormal(scale);

        // 2ᵏ itself overflows when max|dᵢ| is subnormal: then each dᵢ is scaled on its own (ScaleB is exact).
        var sumOfSquares = T.Zero;
        for (var i = 0; i < point.Length; i++)
        {
            var tangent = scaleIsNormal ? direction[i] * scale : T.ScaleB(direction[i], exponent);
            sumOfSquares += tangent * tangent;
            point[i] = new Dual<T>(x[i], tangent);
        }

        return function.Evaluate<Dual<T>>(point).Tangent / T.Sqrt(sumOfSquares);
    }
}

/// <summary>
/// 128 elements of stack scratch for <see cref="ForwardMode.DirectionalDerivative"/> (2 KiB of <c>Dual&lt;double&gt;</c>),
/// plus two, so that the elements used can start on a 32-byte boundary.
/// </summary>
[InlineArray(Capacity + 2)]
internal struct DirectionalSmallScratch<T>
{
    /// <summary>The number of elements usable from an aligned start (<see cref="ScratchBuffer.Length"/>).</summary>
    public const int Capacity = ScratchBuffer.Length;

    private T _element0;
}

/// <summary>
/// 1024 elements of stack scratch for <see cref="ForwardMode.DirectionalDerivative"/> (16 KiB of <c>Dual&lt;double&gt;</c>),
/// plus two, so that the elements used can start on a 32-byte boundary.
/// </summary>
[InlineArray(Capacity + 2)]
internal struct DirectionalScratch<T>
{
    /// <summary>The number of elements usable from an aligned start.</summary>
    public const int Capacity = 1024;

    private T _element0;
}
