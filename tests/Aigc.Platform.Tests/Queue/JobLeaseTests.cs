using Aigc.Generation.Inference;
using Aigc.Platform.Data;
using Aigc.Platform.Queue;
using Aigc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Aigc.Platform.Tests.Queue;

public sealed class JobLeaseTests : IAsyncLifetime
{
    private static readonly Dictionary<string, string> Gear = new() { ["part"] = "spur_gear", ["view"] = "front", ["complexity"] = "low" };

    private readonly TempFolder _folder = new();
    private readonly ManualClock _clock = new();
    private ServiceHost _host = null!;

    public async Task InitializeAsync()
    {
        _host = await ServiceHost.StartAsync(_folder.Sub("data"));
        await _host.RegisterAsync(ServiceHost.WriteModelFolder(_folder.Path, 1), "v1");
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        _folder.Dispose();
    }

    [Fact]
    public async Task Two_workers_claiming_at_once_never_get_the_same_job()
    {
        for (var i = 0; i < 30; i++)
            await _host.EnqueueAsync(new GenerationRequest("blueprints-64", Gear, 1), i % 2 == 0 ? ServiceHost.Alice : ServiceHost.Bob);
        await using var other = new ServiceHost(_host.DataDirectory);
        var workers = new[] { Leases(_host, "w1"), Leases(other, "w2") };

        var claimed = await Task.WhenAll(workers.Select(w => Task.Run(async () =>
        {
            var mine = new List<Guid>();
            while (await w.ClaimAsync(3) is { Count: > 0 } batch)
                mine.AddRange(batch.Select(c => c.Job.Id));
            return mine;
        })));

        Assert.Empty(claimed[0].Intersect(claimed[1]));
        Assert.Equal(30, claimed[0].Count + claimed[1].Count);
        await using var db = _host.OpenDatabase();
        Assert.All(await db.GenerationJobs.ToListAsync(), j => Assert.Equal((JobStatus.Running, 1), (j.Status, j.Attempts)));
        Assert.All(claimed[0], id => Assert.Equal("w1", db.GenerationJobs.Single(j => j.Id == id).LeaseOwner));
    }

    [Fact]
    public async Task A_worker_claims_what_fits_its_room_in_users_turns_and_leaves_the_rest_to_the_next_worker()
    {
        var alice = new List<GenerationJob>();
        for (var i = 0; i < 3; i++)
            alice.Add(await _host.EnqueueAsync(new GenerationRequest("blueprints-64", Gear, 16), ServiceHost.Alice));
        var bob = await _host.EnqueueAsync(new GenerationRequest("blueprints-64", Gear, 4), ServiceHost.Bob);
        var room = new ClaimRoom(Jobs: 64, Images: 16, NewcomerImages: 16, HeldUsers: new HashSet<string>());

        var first = await Leases(_host, "w1").ClaimAsync(room);
        var second = await Leases(_host, "w2").ClaimAsync(room);

        Assert.Equal([alice[0].Id, bob.Id], first.Select(c => c.Job.Id));
        Assert.Equal([alice[1].Id], second.Select(c => c.Job.Id));
        await using var db = _host.OpenDatabase();
        Assert.Equal(JobStatus.Queued, (await db.GenerationJobs.SingleAsync(j => j.Id == alice[2].Id)).Status);
    }

