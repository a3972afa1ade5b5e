using Aigc.Generation.Manifest;
using Aigc.Platform.Blobs;
using Aigc.Platform.Data;
using Aigc.Platform.Training;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Aigc.Platform.Tests.Training;

public sealed class TrainingRunTests
{
    /// <summary>Two part classes, three views at low complexity, four drawings of each condition.</summary>
    private static async Task<DatasetVersion> ImportAsync(ServiceHost host, string folder)
    {
        var zip = DatasetZips.Write(folder, DatasetZips.Drawings(perClass: 12, labelIndex: i => i % 3));
        var result = await host.Get<DatasetLibrary>().ImportAsync(DatasetZips.Trainer, "Acme", zip, "acme.zip");
        return result.Version ?? throw new InvalidOperationException(string.Join("; ", result.Problems));
    }

    private static Task<ServiceHost> StartAsync(TempFolder temp, string name) => ServiceHost.StartAsync(temp.Sub(name), new()
    {
        ["Training:TemplateManifest"] = Path.Combine(AppContext.BaseDirectory, "models", "blueprints", "manifest.json"),
        ["Training:EngineThreads"] = "1",
    });

    private static TrainingRunRequest Request(Guid version, int steps = 6) => new()
    {
        DatasetVersionId = version, ModelName = "acme-parts", VersionLabel = "t1", Steps = steps, BatchSize = 4, Pack = 2,
        Seed = 3, SampleEvery = 2, CheckpointEvery = 3,
    };

    [Fact]
    public async Task A_finished_run_is_evaluated_and_registered_as_a_draft_with_its_model_card()
    {
        using var temp = new TempFolder();
        await using var host = await StartAsync(temp, "data");
        var version = await ImportAsync(host, temp.Path);
        var runs = host.Get<TrainingRuns>();
        var started = await runs.StartAsync(DatasetZips.Trainer, Request(version.Id));

        Assert.True(await host.Get<TrainingWorker>().RunNextAsync(CancellationToken.None));

        var view = (await runs.FindAsync(DatasetZips.Admin, started.Id))!;
        var run = view.Run;
        Assert.True(run.Status == TrainingRunStatus.Completed, run.Error);
        Assert.Equal(6, run.StepsDone);
        Assert.Equal([1, 2, 3, 4, 5, 6], view.Losses.Select(l => l.Step));
        Assert.All(view.Losses, l => Assert.True(double.IsFinite(l.Discriminator) && double.IsFinite(l.Generator)));
        Assert.Null(run.CheckpointSha256);
        var blobs = host.Get<BlobStore>();
        Assert.True(blobs.Exists(run.SamplesSha256!));
        Assert.True(blobs.Exists(run.VariantsSha256!));
        Assert.Contains("\"conditionalAccuracy\"", run.EvaluationJson);
        await using var db = host.OpenDatabase();
        var model = await db.ModelVersions.SingleAsync(m => m.WeightsSha256 == run.ModelSha256);
        Assert.Equal(ModelVersionStatus.Draft, model.Status);
        Assert.Equal(("acme-parts", "t1"), (model.Name, model.Version));
        Assert.Contains(version.DataHash, model.ModelCard);
        Assert.Contains("Per-class minimum", model.ModelCard);
        Assert.Contains("\"evaluation\"", model.MetricsJson);
        Assert.NotNull(model.SamplesSha256);
        var manifest = CganManifest.Parse(model.ManifestJson);
        Assert.Equal(["spur_gear", "flange"], manifest.Conditions.Single(c => c.Name == "part").Values);
        Assert.Equal(["low"], manifest.Conditions.Single(c => c.Name == "complexity").Values);
        Assert.Equal(version.DataHash, manifest.Training!.DataHash);
        var actions = await db.AuditEntries.Select(e => e.Action).ToListAsync();
        Assert.Contains("training.start", actions);
        Assert.Contains("training.complete", actions);
    }

