using Aigc.Platform.Blueprints;
using Aigc.Platform.Data;
using Aigc.Platform.Queue;
using Aigc.Platform.Refusals;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Aigc.Platform.Gallery;

/// <summary>A collection the requester may add to, labelled with its owner when it is someone else's.</summary>
public sealed record CollectionChoice(Guid Id, string Label);

/// <summary>A share of a collection: a role or a user (named by email), read-only or editable.</summary>
public sealed record ShareSummary(Guid Id, string? Role, string? UserEmail, bool CanEdit);

/// <summary>A collection as the collections page shows it: its cover, first items and, for its owner, its shares.</summary>
public sealed record CollectionSummary(Guid Id, string Name, string OwnerLabel, bool Owned, bool CanEdit, int Count, Guid? Cover,
    IReadOnlyList<Guid> Items, IReadOnlyList<ShareSummary> Shares);

/// <summary>
/// The gallery for interactive pages. A Blazor circuit lives as long as its browser tab, so every call opens its own
/// short database context and builds the gallery's services over it (the same query path as the HTTP endpoints and the
/// benchmark); nothing holds a context between calls. Every call takes the requester, whose rights
/// <see cref="BlueprintAccess"/> checks: a blueprint or collection the requester may not see reads as missing.
/// </summary>
public sealed class GalleryService(IDbContextFactory<PortalDbContext> contexts, TimeProvider clock, IOptions<GalleryOptions> options)
{
    public GalleryOptions Options => options.Value;

    public Task<GalleryFacets> FacetsAsync(GalleryFilter filter, Requester requester, CancellationToken cancellationToken = default) =>
        WithAsync(u => u.Queries.FacetsAsync(filter, requester, cancellationToken), cancellationToken);

    /// <summary>One window of the grid after <paramref name="cursor"/> (null: the first); a bad cursor is a FormatException.</summary>
    public Task<GalleryPage> PageAsync(GalleryFilter filter, Requester requester, string? cursor, CancellationToken cancellationToken = default) =>
        WithAsync(u => u.Queries.PageAsync(filter, requester, cursor, options.Value.PageSize, cancellationToken), cancellationToken);

    /// <summary>"Select all matching": the ids in grid order, up to Gallery:MaxSelection.</summary>
    public Task<IReadOnlyList<Guid>> IdsAsync(GalleryFilter filter, Requester requester, CancellationToken cancellationToken = default) =>
        WithAsync(u => u.Queries.IdsAsync(filter, requester, options.Value.MaxSelection, cancellationToken), cancellationToken);

    /// <summary>The readable ones among <paramref name="ids"/>, in that order.</summary>
    public Task<IReadOnlyList<BlueprintDetails>> DetailsAsync(IReadOnlyCollection<Guid> ids, Requester requester,
        CancellationToken cancellationToken = default) =>
        WithAsync(u => BlueprintDetails.LoadAsync(ids, requester, u.Access, u.Db, cancellationToken), cancellationToken);

    public async Task<BlueprintDetails?> DetailsAsync(Guid id, Requester requester, CancellationToken cancellationToken = default) =>
        (await DetailsAsync([id], requester, cancellationToken)).SingleOrDefault();

    public Task<IReadOnlyList<CollectionChoice>> EditableCollectionsAsync(Requester requester, CancellationToken cancellationToken = default) =>
        WithAsync<IReadOnlyList<CollectionChoice>>(async u =>
        {
            var rows = await u.Access.EditableCollections(requester).AsNoTracking().OrderBy(c => c.Name).ThenBy(c => c.OwnerId)
                .Select(c => new { c.Id, c.Name, c.OwnerId, Owner = u.Db.Users.Where(x => x.Id == c.OwnerId).Select(x => x.Email).FirstOrDefault() })
                .Take(200).ToListAsync(cancellationToken);
            return rows.Select(c => new CollectionChoice(c.Id, GalleryQueries.CollectionLabel(c.Name, c.OwnerId, c.Owner, requester.UserId))).ToList();
        }, cancellationToken);

    public Task<bool> ToggleFavouriteAsync(Guid id, Requester requester, CancellationToken cancellationToken = default) =>
        WithAsync(u => u.Curation.ToggleFavouriteAsync(id, requester, cancellationToken), cancellationToken);

