using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Aigc.Platform.Data;

/// <summary>
/// Creates the data directory and brings the database to the latest migration of its provider (decision 0016); a
/// SQLite file is put in WAL mode (decision 0009).
/// </summary>
public sealed class DatabaseMigrator(PortalDbContext db, IOptions<PlatformOptions> options, ILogger<DatabaseMigrator> logger)
{
    public async Task MigrateAsync(CancellationToken cancellationToken = default)
    {
        Directory.CreateDirectory(options.Value.DataDirectoryFullPath);
        var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
        if (pending.Count > 0)
        {
            logger.LogInformation("Applying {Count} database migration(s): {Migrations}", pending.Count, string.Join(", ", pending));
        }

        await db.Database.MigrateAsync(cancellationToken);
        if (!db.Database.IsSqlite())
            return;
        // Persistent in the file: readers no longer wait for the worker's writes, and commits stop syncing the disk.
        await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode = WAL;", cancellationToken);
    }
}
