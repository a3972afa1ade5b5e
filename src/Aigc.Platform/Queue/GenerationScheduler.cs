using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.ExceptionServices;
using Aigc.Generation;
using Aigc.Generation.Inference;
using Aigc.Generation.Manifest;
using Aigc.Imaging.Pipeline;
using Aigc.Platform.Blobs;
using Aigc.Platform.Data;
using Aigc.Platform.Models;
using Aigc.Platform.Telemetry;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Aigc.Platform.Queue;

/// <summary>
/// One worker's loop: claim jobs under a lease, plan fair batches, generate a batch while the previous one is
/// post-processed and earlier ones (Queue:StoringBatches in all) are still being stored, drop cancelled or lost jobs
/// before each batch. Images are
/// recorded only while the lease is held, each (job, index) once; a worker that dies leaves its jobs to be claimed
/// again when the lease expires, and what it had not recorded is generated again, bit for bit the same. Storage and
/// database faults pause the worker instead of failing its jobs (decision 0019).
/// </summary>
public sealed class GenerationScheduler(
    IServiceScopeFactory scopes,
    IDbContextFactory<PortalDbContext> databases,
    LoadedModels models,
    IInferenceDevice device,
    BlueprintRender render,
    BlobStore blobs,
    QueueMetrics metrics,
    QueueSignal signal,
    IOptions<QueueOptions> options,
    TimeProvider clock,
    ILogger<GenerationScheduler> logger)
{
    private readonly QueueOptions _settings = options.Value;
    private readonly ConcurrentDictionary<string, ModelVersion> _versions = new(StringComparer.Ordinal);

    // The pause after an infrastructure fault: doubled by each fault in a row, zero again once a batch is stored.
    private long _backoffTicks;

    // Jobs whose first image this worker stored, so that its latency is recorded once.
    private readonly ConcurrentDictionary<Guid, byte> _firstImageRecorded = new();

    private int _activeJobs;
    private int _pendingImages;

    public JobLeases Leases { get; } = new(databases, $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid().ToString("N")[..8]}",
        TimeSpan.FromSeconds(options.Value.LeaseSeconds), options.Value.MaxAttempts, clock,
        options.Value.MaxLeaseLosses, options.Value.MaxInfrastructureRetries, options.Value.WorkerGoneAfter);

    /// <summary>The jobs this worker holds and the images they still need, as of its last look (for its heartbeat).</summary>
    public (int ActiveJobs, int PendingImages) Load => (Volatile.Read(ref _activeJobs), Volatile.Read(ref _pendingImages));

    /// <summary>
    /// Runs until the token is cancelled, then returns (or throws) without handing jobs back: see
    /// <see cref="JobLeases.ReleaseAllAsync"/>.
    /// An infrastructure fault (storage, the database; decision 0019) hands the jobs back and pauses the worker until
    /// storage works again, instead of failing the jobs.
    /// </summary>
    public async Task RunAsync(CancellationToken stoppingToken)
    {
        while (true)
        {
            var faulted = new ConcurrentBag<Guid>();
            try
            {
                await WorkAsync(faulted, stoppingToken);
            }
            catch (Exception e) when (InfrastructureFault.IsTransient(e) && !stoppingToken.IsCancellationRequested)
            {
                await RecoverAsync(faulted.Distinct().ToList(), e, stoppingToken);
            }
        }
    }

    private async Task WorkAsync(ConcurrentBag<Guid> faulted, CancellationToken stoppingToken)
    {
        var planner = new FairBatchPlanner(_settings.ImagesPerTurn);
        var commits = new GroupCommit(Leases, stoppingToken);
        // The jobs that ended are forgotten as each batch is stored.
        var storing = new StoringQueue(_settings.StoringBatches);
        try
        {
            while (true)
            {
                stoppingToken.ThrowIfCancellationRequested();
                metrics.Heartbeat();
                var queued = signal.NextQueued;
                await RefreshAsync(planner, stoppingToken);
                Volatile.Write(ref _activeJobs, planner.JobCount);
                Volatile.Write(ref _pendingImages, planner.PendingImages);
                if (planner.PendingImages == 0)
                {
                    Forget(planner, await storing.DrainAsync());
                    await QueueSignal.WaitAsync(queued, TimeSpan.FromMilliseconds(_settings.IdlePollMilliseconds), clock, stoppingToken);
                    continue;
                }

                if (planner.PendingImages < _settings.BatchSize && _settings.BatchWaitMilliseconds > 0)
                {
                    // Give requests arriving within a few milliseconds the chance to share this batch.
                    await Task.Delay(TimeSpan.FromMilliseconds(_settings.BatchWaitMilliseconds), clock, stoppingToken);
                    await ClaimAsync(planner, stoppingToken);
                }

                var batch = planner.NextBatch(_settings.BatchSize);
                var started = clock.GetTimestamp();
                var generated = await GenerateAsync(planner, batch, stoppingToken);
                Forget(planner, await storing.MakeRoomAsync());
                if (generated is not null)
                {
                    var rendering = new BatchRendering(batch.Count);
                    storing.Add(rendering, StoreAsync(batch, generated.Value.Images, generated.Value.Version,
                        generated.Value.Manifest, commits, faulted, started, rendering, stoppingToken));
                }
            }
        }
        finally
        {
            foreach (var pending in storing.Pending)
            {
                try
                {
                    await pending;
                }
                catch (Exception e) when (e is OperationCanceledException || InfrastructureFault.IsTransient(e))
                {
                    // Its jobs are in faulted; the fault being handled (or the stop) goes on up.
                }
            }
        }
    }

    /// <summary>
    /// Hands every job back (those the fault hit count an infrastructure retry), then waits until the hand-back went
    /// through and a probe file can be stored again, checking after a pause that doubles with every fault in a row
    /// up to Queue:MaxFaultBackoffSeconds.
    /// </summary>
    private async Task RecoverAsync(IReadOnlyCollection<Guid> faulted, Exception fault, CancellationToken stoppingToken)
    {
        var reason = InfrastructureFault.Describe(fault);
        logger.LogWarning(fault,
            "Storage or the database failed ({Reason}); worker {Worker} hands its jobs back ({Hit} hit) and pauses",
            reason, Leases.Owner, faulted.Count);
        _firstImageRecorded.Clear();
        var handedBack = false;
        while (true)
        {
            var delay = NextBackoff();
            await Task.Delay(delay, clock, stoppingToken);
            Exception? still;
            try
            {
                if (!handedBack)
                {
                    await Leases.HandBackAsync(faulted, $"Storage or the database failed; retrying: {reason}",
                        stoppingToken);
                }
                handedBack = true;
                still = await blobs.ProbeAsync(stoppingToken);
            }
            catch (Exception e) when (InfrastructureFault.IsTransient(e))
            {
                still = e;
            }

            if (still is null)
            {
                logger.LogInformation("Storage and the database work again; worker {Worker} resumes", Leases.Owner);
                return;
            }

            logger.LogDebug(still, "Still failing after {Delay}", delay);
        }
    }

    private TimeSpan NextBackoff()
    {
        var first = TimeSpan.FromMilliseconds(_settings.FaultBackoffMilliseconds).Ticks;
        var longest = TimeSpan.FromSeconds(_settings.MaxFaultBackoffSeconds).Ticks;
        var last = Interlocked.Read(ref _backoffTicks);
        var next = last == 0 ? first : Math.Min(last * 2, longest);
        Interlocked.Exchange(ref _backoffTicks, next);
        return TimeSpan.FromTicks(next);
    }

    private async Task RefreshAsync(FairBatchPlanner planner, CancellationToken cancellationToken)
    {
        var alive = await Leases.RenewAsync(planner.JobIds.ToList(), cancellationToken);
        foreach (var id in planner.JobIds.Where(id => !alive.Contains(id)).ToList())
            planner.Remove(id);
        await ClaimAsync(planner, cancellationToken);
    }

    private async Task ClaimAsync(FairBatchPlanner planner, CancellationToken cancellationToken)
    {
        var started = clock.GetUtcNow();
        // Room for the next two batches, and for one more batch of users new here: enough that this worker never
        // waits for work, little enough that a second worker finds the rest of the queue (decision 0009).
        var room = new ClaimRoom(_settings.MaxActiveJobs - planner.JobCount,
            2 * _settings.BatchSize - planner.PendingImages, _settings.BatchSize, planner.UsersWithPendingImages);
        var claims = await Leases.ClaimAsync(room, cancellationToken);
        var ended = clock.GetUtcNow();
        foreach (var claimed in claims)
        {
            planner.Add(claimed.Job, claimed.DoneIndices);
            PlatformTelemetry.RecordJobSpan(PlatformTelemetry.JobSpans[1], claimed.Job, started, ended,
                [
                    new("aigc.worker", Leases.Owner), new("aigc.job.attempt", claimed.Job.Attempts),
                    new("aigc.job.images_done", claimed.DoneIndices.Count),
                ]);
        }
    }

    private async Task<(float[][] Images, ModelVersion Version, CganManifest Manifest)?> GenerateAsync(
        FairBatchPlanner planner, IReadOnlyList<PlannedImage> batch, CancellationToken cancellationToken)
    {
        var sha = batch[0].Job.ModelSha256;
        var started = clock.GetUtcNow();
        try
        {
            var version = await VersionAsync(sha, cancellationToken);
            var generator = await models.GetAsync(sha, cancellationToken);
            var items = batch.Select(p => JobRecipes.Item(p.Job, p.Index, generator.Manifest.Schema)).ToList();
            var images = await device.GenerateAsync(generator, items, cancellationToken);
            RecordGenerateSpans(batch, started, error: null);
            return (images, version, generator.Manifest);
        }
        catch (ModelRejectedException e)
        {
            RecordGenerateSpans(batch, started, e.Message);
            logger.LogError("Model version {Sha} is broken: {Reason}", sha, e.Message);
            await using (var scope = scopes.CreateAsyncScope())
                await scope.ServiceProvider.GetRequiredService<ModelRegistry>().MarkBrokenAsync(sha, e.Message, cancellationToken);
            foreach (var job in batch.Select(p => p.Job).DistinctBy(j => j.Id))
            {
                await Leases.FailAsync(job.Id, $"The model version is broken: {e.Message}", retry: false, cancellationToken);
                planner.Remove(job.Id);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException && !InfrastructureFault.IsTransient(e))
        {
            RecordGenerateSpans(batch, started, e.Message);
            logger.LogError(e, "Generation of a batch of {Count} failed", batch.Count);
            foreach (var job in batch.Select(p => p.Job).DistinctBy(j => j.Id))
            {
                await Leases.FailAsync(job.Id, $"Generation failed: {e.Message}", retry: true, cancellationToken);
                planner.Remove(job.Id);
            }
        }

        signal.PulseProgressed();
        return null;
    }

    /// <summary>One generate span per job of the batch: the pass is shared, each job's trace shows it.</summary>
    private void RecordGenerateSpans(IReadOnlyList<PlannedImage> batch, DateTimeOffset started, string? error)
    {
        var ended = clock.GetUtcNow();
        foreach (var images in batch.GroupBy(p => p.Job.Id))
        {
            PlatformTelemetry.RecordJobSpan(PlatformTelemetry.JobSpans[2], images.First().Job, started, ended,
                [new("aigc.device", device.Name), new("aigc.batch.size", batch.Count), new("aigc.batch.job_images", images.Count())],
                error);
        }
    }

    /// <summary>
    /// Post-processes and records a batch, each job as soon as its images are in the blob store (jobs ready at the same
    /// time share a transaction); returns the jobs that ended (completed, failed, not ours any more).
    /// </summary>
    private async Task<List<Guid>> StoreAsync(
        IReadOnlyList<PlannedImage> batch, float[][] images, ModelVersion version, CganManifest manifest,
        GroupCommit commits, ConcurrentBag<Guid> faulted, long started, BatchRendering rendering,
        CancellationToken cancellationToken)
    {
        Exception? fault = null;
        var ended = new ConcurrentBag<Guid>();
        await Task.WhenAll(batch.Select((planned, i) => (planned, image: images[i])).GroupBy(x => x.planned.Job.Id).Select(async group =>
        {
            var job = group.First().planned.Job;
            Activity? span = null;
            try
            {
                // Post-processing ends with the files in the blob store; storing records them in the queue of record.
                span = PlatformTelemetry.StartJobSpan(PlatformTelemetry.JobSpans[3], job);
                span?.SetTag("aigc.preset", job.Preset);
                // Each image goes to the blob store as soon as it is processed: the disk syncs of a batch overlap.
                var rows = await Task.WhenAll(group.Select(async x =>
                {
                    ProcessedImage image;
                    try
                    {
                        image = await render.RunAsync(
                            job, x.planned.Index, x.image, version, manifest, cancellationToken);
                    }
                    finally
                    {
                        rendering.ImageDone();
                    }

                    return new Blueprint
                    {
                        // Time-ordered ids: each commit appends to the id indexes instead of dirtying a random page per row.
                        Id = Guid.CreateVersion7(),
                        JobId = job.Id,
                        Index = x.planned.Index,
                        Seed = JobRecipes.Seed(job, x.planned.Index),
                        ConditionsJson = job.ConditionsJson,
                        FileSha256 = await blobs.PutAsync(image.Bytes, cancellationToken),
                        ThumbnailSha256 = image.Thumbnail is null ? null : await blobs.PutAsync(image.Thumbnail, cancellationToken),
                        ContentType = image.ContentType,
                        Width = image.Width,
                        Height = image.Height,
                        FileBytes = image.Bytes.Length,
                        OwnerId = job.UserId,
                        ModelSha256 = job.ModelSha256,
                        Preset = job.Preset,
                    };
                }));
                span?.Dispose();
                span = PlatformTelemetry.StartJobSpan(PlatformTelemetry.JobSpans[4], job);
                var now = clock.GetUtcNow().UtcDateTime;
                foreach (var row in rows)
                    row.CreatedAt = now;

                var outcome = await commits.StoreAsync(job.Id, rows);
                span?.SetTag("aigc.store.outcome", outcome.ToString().ToLowerInvariant());
                RecordLatency(job, outcome);
                if (outcome != StoreOutcome.Stored)
                    ended.Add(job.Id);
                // Watchers of this job see its images now, not when the rest of the batch is stored.
                signal.PulseJob(job.Id);
            }
            catch (Exception e) when (InfrastructureFault.IsTransient(e))
            {
                // Not the job's fault: the worker hands it back and pauses (RunAsync).
                faulted.Add(job.Id);
                Interlocked.CompareExchange(ref fault, e, null);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                span?.SetStatus(ActivityStatusCode.Error, e.Message);
                logger.LogError(e, "Post-processing job {Job} failed", job.Id);
                await Leases.FailAsync(job.Id, $"Post-processing failed: {e.Message}", retry: true, cancellationToken);
                ended.Add(job.Id);
            }
            finally
            {
                span?.Dispose();
            }
        }));
        metrics.RecordBatch(batch.Count, clock.GetElapsedTime(started));
        signal.PulseProgressed();
        if (fault is not null)
            ExceptionDispatchInfo.Throw(fault);
        Interlocked.Exchange(ref _backoffTicks, 0);
        return ended.ToList();
    }

    private async Task<ModelVersion> VersionAsync(string sha, CancellationToken cancellationToken)
    {
        if (_versions.TryGetValue(sha, out var known))
            return known;
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var version = await db.ModelVersions.AsNoTracking().SingleOrDefaultAsync(m => m.WeightsSha256 == sha, cancellationToken)
            ?? throw new ModelRejectedException($"No model version with weights {sha} is registered.");
        return _versions[sha] = version;
    }

    private void Forget(FairBatchPlanner planner, List<Guid> ended)
    {
        foreach (var id in ended)
        {
            planner.Remove(id);
            _firstImageRecorded.TryRemove(id, out _);
        }
    }

    /// <summary>Latencies count from the request; a job taken over from a lost worker (images already done) has no first image here.</summary>
    private void RecordLatency(GenerationJob job, StoreOutcome outcome)
    {
        if (outcome == StoreOutcome.NotOwned)
            return;
        var sinceCreated = clock.GetUtcNow().UtcDateTime - job.CreatedAt;
        if (job.ImagesDone == 0 && _firstImageRecorded.TryAdd(job.Id, 0))
            metrics.RecordFirstImage(sinceCreated);
        if (outcome == StoreOutcome.Completed)
            metrics.RecordCompletion(sinceCreated);
    }
}
