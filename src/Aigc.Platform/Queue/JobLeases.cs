using Aigc.Platform.Data;
using Microsoft.EntityFrameworkCore;

namespace Aigc.Platform.Queue;

/// <summary>
/// The worker side of the queue of record. Every state change is one conditional UPDATE (status, lease owner,
/// expiry in its WHERE clause), which is atomic on SQLite and PostgreSQL alike: two workers never both claim a
/// job, and a worker that lost its lease (or whose job was cancelled) can no longer record images for it. A claim
/// picks what fits the worker's room from the oldest claimable jobs (<see cref="ClaimRoom"/>, decision 0009); on
/// PostgreSQL one statement then takes them, locking with FOR UPDATE SKIP LOCKED, so workers on other machines
/// claiming at the same moment take different jobs instead of racing for the same rows (decision 0016).
/// What counts against a job is decision 0019's: its own failures (<c>maxAttempts</c>), lost workers
/// (<c>maxLeaseLosses</c>) and infrastructure faults (<c>maxInfrastructureRetries</c>) each have their own limit.
/// </summary>
/// <param name="workerGoneAfter">
/// When set, a running job whose worker's last heartbeat (Workers table) is older than this is abandoned like one
/// whose lease expired, so a dead worker's jobs return without waiting out the lease. Null: leases only.
/// </param>
public sealed class JobLeases(
    IDbContextFactory<PortalDbContext> databases, string owner, TimeSpan lease, int maxAttempts, TimeProvider clock,
    int maxLeaseLosses = 5, int maxInfrastructureRetries = 10, TimeSpan? workerGoneAfter = null)
{
    private DateTime? _extendedAt;

    public string Owner { get; } = owner;

    /// <summary>
    /// Fails jobs whose worker was lost <c>maxLeaseLosses</c> times, then claims up to <paramref name="max"/> jobs
    /// that are queued or whose lease expired, interactive first, users in turns, oldest first. Taking a job over from
    /// a lost worker counts a lease loss, not an attempt: the lost run's attempt becomes this run's.
    /// </summary>
    public Task<List<ClaimedJob>> ClaimAsync(int max, CancellationToken cancellationToken = default) =>
        ClaimAsync(ClaimRoom.ForJobs(max), cancellationToken);

    /// <summary>
    /// As <see cref="ClaimAsync(int, CancellationToken)"/>, taking users in turns and only what fits the room
    /// (<see cref="ClaimRoom.Choose"/>).
    /// </summary>
    public async Task<List<ClaimedJob>> ClaimAsync(ClaimRoom room, CancellationToken cancellationToken = default)
    {
        if (room.Jobs <= 0)
            return [];
        var now = Now();
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var goneBefore = GoneBefore(now);
        await db.GenerationJobs
            .Where(j => j.Status == JobStatus.Running && j.LeaseLosses + 1 >= maxLeaseLosses
                && (j.LeaseExpiresAt < now || db.Workers.Any(w => w.Id == j.LeaseOwner && w.HeartbeatAt < goneBefore)))
            .ExecuteUpdateAsync(s => s
                .SetProperty(j => j.Status, JobStatus.Failed)
                .SetProperty(j => j.FailureCause, FailureCause.WorkerLost)
                .SetProperty(j => j.Error,
                    $"The worker running this job stopped {maxLeaseLosses} times without finishing it (lease expired "
                    + "or heartbeat lost); giving up in case the job itself stops them. If they were stopped for "
                    + "another reason (restarts, a power cut), retry it.")
                .SetProperty(j => j.CompletedAt, now)
                .SetProperty(j => j.LeaseOwner, (string?)null)
                .SetProperty(j => j.LeaseExpiresAt, (DateTime?)null), cancellationToken);

        var candidates = await Claimable(db, now, goneBefore)
            .OrderBy(j => j.Priority).ThenBy(j => j.CreatedAt)
            .Take(Math.Max(room.Jobs, ClaimRoom.CandidateWindow))
            .Select(j => new ClaimCandidate(j.Id, j.UserId, j.Priority, j.CreatedAt, j.Count - j.ImagesDone))
            .ToListAsync(cancellationToken);
        var chosen = room.Choose(candidates);
        if (chosen.Count == 0)
            return [];
        var expiry = now + lease;
        var claimed = db.Database.IsNpgsql()
            ? await ClaimSkippingLockedAsync(db, chosen, now, expiry, goneBefore, cancellationToken)
            : await ClaimOneByOneAsync(db, chosen, now, expiry, goneBefore, cancellationToken);
        if (claimed.Count == 0)
            return [];
        var jobs = await db.GenerationJobs.AsNoTracking().Where(j => claimed.Contains(j.Id))
            .ToListAsync(cancellationToken);
        var done = await db.Blueprints.Where(b => claimed.Contains(b.JobId)).Select(b => new { b.JobId, b.Index })
            .ToListAsync(cancellationToken);
        return jobs.OrderBy(j => j.Priority).ThenBy(j => j.CreatedAt)
            .Select(j => new ClaimedJob(j, done.Where(d => d.JobId == j.Id).Select(d => d.Index).ToHashSet()))
            .ToList();
    }

    /// <summary>Queued jobs, and running ones whose lease expired or whose worker stopped beating.</summary>
    private static IQueryable<GenerationJob> Claimable(PortalDbContext db, DateTime now, DateTime goneBefore) =>
        db.GenerationJobs.Where(j => j.Status == JobStatus.Queued || (j.Status == JobStatus.Running
            && (j.LeaseExpiresAt < now || db.Workers.Any(w => w.Id == j.LeaseOwner && w.HeartbeatAt < goneBefore))));

    /// <summary>SQLite (one writer at a time): takes each chosen job with a conditional UPDATE.</summary>
    private async Task<List<Guid>> ClaimOneByOneAsync(PortalDbContext db, List<Guid> chosen, DateTime now,
        DateTime expiry, DateTime goneBefore, CancellationToken cancellationToken)
    {
        var claimed = new List<Guid>();
        foreach (var id in chosen)
        {
            var won = await Claimable(db, now, goneBefore).Where(j => j.Id == id)
                .ExecuteUpdateAsync(s => s
                    .SetProperty(j => j.Status, JobStatus.Running)
                    .SetProperty(j => j.LeaseOwner, Owner)
                    .SetProperty(j => j.LeaseExpiresAt, expiry)
                    .SetProperty(j => j.Attempts, j => j.Status == JobStatus.Running ? j.Attempts : j.Attempts + 1)
                    .SetProperty(j => j.LeaseLosses,
                        j => j.Status == JobStatus.Running ? j.LeaseLosses + 1 : j.LeaseLosses)
                    .SetProperty(j => j.StartedAt, j => j.StartedAt ?? now), cancellationToken);
            if (won == 1)
                claimed.Add(id);
        }

        return claimed;
    }

    /// <summary>
    /// PostgreSQL: one statement locks those of the chosen jobs that are still claimable and that no other
    /// transaction holds (SKIP LOCKED), and takes them; a row another worker is taking is passed over, not waited for.
    /// The statuses are the enum's stored names.
    /// </summary>
    private Task<List<Guid>> ClaimSkippingLockedAsync(PortalDbContext db, List<Guid> chosen, DateTime now,
        DateTime expiry, DateTime goneBefore, CancellationToken cancellationToken) =>
        db.Database.SqlQuery<Guid>(
            $"""
            UPDATE "GenerationJobs" AS j
            SET "Status" = 'Running', "LeaseOwner" = {Owner}, "LeaseExpiresAt" = {expiry},
                "Attempts" = CASE WHEN j."Status" = 'Running' THEN j."Attempts" ELSE j."Attempts" + 1 END,
                "LeaseLosses" = CASE WHEN j."Status" = 'Running' THEN j."LeaseLosses" + 1 ELSE j."LeaseLosses" END,
                "StartedAt" = coalesce(j."StartedAt", {now})
            WHERE j."Id" IN (
                SELECT c."Id" FROM "GenerationJobs" AS c
                WHERE c."Id" = ANY({chosen.ToArray()})
                    AND (c."Status" = 'Queued' OR (c."Status" = 'Running' AND (c."LeaseExpiresAt" < {now}
                        OR EXISTS (SELECT 1 FROM "Workers" AS w
                            WHERE w."Id" = c."LeaseOwner" AND w."HeartbeatAt" < {goneBefore}))))
                FOR UPDATE SKIP LOCKED)
            RETURNING j."Id" AS "Value"
            """).ToListAsync(cancellationToken);

    /// <summary>
    /// Returns the jobs of these that this worker still owns and that still run (not cancelled, not taken over), and
    /// extends their leases once a sixth of a lease has passed since it last did: the check runs before every batch,
    /// the write only then. The worker passes every job it holds, each claimed or extended since, so a lease it holds
    /// always has five sixths of its length left at the check: a stall of that long loses nothing.
    /// </summary>
    public async Task<HashSet<Guid>> RenewAsync(
        IReadOnlyCollection<Guid> jobs, CancellationToken cancellationToken = default)
    {
        if (jobs.Count == 0)
            return [];
        var now = Now();
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        if (_extendedAt is not { } last || now - last >= lease / 6)
        {
            var expiry = now + lease;
            await Held(db).Where(j => jobs.Contains(j.Id))
                .ExecuteUpdateAsync(s => s.SetProperty(j => j.LeaseExpiresAt, expiry), cancellationToken);
            _extendedAt = now;
        }

        var alive = await Held(db).Where(j => jobs.Contains(j.Id)).Select(j => j.Id).ToListAsync(cancellationToken);
        return alive.ToHashSet();
    }

    /// <summary>
    /// Records finished images of one job in one transaction, completing the job with its last image. Returns NotOwned,
    /// recording nothing, when this worker no longer owns the running job (cancelled, or its lease was taken over).
    /// </summary>
    public async Task<StoreOutcome> StoreAsync(
        Guid jobId, IReadOnlyList<Blueprint> images, CancellationToken cancellationToken = default) =>
        (await StoreAsync([new JobImages(jobId, images)], cancellationToken))[jobId];

    /// <summary>
    /// Records finished images of several jobs in one transaction, each as the single-job overload would: a job this
    /// worker no longer owns records nothing and the others are recorded all the same. All or none of it is committed.
    /// </summary>
    public async Task<IReadOnlyDictionary<Guid, StoreOutcome>> StoreAsync(
        IReadOnlyList<JobImages> jobs, CancellationToken cancellationToken = default)
    {
        if (jobs.DistinctBy(j => j.JobId).Count() != jobs.Count)
            throw new ArgumentException(
                "Each job's images are stored in one piece: a job appears more than once.", nameof(jobs));
        var now = Now();
        var outcomes = new Dictionary<Guid, StoreOutcome>(jobs.Count);
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        foreach (var (jobId, images) in jobs)
        {
            var count = images.Count;
            // One statement counts the images and ends the job with its last ones (SET reads the row as it was).
            var owned = await Held(db).Where(j => j.Id == jobId)
                .ExecuteUpdateAsync(s => s
                    .SetProperty(j => j.ImagesDone, j => j.ImagesDone + count)
                    .SetProperty(j => j.Status, j => j.ImagesDone + count >= j.Count ? JobStatus.Completed : j.Status)
                    .SetProperty(j => j.CompletedAt, j => j.ImagesDone + count >= j.Count ? now : j.CompletedAt)
                    .SetProperty(j => j.LeaseOwner, j => j.ImagesDone + count >= j.Count ? null : j.LeaseOwner)
                    .SetProperty(j => j.LeaseExpiresAt, j => j.ImagesDone + count >= j.Count ? null : j.LeaseExpiresAt),
                    cancellationToken);
            outcomes[jobId] = owned == 0 ? StoreOutcome.NotOwned : StoreOutcome.Stored;
            if (owned != 0)
                db.Blueprints.AddRange(images);
        }

        var stored = outcomes.Where(o => o.Value == StoreOutcome.Stored).Select(o => o.Key).ToList();
        if (stored.Count > 0)
        {
            await db.SaveChangesAsync(cancellationToken);
            var completed = await db.GenerationJobs.Where(j => stored.Contains(j.Id) && j.Status == JobStatus.Completed)
                .Select(j => j.Id).ToListAsync(cancellationToken);
            foreach (var id in completed)
                outcomes[id] = StoreOutcome.Completed;
        }

        await transaction.CommitAsync(cancellationToken);
        return outcomes;
    }

    /// <summary>
    /// After an infrastructure fault (storage or the database failing, decision 0019): hands every job this worker
    /// holds back to the queue without spending an attempt. The jobs the fault hit count an infrastructure retry and
    /// keep the reason as their error; a job out of those retries fails with it, marked as an infrastructure failure
    /// that its owner may retry.
    /// </summary>
    public async Task HandBackAsync(
        IReadOnlyCollection<Guid> faulted, string reason, CancellationToken cancellationToken = default)
    {
        var now = Now();
        var error = Shorten(reason);
        var final = Shorten($"Storage or the database failed {maxInfrastructureRetries} times while this job ran; "
            + $"the last error: {reason}");
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var mine = Held(db);
        await mine.Where(j => faulted.Contains(j.Id) && j.InfrastructureRetries + 1 >= maxInfrastructureRetries)
            .ExecuteUpdateAsync(s => s
                .SetProperty(j => j.Status, JobStatus.Failed)
                .SetProperty(j => j.FailureCause, FailureCause.Infrastructure)
                .SetProperty(j => j.InfrastructureRetries, j => j.InfrastructureRetries + 1)
                .SetProperty(j => j.Error, final)
                .SetProperty(j => j.CompletedAt, now)
                .SetProperty(j => j.LeaseOwner, (string?)null)
                .SetProperty(j => j.LeaseExpiresAt, (DateTime?)null), cancellationToken);
        await mine.Where(j => faulted.Contains(j.Id))
            .ExecuteUpdateAsync(s => s
                .SetProperty(j => j.Status, JobStatus.Queued)
                .SetProperty(j => j.Attempts, j => j.Attempts - 1)
                .SetProperty(j => j.InfrastructureRetries, j => j.InfrastructureRetries + 1)
                .SetProperty(j => j.Error, error)
                .SetProperty(j => j.LeaseOwner, (string?)null)
                .SetProperty(j => j.LeaseExpiresAt, (DateTime?)null), cancellationToken);
        await ReleaseAsync(mine, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>
    /// A job that failed here goes back to the queue while it has attempts left, else ends failed with the reason.
    /// </summary>
    public async Task FailAsync(Guid jobId, string reason, bool retry, CancellationToken cancellationToken = default)
    {
        var now = Now();
        var error = Shorten(reason);
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var mine = Held(db).Where(j => j.Id == jobId);
        var requeued = retry
            ? await mine.Where(j => j.Attempts < maxAttempts).ExecuteUpdateAsync(s => s
                .SetProperty(j => j.Status, JobStatus.Queued)
                .SetProperty(j => j.Error, error)
                .SetProperty(j => j.LeaseOwner, (string?)null)
                .SetProperty(j => j.LeaseExpiresAt, (DateTime?)null), cancellationToken)
            : 0;
        if (requeued == 0)
        {
            await mine.ExecuteUpdateAsync(s => s
                .SetProperty(j => j.Status, JobStatus.Failed)
                .SetProperty(j => j.FailureCause, FailureCause.Job)
                .SetProperty(j => j.Error, error)
                .SetProperty(j => j.CompletedAt, now)
                .SetProperty(j => j.LeaseOwner, (string?)null)
                .SetProperty(j => j.LeaseExpiresAt, (DateTime?)null), cancellationToken);
        }
    }

    /// <summary>On a graceful stop: hands this worker's jobs back to the queue without spending an attempt.</summary>
    public async Task ReleaseAllAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        await ReleaseAsync(Held(db), cancellationToken);
    }

    private static Task<int> ReleaseAsync(IQueryable<GenerationJob> jobs, CancellationToken cancellationToken) =>
        jobs.ExecuteUpdateAsync(s => s
            .SetProperty(j => j.Status, JobStatus.Queued)
            .SetProperty(j => j.Attempts, j => j.Attempts - 1)
            .SetProperty(j => j.LeaseOwner, (string?)null)
            .SetProperty(j => j.LeaseExpiresAt, (DateTime?)null), cancellationToken);

    private static string Shorten(string error) => error.Length > 2000 ? error[..2000] : error;

    private DateTime Now() => clock.GetUtcNow().UtcDateTime;

    /// <summary>Workers whose last heartbeat is before this are gone (none when heartbeats are not used).</summary>
    private DateTime GoneBefore(DateTime now) =>
        workerGoneAfter is { } gone ? now - gone : DateTime.SpecifyKind(DateTime.MinValue, DateTimeKind.Utc);

    /// <summary>The jobs this worker runs; a write through it misses one whose lease was lost or that ended.</summary>
    private IQueryable<GenerationJob> Held(PortalDbContext db) =>
        db.GenerationJobs.Where(j => j.LeaseOwner == Owner && j.Status == JobStatus.Running);
}

/// <summary>Finished images of one job, to be recorded together.</summary>
public sealed record JobImages(Guid JobId, IReadOnlyList<Blueprint> Images);

/// <summary>A job this worker holds, with the image indices already recorded (by an earlier, lost worker).</summary>
public sealed record ClaimedJob(GenerationJob Job, IReadOnlySet<int> DoneIndices);

public enum StoreOutcome
{
    Stored,
    Completed,
    NotOwned,
}
