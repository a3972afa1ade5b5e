using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using Aigc.Generation.Manifest;
using Aigc.Imaging.Blueprint;
using Aigc.Imaging.Metadata;
using Aigc.Platform.Blobs;
using Aigc.Platform.Blueprints;
using Aigc.Platform.Data;
using Aigc.Platform.Models;
using Aigc.Platform.Queue;
using Aigc.Portal.Web;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace Aigc.Portal.Features.Studio;

/// <summary>
/// The Studio's htmx endpoints. Every action that makes images answers with a new job panel (prepended to the
/// results) whose progress streams from /studio/jobs/{id}/events; a refused request answers with the refusal placed
/// next to its field (out-of-band swaps) and swaps nothing else.
/// </summary>
public static class StudioEndpoints
{
    private const int FollowUpCount = 4;

    public static IEndpointRouteBuilder MapStudioEndpoints(this IEndpointRouteBuilder app)
    {
        var studio = app.MapGroup("/studio").RequireAuthorization(PortalPolicies.Studio).ValidateAntiforgery().DisableAntiforgery();

        studio.MapGet("/conditions", async (string? model, HttpContext context, PortalDbContext db) =>
        {
            var models = await StudioQueries.UsableModelsAsync(db, context.User.ToRequester(), context.RequestAborted);
            var picked = StudioQueries.Pick(models, model);
            return picked is null
                ? Results.NotFound()
                : new RazorComponentResult<ConditionFields>(new { Model = picked, Selected = new Dictionary<string, string>() });
        });

        studio.MapPost("/generate", async (HttpContext context, GenerationQueue queue, PortalDbContext db, TimeProvider clock) =>
        {
            var form = StudioForm.FromForm(await context.Request.ReadFormAsync(context.RequestAborted));
            if (form.Errors.Count > 0)
                return Refused(context, form.Errors.Select(e => new FieldError(e.Key, e.Value)).ToList());
            var request = new GenerationRequest(form.Model ?? "", form.Conditions, form.Count, form.SeedLocked ? form.Seed : null, form.Preset, Recipe: form.Recipe);
            var (result, job) = await TryEnqueueAsync(context, queue, request);
            if (job is not null)
                await StudioQueries.SaveSettingsAsync(db, job.UserId, form, clock.GetUtcNow().UtcDateTime, context.RequestAborted);
            return result;
        });

        studio.MapPost("/blueprints/{id:guid}/more", async (Guid id, HttpContext context, BlueprintAccess access, GenerationQueue queue) =>
        {
            var source = await access.FindReadableAsync(id, context.User.ToRequester(), context.RequestAborted);
            if (source is null)
                return Results.NotFound();
            // Neighbouring seeds: the plain samples right after this image's seed, same conditions and preset.
            return await EnqueueAsync(context, queue, new GenerationRequest(source.Job!.ModelSha256, ConditionsJson.Read(source.ConditionsJson),
                FollowUpCount, source.Seed + 1, source.Job.Preset));
        });

        studio.MapPost("/blueprints/{id:guid}/vary", async (Guid id, HttpContext context, BlueprintAccess access, GenerationQueue queue) =>
        {
            var source = await access.FindReadableAsync(id, context.User.ToRequester(), context.RequestAborted);
            if (source is null)
                return Results.NotFound();
            var form = await context.Request.ReadFormAsync(context.RequestAborted);
            if (!double.TryParse(form["strength"], System.Globalization.CultureInfo.InvariantCulture, out var strength))
                return Refused(context, [new FieldError("strength", $"strength must be a number (got \"{form["strength"]}\").")]);
            return await EnqueueAsync(context, queue, new GenerationRequest(source.Job!.ModelSha256, ConditionsJson.Read(source.ConditionsJson),
                FollowUpCount, source.Seed, source.Job.Preset, Recipe: GenerationRecipe.Vary(strength)));
        });

        studio.MapPost("/interpolate", async (HttpContext context, BlueprintAccess access, GenerationQueue queue) =>
        {
            var form = await context.Request.ReadFormAsync(context.RequestAborted);
            var picks = form["pick"].Select(p => Guid.TryParse(p, out var g) ? g : Guid.Empty).Distinct().ToList();
            if (picks.Count != 2 || picks.Contains(Guid.Empty))
                return Refused(context, [new FieldError("interpolate", $"Select exactly two results to interpolate between ({picks.Count} selected).")]);
            if (!int.TryParse(form["frames"], out var frames))
                return Refused(context, [new FieldError("interpolate", $"frames must be a whole number (got \"{form["frames"]}\").")]);
            var requester = context.User.ToRequester();
            var a = await access.FindReadableAsync(picks[0], requester, context.RequestAborted);
            var b = await access.FindReadableAsync(picks[1], requester, context.RequestAborted);
            if (a is null || b is null)
                return Results.NotFound();
            if (a.Job!.ModelSha256 != b.Job!.ModelSha256)
                return Refused(context, [new FieldError("interpolate", "Both results must come from the same model version.")]);
            var request = new GenerationRequest(a.Job.ModelSha256, ConditionsJson.Read(a.ConditionsJson), Math.Max(frames, 0), a.Seed, a.Job.Preset,
                Recipe: GenerationRecipe.Interpolate(ConditionsJson.Read(b.ConditionsJson), b.Seed, frames));
            return await EnqueueAsync(context, queue, request, refusalSlot: "interpolate");
        });

        studio.MapGet("/jobs/{id:guid}/events", async (Guid id, HttpContext context, GenerationQueue queue, JobProgressFeed feed, FragmentRenderer renderer) =>
        {
            var requester = context.User.ToRequester();
            var job = await queue.GetAsync(id, requester, context.RequestAborted);
            return job is null
                ? Results.NotFound()
                : TypedResults.ServerSentEvents(StreamAsync(job, requester, feed, renderer, context.RequestAborted));
        });

        studio.MapPost("/jobs/{id:guid}/cancel", async (Guid id, HttpContext context, GenerationQueue queue) =>
            await queue.CancelAsync(id, context.User.ToRequester(), context.RequestAborted) ? Results.NoContent() : Results.NotFound());

        studio.MapGet("/jobs/{id:guid}/contact-sheet", async (Guid id, HttpContext context, GenerationQueue queue, BlobStore blobs) =>
        {
            var requester = context.User.ToRequester();
            var job = await queue.GetAsync(id, requester, context.RequestAborted);
            var images = job is null ? [] : await queue.BlueprintsAsync(id, requester, context.RequestAborted);
            if (job is null || images.Count == 0)
                return Results.NotFound();
            var frames = new List<ContactFrame>();
            foreach (var image in images)
                frames.Add(new ContactFrame(await blobs.ReadAllAsync(image.FileSha256, context.RequestAborted),
                    StudioQueries.RecipeLabel(job, image.Index) ?? $"seed {image.Seed}"));
            var png = await Task.Run(() => ContactSheet.Render(frames, StudioQueries.Describe(job)), context.RequestAborted);
            return Results.File(png, "image/png", $"contact-sheet-{job.Id.ToString("N")[..8]}.png");
        });

        studio.MapGet("/samples/{sha}/{condition}/{value}", async (string sha, string condition, string value, HttpContext context,
            PortalDbContext db, SampleThumbnails samples, BlobStore blobs) =>
        {
            var models = await StudioQueries.UsableModelsAsync(db, context.User.ToRequester(), context.RequestAborted);
            var model = models.FirstOrDefault(m => m.Version.WeightsSha256 == sha);
            if (model is null || !model.Schema.Categorical.Any(c => c.Name == condition && c.Values!.Contains(value)))
                return Results.NotFound();
            var blob = await samples.GetAsync(sha, model.Schema, condition, value, context.RequestAborted);
            var etag = new EntityTagHeaderValue($"\"{blob}\"");
            if (context.Request.GetTypedHeaders().IfNoneMatch.Any(candidate => candidate.Compare(etag, useStrongComparison: true)))
                return Results.StatusCode(StatusCodes.Status304NotModified);
            context.Response.Headers.CacheControl = "private, max-age=86400";
            return Results.File(blobs.OpenRead(blob), "image/png", entityTag: etag);
        });

        studio.MapPost("/reproduce", async (HttpContext context, ModelRegistry registry, IOptions<StudioOptions> options) =>
        {
            var form = await context.Request.ReadFormAsync(context.RequestAborted);
            var file = form.Files.GetFile("file");
            var (form2, problem) = await ReproduceAsync(file, registry, options.Value, context.RequestAborted);
            if (problem is not null)
            {
                return context.Request.IsHtmx()
                    ? new RazorComponentResult<ReproduceMessage>(new { Message = problem })
                    : Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "This file cannot be reproduced", detail: problem);
            }

            var url = form2!.ToUrl();
            if (!context.Request.IsHtmx())
                return Results.Redirect(url);
            context.Response.Headers["HX-Redirect"] = url;
            return Results.Ok();
        });

