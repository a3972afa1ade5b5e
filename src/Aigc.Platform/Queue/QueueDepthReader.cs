using Aigc.Platform.Data;
using Microsoft.EntityFrameworkCore;

namespace Aigc.Platform.Queue;

/// <summary>
/// Jobs and images queued and running, per priority, from the queue of record: the one reading behind Admin › Status
/// and the queue-depth meters. Gauges are read synchronously and several at a time: they share a reading for a second.
/// </summary>
public sealed class QueueDepthReader(IDbContextFactory<PortalDbContext> databases, TimeProvider clock)
{
    private static readonly TimeSpan Fresh = TimeSpan.FromSeconds(1);

    private readonly Lock _gate = new();
    private (QueueDepthReading Reading, long At)? _last;

    public async Task<QueueDepthReading> ReadAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        return Remember(QueueDepthReading.Of(await Query(db).ToListAsync(cancellationToken)));
    }

    /// <summary>For gauge callbacks, which cannot await: the last reading while it is fresh, else a new one.</summary>
    public QueueDepthReading Current()
    {
        lock (_gate)
        {
            if (_last is { } last && clock.GetElapsedTime(last.At) < Fresh)
                return last.Reading;
        }

        using var db = databases.CreateDbContext();
        return Remember(QueueDepthReading.Of(Query(db).ToList()));
    }

    private QueueDepthReading Remember(QueueDepthReading reading)
    {
        lock (_gate)
            _last = (reading, clock.GetTimestamp());
        return reading;
    }

    private static IQueryable<DepthRow> Query(PortalDbContext db) =>
        db.GenerationJobs.AsNoTracking()
            .Where(j => j.Status == JobStatus.Queued || j.Status == JobStatus.Running)
            .GroupBy(j => new { j.Status, j.Priority })
            .Select(g => new DepthRow(g.Key.Status, g.Key.Priority, g.Count(), g.Sum(j => j.Count - j.ImagesDone)));
}

/// <summary>Queued and running work per priority (every priority present, zero when idle).</summary>
public sealed record QueueDepthReading(IReadOnlyList<QueueDepth> Queued, IReadOnlyList<QueueDepth> Running)
{
    public int RunningJobs => Running.Sum(d => d.Jobs);

    public int RunningImagesLeft => Running.Sum(d => d.Images);

    internal static QueueDepthReading Of(IReadOnlyList<DepthRow> rows) =>
        new(PerPriority(rows, JobStatus.Queued), PerPriority(rows, JobStatus.Running));

    private static List<QueueDepth> PerPriority(IReadOnlyList<DepthRow> rows, JobStatus status) =>
        Enum.GetValues<JobPriority>()
            .Select(p => rows.SingleOrDefault(r => r.Status == status && r.Priority == p) is { } r
                ? new QueueDepth(p, r.Jobs, r.Images)
                : new QueueDepth(p, 0, 0))
            .ToList();
}

/// <summary>Jobs of one priority and the images they have left.</summary>
public sealed record QueueDepth(JobPriority Priority, int Jobs, int Images);

internal sealed record DepthRow(JobStatus Status, JobPriority Priority, int Jobs, int Images);
