using Aigc.Imaging.Metadata;
using Aigc.Platform.Blobs;
using Aigc.Platform.Data;
using Aigc.Platform.Queue;
using Aigc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Aigc.Platform.Tests.Queue;

/// <summary>The worker loop end to end: real generator, real libvips pipeline, real SQLite file, real blob files.</summary>
public sealed class SchedulerTests : IDisposable
{
    private static readonly Dictionary<string, string> Gear = new() { ["part"] = "spur_gear", ["view"] = "front", ["complexity"] = "low" };
    private static readonly Dictionary<string, string> Flange = new() { ["part"] = "flange", ["view"] = "section", ["complexity"] = "high" };

    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task A_small_request_submitted_after_a_large_one_finishes_first()
    {
        await using var host = await StartAsync("data");
        var large = await host.EnqueueAsync(new GenerationRequest("blueprints-64", Gear, 64, 1, "plain"), ServiceHost.Alice);
        var small = await host.EnqueueAsync(new GenerationRequest("blueprints-64", Flange, 4, 2, "plain"), ServiceHost.Bob);

        await RunUntilAsync(host, db => db.GenerationJobs.AllAsync(j => j.Status == JobStatus.Completed), "both jobs complete");

        await using var db = host.OpenDatabase();
        var jobs = await db.GenerationJobs.ToDictionaryAsync(j => j.Id);
        Assert.True(jobs[small.Id].CompletedAt < jobs[large.Id].CompletedAt, "the 4-image job should finish before the 64-image one");
        var lastSmall = await db.Blueprints.Where(b => b.JobId == small.Id).MaxAsync(b => b.CreatedAt);
        var largeDoneBefore = await db.Blueprints.CountAsync(b => b.JobId == large.Id && b.CreatedAt <= lastSmall);
        Assert.True(largeDoneBefore <= 8, $"{largeDoneBefore} of the large job's images were done before the small job's last one; round robin allows one batch");
        Assert.Equal(64, await db.Blueprints.CountAsync(b => b.JobId == large.Id));
    }

    [Fact]
    public async Task Interactive_requests_go_ahead_of_bulk_ones()
    {
        await using var host = await StartAsync("data");
        var bulk = await host.EnqueueAsync(new GenerationRequest("blueprints-64", Gear, 32, 1, "plain", JobPriority.Bulk), ServiceHost.Alice);
        var preview = await host.EnqueueAsync(new GenerationRequest("blueprints-64", Flange, 8, 2, "plain"), ServiceHost.Alice);

        await RunUntilAsync(host, db => db.GenerationJobs.AllAsync(j => j.Status == JobStatus.Completed), "both jobs complete");

        await using var db = host.OpenDatabase();
        var firstBulk = await db.Blueprints.Where(b => b.JobId == bulk.Id).MinAsync(b => b.CreatedAt);
        var lastPreview = await db.Blueprints.Where(b => b.JobId == preview.Id).MaxAsync(b => b.CreatedAt);
        Assert.True(lastPreview <= firstBulk, "every preview image should be stored before the first bulk image");
    }

    [Fact]
    public async Task A_cancelled_job_records_nothing_more_while_other_work_goes_on()
    {
        await using var host = await StartAsync("data", GatedDevice.Install);
        host.Get<GatedDevice>().HoldAfter(batches: 1);
        var doomed = await host.EnqueueAsync(new GenerationRequest("blueprints-64", Gear, 64, 1, "plain"), ServiceHost.Alice);
        using var stop = new CancellationTokenSource();
        var run = host.Get<GenerationScheduler>().RunAsync(stop.Token);

        await host.WaitUntilAsync(db => db.Blueprints.AnyAsync(b => b.JobId == doomed.Id), "the first images of the job");
        Assert.True(await host.InScope(sp => sp.GetRequiredService<GenerationQueue>().CancelAsync(doomed.Id, ServiceHost.Alice)));
        int recordedAtCancel;
        await using (var db = host.OpenDatabase())
            recordedAtCancel = await db.Blueprints.CountAsync(b => b.JobId == doomed.Id);
        // The job's second pass was held until now: it runs after the cancel, and must store nothing.
        host.Get<GatedDevice>().Open();
        var next = await host.EnqueueAsync(new GenerationRequest("blueprints-64", Flange, 16, 2, "plain"), ServiceHost.Bob);
        await host.WaitUntilAsync(db => db.GenerationJobs.AnyAsync(j => j.Id == next.Id && j.Status == JobStatus.Completed), "the next job completes");
        await StopAsync(stop, run);

        await using var after = host.OpenDatabase();
        var job = await after.GenerationJobs.SingleAsync(j => j.Id == doomed.Id);
        Assert.Equal(JobStatus.Cancelled, job.Status);
        Assert.Equal(recordedAtCancel, await after.Blueprints.CountAsync(b => b.JobId == doomed.Id));
        Assert.Equal(recordedAtCancel, job.ImagesDone);
        Assert.True(recordedAtCancel < 64);
    }

