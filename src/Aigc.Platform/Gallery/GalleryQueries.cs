using Aigc.Platform.Blueprints;
using Aigc.Platform.Data;
using Aigc.Platform.Queue;
using Microsoft.EntityFrameworkCore;

namespace Aigc.Platform.Gallery;

public sealed record GalleryItem(Guid Id, string ModelSha256, DateTime CreatedAt, long Seed, int Width, int Height, bool IsFavourite);

public sealed record GalleryPage(IReadOnlyList<GalleryItem> Items, string? NextCursor);

public sealed record FacetValue(string Value, string Label, int Count, bool Selected);

public sealed record GalleryFacets(
    int Total,
    IReadOnlyList<FacetValue> Models,
    IReadOnlyDictionary<string, IReadOnlyList<FacetValue>> Conditions,
    IReadOnlyList<FacetValue> Tags,
    IReadOnlyList<FacetValue> Collections,
    int Favourites,
    IReadOnlyList<FacetValue> Authors);

/// <summary>
/// The gallery's reads: windows of the grid by keyset (seek) paging on (sort key, CreatedAt, Id), the match count and
/// the facet counts. Each facet counts over the filter without its own facet, so its other values stay selectable.
/// Every query starts from <see cref="BlueprintAccess.Readable"/>.
/// </summary>
public sealed class GalleryQueries(PortalDbContext db, BlueprintAccess access)
{
    private const int TagFacetSize = 30;

    public async Task<GalleryPage> PageAsync(GalleryFilter filter, Requester requester, string? cursor, int take, CancellationToken cancellationToken = default)
    {
        var after = string.IsNullOrEmpty(cursor) ? null : GalleryCursor.Parse(cursor);
        var matching = await MatchingAsync(filter, requester, except: null, cancellationToken);
        var userId = requester.UserId;
        var items = new List<GalleryItem>();
        var phase = after?.Phase ?? 0;
        var seek = after;
        while (items.Count < take && phase <= 1)
        {
            var set = filter.Sort != GallerySort.Favourite
                ? matching
                : phase == 0
                    ? matching.Where(b => db.Favourites.Any(f => f.UserId == userId && f.BlueprintId == b.Id))
                    : matching.Where(b => !db.Favourites.Any(f => f.UserId == userId && f.BlueprintId == b.Id));
            var window = await Project(Order(Seek(set, filter.Sort, seek), filter.Sort), userId)
                .Take(take - items.Count + 1).ToListAsync(cancellationToken);
            var more = window.Count > take - items.Count;
            items.AddRange(window.Take(take - items.Count));
            if (more)
                return new GalleryPage(items, new GalleryCursor(phase, items[^1].ModelSha256, items[^1].CreatedAt, items[^1].Id).ToString());
            if (filter.Sort != GallerySort.Favourite)
                break;
            phase++;
            seek = null;
        }

        return new GalleryPage(items, null);
    }

    public async Task<int> CountAsync(GalleryFilter filter, Requester requester, CancellationToken cancellationToken = default) =>
        await (await MatchingAsync(filter, requester, null, cancellationToken)).CountAsync(cancellationToken);

    /// <summary>All matching ids in grid order, up to <paramref name="limit"/> ("select all matching").</summary>
    public async Task<IReadOnlyList<Guid>> IdsAsync(GalleryFilter filter, Requester requester, int limit, CancellationToken cancellationToken = default) =>
        (await PageAsync(filter, requester, null, limit, cancellationToken)).Items.Select(i => i.Id).ToList();

