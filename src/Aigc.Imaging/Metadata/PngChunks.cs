using System.Buffers.Binary;
using System.IO.Compression;
using System.IO.Hashing;
using System.Text;

namespace Aigc.Imaging.Metadata;

/// <summary>
/// Reads and rewrites PNG chunks in an encoded byte stream. libvips 8.14 writes only tEXt, so the UTF-8 iTXt
/// chunk is spliced in here, after IHDR.
/// </summary>
public static class PngChunks
{
    private static readonly string[] TextChunkTypes = ["tEXt", "zTXt", "iTXt", "eXIf", "tIME"];

    /// <summary>Returns a copy of <paramref name="png"/> whose only text chunk under the keyword is an iTXt holding <paramref name="text"/>.</summary>
    public static byte[] WithInternationalText(ReadOnlySpan<byte> png, PngText text)
    {
        var stripped = Without(png, chunk => IsTextChunkFor(chunk, text.Keyword));
        var ihdrEnd = ImageFormatSniffer.PngSignature.Length + 8 + 13 + 4;
        using var output = new MemoryStream(stripped.Length + text.Text.Length * 2 + text.Keyword.Length + 32);
        output.Write(stripped.AsSpan(0, ihdrEnd));
        WriteInternationalText(output, text);
        output.Write(stripped.AsSpan(ihdrEnd));
        return output.ToArray();
    }

    /// <summary>Writes an uncompressed iTXt chunk without language tag or translated keyword.</summary>
    internal static void WriteInternationalText(MemoryStream output, PngText text)
    {
        var typeStart = PngChunkWriter.Begin(output, "iTXt"u8);
        output.Write(Encoding.Latin1.GetBytes(text.Keyword));
        // NUL, compression flag 0, method 0, empty language tag, empty translated keyword.
        output.Write([0, 0, 0, 0, 0]);
        output.Write(Encoding.UTF8.GetBytes(text.Text));
        PngChunkWriter.End(output, typeStart);
    }

    /// <summary>The text stored under <paramref name="keyword"/> in an iTXt or tEXt chunk, or null when there is none.</summary>
    public static string? ReadText(ReadOnlySpan<byte> png, string keyword)
    {
        foreach (var chunk in Enumerate(png))
        {
            if (!IsTextChunkFor(chunk, keyword)) continue;
            var body = chunk.Data[(keyword.Length + 1)..];
            if (chunk.Type == "tEXt") return Encoding.Latin1.GetString(body);
            if (body.Length < 2) throw new InvalidDataException($"PNG iTXt chunk '{keyword}' is truncated.");
            var compressed = body[0] == 1;
            body = body[2..];
            for (var skip = 0; skip < 2; skip++)
            {
                var nul = body.IndexOf((byte)0);
                if (nul < 0) throw new InvalidDataException($"PNG iTXt chunk '{keyword}' is malformed.");
                body = body[(nul + 1)..];
            }
            return compressed ? Inflate(body) : Encoding.UTF8.GetString(body);
        }
        return null;
    }

    /// <summary>Removes every text, EXIF and time chunk, for exports that must not carry provenance.</summary>
    public static byte[] StripText(ReadOnlySpan<byte> png) => Without(png, chunk => TextChunkTypes.Contains(chunk.Type));

    private static bool IsTextChunkFor(Chunk chunk, string keyword) =>
        chunk.Type is "tEXt" or "iTXt"
        && chunk.Data.Length > keyword.Length
        && chunk.Data[keyword.Length] == 0
        && Encoding.Latin1.GetString(chunk.Data[..keyword.Length]) == keyword;

    private static byte[] Without(ReadOnlySpan<byte> png, Func<Chunk, bool> drop)
    {
        using var output = new MemoryStream(png.Length);
        output.Write(ImageFormatSniffer.PngSignature);
        foreach (var chunk in Enumerate(png))
            if (!drop(chunk)) output.Write(png.Slice(chunk.Offset, chunk.Data.Length + 12));
        return output.ToArray();
    }

    private static List<Chunk> Enumerate(ReadOnlySpan<byte> png)
    {
        if (!png.StartsWith(ImageFormatSniffer.PngSignature)) throw new InvalidDataException("Not a PNG file (bad signature).");
        var chunks = new List<Chunk>();
        var offset = ImageFormatSniffer.PngSignature.Length;
        while (offset < png.Length)
        {
            if (png.Length - offset < 12) throw new InvalidDataException($"PNG chunk at byte {offset} is truncated.");
            var length = BinaryPrimitives.ReadUInt32BigEndian(png[offset..]);
            if (length > png.Length - offset - 12) throw new InvalidDataException($"PNG chunk at byte {offset} claims {length} bytes past the end of the file.");
            var type = Encoding.ASCII.GetString(png.Slice(offset + 4, 4));
            var typeAndData = png.Slice(offset + 4, 4 + (int)length);
            var crc = BinaryPrimitives.ReadUInt32BigEndian(png[(offset + 8 + (int)length)..]);
            if (Crc32.HashToUInt32(typeAndData) != crc) throw new InvalidDataException($"PNG chunk '{type}' at byte {offset} has a bad CRC.");
            chunks.Add(new Chunk(type, offset, typeAndData[4..].ToArray()));
            offset += 12 + (int)length;
            if (type == "IEND") break;
        }
        if (chunks.Count == 0 || chunks[0].Type != "IHDR") throw new InvalidDataException("PNG does not start with an IHDR chunk.");
        return chunks;
    }

    private static string Inflate(ReadOnlySpan<byte> zlib)
    {
        using var input = new MemoryStream(zlib.ToArray());
        using var inflater = new ZLibStream(input, CompressionMode.Decompress);
        using var reader = new StreamReader(inflater, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    private sealed record Chunk(string Type, int Offset, byte[] Data);
}
