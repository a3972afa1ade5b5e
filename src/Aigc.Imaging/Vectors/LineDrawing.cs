namespace Aigc.Imaging.Vectors;

/// <summary>A point in pixel units: x to the right, y down, (0, 0) the top-left corner of the top-left pixel.</summary>
public readonly record struct PixelPoint(double X, double Y);

/// <summary>One traced line: its points (a loop repeats its first point at the end), its width in the raster.</summary>
public sealed record TracedLine(IReadOnlyList<PixelPoint> Points, double Width);

/// <summary>
/// The lines of a raster drawing as polylines in pixel units, each with the stroke width it had in the raster (the
/// SVG draws them that wide, so the vector drawing covers what the raster's lines covered).
/// </summary>
public sealed record LineDrawing(int Width, int Height, IReadOnlyList<TracedLine> Lines)
{
    /// <summary>
    /// Millimetres per pixel, the one scale of every export: a 256-px blueprint becomes a 128 mm square sheet, a
    /// 512-px one 256 mm. A constant rather than a setting, so that a file says the same size wherever it came from.
    /// </summary>
    public const double MillimetresPerPixel = 0.5;

}
