using Aigc.Platform.Data;
using Aigc.Platform.Queue;
using Microsoft.EntityFrameworkCore;

namespace Aigc.Platform.Blueprints;

/// <summary>
/// The one place that decides who may read a blueprint: its author and admins. Everything that serves a
/// blueprint or its files asks here, so a guessed id or hash of someone else's image answers like a missing one.
/// </summary>
public sealed class BlueprintAccess(PortalDbContext db)
{
    public Task<Blueprint?> FindReadableAsync(Guid id, Requester requester, CancellationToken cancellationToken = default) =>
        Readable(requester).Include(b => b.Job).SingleOrDefaultAsync(b => b.Id == id, cancellationToken);

    /// <summary>The blueprints the requester may read, for queries to build on.</summary>
    public IQueryable<Blueprint> Readable(Requester requester) =>
        db.Blueprints.AsNoTracking().Where(b => requester.IsAdmin || b.Job!.UserId == requester.UserId);
}
