namespace Aigc.Imaging.Vectors;

/// <summary>An encoded blueprint (PNG, JPEG or WebP) to an SVG or DXF file of its traced lines.</summary>
public static class BlueprintVectorizer
{
    /// <summary>Decodes under <paramref name="limits"/> (bad input: <see cref="ImageRejectedException"/>), traces.</summary>
    public static byte[] Vectorize(ReadOnlySpan<byte> encoded, VectorFormat format, ImageLimits? limits = null)
    {
        using var image = VipsImage.Decode(encoded, limits);
        var drawing = LineTracer.Trace(image);
        return format == VectorFormat.Svg ? SvgDrawingWriter.Write(drawing) : DxfDrawingWriter.Write(drawing);
    }
}
