using System.Runtime.CompilerServices;
using Aigc.Platform.Data;
using Aigc.Platform.Telemetry;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Aigc.Platform.Queue;

/// <summary>
/// Reads a job's progress from the queue of record and follows it until the job ends: woken at once by this
/// process's worker, and by polling for workers in other processes. Another user's job reads as null (admins see all).
/// </summary>
public sealed class JobProgressFeed(
    IDbContextFactory<PortalDbContext> databases, QueueSignal signal, QueueMetrics metrics, LiveConnections live,
    IOptions<QueueOptions> options, TimeProvider clock)
{
    private static readonly JobStatus[] Pending = [JobStatus.Queued, JobStatus.Running];

    private readonly TimeSpan _snapshotMaxAge = TimeSpan.FromMilliseconds(options.Value.IdlePollMilliseconds / 4.0);
    private readonly Lock _gate = new();
    private SharedSnapshot? _snapshot;

    public async Task<JobProgress?> ReadAsync(Guid jobId, Requester requester, CancellationToken cancellationToken = default)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var job = await db.GenerationJobs.AsNoTracking()
            .SingleOrDefaultAsync(j => j.Id == jobId && (requester.IsAdmin || j.UserId == requester.UserId), cancellationToken);
        return job is null ? null : await ProgressAsync(db, job, cancellationToken);
    }

    /// <summary>The progress of a job row the caller has just read or written, access already decided: the row is not read again.</summary>
    public async Task<JobProgress> ReadAsync(GenerationJob job, CancellationToken cancellationToken = default)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        return await ProgressAsync(db, job, cancellationToken);
    }

    private async Task<JobProgress> ProgressAsync(PortalDbContext db, GenerationJob job, CancellationToken cancellationToken)
    {
        // Images and the count of them are stored in one transaction: a job with none done has none to read.
        var images = job.ImagesDone == 0 ? [] : await ImagesAsync(db, job.Id, cancellationToken);
        var ahead = job.Status == JobStatus.Queued ? await ImagesAheadAsync(db, job, cancellationToken) : (int?)null;
        return new JobProgress(job.Id, job.Status, job.Count, job.ImagesDone, ahead, Eta(job.Status, ahead, job.Count - job.ImagesDone),
            job.Error, job.StartedAt, job.CompletedAt, images);
    }

    /// <summary>
    /// Yields the job's progress now and again whenever status, images done or position change, ending after the
    /// final state. Yields nothing for a job the requester may not see.
    /// </summary>
    public async IAsyncEnumerable<JobProgress> WatchAsync(Guid jobId, Requester requester, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var poll = TimeSpan.FromMilliseconds(options.Value.IdlePollMilliseconds);
        // Every live progress view (the API's and the Studio's event streams) follows a job through here.
        using var stream = live.StreamOpened();
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
            var current = await ReadWatchedAsync(jobId, requester, last, cancellationToken);
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

    /// <summary>
    /// A watcher's reading: a pending job's from the shared snapshot, its images read only when their number changed,
    /// and then only those it has not seen yet; any other job (ended, another user's, queued after the snapshot)
    /// straight from the database.
    /// </summary>
    private async Task<JobProgress?> ReadWatchedAsync(Guid jobId, Requester requester, JobProgress? last, CancellationToken cancellationToken)
    {
        var snapshot = await SnapshotAsync(cancellationToken);
        if (snapshot.Find(jobId) is not { } job || !(requester.IsAdmin || job.UserId == requester.UserId))
            return await ReadAsync(jobId, requester, cancellationToken);

        IReadOnlyList<StoredImage> images = [];
        if (last is not null && last.ImagesDone == job.ImagesDone)
            images = last.Images;
        else if (job.ImagesDone > 0)
        {
            await using var db = await databases.CreateDbContextAsync(cancellationToken);
            images = await ImagesAfterAsync(db, jobId, last?.Images ?? [], job.ImagesDone, cancellationToken);
        }

        var ahead = job.Status == JobStatus.Queued ? snapshot.ImagesAhead(job) : (int?)null;
        return new JobProgress(job.Id, job.Status, job.Count, job.ImagesDone, ahead, Eta(job.Status, ahead, job.Count - job.ImagesDone),
            job.Error, job.StartedAt, null, images);
    }

    /// <summary>
    /// Every stored batch wakes every watcher, and a queued job's position depends on all jobs ahead of it: the
    /// watchers woken by one pulse share one reading of the pending jobs instead of querying one by one. A reading is
    /// reused while no pulse came after it began (see <see cref="QueueSignal.Version"/>), and for a quarter of the
    /// poll interval at most, so that workers of other processes are still seen by polling.
    /// </summary>
    private Task<QueueSnapshot> SnapshotAsync(CancellationToken cancellationToken)
    {
        var version = signal.Version;
        var now = clock.GetTimestamp();
        SharedSnapshot shared;
        lock (_gate)
        {
            var last = _snapshot;
            if (last is null || last.Version < version || clock.GetElapsedTime(last.Started, now) > _snapshotMaxAge
                || last.Reading.IsValueCreated && (last.Reading.Value.IsFaulted || last.Reading.Value.IsCanceled))
                _snapshot = last = new SharedSnapshot(version, now, new Lazy<Task<QueueSnapshot>>(ReadSnapshotAsync));
            shared = last;
        }

        // Outside the lock: SQLite runs the query on the calling thread; the others wait for the same reading.
        return shared.Reading.Value.WaitAsync(cancellationToken);
    }

    // Shared by several watchers, so no one watcher's cancellation may abandon it.
    private async Task<QueueSnapshot> ReadSnapshotAsync()
    {
        await using var db = await databases.CreateDbContextAsync();
        return await QueueSnapshot.ReadAsync(db, CancellationToken.None);
    }

    /// <summary>
    /// The images of a job after those already <paramref name="known"/>. Workers store a job's images in index order,
    /// so a watcher reads only the indices above the last it has, and all of them again only when those come short of
    /// <paramref name="done"/> (some were stored out of order). A 64-image job watched batch by batch then reads each
    /// row once instead of all rows so far on every batch.
    /// </summary>
    private static async Task<IReadOnlyList<StoredImage>> ImagesAfterAsync(
        PortalDbContext db, Guid jobId, IReadOnlyList<StoredImage> known, int done, CancellationToken cancellationToken)
    {
        if (known.Count == 0)
            return await ImagesAsync(db, jobId, cancellationToken);
        var after = known[^1].Index;
        var added = await db.Blueprints.AsNoTracking().Where(b => b.JobId == jobId && b.Index > after).OrderBy(b => b.Index)
            .Select(b => new StoredImage(b.Id, b.Index, b.Seed)).ToListAsync(cancellationToken);
        return known.Count + added.Count >= done ? [.. known, .. added] : await ImagesAsync(db, jobId, cancellationToken);
    }

    private static Task<List<StoredImage>> ImagesAsync(PortalDbContext db, Guid jobId, CancellationToken cancellationToken) =>
        db.Blueprints.AsNoTracking().Where(b => b.JobId == jobId).OrderBy(b => b.Index)
            .Select(b => new StoredImage(b.Id, b.Index, b.Seed)).ToListAsync(cancellationToken);

    private TimeSpan? Eta(JobStatus status, int? ahead, int remaining) =>
        status is JobStatus.Queued or JobStatus.Running && metrics.RecentImagesPerSecond is { } rate
            ? TimeSpan.FromSeconds(((ahead ?? 0) + remaining) / rate)
            : null;

    private sealed record SharedSnapshot(long Version, long Started, Lazy<Task<QueueSnapshot>> Reading);

    /// <summary>Images queued or running ahead of a queued job, all users together (earlier priority class, or same class and older).</summary>
    internal static Task<int> ImagesAheadAsync(PortalDbContext db, GenerationJob job, CancellationToken cancellationToken) =>
        db.GenerationJobs
            .Where(j => Pending.Contains(j.Status) && (j.Priority < job.Priority || (j.Priority == job.Priority && j.CreatedAt < job.CreatedAt)))
            .SumAsync(j => j.Count - j.ImagesDone, cancellationToken);
}
