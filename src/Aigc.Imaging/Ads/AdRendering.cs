namespace Aigc.Imaging.Ads;

/// <summary>
/// One rendered size: the sRGB image (computed, in memory), where each slot and each drawn text lies, and the warnings.
/// </summary>
public sealed class AdRendering(AdSize size, VipsImage image, IReadOnlyDictionary<AdSlot, PixelRect> slots,
    IReadOnlyDictionary<AdSlot, PixelRect> drawn, IReadOnlyList<AdWarning> warnings) : IDisposable
{
    public AdSize Size { get; } = size;

    public VipsImage Image { get; } = image;

    /// <summary>The template's slots at this size (absent slots are not in it).</summary>
    public IReadOnlyDictionary<AdSlot, PixelRect> Slots { get; } = slots;

    /// <summary>The box of what was drawn in each slot: the text's measured extent, the button, the logo, the product.</summary>
    public IReadOnlyDictionary<AdSlot, PixelRect> Drawn { get; } = drawn;

    public IReadOnlyList<AdWarning> Warnings { get; } = warnings;

    public void Dispose() => Image.Dispose();
}
