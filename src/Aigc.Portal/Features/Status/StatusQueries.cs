using Aigc.Platform.Data;
using Aigc.Platform.Models;
using Aigc.Platform.Queue;
using Microsoft.EntityFrameworkCore;

namespace Aigc.Portal.Features.Status;

/// <summary>What the admin status page shows: the queue of record, the worker's recent figures, the device and the loaded models.</summary>
public static class StatusQueries
{
    public static async Task<PortalStatus> ReadAsync(PortalDbContext db, QueueMetrics metrics, ModelInference inference, CancellationToken cancellationToken)
    {
        var queued = await db.GenerationJobs.AsNoTracking()
            .Where(j => j.Status == JobStatus.Queued)
            .GroupBy(j => j.Priority)
            .Select(g => new { Priority = g.Key, Jobs = g.Count(), Images = g.Sum(j => j.Count - j.ImagesDone) })
            .ToListAsync(cancellationToken);
        var running = await db.GenerationJobs.AsNoTracking()
            .Where(j => j.Status == JobStatus.Running)
            .GroupBy(j => 1)
            .Select(g => new { Jobs = g.Count(), Images = g.Sum(j => j.Count - j.ImagesDone) })
            .SingleOrDefaultAsync(cancellationToken);
        var depth = Enum.GetValues<JobPriority>()
            .Select(p => queued.SingleOrDefault(q => q.Priority == p) is { } q ? new QueueDepth(p, q.Jobs, q.Images) : new QueueDepth(p, 0, 0))
            .ToList();

        var device = inference.Status();
        var shas = device.Loaded.Select(l => l.WeightsSha256).ToList();
        var names = await db.ModelVersions.AsNoTracking().Where(m => shas.Contains(m.WeightsSha256))
            .ToDictionaryAsync(m => m.WeightsSha256, m => $"{m.Name}@{m.Version}", cancellationToken);
        var loaded = device.Loaded.Select(l => new LoadedVersion(l.WeightsSha256, names.GetValueOrDefault(l.WeightsSha256) ?? "(not registered)", l.EstimatedBytes)).ToList();
        return new PortalStatus(depth, running?.Jobs ?? 0, running?.Images ?? 0, metrics.Snapshot(), device, loaded);
    }
}

public sealed record PortalStatus(
    IReadOnlyList<QueueDepth> Queued, int RunningJobs, int RunningImagesLeft, QueueMetricsSnapshot Metrics, DeviceStatus Device, IReadOnlyList<LoadedVersion> Loaded);

public sealed record QueueDepth(JobPriority Priority, int Jobs, int Images);

public sealed record LoadedVersion(string WeightsSha256, string Label, long EstimatedBytes);
