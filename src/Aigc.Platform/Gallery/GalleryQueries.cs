using System.Linq.Expressions;
using System.Text.Json;
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
        var matching = await MatchingAsync(filter, requester, Except.None, cancellationToken);
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
        await (await MatchingAsync(filter, requester, Except.None, cancellationToken)).CountAsync(cancellationToken);

    /// <summary>All matching ids in grid order, up to <paramref name="limit"/> ("select all matching").</summary>
    public async Task<IReadOnlyList<Guid>> IdsAsync(GalleryFilter filter, Requester requester, int limit, CancellationToken cancellationToken = default) =>
        (await PageAsync(filter, requester, null, limit, cancellationToken)).Items.Select(i => i.Id).ToList();

    public async Task<GalleryFacets> FacetsAsync(GalleryFilter filter, Requester requester, CancellationToken cancellationToken = default)
    {
        var userId = requester.UserId;

        // One GROUP BY (model, conditions) over the other filters gives the total and every model and condition count:
        // model and condition filters are then applied to the groups here, each facet leaving out its own.
        var groups = (await (await MatchingAsync(filter, requester, Except.ModelAndConditions, cancellationToken))
                .GroupBy(b => new { b.ModelSha256, b.ConditionsJson }).Select(g => new { g.Key.ModelSha256, g.Key.ConditionsJson, Count = g.Count() })
                .ToListAsync(cancellationToken))
            .Select(g => (Model: g.ModelSha256, Conditions: ConditionsJson.Read(g.ConditionsJson), g.Count)).ToList();
        bool ModelOk(string model) => filter.Models.Count == 0 || filter.Models.Contains(model);
        var total = groups.Where(g => ModelOk(g.Model) && ConditionsOk(filter, g.Conditions, null)).Sum(g => g.Count);

        var modelCounts = groups.Where(g => ConditionsOk(filter, g.Conditions, null)).GroupBy(g => g.Model).Select(m => (m.Key, m.Sum(g => g.Count)));
        var shas = groups.Select(g => g.Model).Concat(filter.Models).Distinct().ToList();
        var labels = await db.ModelVersions.AsNoTracking().Where(m => shas.Contains(m.WeightsSha256))
            .ToDictionaryAsync(m => m.WeightsSha256, m => $"{m.Name}@{m.Version}", cancellationToken);
        var models = Facet(modelCounts, filter.Models, v => labels.GetValueOrDefault(v, v[..Math.Min(12, v.Length)]));

        var conditions = new SortedDictionary<string, IReadOnlyList<FacetValue>>(StringComparer.Ordinal);
        foreach (var name in groups.SelectMany(g => g.Conditions.Keys).Concat(filter.Conditions.Keys).Distinct())
        {
            var counts = groups.Where(g => ModelOk(g.Model) && ConditionsOk(filter, g.Conditions, name) && g.Conditions.ContainsKey(name))
                .GroupBy(g => g.Conditions[name]).Select(v => (v.Key, v.Sum(g => g.Count)));
            conditions[name] = Facet(counts, filter.Conditions.GetValueOrDefault(name) ?? [], v => v);
        }

        // As a join SQLite checks every tag row against its blueprint on a covering index, or walks a date range: right
        // unless models or conditions are chosen, which it then tests on each tag's blueprint row. For those, and the
        // filters that are id lists already, listing the matching ids once and looking up their tags is cheaper.
        var inTags = await MatchingAsync(filter, requester, Except.Tags, cancellationToken);
        var listIds = filter.Models.Count > 0 || filter.Conditions.Count > 0 || filter.Collection is not null || filter.Favourites || !string.IsNullOrEmpty(filter.Text);
        var taggedInFilter = listIds
            ? db.BlueprintTags.Where(t => inTags.Select(b => b.Id).Contains(t.BlueprintId))
            : db.BlueprintTags.Join(inTags, t => t.BlueprintId, b => b.Id, (t, _) => t);
        var tagCounts = await taggedInFilter
            .GroupBy(t => t.Tag).Select(g => new { g.Key, Count = g.Count() }).OrderByDescending(t => t.Count).ThenBy(t => t.Key)
            .Take(TagFacetSize).ToListAsync(cancellationToken);
        var tags = Facet(tagCounts.Select(t => (t.Key, t.Count)), filter.Tags, v => v);

        var inCollections = await MatchingAsync(filter, requester, Except.Collection, cancellationToken);
        var readableCollections = access.ReadableCollections(requester).AsNoTracking();
        var collectionCounts = await db.CollectionItems
            .Where(i => readableCollections.Any(c => c.Id == i.CollectionId) && inCollections.Any(b => b.Id == i.BlueprintId))
            .GroupBy(i => i.CollectionId).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count, cancellationToken);
        // Another owner's collection names its owner: an admin sees every user's "Review", and needs to tell them apart.
        var collections = (await readableCollections.OrderBy(c => c.Name).ThenBy(c => c.OwnerId)
                .Select(c => new { c.Id, c.Name, c.OwnerId, Owner = db.Users.Where(u => u.Id == c.OwnerId).Select(u => u.Email).FirstOrDefault() })
                .Take(200).ToListAsync(cancellationToken))
            .Select(c => new FacetValue(c.Id.ToString(), CollectionLabel(c.Name, c.OwnerId, c.Owner, userId),
                collectionCounts.GetValueOrDefault(c.Id), filter.Collection == c.Id)).ToList();

        var inFavourites = await MatchingAsync(filter, requester, Except.Favourites, cancellationToken);
        var favourites = await db.Favourites.Where(f => f.UserId == userId).CountAsync(f => inFavourites.Any(b => b.Id == f.BlueprintId), cancellationToken);

        IReadOnlyList<FacetValue> authors = [];
        if (requester.IsAdmin)
        {
            var authorCounts = await (await MatchingAsync(filter, requester, Except.Author, cancellationToken))
                .GroupBy(b => b.OwnerId).Select(g => new { g.Key, Count = g.Count() }).OrderByDescending(a => a.Count).Take(50).ToListAsync(cancellationToken);
            var ids = authorCounts.Select(a => a.Key).ToList();
            var names = await db.Users.AsNoTracking().Where(u => ids.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.Email ?? u.Id, cancellationToken);
            authors = authorCounts.Select(a => new FacetValue(a.Key, names.GetValueOrDefault(a.Key, a.Key), a.Count, filter.Author == a.Key)).ToList();
        }

        return new GalleryFacets(total, models, conditions, tags, collections, favourites, authors);
    }

    /// <summary>A collection's name, followed by its owner's email when it is not the requester's own.</summary>
    public static string CollectionLabel(string name, string ownerId, string? ownerEmail, string requesterId) =>
        ownerId == requesterId ? name : $"{name} · {ownerEmail ?? ownerId}";

    /// <summary>Which filter a facet leaves out when it counts.</summary>
    public enum Except
    {
        None,
        ModelAndConditions,
        Tags,
        Collection,
        Favourites,
        Author,
    }

    /// <summary>The readable blueprints the filter selects, leaving out one facet's filter.</summary>
    public async Task<IQueryable<Blueprint>> MatchingAsync(GalleryFilter filter, Requester requester, Except except = Except.None, CancellationToken cancellationToken = default)
    {
        var userId = requester.UserId;
        var query = access.Readable(requester);
        if (except != Except.ModelAndConditions)
        {
            if (filter.Models.Count > 0)
            {
                var models = filter.Models.ToList();
                query = query.Where(b => models.Contains(b.ModelSha256));
            }

            foreach (var (name, values) in filter.Conditions)
                query = query.Where(ConditionsJsonHasAny(name, values));
        }

        if (filter.Tags.Count > 0 && except != Except.Tags)
        {
            var tags = filter.Tags.ToList();
            query = query.Where(b => db.BlueprintTags.Where(t => tags.Contains(t.Tag)).Select(t => t.BlueprintId).Contains(b.Id));
        }

        if (filter.Collection is { } collection && except != Except.Collection)
        {
            // A collection the requester may not read selects nothing, rather than revealing which of their blueprints it holds.
            var readable = await access.ReadableCollections(requester).AnyAsync(c => c.Id == collection, cancellationToken);
            query = readable
                ? query.Where(b => db.CollectionItems.Where(i => i.CollectionId == collection).Select(i => i.BlueprintId).Contains(b.Id))
                : query.Where(b => false);
        }

        if (filter.Favourites && except != Except.Favourites)
            query = query.Where(b => db.Favourites.Where(f => f.UserId == userId).Select(f => f.BlueprintId).Contains(b.Id));
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

        if (requester.IsAdmin && !string.IsNullOrEmpty(filter.Author) && except != Except.Author)
        {
            var author = filter.Author;
            query = query.Where(b => b.OwnerId == author);
        }

        if (!string.IsNullOrEmpty(filter.Text))
        {
            var matching = BlueprintTextSearch.Matching(db, filter.Text);
            query = query.Where(b => matching.Contains(b.Id));
        }

        return query;
    }

    /// <summary>
    /// b.ConditionsJson holds "NAME":"VALUE" for one of the values. ConditionsJson is canonical (ConditionsJson.Write:
    /// sorted keys, no whitespace, the serializer's escaping), so the token is exact; instr() is case-sensitive and runs
    /// on the covering index without touching the rows.
    /// </summary>
    private static Expression<Func<Blueprint, bool>> ConditionsJsonHasAny(string name, IReadOnlyList<string> values)
    {
        var blueprint = Expression.Parameter(typeof(Blueprint), "b");
        var json = Expression.Property(blueprint, nameof(Blueprint.ConditionsJson));
        var contains = typeof(string).GetMethod(nameof(string.Contains), [typeof(string)])!;
        var any = values
            .Select(v => (Expression)Expression.Call(json, contains, Expression.Constant($"{JsonSerializer.Serialize(name)}:{JsonSerializer.Serialize(v)}")))
            .Aggregate(Expression.OrElse);
        return Expression.Lambda<Func<Blueprint, bool>>(any, blueprint);
    }

    private static bool ConditionsOk(GalleryFilter filter, IReadOnlyDictionary<string, string> conditions, string? except) =>
        filter.Conditions.All(c => c.Key == except || (conditions.TryGetValue(c.Key, out var value) && c.Value.Contains(value)));

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
