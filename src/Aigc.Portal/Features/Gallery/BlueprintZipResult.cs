using Aigc.Platform.Blobs;
using Aigc.Platform.Gallery;

namespace Aigc.Portal.Features.Gallery;

/// <summary>The selection's ZIP (<see cref="Aigc.Platform.Gallery.BlueprintZip"/>) streamed to the response as an attachment.</summary>
public sealed record BlueprintZipResult(IReadOnlyList<BlueprintDetails> Blueprints, BlobStore Blobs, bool StripMetadata) : IResult
{
    public async Task ExecuteAsync(HttpContext context)
    {
        context.Response.ContentType = "application/zip";
        context.Response.Headers.ContentDisposition = $"attachment; filename=\"blueprints-{DateTime.UtcNow:yyyyMMdd-HHmm}.zip\"";
        context.Response.Headers.CacheControl = "no-store";
        await Aigc.Platform.Gallery.BlueprintZip.WriteAsync(context.Response.BodyWriter.AsStream(), Blueprints, Blobs, StripMetadata,
            context.RequestAborted);
    }
}
