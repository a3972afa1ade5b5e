using Aigc.Platform.Blobs;
using Aigc.Platform.Data;
using Aigc.Platform.Models;
using Aigc.Portal.Web;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Net.Http.Headers;

namespace Aigc.Portal.Features.Models;

/// <summary>
/// Admin › Models actions. Each changes the registry through <see cref="ModelRegistry"/> (which audits it) and answers
/// htmx with the model's re-rendered group, a plain form with a redirect to the version's page.
/// </summary>
public static class ModelEndpoints
{
    public static IEndpointRouteBuilder MapModelEndpoints(this IEndpointRouteBuilder app)
    {
        var models = app.MapGroup("/admin/models").RequireAuthorization(PortalPolicies.Admin).ValidateAntiforgery().DisableAntiforgery();

        models.MapPost("/{sha}/activate", (string sha, HttpContext context, ModelRegistry registry, PortalDbContext db) =>
            RunAsync(sha, context, db, async () =>
            {
                await registry.ActivateAsync(sha, context.User, context.RequestAborted);
                return "Activated: new jobs use this version.";
            }));

        models.MapPost("/{sha}/retire", (string sha, HttpContext context, ModelRegistry registry, PortalDbContext db) =>
            RunAsync(sha, context, db, async () =>
            {
                await registry.RetireAsync(sha, context.User, context.RequestAborted);
                return "Retired: no new jobs; its images stay.";
            }));

        models.MapPost("/{sha}/roles", (string sha, HttpContext context, ModelRegistry registry, PortalDbContext db) =>
            RunAsync(sha, context, db, async () =>
            {
                var form = await context.Request.ReadFormAsync(context.RequestAborted);
                var roles = form["roles"].Where(r => !string.IsNullOrEmpty(r)).Select(r => r!).Distinct().ToList();
                await registry.RestrictAsync(sha, roles, context.User, context.RequestAborted);
                return roles.Count == 0 ? "Open to every role." : $"Open to {string.Join(", ", roles)} only (admins always).";
            }));

        models.MapPost("/rollback", async (HttpContext context, ModelRegistry registry, PortalDbContext db) =>
        {
            var form = await context.Request.ReadFormAsync(context.RequestAborted);
            var name = form["name"].ToString();
            string notice;
            var isError = false;
            string? now = null;
            try
            {
                var target = await registry.RollBackAsync(name, context.User, context.RequestAborted);
                now = target.WeightsSha256;
                notice = $"Rolled back: {target.Name}@{target.Version} is active again.";
            }
            catch (ModelRejectedException e)
            {
                (notice, isError) = (e.Message, true);
            }

            if (!context.Request.IsHtmx())
                return now is null ? Results.LocalRedirect("/admin/models") : Results.LocalRedirect($"/admin/models/{now}");
            return await GroupAsync(db, name, notice, isError, context.RequestAborted);
        });

        models.MapPost("/upload", async (HttpContext context, ModelUpload upload) =>
        {
            var outcome = await upload.RunAsync(context);
            if (outcome.Registered is { } version)
            {
                var target = $"/admin/models/{version.WeightsSha256}";
                if (!context.Request.IsHtmx())
                    return Results.LocalRedirect(target);
                context.Response.Headers["HX-Redirect"] = target;
                return Results.Ok();
            }

            return new RazorComponentResult<ModelUploadForm>(new { Outcome = outcome });
        });

        models.MapGet("/{sha}/samples", async (string sha, HttpContext context, ModelRegistry registry, BlobStore blobs) =>
        {
            var version = IsHash(sha) ? await registry.FindAsync(sha, context.RequestAborted) : null;
            if (version?.SamplesSha256 is not { } samples || !blobs.Exists(samples))
                return Results.NotFound();
            var etag = new EntityTagHeaderValue($"\"{samples}\"");
            if (context.Request.Headers.IfNoneMatch.Any(v => v == etag.Tag.Value))
                return Results.StatusCode(StatusCodes.Status304NotModified);
            context.Response.Headers.CacheControl = "private, max-age=31536000, immutable";
            return Results.File(blobs.OpenRead(samples), "image/png", entityTag: etag);
        });

        return app;
    }

    public static bool IsHash(string sha) => sha.Length == 64 && sha.All(char.IsAsciiHexDigitLower);

    private static async Task<IResult> RunAsync(string sha, HttpContext context, PortalDbContext db, Func<Task<string>> change)
    {
        var version = IsHash(sha)
            ? await db.ModelVersions.AsNoTracking().SingleOrDefaultAsync(m => m.WeightsSha256 == sha, context.RequestAborted)
            : null;
        if (version is null)
            return Results.NotFound();
        string notice;
        var isError = false;
        try
        {
            notice = await change();
        }
        catch (Exception e) when (e is ModelRejectedException or ArgumentException)
        {
            (notice, isError) = (e.Message, true);
        }

        if (!context.Request.IsHtmx())
            return Results.LocalRedirect($"/admin/models/{sha}");
        return await GroupAsync(db, version.Name, notice, isError, context.RequestAborted, sha);
    }

    private static async Task<IResult> GroupAsync(PortalDbContext db, string name, string notice, bool isError, CancellationToken cancellationToken, string? noticeFor = null)
    {
        db.ChangeTracker.Clear();
        var group = await ModelQueries.GroupAsync(db, name, cancellationToken);
        if (group is null)
            return Results.NotFound();
        return new RazorComponentResult<ModelGroupCard>(new { Group = group, Notice = notice, NoticeIsError = isError, NoticeFor = noticeFor });
    }
}
