using System.Numerics;
using System.Runtime.CompilerServices;

namespace Gradients;

/// <summary>
/// A dual number v + t·ε with ε² = 0: a value and one tangent (directional derivative) carried through every
/// operation by the chain rule. Code written over <c>T : IFloatingPointIeee754&lt;T&gt;</c> runs unchanged with
/// <c>Dual&lt;T&gt;</c> as its type and returns, with f(x), the exact derivative of f along the seeded tangent
/// (forward-mode automatic differentiation; see <see cref="ForwardMode"/> for gradients, Jacobians and Hessians).
/// </summary>
/// <remarks>
/// <para>Conventions (docs/forward-mode.md explains each):</para>
/// <list type="bullet">
/// <item>Equality, ordering and every <c>Is…</c> test (<see cref="IsNaN"/>, <see cref="IsZero"/>, …) look at the
/// value only, so a generic function takes the same branches with a dual as with T. A NaN in the tangent alone is
/// not reported by <see cref="IsNaN"/>.</item>
/// <item>At a kink the derivative is the subgradient of least magnitude: <see cref="Abs"/>(±0) and
/// <see cref="Hypot"/>(0, 0) have derivative 0; <see cref="Max"/>, <see cref="Min"/> and <see cref="Clamp"/> at a
/// tie take the average of the tied tangents (the derivative of (a + b ± |a − b|)/2).</item>
/// <item>Where the derivative is infinite (<see cref="Sqrt"/>(0), <see cref="Cbrt"/>(0), <see cref="Log(Dual{T})"/>(0),
/// <see cref="Asin"/>(±1), …) the tangent is ±∞·t, and 0 when the incoming tangent is 0 (a constant stays constant).</item>
/// <item><see cref="Pow"/>(0, y): ∂/∂x = y·0^(y−1) (0 for y &gt; 1, 1 for y = 1, +∞ for 0 &lt; y &lt; 1, 0 for y = 0);
/// ∂/∂y = 0 (the limit of xʸ ln x). For x &lt; 0 the y-partial is used only when y carries a tangent (then NaN).</item>
/// <item><see cref="Atan2"/>(0, 0): the angle is not differentiable at the origin; the tangent is NaN unless both
/// incoming tangents are 0.</item>
/// <item>Rounding (<see cref="Floor"/>, <see cref="Round(Dual{T})"/>, …) has tangent 0; <see cref="ILogB"/> and
/// <see cref="Sign"/> return integers.</item>
/// <item>Converting a dual with a non-zero tangent to another type (<c>double.CreateChecked(dual)</c>) throws
/// <see cref="InvalidOperationException"/>: dropping a derivative silently would give a wrong gradient.
/// <c>CreateChecked</c>, <c>CreateSaturating</c> and <c>CreateTruncating</c> into a dual lift a constant (tangent 0).</item>
/// </list>
/// <para>Nesting (<c>Dual&lt;Dual&lt;T&gt;&gt;</c>) gives second derivatives; each level is its own type, so the
/// perturbations of two levels cannot be confused.</para>
/// </remarks>
/// <typeparam name="T">The floating-point type of the value and the tangent (itself possibly a dual).</typeparam>
public readonly partial struct Dual<T> : IFloatingPointIeee754<Dual<T>>, IStructuralZero
    where T : IFloatingPointIeee754<T>
{
    private readonly T _value;
    private readonly T _tangent;

    /// <summary>Creates the dual number <paramref name="value"/> + <paramref name="tangent"/>·ε.</summary>
    /// <param name="value">The value.</param>
    /// <param name="tangent">The tangent: the derivative of the value along the seeded direction.</param>
    public Dual(T value, T tangent)
    {
        _value = value;
        _tangent = tangent;
    }

    /// <summary>Creates a constant (tangent 0).</summary>
    /// <param name="value">The value.</param>
    public Dual(T value)
    {
        _value = value;
        _tangent = T.Zero;
    }

    /// <summary>The value.</summary>
    public T Value => _value;

    /// <summary>The tangent: the derivative of <see cref="Value"/> along the seeded direction.</summary>
    public T Tangent => _tangent;

    /// <summary>Lifts a constant (tangent 0).</summary>
    /// <param name="value">The value.</param>
    public static implicit operator Dual<T>(T value) => new(value);

    /// <summary>The value and the tangent.</summary>
    /// <param name="value">The value.</param>
    /// <param name="tangent">The tangent.</param>
    public void Deconstruct(out T value, out T tangent)
    {
        value = _value;
        tangent = _tangent;
    }

    /// <summary>The chain rule for a function of one argument: f(x) with f′(x) = <paramref name="derivative"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private Dual<T> Chain(T value, T derivative) => new(value, derivative * _tangent);

    /// <summary>
    /// The chain rule where the derivative may be infinite (√0, log 0, asin ±1): a zero tangent stays zero instead
    /// of turning into ∞·0 = NaN, so a constant argument gives a constant result.
    /// </summary>
    /// <remarks>
    /// The zero test is structural (<see cref="IsExactlyZero"/>) and made only when the derivative is not finite: for a
    /// nested dual (<c>Dual&lt;Dual&lt;T&gt;&gt;</c>, the Hessian) a tangent of value 0 may still carry a second-order
    /// part, which <c>T.IsZero</c> (a test of the value) would drop — it made the forward Hessian of log-sum-exp 0 at
    /// equal coordinates.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private Dual<T> ChainSingular(T value, T derivative) =>
        new(value, T.IsFinite(derivative) || !IsExactlyZero(_tangent) ? derivative * _tangent : T.Zero);

    /// <summary>The chain rule for a function of two arguments with partials <paramref name="da"/> and <paramref name="db"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Dual<T> Chain(T value, Dual<T> a, T da, Dual<T> b, T db) =>
        new(value, (da * a._tangent) + (db * b._tangent));

    /// <summary>
    /// As <see cref="Chain(T, Dual{T}, T, Dual{T}, T)"/>, but a term whose argument is a constant is left out, so an
    /// undefined partial (Pow's y-partial at x &lt; 0, Atan2 at the origin) matters only when its argument moves.
    /// </summary>
    /// <remarks>A term is left out only when its partial is not finite and its tangent is structurally zero (see <see cref="ChainSingular"/>).</remarks>
    private static Dual<T> ChainSkippingConstants(T value, Dual<T> a, T da, Dual<T> b, T db)
    {
        var tangent = T.Zero;
        if (T.IsFinite(da) || !IsExactlyZero(a._tangent))
        {
            tangent = da * a._tangent;
        }

        if (T.IsFinite(db) || !IsExactlyZero(b._tangent))
        {
            tangent += db * b._tangent;
        }

        return new(value, tangent);
    }

    /// <summary>
    /// Whether <paramref name="value"/> is zero in every part: its value and, for a nested dual, every tangent at every
    /// level. <c>T.IsZero</c> looks at the value only (the documented convention for comparisons), which is not enough
    /// to decide that a tangent can be dropped.
    /// </summary>
    internal static bool IsExactlyZero(T value) => T.IsZero(value) && (value is not IStructuralZero nested || nested.IsExactlyZero);

    /// <inheritdoc/>
    bool IStructuralZero.IsExactlyZero => IsExactlyZero(_value) && IsExactlyZero(_tangent);

    /// <summary>The average of two tangents, for ties of Max, Min and Clamp.</summary>
    private static T AverageTangent(Dual<T> a, Dual<T> b) => (a._tangent + b._tangent) / (T.One + T.One);

    /// <inheritdoc/>
    public static Dual<T> One => new(T.One);

    /// <inheritdoc/>
    public static Dual<T> Zero => new(T.Zero);

    /// <inheritdoc/>
    public static Dual<T> NegativeOne => new(T.NegativeOne);

    /// <inheritdoc/>
    public static int Radix => T.Radix;

    /// <inheritdoc/>
    public static Dual<T> AdditiveIdentity => new(T.AdditiveIdentity);

    /// <inheritdoc/>
    public static Dual<T> MultiplicativeIdentity => new(T.MultiplicativeIdentity);

    /// <inheritdoc/>
    public static Dual<T> E => new(T.E);

    /// <inheritdoc/>
    public static Dual<T> Pi => new(T.Pi);

    /// <inheritdoc/>
    public static Dual<T> Tau => new(T.Tau);

    /// <inheritdoc/>
    public static Dual<T> Epsilon => new(T.Epsilon);

    /// <inheritdoc/>
    public static Dual<T> NaN => new(T.NaN);

    /// <inheritdoc/>
    public static Dual<T> NegativeInfinity => new(T.NegativeInfinity);

    /// <inheritdoc/>
    public static Dual<T> NegativeZero => new(T.NegativeZero);

    /// <inheritdoc/>
    public static Dual<T> PositiveInfinity => new(T.PositiveInfinity);
}

/// <summary>A number type with parts beyond its value (a dual number's tangent): lets a zero test see all of them.</summary>
internal interface IStructuralZero
{
    /// <summary>Whether the value and every other part are zero.</summary>
    bool IsExactlyZero { get; }
}
