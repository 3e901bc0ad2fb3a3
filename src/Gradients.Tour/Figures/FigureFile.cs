using ScottPlot;
using SkiaSharp;

namespace Gradients.Tour.Figures;

/// <summary>Writes ScottPlot figures, single plots or multiplots, as PNG and SVG.</summary>
public static class FigureFile
{
    /// <summary>Saves <paramref name="plot"/> as <c>name.png</c> and <c>name.svg</c>; returns both paths.</summary>
    public static IReadOnlyList<string> Save(Plot plot, string folder, string name, int width, int height)
    {
        var pngPath = Path.Combine(folder, name + ".png");
        plot.SavePng(pngPath, width, height);
        var svgPath = Path.Combine(folder, name + ".svg");
        File.WriteAllText(svgPath, plot.GetSvgXml(width, height));
        return [pngPath, svgPath];
    }

    /// <summary>
    /// Saves <paramref name="multiplot"/> (ScottPlot's subplot layout) as one PNG and one SVG; returns both paths.
    /// </summary>
    public static IReadOnlyList<string> Save(Multiplot multiplot, string folder, string name, int width, int height)
    {
        var pngPath = Path.Combine(folder, name + ".png");
        multiplot.SavePng(pngPath, width, height);

        var svgPath = Path.Combine(folder, name + ".svg");
        using (var stream = File.Create(svgPath))
        {
            // Skia's SVG canvas writes the document when it is disposed.
            using var canvas = SKSvgCanvas.Create(new SKRect(0, 0, width, height), stream);
            canvas.Clear(SKColors.White);
            multiplot.Render(canvas, new PixelRect(0, width, height, 0));
        }

        return [pngPath, svgPath];
    }
}
