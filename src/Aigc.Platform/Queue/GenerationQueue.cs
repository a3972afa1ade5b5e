using System.Diagnostics;
using System.Security.Cryptography;
using Aigc.Generation.Manifest;
using Aigc.Imaging.Pipeline;
using Aigc.Platform.Data;
using Aigc.Platform.Models;
using Aigc.Platform.Refusals;
using Aigc.Platform.Telemetry;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Aigc.Platform.Queue;

/// <summary>
/// The user side of the queue of record: validates and accepts requests (conditions, count, preset, model, caps,
/// quota, room in the queue), reads and cancels jobs. A job of another user is invisible (null/false), unless the
/// requester is an admin.
/// </summary>
public sealed class GenerationQueue(
    PortalDbContext db, ModelRegistry models, PipelinePresetCatalog presets, QueueMetrics metrics, QueueSignal signal, IOptions<QueueOptions> options, TimeProvider clock)
{
    private static readonly JobStatus[] Pending = [JobStatus.Queued, JobStatus.Running];

    /// <summary>Accepts a request as a queued job, or throws <see cref="GenerationRefusedException"/> naming the field and the reason.</summary>
    public async Task<GenerationJob> EnqueueAsync(GenerationRequest request, Requester requester, CancellationToken cancellationToken = default)
    {
        GenerationPolicy.Demand(requester);
        // The first span of the job's trace (a child of the request's, if any); refused requests end it without a job.
        using var span = PlatformTelemetry.Source.StartActivity(PlatformTelemetry.JobSpans[0], ActivityKind.Producer);
        var settings = options.Value;
        if (request.Count < 1 || request.Count > settings.MaxImagesPerJob)
            throw new GenerationRefusedException(RefusalKind.Invalid,
                new("CountRange", "count", settings.MaxImagesPerJob, request.Count));
        if (request.Seed is < 0 || request.Seed > long.MaxValue - request.Count)
            throw new GenerationRefusedException(RefusalKind.Invalid,
                new("SeedRange", "seed", long.MaxValue - request.Count, (object?)request.Seed ?? ""));
        var preset = request.Preset ?? PipelinePresetCatalog.DefaultPresetName;
        if (!presets.Names.Contains(preset, StringComparer.OrdinalIgnoreCase))
            throw new GenerationRefusedException(RefusalKind.Invalid,
                new("UnknownPreset", "preset", preset, string.Join(", ", presets.Names)));

        ModelVersion model;
        try
        {
            model = await models.ResolveForUseAsync(request.Model, requester.Roles, cancellationToken);
        }
        catch (ModelRejectedException e)
        {
            throw new GenerationRefusedException(RefusalKind.Invalid, e.Refusal with { Field = "model" });
        }

        var schema = CganManifest.Parse(model.ManifestJson).Schema;
        ConditionsJson.Validate(schema, request.Conditions);
        var recipe = request.Recipe ?? GenerationRecipe.Sample;
        CheckRecipe(recipe, request.Count, schema);
        if (recipe.Kind == RecipeKind.Sketch)
            CheckSketch(recipe, request.Count, schema, CganManifest.Parse(model.ManifestJson).LatentDim);
        await CheckLimitsAsync(request.Count, requester, settings, cancellationToken);

        var job = new GenerationJob
        {
            // Time-ordered, as blueprint ids are (GenerationScheduler): inserts append to the key index.
            Id = Guid.CreateVersion7(),
            UserId = requester.UserId,
            ModelSha256 = model.WeightsSha256,
            ConditionsJson = ConditionsJson.Write(request.Conditions),
            Count = request.Count,
            Seed = request.Seed ?? RandomNumberGenerator.GetInt32(int.MaxValue),
            Preset = preset,
            Priority = request.Priority,
            Status = JobStatus.Queued,
            CreatedAt = clock.GetUtcNow().UtcDateTime,
            Recipe = recipe.Kind,
            TraceParent = PlatformTelemetry.TraceParentFor(span),
        };
        span?.SetTag(PlatformTelemetry.JobIdTag, job.Id.ToString());
        if (recipe.Kind == RecipeKind.Vary || recipe is { Kind: RecipeKind.Sketch, Strength: not null })
        {
            job.VariationSeed = recipe.VariationSeed ?? RandomNumberGenerator.GetInt32(int.MaxValue);
            job.Strength = recipe.Strength;
        }
        else if (recipe.Kind == RecipeKind.Interpolate || recipe is { Kind: RecipeKind.Sketch, EndSeed: not null })
        {
            job.EndConditionsJson = ConditionsJson.Write(recipe.EndConditions!);
            job.EndSeed = recipe.EndSeed;
            job.Frames = recipe.Frames;
            job.FirstFrame = recipe.FirstFrame;
        }

        job.SketchLatent = recipe.SketchLatent;

        db.GenerationJobs.Add(job);
        await db.SaveChangesAsync(cancellationToken);
        signal.PulseQueued();
        return job;
    }

    public Task<GenerationJob?> GetAsync(Guid id, Requester requester, CancellationToken cancellationToken = default) =>
        db.GenerationJobs.AsNoTracking()
            .SingleOrDefaultAsync(j => j.Id == id && (requester.IsAdmin || j.UserId == requester.UserId), cancellationToken);

    public Task<List<Blueprint>> BlueprintsAsync(Guid jobId, Requester requester, CancellationToken cancellationToken = default) =>
        db.Blueprints.AsNoTracking()
            .Where(b => b.JobId == jobId && (requester.IsAdmin || b.Job!.UserId == requester.UserId))
            .OrderBy(b => b.Index)
            .ToListAsync(cancellationToken);

    /// <summary>Images ahead of a queued job (all users), for the position shown to its owner; null when it is not queued.</summary>
    public async Task<int?> ImagesAheadAsync(GenerationJob job, CancellationToken cancellationToken = default) =>
        job.Status == JobStatus.Queued ? await JobProgressFeed.ImagesAheadAsync(db, job, cancellationToken) : null;

    /// <summary>Cancels a queued or running job; the worker drops it before its next batch. False when there is no such job for this requester or it has ended.</summary>
    public async Task<bool> CancelAsync(Guid id, Requester requester, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var changed = await db.GenerationJobs
            .Where(j => j.Id == id && (requester.IsAdmin || j.UserId == requester.UserId) && Pending.Contains(j.Status))
            .ExecuteUpdateAsync(s => s
                .SetProperty(j => j.Status, JobStatus.Cancelled)
                .SetProperty(j => j.CompletedAt, now)
                .SetProperty(j => j.LeaseOwner, (string?)null)
                .SetProperty(j => j.LeaseExpiresAt, (DateTime?)null), cancellationToken);
        if (changed == 1)
            signal.PulseProgressed();
        return changed == 1;
    }

    /// <summary>Whether a job failed for a reason not its own (storage, database, lost workers; decision 0019).</summary>
    public static bool CanRetry(GenerationJob job) =>
        job is { Status: JobStatus.Failed, FailureCause: FailureCause.Infrastructure or FailureCause.WorkerLost };

    /// <summary>
    /// Queues a job that failed for an infrastructure reason (see <see cref="CanRetry"/>) again, with its counts
    /// afresh; the images it made stay and only the rest are made. The images left count against the requester's
    /// limits as a new request would (throws <see cref="GenerationRefusedException"/>). False when there is no such job
    /// for this requester or it did not fail so.
    /// </summary>
    public async Task<bool> RetryAsync(Guid id, Requester requester, CancellationToken cancellationToken = default)
    {
        if (await GetAsync(id, requester, cancellationToken) is not { } job || !CanRetry(job))
            return false;
        await CheckLimitsAsync(job.Count - job.ImagesDone, requester, options.Value, cancellationToken);
        var changed = await db.GenerationJobs
            .Where(j => j.Id == id && j.Status == JobStatus.Failed
                && (j.FailureCause == FailureCause.Infrastructure || j.FailureCause == FailureCause.WorkerLost))
            .ExecuteUpdateAsync(s => s
                .SetProperty(j => j.Status, JobStatus.Queued)
                .SetProperty(j => j.FailureCause, (FailureCause?)null)
                .SetProperty(j => j.Error, (string?)null)
                .SetProperty(j => j.CompletedAt, (DateTime?)null)
                .SetProperty(j => j.Attempts, 0)
                .SetProperty(j => j.LeaseLosses, 0)
                .SetProperty(j => j.InfrastructureRetries, 0), cancellationToken);
        if (changed == 1)
            signal.PulseQueued();
        return changed == 1;
    }

    /// <summary>A sketch recipe: its latent, and then either nothing, a variation or an interpolation.</summary>
    private static void CheckSketch(GenerationRecipe recipe, int count, ConditionSchema schema, int latentDim)
    {
        try
        {
            SketchLatents.Read(recipe.SketchLatent
                ?? throw new FormatException("A sketch recipe needs the drawing's latent."), latentDim);
        }
        catch (FormatException e)
        {
            throw new GenerationRefusedException(RefusalKind.Invalid, new Refusal("SketchLatent", "latent", e.Message));
        }

        if (recipe.Strength is not null && recipe.EndSeed is not null)
            throw new GenerationRefusedException(RefusalKind.Invalid, new Refusal("SketchVaryOrInterpolate", "strength"));
        if (recipe.Strength is not null)
            CheckRecipe(recipe with { Kind = RecipeKind.Vary }, count, schema);
        else if (recipe.EndSeed is not null || recipe.EndConditions is not null || recipe.Frames is not null)
            CheckRecipe(recipe with { Kind = RecipeKind.Interpolate }, count, schema);
        else if (count != 1)
            throw new GenerationRefusedException(RefusalKind.Invalid, new Refusal("SketchClosestIsOne", "count", count));
    }

    private static void CheckRecipe(GenerationRecipe recipe, int count, ConditionSchema schema)
    {
        switch (recipe.Kind)
        {
            case RecipeKind.Sample:
            case RecipeKind.Sketch:
                return;
            case RecipeKind.Vary:
                if (recipe.Strength is not { } strength || !(strength >= 0 && strength <= GenerationRecipe.MaxStrength))
                    throw new GenerationRefusedException(RefusalKind.Invalid,
                        new("StrengthRange", "strength", GenerationRecipe.MaxStrength, recipe.Strength?.ToString() ?? "none"));
                if (recipe.VariationSeed is < 0 || recipe.VariationSeed > long.MaxValue - count)
                    throw new GenerationRefusedException(RefusalKind.Invalid,
                        new("VariationSeedRange", "variationSeed", long.MaxValue - count, recipe.VariationSeed?.ToString() ?? ""));
                return;
            case RecipeKind.Interpolate:
                if (recipe.Frames is not (>= GenerationRecipe.MinFrames and <= GenerationRecipe.MaxFrames))
                    throw new GenerationRefusedException(RefusalKind.Invalid,
                        new("FramesRange", "frames", GenerationRecipe.MinFrames, GenerationRecipe.MaxFrames, recipe.Frames?.ToString() ?? "none"));
                if (recipe.FirstFrame < 0 || recipe.FirstFrame + count > recipe.Frames)
                    throw new GenerationRefusedException(RefusalKind.Invalid,
                        new("FramesDoNotFit", "count", recipe.FirstFrame, recipe.FirstFrame + count - 1, recipe.Frames ?? 0));
                if (recipe.EndSeed is not (>= 0))
                    throw new GenerationRefusedException(RefusalKind.Invalid,
                        new("EndSeedRange", "endSeed", long.MaxValue, recipe.EndSeed?.ToString() ?? "none"));
                if (recipe.EndConditions is null)
                    throw new GenerationRefusedException(RefusalKind.Invalid,
                        new("EndConditionsMissing", "endConditions"));
                try
                {
                    ConditionsJson.Validate(schema, recipe.EndConditions);
                }
                catch (GenerationRefusedException e)
                {
                    throw new GenerationRefusedException(RefusalKind.Invalid,
                        e.Refusal with { Field = "end" + char.ToUpperInvariant(e.Field[0]) + e.Field[1..] });
                }

                return;
            default:
                throw new GenerationRefusedException(RefusalKind.Invalid, new("UnknownRecipe", "recipe", recipe.Kind));
        }
    }

    private async Task CheckLimitsAsync(int count, Requester requester, QueueOptions settings, CancellationToken cancellationToken)
    {
        var user = requester.UserId;
        var dayStart = clock.GetUtcNow().UtcDateTime.Date;
        // The three limits from one reading: the whole queue, the user's part of it, the user's UTC day.
        var usage = await db.GenerationJobs
            .Where(j => j.Status == JobStatus.Queued || j.Status == JobStatus.Running || (j.UserId == user && j.CreatedAt >= dayStart))
            .GroupBy(_ => 1)
            .Select(g => new
            {
                Queued = g.Sum(j => j.Status == JobStatus.Queued || j.Status == JobStatus.Running ? j.Count - j.ImagesDone : 0),
                Mine = g.Sum(j => j.UserId == user && (j.Status == JobStatus.Queued || j.Status == JobStatus.Running) ? j.Count - j.ImagesDone : 0),
                // Cancelled and failed jobs count only the images they produced.
                Today = g.Sum(j => j.UserId == user && j.CreatedAt >= dayStart
                    ? j.Status == JobStatus.Cancelled || j.Status == JobStatus.Failed ? j.ImagesDone : j.Count
                    : 0),
            })
            .SingleOrDefaultAsync(cancellationToken);

        var queuedTotal = usage?.Queued ?? 0;
        if (queuedTotal + count > settings.MaxQueuedImages)
        {
            var rate = metrics.RecentImagesPerSecond ?? metrics.ImagesPerSecond ?? 10;
            var wait = TimeSpan.FromSeconds(Math.Ceiling(Math.Max(1, queuedTotal + count - settings.MaxQueuedImages) / rate));
            throw new GenerationRefusedException(RefusalKind.QueueFull,
                new("QueueFull", "count", queuedTotal, (long)wait.TotalSeconds), wait);
        }

        var cap = settings.QueuedImageCapFor(requester.Roles);
        var mine = usage?.Mine ?? 0;
        if (mine + count > cap)
            throw new GenerationRefusedException(RefusalKind.Limit,
                new("QueuedCap", "count", cap, mine, Math.Max(0, cap - mine)));

        var quota = settings.DailyImageQuotaFor(requester.Roles);
        var today = usage?.Today ?? 0;
        if (today + count > quota)
            throw new GenerationRefusedException(RefusalKind.Limit,
                new("DailyQuota", "count", quota, today, Math.Max(0, quota - today)));
    }
}
