namespace Aigc.Imaging;

/// <summary>The formats users may upload and the pipeline may write.</summary>
public enum ImageFormat
{
    Png,
    Jpeg,
    Webp,
}

public static class ImageFormatExtensions
{
    /// <summary>The name people know the format by: PNG, JPEG, WebP.</summary>
    public static string DisplayName(this ImageFormat format) => format switch
    {
        ImageFormat.Png => "PNG",
        ImageFormat.Jpeg => "JPEG",
        _ => "WebP",
    };

    public static string MediaType(this ImageFormat format) => format switch
    {
        ImageFormat.Png => "image/png",
        ImageFormat.Jpeg => "image/jpeg",
        _ => "image/webp",
    };
}

public static class ImageFormatSniffer
{
    /// <summary>The eight bytes every PNG starts with; the encoder and the chunk rewriter write them.</summary>
    internal static ReadOnlySpan<byte> PngSignature => [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>Identifies PNG, JPEG or WebP from the leading bytes (never from a file name); null for anything else.</summary>
    public static ImageFormat? Detect(ReadOnlySpan<byte> bytes)
    {
        if (bytes.StartsWith(PngSignature)) return ImageFormat.Png;
        if (bytes.Length >= 3 && bytes[0] == 0xFF && bytes[1] == 0xD8 && bytes[2] == 0xFF) return ImageFormat.Jpeg;
        if (bytes.Length >= 12 && bytes[..4].SequenceEqual("RIFF"u8) && bytes[8..12].SequenceEqual("WEBP"u8)) return ImageFormat.Webp;
        return null;
    }
}
