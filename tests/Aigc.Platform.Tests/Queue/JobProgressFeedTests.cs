using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Aigc.Platform.Data;
using Aigc.Platform.Queue;
using Aigc.Testing;

namespace Aigc.Platform.Tests.Queue;

/// <summary>Following a job from queued to completed through the in-process signal, with a real worker.</summary>
public sealed class JobProgressFeedTests : IDisposable
{
    private static readonly Dictionary<string, string> Gear = new() { ["part"] = "spur_gear", ["view"] = "front", ["complexity"] = "low" };

    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Watching_a_job_reports_its_position_then_every_image_then_the_end()
    {
        await using var host = await ServiceHost.StartAsync(_folder.Sub("data"));
        await host.RegisterAsync(ServiceHost.WriteModelFolder(_folder.Sub("model"), 7), "v1");
        await host.EnqueueAsync(new GenerationRequest("blueprints-64", Gear, 3, 1, "plain"), ServiceHost.Alice);
        var watched = await host.EnqueueAsync(new GenerationRequest("blueprints-64", Gear, 4, 9, "plain"), ServiceHost.Bob);
        var feed = host.Get<JobProgressFeed>();

        var before = await feed.ReadAsync(watched.Id, ServiceHost.Bob);
        Assert.NotNull(before);
        Assert.Equal(JobStatus.Queued, before.Status);
        Assert.Equal(3, before.ImagesAhead);
        Assert.Null(await feed.ReadAsync(watched.Id, ServiceHost.Alice));
        Assert.NotNull(await feed.ReadAsync(watched.Id, ServiceHost.Admin));

        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var run = host.Get<GenerationScheduler>().RunAsync(stop.Token);
        var seen = new List<JobProgress>();
        await foreach (var progress in feed.WatchAsync(watched.Id, ServiceHost.Bob, stop.Token))
            seen.Add(progress);
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);

