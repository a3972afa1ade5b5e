using System.Globalization;
using NetVips;

namespace Aigc.Imaging.Ads;

/// <summary>Renders a composition at one size: template backdrop, product shot, logo, texts fitted to their slots.</summary>
public static class AdRenderer
{
    public static AdRendering Render(AdComposition composition, AdSize size)
    {
        var problems = composition.Texts.Validate();
        if (problems.Count > 0) throw new ArgumentException(string.Join(" ", problems.Select(p => p.Message)), nameof(composition));
        var palette = composition.Palette;
        var specs = composition.Template.Slots(size);
        var slots = specs.ToDictionary(s => s.Slot, s => s.ToPixels(size));
        var drawn = new Dictionary<AdSlot, PixelRect>();
        var warnings = new List<AdWarning>();

        var canvas = Backdrop(composition.Template, size, palette);
        try
        {
            foreach (var spec in specs)
            {
                var box = slots[spec.Slot];
                canvas = spec.Slot switch
                {
                    AdSlot.Image => DrawProduct(canvas, composition, spec, box, drawn),
                    AdSlot.Logo => DrawLogo(canvas, composition, spec, box, size, drawn),
                    AdSlot.CallToAction => DrawButton(canvas, composition, spec, box, size, drawn, warnings),
                    _ => DrawText(canvas, composition, spec, box, size, drawn, warnings),
                };
            }
            foreach (var slot in new[] { AdSlot.Subline, AdSlot.Legal })
                if (!slots.ContainsKey(slot) && !string.IsNullOrWhiteSpace(composition.Texts.For(slot)))
                    warnings.Add(new AdWarning(size, slot,
                        $"{slot.DisplayName()} is not shown at {size.Width}×{size.Height}: the {composition.Template.Name} layout has no room for it at a legible size there.", Severe: false));
            using (canvas)
                return new AdRendering(size, canvas.CopyToMemory(), slots, drawn, warnings);
        }
        catch
        {
            canvas.Dispose();
            throw;
        }
    }

    private static VipsImage Backdrop(AdTemplate template, AdSize size, BrandPalette palette)
    {
        var svg = System.Text.Encoding.UTF8.GetBytes(template.BackdropSvg(size, palette));
        Libvips.EnsureStarted();
        using var rgba = Image.SvgloadBuffer(svg);
        return new VipsImage(rgba.ExtractBand(0, 3));
    }

    private static VipsImage DrawProduct(VipsImage canvas, AdComposition composition, SlotSpec spec, PixelRect box, Dictionary<AdSlot, PixelRect> drawn)
    {
        using var shot = ProductShot.Render(composition.Product, composition.ProductMetadata, composition.EffectiveTreatment,
            composition.Palette, spec.Fill, box.Width, box.Height);
        drawn[AdSlot.Image] = box;
        using (canvas) return Layers.Place(canvas, shot, box.X, box.Y);
    }

    private static VipsImage DrawLogo(VipsImage canvas, AdComposition composition, SlotSpec spec, PixelRect box, AdSize size, Dictionary<AdSlot, PixelRect> drawn)
    {
        if (composition.Logo is null)
        {
            // No logo: the brand name as a wordmark, in the brand's type.
            using var wordmark = TextFitter.Fit(composition.BrandName, composition.FontFamily, "Bold", PreferredSize(spec, box, size, 0.05), 1,
                box.Width, box.Height, spec.Align);
            if (wordmark.Mask is null) return canvas;
            var (wx, wy) = Layers.Align(box, wordmark.Mask.Width, wordmark.Mask.Height, spec.Align, spec.VerticalAlign);
            drawn[AdSlot.Logo] = new PixelRect(wx, wy, wordmark.Mask.Width, wordmark.Mask.Height);
            using (canvas) return Layers.PaintMask(canvas, wordmark.Mask, wx, wy, composition.Palette.TextColour(BrandToken.Primary, spec.On));
        }
        using var logo = Layers.Contain(composition.Logo, box.Width, box.Height);
        var (x, y) = Layers.Align(box, logo.Width, logo.Height, spec.Align, spec.VerticalAlign);
        drawn[AdSlot.Logo] = new PixelRect(x, y, logo.Width, logo.Height);
        using (canvas) return Layers.Place(canvas, logo, x, y);
    }

