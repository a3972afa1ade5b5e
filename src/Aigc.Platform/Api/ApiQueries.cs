using Aigc.Imaging.Pipeline;
using Aigc.Platform.Blueprints;
using Aigc.Platform.Data;
using Aigc.Platform.Models;
using Aigc.Platform.Queue;
using Microsoft.EntityFrameworkCore;

namespace Aigc.Platform.Api;

/// <summary>A model version as jobs and blueprints name it; name and version are null only if its row has
/// gone.</summary>
public sealed record ModelName(string? Name, string? Version, string Sha256);

/// <summary>A job, a reading of its progress and the model it names.</summary>
public sealed record JobReading(GenerationJob Job, JobProgress Progress, ModelName Model);

/// <summary>One page of a requester's jobs and how many there are in all.</summary>
public sealed record JobReadingPage(int Total, IReadOnlyList<JobReading> Items);

/// <summary>A blueprint (with its job) and the model that made it.</summary>
public sealed record BlueprintReading(Blueprint Blueprint, ModelName Model);

/// <summary>
/// What the HTTP API returns, read with the access rules of the queue, BlueprintAccess and ModelAccess: someone
/// else's job or blueprint reads like a missing one. The web maps these to its JSON contracts. Scoped: it shares the
/// request's unit of work with the queue.
/// </summary>
public sealed class ApiQueries(
    PortalDbContext db,
    GenerationQueue queue,
    JobProgressFeed feed,
    BlueprintAccess blueprints,
    ModelRegistry models,
    PipelinePresetCatalog presets)
{
    /// <summary>The post-processing presets a job may name.</summary>
    public IReadOnlyCollection<string> PresetNames => presets.Names;

    /// <summary>The job as its requester may see it, or null.</summary>
    public async Task<JobReading?> FindJobAsync(Guid id, Requester requester,
        CancellationToken cancellationToken = default) =>
        await queue.GetAsync(id, requester, cancellationToken) is { } job
            ? await ReadAsync(job, cancellationToken)
            : null;

    /// <summary>A fresh progress reading of a job the caller has already read with its access check.</summary>
    public async Task<JobReading> ReadAsync(GenerationJob job, CancellationToken cancellationToken = default)
    {
        var progress = await feed.ReadAsync(job, cancellationToken);
        return new JobReading(job, progress, await ModelNameAsync(job.ModelSha256, cancellationToken));
    }

    /// <summary>The requester's own jobs, newest first, optionally of one status; pages start at 1.</summary>
    public async Task<JobReadingPage> JobsAsync(Requester requester, JobStatus? status, int page, int pageSize,
        CancellationToken cancellationToken = default)
    {
        var query = db.GenerationJobs.AsNoTracking().Where(j => j.UserId == requester.UserId);
        if (status is { } wanted)
            query = query.Where(j => j.Status == wanted);
        var total = await query.CountAsync(cancellationToken);
        var jobs = await query.OrderByDescending(j => j.CreatedAt).ThenBy(j => j.Id)
            .Skip((page - 1) * pageSize).Take(pageSize).ToListAsync(cancellationToken);
        var items = new List<JobReading>(jobs.Count);
        foreach (var job in jobs)
            items.Add(await ReadAsync(job, cancellationToken));
        return new JobReadingPage(total, items);
    }

    /// <summary>The blueprint if the requester may read it, or null.</summary>
    public async Task<BlueprintReading?> FindBlueprintAsync(Guid id, Requester requester,
        CancellationToken cancellationToken = default) =>
        await blueprints.FindReadableAsync(id, requester, cancellationToken) is { } blueprint
            ? new BlueprintReading(blueprint, await ModelNameAsync(blueprint.Job!.ModelSha256, cancellationToken))
            : null;

    /// <summary>The versions the requester may use (<see cref="ModelAccess"/>), with their condition schemas.</summary>
    public async Task<List<ModelVersionDetail>> UsableModelsAsync(Requester requester,
        CancellationToken cancellationToken = default) =>
        ModelAccess.Usable(await models.ListAsync(cancellationToken), requester.Roles)
            .Select(ModelVersionDetail.Of).ToList();

    public async Task<ModelName> ModelNameAsync(string sha256, CancellationToken cancellationToken = default) =>
        await db.ModelVersions.AsNoTracking().Where(m => m.WeightsSha256 == sha256)
            .Select(m => new ModelName(m.Name, m.Version, m.WeightsSha256)).SingleOrDefaultAsync(cancellationToken)
        ?? new ModelName(null, null, sha256);
}
