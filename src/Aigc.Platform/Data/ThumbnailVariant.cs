namespace Aigc.Platform.Data;

/// <summary>A thumbnail size derived from an image on first request and kept in the blob store: image hash + size → blob.</summary>
public class ThumbnailVariant
{
    public required string FileSha256 { get; set; }

    public int Size { get; set; }

    public required string Sha256 { get; set; }
}
