using Aigc.Generation.Manifest;
using Aigc.Imaging.Blueprint;
using Aigc.Imaging.Pipeline;
using Aigc.Platform.Blobs;
using Aigc.Platform.Blueprints;
using Aigc.Platform.Data;
using Aigc.Platform.Gallery;
using Aigc.Platform.Models;
using Aigc.Platform.Queue;
using Aigc.Platform.Refusals;
using Aigc.Platform.Sketches;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Aigc.Platform.Studio;

/// <summary>
/// Everything the Studio page does, for one requester at a time: the models and presets its form offers, generating
/// (plain, more like this, vary, interpolate), its jobs and their tiles, cancelling, reproducing an uploaded PNG, the
/// settings remembered per user. Every call checks <see cref="GenerationPolicy"/> first (a refused role gets
/// <see cref="GenerationRefusedException"/> with <see cref="RefusalKind.Forbidden"/>), and someone else's image or
/// job answers like a missing one. A singleton: a Blazor circuit holds it for hours, so each call opens its own
/// short scope (queue, access checks) or database context.
/// </summary>
public sealed class StudioService(
    IServiceScopeFactory scopes,
    IDbContextFactory<PortalDbContext> databases,
    ConditionSamples samples,
    BlobStore blobs,
    PipelinePresetCatalog presets,
    IOptions<StudioOptions> options,
    SketchReader sketches,
    TimeProvider clock)
{
    /// <summary>Images a "more like this" or "vary" makes.</summary>
    public const int FollowUpCount = 4;

    public IReadOnlyCollection<string> Presets => presets.Names;

    public long MaxUploadBytes => options.Value.MaxUploadBytes;

    public async Task<List<StudioModel>> ModelsAsync(Requester requester, CancellationToken cancellationToken = default)
    {
        GenerationPolicy.Demand(requester);
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var versions = await db.ModelVersions.AsNoTracking().ToListAsync(cancellationToken);
        return ModelAccess.Usable(versions, requester.Roles).Select(StudioModel.From).ToList();
    }

    /// <summary>The query string of the requester's last generation, or null.</summary>
    public async Task<string?> LastSettingsAsync(Requester requester, CancellationToken cancellationToken = default)
    {
        GenerationPolicy.Demand(requester);
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        return await db.StudioSettings.AsNoTracking().Where(s => s.UserId == requester.UserId).Select(s => s.Query)
            .SingleOrDefaultAsync(cancellationToken);
    }

    /// <summary>Queues the request and remembers <paramref name="settings"/> (the form as a query string) once
    /// it is accepted.</summary>
    public async Task<GenerationJob> GenerateAsync(Requester requester, GenerationRequest request, string settings,
        CancellationToken cancellationToken = default)
    {
        var job = await EnqueueAsync(requester, request, cancellationToken);
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var saved = await db.StudioSettings.SingleOrDefaultAsync(s => s.UserId == requester.UserId, cancellationToken);
        var now = clock.GetUtcNow().UtcDateTime;
        if (saved is null)
            db.StudioSettings.Add(new StudioSettings { UserId = requester.UserId, Query = settings, UpdatedAt = now });
        else
            (saved.Query, saved.UpdatedAt) = (settings, now);
        await db.SaveChangesAsync(cancellationToken);
        return job;
    }

    /// <summary>Neighbouring seeds: the plain samples right after the image's seed, same conditions and preset.
    /// Null: no such image.</summary>
    public async Task<GenerationJob?> MoreLikeThisAsync(Requester requester, Guid blueprintId,
        CancellationToken cancellationToken = default)
    {
        GenerationPolicy.Demand(requester);
        var source = await ReadableAsync(requester, blueprintId, cancellationToken);
        return source is null ? null : await EnqueueAsync(requester, new GenerationRequest(source.Job!.ModelSha256,
            ConditionsJson.Read(source.ConditionsJson), FollowUpCount, source.Seed + 1, source.Job.Preset),
                cancellationToken);
    }

    /// <summary>Small changes of the image (its seed, nudged by <paramref name="strength"/>). Null: no such
    /// image.</summary>
    public async Task<GenerationJob?> VaryAsync(Requester requester, Guid blueprintId, double strength,
        CancellationToken cancellationToken = default)
    {
        GenerationPolicy.Demand(requester);
        var source = await ReadableAsync(requester, blueprintId, cancellationToken);
        // A sketch's result varies around the sketch's latent, a sample's around its seed's.
        return source is null ? null : await EnqueueAsync(requester, new GenerationRequest(source.Job!.ModelSha256,
            ConditionsJson.Read(source.ConditionsJson), FollowUpCount, source.Seed, source.Job.Preset,
                Recipe: source.Job.SketchLatent is { } latent ? GenerationRecipe.Sketch(latent, strength) : GenerationRecipe.Vary(strength)),
            cancellationToken);
    }

    /// <summary>A strip of <paramref name="frames"/> images from <paramref name="from"/> to <paramref
    /// name="to"/>. Null: either is missing.</summary>
    public async Task<GenerationJob?> InterpolateAsync(Requester requester, Guid from, Guid to, int frames,
        CancellationToken cancellationToken = default)
    {
        GenerationPolicy.Demand(requester);
        var a = await ReadableAsync(requester, from, cancellationToken);
        var b = await ReadableAsync(requester, to, cancellationToken);
        if (a is null || b is null)
            return null;
        if (a.Job!.ModelSha256 != b.Job!.ModelSha256)
            throw new GenerationRefusedException(RefusalKind.Invalid,
                new Refusal("InterpolateSameModel", "interpolate"));
        // A strip runs from a sketch's latent to a seed's result: a sketch picked second starts it instead.
        if (b.Job!.SketchLatent is not null)
            (a, b) = a.Job!.SketchLatent is null ? (b, a) : throw new GenerationRefusedException(RefusalKind.Invalid,
                new Refusal("InterpolateSketchToResult", "interpolate"));
        var end = ConditionsJson.Read(b.ConditionsJson);
        return await EnqueueAsync(requester, new GenerationRequest(a.Job!.ModelSha256,
            ConditionsJson.Read(a.ConditionsJson), Math.Max(frames, 0),
            a.Seed, a.Job.Preset, Recipe: a.Job.SketchLatent is { } latent
                ? GenerationRecipe.SketchToward(latent, end, b.Seed, frames)
                : GenerationRecipe.Interpolate(end, b.Seed, frames)), cancellationToken);
    }

    /// <summary>Whether the model version can start from a sketch (it ships an encoder).</summary>
    public bool OffersSketch(string sha256) => sketches.Offers(sha256);

    /// <summary>
    /// Reads an uploaded or drawn sketch (streamed, at most <see cref="MaxUploadBytes"/>): the conditions and latent
    /// of its closest image. Refusals name "sketch" or "model".
    /// </summary>
    public async Task<SketchReading> ReadSketchAsync(Requester requester, string sha256, Stream upload,
        CancellationToken cancellationToken = default)
    {
        GenerationPolicy.Demand(requester);
        byte[] bytes;
        try
        {
            bytes = await ReproductionReader.ReadLimitedAsync(upload, MaxUploadBytes, cancellationToken);
        }
        catch (ReproduceRefusedException e)
        {
            throw new GenerationRefusedException(RefusalKind.Invalid, e.Problem == ReproduceProblem.TooLarge
                ? new Refusal("SketchTooLarge", "sketch", MaxUploadBytes / 1024)
                : new Refusal("SketchEmpty", "sketch"));
        }

        return await sketches.ReadAsync(sha256, bytes, requester, cancellationToken);
    }

    /// <summary>
    /// A sketch's closest image (no strength) or <see cref="FollowUpCount"/> variants around it, with the
    /// conditions as the designer left them after reading.
    /// </summary>
    public Task<GenerationJob> FromSketchAsync(Requester requester, string sha256,
        IReadOnlyDictionary<string, string> conditions, string latent, double? strength, string? preset,
        CancellationToken cancellationToken = default)
    {
        GenerationPolicy.Demand(requester);
        return EnqueueAsync(requester, new GenerationRequest(sha256, conditions, strength is null ? 1 : FollowUpCount,
            Preset: preset, Recipe: GenerationRecipe.Sketch(latent, strength)), cancellationToken);
    }

    public async Task<bool> CancelAsync(Requester requester, Guid jobId, CancellationToken cancellationToken = default)
    {
        GenerationPolicy.Demand(requester);
        await using var scope = scopes.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<GenerationQueue>().CancelAsync(jobId, requester,
            cancellationToken);
    }

    /// <summary>The requester's latest jobs, newest first, with their images: the Studio's results when it
    /// opens.</summary>
    public async Task<List<StudioJob>> RecentJobsAsync(Requester requester, int count,
        CancellationToken cancellationToken = default)
    {
        GenerationPolicy.Demand(requester);
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var jobs = await db.GenerationJobs.AsNoTracking().Where(j => j.UserId == requester.UserId)
            .OrderByDescending(j => j.CreatedAt).Take(count).ToListAsync(cancellationToken);
        var ids = jobs.Select(j => j.Id).ToList();
        var blueprints = await db.Blueprints.AsNoTracking().Where(b => ids.Contains(b.JobId) && b.DeletedAt == null)
            .OrderBy(b => b.Index).Select(b => new { b.Id, b.JobId, b.Index, b.Seed }).ToListAsync(cancellationToken);
        var blueprintIds = blueprints.Select(b => b.Id).ToList();
        var favourites = (await db.Favourites.AsNoTracking().Where(f => f.UserId == requester.UserId
            && blueprintIds.Contains(f.BlueprintId))
            .Select(f => f.BlueprintId).ToListAsync(cancellationToken)).ToHashSet();
        return jobs.Select(j => new StudioJob(j, blueprints.Where(b => b.JobId == j.Id)
            .Select(b => new StudioTile(b.Id, j, b.Index, b.Seed, favourites.Contains(b.Id))).ToList())).ToList();
    }

    /// <summary>Marks or unmarks the image a favourite of the requester; false when it is not readable to
    /// them.</summary>
    public async Task<bool> SetFavouriteAsync(Requester requester, Guid blueprintId, bool favourite,
        CancellationToken cancellationToken = default)
    {
        GenerationPolicy.Demand(requester);
        await using var scope = scopes.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<Curation>().SetFavouriteAsync(blueprintId, favourite,
            requester, cancellationToken);
    }

    /// <summary>
    /// Reads an uploaded PNG (at most <see cref="StudioOptions.MaxUploadBytes"/>; a larger stream is refused after that
    /// many bytes) and returns what made it; throws <see cref="ReproduceRefusedException"/> saying why it cannot.
    /// </summary>
    public async Task<Reproduction> ReproduceAsync(Requester requester, Stream upload,
        CancellationToken cancellationToken = default)
    {
        GenerationPolicy.Demand(requester);
        var bytes = await ReproductionReader.ReadLimitedAsync(upload, MaxUploadBytes, cancellationToken);
        var metadata = ReproductionReader.Metadata(bytes);
        await using (var db = await databases.CreateDbContextAsync(cancellationToken))
        {
            var version = await db.ModelVersions.AsNoTracking()
                .SingleOrDefaultAsync(m => m.WeightsSha256 == metadata.WeightsSha256, cancellationToken);
            if (version is null)
                throw new ReproduceRefusedException(ReproduceProblem.UnknownModel,
                    $"{metadata.ModelName}@{metadata.ModelVersion}");
            if (!ModelAccess.MayUse(version, requester.Roles))
                throw new ReproduceRefusedException(ReproduceProblem.ModelNotUsable,
                    $"{version.Name}@{version.Version}");
        }

        GenerationRecipe recipe;
        try
        {
            recipe = JobRecipes.FromMetadata(metadata.Recipe);
        }
        catch (InvalidDataException e)
        {
            throw new ReproduceRefusedException(ReproduceProblem.BadRecipe, e.Message);
        }

        return new Reproduction(metadata.WeightsSha256, metadata.Conditions, metadata.Seed, metadata.Preset,
            recipe.Kind == RecipeKind.Sample ? null : recipe);
    }

    /// <summary>The blob hash of a chip's sample image; null when the model is not usable by the requester or
    /// has no such value.</summary>
    public async Task<string?> SampleAsync(Requester requester, string sha256, string condition, string value,
        CancellationToken cancellationToken = default)
    {
        if (!GenerationPolicy.Allows(requester.Roles))
            return null;
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var version = await db.ModelVersions.AsNoTracking().SingleOrDefaultAsync(m => m.WeightsSha256 == sha256,
            cancellationToken);
        if (version is null || !ModelAccess.MayUse(version, requester.Roles))
            return null;
        var schema = CganManifest.Parse(version.ManifestJson).Schema;
        if (!schema.Categorical.Any(c => c.Name == condition && c.Values!.Contains(value)))
            return null;
        return await samples.GetAsync(sha256, schema, condition, value, cancellationToken);
    }

    /// <summary>One PNG of all a job's images side by side, each captioned; null when the job is not the
    /// requester's or has none.</summary>
    public async Task<byte[]?> ContactSheetAsync(Requester requester, Guid jobId, Func<GenerationJob, int, long,
        string> caption,
        Func<GenerationJob, string> title, CancellationToken cancellationToken = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var queue = scope.ServiceProvider.GetRequiredService<GenerationQueue>();
        var job = await queue.GetAsync(jobId, requester, cancellationToken);
        var images = job is null ? [] : await queue.BlueprintsAsync(jobId, requester, cancellationToken);
        if (job is null || images.Count == 0)
            return null;
        var frames = new List<ContactFrame>();
        foreach (var image in images)
            frames.Add(new ContactFrame(await blobs.ReadAllAsync(image.FileSha256, cancellationToken), caption(job,
                image.Index, image.Seed)));
        return await Task.Run(() => ContactSheet.Render(frames, title(job)), cancellationToken);
    }

    private async Task<Blueprint?> ReadableAsync(Requester requester, Guid id, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<BlueprintAccess>().FindReadableAsync(id, requester,
            cancellationToken);
    }

    private async Task<GenerationJob> EnqueueAsync(Requester requester, GenerationRequest request,
        CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<GenerationQueue>().EnqueueAsync(request, requester,
            cancellationToken);
    }
}
