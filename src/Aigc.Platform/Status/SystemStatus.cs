using System.Security.Claims;
using Aigc.Generation.Inference;
using Aigc.Platform.Accounts;
using Aigc.Platform.Data;
using Aigc.Platform.Models;
using Aigc.Platform.Queue;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Aigc.Platform.Status;

/// <summary>A generator in the device's memory, by the label of its registered version.</summary>
public sealed record LoadedVersion(string WeightsSha256, string Label, long EstimatedBytes);

/// <summary>The inference device: its name, how busy it was over the recent window, the model cache's use.</summary>
public sealed record DeviceFigures(string Name, double BusyFraction, TimeSpan Window, long Passes,
    long ImagesGenerated, long UsedBytes, long CapacityBytes);

/// <summary>Everything Admin › Status shows, read at one moment.</summary>
public sealed record PortalStatus(
    IReadOnlyList<QueueDepth> Queued, int RunningJobs, int RunningImagesLeft, QueueMetricsSnapshot Metrics,
    DeviceFigures Device, IReadOnlyList<LoadedVersion> Loaded, IReadOnlyList<WorkerRecord> Workers);

/// <summary>
/// The one source of the admins' status figures: the queue of record, the worker's recent figures, the device,
/// the loaded models and the workers alive. Singleton with short units of work, so a live page may ask every few seconds.
/// </summary>
public sealed class SystemStatus(IDbContextFactory<PortalDbContext> contexts, QueueDepthReader queue,
    QueueMetrics metrics, IInferenceDevice device, LoadedModels loaded, QueueSignal signal,
    IOptions<QueueOptions> queueOptions, TimeProvider clock)
{
    /// <summary>The device's load is reported over this window.</summary>
    public static readonly TimeSpan LoadWindow = TimeSpan.FromSeconds(10);

    /// <summary>Completes when the queue changes in this process (a job queued, a batch stored, a job ended).</summary>
    public Task NextChange => Task.WhenAny(signal.NextQueued, signal.NextProgressed);

    public async Task<PortalStatus> ReadAsync(ClaimsPrincipal admin, CancellationToken cancellationToken = default)
    {
        PortalRoles.DemandAdmin(admin, "read the system status");
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        // The same reading the queue-depth gauges give (decision 0018): one source of numbers.
        var depth = await queue.ReadAsync(cancellationToken);

        var load = device.LoadOver(LoadWindow);
        var inMemory = loaded.Snapshot();
        var shas = inMemory.Select(l => l.WeightsSha256).ToList();
        var names = await db.ModelVersions.AsNoTracking().Where(m => shas.Contains(m.WeightsSha256))
            .ToDictionaryAsync(m => m.WeightsSha256, m => $"{m.Name}@{m.Version}", cancellationToken);
        var versions = inMemory
            .Select(l => new LoadedVersion(l.WeightsSha256, names.GetValueOrDefault(l.WeightsSha256) ?? "",
                l.EstimatedBytes))
            .ToList();
        var figures = new DeviceFigures(device.Name, load.BusyFraction, load.Window, load.Passes, load.ImagesGenerated,
            loaded.UsedBytes, loaded.CapacityBytes);
        // Every worker process on this database (in portals and `aigc worker`), alive within three heartbeats.
        var workers = await new WorkerRoster(db, queueOptions, clock).ListAsync(cancellationToken);
        return new PortalStatus(depth.Queued, depth.RunningJobs, depth.RunningImagesLeft, metrics.Snapshot(), figures,
            versions, workers);
    }
}
