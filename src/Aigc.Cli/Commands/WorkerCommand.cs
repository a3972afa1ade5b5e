using System.CommandLine;
using Aigc.Imaging;
using Aigc.Neural;
using Aigc.Platform;
using Aigc.Platform.Data;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Aigc.Cli.Commands;

/// <summary>
/// `aigc worker`: a generation worker without the web server (claim, generate, post-process, store), configured like
/// the portal, on the portal's database and data directory, until Ctrl+C or SIGTERM, which hands its jobs back. Run
/// several on other machines against PostgreSQL, with Queue:RunWorker=false on the portal instances.
/// </summary>
public static class WorkerCommand
{
    public static Command Create()
    {
        var data = new Option<DirectoryInfo?>("--data") { Description = "Data directory (overrides Platform:DataDirectory): blobs, models, the key file." };
        var database = new Option<string?>("--database")
        {
            Description = "The database (overrides Database:*): postgres://user:password@host/db or Host=...;Database=... for PostgreSQL, "
                + "a file path or Data Source=... for SQLite.",
        };
        var config = new Option<FileInfo?>("--config") { Description = "Settings JSON (default: appsettings.json in the working directory, if present)." };
        var command = new Command("worker", "Run a generation worker, without the web server, until stopped.") { data, database, config };
        command.SetAction(async (parse, ct) =>
        {
            try
            {
                using var host = Build(parse.GetValue(config), parse.GetValue(data), parse.GetValue(database));
                await using (var scope = host.Services.CreateAsyncScope())
                    await scope.ServiceProvider.GetRequiredService<DatabaseMigrator>().MigrateAsync(ct);
                await host.RunAsync(ct);
                return 0;
            }
            catch (Exception e) when (e is OptionsValidationException or FileNotFoundException or InvalidOperationException)
            {
                Console.Error.WriteLine($"aigc worker: {e.Message}");
                return 1;
            }
        });
        return command;
    }

    public static IHost Build(FileInfo? config, DirectoryInfo? data, string? database)
    {
        var overrides = new Dictionary<string, string?> { ["Queue:RunWorker"] = "true" };
        if (data is not null)
            overrides[$"{PlatformOptions.SectionName}:{nameof(PlatformOptions.DataDirectory)}"] = data.FullName;
        foreach (var (key, value) in DatabaseSettings(database))
            overrides[key] = value;
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddConfiguration(CliConfiguration.Load(config).AddInMemoryCollection(overrides).Build());
        builder.Logging.AddConfiguration(builder.Configuration.GetSection("Logging")).AddSimpleConsole(o => o.SingleLine = true);
        builder.Services.AddNeural(builder.Configuration).AddImaging(builder.Configuration).AddPlatform(builder.Configuration).AddGenerationWorker();
        builder.Services.Configure<ConsoleLifetimeOptions>(o => o.SuppressStatusMessages = true);
        return builder.Build();
    }

    /// <summary>--database as settings: a postgres URL or an Npgsql string means PostgreSQL, anything else a SQLite file.</summary>
    public static Dictionary<string, string?> DatabaseSettings(string? database)
    {
        if (string.IsNullOrWhiteSpace(database))
            return [];
        var postgres = database.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase)
            || database.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase)
            || database.Contains("Host=", StringComparison.OrdinalIgnoreCase);
        return new()
        {
            ["Database:Provider"] = postgres ? DatabaseOptions.Postgres : DatabaseOptions.Sqlite,
            ["Database:ConnectionString"] = postgres || database.Contains('=') ? database : $"Data Source={Path.GetFullPath(database)}",
        };
    }
}
