using Aigc.Platform.Api;
using Aigc.Portal.Features.Gallery;
using Aigc.Portal.Web;

namespace Aigc.Portal.Features.Api;

/// <summary>/api/blueprints/{id}: the record and its files, after BlueprintAccess (someone else's blueprint answers 404).</summary>
internal static class BlueprintApiEndpoints
{
    public static RouteGroupBuilder MapBlueprintApi(this RouteGroupBuilder api)
    {
        var blueprints = api.MapGroup("/blueprints/{id:guid}").WithTags("Blueprints");

        blueprints.MapGet("", async (Guid id, HttpContext context, ApiQueries queries) =>
                await queries.FindBlueprintAsync(id, context.User.ToRequester(), context.RequestAborted) is { } found
                    ? Results.Ok(ApiViews.Blueprint(found))
                    : ApiProblems.NotFound("blueprint"))
            .Produces<BlueprintView>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("A blueprint: its conditions, seed, model, size and file hash.");

        // The same handlers as the gallery's /blueprints/{id}/image and /thumbnail: one access check, one caching rule.
        blueprints.MapGet("/image", BlueprintFileEndpoints.ImageAsync)
            .Produces(StatusCodes.Status200OK, contentType: "image/png")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("The PNG; ?download=true names the file, ?metadata=false strips its text chunks. Strong ETag.");

        blueprints.MapGet("/thumbnail", BlueprintFileEndpoints.ThumbnailAsync)
            .Produces(StatusCodes.Status200OK, contentType: "image/png")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("The thumbnail PNG. Strong ETag.");

        blueprints.MapGet("/vector", BlueprintVectorEndpoint.VectorAsync)
            .Produces(StatusCodes.Status200OK, contentType: "image/svg+xml")
            .Produces(StatusCodes.Status200OK, contentType: "image/vnd.dxf")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("The lines traced as ?format=svg or dxf (R12), in mm at 0.5 mm per pixel; ?download=true names the file.");

        return blueprints;
    }
}
