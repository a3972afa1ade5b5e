using System.Globalization;
using System.Text;
using System.Xml;
using System.Xml.Linq;
using NetVips;

namespace Aigc.Imaging;

/// <summary>
/// An untrusted SVG rebuilt from an allowlist of elements: no script, no event handlers, no DOCTYPE or entities, no
/// references outside the document except embedded PNG/JPEG data; rendered once by libvips to prove it renders.
/// Brand logos and sketches both come in this way; messages name what the file was meant to be.
/// </summary>
public sealed record SafeSvg(byte[] Bytes, int Width, int Height)
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";
    private static readonly XNamespace XLink = "http://www.w3.org/1999/xlink";

    /// <summary>What the file is, in messages: "logo", "logos", and the raster formats also accepted ("a PNG").</summary>
    public sealed record Nouns(string One, string Many, string Rasters);

    public static SafeSvg Sanitise(ReadOnlySpan<byte> bytes, Nouns noun, IReadOnlySet<string> allowedElements, int maxSide)
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
            throw new ImageRejectedException($"The SVG {noun.One} declares a DOCTYPE (DTDs and entities are not allowed in {noun.Many}).", e);
        }
        catch (XmlException e)
        {
            throw new ImageRejectedException($"The {noun.One} is neither {noun.Rasters} nor a well-formed SVG: {e.Message}", e);
        }
        var root = document.Root!;
        if (root.Name != Svg + "svg")
            throw new ImageRejectedException($"The {noun.One} is neither {noun.Rasters} nor an SVG (its XML root is not an <svg> element in the SVG namespace).");
        foreach (var element in root.DescendantsAndSelf())
        {
            var name = element.Name.LocalName;
            if (element.Name.Namespace != Svg || !allowedElements.Contains(name))
                throw new ImageRejectedException(name is "script" or "foreignObject" or "style"
                    ? $"The SVG {noun.One} contains a <{name}> element; {noun.Many} may not carry scripts, HTML or style sheets."
                    : $"The SVG {noun.One} contains a <{name}> element, which {noun.Many} may not use.");
            foreach (var attribute in element.Attributes())
                CheckAttribute(name, attribute, noun);
        }
        var (width, height) = Dimensions(root, noun, maxSide);
        var sanitised = Encoding.UTF8.GetBytes(root.ToString(SaveOptions.DisableFormatting));
        try
        {
            Libvips.EnsureStarted();
            using var probe = Image.SvgloadBuffer(sanitised);
        }
        catch (VipsException e)
        {
            throw new ImageRejectedException($"The SVG {noun.One} could not be rendered: {Libvips.Reason(e)}", e);
        }
        return new SafeSvg(sanitised, width, height);
    }

    private static void CheckAttribute(string element, XAttribute attribute, Nouns noun)
    {
        var name = attribute.Name.LocalName;
        var value = attribute.Value.Trim();
        if (attribute.IsNamespaceDeclaration) return;
        if (name.StartsWith("on", StringComparison.OrdinalIgnoreCase))
            throw new ImageRejectedException($"The SVG {noun.One} has an event handler ({name} on <{element}>); {noun.Many} may not run scripts.");
        if (name == "href" && (attribute.Name.Namespace == XLink || attribute.Name.Namespace == XNamespace.None))
        {
            var embeddedRaster = element == "image" && (value.StartsWith("data:image/png;base64,", StringComparison.Ordinal)
                                                        || value.StartsWith("data:image/jpeg;base64,", StringComparison.Ordinal));
            var internalReference = element != "image" && value.StartsWith('#');
            if (!embeddedRaster && !internalReference)
                throw new ImageRejectedException($"The SVG {noun.One} refers to \"{Shorten(value)}\" from <{element}>; {noun.Many} may only use references inside the file and embedded PNG/JPEG data.");
            return;
        }
        if (name == "style" || value.Contains("url(", StringComparison.OrdinalIgnoreCase))
        {
            var urls = value.Split("url(", StringSplitOptions.None).Skip(1);
            if (urls.Any(u => !u.TrimStart().TrimStart('\'', '"').StartsWith('#')) || value.Contains("@import", StringComparison.OrdinalIgnoreCase))
                throw new ImageRejectedException($"The SVG {noun.One} refers to an outside resource in its {name} attribute on <{element}>.");
        }
        if (value.Contains("javascript:", StringComparison.OrdinalIgnoreCase))
            throw new ImageRejectedException($"The SVG {noun.One} has a javascript: address in {name} on <{element}>.");
    }

    /// <summary>The drawing size from width/height, or the viewBox when they are relative or absent; bounded by <paramref name="maxSide"/>.</summary>
    private static (int Width, int Height) Dimensions(XElement root, Nouns noun, int maxSide)
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
            throw new ImageRejectedException($"The SVG {noun.One} has no usable size: give the <svg> element width and height, or a viewBox.");
        if (w > maxSide || h > maxSide)
            throw new ImageRejectedException($"The SVG {noun.One} declares {w:0.#}×{h:0.#}; {noun.Many} may be at most {maxSide}×{maxSide}.");
        return ((int)Math.Ceiling(w), (int)Math.Ceiling(h));
    }

    private static string Shorten(string value) => value.Length <= 60 ? value : value[..57] + "...";
}
