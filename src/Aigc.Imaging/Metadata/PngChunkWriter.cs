using System.Buffers.Binary;
using System.IO.Hashing;

namespace Aigc.Imaging.Metadata;

/// <summary>
/// Writes a PNG chunk (length, type, data, CRC of type and data) into a growing stream. A chunk is begun and ended
/// around its data so that one whose length is known only afterwards, the encoder's deflated IDAT, is written in place.
/// </summary>
internal static class PngChunkWriter
{
    public static void Write(MemoryStream output, ReadOnlySpan<byte> type, ReadOnlySpan<byte> data)
    {
        var typeStart = Begin(output, type);
        output.Write(data);
        End(output, typeStart);
    }

    /// <summary>Writes a length to be filled in by <see cref="End"/>, then the type; returns where the type starts.</summary>
    public static int Begin(MemoryStream output, ReadOnlySpan<byte> type)
    {
        output.Write(stackalloc byte[4]);
        var typeStart = (int)output.Position;
        output.Write(type);
        return typeStart;
    }

    /// <summary>Fills in the length of everything written since the type and appends the CRC.</summary>
    public static void End(MemoryStream output, int typeStart)
    {
        var buffer = output.GetBuffer().AsSpan(0, (int)output.Length);
        var length = buffer.Length - typeStart - 4;
        BinaryPrimitives.WriteInt32BigEndian(buffer[(typeStart - 4)..], length);
        Span<byte> crc = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(crc, Crc32.HashToUInt32(buffer.Slice(typeStart, 4 + length)));
        output.Write(crc);
    }
}
