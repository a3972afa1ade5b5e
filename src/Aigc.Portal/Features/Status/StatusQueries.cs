using Aigc.Platform.Data;
using Aigc.Platform.Models;
using Aigc.Platform.Queue;
using Microsoft.EntityFrameworkCore;

namespace Aigc.Portal.Features.Status;

/// <summary>What the admin status page shows: the queue of record, the worker's recent figures, the device and the loaded models.</summary>
public static class StatusQueries
{
    /// <remarks>Queue depth and the worker's figures come from the objects the meters read (decision 0018).</remarks>
    public static async Task<PortalStatus> ReadAsync(
        PortalDbContext db, QueueDepthReader queue, QueueMetrics metrics, ModelInference inference, CancellationToken cancellationToken)
    {
        var depth = await queue.ReadAsync(cancellationToken);
        var device = inference.Status();
        var shas = device.Loaded.Select(l => l.WeightsSha256).ToList();
        var names = await db.ModelVersions.AsNoTracking().Where(m => shas.Contains(m.WeightsSha256))
            .ToDictionaryAsync(m => m.WeightsSha256, m => $"{m.Name}@{m.Version}", cancellationToken);
        var loaded = device.Loaded.Select(l => new LoadedVersion(l.WeightsSha256, names.GetValueOrDefault(l.WeightsSha256) ?? "(not registered)", l.EstimatedBytes)).ToList();
        return new PortalStatus(
            depth.Queued, depth.RunningJobs, depth.RunningImagesLeft, metrics.Snapshot(), device, loaded);
    }
}

public sealed record PortalStatus(
    IReadOnlyList<QueueDepth> Queued, int RunningJobs, int RunningImagesLeft, QueueMetricsSnapshot Metrics, DeviceStatus Device, IReadOnlyList<LoadedVersion> Loaded);

public sealed record LoadedVersion(string WeightsSha256, string Label, long EstimatedBytes);
