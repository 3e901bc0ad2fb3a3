namespace Gradients.Tour.Sections;

/// <summary>
/// Beyond the chapter (b): checking a hand-written gradient, the way an ML hobbyist would before trusting it.
/// The 2-D Rosenbrock function f = (1 − x)² + 100(y − x²)² with its gradient written by hand, once correctly and
/// once with a classic slip (the chain rule's factor 2 dropped in ∂f/∂x).
/// </summary>
public static class GradientCheckSection
{
    /// <summary>f(x, y) = (1 − x)² + 100(y − x²)².</summary>
    public static double Rosenbrock(ReadOnlySpan<double> p) =>
        ((1 - p[0]) * (1 - p[0])) + (100 * (p[1] - (p[0] * p[0])) * (p[1] - (p[0] * p[0])));

    /// <summary>The correct gradient: [−2(1 − x) − 400x(y − x²), 200(y − x²)].</summary>
    public static void CorrectGradient(ReadOnlySpan<double> p, Span<double> gradient)
    {
        gradient[0] = (-2 * (1 - p[0])) - (400 * p[0] * (p[1] - (p[0] * p[0])));
        gradient[1] = 200 * (p[1] - (p[0] * p[0]));
    }

    /// <summary>The slip: d/dx of 100(y − x²)² written as −200x(y − x²) instead of −400x(y − x²).</summary>
    public static void WrongGradient(ReadOnlySpan<double> p, Span<double> gradient)
    {
        gradient[0] = (-2 * (1 - p[0])) - (200 * p[0] * (p[1] - (p[0] * p[0])));
        gradient[1] = 200 * (p[1] - (p[0] * p[0]));
    }

    /// <summary>Prints the checker's reports.</summary>
    public static void Run(TourContext context)
    {
        var output = context.Output;
        context.Heading("4b. Checking a hand-written gradient");
        double[] point = [-1.2, 1.0];

        output.WriteLine("Correct gradient of Rosenbrock at (-1.2, 1):");
        output.WriteLine(GradientCheck.Check<double>(Rosenbrock, CorrectGradient, point).ToString());
        output.WriteLine("Gradient with the factor 2 of the chain rule dropped in df/dx:");
        output.WriteLine(GradientCheck.Check<double>(Rosenbrock, WrongGradient, point).ToString());
        output.WriteLine("The fast mode checks 8 random directions, 2 evaluations each, instead of every component:");
        output.WriteLine(GradientCheck.CheckRandomDirections<double>(Rosenbrock, WrongGradient, point, directionCount: 8, seed: 1).ToString());
    }
}
