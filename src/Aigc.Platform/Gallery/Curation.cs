using Aigc.Platform.Blueprints;
using Aigc.Platform.Data;
using Aigc.Platform.Queue;
using Aigc.Platform.Refusals;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Aigc.Platform.Gallery;

/// <summary>Favourites, tags, notes and (soft) delete with undo. Rights come from <see cref="BlueprintAccess"/>.</summary>
public sealed class Curation(PortalDbContext db, BlueprintAccess access, TimeProvider clock, IOptions<GalleryOptions> options)
{
    public const int MaxTagLength = 64;

    /// <summary>Sets or clears the requester's favourite; returns the new state.</summary>
    public async Task<bool> SetFavouriteAsync(Guid id, bool favourite, Requester requester, CancellationToken cancellationToken = default)
    {
        if (!await access.Readable(requester).AnyAsync(b => b.Id == id, cancellationToken))
            throw new GalleryRefusedException(new Refusal("NoSuchBlueprint", "id"), notFound: true);
        var existing = await db.Favourites.SingleOrDefaultAsync(f => f.UserId == requester.UserId && f.BlueprintId == id, cancellationToken);
        if (favourite && existing is null)
            db.Favourites.Add(new Favourite { UserId = requester.UserId, BlueprintId = id, CreatedAt = clock.GetUtcNow().UtcDateTime });
        else if (!favourite && existing is not null)
            db.Favourites.Remove(existing);
        await db.SaveChangesAsync(cancellationToken);
        return favourite;
    }

    public async Task<bool> ToggleFavouriteAsync(Guid id, Requester requester, CancellationToken cancellationToken = default) =>
        await SetFavouriteAsync(id, !await db.Favourites.AnyAsync(f => f.UserId == requester.UserId && f.BlueprintId == id, cancellationToken), requester, cancellationToken);

    /// <summary>Adds tags to every blueprint; all of them must be curatable by the requester, else nothing changes.</summary>
    public async Task<int> AddTagsAsync(IReadOnlyCollection<Guid> ids, IEnumerable<string> tags, Requester requester, CancellationToken cancellationToken = default)
    {
        var clean = tags.Select(GalleryFilter.NormaliseTag).Where(t => t.Length > 0).Distinct().ToList();
        if (clean.Count == 0)
            throw new GalleryRefusedException(new Refusal("TagMissing", "tag"));
        if (clean.FirstOrDefault(t => t.Length > MaxTagLength) is { } tooLong)
            throw new GalleryRefusedException(new Refusal("TagTooLong", "tag", tooLong[..20], MaxTagLength));
        await RequireCuratableAsync(ids, requester, cancellationToken);
        var existing = (await db.BlueprintTags.Where(t => ids.Contains(t.BlueprintId) && clean.Contains(t.Tag))
            .Select(t => new { t.BlueprintId, t.Tag }).ToListAsync(cancellationToken)).Select(t => (t.BlueprintId, t.Tag)).ToHashSet();
        var added = ids.SelectMany(id => clean.Select(tag => (id, tag))).Where(x => !existing.Contains(x)).ToList();
        db.BlueprintTags.AddRange(added.Select(x => new BlueprintTag { BlueprintId = x.id, Tag = x.tag }));
        await db.SaveChangesAsync(cancellationToken);
        return added.Count;
    }

    public async Task RemoveTagAsync(Guid id, string tag, Requester requester, CancellationToken cancellationToken = default)
    {
        await RequireCuratableAsync([id], requester, cancellationToken);
        var clean = GalleryFilter.NormaliseTag(tag);
        await db.BlueprintTags.Where(t => t.BlueprintId == id && t.Tag == clean).ExecuteDeleteAsync(cancellationToken);
    }

    public async Task SetNoteAsync(Guid id, string? note, Requester requester, CancellationToken cancellationToken = default)
    {
        var text = string.IsNullOrWhiteSpace(note) ? null : note.Trim();
        if (text is { Length: > 2000 })
            throw new GalleryRefusedException(new Refusal("NoteTooLong", "note", 2000));
        await RequireCuratableAsync([id], requester, cancellationToken);
        await db.Blueprints.Where(b => b.Id == id).ExecuteUpdateAsync(s => s.SetProperty(b => b.Note, text), cancellationToken);
    }

    /// <summary>Soft-deletes the requester's own blueprints (admins: any); they disappear at once and can be restored until the purge.</summary>
    public async Task<int> DeleteAsync(IReadOnlyCollection<Guid> ids, Requester requester, CancellationToken cancellationToken = default)
    {
        await RequireAsync(access.Owned(requester).Where(b => b.DeletedAt == null), ids, cancellationToken);
        var now = clock.GetUtcNow().UtcDateTime;
        return await access.Owned(requester).Where(b => ids.Contains(b.Id) && b.DeletedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(b => b.DeletedAt, now), cancellationToken);
    }

    /// <summary>Undo: restores deleted blueprints the requester owns that have not been purged yet.</summary>
    public async Task<int> RestoreAsync(IReadOnlyCollection<Guid> ids, Requester requester, CancellationToken cancellationToken = default) =>
        await access.Owned(requester).Where(b => ids.Contains(b.Id) && b.DeletedAt != null)
            .ExecuteUpdateAsync(s => s.SetProperty(b => b.DeletedAt, (DateTime?)null), cancellationToken);

    public void CheckSelection(IReadOnlyCollection<Guid> ids)
    {
        if (ids.Count == 0)
            throw new GalleryRefusedException(new Refusal("SelectAtLeastOne", "ids"));
        if (ids.Count > options.Value.MaxSelection)
            throw new GalleryRefusedException(new Refusal("SelectAtMost", "ids", options.Value.MaxSelection));
    }

    private Task RequireCuratableAsync(IReadOnlyCollection<Guid> ids, Requester requester, CancellationToken cancellationToken) =>
        RequireAsync(access.Curatable(requester), ids, cancellationToken);

    private async Task RequireAsync(IQueryable<Blueprint> allowed, IReadOnlyCollection<Guid> ids, CancellationToken cancellationToken)
    {
        CheckSelection(ids);
        var found = await allowed.CountAsync(b => ids.Contains(b.Id), cancellationToken);
        if (found != ids.Distinct().Count())
            throw new GalleryRefusedException(new Refusal("NotYoursToChange", "ids"), notFound: true);
    }
}