        return app;
    }

    /// <summary>The Studio form that regenerates an uploaded PNG, or why it cannot.</summary>
    internal static async Task<(StudioForm? Form, string? Problem)> ReproduceAsync(IFormFile? file, ModelRegistry registry, StudioOptions options, CancellationToken cancellationToken)
    {
        if (file is null || file.Length == 0)
            return (null, "Choose a PNG made by this portal.");
        if (file.Length > options.MaxUploadBytes)
            return (null, $"The file is {file.Length / 1024} KiB; the limit is {options.MaxUploadBytes / 1024} KiB.");
        using var buffer = new MemoryStream((int)file.Length);
        await file.CopyToAsync(buffer, cancellationToken);
        var bytes = buffer.ToArray();
        if (!bytes.AsSpan().StartsWith((ReadOnlySpan<byte>)[0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]))
            return (null, "This is not a PNG file. Reproduce reads the PNGs the portal downloads (with metadata).");
        BlueprintMetadata? metadata;
        try
        {
            metadata = BlueprintMetadata.Read(bytes);
        }
        catch (InvalidDataException e)
        {
            return (null, $"The PNG is damaged: {e.Message}");
        }

        if (metadata is null)
            return (null, "This PNG carries no Aigc Portal metadata (it was exported without it, or made elsewhere), so it cannot be reproduced.");
        var model = await registry.FindAsync(metadata.WeightsSha256, cancellationToken);
        if (model is null)
            return (null, $"The PNG was made by {metadata.ModelName}@{metadata.ModelVersion}, a model version this portal does not know.");
        try
        {
            return (StudioForm.FromMetadata(metadata), null);
        }
        catch (InvalidDataException e)
        {
            return (null, e.Message);
        }
    }

    private static async Task<IResult> EnqueueAsync(HttpContext context, GenerationQueue queue, GenerationRequest request, string? refusalSlot = null) =>
        (await TryEnqueueAsync(context, queue, request, refusalSlot)).Result;

    /// <summary>The new job's panel, or the refusal next to its field (and no job).</summary>
    private static async Task<(IResult Result, GenerationJob? Job)> TryEnqueueAsync(HttpContext context, GenerationQueue queue, GenerationRequest request, string? refusalSlot = null)
    {
        try
        {
            var job = await queue.EnqueueAsync(request, context.User.ToRequester(), context.RequestAborted);
            return (new RazorComponentResult<JobPanel>(new { Job = job, Tiles = new List<ResultTileModel>() }), job);
        }
        catch (GenerationRefusedException e)
        {
            if (e.RetryAfter is { } wait)
                context.Response.Headers.RetryAfter = Math.Ceiling(wait.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
            var field = e.Kind == RefusalKind.QueueFull ? "form" : refusalSlot ?? e.Field;
            return (Refused(context, [new FieldError(field, e.Message)]), null);
        }
    }

    /// <summary>Refusals go next to their fields through out-of-band swaps; the request's own target stays as it was.</summary>
    private static IResult Refused(HttpContext context, List<FieldError> errors)
    {
        errors = errors.Select(e => FieldError.Slots.Contains(e.Field) || e.Field.StartsWith("conditions.", StringComparison.Ordinal) ? e : e with { Field = "form" }).ToList();
        context.Response.Headers["HX-Reswap"] = "none";
        return new RazorComponentResult<FieldErrors>(new { Errors = errors });
    }

    private static async IAsyncEnumerable<SseItem<string>> StreamAsync(GenerationJob job, Requester requester, JobProgressFeed feed, FragmentRenderer renderer,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var sent = new HashSet<Guid>();
        JobProgress? last = null;
        await foreach (var progress in feed.WatchAsync(job.Id, requester, cancellationToken))
        {
            foreach (var image in progress.Images.Where(i => sent.Add(i.BlueprintId)))
                yield return new SseItem<string>(await renderer.RenderAsync<ResultTile>(new Dictionary<string, object?>
                {
                    [nameof(ResultTile.Tile)] = StudioQueries.Tile(job, image.BlueprintId, image.Index, image.Seed, requester),
                }), "tile");
            last = progress;
            if (!progress.IsFinal)
                yield return new SseItem<string>(await Status(renderer, job, progress), "progress");
        }

        // Always a final event, so the browser closes the stream instead of reconnecting and starting over.
        yield return new SseItem<string>(last is null ? "" : await Status(renderer, job, last), "done");
    }

    private static Task<string> Status(FragmentRenderer renderer, GenerationJob job, JobProgress progress) =>
        renderer.RenderAsync<JobStatusView>(new Dictionary<string, object?> { [nameof(JobStatusView.Job)] = job, [nameof(JobStatusView.Progress)] = progress });
}

/// <summary>A refusal to show next to a field of the Studio (slot "form" for the whole request).</summary>
public sealed record FieldError(string Field, string Message)
{
    /// <summary>Fields with a place of their own on the page (besides one per condition); others show at the form's foot.</summary>
    public static readonly IReadOnlySet<string> Slots = new HashSet<string>(StringComparer.Ordinal) { "model", "count", "seed", "preset", "form", "interpolate" };

    /// <summary>The id of the element the message goes into: "error-count", "error-conditions-part"…</summary>
    public string SlotId => "error-" + Field.Replace('.', '-');
}
