using Aigc.Platform.Api;
using Aigc.Platform.Data;
using Aigc.Platform.Models;
using Aigc.Platform.Queue;

namespace Aigc.Portal.Features.Api;

/// <summary>The API's JSON shapes of what Aigc.Platform.Api.ApiQueries reads (access is decided there).</summary>
internal static class ApiViews
{
    public const int PageSize = 20;

    public static JobView Job(JobReading reading) => Job(reading.Job, reading.Progress, reading.Model);

    /// <summary>A progress reading of <paramref name="job"/> completed with the job's request (which never changes)
    /// and model.</summary>
    public static JobView Job(GenerationJob job, JobProgress progress, ModelName model)
    {
        // The progress fields are left empty here: Progressed fills them.
        var request = new JobView(
            job.Id, progress.Status, Reference(model), ConditionsJson.Read(job.ConditionsJson), job.Count, job.Seed,
            job.Preset, job.Priority, 0, null, null, null, job.CreatedAt, null, null, [], job.SketchLatent);
        return Progressed(request, progress);
    }

    /// <summary>A view of the same job with a later progress reading: what a request fixed (model, conditions,
    /// seed…) never changes.</summary>
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
            Images = progress.Images
                .Select(i => new JobImage(i.BlueprintId, i.Index, i.Seed, $"/api/blueprints/{i.BlueprintId}/image"))
                .ToList(),
        };

    public static JobPage Jobs(int page, JobReadingPage readings) =>
        new(page, PageSize, readings.Total, readings.Items.Select(Job).ToList());

    public static BlueprintView Blueprint(BlueprintReading reading)
    {
        var blueprint = reading.Blueprint;
        return new BlueprintView(
            blueprint.Id,
            blueprint.JobId,
            blueprint.Index,
            blueprint.Seed,
            ConditionsJson.Read(blueprint.ConditionsJson),
            Reference(reading.Model),
            blueprint.Job!.Preset,
            blueprint.Width,
            blueprint.Height,
            blueprint.FileBytes,
            blueprint.FileSha256,
            blueprint.CreatedAt,
            $"/api/blueprints/{blueprint.Id}/image",
            $"/api/blueprints/{blueprint.Id}/thumbnail");
    }

    public static ModelView Model(ModelVersionDetail detail, IReadOnlyCollection<string> presets)
    {
        var conditions = detail.Conditions
            .Select(c => new ConditionView(c.Name, c.Kind, c.IsCategorical ? c.Values : null,
                c.IsCategorical ? null : c.Min, c.IsCategorical ? null : c.Max))
            .ToList();
        var version = detail.Version;
        return new ModelView(version.Name, version.Version, version.WeightsSha256, version.Status, conditions, presets);
    }

    private static ModelReference Reference(ModelName model) => new(model.Name, model.Version, model.Sha256);
}
