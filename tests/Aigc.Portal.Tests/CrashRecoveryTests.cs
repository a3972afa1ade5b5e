using System.Security.Cryptography;
using Aigc.Imaging;
using Aigc.Imaging.Metadata;
using Aigc.Neural;
using Aigc.Platform;
using Aigc.Platform.Accounts;
using Aigc.Platform.Blobs;
using Aigc.Platform.Data;
using Aigc.Platform.Queue;
using Aigc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Aigc.Portal.Tests;

/// <summary>
/// The issue's crash test: a real portal process is SIGKILLed while it generates, then restarted on the same data
/// directory. Jobs are submitted by this process straight into the shared SQLite queue, as a second portal would.
/// </summary>
public sealed class CrashRecoveryTests(ITestOutputHelper output) : IDisposable
{
    private static readonly Requester Designer = new("crash-test-designer", [PortalRoles.Designer]);

    private static readonly Dictionary<string, string> PortalSettings = new()
    {
        // A dead worker's jobs are claimable 2 s after its last renewal, not 30.
        ["Queue:LeaseSeconds"] = "2",
        ["Queue:BatchSize"] = "16",
        ["Queue:IdlePollMilliseconds"] = "50",
        ["AIGC_ADMIN_EMAIL"] = PortalHost.AdminEmail,
        ["AIGC_ADMIN_PASSWORD"] = PortalHost.AdminPassword,
        ["Queue:ShippedModelsDirectory"] = PortalHost.ShippedModels,
    };

    /// <summary>The portal's settings with the database under test (the process does not see this one's environment choice).</summary>
    private Dictionary<string, string> ProcessSettings()
    {
        var settings = new Dictionary<string, string>(PortalSettings);
        foreach (var (key, value) in TestProvider.Settings(_data))
            settings[key] = value!;
        return settings;
    }

    private static readonly GenerationRequest[] Requests =
    [
        Request("spur_gear", "front", "low", 64, 1_000),
        Request("flange", "section", "high", 48, 2_000, JobPriority.Bulk),
        Request("bracket", "side", "medium", 32, 3_000),
        Request("spur_gear", "side", "high", 4, 4_000),
        Request("ball_bearing", "front", "medium", 16, 5_000),
        Request("pulley", "section", "low", 64, 6_000, JobPriority.Bulk),
        Request("hex_nut", "front", "high", 8, 7_000),
        Request("hole_plate", "side", "low", 4, 8_000),
    ];

