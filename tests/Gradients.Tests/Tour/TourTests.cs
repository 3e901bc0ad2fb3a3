using System.Xml.Linq;
using Gradients.Tour;

namespace Gradients.Tests.Tour;

/// <summary>
/// Runs the whole tour in-process, as <c>dotnet run --project src/Gradients.Tour</c> does, and checks the chapter's
/// printed numbers and the four figures. One run is shared by the tests of this class (it renders eight images).
/// </summary>
public sealed class TourTests(TourTests.TourRun run) : IClassFixture<TourTests.TourRun>
{
    public sealed class TourRun : IDisposable
    {
        public TourRun()
        {
            Folder = Path.Combine(Path.GetTempPath(), "gradients-tour-" + Guid.NewGuid().ToString("N"));
            var output = new StringWriter();
            var error = new StringWriter();
            ExitCode = TourRunner.Run(output, error, Folder);
            Output = output.ToString();
            Error = error.ToString();
        }

        public string Folder { get; }

        public int ExitCode { get; }

        public string Output { get; }

        public string Error { get; }

        public string[] Lines => Output.Split('\n').Select(line => line.TrimEnd('\r')).ToArray();

        public void Dispose() => Directory.Delete(Folder, recursive: true);
    }

    [Fact]
    public void Tour_succeeds_without_errors()
    {
        Assert.Equal(0, run.ExitCode);
        Assert.Equal("", run.Error);
    }

    [Theory]
    // Chapter §2, printed by NumPy: the gradient [2x, 10y] at (1, 0.5) and its norm sqrt(29).
    [InlineData("Gradient at p=[1. 0.5]: [2. 5.]")]
    [InlineData("Magnitude (max rate of change): 5.3852")]
    // Chapter §3 at w = 0 (full-precision NumPy values in the data folder's README).
    [InlineData("MSE gradient of linear regression at w=0:")]
    [InlineData(" Loss: 7.174992")]
    [InlineData(" Gradient: [-5.7091 2.3249 -1.0152 0.0173]")]
    [InlineData("Interpretation: increasing w[i] by epsilon changes loss by ~gradient[i]*epsilon")]
    [InlineData(" w[0]: decreases loss by ~5.7091 per unit increase")]
    [InlineData(" w[1]: increases loss by ~2.3249 per unit increase")]
    [InlineData(" w[2]: decreases loss by ~1.0152 per unit increase")]
    [InlineData(" w[3]: increases loss by ~0.0173 per unit increase")]
    // Logistic regression at w = 0: every probability is 1/2, so the loss is log 2 whatever the data.
    [InlineData("Logistic loss gradient at w=0, b=0:")]
    [InlineData(" Loss: 0.693147 (= log 2: every point has probability 1/2)")]
    public void Tour_prints_the_chapters_lines(string line) => Assert.Contains(line, run.Lines);

    [Fact]
    public void Tour_prints_the_forward_mode_gradient_and_sweep()
    {
        // Forward mode is exact here: x² + 5y² has gradient [2x, 10y] and every operation on (1, 0.5) is exact.
        Assert.Contains("Forward-mode gradient at p=[1. 0.5]: [2. 5.] (f(p) = 2.25)", run.Lines);
        Assert.Contains("Equal to the analytic gradient bit for bit: True", run.Lines);

        // The sweep peaks at the degree nearest the gradient's angle atan2(5, 2) = 68.2°, at 2cos 68° + 5 sin 68°.
        var expected = (2 * Math.Cos(68 * Math.PI / 180)) + (5 * Math.Sin(68 * Math.PI / 180));
        Assert.Contains($"Directional sweep, one forward pass per direction: the largest rate is {expected:0.0000} at 68 degrees", run.Lines);

        // One pass per direction against ∇f·u: both are a two-term dot product, a few ulps of 5.4 apart at most.
        var line = Assert.Single(run.Lines, l => l.StartsWith("Largest |forward D_u f - grad f . u| over 360 directions: ", StringComparison.Ordinal));
        var difference = double.Parse(line[(line.LastIndexOf(':') + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries)[0], System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(difference, 0, 8 * Math.ScaleB(1.0, -52) * 5.4);
    }

    [Theory]
    [InlineData("figure1-gradient-field")]
    [InlineData("figure2-directional")]
    [InlineData("figure3-step-error")]
    [InlineData("figure4-descent")]
    [InlineData("figure5-logistic-boundary")]
    public void Tour_writes_each_figure_as_valid_png_and_svg(string name)
    {
        var png = File.ReadAllBytes(Path.Combine(run.Folder, name + ".png"));
        byte[] signature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];
        Assert.True(png.Length > 10_000, $"{name}.png has only {png.Length} bytes");
        Assert.Equal(signature, png[..8]);

        var svg = XDocument.Load(Path.Combine(run.Folder, name + ".svg"));
        Assert.Equal("svg", svg.Root!.Name.LocalName);
        Assert.Contains($"wrote {Path.Combine(run.Folder, name + ".png")}", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Tour_logistic_section_prints_the_gradient_at_zero_and_descends()
    {
        // The gradient at w = 0 is (1/N)·Xᵀ(1/2 − y): recomputed here from the section's own seeded data.
        var (x, y) = Gradients.Tour.Sections.LogisticRegressionSection.TwoClasses(seed: 7);
        double g0 = 0, g1 = 0;
        for (var i = 0; i < y.Length; i++)
        {
            g0 += x[2 * i] * (0.5 - y[i]) / y.Length;
            g1 += x[(2 * i) + 1] * (0.5 - y[i]) / y.Length;
        }

        var gradientLine = Assert.Single(run.Lines, l => l.StartsWith(" Gradient: [", StringComparison.Ordinal) && l.Contains("intercept gradient", StringComparison.Ordinal));
        var invariant = System.Globalization.CultureInfo.InvariantCulture;
        var expected = $" Gradient: [{Math.Round(g0, 4).ToString("F4", invariant)} {Math.Round(g1, 4).ToString("F4", invariant)}]";
        Assert.StartsWith(expected, gradientLine, StringComparison.Ordinal);

        // Descent lowers the loss below log 2 and separates most of the two clouds (centres 2√2 apart, sd 0.8).
        var last = run.Lines.Last(l => l.StartsWith("  step  50:", StringComparison.Ordinal));
        var loss = double.Parse(last.Split("loss ")[1].Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(loss < 0.3, last);
        var accuracy = run.Lines.Single(l => l.StartsWith("Training accuracy:", StringComparison.Ordinal));
        Assert.True(int.Parse(accuracy.Split(' ')[2], System.Globalization.CultureInfo.InvariantCulture) >= 90, accuracy);
    }

    [Fact]
    public void Tour_reports_an_unwritable_folder_in_one_line_and_fails()
    {
        // A path below a regular file can never be created, even by root (chmod would not stop root).
        var file = Path.GetTempFileName();
        try
        {
            var output = new StringWriter();
            var error = new StringWriter();
            var exitCode = TourRunner.Run(output, error, Path.Combine(file, "figures"));

            Assert.NotEqual(0, exitCode);
            var errorLines = error.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Single(errorLines);
            Assert.StartsWith("error: cannot write the tour's figures to", errorLines[0], StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }
}
