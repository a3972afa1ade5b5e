using NetVips;

namespace Aigc.Imaging.Ads;

/// <summary>
/// The few pixel operations an ad is built from. Everything is drawn as a coverage mask blended towards a colour
/// (ifthenelse with blend) on the part of the canvas it covers, which stays 8-bit; composite would take the
/// canvas through float and back.
/// </summary>
internal static class Layers
{
    /// <summary>A flat sRGB image.</summary>
    public static VipsImage Solid(int width, int height, RgbColour colour)
    {
        Libvips.EnsureStarted();
        using var black = Image.Black(width, height, 3);
        using var filled = black.Linear([1], colour.Bands);
        using var uchar = filled.Cast(Enums.BandFormat.Uchar);
        return new VipsImage(uchar.Copy(interpretation: Enums.Interpretation.Srgb));
    }

    /// <summary><paramref name="mask"/> (one band, 255 = covered) in <paramref name="colour"/> over <paramref name="ground"/>, which has the mask's size.</summary>
    public static VipsImage Tint(VipsImage mask, RgbColour colour, VipsImage ground)
    {
        using var ink = Solid(mask.Width, mask.Height, colour);
        return mask.Apply(m => m.Ifthenelse(ink.Native, ground.Native, blend: true));
    }

    /// <summary>Paints a coverage mask in a colour onto the canvas at (x, y); the mask must lie inside the canvas.</summary>
    public static VipsImage PaintMask(VipsImage canvas, VipsImage mask, int x, int y, RgbColour colour)
    {
        using var region = canvas.Apply(c => c.ExtractArea(x, y, mask.Width, mask.Height));
        using var painted = Tint(mask, colour, region);
        return canvas.Apply(c => c.Insert(painted.Native, x, y));
    }

    /// <summary>Lays an sRGB image with or without alpha onto the canvas at (x, y).</summary>
    public static VipsImage Place(VipsImage canvas, VipsImage image, int x, int y)
    {
        if (!image.HasAlpha)
            return canvas.Apply(c => c.Insert(image.Native, x, y));
        using var region = canvas.Native.ExtractArea(x, y, image.Width, image.Height);
        using var alpha = image.Native.ExtractBand(image.Bands - 1);
        using var colour = image.Bands == 2
            ? image.Native.Colourspace(Enums.Interpretation.Srgb)
            : image.Native.ExtractBand(0, 3);
        using var rgb = colour.Bands == 4 ? colour.ExtractBand(0, 3) : colour.Copy();
        using var blended = alpha.Ifthenelse(rgb, region, blend: true);
        return canvas.Apply(c => c.Insert(blended, x, y));
    }

    /// <summary>Scales an image to fit inside width×height keeping its aspect (never to zero).</summary>
    public static VipsImage Contain(VipsImage image, int width, int height)
    {
        var scale = Math.Min((double)width / image.Width, (double)height / image.Height);
        var hscale = Math.Min(scale, Math.Floor(scale * image.Width) / image.Width);
        var vscale = Math.Min(scale, Math.Floor(scale * image.Height) / image.Height);
        return image.Apply(i => i.Resize(Math.Max(hscale, 1.0 / image.Width), Enums.Kernel.Lanczos3,
            vscale: Math.Max(vscale, 1.0 / image.Height)));
    }

    /// <summary>Where a box of the given size sits inside a slot with the slot's alignment.</summary>
    public static (int X, int Y) Align(PixelRect slot, int width, int height, SlotAlign horizontal, SlotAlign vertical) =>
        (slot.X + Offset(slot.Width - width, horizontal), slot.Y + Offset(slot.Height - height, vertical));

    private static int Offset(int room, SlotAlign align) => align switch
    {
        SlotAlign.Centre => room / 2,
        SlotAlign.End => room,
        _ => 0,
    };
}