    private static VipsImage DrawText(VipsImage canvas, AdComposition composition, SlotSpec spec, PixelRect box, AdSize size,
        Dictionary<AdSlot, PixelRect> drawn, List<AdWarning> warnings)
    {
        var text = composition.Texts.For(spec.Slot);
        if (string.IsNullOrWhiteSpace(text)) return canvas;
        var (weight, cap, legible) = Typography(spec.Slot);
        var preferred = PreferredSize(spec, box, size, cap);
        // Text measured by its ink has no leading: a bottom-aligned text keeps a little air above what follows it.
        var air = spec.VerticalAlign == SlotAlign.End ? Math.Min(box.Height / 4, (int)(0.25 * preferred)) : 0;
        var room = box with { Height = box.Height - air };
        using var fitted = TextFitter.Fit(text, composition.FontFamily, weight, preferred, legible, room.Width, room.Height, spec.Align);
        Warn(fitted, spec.Slot, size, legible, warnings);
        if (fitted.Mask is null) return canvas;
        var (x, y) = Layers.Align(room, fitted.Mask.Width, fitted.Mask.Height, spec.Align, spec.VerticalAlign);
        drawn[spec.Slot] = new PixelRect(x, y, fitted.Mask.Width, fitted.Mask.Height);
        using (canvas) return Layers.PaintMask(canvas, fitted.Mask, x, y, composition.Palette.TextColour(spec.Colour, spec.On));
    }

    /// <summary>The call to action as a button: its text fitted inside padding, the button as wide as the text needs.</summary>
    private static VipsImage DrawButton(VipsImage canvas, AdComposition composition, SlotSpec spec, PixelRect box, AdSize size,
        Dictionary<AdSlot, PixelRect> drawn, List<AdWarning> warnings)
    {
        var (weight, cap, legible) = Typography(AdSlot.CallToAction);
        var padY = Math.Max(2, (int)(box.Height * 0.2));
        var padX = Math.Max(4, (int)(box.Height * 0.4));
        using var fitted = TextFitter.Fit(composition.Texts.CallToAction, composition.FontFamily, weight,
            Math.Min((int)((box.Height - 2 * padY) / 1.25), (int)(cap * Scale(size))), legible,
            Math.Max(1, box.Width - 2 * padX), Math.Max(1, box.Height - 2 * padY), SlotAlign.Centre);
        Warn(fitted, AdSlot.CallToAction, size, legible, warnings);
        if (fitted.Mask is null) return canvas;
        var width = Math.Min(box.Width, fitted.Mask.Width + 2 * padX);
        var (x, y) = Layers.Align(box, width, box.Height, spec.Align, spec.VerticalAlign);
        var radius = Math.Max(2, box.Height * 0.16);
        var shape = string.Create(CultureInfo.InvariantCulture,
            $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{box.Height}\"><rect width=\"{width}\" height=\"{box.Height}\" rx=\"{radius:0.#}\" fill=\"#fff\"/></svg>");
        using var rgba = Image.SvgloadBuffer(System.Text.Encoding.UTF8.GetBytes(shape));
        using var buttonMask = new VipsImage(rgba.ExtractBand(3));
        var withButton = Layers.PaintMask(canvas, buttonMask, x, y, composition.Palette[spec.Fill]);
        canvas.Dispose();
        var tx = x + (width - fitted.Mask.Width) / 2;
        var ty = y + (box.Height - fitted.Mask.Height) / 2;
        drawn[AdSlot.CallToAction] = new PixelRect(tx, ty, fitted.Mask.Width, fitted.Mask.Height);
        using (withButton) return Layers.PaintMask(withButton, fitted.Mask, tx, ty, composition.Palette.TextColour(spec.Colour, spec.Fill));
    }

    private static void Warn(FittedText fitted, AdSlot slot, AdSize size, int legible, List<AdWarning> warnings)
    {
        if (!fitted.Fits)
            warnings.Add(new AdWarning(size, slot,
                $"{slot.DisplayName()} does not fit at {size.Width}×{size.Height} even at {TextFitter.SmallestSize} px, so it is not shown there: shorten it.", Severe: true));
        else if (!fitted.Legible)
            warnings.Add(new AdWarning(size, slot,
                $"{slot.DisplayName()} had to shrink to {fitted.PixelSize} px at {size.Width}×{size.Height} (legible from {legible} px): shorten it.", Severe: false));
    }

    /// <summary>Weight, largest size as a fraction of the canvas scale, and the smallest legible pixel size per text slot.</summary>
    private static (string Weight, double Cap, int Legible) Typography(AdSlot slot) => slot switch
    {
        AdSlot.Headline => ("Bold", 0.075, 12),
        AdSlot.Subline => ("Regular", 0.036, 10),
        AdSlot.CallToAction => ("Semi-Bold", 0.036, 10),
        _ => ("Regular", 0.019, 7),
    };

    /// <summary>The size at which the slot's text takes its intended number of lines, capped relative to the canvas.</summary>
    private static int PreferredSize(SlotSpec spec, PixelRect box, AdSize size, double cap) =>
        (int)Math.Min(box.Height / (spec.Lines * 1.25), cap * Scale(size));

    /// <summary>A length that grows with the canvas area, so banners and skyscrapers get type in proportion to their size.</summary>
    private static double Scale(AdSize size) => Math.Sqrt((double)size.Width * size.Height);
}