    [Fact]
    public async Task Lost_workers_spend_no_attempt_and_a_job_that_loses_every_worker_fails_as_worker_lost_then_its_owner_retries_it()
    {
        var job = await _host.EnqueueAsync(new GenerationRequest("blueprints-64", Gear, 2), ServiceHost.Alice);
        var first = Leases(_host, "w1");
        var second = Leases(_host, "w2");

        Assert.Single(await first.ClaimAsync(10));
        Assert.Empty(await second.ClaimAsync(10));
        _clock.Advance(TimeSpan.FromSeconds(31));
        Assert.Single(await second.ClaimAsync(10));

        // The first worker comes back too late: its images are refused, the job stays the second worker's.
        Assert.Equal(StoreOutcome.NotOwned, await first.StoreAsync(job.Id, [Image(job.Id, 0)]));
        Assert.Equal(StoreOutcome.Stored, await second.StoreAsync(job.Id, [Image(job.Id, 0)]));
        Assert.Equal((JobStatus.Running, 1, 1), await CountsAsync(job.Id));

        _clock.Advance(TimeSpan.FromSeconds(31));
        Assert.Single(await Leases(_host, "w3").ClaimAsync(10));
        Assert.Equal((JobStatus.Running, 1, 2), await CountsAsync(job.Id));
        _clock.Advance(TimeSpan.FromSeconds(31));
        Assert.Empty(await Leases(_host, "w4").ClaimAsync(10));

        await using (var db = _host.OpenDatabase())
        {
            var failed = await db.GenerationJobs.SingleAsync();
            Assert.Equal((JobStatus.Failed, FailureCause.WorkerLost, 1, 1), (failed.Status, failed.FailureCause, failed.Attempts, failed.ImagesDone));
            Assert.Contains("stopped 3 times without finishing it", failed.Error);
            Assert.Contains("retry it", failed.Error);
        }

        Assert.False(await RetryAsync(job.Id, ServiceHost.Bob));
        Assert.True(await RetryAsync(job.Id, ServiceHost.Alice));
        Assert.False(await RetryAsync(job.Id, ServiceHost.Alice));
        await using (var db = _host.OpenDatabase())
        {
            var retried = await db.GenerationJobs.SingleAsync();
            Assert.Equal((JobStatus.Queued, 0, 0, 0, 1), (retried.Status, retried.Attempts, retried.LeaseLosses, retried.InfrastructureRetries, retried.ImagesDone));
            Assert.Null(retried.Error);
            Assert.Null(retried.FailureCause);
        }

        // Only the image not made yet is left to make.
        Assert.Equal([0], (await Leases(_host, "w5").ClaimAsync(10)).Single().DoneIndices);
    }

    [Fact]
    public async Task After_an_infrastructure_fault_jobs_go_back_without_an_attempt_and_one_hit_too_often_fails_as_retryable()
    {
        var jobs = await EnqueueAsync(2, count: 2);
        var worker = Leases(_host, "w1");
        Assert.Equal(2, (await worker.ClaimAsync(10)).Count);

        await worker.HandBackAsync([jobs[0]], "No space left on device : '/data/blobs/ab/cd/.x.tmp'");

        await using (var db = _host.OpenDatabase())
        {
            var rows = await db.GenerationJobs.ToDictionaryAsync(j => j.Id);
            Assert.Equal((JobStatus.Queued, 0, 1, (string?)null), (rows[jobs[0]].Status, rows[jobs[0]].Attempts, rows[jobs[0]].InfrastructureRetries, rows[jobs[0]].LeaseOwner));
            Assert.Contains("No space left on device", rows[jobs[0]].Error);
            Assert.Equal((JobStatus.Queued, 0, 0, (string?)null), (rows[jobs[1]].Status, rows[jobs[1]].Attempts, rows[jobs[1]].InfrastructureRetries, rows[jobs[1]].Error));
        }

        Assert.Equal(2, (await worker.ClaimAsync(10)).Count);
        await worker.HandBackAsync([jobs[0]], "No space left on device : '/data/blobs/ab/cd/.y.tmp'");

        await using (var db = _host.OpenDatabase())
        {
            var rows = await db.GenerationJobs.ToDictionaryAsync(j => j.Id);
            var failed = rows[jobs[0]];
            Assert.Equal((JobStatus.Failed, FailureCause.Infrastructure, 2, (string?)null), (failed.Status, failed.FailureCause, failed.InfrastructureRetries, failed.LeaseOwner));
            Assert.Contains("failed 2 times", failed.Error);
            Assert.Contains("No space left on device", failed.Error);
            Assert.Equal((JobStatus.Queued, 0), (rows[jobs[1]].Status, rows[jobs[1]].Attempts));
        }

        Assert.True(await RetryAsync(jobs[0], ServiceHost.Admin));
        Assert.Equal((JobStatus.Queued, 0, 0), await CountsAsync(jobs[0]));
    }

