using Aigc.Platform.Blobs;
using Aigc.Platform.Studio;
using Aigc.Portal.Components;
using Aigc.Portal.Web;
using Microsoft.Extensions.Localization;
using Microsoft.Net.Http.Headers;

namespace Aigc.Portal.Features.Studio;

/// <summary>
/// The Studio's HTTP resources: the chips' sample images and a job's contact sheet. Everything else the Studio does
/// runs over the circuit (<see cref="StudioPage"/>). Another user's job, or a model the user may not use, answers 404.
/// </summary>
public static class StudioEndpoints
{
    public static IEndpointRouteBuilder MapStudioEndpoints(this IEndpointRouteBuilder app)
    {
        var studio = app.MapGroup("/studio").RequireAuthorization(PortalPolicies.Studio);

        studio.MapGet("/jobs/{id:guid}/contact-sheet", async (Guid id, HttpContext context, StudioService service,
            IStringLocalizer<StudioText> text, IStringLocalizer<ConditionText> words) =>
        {
            var requester = context.User.ToRequester();
            var models = await service.ModelsAsync(requester, context.RequestAborted);
            var png = await service.ContactSheetAsync(requester, id, StudioCaptions.Tile,
                job => StudioCaptions.Describe(job, text, words, models),
                context.RequestAborted);
            return png is null ? Results.NotFound() : Results.File(png, "image/png",
                $"contact-sheet-{id.ToString("N")[..8]}.png");
        });

        studio.MapGet("/samples/{sha}/{condition}/{value}", async (string sha, string condition, string value,
            HttpContext context,
            StudioService service, BlobStore blobs) =>
        {
            var blob = await service.SampleAsync(context.User.ToRequester(), sha, condition, value,
                context.RequestAborted);
            if (blob is null)
                return Results.NotFound();
            var etag = new EntityTagHeaderValue($"\"{blob}\"");
            if (context.Request.GetTypedHeaders().IfNoneMatch.Any(candidate => candidate.Compare(etag,
                useStrongComparison: true)))
                return Results.StatusCode(StatusCodes.Status304NotModified);
            context.Response.Headers.CacheControl = "private, max-age=86400";
            return Results.File(blobs.OpenRead(blob), "image/png", entityTag: etag);
        });

        return app;
    }
}
