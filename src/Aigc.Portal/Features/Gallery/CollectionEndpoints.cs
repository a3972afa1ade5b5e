using Aigc.Platform.Gallery;
using Aigc.Portal.Web;

namespace Aigc.Portal.Features.Gallery;

/// <summary>Collection forms on /gallery/collections: plain posts that redirect back with a message.</summary>
public static class CollectionEndpoints
{
    public static IEndpointRouteBuilder MapCollectionEndpoints(this IEndpointRouteBuilder app)
    {
        var collections = app.MapGroup("/gallery/collections").RequireAuthorization(PortalPolicies.Gallery).ValidateAntiforgery().DisableAntiforgery();

        collections.MapPost("", (HttpContext context, CollectionCuration curation) =>
            Run(context, async form => $"Created “{(await curation.CreateAsync(form["name"].ToString(), context.User.ToRequester(), context.RequestAborted)).Name}”."));

        collections.MapPost("/{id:guid}/rename", (Guid id, HttpContext context, CollectionCuration curation) =>
            Run(context, async form =>
            {
                await curation.RenameAsync(id, form["name"].ToString(), context.User.ToRequester(), context.RequestAborted);
                return "Renamed.";
            }));

        collections.MapPost("/{id:guid}/cover", (Guid id, HttpContext context, CollectionCuration curation) =>
            Run(context, async form =>
            {
                if (!Guid.TryParse(form["blueprint"], out var blueprint))
                    throw new GalleryRefusedException("cover: pick a blueprint.");
                await curation.SetCoverAsync(id, blueprint, context.User.ToRequester(), context.RequestAborted);
                return "Cover set.";
            }));

        collections.MapPost("/{id:guid}/share", (Guid id, HttpContext context, CollectionCuration curation) =>
            Run(context, async form =>
            {
                var target = new ShareTarget(form["role"].ToString(), form["email"].ToString(), form["canEdit"] == "true");
                await curation.ShareAsync(id, target, context.User.ToRequester(), context.RequestAborted);
                return $"Shared with {(string.IsNullOrWhiteSpace(target.Role) ? target.UserEmail!.Trim() : target.Role)}{(target.CanEdit ? ", editable" : ", read-only")}.";
            }));

        collections.MapPost("/{id:guid}/shares/{shareId:guid}/delete", (Guid id, Guid shareId, HttpContext context, CollectionCuration curation) =>
            Run(context, async _ =>
            {
                await curation.UnshareAsync(id, shareId, context.User.ToRequester(), context.RequestAborted);
                return "No longer shared.";
            }));

        collections.MapPost("/{id:guid}/delete", (Guid id, HttpContext context, CollectionCuration curation) =>
            Run(context, async _ =>
            {
                await curation.DeleteAsync(id, context.User.ToRequester(), context.RequestAborted);
                return "Collection deleted; its blueprints stay in the gallery.";
            }));

        return app;
    }

    private static async Task<IResult> Run(HttpContext context, Func<IFormCollection, Task<string>> action)
    {
        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        try
        {
            return Results.Redirect($"/gallery/collections?message={Uri.EscapeDataString(await action(form))}");
        }
        catch (GalleryRefusedException e) when (e.NotFound)
        {
            return Results.NotFound();
        }
        catch (GalleryRefusedException e)
        {
            return Results.Redirect($"/gallery/collections?message={Uri.EscapeDataString(e.Message)}");
        }
    }
}
