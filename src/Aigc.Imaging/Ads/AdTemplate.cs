using System.Globalization;
using System.Text;
using System.Xml.Linq;

namespace Aigc.Imaging.Ads;

/// <summary>
/// An ad layout defined as SVG: per size class a group (data-class) of decorations in brand-colour tokens and slot
/// rectangles (data-slot), all in a 0–100 space on each axis, so one group adapts to every size of its class.
/// A size class without a group uses the nearest one (portrait for skyscraper, square for portrait).
/// </summary>
public sealed class AdTemplate
{
    private readonly Dictionary<AdSizeClass, Layout> _layouts;

    private AdTemplate(string id, string name, string description, ProductShotTreatment treatment, Dictionary<AdSizeClass, Layout> layouts)
    {
        Id = id;
        Name = name;
        Description = description;
        DefaultTreatment = treatment;
        _layouts = layouts;
    }

    public string Id { get; }

    public string Name { get; }

    public string Description { get; }

    /// <summary>How this template shows the product unless the composition says otherwise.</summary>
    public ProductShotTreatment DefaultTreatment { get; }

    public IReadOnlyList<SlotSpec> Slots(AdSize size) => LayoutFor(size.Class).Slots;

    /// <summary>The decorations as an SVG document of exactly <paramref name="size"/>, tokens resolved to the brand's colours.</summary>
    public string BackdropSvg(AdSize size, BrandPalette palette)
    {
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture,
            $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{size.Width}\" height=\"{size.Height}\" viewBox=\"0 0 100 100\" preserveAspectRatio=\"none\">");
        svg.Append(CultureInfo.InvariantCulture, $"<rect width=\"100\" height=\"100\" fill=\"{palette.Background.Hex}\"/>");
        foreach (var element in LayoutFor(size.Class).Decorations)
        {
            var copy = new XElement(element);
            foreach (var attribute in copy.Attributes().Where(a => a.Name.LocalName is "fill" or "stroke"))
                if (Enum.TryParse<BrandToken>(attribute.Value, ignoreCase: true, out var token))
                    attribute.Value = palette[token].Hex;
            svg.Append(copy.ToString(SaveOptions.DisableFormatting));
        }
        svg.Append("</svg>");
        return svg.ToString();
    }

    private Layout LayoutFor(AdSizeClass sizeClass) => sizeClass switch
    {
        _ when _layouts.TryGetValue(sizeClass, out var layout) => layout,
        AdSizeClass.Skyscraper when _layouts.TryGetValue(AdSizeClass.Portrait, out var portrait) => portrait,
        _ => _layouts[AdSizeClass.Square],
    };

    /// <summary>
    /// Reads a template. Decorations may only be basic shapes with fill/stroke/opacity (they are rendered by librsvg,
    /// and nothing in them may reach outside the document); every group needs an image, a headline and a call to action.
    /// </summary>
    public static AdTemplate Parse(string id, string svg)
    {
        var root = XDocument.Parse(svg, LoadOptions.None).Root ?? throw new FormatException($"Template '{id}' is empty.");
        var ns = root.Name.Namespace;
        var name = Required(root, "data-name", id);
        var description = Required(root, "data-description", id);
        var treatment = ParseEnum<ProductShotTreatment>(Required(root, "data-treatment", id), id, "data-treatment");
        var layouts = new Dictionary<AdSizeClass, Layout>();
        foreach (var group in root.Elements(ns + "g"))
        {
            var sizeClass = ParseEnum<AdSizeClass>(Required(group, "data-class", id), id, "data-class");
            var slots = new List<SlotSpec>();
            var decorations = new List<XElement>();
            foreach (var element in group.Elements())
            {
                if (element.Attribute("data-slot") is { } slotName)
                    slots.Add(ParseSlot(id, element, AdSlotNames.FromSvgName(slotName.Value)));
                else if (element.Name.LocalName is "rect" or "circle" or "ellipse" or "polygon" or "line"
                         && element.Attributes().All(a => AllowedDecorationAttributes.Contains(a.Name.LocalName)))
                    decorations.Add(element);
                else
                    throw new FormatException($"Template '{id}', {sizeClass}: <{element.Name.LocalName}> is not a slot or a plain shape.");
            }
            foreach (var required in new[] { AdSlot.Image, AdSlot.Headline, AdSlot.CallToAction })
                if (slots.All(s => s.Slot != required))
                    throw new FormatException($"Template '{id}', {sizeClass}: has no {required.SvgName()} slot.");
            if (slots.GroupBy(s => s.Slot).FirstOrDefault(g => g.Count() > 1) is { } twice)
                throw new FormatException($"Template '{id}', {sizeClass}: slot {twice.Key.SvgName()} appears twice.");
            layouts[sizeClass] = new Layout(slots, decorations);
        }
        if (!layouts.ContainsKey(AdSizeClass.Square))
            throw new FormatException($"Template '{id}' has no square layout, which other size classes fall back to.");
        return new AdTemplate(id, name, description, treatment, layouts);
    }

    private static readonly HashSet<string> AllowedDecorationAttributes =
        ["x", "y", "width", "height", "cx", "cy", "r", "rx", "ry", "x1", "y1", "x2", "y2", "points", "fill", "stroke", "stroke-width", "opacity", "fill-opacity"];

    private static SlotSpec ParseSlot(string id, XElement element, AdSlot slot)
    {
        double Number(string attribute)
        {
            var text = Required(element, attribute, id);
            return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value is >= 0 and <= 100
                ? value
                : throw new FormatException($"Template '{id}', slot {slot.SvgName()}: {attribute} must be 0–100, not '{text}'.");
        }

        T Optional<T>(string attribute, T fallback) where T : struct, Enum =>
            element.Attribute(attribute) is { } a ? ParseEnum<T>(a.Value, id, attribute) : fallback;

        var (x, y, width, height) = (Number("x"), Number("y"), Number("width"), Number("height"));
        if (x + width > 100.001 || y + height > 100.001)
            throw new FormatException($"Template '{id}', slot {slot.SvgName()}: reaches outside the canvas.");
        var lines = element.Attribute("data-lines") is { } l ? int.Parse(l.Value, CultureInfo.InvariantCulture) : 1;
        return new SlotSpec(slot, x, y, width, height,
            Optional("data-align", SlotAlign.Start), Optional("data-valign", SlotAlign.Start), lines,
            Optional("data-colour", BrandToken.Ink), Optional("data-on", BrandToken.Background), Optional("data-fill", BrandToken.Primary));
    }

    private static T ParseEnum<T>(string text, string id, string attribute) where T : struct, Enum
    {
        var alias = text switch { "top" => "start", "bottom" => "end", "middle" => "centre", _ => text };
        var normalised = alias.Replace("-", "", StringComparison.Ordinal);
        return Enum.TryParse<T>(normalised, ignoreCase: true, out var value) && Enum.IsDefined(value)
            ? value
            : throw new FormatException($"Template '{id}': {attribute}=\"{text}\" is not one of {string.Join(", ", Enum.GetNames<T>()).ToLowerInvariant()}.");
    }

    private static string Required(XElement element, string attribute, string id) =>
        element.Attribute(attribute)?.Value ?? throw new FormatException($"Template '{id}': <{element.Name.LocalName}> needs {attribute}.");

    private sealed record Layout(IReadOnlyList<SlotSpec> Slots, IReadOnlyList<XElement> Decorations);
}
