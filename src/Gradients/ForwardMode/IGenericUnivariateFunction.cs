using System.Numerics;

namespace Gradients;

/// <summary>
/// A function of one variable f: R → R written once over any floating-point type, for
/// <see cref="ForwardMode.Derivative{T, TFunction}(TFunction, T)"/>. Implement it on a <see langword="struct"/>.
/// </summary>
public interface IGenericUnivariateFunction
{
    /// <summary>Evaluates f at <paramref name="x"/>.</summary>
    /// <typeparam name="T">The number type.</typeparam>
    /// <param name="x">The argument.</param>
    /// <returns>f(x).</returns>
    T Evaluate<T>(T x)
        where T : IFloatingPointIeee754<T>;
}