    [Fact]
    public async Task A_run_paused_preempted_resumed_and_taken_over_from_a_killed_worker_ends_bit_identical()
    {
        using var temp = new TempFolder();
        string reference;
        await using (var host = await StartAsync(temp, "reference"))
        {
            var version = await ImportAsync(host, temp.Path);
            var run = await host.Get<TrainingRuns>().StartAsync(DatasetZips.Trainer, Request(version.Id, steps: 12));
            await host.Get<TrainingWorker>().RunNextAsync(CancellationToken.None);
            await using var db = host.OpenDatabase();
            reference = (await db.TrainingRuns.SingleAsync(r => r.Id == run.Id)).ModelSha256!;
        }

        await using var interrupted = await StartAsync(temp, "interrupted");
        var data = await ImportAsync(interrupted, temp.Path);
        var runs = interrupted.Get<TrainingRuns>();
        var id = (await runs.StartAsync(DatasetZips.Trainer, Request(data.Id, steps: 12))).Id;

        // A generation job arrives at step 2: the run waits between steps (generation preempts it), then is paused.
        var first = interrupted.Get<TrainingWorker>().RunNextAsync(CancellationToken.None);
        await interrupted.WaitUntilAsync(db => db.TrainingRuns.AnyAsync(r => r.Id == id && r.StepsDone >= 2), "step 2");
        var job = await InsertGenerationJobAsync(interrupted);
        var atArrival = await StepsDoneAsync(interrupted, id);
        await runs.PauseAsync(DatasetZips.Trainer, id);
        Assert.True(await first);
        var paused = await RunAsync(interrupted, id);
        Assert.Equal(TrainingRunStatus.Paused, paused.Status);
        Assert.InRange(paused.StepsDone, atArrival, atArrival + 1);
        Assert.Equal(paused.StepsDone, paused.CheckpointStep);
        Assert.Null(paused.LeaseOwner);

        // Resumed on another worker, which is killed (it stops renewing; its lease runs out) after a few more steps.
        await EndGenerationJobAsync(interrupted, job);
        await runs.ResumeAsync(DatasetZips.Trainer, id);
        var second = ActivatorUtilities.CreateInstance<TrainingWorker>(interrupted.Services);
        var running = second.RunNextAsync(CancellationToken.None);
        await interrupted.WaitUntilAsync(db => db.TrainingRuns.AnyAsync(r => r.Id == id && r.StepsDone >= paused.StepsDone + 4), "four more steps");
        job = await InsertGenerationJobAsync(interrupted);
        await using (var db = interrupted.OpenDatabase())
        {
            await db.TrainingRuns.Where(r => r.Id == id).ExecuteUpdateAsync(s => s
                .SetProperty(r => r.LeaseOwner, "killed-worker").SetProperty(r => r.LeaseExpiresAt, DateTime.UtcNow.AddMinutes(-1)));
        }

        Assert.True(await running);
        var killed = await RunAsync(interrupted, id);
        Assert.Equal(TrainingRunStatus.Running, killed.Status);
        Assert.True(killed.CheckpointStep > paused.StepsDone);

        // A third worker takes the run over from its last checkpoint once generation is idle.
        await EndGenerationJobAsync(interrupted, job);
        var third = ActivatorUtilities.CreateInstance<TrainingWorker>(interrupted.Services);
        Assert.True(await third.RunNextAsync(CancellationToken.None));

        var done = await RunAsync(interrupted, id);
        Assert.True(done.Status == TrainingRunStatus.Completed, done.Error);
        Assert.Equal(reference, done.ModelSha256);
        await using (var db = interrupted.OpenDatabase())
            Assert.Equal(Enumerable.Range(1, 12), await db.TrainingRunSteps.Where(s => s.RunId == id).OrderBy(s => s.Step).Select(s => s.Step).ToListAsync());
        Assert.Contains("training.pause", await AuditActionsAsync(interrupted));
        Assert.Contains("training.resume", await AuditActionsAsync(interrupted));
    }

