using Aigc.Generation.Manifest;
using Aigc.Platform.Data;
using Aigc.Platform.Queue;
using Microsoft.EntityFrameworkCore;

namespace Aigc.Portal.Features.Api;

/// <summary>Reads jobs, blueprints and models into the API's shapes. Access is decided by the platform's services.</summary>
internal static class ApiQueries
{
    public const int PageSize = 20;

    /// <summary>The job as its requester may see it, or null (someone else's job reads like a missing one).</summary>
    public static async Task<JobView?> JobAsync(Guid id, Requester requester, GenerationQueue queue, JobProgressFeed feed, PortalDbContext db, CancellationToken cancellationToken)
    {
        var job = await queue.GetAsync(id, requester, cancellationToken);
        return job is null ? null : await JobAsync(job, await feed.ReadAsync(job, cancellationToken), db, cancellationToken);
    }

    /// <summary>A progress reading of <paramref name="job"/> completed with the job's request (which never changes) and model.</summary>
    public static async Task<JobView> JobAsync(GenerationJob job, JobProgress progress, PortalDbContext db, CancellationToken cancellationToken)
    {
        var model = await ModelAsync(job.ModelSha256, db, cancellationToken);
        // The progress fields are left empty here: Progressed fills them.
        var request = new JobView(
            job.Id, progress.Status, model, ConditionsJson.Read(job.ConditionsJson), job.Count, job.Seed, job.Preset, job.Priority,
            0, null, null, null, job.CreatedAt, null, null, []);
        return Progressed(request, progress);
    }

    /// <summary>A view of the same job with a later progress reading: what a request fixed (model, conditions, seed…) never changes.</summary>
    public static JobView Progressed(JobView view, JobProgress progress) =>
        view with
        {
            Status = progress.Status,
            ImagesDone = progress.ImagesDone,
            ImagesAhead = progress.ImagesAhead,
            EtaSeconds = progress.Eta is { } eta ? Math.Round(eta.TotalSeconds, 1) : null,
            Error = progress.Error,
            StartedAt = progress.StartedAt,
            CompletedAt = progress.CompletedAt,
            Images = progress.Images.Select(i => new JobImage(i.BlueprintId, i.Index, i.Seed, $"/api/blueprints/{i.BlueprintId}/image")).ToList(),
        };

    /// <summary>The requester's own jobs, newest first.</summary>
    public static async Task<JobPage> JobsAsync(Requester requester, JobStatus? status, int page, JobProgressFeed feed, PortalDbContext db, CancellationToken cancellationToken)
    {
        var query = db.GenerationJobs.AsNoTracking().Where(j => j.UserId == requester.UserId);
        if (status is { } wanted)
            query = query.Where(j => j.Status == wanted);
        var total = await query.CountAsync(cancellationToken);
        var jobs = await query.OrderByDescending(j => j.CreatedAt).ThenBy(j => j.Id)
            .Skip((page - 1) * PageSize).Take(PageSize).ToListAsync(cancellationToken);
        var items = new List<JobView>(jobs.Count);
        foreach (var job in jobs)
            items.Add(await JobAsync(job, await feed.ReadAsync(job, cancellationToken), db, cancellationToken));

        return new JobPage(page, PageSize, total, items);
    }

    public static async Task<BlueprintView> BlueprintAsync(Blueprint blueprint, PortalDbContext db, CancellationToken cancellationToken) =>
        new(
            blueprint.Id,
            blueprint.JobId,
            blueprint.Index,
            blueprint.Seed,
            ConditionsJson.Read(blueprint.ConditionsJson),
            await ModelAsync(blueprint.Job!.ModelSha256, db, cancellationToken),
            blueprint.Job.Preset,
            blueprint.Width,
            blueprint.Height,
            blueprint.FileBytes,
            blueprint.FileSha256,
            blueprint.CreatedAt,
            $"/api/blueprints/{blueprint.Id}/image",
            $"/api/blueprints/{blueprint.Id}/thumbnail");

    public static ModelView Model(ModelVersion version, IReadOnlyCollection<string> presets)
    {
        var manifest = CganManifest.Parse(version.ManifestJson);
        var conditions = manifest.Conditions
            .Select(c => new ConditionView(c.Name, c.Kind, c.IsCategorical ? c.Values : null, c.IsCategorical ? null : c.Min, c.IsCategorical ? null : c.Max))
            .ToList();
        return new ModelView(version.Name, version.Version, version.WeightsSha256, version.Status, conditions, presets);
    }

    private static async Task<ModelReference> ModelAsync(string sha256, PortalDbContext db, CancellationToken cancellationToken) =>
        await db.ModelVersions.AsNoTracking().Where(m => m.WeightsSha256 == sha256)
            .Select(m => new ModelReference(m.Name, m.Version, m.WeightsSha256)).SingleOrDefaultAsync(cancellationToken)
        ?? new ModelReference(null, null, sha256);
}
