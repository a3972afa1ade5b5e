using System.Runtime.CompilerServices;
using System.Security.Claims;
using System.Text.RegularExpressions;
using Aigc.Generation.Datasets;
using Aigc.Generation.Manifest;
using Aigc.Platform.Audit;
using Aigc.Platform.Blobs;
using Aigc.Platform.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Aigc.Platform.Training;

/// <summary>
/// Training runs for admins and trainers (<see cref="TrainingAccess"/> on every call): start one from a dataset
/// version and the template manifest, pause, resume and cancel it, read and follow it. A run is queue work below
/// every generation (decision 0020); <see cref="TrainingWorker"/> runs it. Each call opens its own short unit of work;
/// every change is audited.
/// </summary>
public sealed partial class TrainingRuns(IDbContextFactory<PortalDbContext> contexts, BlobStore blobs, TrainingSignal signal,
    TimeProvider clock, IOptions<TrainingOptions> options, IOptions<Queue.QueueOptions> queue)
{
    private const int MaxChartPoints = 400;

    /// <summary>The condition values a run on this dataset version starts from: those its labels use.</summary>
    public async Task<IReadOnlyList<ConditionValuesView>> ConditionsAsync(ClaimsPrincipal user, Guid datasetVersionId,
        CancellationToken cancellationToken = default)
    {
        TrainingAccess.Demand(user);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var labels = await LabelsAsync(db, datasetVersionId, cancellationToken)
            ?? throw new TrainingRefusedException("datasetVersionId", "There is no such dataset version.");
        return Derived(labels).Select(c => new ConditionValuesView(c.Key, c.Value)).ToList();
    }

    public async Task<TrainingRun> StartAsync(ClaimsPrincipal user, TrainingRunRequest request, CancellationToken cancellationToken = default)
    {
        TrainingAccess.Demand(user);
        Check(request);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var version = await db.DatasetVersions.AsNoTracking().Include(v => v.Dataset)
            .SingleOrDefaultAsync(v => v.Id == request.DatasetVersionId, cancellationToken)
            ?? throw new TrainingRefusedException("datasetVersionId", "There is no such dataset version.");
        var labels = (await LabelsAsync(db, version.Id, cancellationToken))!;
        var values = Derived(labels);
        foreach (var (name, wanted) in request.Conditions ?? new Dictionary<string, IReadOnlyList<string>>())
        {
            if (!values.ContainsKey(name))
                throw new TrainingRefusedException("conditions", $"\"{name}\" is not a condition ({string.Join(", ", values.Keys)}).");
            var missing = values[name].Except(wanted).ToList();
            if (missing.Count > 0)
                throw new TrainingRefusedException("conditions", $"{name} must keep the values the drawings have: {string.Join(", ", missing)}.");
            values[name] = wanted.Distinct().ToList();
        }

        var template = Template(request.ModelName, values);
        // Parsed again: the manifest's own validation judges the edited schema and packing.
        CganManifest manifest;
        try
        {
            manifest = CganManifest.Parse((template with { Discriminator = template.Discriminator with { Pack = request.Pack } }).ToJson());
        }
        catch (ManifestException e)
        {
            throw new TrainingRefusedException("conditions", e.Message);
        }

        if (request.Pack > 1)
        {
            var small = labels.GroupBy(l => l).Where(g => g.Count() < request.Pack)
                .Select(g => $"{g.Key.Part}/{g.Key.View}/{g.Key.Complexity} ({g.Count()})").ToList();
            if (small.Count > 0)
                throw new TrainingRefusedException("pack", $"Packing {request.Pack} drawings of one condition needs at least {request.Pack} " +
                    $"of each; these have fewer: {string.Join(", ", small)}. Add drawings or train without packing (1).");
        }

        if (await db.ModelVersions.AnyAsync(m => m.Name == request.ModelName && m.Version == request.VersionLabel, cancellationToken)
            || await db.TrainingRuns.AnyAsync(r => r.ModelName == request.ModelName && r.VersionLabel == request.VersionLabel
                && r.Status != TrainingRunStatus.Failed && r.Status != TrainingRunStatus.Cancelled, cancellationToken))
            throw new TrainingRefusedException("versionLabel", $"{request.ModelName}@{request.VersionLabel} is taken; choose another version label.");

        var run = new TrainingRun
        {
            Id = Guid.CreateVersion7(),
            ModelName = request.ModelName,
            VersionLabel = request.VersionLabel,
            DatasetVersionId = version.Id,
            DatasetName = $"{version.Dataset!.Name} v{version.Number}",
            DataHash = version.DataHash,
            UserId = user.FindFirstValue(ClaimTypes.NameIdentifier) ?? NameOf(user),
            UserName = NameOf(user),
            Status = TrainingRunStatus.Queued,
            ManifestJson = manifest.ToJson(),
            Steps = request.Steps,
            BatchSize = request.BatchSize,
            Seed = request.Seed,
            GeneratorLearningRate = request.GeneratorLearningRate,
            DiscriminatorLearningRate = request.DiscriminatorLearningRate,
            SampleEvery = request.SampleEvery,
            CheckpointEvery = request.CheckpointEvery,
            CreatedAt = clock.GetUtcNow().UtcDateTime,
        };
        db.TrainingRuns.Add(run);
        new AuditLog(db, clock).Record(user, "training.start", run.Id.ToString(), $"{run.ModelName}@{run.VersionLabel}",
            $"{run.DatasetName}, {run.Steps} steps of {run.BatchSize}, seed {run.Seed}");
        await db.SaveChangesAsync(cancellationToken);
        signal.PulseQueued();
        return run;
    }

    /// <summary>Stops a queued or running run after its current step, with a checkpoint; false when there is no such run.</summary>
    public Task<bool> PauseAsync(ClaimsPrincipal user, Guid id, CancellationToken cancellationToken = default) =>
        MoveAsync(user, id, "training.pause", [TrainingRunStatus.Queued, TrainingRunStatus.Running], TrainingRunStatus.Paused, cancellationToken);

    /// <summary>Queues a paused run again; it continues from its checkpoint.</summary>
    public Task<bool> ResumeAsync(ClaimsPrincipal user, Guid id, CancellationToken cancellationToken = default) =>
        MoveAsync(user, id, "training.resume", [TrainingRunStatus.Paused], TrainingRunStatus.Queued, cancellationToken);

    public Task<bool> CancelAsync(ClaimsPrincipal user, Guid id, CancellationToken cancellationToken = default) =>
        MoveAsync(user, id, "training.cancel", [TrainingRunStatus.Queued, TrainingRunStatus.Running, TrainingRunStatus.Paused],
            TrainingRunStatus.Cancelled, cancellationToken);

    private async Task<bool> MoveAsync(ClaimsPrincipal user, Guid id, string action, TrainingRunStatus[] from, TrainingRunStatus to,
        CancellationToken cancellationToken)
    {
        TrainingAccess.Demand(user);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var run = await db.TrainingRuns.SingleOrDefaultAsync(r => r.Id == id, cancellationToken);
        if (run is null)
            return false;
        // One conditional UPDATE: the worker changes the same row between steps.
        var now = clock.GetUtcNow().UtcDateTime;
        var moved = await db.TrainingRuns.Where(r => r.Id == id && from.Contains(r.Status))
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.Status, to)
                .SetProperty(r => r.CompletedAt, r => to == TrainingRunStatus.Cancelled ? now : r.CompletedAt), cancellationToken);
        if (moved == 0)
            throw new TrainingRefusedException("status", $"The run is {run.Status.ToString().ToLowerInvariant()}; it cannot be {Past(to)}.");
        new AuditLog(db, clock).Record(user, action, id.ToString(), $"{run.ModelName}@{run.VersionLabel}", $"at step {run.StepsDone}");
        await db.SaveChangesAsync(cancellationToken);
        if (to == TrainingRunStatus.Queued)
            signal.PulseQueued();
        signal.PulseRun(id);
        return true;
    }

    public async Task<List<TrainingRun>> ListAsync(ClaimsPrincipal user, CancellationToken cancellationToken = default)
    {
        TrainingAccess.Demand(user);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.TrainingRuns.AsNoTracking().OrderByDescending(r => r.CreatedAt).Take(200).ToListAsync(cancellationToken);
    }

    public async Task<TrainingRunView?> FindAsync(ClaimsPrincipal user, Guid id, CancellationToken cancellationToken = default)
    {
        TrainingAccess.Demand(user);
        return await ViewAsync(id, cancellationToken);
    }

    /// <summary>
    /// The run now, then again each time it changes (a step, a sample grid, a status), until it ends or the caller
    /// stops; a worker in another process is noticed within two seconds.
    /// </summary>
    public async IAsyncEnumerable<TrainingRunView> WatchAsync(ClaimsPrincipal user, Guid id,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        TrainingAccess.Demand(user);
        while (!cancellationToken.IsCancellationRequested)
        {
            var changed = signal.NextChangeOf(id);
            var view = await ViewAsync(id, cancellationToken);
            if (view is null)
                yield break;
            yield return view;
            if (view.Ended)
                yield break;
            try
            {
                await changed.WaitAsync(TimeSpan.FromSeconds(2), clock, cancellationToken);
            }
            catch (TimeoutException)
            {
            }
        }
    }

    /// <summary>A blob the run names (latest sample grid or variants sheet), or null.</summary>
    public async Task<byte[]?> ImageAsync(ClaimsPrincipal user, Guid id, string sha256, CancellationToken cancellationToken = default)
    {
        TrainingAccess.Demand(user);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var named = await db.TrainingRuns.AnyAsync(r => r.Id == id && (r.SamplesSha256 == sha256 || r.VariantsSha256 == sha256), cancellationToken);
        return named ? await blobs.ReadAllAsync(sha256, cancellationToken) : null;
    }

    private async Task<TrainingRunView?> ViewAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var run = await db.TrainingRuns.AsNoTracking().SingleOrDefaultAsync(r => r.Id == id, cancellationToken);
        if (run is null)
            return null;
        // Every n-th step, so a long run's chart stays a few hundred points.
        var every = Math.Max(1, run.StepsDone / MaxChartPoints + 1);
        var losses = await db.TrainingRunSteps.AsNoTracking().Where(s => s.RunId == id && (s.Step % every == 0 || s.Step == run.StepsDone))
            .OrderBy(s => s.Step).Select(s => new LossPoint(s.Step, s.DiscriminatorLoss, s.GeneratorLoss)).ToListAsync(cancellationToken);
        double? eta = run.StepsPerSecond is > 0 && run.Status == TrainingRunStatus.Running
            ? (run.Steps - run.StepsDone) / run.StepsPerSecond.Value
            : null;
        var card = run.ModelSha256 is { } sha
            ? await db.ModelVersions.Where(m => m.WeightsSha256 == sha).Select(m => m.ModelCard).SingleOrDefaultAsync(cancellationToken)
            : null;
        return new TrainingRunView(run, losses, eta, card);
    }

    private void Check(TrainingRunRequest request)
    {
        if (!ModelNamePattern().IsMatch(request.ModelName))
            throw new TrainingRefusedException("modelName", "A model name is 1 to 100 lower-case letters, digits, '-', '_' or '.', starting with a letter or digit.");
        if (request.VersionLabel.Trim().Length is 0 or > 50 || request.VersionLabel != request.VersionLabel.Trim())
            throw new TrainingRefusedException("versionLabel", "A version label is 1 to 50 characters without surrounding spaces.");
        if (request.Steps < 1 || request.Steps > options.Value.MaxSteps)
            throw new TrainingRefusedException("steps", $"Steps must be 1 to {options.Value.MaxSteps} (Training:MaxSteps).");
        if (request.BatchSize is < 2 or > 256)
            throw new TrainingRefusedException("batchSize", "The batch size must be 2 to 256.");
        if (request.Pack is < 1 or > 8 || request.BatchSize % request.Pack != 0)
            throw new TrainingRefusedException("pack", "Packing must be 1 to 8 and divide the batch size.");
        if (!(request.GeneratorLearningRate is > 0 and < 1) || !(request.DiscriminatorLearningRate is > 0 and < 1))
            throw new TrainingRefusedException("learningRate", "Learning rates must be above 0 and below 1.");
        if (request.SampleEvery < 1 || request.CheckpointEvery < 1)
            throw new TrainingRefusedException("checkpointEvery", "Samples and checkpoints must come every 1 or more steps.");
    }

    private CganManifest Template(string modelName, Dictionary<string, List<string>> values)
    {
        var path = Path.GetFullPath(options.Value.TemplateManifest is { Length: > 0 } configured
            ? configured
            : Path.Combine(queue.Value.ShippedModelsDirectory, "blueprints", "manifest.json"));
        if (!File.Exists(path))
            throw new InvalidOperationException($"The template manifest {path} does not exist (Training:TemplateManifest).");
        var template = CganManifest.Load(path);
        return template with
        {
            Name = modelName,
            Training = null,
            Card = null,
            Conditions = template.Conditions.Select(c => values.TryGetValue(c.Name, out var v) ? c with { Values = v } : c).ToList(),
        };
    }

    /// <summary>Each condition's values that the drawings use, in the blueprint schema's order.</summary>
    private static Dictionary<string, List<string>> Derived(IReadOnlyList<BlueprintLabel> labels) => new()
    {
        [BlueprintConditions.Part] = BlueprintConditions.Parts.Where(p => labels.Any(l => l.Part == p)).ToList(),
        [BlueprintConditions.View] = BlueprintConditions.Views.Where(p => labels.Any(l => l.View == p)).ToList(),
        [BlueprintConditions.Complexity] = BlueprintConditions.Complexities.Where(p => labels.Any(l => l.Complexity == p)).ToList(),
    };

    private static async Task<List<BlueprintLabel>?> LabelsAsync(PortalDbContext db, Guid versionId, CancellationToken cancellationToken)
    {
        if (!await db.DatasetVersions.AnyAsync(v => v.Id == versionId, cancellationToken))
            return null;
        return (await db.DatasetImages.AsNoTracking().Where(i => i.VersionId == versionId)
                .Select(i => new { i.Part, i.View, i.Complexity }).ToListAsync(cancellationToken))
            .Select(i => new BlueprintLabel(i.Part, i.View, i.Complexity)).ToList();
    }

    private static string Past(TrainingRunStatus status) => status switch
    {
        TrainingRunStatus.Paused => "paused",
        TrainingRunStatus.Queued => "resumed",
        _ => "cancelled",
    };

    private static string NameOf(ClaimsPrincipal user) => user.Identity?.Name ?? "system";

    [GeneratedRegex("^[a-z0-9][a-z0-9._-]{0,99}$")]
    private static partial Regex ModelNamePattern();
}
