using System.Security;
using NetVips;

namespace Aigc.Imaging.Ads;

/// <summary>
/// Sets text in a box with Pango (libvips' text operation): wrapped at the box width, at the largest whole pixel
/// size whose measured extent fits the box, so text is never cut off and never overflows.
/// </summary>
public static class TextFitter
{
    /// <summary>Below this no text is drawn: it would be a smudge, not words.</summary>
    public const int SmallestSize = 5;

    public static FittedText Fit(string text, string fontFamily, string weight, int preferredSize, int legibleSize,
        int boxWidth, int boxHeight, SlotAlign align)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(text);
        var markup = SecurityElement.Escape(text.Trim());
        var alignment = align switch
        {
            SlotAlign.Centre => Enums.Align.Centre,
            SlotAlign.End => Enums.Align.High,
            _ => Enums.Align.Low,
        };
        Libvips.EnsureStarted();
        preferredSize = Math.Max(SmallestSize, preferredSize);

        VipsImage? Render(int size)
        {
            var mask = new VipsImage(Image.Text(markup, font: $"{fontFamily} {weight} {size}px", dpi: 72,
                width: boxWidth, align: alignment, wrap: Enums.TextWrap.WordChar));
            if (mask.Width <= boxWidth && mask.Height <= boxHeight) return mask;
            mask.Dispose();
            return null;
        }

        // Most texts fit at the preferred size: one render. Otherwise a binary search over whole pixel sizes.
        var best = Render(preferredSize);
        var bestSize = preferredSize;
        if (best is null)
        {
            var (low, high) = (SmallestSize - 1, preferredSize);
            while (high - low > 1)
            {
                var middle = (low + high) / 2;
                var candidate = Render(middle);
                if (candidate is null)
                {
                    high = middle;
                    continue;
                }
                best?.Dispose();
                (best, bestSize, low) = (candidate, middle, middle);
            }
        }
        return new FittedText(best, best is null ? 0 : bestSize, preferredSize, best is not null && bestSize >= legibleSize);
    }
}
