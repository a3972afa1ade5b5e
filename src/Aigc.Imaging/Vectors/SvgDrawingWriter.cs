using System.Globalization;
using System.Text;

namespace Aigc.Imaging.Vectors;

/// <summary>
/// SVG with the sheet in millimetres (size and viewBox in mm at <see cref="LineDrawing.MillimetresPerPixel"/>),
/// one stroked polyline per traced line as wide as it was in the raster, dark on a transparent sheet as drawings are printed and imported.
/// </summary>
public static class SvgDrawingWriter
{
    public static byte[] Write(LineDrawing drawing)
    {
        ArgumentNullException.ThrowIfNull(drawing);
        const double s = LineDrawing.MillimetresPerPixel;
        var svg = new StringBuilder();
        var (width, height) = (N(drawing.Width * s), N(drawing.Height * s));
        svg.Append(CultureInfo.InvariantCulture, $"""<svg xmlns="http://www.w3.org/2000/svg" width="{width}mm" """)
            .Append(CultureInfo.InvariantCulture, $"""height="{height}mm" viewBox="0 0 {width} {height}">""");
        svg.Append('\n').Append(CultureInfo.InvariantCulture,
            $"<!-- Traced by aigc from a {drawing.Width}×{drawing.Height}-px blueprint; 1 unit = 1 mm = {N(1 / s)} px. -->\n");
        svg.Append(CultureInfo.InvariantCulture,
            $"""<g fill="none" stroke="#000" stroke-linecap="round" stroke-linejoin="round">""");
        svg.Append('\n');
        foreach (var line in drawing.Lines)
        {
            svg.Append("<polyline points=\"");
            svg.AppendJoin(' ', line.Points.Select(p => $"{N(p.X * s)},{N(p.Y * s)}"));
            svg.Append("\" stroke-width=\"").Append(N(line.Width * s)).Append("\"/>\n");
        }
        svg.Append("</g>\n</svg>\n");
        return Encoding.UTF8.GetBytes(svg.ToString());
    }

    private static string N(double value) => Math.Round(value, 3).ToString("0.###", CultureInfo.InvariantCulture);
}
