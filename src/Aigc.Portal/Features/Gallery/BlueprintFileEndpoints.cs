using System.Text;
using Aigc.Generation.Manifest;
using Aigc.Imaging.Metadata;
using Aigc.Platform.Blobs;
using Aigc.Platform.Blueprints;
using Aigc.Platform.Data;
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
            bytes = BlueprintMetadata.Strip(bytes);
        SetCaching(context);
        if (download != true)
            return Results.File(bytes, blueprint.ContentType, entityTag: etag);
        var model = await models.FindAsync(blueprint.Job!.ModelSha256, context.RequestAborted);
        var schema = model is null ? null : CganManifest.Parse(model.ManifestJson).Schema;
        var order = schema is null ? [] : schema.Categorical.Concat(schema.Numeric).Select(c => c.Name).ToList();
        return Results.File(bytes, blueprint.ContentType, FileName(blueprint, order), entityTag: etag);
    }

    internal static async Task<IResult> ThumbnailAsync(Guid id, HttpContext context, BlueprintAccess access, BlobStore blobs)
    {
        var blueprint = await access.FindReadableAsync(id, context.User.ToRequester(), context.RequestAborted);
        var sha = blueprint?.ThumbnailSha256 ?? blueprint?.FileSha256;
        if (sha is null || !blobs.Exists(sha))
            return Results.NotFound();
        var etag = new EntityTagHeaderValue($"\"{sha}\"");
        if (NotModified(context, etag))
            return Results.StatusCode(StatusCodes.Status304NotModified);
        SetCaching(context);
        return Results.File(blobs.OpenRead(sha), blueprint!.ThumbnailSha256 is null ? blueprint.ContentType : "image/png", entityTag: etag);
    }

    /// <summary>For example "spur_gear-front-low-seed42.png": what it shows in the schema's order, and what reproduces it.</summary>
    internal static string FileName(Blueprint blueprint, IReadOnlyList<string> conditionOrder)
    {
        var name = new StringBuilder();
        var conditions = ConditionsJson.Read(blueprint.ConditionsJson);
        var ordered = conditionOrder.Where(conditions.ContainsKey).Concat(conditions.Keys.Except(conditionOrder));
        foreach (var value in ordered.Select(key => conditions[key]))
            name.Append(string.Concat(value.Where(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '.'))).Append('-');
        return $"{name}seed{blueprint.Seed}{(blueprint.ContentType == "image/png" ? ".png" : ".bin")}";
    }

    private static bool NotModified(HttpContext context, EntityTagHeaderValue etag) =>
        context.Request.GetTypedHeaders().IfNoneMatch.Any(candidate => candidate.Compare(etag, useStrongComparison: true));

    private static void SetCaching(HttpContext context) =>
        context.Response.Headers.CacheControl = "private, max-age=31536000, immutable";
}
