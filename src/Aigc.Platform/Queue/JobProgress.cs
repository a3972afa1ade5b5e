using Aigc.Platform.Data;

namespace Aigc.Platform.Queue;

/// <summary>
/// A job as its owner sees it while it runs: status, images done, images ahead of it in the queue (only while
/// queued), the expected time to completion, when it started and ended (UTC, as stored), and the images stored so far in index order.
/// </summary>
public sealed record JobProgress(
    Guid JobId,
    JobStatus Status,
    int Count,
    int ImagesDone,
    int? ImagesAhead,
    TimeSpan? Eta,
    string? Error,
    DateTime? StartedAt,
    DateTime? CompletedAt,
    IReadOnlyList<StoredImage> Images)
{
    public bool IsFinal => Status is JobStatus.Completed or JobStatus.Failed or JobStatus.Cancelled;
}

/// <summary>One stored image of a job: the blueprint's id, its index in the job and its seed.</summary>
public sealed record StoredImage(Guid BlueprintId, int Index, long Seed);
