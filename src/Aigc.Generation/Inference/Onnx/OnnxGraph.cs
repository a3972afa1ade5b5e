using System.Runtime.InteropServices;
using Google.Protobuf;

namespace Aigc.Generation.Inference.Onnx;

/// <summary>
/// Writes an ONNX model (onnx.proto, IR version 8) for the few messages a feed-forward graph needs: nodes,
/// initializers, typed inputs and outputs, an opset and metadata. Field numbers are onnx.proto's; we only ever write
/// ONNX, so encoding these messages directly is cheaper than compiling onnx.proto into the build (decision 0017).
/// </summary>
internal sealed class OnnxGraph
{
    public const long IrVersion = 8;
    public const int Float = 1;
    public const int Int64 = 7;

    private readonly List<byte[]> _nodes = [];
    private readonly List<byte[]> _initializers = [];
    private readonly List<byte[]> _inputs = [];
    private readonly List<byte[]> _outputs = [];

    /// <summary>A graph input or output dimension: a fixed size, or a name for a size given at run time.</summary>
    public readonly record struct Dim(long Size, string? Symbol = null)
    {
        public static implicit operator Dim(long size) => new(size);

        public static implicit operator Dim(string symbol) => new(0, symbol);
    }

    public void Input(string name, int elementType, params Dim[] shape) =>
        _inputs.Add(ValueInfo(name, elementType, shape));

    public void Output(string name, int elementType, params Dim[] shape) =>
        _outputs.Add(ValueInfo(name, elementType, shape));

    public string Initializer(string name, ReadOnlySpan<float> values, params long[] dims) =>
        Initializer(name, Float, MemoryMarshal.AsBytes(values), dims);

    public string Initializer(string name, ReadOnlySpan<long> values, params long[] dims) =>
        Initializer(name, Int64, MemoryMarshal.AsBytes(values), dims);

    public string Node(string opType, string[] inputs, string output, params NodeAttribute[] attributes)
    {
        var node = new Message();
        foreach (var input in inputs)
            node.String(1, input);
        node.String(2, output).String(3, $"{opType}_{_nodes.Count}").String(4, opType);
        foreach (var attribute in attributes)
            node.Nested(5, attribute.Encode());
        _nodes.Add(node.ToArray());
        return output;
    }

    public byte[] ToModel(string graphName, int opset, string producer, string producerVersion,
        IEnumerable<KeyValuePair<string, string>> metadata, string docString)
    {
        var graph = new Message();
        foreach (var node in _nodes)
            graph.Nested(1, node);
        graph.String(2, graphName);
        foreach (var initializer in _initializers)
            graph.Nested(5, initializer);
        foreach (var input in _inputs)
            graph.Nested(11, input);
        foreach (var output in _outputs)
            graph.Nested(12, output);

        var model = new Message()
            .Int64(1, IrVersion)
            .String(2, producer)
            .String(3, producerVersion)
            .String(6, docString)
            .Nested(7, graph.ToArray())
            .Nested(8, new Message().String(1, "").Int64(2, opset).ToArray());
        foreach (var (key, value) in metadata)
            model.Nested(14, new Message().String(1, key).String(2, value).ToArray());
        return model.ToArray();
    }

    private string Initializer(string name, int elementType, ReadOnlySpan<byte> raw, long[] dims)
    {
        if (!BitConverter.IsLittleEndian)
            throw new PlatformNotSupportedException("ONNX raw tensor data is little-endian.");
        var tensor = new Message();
        foreach (var dim in dims)
            tensor.Int64(1, dim);
        tensor.Int64(2, elementType).String(8, name).Bytes(9, raw);
        _initializers.Add(tensor.ToArray());
        return name;
    }

    private static byte[] ValueInfo(string name, int elementType, Dim[] shape)
    {
        var dims = new Message();
        foreach (var dim in shape)
        {
            var d = new Message();
            if (dim.Symbol is { } symbol)
                d.String(2, symbol);
            else
                d.Int64(1, dim.Size);
            dims.Nested(1, d.ToArray());
        }

        var tensorType = new Message().Int64(1, elementType).Nested(2, dims.ToArray());
        var type = new Message().Nested(1, tensorType.ToArray());
        return new Message().String(1, name).Nested(2, type.ToArray()).ToArray();
    }

    /// <summary>A node attribute (AttributeProto): one int, one float or a list of ints.</summary>
    public sealed record NodeAttribute(string Name, long? Int = null, float? FloatValue = null, long[]? Ints = null)
    {
        public static NodeAttribute Of(string name, long value) => new(name, Int: value);

        public static NodeAttribute Of(string name, float value) => new(name, FloatValue: value);

        public static NodeAttribute Of(string name, params long[] values) => new(name, Ints: values);

        public byte[] Encode()
        {
            var attribute = new Message().String(1, Name);
            if (FloatValue is { } f)
                attribute.Float(2, f).Int64(20, 1);
            else if (Int is { } i)
                attribute.Int64(3, i).Int64(20, 2);
            else
            {
                foreach (var value in Ints!)
                    attribute.Int64(8, value);
                attribute.Int64(20, 7);
            }

            return attribute.ToArray();
        }
    }

    /// <summary>One protobuf message, fields appended in the order written; nested messages go in as bytes.</summary>
    private sealed class Message
    {
        private readonly MemoryStream _bytes = new();
        private readonly CodedOutputStream _out;

        public Message() => _out = new CodedOutputStream(_bytes, leaveOpen: true);

        public Message Int64(int field, long value)
        {
            _out.WriteTag(field, WireFormat.WireType.Varint);
            _out.WriteInt64(value);
            return this;
        }

        public Message Float(int field, float value)
        {
            _out.WriteTag(field, WireFormat.WireType.Fixed32);
            _out.WriteFloat(value);
            return this;
        }

        public Message String(int field, string value)
        {
            _out.WriteTag(field, WireFormat.WireType.LengthDelimited);
            _out.WriteString(value);
            return this;
        }

        public Message Bytes(int field, ReadOnlySpan<byte> value)
        {
            _out.WriteTag(field, WireFormat.WireType.LengthDelimited);
            _out.WriteBytes(ByteString.CopyFrom(value));
            return this;
        }

        public Message Nested(int field, byte[] message) => Bytes(field, message);

        public byte[] ToArray()
        {
            _out.Flush();
            return _bytes.ToArray();
        }
    }
}