    public Task<int> AddTagsAsync(IReadOnlyCollection<Guid> ids, string tags, Requester requester, CancellationToken cancellationToken = default) =>
        WithAsync(u =>
        {
            u.Curation.CheckSelection(ids);
            return u.Curation.AddTagsAsync(ids, tags.Split(',', StringSplitOptions.RemoveEmptyEntries), requester, cancellationToken);
        }, cancellationToken);

    public Task RemoveTagAsync(Guid id, string tag, Requester requester, CancellationToken cancellationToken = default) =>
        WithAsync(async u =>
        {
            await u.Curation.RemoveTagAsync(id, tag, requester, cancellationToken);
            return true;
        }, cancellationToken);

    public Task SetNoteAsync(Guid id, string? note, Requester requester, CancellationToken cancellationToken = default) =>
        WithAsync(async u =>
        {
            await u.Curation.SetNoteAsync(id, note, requester, cancellationToken);
            return true;
        }, cancellationToken);

    public Task<int> DeleteAsync(IReadOnlyCollection<Guid> ids, Requester requester, CancellationToken cancellationToken = default) =>
        WithAsync(u => u.Curation.DeleteAsync(ids, requester, cancellationToken), cancellationToken);

    public Task<int> RestoreAsync(IReadOnlyCollection<Guid> ids, Requester requester, CancellationToken cancellationToken = default) =>
        WithAsync(u => u.Curation.RestoreAsync(ids, requester, cancellationToken), cancellationToken);

    /// <summary>
    /// Adds the blueprints to a collection the requester may edit, or (collection null) to a new one named
    /// <paramref name="newName"/>, created in the same save so a refusal leaves nothing behind. Returns how many were new.
    /// </summary>
    public Task<int> CollectAsync(IReadOnlyCollection<Guid> ids, Guid? collection, string? newName, Requester requester,
        CancellationToken cancellationToken = default) =>
        WithAsync(async u =>
        {
            u.Curation.CheckSelection(ids);
            if (collection is { } existing)
                return await u.Collections.AddAsync(existing, ids, requester, cancellationToken);
            return (await u.Collections.CreateWithAsync(newName ?? "", ids, requester, cancellationToken)).Items.Count;
        }, cancellationToken);

    public Task<IReadOnlyList<SavedFilter>> SavedFiltersAsync(Requester requester, CancellationToken cancellationToken = default) =>
        WithAsync<IReadOnlyList<SavedFilter>>(async u => await u.Db.SavedFilters.AsNoTracking()
            .Where(f => f.UserId == requester.UserId).OrderBy(f => f.Name).ToListAsync(cancellationToken), cancellationToken);

    /// <summary>Saves the filter with its sort and tile size under a name, replacing the requester's filter of that name.</summary>
    public Task SaveFilterAsync(string name, GalleryFilter filter, Requester requester, CancellationToken cancellationToken = default) =>
        WithAsync(async u =>
        {
            var clean = name?.Trim() ?? "";
            if (clean.Length is 0 or > 100)
                throw new GalleryRefusedException(new Refusal("FilterName", "name", 100));
            var userId = requester.UserId;
            await u.Db.SavedFilters.Where(f => f.UserId == userId && f.Name == clean).ExecuteDeleteAsync(cancellationToken);
            u.Db.SavedFilters.Add(new SavedFilter
            {
                Id = Guid.NewGuid(), UserId = userId, Name = clean, Query = filter.ToQueryString(), CreatedAt = clock.GetUtcNow().UtcDateTime,
            });
            await u.Db.SaveChangesAsync(cancellationToken);
            return true;
        }, cancellationToken);

    /// <summary>Forgets one of the requester's saved filters; someone else's is left alone.</summary>
    public Task DeleteFilterAsync(Guid id, Requester requester, CancellationToken cancellationToken = default) =>
        WithAsync(u => u.Db.SavedFilters.Where(f => f.UserId == requester.UserId && f.Id == id).ExecuteDeleteAsync(cancellationToken),
            cancellationToken);

