using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Gradients;

/// <summary>
/// Reads elements of <typeparamref name="T"/> as double lanes and writes double lanes back as
/// <typeparamref name="T"/>. Kernels compute in double whatever the element type, so a float sum over
/// millions of rows does not lose digits (a running float sum of 2·10⁶ terms loses about three), and one kernel
/// body serves float and double: the widening is a single <c>vcvtps2pd</c> per load.
/// </summary>
/// <typeparam name="T">The element type of the caller's spans.</typeparam>
internal interface IDoubleLanes<T>
{
    /// <summary>Whether the vector members may be called (false: only the scalar members are implemented).</summary>
    static abstract bool IsVectorizable { get; }

    /// <summary>Reads one element as a double.</summary>
    static abstract double Load(ref T source, nuint index);

    /// <summary>Writes one double, rounded to <typeparamref name="T"/>.</summary>
    static abstract void Store(double value, ref T destination, nuint index);

    /// <summary>Reads two consecutive elements as a vector of doubles.</summary>
    static abstract Vector128<double> Load128(ref T source, nuint index);

    /// <summary>Reads four consecutive elements as a vector of doubles.</summary>
    static abstract Vector256<double> Load256(ref T source, nuint index);

    /// <summary>Writes four doubles, rounded to <typeparamref name="T"/>, to consecutive elements.</summary>
    static abstract void Store256(Vector256<double> value, ref T destination, nuint index);

    /// <summary>Writes two doubles, rounded to <typeparamref name="T"/>, to consecutive elements.</summary>
    static abstract void Store128(Vector128<double> value, ref T destination, nuint index);
}

/// <summary>double elements: loads and stores are plain.</summary>
internal readonly struct DoubleElements : IDoubleLanes<double>
{
    public static bool IsVectorizable => true;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Load(ref double source, nuint index) => Unsafe.Add(ref source, index);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(double value, ref double destination, nuint index) => Unsafe.Add(ref destination, index) = value;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<double> Load128(ref double source, nuint index) => Vector128.LoadUnsafe(ref source, index);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Load256(ref double source, nuint index) => Vector256.LoadUnsafe(ref source, index);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store256(Vector256<double> value, ref double destination, nuint index) =>
        value.StoreUnsafe(ref destination, index);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store128(Vector128<double> value, ref double destination, nuint index) =>
        value.StoreUnsafe(ref destination, index);
}

/// <summary>float elements: widened to double on load, rounded to nearest on store.</summary>
internal readonly struct SingleElements : IDoubleLanes<float>
{
    public static bool IsVectorizable => true;

    /// <remarks>
    /// On x86 the float goes into a cleared register (<c>vmovss</c>) and widens there (<c>vcvtps2pd</c>): the plain cast
    /// compiles to <c>vcvtss2sd</c>, which keeps the upper bits of its destination and so waits for whatever last wrote
    /// that register, chaining the rows of a scalar remainder (float (50 × 1): 6.5 ns a leftover row, double's 2.6).
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Load(ref float source, nuint index) =>
        Sse2.IsSupported
            ? Sse2.ConvertToVector128Double(Vector128.CreateScalar(Unsafe.Add(ref source, index))).ToScalar()
            : Unsafe.Add(ref source, index);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(double value, ref float destination, nuint index) => Unsafe.Add(ref destination, index) = (float)value;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<double> Load128(ref float source, nuint index)
    {
        // Eight bytes into the low half, then cvtps2pd widens the two low floats.
        var pair = Vector128.CreateScalarUnsafe(Unsafe.ReadUnaligned<double>(ref Unsafe.As<float, byte>(ref Unsafe.Add(ref source, index))));
        return Vector128.WidenLower(pair.AsSingle());
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Load256(ref float source, nuint index)
    {
        var four = Vector128.LoadUnsafe(ref source, index);
        if (Avx.IsSupported)
        {
            return Avx.ConvertToVector256Double(four);
        }

        return Vector256.Create(Vector128.WidenLower(four), Vector128.WidenUpper(four));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store256(Vector256<double> value, ref float destination, nuint index)
    {
        var four = Avx.IsSupported
            ? Avx.ConvertToVector128Single(value)
            : Vector128.Narrow(value.GetLower(), value.GetUpper());
        four.StoreUnsafe(ref destination, index);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store128(Vector128<double> value, ref float destination, nuint index)
    {
        Unsafe.Add(ref destination, index) = (float)value.ToScalar();
        Unsafe.Add(ref destination, index + 1) = (float)value.GetElement(1);
    }
}

/// <summary>
/// float elements under <see cref="FloatArithmetic.Fast"/>: loads and stores are those of <see cref="SingleElements"/>; the
/// type only tells <see cref="FusedPass.Chunk{T, TLanes, TLoss, TWeighting}"/> that the float-arithmetic kernels may run
/// (every other path, and every shape without such a kernel, computes as with <see cref="SingleElements"/>).
/// </summary>
internal readonly struct FastSingleElements : IDoubleLanes<float>
{
    public static bool IsVectorizable => true;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Load(ref float source, nuint index) => SingleElements.Load(ref source, index);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(double value, ref float destination, nuint index) => SingleElements.Store(value, ref destination, index);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<double> Load128(ref float source, nuint index) => SingleElements.Load128(ref source, index);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Load256(ref float source, nuint index) => SingleElements.Load256(ref source, index);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store256(Vector256<double> value, ref float destination, nuint index) => SingleElements.Store256(value, ref destination, index);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store128(Vector128<double> value, ref float destination, nuint index) => SingleElements.Store128(value, ref destination, index);
}

/// <summary>
/// Any other IEEE 754 type (Half, NFloat, user types): converted one element at a time through
/// <c>CreateTruncating</c>; only the scalar kernels use it.
/// </summary>
internal readonly struct GenericElements<T> : IDoubleLanes<T>
    where T : IFloatingPointIeee754<T>
{
    public static bool IsVectorizable => false;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Load(ref T source, nuint index) => double.CreateTruncating(Unsafe.Add(ref source, index));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(double value, ref T destination, nuint index) =>
        Unsafe.Add(ref destination, index) = T.CreateTruncating(value);

    public static Vector128<double> Load128(ref T source, nuint index) => throw new NotSupportedException();

    public static Vector256<double> Load256(ref T source, nuint index) => throw new NotSupportedException();

    public static void Store256(Vector256<double> value, ref T destination, nuint index) => throw new NotSupportedException();

    public static void Store128(Vector128<double> value, ref T destination, nuint index) => throw new NotSupportedException();
}
