using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Aigc.Platform.Data;

/// <summary>
/// Per-connection SQLite settings for a queue written by a worker and read by many requests (decision 0009):
/// synchronous=NORMAL, which in WAL mode syncs at checkpoints instead of at every commit; and a busy timeout, so a
/// writer that meets another waits in SQLite's short steps instead of Microsoft.Data.Sqlite's 150 ms retry sleeps.
/// WAL itself is a property of the database file, set by <see cref="DatabaseMigrator"/>.
/// </summary>
public sealed class SqliteConnectionSettings : DbConnectionInterceptor
{
    private const string Pragmas = "PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 30000;";

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        command.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
