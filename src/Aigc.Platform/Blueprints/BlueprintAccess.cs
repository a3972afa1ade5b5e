using Aigc.Platform.Data;
using Aigc.Platform.Queue;
using Microsoft.EntityFrameworkCore;

namespace Aigc.Platform.Blueprints;

/// <summary>
/// The one place that decides who may read and who may curate a blueprint. Readers: its author, admins, and users a
/// collection holding it is shared with (by name or by role), and the collection's owner. Curators (tags, note,
/// collections): its author, admins, owners of a collection holding it and users it is shared with as editable.
/// Everything that serves a blueprint or its files asks here, so a guessed id or hash of someone else's image answers
/// like a missing one. Soft-deleted blueprints are readable by nobody until undone.
/// </summary>
public sealed class BlueprintAccess(PortalDbContext db)
{
    public Task<Blueprint?> FindReadableAsync(Guid id, Requester requester, CancellationToken cancellationToken = default) =>
        Readable(requester).Include(b => b.Job).SingleOrDefaultAsync(b => b.Id == id, cancellationToken);

    /// <summary>The blueprints the requester may read, for queries to build on.</summary>
    public IQueryable<Blueprint> Readable(Requester requester)
    {
        if (requester.IsAdmin)
            return db.Blueprints.AsNoTracking().Where(b => b.DeletedAt == null);
        // "Id IN (subquery)" rather than a correlated EXISTS: SQLite builds the shared set once, not once per row.
        var collections = ReadableCollections(requester).Select(c => c.Id);
        var shared = db.CollectionItems.Where(i => collections.Contains(i.CollectionId)).Select(i => i.BlueprintId);
        var userId = requester.UserId;
        return db.Blueprints.AsNoTracking().Where(b => b.DeletedAt == null && (b.OwnerId == userId || shared.Contains(b.Id)));
    }

    /// <summary>The readable blueprints whose tags, note and collection membership the requester may change.</summary>
    public IQueryable<Blueprint> Curatable(Requester requester)
    {
        if (requester.IsAdmin)
            return db.Blueprints.Where(b => b.DeletedAt == null);
        var collections = EditableCollections(requester).Select(c => c.Id);
        var shared = db.CollectionItems.Where(i => collections.Contains(i.CollectionId)).Select(i => i.BlueprintId);
        var userId = requester.UserId;
        return db.Blueprints.Where(b => b.DeletedAt == null && (b.OwnerId == userId || shared.Contains(b.Id)));
    }

    /// <summary>Blueprints the requester may delete and restore: their own (admins: all), deleted ones included.</summary>
    public IQueryable<Blueprint> Owned(Requester requester) =>
        requester.IsAdmin ? db.Blueprints : db.Blueprints.Where(b => b.OwnerId == requester.UserId);

    public IQueryable<Collection> ReadableCollections(Requester requester)
    {
        if (requester.IsAdmin)
            return db.Collections;
        var userId = requester.UserId;
        var roles = requester.Roles.ToList();
        return db.Collections.Where(c => c.OwnerId == userId ||
            db.CollectionShares.Any(s => s.CollectionId == c.Id && (s.UserId == userId || (s.Role != null && roles.Contains(s.Role)))));
    }

    public IQueryable<Collection> EditableCollections(Requester requester)
    {
        if (requester.IsAdmin)
            return db.Collections;
        var userId = requester.UserId;
        var roles = requester.Roles.ToList();
        return db.Collections.Where(c => c.OwnerId == userId ||
            db.CollectionShares.Any(s => s.CollectionId == c.Id && s.CanEdit && (s.UserId == userId || (s.Role != null && roles.Contains(s.Role)))));
    }

    /// <summary>Renaming, the cover and sharing belong to the owner (and admins); editors only add and curate.</summary>
    public IQueryable<Collection> OwnedCollections(Requester requester) =>
        requester.IsAdmin ? db.Collections : db.Collections.Where(c => c.OwnerId == requester.UserId);
}
