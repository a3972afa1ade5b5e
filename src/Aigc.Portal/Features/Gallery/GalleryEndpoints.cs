using Aigc.Platform.Accounts;
using System.Text.Json;
using Aigc.Platform.Blueprints;
using Aigc.Platform.Data;
using Aigc.Platform.Gallery;
using Aigc.Portal.Web;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Aigc.Portal.Features.Gallery;

/// <summary>
/// The gallery's fragments and actions. Reads keep the address bar in step with the filter (HX-Replace-Url); every
/// action goes through <see cref="Curation"/> / <see cref="CollectionCuration"/>, which ask <see cref="BlueprintAccess"/>.
/// </summary>
public static class GalleryEndpoints
{
    public static IEndpointRouteBuilder MapGalleryEndpoints(this IEndpointRouteBuilder app)
    {
        var gallery = app.MapGroup("/gallery").RequireAuthorization(PortalPolicies.Gallery).ValidateAntiforgery().DisableAntiforgery();

        gallery.MapGet("/results", async (HttpContext context, GalleryQueries queries, BlueprintAccess access, PortalDbContext db, IOptions<GalleryOptions> options) =>
        {
            var filter = Filter(context);
            var view = await GalleryView.LoadAsync(filter, context.User.ToRequester(), queries, access, db, options, context.RequestAborted);
            context.Response.Headers["HX-Replace-Url"] = "/" + GalleryView.Url(filter);
            return new RazorComponentResult<GalleryResults>(new { View = view });
        });

        gallery.MapGet("/window", async (string? cursor, HttpContext context, GalleryQueries queries, IOptions<GalleryOptions> options) =>
        {
            var filter = Filter(context);
            try
            {
                var page = await queries.PageAsync(filter, context.User.ToRequester(), cursor, options.Value.PageSize, context.RequestAborted);
                return (IResult)new RazorComponentResult<GalleryWindow>(new { Filter = filter, Page = page });
            }
            catch (FormatException e)
            {
                return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Bad cursor", detail: e.Message);
            }
        });

        // "Select all matching": the ids in grid order, up to Gallery:MaxSelection.
        gallery.MapGet("/ids", async (HttpContext context, GalleryQueries queries, IOptions<GalleryOptions> options) =>
            Results.Json(await queries.IdsAsync(Filter(context), context.User.ToRequester(), options.Value.MaxSelection, context.RequestAborted)));

        gallery.MapGet("/blueprints/{id:guid}/lightbox", async (Guid id, HttpContext context, BlueprintAccess access, PortalDbContext db) =>
            await CurationOfAsync(id, context, access, db) is { } found
                ? new RazorComponentResult<Lightbox>(new
                {
                    found.Details,
                    found.Collections,
                    CanUseStudio = context.User.IsInRole(PortalRoles.Admin) || context.User.IsInRole(PortalRoles.Designer),
                    CanAdvertise = context.User.IsInRole(PortalRoles.Admin) || context.User.IsInRole(PortalRoles.Marketer),
                })
                : Results.NotFound());

        // The same controls for other pages (the Studio's result tiles), loaded when they are opened.
        gallery.MapGet("/blueprints/{id:guid}/curation", async (Guid id, string? placement, HttpContext context, BlueprintAccess access, PortalDbContext db) =>
            await CurationOfAsync(id, context, access, db) is { } found
                ? new RazorComponentResult<CurationActions>(new { found.Details, found.Collections, Placement = placement == "studio" ? "studio" : "lightbox" })
                : Results.NotFound());

        gallery.MapPost("/blueprints/{id:guid}/favourite", async (Guid id, HttpContext context, Curation curation) =>
            await Refusable(async () =>
            {
                var on = await curation.ToggleFavouriteAsync(id, context.User.ToRequester(), context.RequestAborted);
                // Every star of this blueprint on the page (tile, lightbox, studio) follows the event (gallery.js).
                context.Response.Headers["HX-Trigger"] = JsonSerializer.Serialize(new Dictionary<string, object> { ["favourite-changed"] = new { id, on } });
                return Results.NoContent();
            }));

        gallery.MapPost("/blueprints/{id:guid}/tags", async (Guid id, HttpContext context, Curation curation, BlueprintAccess access, PortalDbContext db) =>
        {
            var form = await context.Request.ReadFormAsync(context.RequestAborted);
            return await Refusable(async () =>
            {
                await curation.AddTagsAsync([id], form["tag"].ToString().Split(',', StringSplitOptions.RemoveEmptyEntries), context.User.ToRequester(), context.RequestAborted);
                return await ActionsAsync(id, form["placement"], context, access, db);
            });
        });

        gallery.MapPost("/blueprints/{id:guid}/tags/remove", async (Guid id, HttpContext context, Curation curation, BlueprintAccess access, PortalDbContext db) =>
        {
            var form = await context.Request.ReadFormAsync(context.RequestAborted);
            return await Refusable(async () =>
            {
                await curation.RemoveTagAsync(id, form["tag"].ToString(), context.User.ToRequester(), context.RequestAborted);
                return await ActionsAsync(id, form["placement"], context, access, db);
            });
        });

        gallery.MapPost("/blueprints/{id:guid}/note", async (Guid id, HttpContext context, Curation curation, BlueprintAccess access, PortalDbContext db) =>
        {
            var form = await context.Request.ReadFormAsync(context.RequestAborted);
            return await Refusable(async () =>
            {
                await curation.SetNoteAsync(id, form["note"].ToString(), context.User.ToRequester(), context.RequestAborted);
                return await ActionsAsync(id, form["placement"], context, access, db);
            });
        });

        gallery.MapPost("/selection/tag", async (HttpContext context, Curation curation) =>
        {
            var form = await context.Request.ReadFormAsync(context.RequestAborted);
            return await Toast(async () =>
            {
                var ids = Ids(form);
                await curation.AddTagsAsync(ids, form["tag"].ToString().Split(',', StringSplitOptions.RemoveEmptyEntries), context.User.ToRequester(), context.RequestAborted);
                return $"Tagged {Count(ids.Count)} “{GalleryFilter.NormaliseTag(form["tag"].ToString())}”.";
            });
        });

        gallery.MapPost("/selection/collect", async (HttpContext context, CollectionCuration collections) =>
        {
            var form = await context.Request.ReadFormAsync(context.RequestAborted);
            return await Toast(async () =>
            {
                var ids = Ids(form);
                var requester = context.User.ToRequester();
                var collection = Guid.TryParse(form["collection"], out var existing)
                    ? existing
                    : (await collections.CreateAsync(form["newName"].ToString(), requester, context.RequestAborted)).Id;
                var added = await collections.AddAsync(collection, ids, requester, context.RequestAborted);
                return $"Added {Count(added)} to the collection{(added < ids.Count ? $" ({ids.Count - added} already in it)" : "")}.";
            });
        });

        gallery.MapPost("/selection/delete", async (HttpContext context, Curation curation, IOptions<GalleryOptions> options) =>
        {
            var form = await context.Request.ReadFormAsync(context.RequestAborted);
            try
            {
                var ids = Ids(form);
                var deleted = await curation.DeleteAsync(ids, context.User.ToRequester(), context.RequestAborted);
                context.Response.Headers["HX-Trigger"] = "gallery-changed";
                var days = options.Value.RetentionHours / 24.0;
                return (IResult)new RazorComponentResult<Toast>(new
                {
                    Message = $"Deleted {Count(deleted)}. They can be restored for {(days >= 1 ? $"{days:0.#} days" : $"{options.Value.RetentionHours} hours")}.",
                    UndoIds = ids,
                });
            }
            catch (GalleryRefusedException e)
            {
                return new RazorComponentResult<Toast>(new { Message = e.Message, Error = true });
            }
        });

        gallery.MapPost("/selection/restore", async (HttpContext context, Curation curation) =>
        {
            var form = await context.Request.ReadFormAsync(context.RequestAborted);
            return await Toast(async () =>
            {
                var restored = await curation.RestoreAsync(Ids(form), context.User.ToRequester(), context.RequestAborted);
                context.Response.Headers["HX-Trigger"] = "gallery-changed";
                return $"Restored {Count(restored)}.";
            });
        });

        gallery.MapPost("/selection/zip", async (HttpContext context, BlueprintAccess access, PortalDbContext db, Aigc.Platform.Blobs.BlobStore blobs, Curation curation) =>
        {
            var form = await context.Request.ReadFormAsync(context.RequestAborted);
            IReadOnlyList<Guid> ids;
            try
            {
                ids = Ids(form);
                curation.CheckSelection(ids);
            }
            catch (GalleryRefusedException e)
            {
                return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Nothing to download", detail: e.Message);
            }

            var details = await BlueprintDetails.LoadAsync(ids, context.User.ToRequester(), access, db, context.RequestAborted);
            // A foreign or unknown id answers like a missing blueprint: nothing is sent, and nothing tells which one.
            if (details.Count != ids.Distinct().Count())
                return Results.NotFound();
            return new BlueprintZip(details, blobs, StripMetadata: form["metadata"] == "false");
        });

        gallery.MapPost("/filters", async (HttpContext context, PortalDbContext db, TimeProvider clock) =>
        {
            var form = await context.Request.ReadFormAsync(context.RequestAborted);
            var userId = context.User.ToRequester().UserId;
            var name = form["filter-name"].ToString().Trim();
            var query = GalleryFilter.Parse(form.SelectMany(f => f.Value.Select(v => new KeyValuePair<string, string?>(f.Key, v)))).ToQueryString();
            if (name.Length is > 0 and <= 100)
            {
                await db.SavedFilters.Where(f => f.UserId == userId && f.Name == name).ExecuteDeleteAsync(context.RequestAborted);
                db.SavedFilters.Add(new SavedFilter { Id = Guid.NewGuid(), UserId = userId, Name = name, Query = query, CreatedAt = clock.GetUtcNow().UtcDateTime });
                await db.SaveChangesAsync(context.RequestAborted);
            }

            return await SavedFiltersAsync(db, userId, context.RequestAborted);
        });

        gallery.MapPost("/filters/{id:guid}/delete", async (Guid id, HttpContext context, PortalDbContext db) =>
        {
            var userId = context.User.ToRequester().UserId;
            await db.SavedFilters.Where(f => f.UserId == userId && f.Id == id).ExecuteDeleteAsync(context.RequestAborted);
            return await SavedFiltersAsync(db, userId, context.RequestAborted);
        });

        return app;
    }

    internal static GalleryFilter Filter(HttpContext context) =>
        GalleryFilter.Parse(context.Request.Query.SelectMany(q => q.Value.Select(v => new KeyValuePair<string, string?>(q.Key, v))));

    private static List<Guid> Ids(IFormCollection form) =>
        form["ids"].SelectMany(v => (v ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .Select(v => Guid.TryParse(v, out var id) ? id : throw new GalleryRefusedException($"ids: \"{v}\" is not a blueprint id."))
            .Distinct().ToList();

    private static string Count(int n) => n == 1 ? "1 blueprint" : $"{n:N0} blueprints";

    private static async Task<IResult> ActionsAsync(Guid id, string? placement, HttpContext context, BlueprintAccess access, PortalDbContext db)
    {
        var requester = context.User.ToRequester();
        var details = (await BlueprintDetails.LoadAsync([id], requester, access, db, context.RequestAborted)).Single();
        var collections = await access.EditableCollections(requester).AsNoTracking().OrderBy(c => c.Name).Take(200).ToListAsync(context.RequestAborted);
        return new RazorComponentResult<CurationActions>(new { Details = details, Collections = collections, Placement = placement is "studio" ? "studio" : "lightbox" });
    }

    private static async Task<IResult> SavedFiltersAsync(PortalDbContext db, string userId, CancellationToken cancellationToken) =>
        new RazorComponentResult<SavedFilterList>(new
        {
            Filters = (IReadOnlyList<SavedFilter>)await db.SavedFilters.AsNoTracking().Where(f => f.UserId == userId).OrderBy(f => f.Name).ToListAsync(cancellationToken),
        });

    private static async Task<IResult> Refusable(Func<Task<IResult>> action)
    {
        try
        {
            return await action();
        }
        catch (GalleryRefusedException e) when (e.NotFound)
        {
            return Results.NotFound();
        }
        catch (GalleryRefusedException e)
        {
            return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Not changed", detail: e.Message);
        }
    }

    private static async Task<IResult> Toast(Func<Task<string>> action)
    {
        try
        {
            return new RazorComponentResult<Toast>(new { Message = await action() });
        }
        catch (GalleryRefusedException e)
        {
            return new RazorComponentResult<Toast>(new { Message = e.Message, Error = true });
        }
    }

    private static async Task<(BlueprintDetails Details, List<Collection> Collections)?> CurationOfAsync(Guid id, HttpContext context, BlueprintAccess access, PortalDbContext db)
    {
        var requester = context.User.ToRequester();
        var details = (await BlueprintDetails.LoadAsync([id], requester, access, db, context.RequestAborted)).SingleOrDefault();
        if (details is null)
            return null;
        var collections = await access.EditableCollections(requester).AsNoTracking().OrderBy(c => c.Name).Take(200).ToListAsync(context.RequestAborted);
        return (details, collections);
    }
}
