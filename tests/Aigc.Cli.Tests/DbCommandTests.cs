using System.CommandLine;
using Aigc.Cli.Commands;
using Aigc.Platform.Data;
using Aigc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Aigc.Cli.Tests;

/// <summary>`aigc db copy`: an installation's rows moved into a new database, verified by counts and hashes.</summary>
[Collection("Console")]
public sealed class DbCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("aigc-dbcopy-").FullName;

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        if (TestProvider.PostgresServer is not null)
            TestProvider.DropUnder(_dir);
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task Copying_into_a_new_sqlite_file_keeps_every_row_and_refuses_a_target_with_rows()
    {
        var config = await SeedAsync();
        var target = Path.Combine(_dir, "copy.db");
        var (code, output) = await RunAsync(["db", "copy", "--config", config, "--to", target]);
        Assert.True(code == 0, output);
        Assert.Contains("Copied and verified", output);
        await AssertSameRowsAsync(SqlitePortalDbContext.Open($"Data Source={target};Pooling=False"));

        var (again, refusal) = await RunAsync(["db", "copy", "--config", config, "--to", target]);
        Assert.Equal(1, again);
        Assert.Contains("is not empty", refusal);
    }

    [PostgresFact]
    public async Task Copying_into_postgres_keeps_every_row_and_new_rows_get_fresh_ids()
    {
        var config = await SeedAsync();
        var target = TestProvider.PostgresDatabaseFor(Path.Combine(_dir, "postgres"));
        var (code, output) = await RunAsync(["db", "copy", "--config", config, "--to", target]);
        Assert.True(code == 0, output);
        await using var copy = PostgresPortalDbContext.Open(target);
        await AssertSameRowsAsync(copy);
        // Audit ids were copied as they were: the next one continues after them.
        var last = await copy.AuditEntries.MaxAsync(a => a.Id);
        copy.AuditEntries.Add(new AuditEntry { At = DateTime.UtcNow, ActorName = "after", Action = "copied" });
        await copy.SaveChangesAsync();
        Assert.Equal(last + 1, await copy.AuditEntries.MaxAsync(a => a.Id));
    }

    /// <summary>A SQLite installation with a job and its images (made by `aigc generate`), a user and audit rows.</summary>
    private async Task<string> SeedAsync()
    {
        var config = WorkerSetup.Write(_dir);
        var (code, output) = await RunAsync(["generate", "--model", "tiny-parity@v1", "--set", "part=gear", "--set", "view=iso", "--set", "complexity=3",
            "--count", "2", "--seed", "9", "--config", config, "--out", Path.Combine(_dir, "out")]);
        Assert.True(code == 0, output);
        await using var db = Source();
        db.Users.Add(new PortalUser { Id = "u1", UserName = "ada@example.com", Email = "ada@example.com", DisplayName = "Ada Lovelace", CreatedAt = new DateTime(2026, 1, 2, 3, 4, 5, 678, DateTimeKind.Utc).AddTicks(9) });
        db.AuditEntries.Add(new AuditEntry { At = DateTime.UtcNow, ActorName = "Ada", Action = "sign-in", Details = "ünïcode ✓" });
        db.AuditEntries.Add(new AuditEntry { At = DateTime.UtcNow, ActorName = "Ada", Action = "generate" });
        await db.SaveChangesAsync();
        return config;
    }

    private SqlitePortalDbContext Source() => SqlitePortalDbContext.Open($"Data Source={Path.Combine(_dir, "data", "aigc.db")};Pooling=False");

    private async Task AssertSameRowsAsync(PortalDbContext copy)
    {
        await using var source = Source();
        Assert.Equal(await source.Blueprints.OrderBy(b => b.Index).Select(b => b.FileSha256).ToListAsync(), await copy.Blueprints.OrderBy(b => b.Index).Select(b => b.FileSha256).ToListAsync());
        Assert.Equal(2, await copy.Blueprints.CountAsync());
        Assert.Equal(await source.GenerationJobs.Select(j => j.Id).SingleAsync(), await copy.GenerationJobs.Select(j => j.Id).SingleAsync());
        Assert.Equal(await source.ModelVersions.CountAsync(), await copy.ModelVersions.CountAsync());
        Assert.Equal("Ada Lovelace", (await copy.Users.SingleAsync()).DisplayName);
        Assert.Equal(await source.AuditEntries.OrderBy(a => a.Id).Select(a => a.Id + " " + a.Action).ToListAsync(),
            await copy.AuditEntries.OrderBy(a => a.Id).Select(a => a.Id + " " + a.Action).ToListAsync());
        Assert.Contains(await copy.AuditEntries.Select(a => a.Action).ToListAsync(), action => action == "generate");
        Assert.Equal("ünïcode ✓", (await copy.AuditEntries.SingleAsync(a => a.Action == "sign-in")).Details);
    }

    private static async Task<(int Code, string Output)> RunAsync(string[] args)
    {
        var output = new StringWriter();
        var (originalOut, originalError) = (Console.Out, Console.Error);
        Console.SetOut(output);
        Console.SetError(output);
        try
        {
            var root = new RootCommand("aigc") { GenerateCommand.Create(), DbCommand.Create() };
            return (await root.Parse(args).InvokeAsync(), output.ToString());
        }
        finally
        {
            Console.SetOut(originalOut);
            Console.SetError(originalError);
        }
    }
}
