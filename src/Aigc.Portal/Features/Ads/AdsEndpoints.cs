using Aigc.Imaging.Ads;
using Aigc.Platform.Ads;
using Aigc.Platform.Blobs;
using Aigc.Platform.Data;
using Aigc.Portal.Web;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Aigc.Portal.Features.Ads;

/// <summary>
/// The composer's live preview, "render all", campaign files and ZIP, and brand kit saves. htmx posts answer with a
/// fragment (problems or preview) or an HX-Redirect once something was saved.
/// </summary>
public static class AdsEndpoints
{
    public static IEndpointRouteBuilder MapAdsEndpoints(this IEndpointRouteBuilder app)
    {
        var ads = app.MapGroup("/ads").RequireAuthorization(PortalPolicies.Ads).ValidateAntiforgery().DisableAntiforgery();

        ads.MapPost("/preview", async (HttpContext context, AdCampaigns campaigns) =>
        {
            var form = await context.Request.ReadFormAsync(context.RequestAborted);
            var size = AdSize.Standard.FirstOrDefault(s => s.ToString() == form["preview"], AdSize.Standard[0]);
            try
            {
                var (png, warnings) = await campaigns.PreviewAsync(AdsFormReader.Campaign(form, forPreview: true), size, context.User.ToRequester(), context.RequestAborted);
                return new RazorComponentResult<AdPreview>(new { Png = png, Size = size, Warnings = warnings });
            }
            catch (AdInputException e)
            {
                return new RazorComponentResult<AdPreview>(new { Size = size, Problems = e.Problems });
            }
        });

        ads.MapPost("/campaigns", async (HttpContext context, AdCampaigns campaigns) =>
        {
            var form = await context.Request.ReadFormAsync(context.RequestAborted);
            try
            {
                var requester = context.User.ToRequester();
                var campaign = await campaigns.SaveAsync(AdsFormReader.CampaignId(form), AdsFormReader.Campaign(form), requester, context.RequestAborted);
                await campaigns.RenderAsync(campaign.Id, requester, context.RequestAborted);
                context.Response.Headers["HX-Redirect"] = $"/ads/campaigns/{campaign.Id}";
                return Results.Ok();
            }
            catch (AdInputException e)
            {
                return new RazorComponentResult<FormProblems>(new { Problems = e.Problems });
            }
        });

        ads.MapPost("/campaigns/{id:guid}/render", async (Guid id, HttpContext context, AdCampaigns campaigns) =>
        {
            try
            {
                await campaigns.RenderAsync(id, context.User.ToRequester(), context.RequestAborted);
            }
            catch (KeyNotFoundException)
            {
                return Results.NotFound();
            }
            catch (AdInputException e)
            {
                return new RazorComponentResult<FormProblems>(new { Problems = e.Problems });
            }
            context.Response.Headers["HX-Refresh"] = "true";
            return Results.Ok();
        });

        ads.MapGet("/campaigns/{id:guid}/zip", async (Guid id, HttpContext context, AdCampaigns campaigns) =>
        {
            var campaign = await campaigns.FindAsync(id, context.User.ToRequester(), context.RequestAborted);
            if (campaign is null || campaign.Renders.Count == 0) return Results.NotFound();
            var zip = await campaigns.ZipAsync(campaign, context.RequestAborted);
            return Results.File(zip, "application/zip", $"{AdCampaigns.Slug(campaign.Name)}.zip");
        });

        ads.MapGet("/renders/{id:guid}", async (Guid id, bool? download, HttpContext context, PortalDbContext db, BlobStore blobs) =>
        {
            var requester = context.User.ToRequester();
            var render = await db.AdRenders.AsNoTracking().SingleOrDefaultAsync(r => r.Id == id, context.RequestAborted);
            var campaign = render is null ? null : await db.AdCampaigns.AsNoTracking()
                .SingleOrDefaultAsync(c => c.Id == render.CampaignId && (requester.IsAdmin || c.OwnerId == requester.UserId), context.RequestAborted);
            if (render is null || campaign is null) return Results.NotFound();
            context.Response.Headers.CacheControl = "private, max-age=31536000, immutable";
            var type = render.Format == "jpeg" ? "image/jpeg" : "image/png";
            return download == true
                ? Results.File(blobs.OpenRead(render.FileSha256), type, AdCampaigns.FileName(campaign, render))
                : Results.File(blobs.OpenRead(render.FileSha256), type);
        });

        ads.MapPost("/kits/save", (HttpContext context, BrandKits kits, IOptions<AdsOptions> options) => SaveKitAsync(null, context, kits, options.Value));
        ads.MapPost("/kits/{id:guid}/save", (Guid id, HttpContext context, BrandKits kits, IOptions<AdsOptions> options) => SaveKitAsync(id, context, kits, options.Value));

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

    private static async Task<IResult> SaveKitAsync(Guid? id, HttpContext context, BrandKits kits, AdsOptions options)
    {
        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        var logo = form.Files.GetFile("logo");
        byte[]? bytes = null;
        if (logo is { Length: > 0 })
        {
            // Refused before it is copied into memory.
            if (logo.Length > options.MaxLogoBytes)
                return new RazorComponentResult<FormProblems>(new
                {
                    Problems = new[] { new AdInputProblem("logo", $"The logo is {logo.Length:N0} bytes; logos may be at most {options.MaxLogoBytes:N0} bytes.") },
                });
            using var stream = logo.OpenReadStream();
            using var buffer = new MemoryStream();
            await stream.CopyToAsync(buffer, context.RequestAborted);
            bytes = buffer.ToArray();
        }
        try
        {
            var kit = await kits.SaveAsync(id, AdsFormReader.Kit(form), bytes, form["removeLogo"] == "true", context.User, context.RequestAborted);
            context.Response.Headers["HX-Redirect"] = $"/ads/kits?saved={kit.Id}";
            return Results.Ok();
        }
        catch (KeyNotFoundException)
        {
            return Results.NotFound();
        }
        catch (AdInputException e)
        {
            return new RazorComponentResult<FormProblems>(new { Problems = e.Problems });
        }
    }
}
