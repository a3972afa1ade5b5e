using Aigc.Platform.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Aigc.Platform.Queue;

/// <summary>The workers alive now (heard from within three heartbeats), for Admin › Status.</summary>
public sealed class WorkerRoster(PortalDbContext db, IOptions<QueueOptions> options, TimeProvider clock)
{
    public async Task<List<WorkerRecord>> ListAsync(CancellationToken cancellationToken = default)
    {
        var heardSince = clock.GetUtcNow().UtcDateTime - options.Value.WorkerGoneAfter;
        return await db.Workers.AsNoTracking().Where(w => w.HeartbeatAt >= heardSince)
            .OrderBy(w => w.Host).ThenBy(w => w.StartedAt).ThenBy(w => w.Id)
            .ToListAsync(cancellationToken);
    }
}