    [Fact]
    public async Task A_run_waits_for_queued_generation_before_it_starts_and_a_cancelled_run_keeps_no_checkpoint()
    {
        using var temp = new TempFolder();
        await using var host = await StartAsync(temp, "data");
        var version = await ImportAsync(host, temp.Path);
        var runs = host.Get<TrainingRuns>();
        var worker = host.Get<TrainingWorker>();
        var job = await InsertGenerationJobAsync(host);
        var id = (await runs.StartAsync(DatasetZips.Trainer, Request(version.Id, steps: 40))).Id;

        Assert.False(await worker.RunNextAsync(CancellationToken.None));
        Assert.Equal(TrainingRunStatus.Queued, (await RunAsync(host, id)).Status);

        await EndGenerationJobAsync(host, job);
        var running = worker.RunNextAsync(CancellationToken.None);
        await host.WaitUntilAsync(db => db.TrainingRuns.AnyAsync(r => r.Id == id && r.CheckpointSha256 != null), "a checkpoint");
        var checkpoint = (await RunAsync(host, id)).CheckpointSha256;
        // Generation holds the run between steps while it is cancelled, so it cannot finish first.
        await InsertGenerationJobAsync(host);
        await runs.CancelAsync(DatasetZips.Trainer, id);
        Assert.True(await running);

        var cancelled = await RunAsync(host, id);
        Assert.Equal(TrainingRunStatus.Cancelled, cancelled.Status);
        Assert.Null(cancelled.CheckpointSha256);
        Assert.False(host.Get<BlobStore>().Exists(checkpoint!));
        await Assert.ThrowsAsync<TrainingRefusedException>(() => runs.ResumeAsync(DatasetZips.Trainer, id));
    }

    [Fact]
    public async Task Requests_that_cannot_train_are_refused_naming_the_field_and_only_trainers_and_admins_start_runs()
    {
        using var temp = new TempFolder();
        await using var host = await StartAsync(temp, "data");
        var version = await ImportAsync(host, temp.Path);
        var runs = host.Get<TrainingRuns>();

        Assert.Equal("pack", (await Assert.ThrowsAsync<TrainingRefusedException>(() =>
            runs.StartAsync(DatasetZips.Trainer, Request(version.Id) with { Pack = 8, BatchSize = 8 }))).Field);
        Assert.Equal("modelName", (await Assert.ThrowsAsync<TrainingRefusedException>(() =>
            runs.StartAsync(DatasetZips.Trainer, Request(version.Id) with { ModelName = "../x" }))).Field);
        Assert.Equal("conditions", (await Assert.ThrowsAsync<TrainingRefusedException>(() =>
            runs.StartAsync(DatasetZips.Trainer, Request(version.Id) with { Conditions = new Dictionary<string, IReadOnlyList<string>> { ["part"] = ["flange"] } }))).Field);
        await runs.StartAsync(DatasetZips.Trainer, Request(version.Id));
        Assert.Equal("versionLabel", (await Assert.ThrowsAsync<TrainingRefusedException>(() =>
            runs.StartAsync(DatasetZips.Admin, Request(version.Id)))).Field);
        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => runs.StartAsync(DatasetZips.Designer, Request(version.Id) with { VersionLabel = "t2" }));
        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => runs.ListAsync(DatasetZips.Designer));
        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => runs.PauseAsync(DatasetZips.Designer, Guid.NewGuid()));
        Assert.False(await runs.PauseAsync(DatasetZips.Trainer, Guid.NewGuid()));
        Assert.Single(await runs.ListAsync(DatasetZips.Admin));
    }

    private static async Task<TrainingRun> RunAsync(ServiceHost host, Guid id)
    {
        await using var db = host.OpenDatabase();
        return await db.TrainingRuns.AsNoTracking().SingleAsync(r => r.Id == id);
    }

    private static async Task<int> StepsDoneAsync(ServiceHost host, Guid id) => (await RunAsync(host, id)).StepsDone;

    private static async Task<List<string>> AuditActionsAsync(ServiceHost host)
    {
        await using var db = host.OpenDatabase();
        return await db.AuditEntries.Select(e => e.Action).ToListAsync();
    }

    /// <summary>A designer's job waiting in the generation queue (no generation worker runs in these tests).</summary>
    private static async Task<Guid> InsertGenerationJobAsync(ServiceHost host)
    {
        await using var db = host.OpenDatabase();
        var job = new GenerationJob
        {
            Id = Guid.NewGuid(), UserId = "designer", ModelSha256 = new string('0', 64), ConditionsJson = "{}", Preset = "plain",
            Count = 1, Status = JobStatus.Queued, CreatedAt = DateTime.UtcNow,
        };
        db.GenerationJobs.Add(job);
        await db.SaveChangesAsync();
        return job.Id;
    }

    private static async Task EndGenerationJobAsync(ServiceHost host, Guid id)
    {
        await using var db = host.OpenDatabase();
        await db.GenerationJobs.Where(j => j.Id == id).ExecuteUpdateAsync(s => s.SetProperty(j => j.Status, JobStatus.Completed));
    }
}
