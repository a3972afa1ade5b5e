using Aigc.Platform.Accounts;
using Aigc.Platform.Blobs;
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
/// The gallery's HTTP side: the selection as a ZIP (a download is a plain form post, not a circuit message), and the
/// curation fragments the Studio's result tiles still load until the Studio moves to the interactive UI (then they go).
/// Every action goes through <see cref="Curation"/> / <see cref="CollectionCuration"/>, which ask <see cref="BlueprintAccess"/>.
/// </summary>
public static class GalleryEndpoints
{
    public static IEndpointRouteBuilder MapGalleryEndpoints(this IEndpointRouteBuilder app)
    {
        var gallery = app.MapGroup("/gallery").RequireAuthorization(PortalPolicies.Gallery).ValidateAntiforgery().DisableAntiforgery();

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

        gallery.MapPost("/selection/collect", async (HttpContext context, CollectionCuration collections) =>
        {
            var form = await context.Request.ReadFormAsync(context.RequestAborted);
            return await Toast(async () =>
            {
                var ids = Ids(form);
                var requester = context.User.ToRequester();
                var added = Guid.TryParse(form["collection"], out var existing)
                    ? await collections.AddAsync(existing, ids, requester, context.RequestAborted)
                    : (await collections.CreateWithAsync(form["newName"].ToString(), ids, requester, context.RequestAborted)).Items.Count;
                return $"Added {Count(added)} to the collection{(added < ids.Count ? $" ({ids.Count - added} already in it)" : "")}.";
            });
        });

        gallery.MapPost("/selection/zip", async (HttpContext context, GalleryService gallery, BlobStore blobs) =>
        {
            var form = await context.Request.ReadFormAsync(context.RequestAborted);
            IReadOnlyList<Guid> ids;
            try
            {
                ids = Ids(form);
                if (ids.Count == 0 || ids.Count > gallery.Options.MaxSelection)
                    throw new GalleryRefusedException($"ids: select 1 to {gallery.Options.MaxSelection} blueprints (Gallery:MaxSelection).");
            }
            catch (GalleryRefusedException e)
            {
                return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Nothing to download", detail: e.Message);
            }

            var details = await gallery.DetailsAsync(ids, context.User.ToRequester(), context.RequestAborted);
            // A foreign or unknown id answers like a missing blueprint: nothing is sent, and nothing tells which one.
            if (details.Count != ids.Count)
                return Results.NotFound();
            return new BlueprintZipResult(details, blobs, StripMetadata: form["metadata"] == "false");
        });

        return app;
    }

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