    [Fact]
    public async Task A_failure_requeues_once_and_a_graceful_stop_hands_jobs_back_without_spending_an_attempt()
    {
        var job = await _host.EnqueueAsync(new GenerationRequest("blueprints-64", Gear, 2), ServiceHost.Alice);
        var worker = Leases(_host, "w1");

        await worker.ClaimAsync(10);
        await worker.ReleaseAllAsync();
        Assert.Equal((JobStatus.Queued, 0), await StatusAsync(job.Id));

        await worker.ClaimAsync(10);
        await worker.FailAsync(job.Id, "libvips ran out of memory", retry: true);
        Assert.Equal((JobStatus.Queued, 1), await StatusAsync(job.Id));
        await worker.ClaimAsync(10);
        await worker.FailAsync(job.Id, "libvips ran out of memory again", retry: true);
        Assert.Equal((JobStatus.Failed, 2), await StatusAsync(job.Id));
        await using var db = _host.OpenDatabase();
        var failed = await db.GenerationJobs.SingleAsync();
        Assert.Equal(("libvips ran out of memory again", FailureCause.Job), (failed.Error, failed.FailureCause));
        // A job that failed by itself is not retried as it is: it would fail again.
        Assert.False(await RetryAsync(job.Id, ServiceHost.Alice));
    }

    [Fact]
    public async Task Leases_are_extended_every_sixth_of_a_lease_and_ownership_is_checked_every_time()
    {
        var job = await _host.EnqueueAsync(new GenerationRequest("blueprints-64", Gear, 4), ServiceHost.Alice);
        var worker = Leases(_host, "w1");
        Assert.Single(await worker.ClaimAsync(1));
        var claimed = await ExpiryAsync(job.Id);
        Assert.Equal([job.Id], await worker.RenewAsync([job.Id]));
        var extended = await ExpiryAsync(job.Id);

        _clock.Advance(TimeSpan.FromSeconds(4));
        Assert.Equal([job.Id], await worker.RenewAsync([job.Id]));
        Assert.Equal(extended, await ExpiryAsync(job.Id));

        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal([job.Id], await worker.RenewAsync([job.Id]));
        Assert.Equal(claimed + TimeSpan.FromSeconds(5), await ExpiryAsync(job.Id));

        Assert.True(await _host.InScope(sp => sp.GetRequiredService<GenerationQueue>().CancelAsync(job.Id, ServiceHost.Alice)));
        Assert.Empty(await worker.RenewAsync([job.Id]));
    }

    [Fact]
    public async Task Images_of_several_jobs_are_recorded_in_one_call_each_as_if_alone()
    {
        await EnqueueAsync(3, count: 2);
        var worker = Leases(_host, "w1");
        var mine = (await worker.ClaimAsync(2)).Select(c => c.Job.Id);
        var theirs = (await Leases(_host, "w2").ClaimAsync(1)).Select(c => c.Job.Id);
        var jobs = mine.Concat(theirs).ToList();

        var outcomes = await worker.StoreAsync([
            new JobImages(jobs[0], [Image(jobs[0], 0), Image(jobs[0], 1)]),
            new JobImages(jobs[1], [Image(jobs[1], 0)]),
            new JobImages(jobs[2], [Image(jobs[2], 0)]),
        ]);

        Assert.Equal([StoreOutcome.Completed, StoreOutcome.Stored, StoreOutcome.NotOwned], jobs.Select(j => outcomes[j]));
        await using var db = _host.OpenDatabase();
        var rows = await db.GenerationJobs.ToDictionaryAsync(j => j.Id);
        Assert.Equal((JobStatus.Completed, 2, (string?)null), (rows[jobs[0]].Status, rows[jobs[0]].ImagesDone, rows[jobs[0]].LeaseOwner));
        Assert.Equal((JobStatus.Running, 1, "w1"), (rows[jobs[1]].Status, rows[jobs[1]].ImagesDone, rows[jobs[1]].LeaseOwner));
        Assert.Equal((JobStatus.Running, 0, "w2"), (rows[jobs[2]].Status, rows[jobs[2]].ImagesDone, rows[jobs[2]].LeaseOwner));
        Assert.Equal([2, 1, 0], jobs.Select(j => db.Blueprints.Count(b => b.JobId == j)));
        await Assert.ThrowsAsync<ArgumentException>(() => worker.StoreAsync([new JobImages(jobs[1], [Image(jobs[1], 1)]), new JobImages(jobs[1], [])]));
    }

