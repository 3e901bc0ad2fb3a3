using System.Numerics;

namespace Gradients;

/// <summary>
/// Samples a function f: R² → R and its gradient over a <see cref="Grid{T}"/>: the data behind a contour plot with
/// gradient arrows (the chapter's figure: values on a 100×100 grid over [-3, 3]², arrows on a 12×12 grid over
/// [-2.5, 2.5]²), written row-major into caller spans ready for any plotting library.
/// </summary>
/// <remarks>
/// Nothing is allocated; the function is evaluated at each grid point once (value and gradient in one call for an
/// <see cref="IDifferentiableFunction{T}"/>). Pass built-in or user functions as <see langword="struct"/>s so the
/// evaluation is inlined.
/// </remarks>
public static partial class GradientField
{
    /// <summary>Writes f at every grid point into <paramref name="values"/> (row-major, one row per y value).</summary>
    /// <typeparam name="T">The floating-point type.</typeparam>
    /// <typeparam name="TFunction">The function type; a 2-D function.</typeparam>
    /// <param name="grid">The grid.</param>
    /// <param name="function">f.</param>
    /// <param name="values">Receives f, of length <see cref="Grid{T}.Count"/>.</param>
    /// <exception cref="ArgumentException"><paramref name="grid"/> has no points (a default instance), <paramref name="values"/> has the wrong length, or f rejects 2-D points.</exception>
    public static void Values<T, TFunction>(Grid<T> grid, TFunction function, Span<T> values)
        where T : IFloatingPointIeee754<T>
        where TFunction : IScalarFunction<T>
    {
        // `is null` rather than ThrowIfNull(object): it does not box a struct function.
        if (function is null)
        {
            ThrowHelper.ThrowArgumentNull(nameof(function));
        }

        ValidateLength(grid, values.Length, nameof(values));
        Span<T> point = [T.Zero, T.Zero];
        for (var row = 0; row < grid.YCount; row++)
        {
            point[1] = grid.Y(row);
            for (var column = 0; column < grid.XCount; column++)
            {
                point[0] = grid.X(column);
                values[(row * grid.XCount) + column] = function.Evaluate(point);
            }
        }
    }

    /// <summary>Writes f at every grid point into <paramref name="values"/>, f given as a delegate.</summary>
    /// <typeparam name="T">The floating-point type.</typeparam>
    /// <param name="grid">The grid.</param>
    /// <param name="function">f, called with 2-element points.</param>
    /// <param name="values">Receives f, of length <see cref="Grid{T}.Count"/>.</param>
    /// <exception cref="ArgumentException"><paramref name="grid"/> has no points (a default instance), or <paramref name="values"/> has the wrong length.</exception>
    public static void Values<T>(Grid<T> grid, Func<ReadOnlySpan<T>, T> function, Span<T> values)
        where T : IFloatingPointIeee754<T> =>
        Values(grid, new DelegateFunction<T>(function ?? throw new ArgumentNullException(nameof(function))), values);

    /// <summary>
    /// Writes f and both components of its analytic gradient at every grid point (row-major, one row per y value).
    /// </summary>
    /// <typeparam name="T">The floating-point type.</typeparam>
    /// <typeparam name="TFunction">The function type; a 2-D function with a closed-form gradient.</typeparam>
    /// <param name="grid">The grid.</param>
    /// <param name="function">f.</param>
    /// <param name="values">Receives f, of length <see cref="Grid{T}.Count"/>.</param>
    /// <param name="gradientX">Receives ∂f/∂x, of length <see cref="Grid{T}.Count"/>.</param>
    /// <param name="gradientY">Receives ∂f/∂y, of length <see cref="Grid{T}.Count"/>.</param>
    /// <exception cref="ArgumentException"><paramref name="grid"/> has no points (a default instance), an output has the wrong length or overlaps another, or f rejects 2-D points.</exception>
    public static void Sample<T, TFunction>(Grid<T> grid, TFunction function, Span<T> values, Span<T> gradientX, Span<T> gradientY)
        where T : IFloatingPointIeee754<T>
        where TFunction : IDifferentiableFunction<T>
    {
        // `is null` rather than ThrowIfNull(object): it does not box a struct function.
        if (function is null)
        {
            ThrowHelper.ThrowArgumentNull(nameof(function));
        }

        ValidateOutputs(grid, values, gradientX, gradientY);
        Span<T> point = [T.Zero, T.Zero];
        Span<T> gradient = [T.Zero, T.Zero];
        for (var row = 0; row < grid.YCount; row++)
        {
            point[1] = grid.Y(row);
            for (var column = 0; column < grid.XCount; column++)
            {
                point[0] = grid.X(column);
                var index = (row * grid.XCount) + column;
                values[index] = function.EvaluateWithGradient(point, gradient);
                gradientX[index] = gradient[0];
                gradientY[index] = gradient[1];
            }
        }
    }