        var last = seen[^1];
        Assert.Equal(JobStatus.Completed, last.Status);
        Assert.Equal(Enumerable.Range(0, 4), last.Images.Select(i => i.Index));
        Assert.Equal(Enumerable.Range(9, 4).Select(i => (long)i), last.Images.Select(i => i.Seed));
        Assert.All(seen.Zip(seen.Skip(1)), pair => Assert.True(pair.Second.ImagesDone >= pair.First.ImagesDone));
        Assert.DoesNotContain(seen, p => p.IsFinal && p != last);
    }

    [Fact]
    public async Task Another_users_job_yields_nothing_and_a_cancelled_job_ends_the_watch()
    {
        await using var host = await ServiceHost.StartAsync(_folder.Sub("data"));
        await host.RegisterAsync(ServiceHost.WriteModelFolder(_folder.Sub("model"), 7), "v1");
        var job = await host.EnqueueAsync(new GenerationRequest("blueprints-64", Gear, 8, 1, "plain"), ServiceHost.Alice);
        var feed = host.Get<JobProgressFeed>();

        await foreach (var _ in feed.WatchAsync(job.Id, ServiceHost.Bob))
            Assert.Fail("Bob must not see Alice's job");

        Assert.Equal([JobStatus.Queued, JobStatus.Cancelled], await WatchCancellingAtAsync(host, feed, job.Id, JobStatus.Queued));
    }

    [Fact]
    public async Task Cancelling_a_running_job_wakes_its_watcher_at_once_without_polling()
    {
        // Polling once a minute: only the job's own pulse can end this watch within the test's timeout.
        await using var host = await ServiceHost.StartAsync(_folder.Sub("data"), new() { ["Queue:IdlePollMilliseconds"] = "60000" });
        await host.RegisterAsync(ServiceHost.WriteModelFolder(_folder.Sub("model"), 7), "v1");
        var job = await host.EnqueueAsync(new GenerationRequest("blueprints-64", Gear, 8, 1, "plain"), ServiceHost.Alice);
        Assert.Single(await host.Get<GenerationScheduler>().Leases.ClaimAsync(1));
        var feed = host.Get<JobProgressFeed>();

        Assert.Equal([JobStatus.Running, JobStatus.Cancelled], await WatchCancellingAtAsync(host, feed, job.Id, JobStatus.Running));
    }

    [Fact]
    public async Task Watchers_woken_by_one_stored_batch_share_one_reading_of_the_queue()
    {
        // No polling within the test: every reading below comes from a pulse.
        var queries = new QueryCounter("GenerationJobs");
        await using var host = await ServiceHost.StartAsync(_folder.Sub("data"), new() { ["Queue:IdlePollMilliseconds"] = "60000" },
            services => services.AddLogging(logging => logging.AddProvider(queries)));
        await host.RegisterAsync(ServiceHost.WriteModelFolder(_folder.Sub("model"), 7), "v1");
        var running = await host.EnqueueAsync(new GenerationRequest("blueprints-64", Gear, 8, 1, "plain"), ServiceHost.Alice);
        Assert.Single(await host.Get<GenerationScheduler>().Leases.ClaimAsync(1));
        var watched = new[]
        {
            (await host.EnqueueAsync(new GenerationRequest("blueprints-64", Gear, 4, 2, "plain"), ServiceHost.Bob)).Id,
            (await host.EnqueueAsync(new GenerationRequest("blueprints-64", Gear, 2, 3, "plain"), ServiceHost.Bob)).Id,
            (await host.EnqueueAsync(new GenerationRequest("blueprints-64", Gear, 4, 4, "plain"), ServiceHost.Alice)).Id,
        };
        var owners = new[] { ServiceHost.Bob, ServiceHost.Bob, ServiceHost.Alice };
        var feed = host.Get<JobProgressFeed>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var watchers = watched.Select((id, i) => feed.WatchAsync(id, owners[i], timeout.Token).GetAsyncEnumerator()).ToList();
        try
        {
            Assert.Equal([8, 12, 14], await NextPositionsAsync(watchers));

            // What the worker does when it stores a batch: four images of the running job, then one pulse.
            await using (var db = host.OpenDatabase())
                await db.GenerationJobs.Where(j => j.Id == running.Id).ExecuteUpdateAsync(s => s.SetProperty(j => j.ImagesDone, 4));
            queries.Reset();
            host.Get<QueueSignal>().PulseProgressed();

            Assert.Equal([4, 8, 10], await NextPositionsAsync(watchers));
            Assert.Equal(1, queries.Count);
        }
        finally
        {
            foreach (var watcher in watchers)
                await watcher.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_watcher_reads_each_stored_image_once_and_still_sees_images_stored_out_of_order()
    {
        // Reads of the job's images that start from the first index, not after the last one the watcher has.
        var fullReads = new QueryCounter(text => text.Contains("FROM \"Blueprints\"", StringComparison.Ordinal) && !text.Contains("\"Index\" >", StringComparison.Ordinal));
        await using var host = await ServiceHost.StartAsync(_folder.Sub("data"), new() { ["Queue:IdlePollMilliseconds"] = "60000" },
            services => services.AddLogging(logging => logging.AddProvider(fullReads)));
        await host.RegisterAsync(ServiceHost.WriteModelFolder(_folder.Sub("model"), 7), "v1");
        var job = await host.EnqueueAsync(new GenerationRequest("blueprints-64", Gear, 16, 1, "plain"), ServiceHost.Alice);
        var leases = host.Get<GenerationScheduler>().Leases;
        Assert.Single(await leases.ClaimAsync(1));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await using var watcher = host.Get<JobProgressFeed>().WatchAsync(job.Id, ServiceHost.Alice, timeout.Token).GetAsyncEnumerator();
        Assert.True(await watcher.MoveNextAsync());
        Assert.Empty(watcher.Current.Images);

        async Task<List<int>> StoreAsync(params int[] indices)
        {
            Assert.NotEqual(StoreOutcome.NotOwned, await leases.StoreAsync(job.Id, indices.Select(i => Image(job.Id, i)).ToList()));
            host.Get<QueueSignal>().PulseJob(job.Id);
            Assert.True(await watcher.MoveNextAsync());
            return watcher.Current.Images.Select(i => i.Index).ToList();
        }

        Assert.Equal([0, 1, 2, 3], await StoreAsync(0, 1, 2, 3));
        Assert.Equal([0, 1, 2, 3, 4, 5, 6, 7], await StoreAsync(4, 5, 6, 7));
        fullReads.Reset();
        Assert.Equal(Enumerable.Range(0, 12), await StoreAsync(8, 9, 10, 11));
        Assert.Equal(0, fullReads.Count);

        Assert.Equal(Enumerable.Range(0, 12).Concat([14, 15]), await StoreAsync(15, 14));
        Assert.Equal(0, fullReads.Count);

        Assert.Equal(Enumerable.Range(0, 13).Concat([14, 15]), await StoreAsync(12));
        Assert.Equal(1, fullReads.Count);
        Assert.Equal(Enumerable.Range(0, 16), await StoreAsync(13));
        Assert.True(watcher.Current.IsFinal);
    }

    [Fact]
    public async Task A_watcher_sees_a_change_made_by_another_process_without_a_pulse()
    {
        await using var host = await ServiceHost.StartAsync(_folder.Sub("data"));
        await host.RegisterAsync(ServiceHost.WriteModelFolder(_folder.Sub("model"), 7), "v1");
        var job = await host.EnqueueAsync(new GenerationRequest("blueprints-64", Gear, 4, 1, "plain"), ServiceHost.Alice);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var statuses = new List<JobStatus>();
        await foreach (var progress in host.Get<JobProgressFeed>().WatchAsync(job.Id, ServiceHost.Alice, timeout.Token))
        {
            statuses.Add(progress.Status);
            if (progress.Status != JobStatus.Queued)
                continue;
            // As another process would: straight to the database, no pulse here; polling must find it.
            await using var db = host.OpenDatabase();
            await db.GenerationJobs.Where(j => j.Id == job.Id).ExecuteUpdateAsync(s => s.SetProperty(j => j.Status, JobStatus.Cancelled));
        }

        Assert.Equal([JobStatus.Queued, JobStatus.Cancelled], statuses);
    }

    private static Blueprint Image(Guid job, int index) => new()
    {
        Id = Guid.NewGuid(), JobId = job, Index = index, ConditionsJson = "{}", FileSha256 = new string('a', 64), ContentType = "image/png",
    };

    private static async Task<List<int?>> NextPositionsAsync(List<IAsyncEnumerator<JobProgress>> watchers)
    {
        var moved = await Task.WhenAll(watchers.Select(w => w.MoveNextAsync().AsTask()));
        Assert.All(moved, Assert.True);
        return watchers.Select(w => w.Current.ImagesAhead).ToList();
    }

    /// <summary>Alice watches her job and cancels it the first time it reports <paramref name="cancelAt"/>; returns every status seen.</summary>
    private static async Task<List<JobStatus>> WatchCancellingAtAsync(ServiceHost host, JobProgressFeed feed, Guid jobId, JobStatus cancelAt)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var statuses = new List<JobStatus>();
        await foreach (var progress in feed.WatchAsync(jobId, ServiceHost.Alice, timeout.Token))
        {
            statuses.Add(progress.Status);
            if (progress.Status == cancelAt)
                Assert.True(await host.InScope(sp => sp.GetRequiredService<GenerationQueue>().CancelAsync(jobId, ServiceHost.Alice)));
        }
        return statuses;
    }
}