    [Fact]
    public async Task After_a_worker_dies_mid_batch_a_new_one_finishes_every_job_exactly_once()
    {
        var settings = new Dictionary<string, string?> { ["Queue:LeaseSeconds"] = "2" };
        var data = _folder.Sub("data");
        var jobs = new List<GenerationJob>();
        var held = new List<Guid>();
        await using (var first = await ServiceHost.StartAsync(data, settings))
        {
            await first.RegisterAsync(ServiceHost.WriteModelFolder(_folder.Path, 3), "v1");
            for (var i = 0; i < 3; i++)
                jobs.Add(await first.EnqueueAsync(new GenerationRequest("blueprints-64", i == 1 ? Flange : Gear, 24, 100 * i, "plain"), i == 1 ? ServiceHost.Bob : ServiceHost.Alice));
            using var kill = new CancellationTokenSource();
            var run = first.Get<GenerationScheduler>().RunAsync(kill.Token);
            await first.WaitUntilAsync(db => db.Blueprints.AnyAsync(), "the first images");
            // The kill: no hand-back, a batch in the engine and another in post-processing are lost.
            await StopAsync(kill, run);
            // The jobs the dead worker held (the others it had not claimed yet, on a fast machine).
            await using var at = first.OpenDatabase();
            held.AddRange(await at.GenerationJobs.Where(j => j.LeaseOwner != null).Select(j => j.Id).ToListAsync());
        }

        Assert.NotEmpty(held);

        await using var second = await ServiceHost.StartAsync(data, settings);
        await RunUntilAsync(second, db => db.GenerationJobs.AllAsync(j => j.Status == JobStatus.Completed), "every job completes after the restart");

        await using var db = second.OpenDatabase();
        var store = second.Get<BlobStore>();
        foreach (var job in await db.GenerationJobs.ToListAsync())
        {
            var images = await db.Blueprints.Where(b => b.JobId == job.Id).ToListAsync();
            Assert.Equal(Enumerable.Range(0, 24), images.Select(b => b.Index).Order());
            Assert.Equal(24, images.Select(b => b.FileSha256).Distinct().Count());
            // The kill was not the job's fault: it counts as a lost worker, not an attempt (decision 0019).
            Assert.Equal((24, 1, held.Contains(job.Id) ? 1 : 0), (job.ImagesDone, job.Attempts, job.LeaseLosses));
            Assert.All(images, b => Assert.Equal(b.FileSha256, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(store.PathOf(b.FileSha256))))));
        }

        var files = Directory.GetFiles(store.Root, "*", SearchOption.AllDirectories);
        Assert.Equal(72, files.Length);
    }

    [Theory]
    [InlineData("Cpu", "Aigc.Neural ")]
    [InlineData("Onnx", "ONNX Runtime ")]
    public async Task The_same_request_gives_the_same_pixels_with_batches_of_1_and_8(string device, string engine)
    {
        var folder = ServiceHost.WriteModelFolder(_folder.Path, 4);
        var pngs = new List<IReadOnlyList<byte[]>>();
        foreach (var batch in new[] { "1", "8" })
        {
            await using var host = await ServiceHost.StartAsync(_folder.Sub($"data-{batch}"),
                new() { ["Queue:BatchSize"] = batch, ["Inference:Device"] = device });
            await host.RegisterAsync(folder, "v1");
            // Other users' work shares the batches, so the request's images sit at different places in them.
            await host.EnqueueAsync(new GenerationRequest("blueprints-64", Flange, 3, 9, "default"), ServiceHost.Bob);
            var job = await host.EnqueueAsync(new GenerationRequest("blueprints-64", Gear, 6, 42, "default"), ServiceHost.Alice);
            await RunUntilAsync(host, db => db.GenerationJobs.AllAsync(j => j.Status == JobStatus.Completed), "the jobs complete");
            await using var db = host.OpenDatabase();
            var store = host.Get<BlobStore>();
            var images = await db.Blueprints.Where(b => b.JobId == job.Id).OrderBy(b => b.Index).ToListAsync();
            pngs.Add(await Task.WhenAll(images.Select(b => store.ReadAllAsync(b.FileSha256))));
        }

        Assert.Equal(6, pngs[0].Count);
        for (var i = 0; i < 6; i++)
        {
            var metadata = BlueprintMetadata.Read(pngs[0][i])!;
            Assert.Equal((42L + i, "default", "blueprints-64", "v1"), (metadata.Seed, metadata.Preset, metadata.ModelName, metadata.ModelVersion));
            // The metadata names the device's engine: reproduction is bit for bit per device (decision 0017).
            Assert.StartsWith(engine, metadata.EngineVersion);
            Assert.Equal(BlueprintMetadata.Strip(pngs[0][i]), BlueprintMetadata.Strip(pngs[1][i]));
        }

        Assert.Equal(6, pngs[0].Select(Convert.ToHexString).Distinct().Count());
    }

    [Fact]
    public async Task With_two_batches_stored_at_once_every_image_is_stored_once_with_the_same_pixels_as_with_one()
    {
        var folder = ServiceHost.WriteModelFolder(_folder.Path, 4);
        var files = new List<Dictionary<(int Job, int Index), string>>(); // stripped of metadata, as hex
        foreach (var storing in new[] { "1", "2" })
        {
            await using var host = await ServiceHost.StartAsync(_folder.Sub($"storing-{storing}"),
                new() { ["Queue:BatchSize"] = "4", ["Queue:StoringBatches"] = storing });
            await host.RegisterAsync(folder, "v1");
            var jobs = new[]
            {
                await host.EnqueueAsync(
                    new GenerationRequest("blueprints-64", Gear, 13, 5, "default"), ServiceHost.Alice),
                await host.EnqueueAsync(
                    new GenerationRequest("blueprints-64", Flange, 9, 6, "default"), ServiceHost.Bob),
            };
            await RunUntilAsync(host, db => db.GenerationJobs.AllAsync(j => j.Status == JobStatus.Completed),
                "the jobs complete");
            await using var db = host.OpenDatabase();
            var rows = await db.Blueprints.ToListAsync();
            Assert.Equal(22, rows.Count);
            Assert.Equal(22, rows.Select(b => (b.JobId, b.Index)).Distinct().Count());
            var done = new List<int>();
            foreach (var job in jobs)
                done.Add(await db.GenerationJobs.Where(x => x.Id == job.Id).Select(x => x.ImagesDone).SingleAsync());
            Assert.Equal([13, 9], done);
            var store = host.Get<BlobStore>();
            var pixels = new Dictionary<(int Job, int Index), string>();
            foreach (var row in rows)
            {
                pixels[(Array.FindIndex(jobs, j => j.Id == row.JobId), row.Index)] =
                    Convert.ToHexString(BlueprintMetadata.Strip(await store.ReadAllAsync(row.FileSha256)));
            }

            files.Add(pixels);
        }

        Assert.Equal(files[0].OrderBy(f => f.Key), files[1].OrderBy(f => f.Key));
    }

    [Fact]
    public async Task A_version_whose_file_is_corrupt_is_marked_broken_and_its_jobs_fail_with_the_reason()
    {
        await using var host = await ServiceHost.StartAsync(_folder.Sub("data"));
        var version = await host.RegisterAsync(ServiceHost.WriteModelFolder(_folder.Path, 5), "v1");
        var job = await host.EnqueueAsync(new GenerationRequest("blueprints-64", Gear, 4, 1, "plain"), ServiceHost.Alice);
        var weights = host.Get<Aigc.Platform.Models.ModelFiles>().WeightsOf(version.WeightsSha256);
        File.WriteAllBytes(weights, File.ReadAllBytes(weights)[..1000]);

        await RunUntilAsync(host, db => db.GenerationJobs.AllAsync(j => j.Status == JobStatus.Failed), "the job fails");

        await using var db = host.OpenDatabase();
        var failed = await db.GenerationJobs.SingleAsync(j => j.Id == job.Id);
        Assert.Contains("The model version is broken", failed.Error);
        Assert.Equal(FailureCause.Job, failed.FailureCause);
        Assert.Contains("corrupt", failed.Error);
        var broken = await db.ModelVersions.SingleAsync();
        Assert.Equal(ModelVersionStatus.Broken, broken.Status);
        Assert.Contains("corrupt", broken.StatusReason);
        var refused = await Assert.ThrowsAsync<GenerationRefusedException>(() => host.EnqueueAsync(new GenerationRequest("blueprints-64@v1", Gear, 1), ServiceHost.Alice));
        Assert.Contains("is broken", refused.Message);
    }

    [Fact]
    public async Task A_storage_fault_pauses_the_worker_without_failing_a_job_and_every_job_completes_once_it_is_gone()
    {
        var logs = new LogRecorder();
        var settings = new Dictionary<string, string?> { ["Queue:FaultBackoffMilliseconds"] = "20", ["Queue:MaxFaultBackoffSeconds"] = "1" };
        await using var host = await ServiceHost.StartAsync(_folder.Sub("data"), settings, services => services.AddLogging(l => l.AddProvider(logs)));
        await host.RegisterAsync(ServiceHost.WriteModelFolder(_folder.Path, 7), "v1");
        var store = host.Get<BlobStore>();
        var away = store.Root + ".away";
        // The store's folder turns into a file: every write fails with an I/O error, as on a full or read-only disk.
        Directory.Move(store.Root, away);
        await File.WriteAllBytesAsync(store.Root, [1]);
        var first = await host.EnqueueAsync(new GenerationRequest("blueprints-64", Gear, 12, 1, "plain"), ServiceHost.Alice);
        using var stop = new CancellationTokenSource();
        var run = host.Get<GenerationScheduler>().RunAsync(stop.Token);

        await host.WaitUntilAsync(db => db.GenerationJobs.AnyAsync(j => j.InfrastructureRetries == 1 && j.Status == JobStatus.Queued), "the fault hits the job");
        var second = await host.EnqueueAsync(new GenerationRequest("blueprints-64", Flange, 4, 2, "plain"), ServiceHost.Bob);
        await using (var db = host.OpenDatabase())
        {
            var hit = await db.GenerationJobs.SingleAsync(j => j.Id == first.Id);
            Assert.Equal((JobStatus.Queued, 0, 0), (hit.Status, hit.Attempts, hit.ImagesDone));
            Assert.StartsWith("Storage or the database failed; retrying: ", hit.Error);
            Assert.Contains(store.Root, hit.Error);
            Assert.DoesNotContain(".tmp", hit.Error);
        }

        var warning = Assert.Single(logs.Entries, e => e.Level == LogLevel.Warning && e.Category == typeof(GenerationScheduler).FullName);
        Assert.IsAssignableFrom<IOException>(warning.Exception);
        Assert.DoesNotContain(logs.Entries, e => e.Level >= LogLevel.Error);
        Assert.False(run.IsCompleted);

        File.Delete(store.Root);
        Directory.Move(away, store.Root);
        await host.WaitUntilAsync(async db => run.IsCompleted || await db.GenerationJobs.AllAsync(j => j.Status == JobStatus.Completed),
            "every job completes once the store works again", timeoutSeconds: 60);
        await StopAsync(stop, run);

        await using var after = host.OpenDatabase();
        foreach (var (job, count) in new[] { (first.Id, 12), (second.Id, 4) })
        {
            var row = await after.GenerationJobs.SingleAsync(j => j.Id == job);
            Assert.Equal((JobStatus.Completed, count, 1), (row.Status, row.ImagesDone, row.Attempts));
            var images = await after.Blueprints.Where(b => b.JobId == job).ToListAsync();
            Assert.Equal(Enumerable.Range(0, count), images.Select(b => b.Index).Order());
            Assert.All(images, b => Assert.Equal(BlobState.Intact, store.CheckAsync(b.FileSha256).Result));
        }

        Assert.Contains(logs.Entries, e => e.Level == LogLevel.Information && e.Message.Contains("resumes"));
    }

    [Fact]
    public async Task Jobs_and_images_get_time_ordered_ids_so_the_key_indexes_are_appended_to()
    {
        await using var host = await StartAsync("data");
        var job = await host.EnqueueAsync(new GenerationRequest("blueprints-64", Gear, 64, 1, "plain"), ServiceHost.Alice);

        await RunUntilAsync(host, db => db.GenerationJobs.AllAsync(j => j.Status == JobStatus.Completed), "the job completes");

        await using var db = host.OpenDatabase();
        var images = await db.Blueprints.Where(b => b.JobId == job.Id).ToListAsync();
        Assert.Equal(7, job.Id.Version);
        Assert.All(images, b => Assert.Equal(7, b.Id.Version));
        // Batches are stored milliseconds apart, and the ids carry milliseconds: the first batch's sort before the last's.
        var first = images.Where(b => b.CreatedAt == images.Min(i => i.CreatedAt)).Select(b => b.Id.ToString()).Max(StringComparer.Ordinal)!;
        var last = images.Where(b => b.CreatedAt == images.Max(i => i.CreatedAt)).Select(b => b.Id.ToString()).Min(StringComparer.Ordinal)!;
        Assert.True(string.CompareOrdinal(first, last) < 0, $"{first} should sort before {last}");
    }

    private async Task<ServiceHost> StartAsync(string name, Action<IServiceCollection>? configure = null)
    {
        var host = await ServiceHost.StartAsync(_folder.Sub(name), configure: configure);
        await host.RegisterAsync(ServiceHost.WriteModelFolder(_folder.Path, 2), "v1");
        return host;
    }

    private static async Task RunUntilAsync(ServiceHost host, Func<PortalDbContext, Task<bool>> condition, string what)
    {
        using var stop = new CancellationTokenSource();
        var run = host.Get<GenerationScheduler>().RunAsync(stop.Token);
        try
        {
            await host.WaitUntilAsync(async db => run.IsFaulted || await condition(db), what, timeoutSeconds: 60);
        }
        finally
        {
            await StopAsync(stop, run);
        }
    }

    private static async Task StopAsync(CancellationTokenSource stop, Task run)
    {
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
    }
}
