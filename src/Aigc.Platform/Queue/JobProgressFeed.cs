using System.Runtime.CompilerServices;
using Aigc.Platform.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Aigc.Platform.Queue;

/// <summary>
/// Reads a job's progress from the queue of record and follows it until the job ends: woken at once by this
/// process's worker, and by polling for workers in other processes. Another user's job reads as null (admins see all).
/// </summary>
public sealed class JobProgressFeed(
    IDbContextFactory<PortalDbContext> databases, QueueSignal signal, QueueMetrics metrics, IOptions<QueueOptions> options, TimeProvider clock)
{
    private static readonly JobStatus[] Pending = [JobStatus.Queued, JobStatus.Running];

    public async Task<JobProgress?> ReadAsync(Guid jobId, Requester requester, CancellationToken cancellationToken = default)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var job = await db.GenerationJobs.AsNoTracking()
            .SingleOrDefaultAsync(j => j.Id == jobId && (requester.IsAdmin || j.UserId == requester.UserId), cancellationToken);
        if (job is null)
            return null;

        // Images and the count of them are stored in one transaction: a job with none done has none to read.
        IReadOnlyList<StoredImage> images = job.ImagesDone == 0
            ? []
            : await db.Blueprints.AsNoTracking().Where(b => b.JobId == jobId).OrderBy(b => b.Index)
                .Select(b => new StoredImage(b.Id, b.Index, b.Seed)).ToListAsync(cancellationToken);
        var ahead = job.Status == JobStatus.Queued ? await ImagesAheadAsync(db, job, cancellationToken) : (int?)null;
        var remaining = job.Count - job.ImagesDone;
        TimeSpan? eta = job.Status is JobStatus.Queued or JobStatus.Running && metrics.RecentImagesPerSecond is { } rate
            ? TimeSpan.FromSeconds(((ahead ?? 0) + remaining) / rate)
            : null;
        return new JobProgress(job.Id, job.Status, job.Count, job.ImagesDone, ahead, eta, job.Error, job.StartedAt, job.CompletedAt, images);
    }

    /// <summary>
    /// Yields the job's progress now and again whenever status, images done or position change, ending after the
    /// final state. Yields nothing for a job the requester may not see.
    /// </summary>
    public async IAsyncEnumerable<JobProgress> WatchAsync(Guid jobId, Requester requester, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var poll = TimeSpan.FromMilliseconds(options.Value.IdlePollMilliseconds);
        try
        {
            await foreach (var progress in WatchUntilFinalAsync(jobId, requester, poll, cancellationToken))
                yield return progress;
        }
        finally
        {
            signal.Forget(jobId);
        }
    }

    private async IAsyncEnumerable<JobProgress> WatchUntilFinalAsync(Guid jobId, Requester requester, TimeSpan poll, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        JobProgress? last = null;
        while (true)
        {
            var wake = signal.NextProgressedFor(jobId);
            var current = await ReadAsync(jobId, requester, cancellationToken);
            if (current is null)
                yield break;
            if (last is null || current.Status != last.Status || current.ImagesDone != last.ImagesDone
                || current.ImagesAhead != last.ImagesAhead || current.Images.Count != last.Images.Count)
            {
                yield return current;
                last = current;
            }

            if (current.IsFinal)
                yield break;
            await QueueSignal.WaitAsync(wake, poll, clock, cancellationToken);
        }
    }

    /// <summary>Images queued or running ahead of a queued job, all users together (earlier priority class, or same class and older).</summary>
    internal static Task<int> ImagesAheadAsync(PortalDbContext db, GenerationJob job, CancellationToken cancellationToken) =>
        db.GenerationJobs
            .Where(j => Pending.Contains(j.Status) && (j.Priority < job.Priority || (j.Priority == job.Priority && j.CreatedAt < job.CreatedAt)))
            .SumAsync(j => j.Count - j.ImagesDone, cancellationToken);
}
