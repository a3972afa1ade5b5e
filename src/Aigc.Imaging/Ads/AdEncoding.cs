using NetVips;

namespace Aigc.Imaging.Ads;

/// <summary>
/// The two deliverables of every size: PNG and JPEG, sRGB, all metadata stripped. The levels are chosen for ads, which
/// are mostly flat colour with sharp text (see docs/benchmarks.md, "Ads").
/// </summary>
public static class AdEncoding
{
    /// <summary>
    /// zlib level 6 with the Paeth filter. With zlib-ng (our encoder, decision 0003) level 6 costs about what level 2
    /// does on these flat, text-heavy images and is ~6 % smaller; levels above it cost many times more.
    /// </summary>
    public const int PngCompression = 6;

    /// <summary>Quality 90, where libvips keeps full-resolution chroma (no 4:2:0): red or blue text on colour stays crisp.</summary>
    public const int JpegQuality = 90;

    public static byte[] Png(VipsImage image) => image.EncodePng(PngCompression);

    public static byte[] Jpeg(VipsImage image) =>
        image.Native.JpegsaveBuffer(JpegQuality, optimizeCoding: true, keep: Enums.ForeignKeep.None);
}
