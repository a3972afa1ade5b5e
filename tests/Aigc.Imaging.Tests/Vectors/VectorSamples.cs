using Aigc.Imaging.Pipeline;

namespace Aigc.Imaging.Tests.Vectors;

/// <summary>Real blueprints as the portal stores them: v2 generator tiles enlarged by the default preset's steps.</summary>
internal static class VectorSamples
{
    private const int Tile = 64;
    private const int Gap = 2;

    /// <summary>Tile (column, row) of the v2 sample sheet (6 × 8 tiles of 64 px, 2-px gaps), enlarged to <paramref name="size"/>.</summary>
    public static byte[] Blueprint(int column, int row, int size = 256)
    {
        using var sheet = VipsImage.Decode(File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Vectors", "v2-samples.png")));
        var pixels = sheet.ToPixels();
        var tile = new byte[Tile * Tile];
        var (left, top) = (Gap + column * (Tile + Gap), Gap + row * (Tile + Gap));
        for (var y = 0; y < Tile; y++)
            Array.Copy(pixels, (top + y) * sheet.Width + left, tile, y * Tile, Tile);
        using var source = VipsImage.FromPixels(tile, Tile, Tile, 1);
        // The default preset's steps, at the size asked for.
        return PresetRunner.Run(source, null,
            PresetRunner.Step("upscale", ("size", size.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("kernel", "lanczos3")),
            PresetRunner.Step("sharpen"),
            PresetRunner.Step("encode", ("format", "png"))).Bytes;
    }

    /// <summary>
    /// A clean blueprint, as the true renders and a good upscaler give: a flange front (rim, bore, bolt circle), a
    /// centre line and a dimension line, white on black at <paramref name="size"/> px. At 256 px the outlines are 4 px
    /// wide (the generator's one-pixel lines at 64 px, enlarged ×4) and the centre lines 2.5 px.
    /// </summary>
    public static byte[] CleanDrawing(int size)
    {
        var svg = $$"""
            <svg xmlns="http://www.w3.org/2000/svg" width="{{size}}" height="{{size}}" viewBox="0 0 256 256">
            <rect width="256" height="256" fill="#000"/>
            <g fill="none" stroke="#fff" stroke-width="4">
            <circle cx="128" cy="120" r="80"/><circle cx="128" cy="120" r="24"/>
            <circle cx="128" cy="60" r="8"/><circle cx="188" cy="120" r="8"/><circle cx="128" cy="180" r="8"/><circle cx="68" cy="120" r="8"/>
            <path d="M40 120 H216 M128 32 V208" stroke-width="2.5"/>
            <path d="M48 232 H208 M48 224 V240 M208 224 V240"/>
            </g></svg>
            """;
        using var rgba = VipsImage.FromSvg(svg, size, size);
        using var grey = rgba.ToGreyscale();
        return grey.EncodePng();
    }

    /// <summary>Traces <paramref name="png"/> to SVG, rasterises that with libvips and compares the line pixels.</summary>
    public static double RoundTripIou(byte[] png, int size)
    {
        var svg = System.Text.Encoding.UTF8.GetString(Aigc.Imaging.Vectors.BlueprintVectorizer.Vectorize(png, Aigc.Imaging.Vectors.VectorFormat.Svg));
        using var raster = VipsImage.Decode(png);
        using var rendered = VipsImage.FromSvg(svg, size, size);
        return IntersectionOverUnion(LineMask(raster), LineMask(rendered, alpha: true));
    }

    /// <summary>Which pixels are line: luminance (after flattening alpha on black) at or above mid-grey.</summary>
    public static bool[] LineMask(VipsImage image, bool alpha = false)
    {
        using var band = alpha ? image.Apply(i => i.ExtractBand(image.Bands - 1)) : image.Flatten(0, 0, 0);
        using var grey = alpha ? band.CopyToMemory() : band.ToGreyscale();
        return grey.ToPixels().Select(v => v >= 128).ToArray();
    }

    public static double IntersectionOverUnion(bool[] a, bool[] b)
    {
        var (both, either) = (0, 0);
        for (var i = 0; i < a.Length; i++)
        {
            if (a[i] && b[i]) both++;
            if (a[i] || b[i]) either++;
        }
        return either == 0 ? 1 : (double)both / either;
    }
}

/// <summary>The raster beside its SVG rasterised back (strokes shown white on black, like the raster), for the eye.</summary>
internal static class VectorSheet
{
    public static byte[] SideBySide(byte[] png, string svg)
    {
        using var raster = VipsImage.Decode(png);
        using var grey = raster.ToGreyscale();
        var (w, h) = (raster.Width, raster.Height);
        using var rendered = VipsImage.FromSvg(svg, w, h);
        var left = grey.ToPixels();
        var right = rendered.ToPixels();
        const int gap = 8;
        var sheet = new byte[(2 * w + gap) * h];
        Array.Fill(sheet, (byte)96);
        for (var y = 0; y < h; y++)
        for (var x = 0; x < w; x++)
        {
            sheet[y * (2 * w + gap) + x] = left[y * w + x];
            sheet[y * (2 * w + gap) + w + gap + x] = right[(y * w + x) * 4 + 3];
        }
        using var image = VipsImage.FromPixels(sheet, 2 * w + gap, h, 1);
        return image.EncodePng();
    }
}
