namespace Aigc.Imaging.Pipeline;

/// <summary>The encoded result of a pipeline run, with its WebP thumbnail when the preset has a thumbnail step.</summary>
public sealed record ProcessedImage(byte[] Bytes, ImageFormat Format, int Width, int Height, byte[]? Thumbnail)
{
    public string ContentType => Format switch
    {
        ImageFormat.Png => "image/png",
        ImageFormat.Jpeg => "image/jpeg",
        _ => "image/webp",
    };

    public string Extension => Format switch
    {
        ImageFormat.Png => ".png",
        ImageFormat.Jpeg => ".jpg",
        _ => ".webp",
    };
}
