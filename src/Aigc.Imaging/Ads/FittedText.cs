namespace Aigc.Imaging.Ads;

/// <summary>
/// A text rendered to fit its box: a one-band coverage mask no larger than the box, the pixel size used, and whether
/// that size is still legible. <see cref="Mask"/> is null when not even the smallest size fits.
/// </summary>
public sealed record FittedText(VipsImage? Mask, int PixelSize, int PreferredSize, bool Legible) : IDisposable
{
    public bool Fits => Mask is not null;

    public bool Shrunk => PixelSize < PreferredSize;

    public void Dispose() => Mask?.Dispose();
}
