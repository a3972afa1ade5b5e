using Aigc.Platform.Data;
using Microsoft.EntityFrameworkCore;

namespace Aigc.Platform.Queue;

/// <summary>
/// Every queued or running job as of one read, with what a watcher needs of it: enough to answer any pending job's
/// progress, its position included, without a query of its own.
/// </summary>
public sealed class QueueSnapshot(IReadOnlyList<PendingJob> jobs)
{
    private readonly Dictionary<Guid, PendingJob> _byId = jobs.ToDictionary(j => j.Id);

    public PendingJob? Find(Guid jobId) => _byId.GetValueOrDefault(jobId);

    /// <summary>Images queued or running ahead of a job, all users together: the same rule as <see cref="JobProgressFeed.ImagesAheadAsync"/>.</summary>
    public int ImagesAhead(PendingJob job)
    {
        var ahead = 0;
        foreach (var other in jobs)
        {
            if (other.Priority < job.Priority || (other.Priority == job.Priority && other.CreatedAt < job.CreatedAt))
                ahead += other.Count - other.ImagesDone;
        }
        return ahead;
    }

    public static async Task<QueueSnapshot> ReadAsync(PortalDbContext db, CancellationToken cancellationToken)
    {
        var jobs = await db.GenerationJobs.AsNoTracking()
            .Where(j => j.Status == JobStatus.Queued || j.Status == JobStatus.Running)
            .Select(j => new PendingJob(j.Id, j.UserId, j.Status, j.Priority, j.CreatedAt, j.Count, j.ImagesDone, j.StartedAt, j.Error))
            .ToListAsync(cancellationToken);
        return new QueueSnapshot(jobs);
    }
}

/// <summary>A queued or running job in a <see cref="QueueSnapshot"/>.</summary>
public sealed record PendingJob(
    Guid Id, string UserId, JobStatus Status, JobPriority Priority, DateTime CreatedAt, int Count, int ImagesDone, DateTime? StartedAt, string? Error);