    [Fact]
    public async Task Jobs_ready_while_a_transaction_waits_share_the_next_one()
    {
        var (host, commits, jobs, group) = await ClaimedGroupAsync(3, count: 2);
        await using var _ = host;

        Task<StoreOutcome>[] stored;
        await using (await HoldWriteLockAsync())
            stored = jobs.Select(j => group.StoreAsync(j, [Image(j, 0), Image(j, 1)])).ToArray();

        Assert.All(await Task.WhenAll(stored), o => Assert.Equal(StoreOutcome.Completed, o));
        // The first job's transaction waited for the lock; the other two arrived meanwhile and went together.
        Assert.InRange(commits.Count, 1, 2);
        await using var db = _host.OpenDatabase();
        Assert.Equal(6, await db.Blueprints.CountAsync());
    }

    [Fact]
    public async Task A_job_with_images_from_two_batches_waiting_together_is_stored_in_two_transactions_each_once()
    {
        var (host, commits, jobs, group) = await ClaimedGroupAsync(2, count: 4);
        await using var _ = host;

        Task<StoreOutcome>[] stored;
        await using (await HoldWriteLockAsync())
        {
            // Two batches being stored at once (Queue:StoringBatches): the first job's images of both wait together.
            stored =
            [
                group.StoreAsync(jobs[1], [Image(jobs[1], 0), Image(jobs[1], 1)]),
                group.StoreAsync(jobs[0], [Image(jobs[0], 0), Image(jobs[0], 1)]),
                group.StoreAsync(jobs[0], [Image(jobs[0], 2), Image(jobs[0], 3)]),
                group.StoreAsync(jobs[1], [Image(jobs[1], 2)]),
            ];
        }

        var outcomes = await Task.WhenAll(stored);
        Assert.Equal(StoreOutcome.Completed, outcomes[2]);
        Assert.Equal([StoreOutcome.Stored, StoreOutcome.Stored, StoreOutcome.Stored],
            new[] { 0, 1, 3 }.Select(i => outcomes[i]));
        // Two or three groups, depending on how many stores had arrived when the first one began to wait for the lock;
        // a group holding one job twice would be refused and stored job by job (four commits when the first was alone).
        Assert.InRange(commits.Count, 2, 3);
        await using var db = _host.OpenDatabase();
        Assert.Equal([4, 3], jobs.Select(j => db.Blueprints.Count(b => b.JobId == j)));
        Assert.Equal([4, 3], jobs.Select(j => db.GenerationJobs.Single(x => x.Id == j).ImagesDone));
    }

    [Fact]
    public async Task A_job_whose_rows_are_refused_fails_alone_and_the_rest_of_its_group_is_stored()
    {
        var jobs = await EnqueueAsync(3, count: 2);
        var worker = Leases(_host, "w1");
        Assert.Equal(3, (await worker.ClaimAsync(3)).Count);
        Assert.Equal(StoreOutcome.Stored, await worker.StoreAsync(jobs[1], [Image(jobs[1], 0)]));
        var group = new GroupCommit(worker, CancellationToken.None);

        Task<StoreOutcome>[] stored;
        await using (await HoldWriteLockAsync())
        {
            // The second job's index 0 is recorded already: its rows break the unique (job, index) index.
            stored = jobs.Select(j => group.StoreAsync(j, [Image(j, 0), Image(j, 1)])).ToArray();
        }

        Assert.Equal(StoreOutcome.Completed, await stored[0]);
        await Assert.ThrowsAsync<DbUpdateException>(() => stored[1]);
        Assert.Equal(StoreOutcome.Completed, await stored[2]);
        await using var db = _host.OpenDatabase();
        Assert.Equal([2, 1, 2], jobs.Select(j => db.Blueprints.Count(b => b.JobId == j)));
        Assert.Equal((JobStatus.Running, 1), await db.GenerationJobs.Where(j => j.Id == jobs[1]).Select(j => new ValueTuple<JobStatus, int>(j.Status, j.ImagesDone)).SingleAsync());
    }

