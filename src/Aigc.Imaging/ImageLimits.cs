namespace Aigc.Imaging;

/// <summary>Bounds on an untrusted image, checked before its pixels are decoded.</summary>
public sealed record ImageLimits(long MaxBytes, int MaxWidth, int MaxHeight, long MaxPixels)
{
    public static ImageLimits Default { get; } = new(32L * 1024 * 1024, 8192, 8192, 40_000_000);
}
