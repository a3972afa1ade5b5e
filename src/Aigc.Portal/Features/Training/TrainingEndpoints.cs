using Aigc.Platform.Training;
using Aigc.Portal.Web;
using Microsoft.Net.Http.Headers;

namespace Aigc.Portal.Features.Training;

/// <summary>
/// The Training area's images as HTTP resources (never through the circuit): a version's contact sheet, a run's
/// sample grid and variants sheet (immutable, named by their hash) and an analysed upload's preprocessing preview.
/// Trainers and admins only; the services check again, and an unknown id answers 404.
/// </summary>
public static class TrainingEndpoints
{
    public static IEndpointRouteBuilder MapTrainingEndpoints(this IEndpointRouteBuilder app)
    {
        var training = app.MapGroup("/training").RequireAuthorization(PortalPolicies.Training);

        training.MapGet("/datasets/versions/{id:guid}/sheet", async Task<IResult> (Guid id, HttpContext context, DatasetLibrary library) =>
            await library.ContactSheetAsync(context.User, id, context.RequestAborted) is { } sheet
                ? Immutable(context, sheet.Png, sheet.Sha256)
                : Results.NotFound());

        training.MapGet("/runs/{id:guid}/images/{sha}", async Task<IResult> (Guid id, string sha, HttpContext context, TrainingRuns runs) =>
            await runs.ImageAsync(context.User, id, sha, context.RequestAborted) is { } png
                ? Immutable(context, png, sha)
                : Results.NotFound());

        training.MapGet("/uploads/{id:guid}/preview", async Task<IResult> (Guid id, HttpContext context, DatasetLibrary library) =>
        {
            if (await library.StagedPreviewAsync(context.User, id, context.RequestAborted) is not { } png)
                return Results.NotFound();
            context.Response.Headers.CacheControl = "private, no-store";
            return Results.File(png, "image/png");
        });

        return app;
    }

    private static IResult Immutable(HttpContext context, byte[] png, string sha)
    {
        var etag = new EntityTagHeaderValue($"\"{sha}\"");
        if (context.Request.Headers.IfNoneMatch.Any(v => v == etag.Tag.Value))
            return Results.StatusCode(StatusCodes.Status304NotModified);
        context.Response.Headers.CacheControl = "private, max-age=31536000, immutable";
        return Results.File(png, "image/png", entityTag: etag);
    }
}
