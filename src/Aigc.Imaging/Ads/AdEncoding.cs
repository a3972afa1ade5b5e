using Aigc.Imaging.Native.Vips;

namespace Aigc.Imaging.Ads;

/// <summary>
/// The two deliverables of every size: PNG and JPEG, sRGB, all metadata stripped. The levels are chosen for ads, which
/// are mostly flat colour with sharp text (see docs/benchmarks.md, "Ads").
/// </summary>
public static class AdEncoding
{
    /// <summary>zlib level 2 with the sub filter: flat areas compress almost as well as at level 6, several times faster.</summary>
    public const int PngCompression = 2;

    /// <summary>Quality 90, where libvips keeps full-resolution chroma (no 4:2:0): red or blue text on colour stays crisp.</summary>
    public const int JpegQuality = 90;

    public static byte[] Png(VipsImage image) => image.EncodePng(PngCompression);

    public static byte[] Jpeg(VipsImage image) =>
        VipsOperation.Blob("jpegsave_buffer", ("in", image), ("Q", JpegQuality), ("optimize_coding", true), ("strip", true));
}
