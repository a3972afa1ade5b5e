using Aigc.Generation.Inference;
using Aigc.Platform.Data;
using Microsoft.EntityFrameworkCore;

namespace Aigc.Platform.Queue;

/// <summary>A worker's reports of itself in the Workers table: who and where it is, what it runs on, how busy it is.</summary>
public sealed class WorkerHeartbeat(IDbContextFactory<PortalDbContext> databases, IInferenceDevice device, TimeProvider clock)
{
    /// <summary>Reports <paramref name="worker"/> alive now with this load; the first report adds its row.</summary>
    public async Task BeatAsync(string worker, int activeJobs, int pendingImages, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var updated = await db.Workers.Where(w => w.Id == worker).ExecuteUpdateAsync(s => s
            .SetProperty(w => w.HeartbeatAt, now)
            .SetProperty(w => w.ActiveJobs, activeJobs)
            .SetProperty(w => w.PendingImages, pendingImages), cancellationToken);
        if (updated == 0)
        {
            db.Workers.Add(new WorkerRecord
            {
                Id = worker,
                Host = Environment.MachineName,
                Device = device.Name.Length > 256 ? device.Name[..256] : device.Name,
                ActiveJobs = activeJobs,
                PendingImages = pendingImages,
                StartedAt = now,
                HeartbeatAt = now,
            });
            await db.SaveChangesAsync(cancellationToken);
            // Rows of workers gone for a day are history nobody reads (their jobs were claimed long since).
            var forgotten = now.AddDays(-1);
            await db.Workers.Where(w => w.HeartbeatAt < forgotten).ExecuteDeleteAsync(cancellationToken);
        }
    }

    /// <summary>A worker that stops gracefully leaves the list at once.</summary>
    public async Task GoneAsync(string worker, CancellationToken cancellationToken = default)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        await db.Workers.Where(w => w.Id == worker).ExecuteDeleteAsync(cancellationToken);
    }
}
