using Aigc.Platform.Accounts;
using Aigc.Platform.Blueprints;
using Aigc.Platform.Data;
using Aigc.Platform.Queue;
using Aigc.Platform.Refusals;
using Microsoft.EntityFrameworkCore;

namespace Aigc.Platform.Gallery;

public sealed record ShareTarget(string? Role, string? UserEmail, bool CanEdit);

/// <summary>Collections: create, rename, cover, items, shares. Owners do everything; editors add and remove items.</summary>
public sealed class CollectionCuration(PortalDbContext db, BlueprintAccess access, TimeProvider clock)
{
    public async Task<Collection> CreateAsync(string name, Requester requester, CancellationToken cancellationToken = default)
    {
        var collection = new Collection { Id = Guid.NewGuid(), OwnerId = requester.UserId, Name = CleanName(name), CreatedAt = clock.GetUtcNow().UtcDateTime };
        db.Collections.Add(collection);
        await db.SaveChangesAsync(cancellationToken);
        return collection;
    }

    public async Task RenameAsync(Guid id, string name, Requester requester, CancellationToken cancellationToken = default)
    {
        var clean = CleanName(name);
        if (await access.OwnedCollections(requester).Where(c => c.Id == id).ExecuteUpdateAsync(s => s.SetProperty(c => c.Name, clean), cancellationToken) == 0)
            throw new GalleryRefusedException(new Refusal("NoSuchCollection", "collection"), notFound: true);
    }

    /// <summary>The cover must be a blueprint in the collection.</summary>
    public async Task SetCoverAsync(Guid id, Guid blueprintId, Requester requester, CancellationToken cancellationToken = default)
    {
        if (!await access.OwnedCollections(requester).AnyAsync(c => c.Id == id, cancellationToken))
            throw new GalleryRefusedException(new Refusal("NoSuchCollection", "collection"), notFound: true);
        if (!await db.CollectionItems.AnyAsync(i => i.CollectionId == id && i.BlueprintId == blueprintId, cancellationToken))
            throw new GalleryRefusedException(new Refusal("CoverNotInCollection", "cover"));
        await db.Collections.Where(c => c.Id == id).ExecuteUpdateAsync(s => s.SetProperty(c => c.CoverBlueprintId, blueprintId), cancellationToken);
    }

    public async Task DeleteAsync(Guid id, Requester requester, CancellationToken cancellationToken = default)
    {
        if (await access.OwnedCollections(requester).Where(c => c.Id == id).ExecuteDeleteAsync(cancellationToken) == 0)
            throw new GalleryRefusedException(new Refusal("NoSuchCollection", "collection"), notFound: true);
    }

    /// <summary>Adds blueprints the requester can read to a collection they may edit; returns how many were new.</summary>
    public async Task<int> AddAsync(Guid id, IReadOnlyCollection<Guid> blueprintIds, Requester requester, CancellationToken cancellationToken = default)
    {
        if (!await access.EditableCollections(requester).AnyAsync(c => c.Id == id, cancellationToken))
            throw new GalleryRefusedException(new Refusal("NoEditableCollection", "collection"), notFound: true);
        var readable = await access.Readable(requester).Where(b => blueprintIds.Contains(b.Id)).Select(b => b.Id).ToListAsync(cancellationToken);
        if (readable.Count != blueprintIds.Distinct().Count())
            throw new GalleryRefusedException(new Refusal("BlueprintsMissing", "ids"), notFound: true);
        var present = await db.CollectionItems.Where(i => i.CollectionId == id && readable.Contains(i.BlueprintId)).Select(i => i.BlueprintId).ToListAsync(cancellationToken);
        var now = clock.GetUtcNow().UtcDateTime;
        var added = readable.Except(present).ToList();
        db.CollectionItems.AddRange(added.Select(b => new CollectionItem { CollectionId = id, BlueprintId = b, AddedAt = now }));
        await db.SaveChangesAsync(cancellationToken);
        return added.Count;
    }

