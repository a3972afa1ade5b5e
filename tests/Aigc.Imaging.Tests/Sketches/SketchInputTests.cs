using System.Text;
using Aigc.Imaging.Sketches;

namespace Aigc.Imaging.Tests.Sketches;

/// <summary>
/// One drawing, however it arrives (size, polarity, transparency, format, margins), normalises to the same framed
/// 64² lines; hostile and empty files are refused with a message that says why.
/// </summary>
public class SketchInputTests
{
    private const int Size = 64;

    // A flange-like part: an outer ring, a bore and four holes, off-centre on a wide canvas.
    private static string Svg(string stroke, string background, int width = 900, int height = 600, double strokeWidth = 6) =>
        $"""
        <svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 900 600">
          <rect width="900" height="600" fill="{background}"/>
          <g fill="none" stroke="{stroke}" stroke-width="{strokeWidth}">
            <circle cx="300" cy="250" r="180"/><circle cx="300" cy="250" r="50"/>
            <circle cx="300" cy="130" r="20"/><circle cx="300" cy="370" r="20"/>
            <circle cx="180" cy="250" r="20"/><circle cx="420" cy="250" r="20"/>
          </g>
        </svg>
        """;

    private static byte[] Png(string svg, int width, int height, bool jpeg = false)
    {
        using var image = VipsImage.FromSvg(svg, width, height);
        using var flat = image.Flatten();
        return jpeg ? flat.EncodeJpeg(85) : flat.EncodePng();
    }

    private static double IoU(float[] a, float[] b)
    {
        int both = 0, either = 0;
        for (var i = 0; i < a.Length; i++)
        {
            both += a[i] > 0 && b[i] > 0 ? 1 : 0;
            either += a[i] > 0 || b[i] > 0 ? 1 : 0;
        }

        return (double)both / either;
    }

    private static float[] Normalise(byte[] bytes) => SketchInput.Normalise(bytes, Size, ImageLimits.Default);

    [Fact]
    public void Size_polarity_format_and_transparency_give_the_same_lines()
    {
        var reference = Normalise(Encoding.UTF8.GetBytes(Svg("black", "white")));
        var variants = new Dictionary<string, float[]>
        {
            ["small dark-on-light PNG"] = Normalise(Png(Svg("black", "white"), 300, 200)),
            ["large light-on-dark JPEG"] = Normalise(Png(Svg("white", "#202020"), 1800, 1200, jpeg: true)),
            ["grey pencil on cream"] = Normalise(Png(Svg("#555555", "#f4efe0"), 900, 600)),
        };
        // A canvas export: white ink on a transparent background (flattened on white it would vanish).
        using (var transparent = VipsImage.FromSvg(Svg("#ffffff", "none"), 900, 600))
            variants["transparent canvas, white ink"] = Normalise(transparent.EncodePng());
        Assert.True(reference.Count(v => v > 0) > 200, "the reference has lines");
        foreach (var (name, image) in variants)
            Assert.True(IoU(reference, image) > 0.6, $"{name}: IoU {IoU(reference, image):F2} with the SVG");
    }

    [Fact]
    public void The_lines_are_cropped_centred_and_framed_like_the_model_s_drawings()
    {
        var image = Normalise(Encoding.UTF8.GetBytes(Svg("black", "white")));
        int left = Size, right = -1, top = Size, bottom = -1;
        for (var y = 0; y < Size; y++)
            for (var x = 0; x < Size; x++)
                if (image[y * Size + x] > 0)
                    (left, right, top, bottom) = (Math.Min(left, x), Math.Max(right, x), Math.Min(top, y), Math.Max(bottom, y));
        var span = Math.Max(right - left + 1, bottom - top + 1);
        Assert.InRange(span, (int)(SketchInput.ContentFraction * Size) - 2, (int)(SketchInput.ContentFraction * Size) + 2);
        Assert.InRange((left + right) / 2.0, Size / 2.0 - 2, Size / 2.0 + 1);
        Assert.InRange((top + bottom) / 2.0, Size / 2.0 - 2, Size / 2.0 + 1);
        Assert.All(image, v => Assert.InRange(v, -1f, 1f));
    }

    [Theory]
    [InlineData("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\"><script>alert(1)</script></svg>", "<script>")]
    [InlineData("<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\" width=\"10\" height=\"10\"><image xlink:href=\"file:///etc/passwd\"/></svg>", "<image>")]
    [InlineData("<?xml version=\"1.0\"?><!DOCTYPE svg [<!ENTITY a \"aaaa\">]><svg xmlns=\"http://www.w3.org/2000/svg\">&a;</svg>", "DOCTYPE")]
    [InlineData("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\"><path d=\"M0 0L9 9\" style=\"fill:url(http://x/y)\"/></svg>", "outside resource")]
    [InlineData("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"100000\" height=\"10\"/>", "at most")]
    [InlineData("not an image at all", "neither a PNG, JPEG or WebP image nor a well-formed SVG")]
    public void Hostile_or_foreign_files_are_refused_with_the_reason(string text, string expected)
    {
        var e = Assert.Throws<ImageRejectedException>(() => Normalise(Encoding.UTF8.GetBytes(text)));
        Assert.Contains(expected, e.Message);
        Assert.Contains("sketch", e.Message);
    }

    [Fact]
    public void An_empty_drawing_a_truncated_PNG_and_an_oversized_file_are_refused()
    {
        var blank = Assert.Throws<ImageRejectedException>(() => Normalise(Png(Svg("white", "white"), 200, 200)));
        Assert.Contains("no lines", blank.Message);
        var png = Png(Svg("black", "white"), 300, 200);
        var truncated = Assert.Throws<ImageRejectedException>(() => Normalise(png[..(png.Length / 2)]));
        Assert.Contains("PNG", truncated.Message);
        var big = Assert.Throws<ImageRejectedException>(() => SketchInput.Normalise(png, Size, ImageLimits.Default with { MaxBytes = 100 }));
        Assert.Contains("limit", big.Message);
        Assert.Throws<ImageRejectedException>(() => Normalise([]));
    }
}