    private async Task<DateTime?> ExpiryAsync(Guid id)
    {
        await using var db = _host.OpenDatabase();
        return await db.GenerationJobs.Where(j => j.Id == id).Select(j => j.LeaseExpiresAt).SingleAsync();
    }

    /// <summary>
    /// New jobs claimed by worker "w1" of a second host on the same database, a group commit of that worker, and a
    /// count of the transactions it commits from now on (EF's log).
    /// </summary>
    private async Task<(ServiceHost Host, QueryCounter Commits, List<Guid> Jobs, GroupCommit Group)> ClaimedGroupAsync(
        int jobs, int count)
    {
        var commits = QueryCounter.Commits();
        var host = new ServiceHost(_host.DataDirectory, configure: services => services.AddLogging(logging =>
            logging.AddProvider(commits).SetMinimumLevel(LogLevel.Debug)));
        var ids = await EnqueueAsync(jobs, count);
        var worker = Leases(host, "w1");
        Assert.Equal(jobs, (await worker.ClaimAsync(jobs)).Count);
        commits.Reset();
        return (host, commits, ids, new GroupCommit(worker, CancellationToken.None));
    }

    private async Task<List<Guid>> EnqueueAsync(int jobs, int count)
    {
        var ids = new List<Guid>();
        for (var i = 0; i < jobs; i++)
            ids.Add((await _host.EnqueueAsync(new GenerationRequest("blueprints-64", Gear, count, i), ServiceHost.Alice)).Id);
        return ids;
    }

    /// <summary>Another connection holding SQLite's write lock until disposed: the worker's next write waits for it.</summary>
    private async Task<SqliteConnection> HoldWriteLockAsync()
    {
        var connection = new SqliteConnection($"Data Source={Path.Combine(_host.DataDirectory, "aigc.db")};Pooling=False");
        await connection.OpenAsync();
        await using var begin = connection.CreateCommand();
        begin.CommandText = "BEGIN IMMEDIATE";
        await begin.ExecuteNonQueryAsync();
        return connection;
    }

    [Fact]
    public async Task A_worker_whose_heartbeat_stopped_leaves_the_list_and_its_jobs_return_before_its_lease_runs_out()
    {
        var job = await _host.EnqueueAsync(new GenerationRequest("blueprints-64", Gear, 2), ServiceHost.Alice);
        var heartbeat = new WorkerHeartbeat(_host.Get<IDbContextFactory<PortalDbContext>>(), _host.Get<IInferenceDevice>(), _clock);
        var queue = Options.Create(new QueueOptions { HeartbeatSeconds = 5 });
        var first = HeartbeatLeases(_host, "w1");
        var second = HeartbeatLeases(_host, "w2");
        Assert.Single(await first.ClaimAsync(1));
        await heartbeat.BeatAsync("w1", activeJobs: 1, pendingImages: 2);
        await heartbeat.BeatAsync("w2", activeJobs: 0, pendingImages: 0);

        _clock.Advance(TimeSpan.FromSeconds(10));
        await heartbeat.BeatAsync("w2", activeJobs: 0, pendingImages: 0);
        await using (var db = _host.OpenDatabase())
        {
            var listed = await new WorkerRoster(db, queue, _clock).ListAsync();
            Assert.Equal(["w1", "w2"], listed.Select(w => w.Id).Order());
            var w1 = listed.Single(w => w.Id == "w1");
            Assert.Equal((1, 2, Environment.MachineName, _host.Get<IInferenceDevice>().Name), (w1.ActiveJobs, w1.PendingImages, w1.Host, w1.Device));
        }

        Assert.Empty(await second.ClaimAsync(1));

        // w1 misses its third beat (15 s) while its 30-s lease still runs: it is gone, and so is its hold on the job.
        _clock.Advance(TimeSpan.FromSeconds(6));
        await heartbeat.BeatAsync("w2", activeJobs: 0, pendingImages: 0);
        await using (var db = _host.OpenDatabase())
            Assert.Equal(["w2"], (await new WorkerRoster(db, queue, _clock).ListAsync()).Select(w => w.Id));
        var taken = Assert.Single(await second.ClaimAsync(1));
        // A lost worker is not the job's fault (decision 0019): a lease loss, not an attempt.
        Assert.Equal((job.Id, 1, 1), (taken.Job.Id, taken.Job.Attempts, taken.Job.LeaseLosses));

        // A worker that stops gracefully leaves the list at once.
        await heartbeat.GoneAsync("w2");
        await using (var db = _host.OpenDatabase())
            Assert.Empty(await new WorkerRoster(db, queue, _clock).ListAsync());
    }

