using System.Globalization;
using System.Text;
using System.Xml;
using System.Xml.Linq;
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

    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";
    private static readonly XNamespace XLink = "http://www.w3.org/1999/xlink";

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
        XDocument document;
        try
        {
            var settings = new XmlReaderSettings
            {
                DtdProcessing = DtdProcessing.Prohibit,
                XmlResolver = null,
                MaxCharactersInDocument = bytes.Length * 2L,
                IgnoreComments = true,
                IgnoreProcessingInstructions = true,
            };
            using var reader = XmlReader.Create(new MemoryStream(bytes.ToArray()), settings);
            document = XDocument.Load(reader, LoadOptions.None);
        }
        catch (XmlException e) when (e.Message.Contains("DTD", StringComparison.OrdinalIgnoreCase))
        {
            throw new ImageRejectedException("The SVG logo declares a DOCTYPE (DTDs and entities are not allowed in logos).", e);
        }
        catch (XmlException e)
        {
            throw new ImageRejectedException($"The logo is neither a PNG nor a well-formed SVG: {e.Message}", e);
        }
        var root = document.Root!;
        if (root.Name != Svg + "svg")
            throw new ImageRejectedException("The logo is neither a PNG nor an SVG (its XML root is not an <svg> element in the SVG namespace).");
        foreach (var element in root.DescendantsAndSelf())
        {
            var name = element.Name.LocalName;
            if (element.Name.Namespace != Svg || !AllowedElements.Contains(name))
                throw new ImageRejectedException(name is "script" or "foreignObject" or "style"
                    ? $"The SVG logo contains a <{name}> element; logos may not carry scripts, HTML or style sheets."
                    : $"The SVG logo contains a <{name}> element, which logos may not use.");
            foreach (var attribute in element.Attributes())
                CheckAttribute(name, attribute);
        }
        var (width, height) = Dimensions(root);
        var sanitised = Encoding.UTF8.GetBytes(root.ToString(SaveOptions.DisableFormatting));
        try
        {
            Libvips.EnsureStarted();
            using var probe = Image.SvgloadBuffer(sanitised);
        }
        catch (VipsException e)
        {
            throw new ImageRejectedException($"The SVG logo could not be rendered: {Libvips.Reason(e)}", e);
        }
        return new BrandLogo("image/svg+xml", sanitised, width, height);
    }

    private static void CheckAttribute(string element, XAttribute attribute)
    {
        var name = attribute.Name.LocalName;
        var value = attribute.Value.Trim();
        if (attribute.IsNamespaceDeclaration) return;
        if (name.StartsWith("on", StringComparison.OrdinalIgnoreCase))
            throw new ImageRejectedException($"The SVG logo has an event handler ({name} on <{element}>); logos may not run scripts.");
        if (name == "href" && (attribute.Name.Namespace == XLink || attribute.Name.Namespace == XNamespace.None))
        {
            var embeddedRaster = element == "image" && (value.StartsWith("data:image/png;base64,", StringComparison.Ordinal)
                                                        || value.StartsWith("data:image/jpeg;base64,", StringComparison.Ordinal));
            var internalReference = element != "image" && value.StartsWith('#');
            if (!embeddedRaster && !internalReference)
                throw new ImageRejectedException($"The SVG logo refers to \"{Shorten(value)}\" from <{element}>; logos may only use references inside the file and embedded PNG/JPEG data.");
            return;
        }
        if (name == "style" || value.Contains("url(", StringComparison.OrdinalIgnoreCase))
        {
            var urls = value.Split("url(", StringSplitOptions.None).Skip(1);
            if (urls.Any(u => !u.TrimStart().TrimStart('\'', '"').StartsWith('#')) || value.Contains("@import", StringComparison.OrdinalIgnoreCase))
                throw new ImageRejectedException($"The SVG logo refers to an outside resource in its {name} attribute on <{element}>.");
        }
        if (value.Contains("javascript:", StringComparison.OrdinalIgnoreCase))
            throw new ImageRejectedException($"The SVG logo has a javascript: address in {name} on <{element}>.");
    }

    /// <summary>The drawing size from width/height, or the viewBox when they are relative or absent; bounded by <see cref="MaxSide"/>.</summary>
    private static (int Width, int Height) Dimensions(XElement root)
    {
        static double? Length(string? text) =>
            text is not null && double.TryParse(text.Trim().TrimEnd('x', 'p'), NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : null;

        var width = Length(root.Attribute("width")?.Value);
        var height = Length(root.Attribute("height")?.Value);
        if ((width is null || height is null) && root.Attribute("viewBox")?.Value is { } viewBox)
        {
            var parts = viewBox.Split([' ', ','], StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length == 4)
            {
                width ??= Length(parts[2]);
                height ??= Length(parts[3]);
            }
        }
        if (width is not { } w || height is not { } h || w <= 0 || h <= 0)
            throw new ImageRejectedException("The SVG logo has no usable size: give the <svg> element width and height, or a viewBox.");
        if (w > MaxSide || h > MaxSide)
            throw new ImageRejectedException($"The SVG logo declares {w:0.#}×{h:0.#}; logos may be at most {MaxSide}×{MaxSide}.");
        return ((int)Math.Ceiling(w), (int)Math.Ceiling(h));
    }

    private static string Shorten(string value) => value.Length <= 60 ? value : value[..57] + "...";
}
