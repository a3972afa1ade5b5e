using System.Buffers.Binary;

namespace Aigc.Neural.Safetensors;

/// <summary>One tensor of a safetensors file: dtype, shape and raw little-endian bytes.</summary>
public sealed class SafetensorsEntry
{
    public SafetensorsEntry(string name, string dtype, int[] shape, byte[] data)
    {
        Name = name;
        DType = dtype;
        Shape = shape;
        Data = data;
        var expected = ElementCount * ElementSize(dtype, name);
        if (expected != data.Length)
            throw new InvalidDataException($"Tensor '{name}': {dtype} [{string.Join(", ", shape)}] needs {expected} bytes, has {data.Length}.");
    }

    public string Name { get; }

    public string DType { get; }

    public int[] Shape { get; }

    public byte[] Data { get; }

    public long ElementCount => Shape.Aggregate(1L, (a, b) => a * b);

    public static SafetensorsEntry FromFloats(string name, ReadOnlySpan<float> values, int[] shape)
    {
        var bytes = new byte[values.Length * 4];
        for (var i = 0; i < values.Length; i++)
            BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * 4), values[i]);
        return new SafetensorsEntry(name, "F32", shape, bytes);
    }

    public static SafetensorsEntry FromInt64(string name, ReadOnlySpan<long> values, int[] shape)
    {
        var bytes = new byte[values.Length * 8];
        for (var i = 0; i < values.Length; i++)
            BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(i * 8), values[i]);
        return new SafetensorsEntry(name, "I64", shape, bytes);
    }

    /// <summary>Values as float32, converting F16, BF16 and F64.</summary>
    public float[] ToFloats()
    {
        var n = (int)ElementCount;
        var result = new float[n];
        var d = Data.AsSpan();
        switch (DType)
        {
            case "F32":
                for (var i = 0; i < n; i++)
                    result[i] = BinaryPrimitives.ReadSingleLittleEndian(d[(i * 4)..]);
                break;
            case "F16":
                for (var i = 0; i < n; i++)
                    result[i] = (float)BinaryPrimitives.ReadHalfLittleEndian(d[(i * 2)..]);
                break;
            case "BF16":
                for (var i = 0; i < n; i++)
                    result[i] = BitConverter.Int32BitsToSingle(BinaryPrimitives.ReadUInt16LittleEndian(d[(i * 2)..]) << 16);
                break;
            case "F64":
                for (var i = 0; i < n; i++)
                    result[i] = (float)BinaryPrimitives.ReadDoubleLittleEndian(d[(i * 8)..]);
                break;
            default:
                throw new InvalidDataException($"Tensor '{Name}' is {DType}; a floating-point tensor (F32, F16, BF16, F64) is required.");
        }

        return result;
    }

    /// <summary>Values as int64 from I64 or I32.</summary>
    public long[] ToInt64()
    {
        var n = (int)ElementCount;
        var result = new long[n];
        var d = Data.AsSpan();
        switch (DType)
        {
            case "I64":
                for (var i = 0; i < n; i++)
                    result[i] = BinaryPrimitives.ReadInt64LittleEndian(d[(i * 8)..]);
                break;
            case "I32":
                for (var i = 0; i < n; i++)
                    result[i] = BinaryPrimitives.ReadInt32LittleEndian(d[(i * 4)..]);
                break;
            default:
                throw new InvalidDataException($"Tensor '{Name}' is {DType}; an integer tensor (I64, I32) is required.");
        }

        return result;
    }

    internal static int ElementSize(string dtype, string name) => dtype switch
    {
        "F64" or "I64" or "U64" => 8,
        "F32" or "I32" or "U32" => 4,
        "F16" or "BF16" or "I16" or "U16" => 2,
        "I8" or "U8" or "BOOL" => 1,
        _ => throw new InvalidDataException($"Tensor '{name}' has unknown dtype '{dtype}'."),
    };
}
