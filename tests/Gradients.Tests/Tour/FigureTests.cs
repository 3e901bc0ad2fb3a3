using Gradients.Tour.Figures;
using Gradients.Tour.Sections;
using ScottPlot;
using ScottPlot.Panels;
using ScottPlot.Plottables;

namespace Gradients.Tests.Tour;

/// <summary>
/// The tour's figures as plot objects: what each shows (labels, legend entries, colour bars, limits, the marked
/// point) and that it renders to a PNG of the expected size. The files themselves are checked by TourTests.
/// </summary>
public sealed class FigureTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("gradients-figures-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Figure1_has_labelled_axes_a_labelled_colour_bar_a_vector_field_and_the_point_p()
    {
        var plot = GradientSection.Figure();
        var png = Render(plot, "figure1", GradientSection.Figure1Width, GradientSection.Figure1Height);

        Assert.Equal("x", plot.Axes.Bottom.Label.Text);
        Assert.Equal("y", plot.Axes.Left.Label.Text);
        Assert.Contains("x² + 5y²", plot.Axes.Title.Label.Text, StringComparison.Ordinal);
        var colorBar = Assert.Single(plot.Axes.GetPanels().OfType<ColorBar>());
        Assert.Equal("f(x, y) = x² + 5y²", colorBar.Label);

        var heatmap = Assert.Single(plot.GetPlottables<Heatmap>());
        Assert.True(heatmap.Smooth, "filled contours are interpolated, not stair-stepped");
        Assert.Single(plot.GetPlottables<ContourLines>());
        Assert.Single(plot.GetPlottables<VectorField>());
        var marker = Assert.Single(plot.GetPlottables<Marker>());
        Assert.Equal(new Coordinates(1, 0.5), marker.Location);

        // Tight to the sampled square [−3, 3]², with square units (equal pixels per unit on both axes).
        var limits = plot.Axes.GetLimits();
        Assert.Equal((-3.0, 3.0, -3.0, 3.0), (limits.Left, limits.Right, limits.Bottom, limits.Top));
        var data = plot.RenderManager.LastRender.DataRect;
        Assert.Equal(data.Width, data.Height, 1.0);
        AssertPng(png, GradientSection.Figure1Width, GradientSection.Figure1Height);
    }

    [Fact]
    public void Figure2_is_a_two_panel_multiplot_with_radial_labels_an_inner_legend_and_a_labelled_colour_bar()
    {
        var (thetas, rates, p, gradient) = DirectionalSweep();
        var multiplot = DirectionalDerivativeSection.Figure(thetas, rates, p, gradient);
        var path = Path.Combine(_folder, "figure2.png");
        multiplot.SavePng(path, 1300, 600);

        var panels = multiplot.GetPlots();
        Assert.Equal(2, panels.Length);

        var polar = panels[0];
        var axis = Assert.Single(polar.GetPlottables<PolarAxis>());
        var labels = axis.Circles.Select(c => c.LabelText).ToList();
        Assert.Equal(["1", "2", "3", "4", "5", "5.385"], labels);
        Assert.Equal(["D_u f > 0 (uphill)", "−D_u f where D_u f < 0"], LegendTexts(polar));
        Assert.True(polar.Legend.IsVisible);
        Assert.Equal(Alignment.UpperLeft, polar.Legend.Alignment);
        AssertLegendAvoidsLines(polar);

        var contour = panels[1];
        Assert.Equal("x", contour.Axes.Bottom.Label.Text);
        Assert.Equal("y", contour.Axes.Left.Label.Text);
        Assert.Equal("f(x, y)", Assert.Single(contour.Axes.GetPanels().OfType<ColorBar>()).Label);
        Assert.Equal(["∇f(p): steepest ascent", "−∇f(p): steepest descent", "p = (1, 0.5)"], LegendTexts(contour));
        AssertPng(File.ReadAllBytes(path), 1300, 600);
    }

    [Fact]
    public void Figure3_legend_sits_in_the_empty_lower_left_corner_and_covers_no_line()
    {
        var plot = StepSizeSection.Figure();
        var png = Render(plot, "figure3", 900, 600);

        Assert.Equal("step h", plot.Axes.Bottom.Label.Text);
        Assert.Equal("absolute error", plot.Axes.Left.Label.Text);
        Assert.Equal(
            ["Forward", "Forward default step", "Central", "Central default step", "Richardson", "Richardson default step"],
            LegendTexts(plot));
        Assert.Equal(Alignment.LowerLeft, plot.Legend.Alignment);
        AssertLegendAvoidsLines(plot);
        AssertPng(png, 900, 600);
    }

    [Fact]
    public void Checker_sees_a_legend_that_covers_a_line()
    {
        // The guard of the two tests above: a line through the lower-left corner must be caught.
        var plot = new Plot();
        var line = plot.Add.ScatterLine(new double[] { 0, 1 }, new double[] { 0, 1 });
        line.LegendText = "diagonal";
        plot.Legend.Alignment = Alignment.LowerLeft;
        plot.ShowLegend();
        Render(plot, "covered", 400, 300);
        Assert.ThrowsAny<Xunit.Sdk.XunitException>(() => AssertLegendAvoidsLines(plot));
    }

    private static (double[] Thetas, double[] Rates, double[] P, double[] Gradient) DirectionalSweep()
    {
        double[] p = [1.0, 0.5];
        var gradient = new double[2];
        GradientSection.ChapterFunction.EvaluateWithGradient(p, gradient);
        var count = DirectionalDerivativeSection.DirectionCount;
        var thetas = Enumerable.Range(0, count).Select(k => 2 * Math.PI * k / count).ToArray();
        var rates = thetas.Select(t => (gradient[0] * Math.Cos(t)) + (gradient[1] * Math.Sin(t))).ToArray();
        return (thetas, rates, p, gradient);
    }

    private static string[] LegendTexts(Plot plot) =>
        [.. plot.Legend.GetItems().Select(item => item.LabelText)];

    /// <summary>
    /// No vertex of any scatter line falls inside the legend's box (placed at its alignment corner of the data
    /// area, grown by its margin) in the plot's last render.
    /// </summary>
    private static void AssertLegendAvoidsLines(Plot plot)
    {
        var data = plot.RenderManager.LastRender.DataRect;
        var size = plot.Legend.LastRenderSize;
        Assert.True(size.Width > 0 && size.Height > 0, "the legend was not rendered");
        var margin = plot.Legend.Margin;
        var left = plot.Legend.Alignment is Alignment.UpperLeft or Alignment.MiddleLeft or Alignment.LowerLeft
            ? data.Left : data.Right - size.Width - margin.Left - margin.Right;
        var top = plot.Legend.Alignment is Alignment.UpperLeft or Alignment.UpperCenter or Alignment.UpperRight
            ? data.Top : data.Bottom - size.Height - margin.Top - margin.Bottom;
        var box = new PixelRect(left, left + size.Width + margin.Left + margin.Right, top + size.Height + margin.Top + margin.Bottom, top);

        foreach (var scatter in plot.GetPlottables<Scatter>())
        {
            foreach (var point in scatter.Data.GetScatterPoints())
            {
                var pixel = plot.GetPixel(point);
                Assert.False(box.Contains(pixel), $"'{scatter.LegendText}' passes under the legend at ({point.X:G4}, {point.Y:G4})");
            }
        }
    }

    private byte[] Render(Plot plot, string name, int width, int height)
    {
        var paths = FigureFile.Save(plot, _folder, name, width, height);
        Assert.All(paths, path => Assert.True(File.Exists(path), $"{path} was not written"));
        return File.ReadAllBytes(paths[0]);
    }

    private static void AssertPng(byte[] png, int width, int height)
    {
        byte[] signature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];
        Assert.Equal(signature, png[..8]);
        Assert.True(png.Length > 20_000, $"only {png.Length} bytes");
        // IHDR: width and height, big-endian, at bytes 16..23.
        Assert.Equal(width, System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16, 4)));
        Assert.Equal(height, System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20, 4)));
    }
}
