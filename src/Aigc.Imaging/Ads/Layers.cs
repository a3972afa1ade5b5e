using Aigc.Imaging.Native.Vips;

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
        using var black = VipsOperation.Image("black", ("width", width), ("height", height), ("bands", 3));
        using var filled = black.Call("linear", ("a", new double[] { 1 }), ("b", colour.Bands));
        using var uchar = filled.Call("cast", ("format", "uchar"));
        return uchar.Call("copy", ("interpretation", "srgb"));
    }

    /// <summary><paramref name="mask"/> (one band, 255 = covered) in <paramref name="colour"/> over <paramref name="ground"/>, which has the mask's size.</summary>
    public static VipsImage Tint(VipsImage mask, RgbColour colour, VipsImage ground)
    {
        using var ink = Solid(mask.Width, mask.Height, colour);
        return VipsOperation.Image("ifthenelse", ("cond", mask), ("in1", ink), ("in2", ground), ("blend", true));
    }

    /// <summary>Paints a coverage mask in a colour onto the canvas at (x, y); the mask must lie inside the canvas.</summary>
    public static VipsImage PaintMask(VipsImage canvas, VipsImage mask, int x, int y, RgbColour colour)
    {
        using var region = VipsOperation.Image("extract_area", ("input", canvas), ("left", x), ("top", y), ("width", mask.Width), ("height", mask.Height));
        using var painted = Tint(mask, colour, region);
        return VipsOperation.Image("insert", ("main", canvas), ("sub", painted), ("x", x), ("y", y));
    }

    /// <summary>Lays an sRGB image with or without alpha onto the canvas at (x, y).</summary>
    public static VipsImage Place(VipsImage canvas, VipsImage image, int x, int y)
    {
        if (!image.HasAlpha)
            return VipsOperation.Image("insert", ("main", canvas), ("sub", image), ("x", x), ("y", y));
        using var region = VipsOperation.Image("extract_area", ("input", canvas), ("left", x), ("top", y), ("width", image.Width), ("height", image.Height));
        using var alpha = image.Call("extract_band", ("band", image.Bands - 1));
        using var colour = image.Bands == 2 ? image.Call("colourspace", ("space", "srgb")) : image.Call("extract_band", ("band", 0), ("n", 3));
        using var rgb = colour.Bands == 4 ? colour.Call("extract_band", ("band", 0), ("n", 3)) : colour.Call("copy");
        using var blended = VipsOperation.Image("ifthenelse", ("cond", alpha), ("in1", rgb), ("in2", region), ("blend", true));
        return VipsOperation.Image("insert", ("main", canvas), ("sub", blended), ("x", x), ("y", y));
    }

    /// <summary>Scales an image to fit inside width×height keeping its aspect (never to zero).</summary>
    public static VipsImage Contain(VipsImage image, int width, int height)
    {
        var scale = Math.Min((double)width / image.Width, (double)height / image.Height);
        var hscale = Math.Min(scale, Math.Floor(scale * image.Width) / image.Width);
        var vscale = Math.Min(scale, Math.Floor(scale * image.Height) / image.Height);
        return image.Call("resize", ("scale", Math.Max(hscale, 1.0 / image.Width)), ("vscale", Math.Max(vscale, 1.0 / image.Height)), ("kernel", "lanczos3"));
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
