namespace Aigc.Platform.Data;

/// <summary>One generated image of a job; (JobId, Index) is unique, so an image is recorded exactly once.</summary>
public class Blueprint
{
    public Guid Id { get; set; }

    public Guid JobId { get; set; }

    public GenerationJob? Job { get; set; }

    public int Index { get; set; }

    public long Seed { get; set; }

    public required string ConditionsJson { get; set; }

    public required string FileSha256 { get; set; }

    public string? ThumbnailSha256 { get; set; }

    public required string ContentType { get; set; }

    public int Width { get; set; }

    public int Height { get; set; }

    public long FileBytes { get; set; }

    public DateTime CreatedAt { get; set; }
}
