using Aigc.Imaging.Ads;

namespace Aigc.Imaging.Tests.Ads;

/// <summary>
/// Chinese text the server draws (ad headlines, title blocks) comes out in a real CJK face: the setup installs
/// fonts-noto-cjk, and Pango falls back to it from the brand font. Without one, Pango would draw a box with the
/// character's code in it, which no installed CJK face draws.
/// </summary>
public sealed class ChineseTextTests
{
    [Fact]
    public void A_Chinese_headline_falls_back_from_the_brand_font_to_an_installed_CJK_face()
    {
        var cjk = FontCatalog.Installed.Where(f => f.Contains("CJK", StringComparison.Ordinal)).ToList();
        Assert.True(cjk.Count > 0, "no CJK font installed (fonts-noto-cjk): Chinese would be drawn as boxes");

        foreach (var character in new[] { "齿", "轮", "设", "计" })
        {
            var fromBrandFont = Pixels(character, "Inter");
            Assert.True(fromBrandFont.Any(p => p > 0), $"{character} drew nothing");
            Assert.True(cjk.Any(face => Pixels(character, face).SequenceEqual(fromBrandFont)),
                $"{character} in Inter is not drawn by any installed CJK face (a missing-glyph box?)");
        }

        using var headline = TextFitter.Fit("精密齿轮 · 新一代设计", "Inter", "Bold", 48, 24, 900, 200, SlotAlign.Start);
        Assert.True(headline.Fits);
        Assert.False(headline.Shrunk);
    }

    /// <summary>The character on a fixed 120 px canvas, so equal arrays mean equal drawings.</summary>
    private static byte[] Pixels(string character, string family)
    {
        const int side = 120;
        using var text = TextFitter.Fit(character, family, "Bold", 64, 8, side, side, SlotAlign.Start);
        Assert.True(text.Fits);
        var mask = text.Mask!;
        var drawn = mask.ToPixels();
        var pixels = new byte[side * side];
        for (var y = 0; y < mask.Height; y++)
            Array.Copy(drawn, y * mask.Width * mask.Bands, pixels, y * side, mask.Width * mask.Bands);
        return pixels;
    }
}