    public Task<IReadOnlyList<CollectionSummary>> CollectionsAsync(Requester requester, CancellationToken cancellationToken = default) =>
        WithAsync<IReadOnlyList<CollectionSummary>>(async u =>
        {
            var readable = u.Access.Readable(requester);
            var editable = await u.Access.EditableCollections(requester).Select(c => c.Id).ToListAsync(cancellationToken);
            var owned = await u.Access.OwnedCollections(requester).Select(c => c.Id).ToListAsync(cancellationToken);
            var list = await u.Access.ReadableCollections(requester).AsNoTracking().Include(c => c.Shares)
                .OrderBy(c => c.Name).ThenBy(c => c.OwnerId).Take(200).ToListAsync(cancellationToken);
            var people = list.SelectMany(c => c.Shares.Select(s => s.UserId).Append(c.OwnerId)).OfType<string>().Distinct().ToList();
            var emails = await u.Db.Users.AsNoTracking().Where(x => people.Contains(x.Id))
                .ToDictionaryAsync(x => x.Id, x => x.Email ?? x.Id, cancellationToken);
            var summaries = new List<CollectionSummary>();
            foreach (var c in list)
            {
                var items = readable.Where(b => u.Db.CollectionItems.Any(i => i.CollectionId == c.Id && i.BlueprintId == b.Id));
                var count = await items.CountAsync(cancellationToken);
                var first = await items.OrderByDescending(b => b.CreatedAt).Select(b => b.Id).Take(12).ToListAsync(cancellationToken);
                var cover = c.CoverBlueprintId is { } id && await items.AnyAsync(b => b.Id == id, cancellationToken)
                    ? id : first.Cast<Guid?>().FirstOrDefault();
                var isOwned = owned.Contains(c.Id);
                var shares = isOwned
                    ? c.Shares.Select(s => new ShareSummary(s.Id, s.Role, s.UserId is null ? null : emails.GetValueOrDefault(s.UserId, s.UserId), s.CanEdit)).ToList()
                    : [];
                summaries.Add(new CollectionSummary(c.Id, c.Name, emails.GetValueOrDefault(c.OwnerId, c.OwnerId), isOwned, editable.Contains(c.Id),
                    count, cover, first, shares));
            }

            return summaries;
        }, cancellationToken);

    public Task<Collection> CreateCollectionAsync(string name, Requester requester, CancellationToken cancellationToken = default) =>
        WithAsync(u => u.Collections.CreateAsync(name, requester, cancellationToken), cancellationToken);

    public Task RenameCollectionAsync(Guid id, string name, Requester requester, CancellationToken cancellationToken = default) =>
        WithAsync(async u =>
        {
            await u.Collections.RenameAsync(id, name, requester, cancellationToken);
            return true;
        }, cancellationToken);

    public Task SetCoverAsync(Guid id, Guid blueprint, Requester requester, CancellationToken cancellationToken = default) =>
        WithAsync(async u =>
        {
            await u.Collections.SetCoverAsync(id, blueprint, requester, cancellationToken);
            return true;
        }, cancellationToken);

    public Task ShareAsync(Guid id, ShareTarget target, Requester requester, CancellationToken cancellationToken = default) =>
        WithAsync(async u =>
        {
            await u.Collections.ShareAsync(id, target, requester, cancellationToken);
            return true;
        }, cancellationToken);

    public Task UnshareAsync(Guid id, Guid shareId, Requester requester, CancellationToken cancellationToken = default) =>
        WithAsync(async u =>
        {
            await u.Collections.UnshareAsync(id, shareId, requester, cancellationToken);
            return true;
        }, cancellationToken);

    public Task DeleteCollectionAsync(Guid id, Requester requester, CancellationToken cancellationToken = default) =>
        WithAsync(async u =>
        {
            await u.Collections.DeleteAsync(id, requester, cancellationToken);
            return true;
        }, cancellationToken);

    private async Task<T> WithAsync<T>(Func<Unit, Task<T>> work, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var access = new BlueprintAccess(db);
        return await work(new Unit(db, access, new GalleryQueries(db, access), new Curation(db, access, clock, options),
            new CollectionCuration(db, access, clock)));
    }

    private sealed record Unit(PortalDbContext Db, BlueprintAccess Access, GalleryQueries Queries, Curation Curation,
        CollectionCuration Collections);
}
