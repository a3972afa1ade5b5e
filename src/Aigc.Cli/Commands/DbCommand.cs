using System.CommandLine;
using Aigc.Platform.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Aigc.Cli.Commands;

/// <summary>`aigc db copy --to postgres://…`: moves an installation's rows into a new database, verified table by table.</summary>
public static class DbCommand
{
    public static Command Create()
    {
        var to = new Option<string>("--to")
        {
            Description = "The new, empty database: postgres://user:password@host/db or Host=...;Database=... (PostgreSQL), or a SQLite file.",
            Required = true,
        };
        var data = new Option<DirectoryInfo?>("--data") { Description = "Data directory of the installation to copy (overrides Platform:DataDirectory)." };
        var database = new Option<string?>("--database") { Description = "Its database, when not the configured one (same forms as --to)." };
        var config = new Option<FileInfo?>("--config") { Description = "Settings JSON (default: appsettings.json in the working directory, if present)." };
        var copy = new Command("copy", "Copy every row into a new database (migrated first), then check each table's count and SHA-256.")
        {
            to, data, database, config,
        };
        copy.SetAction(async (parse, ct) =>
        {
            try
            {
                await using var services = InProcessWorker.Services(parse.GetValue(config), parse.GetValue(data), WorkerCommand.DatabaseSettings(parse.GetValue(database)));
                await using (var scope = services.CreateAsyncScope())
                    await scope.ServiceProvider.GetRequiredService<DatabaseMigrator>().MigrateAsync(ct);
                await using var source = await services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync(ct);
                await using var target = Open(parse.GetValue(to)!);
                foreach (var table in await DatabaseCopy.CopyAsync(source, target, ct))
                    Console.WriteLine($"{table.Table,-28} {table.Rows,9} rows  sha256 {table.Sha256}");
                Console.WriteLine("Copied and verified. Point Database:Provider and Database:ConnectionString at the new database.");
                return 0;
            }
            catch (Exception e) when (e is InvalidOperationException or OptionsValidationException or FormatException or DbUpdateException
                                          or System.Data.Common.DbException)
            {
                Console.Error.WriteLine($"aigc db copy: {e.Message}");
                return 1;
            }
        });
        return new Command("db", "The portal's database.") { copy };
    }

    private static PortalDbContext Open(string database)
    {
        var settings = WorkerCommand.DatabaseSettings(database);
        var connection = settings["Database:ConnectionString"]!;
        return settings["Database:Provider"] == DatabaseOptions.Postgres
            ? PostgresPortalDbContext.Open(connection)
            : SqlitePortalDbContext.Open(connection);
    }
}