    /// <summary>
    /// Writes f and both components of a caller-supplied gradient at every grid point (row-major, one row per y value).
    /// </summary>
    /// <typeparam name="T">The floating-point type.</typeparam>
    /// <param name="grid">The grid.</param>
    /// <param name="function">f, called with 2-element points.</param>
    /// <param name="gradient">∇f, called with 2-element points and 2-element outputs.</param>
    /// <param name="values">Receives f, of length <see cref="Grid{T}.Count"/>.</param>
    /// <param name="gradientX">Receives ∂f/∂x, of length <see cref="Grid{T}.Count"/>.</param>
    /// <param name="gradientY">Receives ∂f/∂y, of length <see cref="Grid{T}.Count"/>.</param>
    /// <exception cref="ArgumentException"><paramref name="grid"/> has no points (a default instance), or an output has the wrong length or overlaps another.</exception>
    public static void Sample<T>(
        Grid<T> grid, Func<ReadOnlySpan<T>, T> function, GradientFunction<T> gradient, Span<T> values, Span<T> gradientX, Span<T> gradientY)
        where T : IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(function);
        ArgumentNullException.ThrowIfNull(gradient);
        Sample(grid, new DelegateDifferentiableFunction<T>(function, gradient), values, gradientX, gradientY);
    }

    /// <summary>
    /// Writes f and its numeric gradient (central differences from <see cref="FiniteDifference"/>) at every grid
    /// point (row-major, one row per y value), for functions with no analytic gradient.
    /// </summary>
    /// <typeparam name="T">The floating-point type.</typeparam>
    /// <param name="grid">The grid.</param>
    /// <param name="function">f, called with 2-element points.</param>
    /// <param name="values">Receives f, of length <see cref="Grid{T}.Count"/>.</param>
    /// <param name="gradientX">Receives ∂f/∂x, of length <see cref="Grid{T}.Count"/>.</param>
    /// <param name="gradientY">Receives ∂f/∂y, of length <see cref="Grid{T}.Count"/>.</param>
    /// <exception cref="ArgumentException"><paramref name="grid"/> has no points (a default instance), or an output has the wrong length or overlaps another.</exception>
    /// <exception cref="NotFiniteNumberException">f returned NaN or ±∞ at a stencil point.</exception>
    public static void SampleNumerically<T>(Grid<T> grid, Func<ReadOnlySpan<T>, T> function, Span<T> values, Span<T> gradientX, Span<T> gradientY)
        where T : IFloatingPointIeee754<T> =>
        SampleNumerically(grid, new DelegateFunction<T>(function ?? throw new ArgumentNullException(nameof(function))), values, gradientX, gradientY);

    /// <summary>
    /// Rejects a grid whose extreme coordinates leave no room for the central difference (a bound within ∛ε of the
    /// largest finite value), naming <c>grid</c>: the finite-difference routine would name its own <c>x</c>, which is
    /// not a parameter here. Interior points lie between the extremes, so they fit when the extremes do.
    /// </summary>
    private static void ValidateStencilRoom<T>(Grid<T> grid)
        where T : IFloatingPointIeee754<T>
    {
        foreach (var bound in (ReadOnlySpan<T>)[grid.XMin, grid.XMax, grid.YMin, grid.YMax])
        {
            if (!FiniteDifference.DefaultStencilFits(bound))
            {
                ThrowHelper.ThrowArgument(
                    $"The grid ({grid.XMin}…{grid.XMax} × {grid.YMin}…{grid.YMax}) reaches {bound}, too close to the largest finite {typeof(T).Name} for the central difference x ± h (h = ∛ε·|x|) to stay finite.",
                    nameof(grid));
            }
        }
    }

    /// <summary>
    /// Writes f and its numeric gradient (central differences from <see cref="FiniteDifference"/>) at every grid
    /// point (row-major, one row per y value), for a struct function with no analytic gradient.
    /// </summary>
    /// <typeparam name="T">The floating-point type.</typeparam>
    /// <typeparam name="TFunction">The function type, a struct (inlined).</typeparam>
    /// <param name="grid">The grid.</param>
    /// <param name="function">f, a 2-D function.</param>
    /// <param name="values">Receives f, of length <see cref="Grid{T}.Count"/>.</param>
    /// <param name="gradientX">Receives ∂f/∂x, of length <see cref="Grid{T}.Count"/>.</param>
    /// <param name="gradientY">Receives ∂f/∂y, of length <see cref="Grid{T}.Count"/>.</param>
    /// <exception cref="ArgumentException"><paramref name="grid"/> has no points (a default instance), an output has the wrong length or overlaps another, or f rejects 2-D points.</exception>
    /// <exception cref="NotFiniteNumberException">f returned NaN or ±∞ at a stencil point.</exception>
    public static void SampleNumerically<T, TFunction>(Grid<T> grid, TFunction function, Span<T> values, Span<T> gradientX, Span<T> gradientY)
        where T : IFloatingPointIeee754<T>
        where TFunction : struct, IScalarFunction<T>
    {
        ValidateOutputs(grid, values, gradientX, gradientY);
        ValidateStencilRoom(grid);
        Span<T> point = [T.Zero, T.Zero];
        Span<T> gradient = [T.Zero, T.Zero];
        for (var row = 0; row < grid.YCount; row++)
        {
            point[1] = grid.Y(row);
            for (var column = 0; column < grid.XCount; column++)
            {
                point[0] = grid.X(column);
                var index = (row * grid.XCount) + column;
                values[index] = function.Evaluate(point);
                FiniteDifference.Gradient<T, TFunction>(function, point, gradient);
                gradientX[index] = gradient[0];
                gradientY[index] = gradient[1];
            }
        }
    }

    private static void ValidateOutputs<T>(Grid<T> grid, Span<T> values, Span<T> gradientX, Span<T> gradientY)
        where T : IFloatingPointIeee754<T>
    {
        ValidateLength(grid, values.Length, nameof(values));
        ValidateLength(grid, gradientX.Length, nameof(gradientX));
        ValidateLength(grid, gradientY.Length, nameof(gradientY));
        ThrowHelper.ThrowIfOverlapping<T>(values, gradientX, nameof(values), nameof(gradientX));
        ThrowHelper.ThrowIfOverlapping<T>(values, gradientY, nameof(values), nameof(gradientY));
        ThrowHelper.ThrowIfOverlapping<T>(gradientX, gradientY, nameof(gradientX), nameof(gradientY));
    }

    private static void ValidateLength<T>(Grid<T> grid, int length, string paramName)
        where T : IFloatingPointIeee754<T>
    {
        // Only default(Grid<T>) has no points: the constructor requires at least one value per axis.
        if (grid.Count == 0)
        {
            ThrowHelper.ThrowArgument(
                $"'{nameof(grid)}' has no points ({grid.XCount}×{grid.YCount}; default(Grid<T>)?); create it with the constructor, which requires at least one value per axis.",
                nameof(grid));
        }

        // The description is formatted only on failure, keeping the valid path allocation-free.
        if (length != grid.Count)
        {
            ThrowHelper.ThrowLengthMismatch(length, grid.Count, paramName, $"a {grid.XCount}×{grid.YCount} grid");
        }
    }
}