    [PostgresFact]
    public async Task On_postgres_a_claim_passes_over_a_job_another_transaction_holds_instead_of_waiting_for_it()
    {
        var data = _folder.Sub("postgres");
        await using var host = await ServiceHost.StartAsync(data, new()
        {
            ["Database:Provider"] = "Postgres",
            ["Database:ConnectionString"] = TestProvider.PostgresDatabaseFor(data),
        });
        await host.RegisterAsync(ServiceHost.WriteModelFolder(_folder.Path, 2), "v1");
        var first = await host.EnqueueAsync(new GenerationRequest("blueprints-64", Gear, 1), ServiceHost.Alice);
        var second = await host.EnqueueAsync(new GenerationRequest("blueprints-64", Gear, 1), ServiceHost.Bob);

        // Another worker's claim in flight: the oldest job's row is locked until its transaction ends.
        await using var other = host.OpenDatabase();
        await using var transaction = await other.Database.BeginTransactionAsync();
        await other.Database.ExecuteSqlAsync($"""SELECT 1 FROM "GenerationJobs" WHERE "Id" = {first.Id} FOR UPDATE""");

        // Without SKIP LOCKED this claim would wait for that transaction (the guard turns a wait into a failure).
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var claimed = await Leases(host, "w1").ClaimAsync(2, guard.Token);
        Assert.Equal([second.Id], claimed.Select(c => c.Job.Id));
        await transaction.RollbackAsync();
        Assert.Equal([first.Id], (await Leases(host, "w2").ClaimAsync(2)).Select(c => c.Job.Id));
    }

    private JobLeases HeartbeatLeases(ServiceHost host, string owner) =>
        new(host.Get<IDbContextFactory<PortalDbContext>>(), owner, TimeSpan.FromSeconds(30), maxAttempts: 2, _clock, workerGoneAfter: TimeSpan.FromSeconds(15));

    private JobLeases Leases(ServiceHost host, string owner) =>
        new(host.Get<IDbContextFactory<PortalDbContext>>(), owner, TimeSpan.FromSeconds(30), maxAttempts: 2, _clock,
            maxLeaseLosses: 3, maxInfrastructureRetries: 2);

    private Task<bool> RetryAsync(Guid id, Requester requester) =>
        _host.InScope(sp => sp.GetRequiredService<GenerationQueue>().RetryAsync(id, requester));

    private async Task<(JobStatus, int Attempts, int LeaseLosses)> CountsAsync(Guid id)
    {
        await using var db = _host.OpenDatabase();
        var job = await db.GenerationJobs.SingleAsync(j => j.Id == id);
        return (job.Status, job.Attempts, job.LeaseLosses);
    }

    private async Task<(JobStatus, int)> StatusAsync(Guid id)
    {
        await using var db = _host.OpenDatabase();
        var job = await db.GenerationJobs.SingleAsync(j => j.Id == id);
        return (job.Status, job.Attempts);
    }

    private static Blueprint Image(Guid job, int index) => new()
    {
        Id = Guid.NewGuid(), JobId = job, Index = index, ConditionsJson = "{}", FileSha256 = new string('a', 64), ContentType = "image/png",
    };

    private sealed class ManualClock : TimeProvider
    {
        private DateTimeOffset _now = new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);

        public override DateTimeOffset GetUtcNow() => _now;

        public void Advance(TimeSpan by) => _now += by;
    }
}
