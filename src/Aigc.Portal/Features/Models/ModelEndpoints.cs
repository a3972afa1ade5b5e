using Aigc.Platform.Blobs;
using Aigc.Platform.Models;
using Aigc.Portal.Web;
using Microsoft.Net.Http.Headers;

namespace Aigc.Portal.Features.Models;

/// <summary>A version's files that pages show as HTTP resources (its sample grid), for admins.</summary>
public static class ModelEndpoints
{
    public static IEndpointRouteBuilder MapModelEndpoints(this IEndpointRouteBuilder app)
    {
        var models = app.MapGroup("/admin/models").RequireAuthorization(PortalPolicies.Admin);

        models.MapGet("/{sha}/samples", async Task<IResult> (string sha, HttpContext context,
            ModelAdministration models, BlobStore blobs) =>
        {
            var version = await models.DetailAsync(context.User, sha, context.RequestAborted);
            if (version?.Version.SamplesSha256 is not { } samples || !blobs.Exists(samples))
                return Results.NotFound();
            var etag = new EntityTagHeaderValue($"\"{samples}\"");
            if (context.Request.Headers.IfNoneMatch.Any(v => v == etag.Tag.Value))
                return Results.StatusCode(StatusCodes.Status304NotModified);
            context.Response.Headers.CacheControl = "private, max-age=31536000, immutable";
            return Results.File(blobs.OpenRead(samples), "image/png", entityTag: etag);
        });

        return app;
    }
}
