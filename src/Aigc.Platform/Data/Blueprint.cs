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

    /// <summary>The job's author, copied here so gallery filters and access checks need no join.</summary>
    public string OwnerId { get; set; } = "";

    /// <summary>The job's model weights hash, copied for the model facet.</summary>
    public string ModelSha256 { get; set; } = "";

    /// <summary>The job's post-processing preset, copied for the lightbox and "open in Studio".</summary>
    public string Preset { get; set; } = "";

    public string? Note { get; set; }

    /// <summary>Set by a (soft) delete; the purge removes the row after the retention, undo clears it.</summary>
    public DateTime? DeletedAt { get; set; }

    public List<BlueprintTag> Tags { get; set; } = [];
}
