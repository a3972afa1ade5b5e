using Aigc.Imaging.Ads;

namespace Aigc.Imaging.Tests.Ads;

/// <summary>A real generator output and a brand with colours that occur nowhere else, so they can be counted in the pixels.</summary>
internal static class AdSamples
{
    public static readonly RgbColour Primary = new(0x12, 0x4a, 0x9e);
    public static readonly RgbColour Secondary = new(0xe8, 0x5d, 0x1c);
    public static readonly RgbColour Background = new(0xf7, 0xf4, 0xec);

    public static BrandPalette Palette => new(Primary, Secondary, Background);

    public static AdTexts Texts => new("Precision you can hold", "Helical gears cut to 5 µm, shipped in a week.", "Order a sample",
        "Prices excl. VAT. Offer valid until 31 Dec 2026 while stocks last.");

    /// <summary>One tile of the shipped model's sample sheet (white lines on black), upscaled to 256 as the default preset does.</summary>
    public static VipsImage Blueprint() =>
        VipsImage.Decode(File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Ads", "blueprint-gear.png")));

    public static AdComposition Composition(AdTemplate template, VipsImage product, AdTexts? texts = null, VipsImage? logo = null,
        ProductShotTreatment? treatment = null) =>
        new(template, Palette, "Inter", "Northwind Gears", texts ?? Texts, product, logo, treatment);

    public static byte[] Pixels(VipsImage image) => image.ToPixels();
}