    /// <summary>
    /// Creates a collection holding the blueprints, in one save: a refused name or a blueprint the requester cannot
    /// read leaves no empty collection behind. Returns the new collection.
    /// </summary>
    public async Task<Collection> CreateWithAsync(string name, IReadOnlyCollection<Guid> blueprintIds, Requester requester,
        CancellationToken cancellationToken = default)
    {
        var clean = CleanName(name);
        var wanted = blueprintIds.Distinct().ToList();
        var readable = await access.Readable(requester).Where(b => wanted.Contains(b.Id)).Select(b => b.Id).ToListAsync(cancellationToken);
        if (wanted.Count == 0 || readable.Count != wanted.Count)
            throw new GalleryRefusedException(new Refusal("BlueprintsMissing", "ids"), notFound: true);
        var now = clock.GetUtcNow().UtcDateTime;
        var collection = new Collection { Id = Guid.NewGuid(), OwnerId = requester.UserId, Name = clean, CreatedAt = now };
        collection.Items.AddRange(readable.Select(b => new CollectionItem { CollectionId = collection.Id, BlueprintId = b, AddedAt = now }));
        db.Collections.Add(collection);
        await db.SaveChangesAsync(cancellationToken);
        return collection;
    }

    public async Task<int> RemoveAsync(Guid id, IReadOnlyCollection<Guid> blueprintIds, Requester requester, CancellationToken cancellationToken = default)
    {
        if (!await access.EditableCollections(requester).AnyAsync(c => c.Id == id, cancellationToken))
            throw new GalleryRefusedException(new Refusal("NoEditableCollection", "collection"), notFound: true);
        return await db.CollectionItems.Where(i => i.CollectionId == id && blueprintIds.Contains(i.BlueprintId)).ExecuteDeleteAsync(cancellationToken);
    }

    /// <summary>Shares with a role or a named user (replacing an earlier share with the same target).</summary>
    public async Task ShareAsync(Guid id, ShareTarget target, Requester requester, CancellationToken cancellationToken = default)
    {
        if (!await access.OwnedCollections(requester).AnyAsync(c => c.Id == id, cancellationToken))
            throw new GalleryRefusedException(new Refusal("NoSuchCollection", "collection"), notFound: true);
        string? role = null, userId = null;
        if (!string.IsNullOrWhiteSpace(target.Role))
        {
            role = PortalRoles.All.FirstOrDefault(r => string.Equals(r, target.Role.Trim(), StringComparison.OrdinalIgnoreCase))
                ?? throw new GalleryRefusedException(new Refusal("UnknownRole", "role", target.Role ?? "", string.Join(", ", PortalRoles.All)));
        }
        else if (!string.IsNullOrWhiteSpace(target.UserEmail))
        {
            var normalised = target.UserEmail.Trim().ToUpperInvariant();
            userId = await db.Users.Where(u => u.NormalizedEmail == normalised).Select(u => u.Id).SingleOrDefaultAsync(cancellationToken)
                ?? throw new GalleryRefusedException(new Refusal("UnknownUser", "user", target.UserEmail.Trim()));
        }
        else
        {
            throw new GalleryRefusedException(new Refusal("ShareTarget", "share"));
        }

        await db.CollectionShares.Where(s => s.CollectionId == id && s.Role == role && s.UserId == userId).ExecuteDeleteAsync(cancellationToken);
        db.CollectionShares.Add(new CollectionShare { Id = Guid.NewGuid(), CollectionId = id, Role = role, UserId = userId, CanEdit = target.CanEdit });
        await db.SaveChangesAsync(cancellationToken);
    }

    public async Task UnshareAsync(Guid id, Guid shareId, Requester requester, CancellationToken cancellationToken = default)
    {
        if (!await access.OwnedCollections(requester).AnyAsync(c => c.Id == id, cancellationToken))
            throw new GalleryRefusedException(new Refusal("NoSuchCollection", "collection"), notFound: true);
        await db.CollectionShares.Where(s => s.CollectionId == id && s.Id == shareId).ExecuteDeleteAsync(cancellationToken);
    }

    private static string CleanName(string name)
    {
        var clean = name?.Trim() ?? "";
        if (clean.Length == 0)
            throw new GalleryRefusedException(new Refusal("CollectionNameMissing", "name"));
        if (clean.Length > 100)
            throw new GalleryRefusedException(new Refusal("CollectionNameTooLong", "name", 100));
        return clean;
    }
}
