using System.Buffers.Binary;
using System.Text.Json;

namespace Aigc.Neural.Safetensors;

/// <summary>
/// The safetensors format: 8-byte little-endian header length, a JSON header (name → dtype, shape,
/// data_offsets relative to the data section; optional "__metadata__"), then raw tensor bytes.
/// Reading is strict: every problem is an <see cref="InvalidDataException"/> naming the tensor or the defect.
/// Pickle-based checkpoints are refused without being parsed.
/// </summary>
public static class SafetensorsFile
{
    public const int DefaultMaxHeaderBytes = 16 << 20;

    public static IReadOnlyDictionary<string, SafetensorsEntry> Read(string path, int maxHeaderBytes = DefaultMaxHeaderBytes)
    {
        try
        {
            return Read(File.ReadAllBytes(path), maxHeaderBytes);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"{path}: {e.Message}", e);
        }
    }

    public static IReadOnlyDictionary<string, SafetensorsEntry> Read(ReadOnlySpan<byte> file, int maxHeaderBytes = DefaultMaxHeaderBytes)
    {
        // A safetensors header is a JSON object right after the 8-byte length; anything else is sniffed for pickles.
        var looksLikeSafetensors = file.Length > 8 && file[8] == (byte)'{';
        if (!looksLikeSafetensors && file.Length >= 2 && file[0] == 0x80 && file[1] is >= 2 and <= 5)
            throw new InvalidDataException("this is a Python pickle; only safetensors files are read.");
        if (!looksLikeSafetensors && file.Length >= 4 && file[0] == (byte)'P' && file[1] == (byte)'K')
            throw new InvalidDataException("this is a zip (PyTorch .pt/.pth) checkpoint; only safetensors files are read.");
        if (file.Length < 8)
            throw new InvalidDataException($"truncated safetensors file: {file.Length} bytes, the header length alone takes 8.");
        var headerLength = BinaryPrimitives.ReadUInt64LittleEndian(file);
        if (headerLength > (ulong)maxHeaderBytes)
            throw new InvalidDataException($"safetensors header of {headerLength} bytes exceeds the limit of {maxHeaderBytes}.");
        if (8 + (long)headerLength > file.Length)
            throw new InvalidDataException($"truncated safetensors file: header claims {headerLength} bytes, only {file.Length - 8} follow.");
        var data = file[(8 + (int)headerLength)..];
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(file.Slice(8, (int)headerLength).ToArray());
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"safetensors header is not valid JSON: {e.Message}", e);
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
                throw new InvalidDataException("safetensors header must be a JSON object.");
            var result = new Dictionary<string, SafetensorsEntry>(StringComparer.Ordinal);
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (property.Name == "__metadata__")
                    continue;
                result.Add(property.Name, ParseEntry(property.Name, property.Value, data));
            }

            return result;
        }
    }

    private static SafetensorsEntry ParseEntry(string name, JsonElement e, ReadOnlySpan<byte> data)
    {
        try
        {
            var dtype = e.GetProperty("dtype").GetString() ?? throw new InvalidDataException($"Tensor '{name}' has no dtype.");
            var shape = e.GetProperty("shape").EnumerateArray().Select(d => d.GetInt32()).ToArray();
            if (shape.Any(d => d < 0))
                throw new InvalidDataException($"Tensor '{name}' has a negative dimension.");
            var offsets = e.GetProperty("data_offsets").EnumerateArray().Select(d => d.GetInt64()).ToArray();
            if (offsets.Length != 2 || offsets[0] < 0 || offsets[1] < offsets[0])
                throw new InvalidDataException($"Tensor '{name}' has invalid data_offsets.");
            if (offsets[1] > data.Length)
                throw new InvalidDataException($"Tensor '{name}' data [{offsets[0]}, {offsets[1]}) runs past the {data.Length} data bytes (truncated file?).");
            var bytes = data[(int)offsets[0]..(int)offsets[1]].ToArray();
            return new SafetensorsEntry(name, dtype, shape, bytes);
        }
        catch (Exception ex) when (ex is KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new InvalidDataException($"Tensor '{name}' has a malformed header entry (needs dtype, shape, data_offsets): {ex.Message}", ex);
        }
    }

    public static void Write(string path, IEnumerable<SafetensorsEntry> entries, IReadOnlyDictionary<string, string>? metadata = null)
    {
        using var stream = File.Create(path);
        Write(stream, entries, metadata);
    }

    public static void Write(Stream stream, IEnumerable<SafetensorsEntry> entries, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var list = entries.OrderBy(e => e.Name, StringComparer.Ordinal).ToList();
        var header = new MemoryStream();
        using (var json = new Utf8JsonWriter(header))
        {
            json.WriteStartObject();
            if (metadata is { Count: > 0 })
            {
                json.WriteStartObject("__metadata__");
                foreach (var (k, v) in metadata)
                    json.WriteString(k, v);
                json.WriteEndObject();
            }

            long offset = 0;
            foreach (var e in list)
            {
                json.WriteStartObject(e.Name);
                json.WriteString("dtype", e.DType);
                json.WriteStartArray("shape");
                foreach (var d in e.Shape)
                    json.WriteNumberValue(d);
                json.WriteEndArray();
                json.WriteStartArray("data_offsets");
                json.WriteNumberValue(offset);
                json.WriteNumberValue(offset + e.Data.Length);
                json.WriteEndArray();
                json.WriteEndObject();
                offset += e.Data.Length;
            }

            json.WriteEndObject();
        }

        var headerBytes = header.ToArray().ToList();
        while (headerBytes.Count % 8 != 0)
            headerBytes.Add((byte)' ');
        Span<byte> length = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)headerBytes.Count);
        stream.Write(length);
        stream.Write(headerBytes.ToArray());
        foreach (var e in list)
            stream.Write(e.Data);
    }
}