    private readonly string _data = Directory.CreateTempSubdirectory("aigc-crash-").FullName;

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        if (TestProvider.PostgresServer is not null)
            TestProvider.DropUnder(_data);
        Directory.Delete(_data, recursive: true);
    }

    [Fact]
    public async Task A_portal_killed_mid_batch_finishes_every_job_after_a_restart_with_each_image_stored_once()
    {
        await using var queue = QueueSide.Open(_data);
        var jobs = new List<GenerationJob>();
        Dictionary<(Guid, int), (Guid Id, string Sha)> storedBeforeKill;
        HashSet<Guid> interrupted;
        await using (var first = await PortalProcess.StartAsync(_data, ProcessSettings(), TimeSpan.FromSeconds(60)))
        {
            Func<PortalDbContext, Task<int>> stored = db => db.Blueprints.CountAsync();
            Func<PortalDbContext, Task<int>> halfDone = db => db.GenerationJobs.CountAsync(j =>
                j.Status == JobStatus.Running && j.ImagesDone > 0 && j.ImagesDone * 2 <= j.Count);
            // Both waits' queries run once before there is work: EF compiles a query the first time it runs, and in
            // CI (PostgreSQL) the portal stored all 240 images while the second one compiled.
            await queue.WaitUntilAsync(stored, _ => true, "the first query", first);
            await queue.WaitUntilAsync(halfDone, _ => true, "the second query", first);
            foreach (var request in Requests)
                jobs.Add(await queue.EnqueueAsync(request, Designer));
            await queue.WaitUntilAsync(stored, n => n >= 24, "more than a batch of images stored", first);
            // Killed while a job is at most half done, so the kill cannot come between its last batch and the next
            // claim (on PostgreSQL a statement sent just before the kill may still commit after it).
            await queue.WaitUntilAsync(halfDone, n => n > 0, "a job at most half done", first);
            await first.KillAsync();

            await using var db = queue.OpenDatabase();
            storedBeforeKill = await db.Blueprints.ToDictionaryAsync(b => (b.JobId, b.Index), b => (b.Id, b.FileSha256));
            interrupted = (await db.GenerationJobs.Where(j => j.Status == JobStatus.Running).Select(j => j.Id).ToListAsync()).ToHashSet();
            Assert.True(interrupted.Count > 0, "the kill should have caught jobs running");
            Assert.True(storedBeforeKill.Count < Requests.Sum(r => r.Count), "the kill should have come before the last image");
            output.WriteLine($"Killed with {storedBeforeKill.Count} of {Requests.Sum(r => r.Count)} images stored and {interrupted.Count} jobs running.");
        }

        await using var second = await PortalProcess.StartAsync(_data, ProcessSettings(), TimeSpan.FromSeconds(60));
        await queue.WaitUntilAsync(db => db.GenerationJobs.CountAsync(j => j.Status == JobStatus.Queued || j.Status == JobStatus.Running),
            n => n == 0, "every job ends after the restart", second);

        await using (var db = queue.OpenDatabase())
        {
            var ended = await db.GenerationJobs.AsNoTracking().ToDictionaryAsync(j => j.Id);
            var rows = await db.Blueprints.AsNoTracking().ToListAsync();
            foreach (var job in jobs)
            {
                var final = ended[job.Id];
                Assert.True(final.Status == JobStatus.Completed, $"job {job.Id} ended {final.Status}: {final.Error}");
                Assert.Equal(Enumerable.Range(0, job.Count), rows.Where(b => b.JobId == job.Id).Select(b => b.Index).Order());
                Assert.Equal(job.Count, final.ImagesDone);
                // A job caught running by the kill was taken over once: a lost worker, not an attempt (decision 0019).
                Assert.Equal((1, interrupted.Contains(job.Id) ? 1 : 0), (final.Attempts, final.LeaseLosses));
            }

            Assert.Empty(rows.GroupBy(b => b.FileSha256).Where(g => g.Count() > 1).Select(g => g.Key));
            foreach (var (key, before) in storedBeforeKill)
                Assert.Equal(before, rows.Where(b => (b.JobId, b.Index) == key).Select(b => (b.Id, b.FileSha256)).Single());
            foreach (var row in rows)
            {
                var bytes = await queue.Blobs.ReadAllAsync(row.FileSha256);
                Assert.Equal(row.FileSha256, Convert.ToHexStringLower(SHA256.HashData(bytes)));
                Assert.Equal(row.FileBytes, bytes.Length);
            }
        }

        // The same requests again, without a kill: the same pixels, image by image (only the job's time differs in the metadata).
        var again = new List<GenerationJob>();
        foreach (var request in Requests)
            again.Add(await queue.EnqueueAsync(request, Designer));
        var againIds = again.Select(j => j.Id).ToList();
        await queue.WaitUntilAsync(db => db.GenerationJobs.CountAsync(j => againIds.Contains(j.Id) && j.Status == JobStatus.Completed),
            n => n == again.Count, "the repeated requests complete", second);
        foreach (var (killed, clean) in jobs.Zip(again))
        {
            var resumed = await queue.PngsAsync(killed.Id);
            var reference = await queue.PngsAsync(clean.Id);
            Assert.Equal(killed.Count, reference.Count);
            for (var i = 0; i < killed.Count; i++)
            {
                Assert.Equal(killed.Seed + i, BlueprintMetadata.Read(resumed[i])!.Seed);
                Assert.True(BlueprintMetadata.Strip(resumed[i]).AsSpan().SequenceEqual(BlueprintMetadata.Strip(reference[i])),
                    $"image {i} of job {killed.Id} ({(interrupted.Contains(killed.Id) ? "interrupted" : "queued")} at the kill) differs from the same request run without a kill");
            }
        }
    }

    [Fact]
    public async Task A_job_whose_worker_is_killed_twice_is_not_blamed_and_completes_with_each_image_once()
    {
        await using var queue = QueueSide.Open(_data);
        var jobs = new List<GenerationJob>();
        await using (var first = await PortalProcess.StartAsync(_data, ProcessSettings(), TimeSpan.FromSeconds(60)))
        {
            for (var i = 0; i < 8; i++)
                jobs.Add(await queue.EnqueueAsync(Request("flange", "front", "medium", 64, 10_000 * i), new Requester($"crash-test-{i}", [PortalRoles.Designer])));
            await queue.WaitUntilAsync(db => db.Blueprints.CountAsync(), n => n >= 24, "the first images", first);
            await first.KillAsync();
        }

        HashSet<Guid> twice;
        Dictionary<(Guid, int), string> storedAtSecondKill;
        await using (var second = await PortalProcess.StartAsync(_data, ProcessSettings(), TimeSpan.FromSeconds(60)))
        {
            await queue.WaitUntilAsync(db => db.GenerationJobs.CountAsync(j => j.LeaseLosses == 1 && j.ImagesDone > 0 && j.Status == JobStatus.Running),
                n => n > 0, "a job taken over stores images", second);
            await second.KillAsync();
            await using var db = queue.OpenDatabase();
            twice = (await db.GenerationJobs.Where(j => j.Status == JobStatus.Running && j.LeaseLosses == 1).Select(j => j.Id).ToListAsync()).ToHashSet();
            Assert.NotEmpty(twice);
            storedAtSecondKill = await db.Blueprints.ToDictionaryAsync(b => (b.JobId, b.Index), b => b.FileSha256);
        }

        await using var third = await PortalProcess.StartAsync(_data, ProcessSettings(), TimeSpan.FromSeconds(60));
        await queue.WaitUntilAsync(db => db.GenerationJobs.CountAsync(j => j.Status == JobStatus.Queued || j.Status == JobStatus.Running),
            n => n == 0, "every job ends after the second restart", third);

        await using var after = queue.OpenDatabase();
        foreach (var job in await after.GenerationJobs.AsNoTracking().ToListAsync())
        {
            var images = await after.Blueprints.Where(b => b.JobId == job.Id).ToListAsync();
            Assert.True(job.Status == JobStatus.Completed, $"job {job.Id} ended {job.Status}: {job.Error}");
            Assert.Equal(Enumerable.Range(0, job.Count), images.Select(b => b.Index).Order());
            Assert.Equal(job.Count, job.ImagesDone);
            // Killed both times: two lost workers, still the job's first attempt; what it stored before stays as it was.
            Assert.Equal((1, twice.Contains(job.Id) ? 2 : job.LeaseLosses), (job.Attempts, job.LeaseLosses));
            foreach (var image in images.Where(b => storedAtSecondKill.ContainsKey((job.Id, b.Index))))
                Assert.Equal(storedAtSecondKill[(job.Id, image.Index)], image.FileSha256);
        }
    }

    private static GenerationRequest Request(string part, string view, string complexity, int count, long seed, JobPriority priority = JobPriority.Interactive) =>
        new("blueprints-64", new Dictionary<string, string> { ["part"] = part, ["view"] = view, ["complexity"] = complexity }, count, seed, "default", priority);

    /// <summary>The queue's user side in this process, over the portal's data directory (no worker here).</summary>
    private sealed class QueueSide : IAsyncDisposable
    {
        private readonly ServiceProvider _services;

        private QueueSide(ServiceProvider services) => _services = services;

        public BlobStore Blobs => _services.GetRequiredService<BlobStore>();

        public static QueueSide Open(string data)
        {
            var settings = new Dictionary<string, string?>
            {
                ["Platform:DataDirectory"] = data,
                ["Queue:RunWorker"] = "false",
            };
            foreach (var (key, value) in TestProvider.Settings(data))
                settings[key] = value;
            var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
            return new QueueSide(new ServiceCollection()
                .AddLogging()
                .AddNeural(configuration)
                .AddImaging(configuration)
                .AddPlatform(configuration)
                .BuildServiceProvider());
        }

        public PortalDbContext OpenDatabase() => _services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContext();

        public async Task<GenerationJob> EnqueueAsync(GenerationRequest request, Requester requester)
        {
            await using var scope = _services.CreateAsyncScope();
            return await scope.ServiceProvider.GetRequiredService<GenerationQueue>().EnqueueAsync(request, requester);
        }

        public async Task<List<byte[]>> PngsAsync(Guid jobId)
        {
            await using var db = OpenDatabase();
            var shas = await db.Blueprints.Where(b => b.JobId == jobId).OrderBy(b => b.Index).Select(b => b.FileSha256).ToListAsync();
            return [.. await Task.WhenAll(shas.Select(sha => Blobs.ReadAllAsync(sha)))];
        }

        /// <summary>Polls the shared database until the measured value satisfies the condition; fails naming it, with the portal's log.</summary>
        public async Task WaitUntilAsync(Func<PortalDbContext, Task<int>> measure, Func<int, bool> condition, string what, PortalProcess portal, int timeoutSeconds = 60)
        {
            var deadline = DateTime.UtcNow.AddSeconds(timeoutSeconds);
            while (true)
            {
                int value;
                await using (var db = OpenDatabase())
                    value = await measure(db);
                if (condition(value))
                    return;
                if (DateTime.UtcNow > deadline)
                    throw new TimeoutException($"Timed out after {timeoutSeconds} s waiting for: {what} (last value {value}). Portal log:{Environment.NewLine}{portal.Log}");
                await Task.Delay(5);
            }
        }

        public ValueTask DisposeAsync() => _services.DisposeAsync();
    }
}