    public async Task<GalleryFacets> FacetsAsync(GalleryFilter filter, Requester requester, CancellationToken cancellationToken = default)
    {
        var userId = requester.UserId;
        var all = await MatchingAsync(filter, requester, null, cancellationToken);
        var total = await all.CountAsync(cancellationToken);

        var modelCounts = await (await MatchingAsync(filter, requester, "model", cancellationToken))
            .GroupBy(b => b.ModelSha256).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(cancellationToken);
        var shas = modelCounts.Select(m => m.Key).Concat(filter.Models).Distinct().ToList();
        var labels = await db.ModelVersions.AsNoTracking().Where(m => shas.Contains(m.WeightsSha256))
            .ToDictionaryAsync(m => m.WeightsSha256, m => $"{m.Name}@{m.Version}", cancellationToken);
        var models = Facet(modelCounts.Select(m => (m.Key, m.Count)), filter.Models, v => labels.GetValueOrDefault(v, v[..Math.Min(12, v.Length)]));

        var conditions = new SortedDictionary<string, IReadOnlyList<FacetValue>>(StringComparer.Ordinal);
        var unfiltered = await all.SelectMany(b => b.Conditions).Where(c => !filter.Conditions.Keys.Contains(c.Name))
            .GroupBy(c => new { c.Name, c.Value }).Select(g => new { g.Key.Name, g.Key.Value, Count = g.Count() }).ToListAsync(cancellationToken);
        foreach (var name in unfiltered.GroupBy(c => c.Name))
            conditions[name.Key] = Facet(name.Select(c => (c.Value, c.Count)), [], v => v);
        foreach (var (name, selected) in filter.Conditions)
        {
            var counts = await (await MatchingAsync(filter, requester, "c." + name, cancellationToken)).SelectMany(b => b.Conditions)
                .Where(c => c.Name == name).GroupBy(c => c.Value).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(cancellationToken);
            conditions[name] = Facet(counts.Select(c => (c.Key, c.Count)), selected, v => v);
        }

        var tagCounts = await (await MatchingAsync(filter, requester, "tag", cancellationToken)).SelectMany(b => b.Tags)
            .GroupBy(t => t.Tag).Select(g => new { g.Key, Count = g.Count() }).OrderByDescending(t => t.Count).ThenBy(t => t.Key)
            .Take(TagFacetSize).ToListAsync(cancellationToken);
        var tags = Facet(tagCounts.Select(t => (t.Key, t.Count)), filter.Tags, v => v);

        var inCollections = await MatchingAsync(filter, requester, "collection", cancellationToken);
        var collectionCounts = await access.ReadableCollections(requester).AsNoTracking()
            .Select(c => new { c.Id, c.Name, Count = db.CollectionItems.Count(i => i.CollectionId == c.Id && inCollections.Any(b => b.Id == i.BlueprintId)) })
            .OrderBy(c => c.Name).ToListAsync(cancellationToken);
        var collections = collectionCounts
            .Select(c => new FacetValue(c.Id.ToString(), c.Name, c.Count, filter.Collection == c.Id)).ToList();

        var favourites = await (await MatchingAsync(filter, requester, "fav", cancellationToken))
            .CountAsync(b => db.Favourites.Any(f => f.UserId == userId && f.BlueprintId == b.Id), cancellationToken);

        IReadOnlyList<FacetValue> authors = [];
        if (requester.IsAdmin)
        {
            var authorCounts = await (await MatchingAsync(filter, requester, "author", cancellationToken))
                .GroupBy(b => b.OwnerId).Select(g => new { g.Key, Count = g.Count() }).OrderByDescending(a => a.Count).Take(50).ToListAsync(cancellationToken);
            var ids = authorCounts.Select(a => a.Key).ToList();
            var names = await db.Users.AsNoTracking().Where(u => ids.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.Email ?? u.Id, cancellationToken);
            authors = authorCounts.Select(a => new FacetValue(a.Key, names.GetValueOrDefault(a.Key, a.Key), a.Count, filter.Author == a.Key)).ToList();
        }

        return new GalleryFacets(total, models, conditions, tags, collections, favourites, authors);
    }

