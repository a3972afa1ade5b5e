using System.Buffers.Binary;
using System.IO.Compression;
using System.Numerics;
using System.Runtime.CompilerServices;
using Aigc.Imaging.Metadata;

namespace Aigc.Imaging.Kernels;

/// <summary>
/// PNG of 8-bit interleaved pixels (1 = grey, 2 = grey+alpha, 3 = RGB, 4 = RGBA): IHDR, an optional iTXt, one IDAT,
/// IEND, every row with the Paeth filter, deflated by the runtime's zlib-ng at a level or with its run-length
/// matching. On generated blueprints Paeth + run-length is smaller than "sub" at level 6 and deflates faster than
/// "sub" at level 2 (docs/decisions/0003-libvips.md).
/// </summary>
internal static class PngEncoder
{
    private const byte FilterPaeth = 4;
    private const int HeaderLength = 13;

    /// <param name="runLength">zlib's Z_RLE: matches only runs of one byte, whatever the level above 0.</param>
    public static byte[] Encode(ReadOnlySpan<byte> pixels, int width, int height, int bands, int compression, PngText? text = null, bool runLength = false)
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
        using (var deflate = new ZLibStream(output, new ZLibCompressionOptions
               {
                   CompressionLevel = compression,
                   CompressionStrategy = runLength ? ZLibCompressionStrategy.RunLengthEncoding : ZLibCompressionStrategy.Default,
               }, leaveOpen: true))
            deflate.Write(filtered);
        PngChunkWriter.End(output, idat);
        PngChunkWriter.Write(output, "IEND"u8, []);
        return output.ToArray();
    }

    /// <summary>
    /// Each row behind its filter byte, every sample minus its Paeth predictor: whichever of the sample to its left
    /// (a), above (b) and above-left (c) is nearest to a + b − c, ties to a, then b. Samples outside the image are 0.
    /// </summary>
    // Compiled optimised at first call, not after a minute of tier-0 code: decision 0024.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static byte[] Filter(ReadOnlySpan<byte> pixels, int stride, int height, int bands)
    {
        var filtered = new byte[(stride + 1L) * height];
        ReadOnlySpan<byte> previous = new byte[stride];
        var lanes = Vector<byte>.Count;
        for (var y = 0; y < height; y++)
        {
            var row = pixels.Slice(y * stride, stride);
            var target = filtered.AsSpan(y * (stride + 1), stride + 1);
            target[0] = FilterPaeth;
            target = target[1..];
            // Left of the first pixel a and c are 0, so the predictor is the sample above.
            var head = Math.Min(bands, stride);
            for (var i = 0; i < head; i++)
                target[i] = (byte)(row[i] - previous[i]);
            var x = head;
            for (; x + lanes <= stride; x += lanes)
            {
                var predictor = Paeth(new Vector<byte>(row[(x - bands)..]), new Vector<byte>(previous[x..]), new Vector<byte>(previous[(x - bands)..]));
                (new Vector<byte>(row[x..]) - predictor).CopyTo(target[x..]);
            }

            for (; x < stride; x++)
                target[x] = (byte)(row[x] - Paeth(row[x - bands], previous[x], previous[x - bands]));
            previous = row;
        }

        return filtered;
    }

    private static Vector<byte> Paeth(Vector<byte> a, Vector<byte> b, Vector<byte> c)
    {
        Vector.Widen(a, out var a0, out var a1);
        Vector.Widen(b, out var b0, out var b1);
        Vector.Widen(c, out var c0, out var c1);
        return Vector.Narrow(Paeth(a0, b0, c0), Paeth(a1, b1, c1));
    }

    private static Vector<ushort> Paeth(Vector<ushort> a, Vector<ushort> b, Vector<ushort> c)
    {
        var (sa, sb, sc) = (Vector.AsVectorInt16(a), Vector.AsVectorInt16(b), Vector.AsVectorInt16(c));
        var fromA = Vector.Abs(sb - sc);
        var fromB = Vector.Abs(sa - sc);
        var fromC = Vector.Abs(sa + sb - sc - sc);
        var pickA = Vector.LessThanOrEqual(fromA, fromB) & Vector.LessThanOrEqual(fromA, fromC);
        var pickB = Vector.LessThanOrEqual(fromB, fromC);
        return Vector.AsVectorUInt16(Vector.ConditionalSelect(pickA, sa, Vector.ConditionalSelect(pickB, sb, sc)));
    }

    private static byte Paeth(byte a, byte b, byte c)
    {
        var fromA = Math.Abs(b - c);
        var fromB = Math.Abs(a - c);
        var fromC = Math.Abs(a + b - c - c);
        return fromA <= fromB && fromA <= fromC ? a : fromB <= fromC ? b : c;
    }
}
