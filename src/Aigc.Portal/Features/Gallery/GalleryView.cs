using Aigc.Platform.Blueprints;
using Aigc.Platform.Data;
using Aigc.Platform.Gallery;
using Aigc.Platform.Queue;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Aigc.Portal.Features.Gallery;

/// <summary>Everything the gallery page and its results fragment render: the filter, its facets, the first window.</summary>
public sealed record GalleryView(GalleryFilter Filter, GalleryFacets Facets, GalleryPage Page, bool IsAdmin,
    IReadOnlyList<Collection> EditableCollections, IReadOnlyList<SavedFilter> SavedFilters)
{
    public static async Task<GalleryView> LoadAsync(GalleryFilter filter, Requester requester, GalleryQueries queries, BlueprintAccess access,
        PortalDbContext db, IOptions<GalleryOptions> options, CancellationToken cancellationToken)
    {
        var facets = await queries.FacetsAsync(filter, requester, cancellationToken);
        var page = await queries.PageAsync(filter, requester, null, options.Value.PageSize, cancellationToken);
        var editable = await access.EditableCollections(requester).AsNoTracking().OrderBy(c => c.Name).Take(200).ToListAsync(cancellationToken);
        var saved = await db.SavedFilters.AsNoTracking().Where(f => f.UserId == requester.UserId).OrderBy(f => f.Name).ToListAsync(cancellationToken);
        return new GalleryView(filter, facets, page, requester.IsAdmin, editable, saved);
    }

    /// <summary>The gallery URL for a filter, e.g. "gallery?c.part=bolt".</summary>
    public static string Url(GalleryFilter filter, string path = "gallery")
    {
        var query = filter.ToQueryString();
        return query.Length == 0 ? path : $"{path}?{query}";
    }

    public static string WithCursor(GalleryFilter filter, string cursor)
    {
        var query = filter.ToQueryString();
        return $"gallery/window?{query}{(query.Length == 0 ? "" : "&")}cursor={Uri.EscapeDataString(cursor)}";
    }
}
