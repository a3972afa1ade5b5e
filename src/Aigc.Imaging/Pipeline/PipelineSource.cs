namespace Aigc.Imaging.Pipeline;

/// <summary>What a pipeline run starts from: untrusted encoded bytes, a generator tensor, or an image already in hand.</summary>
public abstract record PipelineSource
{
    private PipelineSource() { }

    /// <summary>An encoded PNG/JPEG/WebP, decoded under the configured upload limits.</summary>
    public static PipelineSource FromEncoded(ReadOnlyMemory<byte> bytes) => new Encoded(bytes);

    /// <summary>A CHW float32 tensor in [-1, 1] with 1, 3 or 4 channels.</summary>
    public static PipelineSource FromTensor(ReadOnlyMemory<float> chw, int channels, int height, int width) => new Tensor(chw, channels, height, width);

    /// <summary>An image the caller keeps owning.</summary>
    public static PipelineSource FromImage(VipsImage image) => new Image(image);

    internal VipsImage Open(ImageLimits limits) => this switch
    {
        Encoded e => ImageDecoder.Decode(e.Bytes.Span, limits),
        Tensor t => VipsImage.FromTensor(t.Chw.Span, t.Channels, t.Height, t.Width),
        Image i => i.Value.Apply(native => native.Copy()),
        _ => throw new InvalidOperationException(),
    };

    private sealed record Encoded(ReadOnlyMemory<byte> Bytes) : PipelineSource;

    private sealed record Tensor(ReadOnlyMemory<float> Chw, int Channels, int Height, int Width) : PipelineSource;

    private sealed record Image(VipsImage Value) : PipelineSource;
}
