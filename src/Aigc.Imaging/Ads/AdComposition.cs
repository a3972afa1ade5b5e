using Aigc.Imaging.Metadata;

namespace Aigc.Imaging.Ads;

/// <summary>
/// Everything one ad is rendered from. The images stay owned by the caller: <see cref="Product"/> is a blueprint
/// (white lines on black), <see cref="Logo"/> a validated brand logo with alpha, or none for a wordmark of the brand name.
/// </summary>
public sealed record AdComposition(
    AdTemplate Template,
    BrandPalette Palette,
    string FontFamily,
    string BrandName,
    AdTexts Texts,
    VipsImage Product,
    VipsImage? Logo = null,
    ProductShotTreatment? Treatment = null,
    BlueprintMetadata? ProductMetadata = null)
{
    public ProductShotTreatment EffectiveTreatment => Treatment ?? Template.DefaultTreatment;
}
