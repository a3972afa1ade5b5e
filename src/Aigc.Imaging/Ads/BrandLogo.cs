using NetVips;

namespace Aigc.Imaging.Ads;

/// <summary>
/// A brand logo as accepted for storage: a PNG that the safe decoder read within limits, or an SVG rebuilt from an
/// allowlist (no script, no event handlers, no DOCTYPE or entities, no references outside the document except
/// embedded PNG/JPEG data). <see cref="Bytes"/> is what to store: the original PNG, or the sanitised SVG.
/// </summary>
public sealed record BrandLogo(string MediaType, byte[] Bytes, int Width, int Height)
{
    public const int MaxSide = 4096;

    private static readonly SafeSvg.Nouns Noun = new("logo", "logos", "a PNG");

    private static readonly HashSet<string> AllowedElements =
    [
        "svg", "g", "path", "rect", "circle", "ellipse", "line", "polyline", "polygon", "text", "tspan", "defs",
        "linearGradient", "radialGradient", "stop", "clipPath", "mask", "use", "symbol", "title", "desc", "image",
    ];

    /// <summary>Validates an upload; throws <see cref="ImageRejectedException"/> with a message fit for the user.</summary>
    public static BrandLogo Validate(ReadOnlySpan<byte> bytes, long maxBytes)
    {
        if (bytes.IsEmpty) throw new ImageRejectedException("The logo file is empty.");
        if (bytes.Length > maxBytes)
            throw new ImageRejectedException($"The logo is {bytes.Length:N0} bytes; logos may be at most {maxBytes:N0} bytes.");
        var sniffed = ImageFormatSniffer.Detect(bytes);
        if (sniffed == ImageFormat.Png)
        {
            using var image = ImageDecoder.Decode(bytes, new ImageLimits(maxBytes, MaxSide, MaxSide, (long)MaxSide * MaxSide));
            return new BrandLogo("image/png", bytes.ToArray(), image.Width, image.Height);
        }
        if (sniffed is not null)
            throw new ImageRejectedException($"The logo is a {sniffed.Value.DisplayName()} file; logos must be PNG (with transparency) or SVG.");
        return SanitiseSvg(bytes);
    }

    /// <summary>The logo as 8-bit sRGB with alpha, rasterised (SVG) so that its longer side is about <paramref name="longSide"/> pixels.</summary>
    public static VipsImage Load(string mediaType, byte[] bytes, int longSide = 1024)
    {
        VipsImage image;
        if (mediaType == "image/svg+xml")
        {
            Libvips.EnsureStarted();
            using var natural = Image.SvgloadBuffer(bytes);
            var scale = (double)longSide / Math.Max(natural.Width, natural.Height);
            image = new VipsImage(Image.SvgloadBuffer(bytes, scale: scale));
        }
        else
        {
            image = ImageDecoder.Decode(bytes, new ImageLimits(bytes.LongLength, MaxSide, MaxSide, (long)MaxSide * MaxSide));
        }
        using (image)
        {
            using var rgb = image.Bands <= 2
                ? image.Native.Colourspace(Enums.Interpretation.Srgb)
                : image.Native.Copy();
            using var rgba = rgb.HasAlpha() ? rgb.Copy() : rgb.BandjoinConst([255]);
            return new VipsImage(rgba.CopyMemory());
        }
    }

    private static BrandLogo SanitiseSvg(ReadOnlySpan<byte> bytes)
    {
        var svg = SafeSvg.Sanitise(bytes, Noun, AllowedElements, MaxSide);
        return new BrandLogo("image/svg+xml", svg.Bytes, svg.Width, svg.Height);
    }
}
