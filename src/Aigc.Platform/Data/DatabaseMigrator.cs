using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Storage;
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
        // The history table first: asked about a database without it, EF logs a failed command as an error (PostgreSQL).
        var creator = db.GetService<IRelationalDatabaseCreator>();
        if (!await creator.ExistsAsync(cancellationToken))
            await creator.CreateAsync(cancellationToken);
        await db.GetService<IHistoryRepository>().CreateIfNotExistsAsync(cancellationToken);
        var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
        if (pending.Count > 0)
        {
            logger.LogInformation("Applying {Count} database migration(s): {Migrations}", pending.Count, string.Join(", ", pending));
        }

        await db.Database.MigrateAsync(cancellationToken);
        await ImportFileKeysAsync(cancellationToken);
        if (!db.Database.IsSqlite())
            return;
        // Persistent in the file: readers no longer wait for the worker's writes, and commits stop syncing the disk.
        await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode = WAL;", cancellationToken);
    }

    /// <summary>
    /// Before the keys moved into the database (decision 0016) they were files in keys/: the first start after the
    /// upgrade copies them in, so signed-in users stay signed in. They keep the form they had (unencrypted on Linux)
    /// until they expire; keys made from now on are encrypted.
    /// </summary>
    private async Task ImportFileKeysAsync(CancellationToken cancellationToken)
    {
        var folder = new DirectoryInfo(Path.Combine(options.Value.DataDirectoryFullPath, "keys"));
        if (!folder.Exists || await db.DataProtectionKeys.AnyAsync(cancellationToken))
            return;
        var files = folder.GetFiles("*.xml");
        foreach (var file in files)
        {
            db.DataProtectionKeys.Add(new DataProtectionKey
            {
                FriendlyName = Path.GetFileNameWithoutExtension(file.Name),
                Xml = await File.ReadAllTextAsync(file.FullName, cancellationToken),
            });
        }

        await db.SaveChangesAsync(cancellationToken);
        if (files.Length > 0)
            logger.LogInformation("Copied {Count} data-protection key(s) from {Folder} into the database", files.Length, folder.FullName);
    }
}
