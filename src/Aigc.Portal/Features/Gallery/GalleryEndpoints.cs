using Aigc.Platform.Blobs;
using Aigc.Platform.Blueprints;
using Aigc.Platform.Gallery;
using Aigc.Platform.Refusals;
using Aigc.Portal.Web;

namespace Aigc.Portal.Features.Gallery;

/// <summary>
/// The gallery's HTTP side: the selection as a ZIP (a download is a plain form post, not a circuit message), read
/// through <see cref="GalleryService"/>, which asks <see cref="BlueprintAccess"/>.
/// </summary>
public static class GalleryEndpoints
{
    public static IEndpointRouteBuilder MapGalleryEndpoints(this IEndpointRouteBuilder app)
    {
        var gallery = app.MapGroup("/gallery").RequireAuthorization(PortalPolicies.Gallery).ValidateAntiforgery().DisableAntiforgery();

        gallery.MapPost("/selection/zip", async (HttpContext context, GalleryService gallery, BlobStore blobs) =>
        {
            var form = await context.Request.ReadFormAsync(context.RequestAborted);
            IReadOnlyList<Guid> ids;
            try
            {
                ids = Ids(form);
                if (ids.Count == 0 || ids.Count > gallery.Options.MaxSelection)
                    throw new GalleryRefusedException(new Refusal("SelectRange", "ids", gallery.Options.MaxSelection));
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
            .Select(v => Guid.TryParse(v, out var id) ? id : throw new GalleryRefusedException(new Refusal("NotABlueprintId", "ids", v)))
            .Distinct().ToList();
}
