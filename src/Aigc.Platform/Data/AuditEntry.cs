namespace Aigc.Platform.Data;

/// <summary>One administrative change: who did what to whom, and when. Rows are never updated.</summary>
public class AuditEntry
{
    public long Id { get; set; }

    public DateTime At { get; set; }

    public string? ActorId { get; set; }

    public required string ActorName { get; set; }

    public required string Action { get; set; }

    public string? TargetId { get; set; }

    public string? TargetName { get; set; }

    public string? Details { get; set; }
}
