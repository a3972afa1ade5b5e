using System.CommandLine;
using Aigc.Cli.Commands;
using Aigc.Platform.Accounts;
using Aigc.Platform.Data;
using Aigc.Platform.Queue;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Aigc.Cli.Tests;

/// <summary>`aigc worker`: the portal's worker without the web server, on the portal's database and data directory.</summary>
[Collection("Console")]
public sealed class WorkerCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("aigc-worker-").FullName;

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task The_worker_runs_jobs_queued_by_another_process_reports_itself_and_leaves_the_list_when_stopped()
    {
        var config = WorkerSetup.Write(_dir);
        var database = Path.Combine(_dir, "elsewhere", "queue.db");
        Directory.CreateDirectory(Path.GetDirectoryName(database)!);
        // The queue side, as a portal with Queue:RunWorker=false would be: same settings file, same --database.
        await using var portal = InProcessWorker.Services(new FileInfo(config), null, WorkerCommand.DatabaseSettings(database));
        await using (var scope = portal.CreateAsyncScope())
            await scope.ServiceProvider.GetRequiredService<DatabaseMigrator>().MigrateAsync();

        using var stop = new CancellationTokenSource();
        var worker = new RootCommand("aigc") { WorkerCommand.Create() }.Parse(["worker", "--config", config, "--database", database]).InvokeAsync(cancellationToken: stop.Token);
        var databases = portal.GetRequiredService<IDbContextFactory<PortalDbContext>>();
        await WaitUntilAsync(databases, db => db.Workers.AnyAsync(), "the worker's first heartbeat", worker);
        await WaitUntilAsync(databases, db => db.ModelVersions.AnyAsync(m => m.Name == "tiny-parity"), "the shipped model registered by the worker", worker);

        GenerationJob job;
        await using (var scope = portal.CreateAsyncScope())
        {
            job = await scope.ServiceProvider.GetRequiredService<GenerationQueue>().EnqueueAsync(
                new GenerationRequest("tiny-parity", new Dictionary<string, string> { ["part"] = "gear", ["view"] = "iso", ["complexity"] = "2" }, 3, 5, "default"),
                new Requester("cli", [PortalRoles.Admin]));
        }

        await WaitUntilAsync(databases, db => db.GenerationJobs.AnyAsync(j => j.Id == job.Id && j.Status == JobStatus.Completed), "the job completed", worker);
        await using (var db = await databases.CreateDbContextAsync())
        {
            Assert.Equal([0, 1, 2], await db.Blueprints.Where(b => b.JobId == job.Id).Select(b => b.Index).OrderBy(i => i).ToListAsync());
            var record = await db.Workers.SingleAsync();
            Assert.Equal(Environment.MachineName, record.Host);
            Assert.Matches(@"^ONNX Runtime \d+\.\d+\.\d+ · CPU provider", record.Device);
        }

        await stop.CancelAsync();
        Assert.Equal(0, await worker);
        await using (var db = await databases.CreateDbContextAsync())
            Assert.Empty(await db.Workers.ToListAsync());
    }

    [Fact]
    public void Database_names_the_provider_by_its_form()
    {
        Assert.Equal("Postgres", WorkerCommand.DatabaseSettings("postgres://aigc@db/aigc")["Database:Provider"]);
        Assert.Equal("Postgres", WorkerCommand.DatabaseSettings("Host=db;Database=aigc")["Database:Provider"]);
        var sqlite = WorkerCommand.DatabaseSettings("data/aigc.db");
        Assert.Equal(("Sqlite", $"Data Source={Path.GetFullPath("data/aigc.db")}"), (sqlite["Database:Provider"], sqlite["Database:ConnectionString"]));
        Assert.Empty(WorkerCommand.DatabaseSettings(null));
    }

    private static async Task WaitUntilAsync(IDbContextFactory<PortalDbContext> databases, Func<PortalDbContext, Task<bool>> condition, string what, Task<int> worker)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            await using (var db = await databases.CreateDbContextAsync())
            {
                if (await condition(db))
                    return;
            }

            if (worker.IsCompleted)
                throw new InvalidOperationException($"aigc worker ended (exit code {await worker}) before {what}");
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"Timed out waiting for {what}");
            await Task.Delay(20);
        }
    }
}
