using ScottPlot;
using SkiaSharp;

namespace Gradients.Tour.Figures;

/// <summary>Writes ScottPlot figures as PNG and SVG, alone or as panels side by side.</summary>
public static class FigureFile
{
    /// <summary>Saves <paramref name="plot"/> as <c>name.png</c> and <c>name.svg</c>; returns both paths.</summary>
    public static IReadOnlyList<string> Save(Plot plot, string folder, string name, int width, int height) =>
        SaveSideBySide([plot], folder, name, width, height);

    /// <summary>
    /// Saves several plots side by side, each <paramref name="panelWidth"/> wide, as one PNG and one SVG
    /// (the SVG nests each panel's own SVG document at its offset).
    /// </summary>
    public static IReadOnlyList<string> SaveSideBySide(IReadOnlyList<Plot> panels, string folder, string name, int panelWidth, int height)
    {
        var width = panelWidth * panels.Count;
        var pngPath = Path.Combine(folder, name + ".png");
        using (var surface = SKSurface.Create(new SKImageInfo(width, height)))
        {
            surface.Canvas.Clear(SKColors.White);
            for (var i = 0; i < panels.Count; i++)
            {
                // Each panel renders on a surface of its own: a plot clears the whole canvas it is given.
                using var panelSurface = SKSurface.Create(new SKImageInfo(panelWidth, height));
                panels[i].Render(panelSurface);
                using var panelImage = panelSurface.Snapshot();
                surface.Canvas.DrawImage(panelImage, i * panelWidth, 0);
            }

            using var image = surface.Snapshot();
            using var data = image.Encode(SKEncodedImageFormat.Png, 100);
            using var stream = File.Create(pngPath);
            data.SaveTo(stream);
        }

        var svgPath = Path.Combine(folder, name + ".svg");
        if (panels.Count == 1)
        {
            File.WriteAllText(svgPath, panels[0].GetSvgXml(panelWidth, height));
        }
        else
        {
            using var writer = new StreamWriter(svgPath);
            writer.WriteLine($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\">");
            for (var i = 0; i < panels.Count; i++)
            {
                var panel = panels[i].GetSvgXml(panelWidth, height);
                var start = panel.IndexOf("<svg", StringComparison.Ordinal);
                // Each nested <svg> is positioned by its x attribute; its own width/height stay as rendered.
                writer.WriteLine($"<svg x=\"{i * panelWidth}\" y=\"0\"" + panel[(start + "<svg".Length)..]);
            }

            writer.WriteLine("</svg>");
        }

        return [pngPath, svgPath];
    }
}
