using Microsoft.EntityFrameworkCore;

namespace Aigc.Platform.Tests;

/// <summary>The queue's database runs in WAL mode with synchronous=NORMAL and a busy timeout on every connection (decision 0009).</summary>
public sealed class SqliteSettingsTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    /// <summary>SQLite whichever provider the other tests run on.</summary>
    private Dictionary<string, string?> Sqlite() => new()
    {
        ["Database:Provider"] = "Sqlite",
        ["Database:ConnectionString"] = $"Data Source={Path.Combine(_folder.Path, "data", "aigc.db")};Pooling=False",
    };

    [Fact]
    public async Task A_migrated_database_is_in_wal_mode_and_every_connection_syncs_normally_and_waits_when_busy()
    {
        await using (var host = await ServiceHost.StartAsync(_folder.Sub("data"), Sqlite()))
        await using (var db = host.OpenDatabase())
        {
            await db.Database.OpenConnectionAsync();
            Assert.Equal("wal", await Scalar<string>(db, "PRAGMA journal_mode"));
            Assert.Equal(1L, await Scalar<long>(db, "PRAGMA synchronous"));
            Assert.Equal(30000L, await Scalar<long>(db, "PRAGMA busy_timeout"));
        }

        // WAL belongs to the file: a later process opening it finds it so.
        await using var again = new ServiceHost(Path.Combine(_folder.Path, "data"), Sqlite());
        await using var reopened = again.OpenDatabase();
        await reopened.Database.OpenConnectionAsync();
        Assert.Equal("wal", await Scalar<string>(reopened, "PRAGMA journal_mode"));
    }

    private static async Task<T> Scalar<T>(Aigc.Platform.Data.PortalDbContext db, string sql)
    {
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.CommandText = sql;
        return (T)(await command.ExecuteScalarAsync())!;
    }
}
