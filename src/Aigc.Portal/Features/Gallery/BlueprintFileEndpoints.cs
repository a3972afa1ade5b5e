using Aigc.Platform.Blobs;
using Aigc.Platform.Blueprints;
using Aigc.Platform.Data;
using Aigc.Platform.Gallery;
using Aigc.Platform.Models;
using Aigc.Platform.Queue;
using Aigc.Portal.Web;
using Microsoft.Net.Http.Headers;

namespace Aigc.Portal.Features.Gallery;

/// <summary>
/// A blueprint's image and thumbnail, after the access check. Files are immutable (named by content hash), so the
/// hash is a strong ETag and browsers may keep them for a year; "private" keeps shared caches out of it.
/// </summary>
public static class BlueprintFileEndpoints
{
    public static IEndpointRouteBuilder MapBlueprintFileEndpoints(this IEndpointRouteBuilder app)
    {
        var files = app.MapGroup("/blueprints/{id:guid}").RequireAuthorization(PortalPolicies.Gallery);

        files.MapGet("/image", ImageAsync);
        files.MapGet("/thumbnail", ThumbnailAsync);
        return app;
    }

    /// <summary>The image; ?download=true names the file and sends it as an attachment, ?metadata=false strips the PNG text chunks. Also served under /api.</summary>
    internal static async Task<IResult> ImageAsync(Guid id, bool? download, bool? metadata, HttpContext context, BlueprintAccess access, BlobStore blobs, ModelRegistry models)
    {
        var blueprint = await access.FindReadableAsync(id, context.User.ToRequester(), context.RequestAborted);
        if (blueprint is null || !blobs.Exists(blueprint.FileSha256))
            return Results.NotFound();
        var strip = metadata == false;
        var etag = new EntityTagHeaderValue($"\"{blueprint.FileSha256}{(strip ? "-stripped" : "")}\"");
        if (NotModified(context, etag))
            return Results.StatusCode(StatusCodes.Status304NotModified);
        var bytes = await blobs.ReadAllAsync(blueprint.FileSha256, context.RequestAborted);
        if (strip)
            bytes = BlueprintFile.WithoutMetadata(bytes);
        SetCaching(context);
        if (download != true)
            return Results.File(bytes, blueprint.ContentType, entityTag: etag);
        var model = await models.FindAsync(blueprint.Job!.ModelSha256, context.RequestAborted);
        var order = model is null ? [] : BlueprintDetails.SchemaOrder(model);
        return Results.File(bytes, blueprint.ContentType, BlueprintDetails.DownloadName(blueprint, order), entityTag: etag);
    }

    /// <summary>?size=s|m|l (default m): m is the stored thumbnail, s and l are derived once and kept by content hash.</summary>
    internal static async Task<IResult> ThumbnailAsync(Guid id, string? size, HttpContext context, BlueprintAccess access, BlobStore blobs, ThumbnailSizes sizes)
    {
        var blueprint = await access.FindReadableAsync(id, context.User.ToRequester(), context.RequestAborted);
        if (blueprint is null)
            return Results.NotFound();
        string? sha;
        try
        {
            sha = await sizes.ShaAsync(blueprint, size ?? "m", context.RequestAborted);
        }
        catch (GalleryRefusedException e)
        {
            return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Unknown thumbnail size", detail: e.Message);
        }

        if (sha is null || !blobs.Exists(sha))
            return Results.NotFound();
        var etag = new EntityTagHeaderValue($"\"{sha}\"");
        if (NotModified(context, etag))
            return Results.StatusCode(StatusCodes.Status304NotModified);
        SetCaching(context);
        var stream = blobs.OpenRead(sha);
        var head = new byte[12];
        var read = await stream.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false, context.RequestAborted);
        stream.Position = 0;
        return Results.File(stream, ThumbnailSizes.ContentType(head.AsSpan(0, read)), entityTag: etag);
    }

    private static bool NotModified(HttpContext context, EntityTagHeaderValue etag) =>
        context.Request.GetTypedHeaders().IfNoneMatch.Any(candidate => candidate.Compare(etag, useStrongComparison: true));

    private static void SetCaching(HttpContext context) =>
        context.Response.Headers.CacheControl = "private, max-age=31536000, immutable";
}
