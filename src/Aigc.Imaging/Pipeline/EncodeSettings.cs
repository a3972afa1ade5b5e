using Aigc.Imaging.Metadata;

namespace Aigc.Imaging.Pipeline;

/// <summary>How the final image is written. Quality applies to JPEG/WebP, compression (zlib level 0–9) to PNG.</summary>
public sealed record EncodeSettings(ImageFormat Format, int Quality = 90, int Compression = 2, bool Lossless = false)
{
    /// <summary>
    /// zlib level 2 with the "sub" filter. zlib-ng's level 1 is a quicker algorithm that left generated images ~18 %
    /// larger; level 2 is smaller than what libvips' level 1 wrote, and 2.5× faster (decision 0003).
    /// </summary>
    public static EncodeSettings DefaultPng { get; } = new(ImageFormat.Png);

    /// <summary>Encodes the image; a PNG carries <paramref name="text"/>, JPEG and WebP files carry no text.</summary>
    public byte[] Encode(VipsImage image, PngText? text = null) => Format switch
    {
        ImageFormat.Png => image.EncodePng(Compression, text),
        ImageFormat.Jpeg => image.EncodeJpeg(Quality),
        _ => image.EncodeWebp(Quality, Lossless),
    };
}
