using System.Security.Claims;
using System.Text.Json;
using Aigc.Generation.Evaluation;
using Aigc.Generation.Manifest;
using Aigc.Generation.Training;
using Aigc.Neural;
using Aigc.Platform.Audit;
using Aigc.Platform.Blobs;
using Aigc.Platform.Data;
using Aigc.Platform.Models;
using Aigc.Platform.Queue;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Aigc.Platform.Training;

/// <summary>
/// Runs training runs in a host that runs the generation worker, below every generation (decision 0020): a run is
/// claimed only while no generation job is queued or running, and between steps the run waits while one is, so
/// designers' previews stay fast. Each step is logged under the run's lease; checkpoints and sample grids go to the
/// blob store, so a run continues from its last checkpoint on any worker, bit for bit as if never stopped. At the end
/// the run is evaluated like `aigc eval`, its model card written, and its version registered as a draft.
/// </summary>
public sealed class TrainingWorker(
    IServiceScopeFactory scopes, IDbContextFactory<PortalDbContext> contexts, DatasetLibrary datasets, BlobStore blobs,
    TrainingSignal signal, QueueSignal queue, IOptions<TrainingOptions> options, IOptions<NeuralOptions> neural,
    IOptions<PlatformOptions> platform, TimeProvider clock, ILogger<TrainingWorker> logger) : BackgroundService
{
    private static readonly TimeSpan Poll = TimeSpan.FromSeconds(1);

    private static readonly JsonSerializerOptions ReportJson = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    public TrainingLeases Leases { get; } = new(contexts,
        $"{Environment.MachineName}:{Environment.ProcessId}:train:{Guid.NewGuid().ToString("N")[..8]}",
        TimeSpan.FromSeconds(options.Value.LeaseSeconds), clock);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.RunWorker)
            return;
        await Task.Yield();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (!await RunNextAsync(stoppingToken))
                    await Wait(Task.WhenAny(signal.NextQueued, queue.NextProgressed), stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (InfrastructureFault.IsTransient(e))
            {
                logger.LogWarning(e, "Training worker {Worker}: storage or the database failed; trying again shortly", Leases.Owner);
                await Wait(Task.Delay(TimeSpan.FromSeconds(5), clock, stoppingToken), stoppingToken);
            }
        }
    }

    /// <summary>Claims and runs one run when generation is idle; false when there was nothing to do.</summary>
    public async Task<bool> RunNextAsync(CancellationToken stoppingToken)
    {
        if (await GenerationBusyAsync(stoppingToken))
            return false;
        var run = await Leases.ClaimAsync(stoppingToken);
        if (run is null)
            return false;
        signal.PulseRun(run.Id);
        var work = Path.Combine(platform.Value.DataDirectoryFullPath, "training", run.Id.ToString("N"));
        try
        {
            await ExecuteRunAsync(run, work, stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            await Leases.ReleaseAsync(run.Id, CancellationToken.None);
            throw;
        }
        catch (LeaseLostException)
        {
            logger.LogWarning("Training worker {Worker} lost run {Run} to another worker", Leases.Owner, run.Id);
        }
        catch (Exception e) when (e is ManifestException or ArgumentException or InvalidOperationException or InvalidDataException
                                      or ModelRejectedException or IOException && !InfrastructureFault.IsTransient(e))
        {
            logger.LogError(e, "Training run {Run} failed", run.Id);
            var message = e.Message.Length > 2000 ? e.Message[..2000] : e.Message;
            await Leases.SetAsync(run.Id, s => s.SetProperty(r => r.Status, TrainingRunStatus.Failed).SetProperty(r => r.Error, message)
                .SetProperty(r => r.CompletedAt, clock.GetUtcNow().UtcDateTime).SetProperty(r => r.LeaseOwner, (string?)null), CancellationToken.None);
        }
        finally
        {
            if (Directory.Exists(work))
                Directory.Delete(work, recursive: true);
            signal.PulseRun(run.Id);
        }

        return true;
    }

    private async Task ExecuteRunAsync(TrainingRun run, string work, CancellationToken stoppingToken)
    {
        if (Directory.Exists(work))
            Directory.Delete(work, recursive: true);
        var data = Path.Combine(work, "data");
        var output = Directory.CreateDirectory(Path.Combine(work, "out")).FullName;
        if (run.DatasetVersionId is not { } versionId)
            throw new InvalidOperationException("Its dataset was deleted before the run finished.");
        await datasets.MaterialiseAsync(versionId, data, stoppingToken);
        var manifestPath = Path.Combine(work, "manifest.json");
        await File.WriteAllTextAsync(manifestPath, run.ManifestJson, stoppingToken);
        var resume = run.CheckpointSha256 is not null;
        if (resume)
            await File.WriteAllBytesAsync(Path.Combine(output, CganCheckpoint.FileName), await blobs.ReadAllAsync(run.CheckpointSha256!, stoppingToken), stoppingToken);
        await Leases.RewindAsync(run, stoppingToken);

        var engine = new NeuralEngine(new NeuralOptions
        {
            Threads = options.Value.EngineThreads,
            BlasProvider = neural.Value.BlasProvider,
            MaxSafetensorsHeaderBytes = neural.Value.MaxSafetensorsHeaderBytes,
        });
        var training = new CganTrainingRun(new TrainingRunOptions
        {
            DataDirectory = data,
            ManifestPath = manifestPath,
            OutputDirectory = output,
            Steps = run.Steps,
            BatchSize = run.BatchSize,
            Seed = unchecked((ulong)run.Seed),
            SampleEvery = run.SampleEvery,
            CheckpointEvery = run.CheckpointEvery,
            Resume = resume,
            Settings = new CganTrainingSettings
            {
                GeneratorLearningRate = run.GeneratorLearningRate,
                DiscriminatorLearningRate = run.DiscriminatorLearningRate,
                EmaDecay = 0.999f,
            },
        }, engine);

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var steps = new StepLog(this, run.Id, run.BatchSize, stop);
        var reached = await Task.Factory.StartNew(() => training.Run(steps, stop.Token, new TrainingHooks
        {
            BetweenSteps = (step, token) => steps.BetweenSteps(step, token),
            Sampled = (step, png) => RecordAsync(run.Id, step, png, sample: true).GetAwaiter().GetResult(),
            Checkpointed = (step, path) => RecordAsync(run.Id, step, File.ReadAllBytes(path), sample: false).GetAwaiter().GetResult(),
        }), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        stoppingToken.ThrowIfCancellationRequested();
        if (reached < run.Steps)
        {
            await StoppedAsync(run.Id);
            return;
        }

        await FinishAsync(run, engine, data, output, stoppingToken);
    }

    /// <summary>Paused: the checkpoint is kept for resuming. Cancelled: the checkpoint goes.</summary>
    private async Task StoppedAsync(Guid runId)
    {
        await using var db = await contexts.CreateDbContextAsync();
        var run = await db.TrainingRuns.AsNoTracking().SingleAsync(r => r.Id == runId);
        await Leases.ReleaseAsync(runId, CancellationToken.None);
        if (run.Status == TrainingRunStatus.Cancelled && run.CheckpointSha256 is { } checkpoint)
        {
            await db.TrainingRuns.Where(r => r.Id == runId).ExecuteUpdateAsync(s => s.SetProperty(r => r.CheckpointSha256, (string?)null));
            blobs.Delete(checkpoint);
        }
    }

    /// <summary>Evaluation (as `aigc eval`), the model card, the draft version, then the run is completed.</summary>
    private async Task FinishAsync(TrainingRun run, NeuralEngine engine, string data, string output, CancellationToken cancellationToken)
    {
        if (!await Leases.SetAsync(run.Id, s => s.SetProperty(r => r.Status, TrainingRunStatus.Evaluating), cancellationToken))
            throw new LeaseLostException();
        signal.PulseRun(run.Id);
        var report = await Task.Run(() => BlueprintEvaluation.Run(output, data, engine, new EvaluationOptions(), null, cancellationToken),
            cancellationToken);
        ModelMetricsFile.SetSection(output, "evaluation", report);
        var variants = await blobs.PutAsync(await File.ReadAllBytesAsync(Path.Combine(output, VariantSheet.FileName), cancellationToken), cancellationToken);
        var manifest = CganManifest.Load(Path.Combine(output, ModelFiles.ManifestFileName));
        await File.WriteAllTextAsync(Path.Combine(output, ModelFiles.ModelCardFileName), TrainedModelCard.Markdown(run, manifest, report), cancellationToken);

        await using var scope = scopes.CreateAsyncScope();
        var owner = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, run.UserName),
            new Claim(ClaimTypes.NameIdentifier, run.UserId)], "training"));
        var version = await scope.ServiceProvider.GetRequiredService<ModelRegistry>()
            .RegisterAsync(output, run.VersionLabel, owner, cancellationToken, mayActivate: false);
        var evaluation = JsonSerializer.Serialize(report, ReportJson);
        var now = clock.GetUtcNow().UtcDateTime;
        var checkpoint = run.CheckpointSha256;
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
        {
            checkpoint = await db.TrainingRuns.Where(r => r.Id == run.Id).Select(r => r.CheckpointSha256).SingleAsync(cancellationToken);
            var done = await db.TrainingRuns.Where(r => r.Id == run.Id && r.LeaseOwner == Leases.Owner).ExecuteUpdateAsync(s => s
                .SetProperty(r => r.Status, TrainingRunStatus.Completed)
                .SetProperty(r => r.ModelSha256, version.WeightsSha256)
                .SetProperty(r => r.EvaluationJson, evaluation)
                .SetProperty(r => r.VariantsSha256, variants)
                .SetProperty(r => r.CheckpointSha256, (string?)null)
                .SetProperty(r => r.CompletedAt, now)
                .SetProperty(r => r.LeaseOwner, (string?)null)
                .SetProperty(r => r.LeaseExpiresAt, (DateTime?)null), cancellationToken);
            if (done == 0)
                throw new LeaseLostException();
            new AuditLog(db, clock).Record(owner, "training.complete", run.Id.ToString(), $"{version.Name}@{version.Version}",
                $"draft {version.WeightsSha256[..12]}; GAN-test {report.ConditionalAccuracy:P1}");
            await db.SaveChangesAsync(cancellationToken);
        }

        if (checkpoint is not null)
            blobs.Delete(checkpoint);
    }

    /// <summary>Stores a sample grid or checkpoint as a blob the run names, removing the one it replaces.</summary>
    private async Task RecordAsync(Guid runId, long step, byte[] bytes, bool sample)
    {
        await using var db = await contexts.CreateDbContextAsync();
        var before = await db.TrainingRuns.Where(r => r.Id == runId)
            .Select(r => sample ? r.SamplesSha256 : r.CheckpointSha256).SingleAsync();
        var sha = await blobs.PutAsync(bytes);
        var at = (int)step;
        var stored = sample
            ? await Leases.SetAsync(runId, s => s.SetProperty(r => r.SamplesSha256, sha).SetProperty(r => r.SamplesStep, at), CancellationToken.None)
            : await Leases.SetAsync(runId, s => s.SetProperty(r => r.CheckpointSha256, sha).SetProperty(r => r.CheckpointStep, at), CancellationToken.None);
        if (!stored)
            throw new LeaseLostException();
        if (before is not null && before != sha)
            blobs.Delete(before);
        signal.PulseRun(runId);
    }

    private void PulseRun(Guid runId) => signal.PulseRun(runId);

    private Task GenerationProgressed => queue.NextProgressed;

    private async Task<bool> GenerationBusyAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.GenerationJobs.AnyAsync(j => j.Status == JobStatus.Queued || j.Status == JobStatus.Running, cancellationToken);
    }

    private async Task Wait(Task signalled, CancellationToken cancellationToken)
    {
        try
        {
            await signalled.WaitAsync(Poll, clock, cancellationToken);
        }
        catch (TimeoutException)
        {
        }
    }

    /// <summary>
    /// The run's side of each step, on the training thread: log it under the lease, stop it when a person paused or
    /// cancelled it, and wait while generation has work (renewing the lease), which is how generation preempts training.
    /// </summary>
    private sealed class StepLog(TrainingWorker worker, Guid runId, int batchSize, CancellationTokenSource stop) : IProgress<StepReport>
    {
        private StepReport? _last;

        public void Report(StepReport value) => _last = value;

        public void BetweenSteps(long step, CancellationToken token)
        {
            var last = _last!;
            var status = worker.Leases.StepAsync(runId, (int)step, last.DiscriminatorLoss, last.GeneratorLoss,
                last.ImagesPerSecond / batchSize, CancellationToken.None).GetAwaiter().GetResult();
            worker.PulseRun(runId);
            while (true)
            {
                if (status is null)
                    throw new LeaseLostException();
                if (status != TrainingRunStatus.Running)
                {
                    stop.Cancel();
                    return;
                }

                if (token.IsCancellationRequested || !worker.GenerationBusyAsync(CancellationToken.None).GetAwaiter().GetResult())
                    return;
                worker.Wait(worker.GenerationProgressed, CancellationToken.None).GetAwaiter().GetResult();
                status = worker.Leases.RenewAsync(runId, CancellationToken.None).GetAwaiter().GetResult();
            }
        }
    }
}

/// <summary>Another worker holds the run now: this one stops without writing anything more.</summary>
public sealed class LeaseLostException() : Exception("The training run's lease was lost to another worker.");