    /// <summary>The readable blueprints the filter selects, leaving out one facet (<paramref name="except"/>: "model", "c.NAME", "tag", "collection", "fav", "author").</summary>
    public async Task<IQueryable<Blueprint>> MatchingAsync(GalleryFilter filter, Requester requester, string? except, CancellationToken cancellationToken = default)
    {
        var userId = requester.UserId;
        var query = access.Readable(requester);
        if (filter.Models.Count > 0 && except != "model")
        {
            var models = filter.Models.ToList();
            query = query.Where(b => models.Contains(b.ModelSha256));
        }

        foreach (var (name, values) in filter.Conditions)
        {
            if (except == "c." + name)
                continue;
            var allowed = values.ToList();
            query = query.Where(b => b.Conditions.Any(c => c.Name == name && allowed.Contains(c.Value)));
        }

        if (filter.Tags.Count > 0 && except != "tag")
        {
            var tags = filter.Tags.ToList();
            query = query.Where(b => b.Tags.Any(t => tags.Contains(t.Tag)));
        }

        if (filter.Collection is { } collection && except != "collection")
        {
            // A collection the requester may not read selects nothing, rather than revealing which of their blueprints it holds.
            var readable = await access.ReadableCollections(requester).AnyAsync(c => c.Id == collection, cancellationToken);
            query = readable ? query.Where(b => db.CollectionItems.Any(i => i.CollectionId == collection && i.BlueprintId == b.Id)) : query.Where(b => false);
        }

        if (filter.Favourites && except != "fav")
            query = query.Where(b => db.Favourites.Any(f => f.UserId == userId && f.BlueprintId == b.Id));
        if (filter.From is { } from)
        {
            var start = from.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
            query = query.Where(b => b.CreatedAt >= start);
        }

        if (filter.To is { } to)
        {
            var end = to.AddDays(1).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
            query = query.Where(b => b.CreatedAt < end);
        }

        if (requester.IsAdmin && !string.IsNullOrEmpty(filter.Author) && except != "author")
        {
            var author = filter.Author;
            query = query.Where(b => b.OwnerId == author);
        }

        if (!string.IsNullOrEmpty(filter.Text))
        {
            var pattern = $"%{filter.Text.Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_")}%";
            query = query.Where(b => EF.Functions.Like(b.Note, pattern, "\\") || b.Tags.Any(t => EF.Functions.Like(t.Tag, pattern, "\\")));
        }

        return query;
    }

    private static IQueryable<Blueprint> Seek(IQueryable<Blueprint> query, GallerySort sort, GalleryCursor? after)
    {
        if (after is null)
            return query;
        var (model, at, id) = (after.Model, after.CreatedAt, after.Id);
        return sort == GallerySort.Model
            ? query.Where(b => b.ModelSha256.CompareTo(model) > 0
                || (b.ModelSha256 == model && (b.CreatedAt < at || (b.CreatedAt == at && b.Id.CompareTo(id) < 0))))
            : query.Where(b => b.CreatedAt < at || (b.CreatedAt == at && b.Id.CompareTo(id) < 0));
    }

    private static IQueryable<Blueprint> Order(IQueryable<Blueprint> query, GallerySort sort) =>
        sort == GallerySort.Model
            ? query.OrderBy(b => b.ModelSha256).ThenByDescending(b => b.CreatedAt).ThenByDescending(b => b.Id)
            : query.OrderByDescending(b => b.CreatedAt).ThenByDescending(b => b.Id);

    private IQueryable<GalleryItem> Project(IQueryable<Blueprint> query, string userId) =>
        query.Select(b => new GalleryItem(b.Id, b.ModelSha256, b.CreatedAt, b.Seed, b.Width, b.Height,
            db.Favourites.Any(f => f.UserId == userId && f.BlueprintId == b.Id)));

    private static IReadOnlyList<FacetValue> Facet(IEnumerable<(string Value, int Count)> counts, IReadOnlyList<string> selected, Func<string, string> label)
    {
        var list = counts.ToDictionary(c => c.Value, c => c.Count, StringComparer.Ordinal);
        foreach (var value in selected.Where(v => !list.ContainsKey(v)))
            list[value] = 0;
        return list.OrderBy(c => c.Key, StringComparer.Ordinal)
            .Select(c => new FacetValue(c.Key, label(c.Key), c.Value, selected.Contains(c.Key))).ToList();
    }
}
