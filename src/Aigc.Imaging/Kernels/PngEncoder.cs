using System.Buffers.Binary;
using System.IO.Compression;
using System.Numerics;
using Aigc.Imaging.Metadata;

namespace Aigc.Imaging.Kernels;

/// <summary>
/// PNG of 8-bit interleaved pixels (1 = grey, 2 = grey+alpha, 3 = RGB, 4 = RGBA): IHDR, an optional iTXt, one IDAT,
/// IEND, every row with the "sub" filter, deflated by the runtime's zlib-ng. libvips' pngsave took ~0.8 ms for a 256²
/// grey image here, most of the default preset, and runs on its own worker threads; this takes ~0.3 ms on the calling
/// thread, at level 2 a little smaller than libvips' level 1 (docs/decisions/0003-libvips.md).
/// </summary>
internal static class PngEncoder
{
    private const byte FilterSub = 1;
    private const int HeaderLength = 13;

    public static byte[] Encode(ReadOnlySpan<byte> pixels, int width, int height, int bands, int compression, PngText? text = null)
    {
        if (width < 1 || height < 1) throw new ArgumentOutOfRangeException(nameof(width), $"PNG size {width}×{height} must be positive.");
        if (bands is < 1 or > 4) throw new ArgumentOutOfRangeException(nameof(bands), $"PNG bands must be 1 to 4, not {bands}.");
        if (compression is < 0 or > 9) throw new ArgumentOutOfRangeException(nameof(compression), $"PNG compression must be a zlib level 0–9, not {compression}.");
        var stride = (long)width * bands;
        if (pixels.Length != stride * height)
            throw new ArgumentException($"Expected {stride * height} bytes for {width}×{height}×{bands}, got {pixels.Length}.", nameof(pixels));

        var filtered = Filter(pixels, (int)stride, height, bands);
        using var output = new MemoryStream(filtered.Length / 2 + (text?.Text.Length ?? 0) * 2 + 128);
        output.Write(ImageFormatSniffer.PngSignature);
        Span<byte> header = stackalloc byte[HeaderLength];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header[4..], height);
        header[8] = 8;
        header[9] = bands switch { 1 => 0, 2 => 4, 3 => 2, _ => 6 };
        PngChunkWriter.Write(output, "IHDR"u8, header);
        if (text is not null) PngChunks.WriteInternationalText(output, text);

        var idat = PngChunkWriter.Begin(output, "IDAT"u8);
        using (var deflate = new ZLibStream(output, new ZLibCompressionOptions { CompressionLevel = compression }, leaveOpen: true))
            deflate.Write(filtered);
        PngChunkWriter.End(output, idat);
        PngChunkWriter.Write(output, "IEND"u8, []);
        return output.ToArray();
    }

    /// <summary>Each row behind its filter byte, every sample minus the one a pixel to its left (0 before the first).</summary>
    private static byte[] Filter(ReadOnlySpan<byte> pixels, int stride, int height, int bands)
    {
        var filtered = new byte[(stride + 1L) * height];
        var lanes = Vector<byte>.Count;
        for (var y = 0; y < height; y++)
        {
            var row = pixels.Slice(y * stride, stride);
            var target = filtered.AsSpan(y * (stride + 1), stride + 1);
            target[0] = FilterSub;
            target = target[1..];
            var head = Math.Min(bands, stride);
            row[..head].CopyTo(target);
            var i = head;
            for (; i + lanes <= stride; i += lanes)
                (new Vector<byte>(row[i..]) - new Vector<byte>(row[(i - bands)..])).CopyTo(target[i..]);
            for (; i < stride; i++)
                target[i] = (byte)(row[i] - row[i - bands]);
        }

        return filtered;
    }
}
