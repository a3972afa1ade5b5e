namespace Aigc.Imaging.Ads;

public enum SlotAlign
{
    Start,
    Centre,
    End,
}

/// <summary>
/// One slot of a layout, relative to the canvas (0–100 on each axis). Text slots say how many lines their text may
/// take at full size, which colour it is drawn in and which colour lies under it; the call to action and the image
/// say what they are filled with.
/// </summary>
public sealed record SlotSpec(
    AdSlot Slot, double X, double Y, double Width, double Height,
    SlotAlign Align, SlotAlign VerticalAlign, int Lines, BrandToken Colour, BrandToken On, BrandToken Fill)
{
    public PixelRect ToPixels(AdSize size)
    {
        var x = (int)Math.Round(X * size.Width / 100);
        var y = (int)Math.Round(Y * size.Height / 100);
        var right = (int)Math.Round((X + Width) * size.Width / 100);
        var bottom = (int)Math.Round((Y + Height) * size.Height / 100);
        return new PixelRect(x, y, Math.Max(1, right - x), Math.Max(1, bottom - y));
    }
}
