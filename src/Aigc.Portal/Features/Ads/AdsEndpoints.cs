using Aigc.Platform.Ads;
using Aigc.Platform.Blobs;
using Aigc.Portal.Web;

namespace Aigc.Portal.Features.Ads;

/// <summary>
/// The files of Ads as HTTP resources: a campaign's renders and ZIP, the composer's latest preview and a kit's logo.
/// Everything else runs in the interactive pages. Another user's campaign or preview answers like a missing one.
/// </summary>
public static class AdsEndpoints
{
    public static IEndpointRouteBuilder MapAdsEndpoints(this IEndpointRouteBuilder app)
    {
        var ads = app.MapGroup("/ads").RequireAuthorization(PortalPolicies.Ads);

        ads.MapGet("/campaigns/{id:guid}/zip", async (Guid id, HttpContext context, AdCampaigns campaigns) =>
        {
            var campaign = await campaigns.FindAsync(id, context.User.ToRequester(), context.RequestAborted);
            if (campaign is null || campaign.Renders.Count == 0) return Results.NotFound();
            var zip = await campaigns.ZipAsync(campaign, context.RequestAborted);
            return Results.File(zip, "application/zip", $"{AdCampaigns.Slug(campaign.Name)}.zip");
        });

        ads.MapGet("/renders/{id:guid}", async (Guid id, bool? download, HttpContext context, AdCampaigns campaigns,
            BlobStore blobs) =>
        {
            if (await campaigns.FindRenderAsync(id, context.User.ToRequester(), context.RequestAborted)
                is not var (render, campaign))
                return Results.NotFound();
            context.Response.Headers.CacheControl = "private, max-age=31536000, immutable";
            var type = render.Format == "jpeg" ? "image/jpeg" : "image/png";
            return download == true
                ? Results.File(blobs.OpenRead(render.FileSha256), type, AdCampaigns.FileName(campaign, render))
                : Results.File(blobs.OpenRead(render.FileSha256), type);
        });

        // A preview's id changes with every render, so the browser may keep each one as long as it likes.
        ads.MapGet("/previews/{id:guid}", (Guid id, HttpContext context, AdPreviews previews) =>
        {
            var png = previews.Find(id, context.User.ToRequester().UserId);
            if (png is null) return Results.NotFound();
            context.Response.Headers.CacheControl = "private, max-age=600, immutable";
            return Results.File(png, "image/png");
        });

        ads.MapGet("/kits/{id:guid}/logo", async (Guid id, HttpContext context, BrandKits kits, BlobStore blobs) =>
        {
            var kit = await kits.FindAsync(id, context.RequestAborted);
            if (kit?.LogoSha256 is null) return Results.NotFound();
            // An SVG opened directly must not run anything even if sanitising missed something.
            context.Response.Headers.ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; sandbox";
            return Results.File(blobs.OpenRead(kit.LogoSha256), kit.LogoContentType);
        });
        return app;
    }
}
