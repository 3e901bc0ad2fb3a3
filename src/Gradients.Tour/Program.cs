namespace Gradients.Tour;

/// <summary>The tour of the chapter "From Derivative to Gradient", told with the library's public API.</summary>
public static class Program
{
    /// <summary>Runs the tour.</summary>
    public static int Main()
    {
        Console.WriteLine("Gradients tour: the chapter's sections arrive here as the library's parts land.");
        return 0;
    }
}
