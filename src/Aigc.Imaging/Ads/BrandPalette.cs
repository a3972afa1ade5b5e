namespace Aigc.Imaging.Ads;

/// <summary>A brand kit's colours by template token. Ink is the text colour that reads best on the background.</summary>
public sealed record BrandPalette(RgbColour Primary, RgbColour Secondary, RgbColour Background)
{
    public RgbColour this[BrandToken token] => token switch
    {
        BrandToken.Primary => Primary,
        BrandToken.Secondary => Secondary,
        BrandToken.Background => Background,
        BrandToken.White => RgbColour.White,
        _ => Background.MostLegible(RgbColour.Ink, RgbColour.White),
    };

    /// <summary>
    /// The colour for text the template wants in <paramref name="wanted"/> on <paramref name="on"/>: kept when it reads
    /// (WCAG contrast 3:1, the large-text minimum), otherwise replaced by whichever of ink and white reads better.
    /// </summary>
    public RgbColour TextColour(BrandToken wanted, BrandToken on)
    {
        var (text, ground) = (this[wanted], this[on]);
        return text.ContrastWith(ground) >= 3 ? text : ground.MostLegible(text, RgbColour.Ink, RgbColour.White);
    }
}
