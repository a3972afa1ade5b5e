using System.Collections.Concurrent;
using Aigc.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Aigc.Portal.Tests;

/// <summary>The real portal on Kestrel at a free loopback port, against a fresh SQLite file in its own data directory.</summary>
public sealed class PortalHost : WebApplicationFactory<Program>
{
    public const string AdminEmail = "admin@aigc.test";
    public const string AdminPassword = "Admin-Passw0rd";

    private readonly Dictionary<string, string?> _settings;
    private readonly string _environment;
    private readonly Action<IServiceCollection>? _services;
    private readonly bool _ownsDataDirectory;

    /// <param name="port">0 for a free port; a fixed one lets a second host take over the first one's address.</param>
    /// <param name="dataDirectory">Another host's data directory, to restart "the same" portal; the caller deletes it.</param>
    public PortalHost(IDictionary<string, string?>? settings = null, string environment = "Development",
        Action<IServiceCollection>? services = null, int port = 0, string? dataDirectory = null)
    {
        _services = services;
        _ownsDataDirectory = dataDirectory is null;
        DataDirectory = dataDirectory ?? Directory.CreateTempSubdirectory("aigc-portal-").FullName;
        _environment = environment;
        _settings = new Dictionary<string, string?>
        {
            ["Platform:DataDirectory"] = DataDirectory,
            ["AIGC_ADMIN_EMAIL"] = AdminEmail,
            ["AIGC_ADMIN_PASSWORD"] = AdminPassword,
            // Sessions are re-checked on every request, so sign-out-everywhere and locks are observable at once.
            ["Accounts:SecurityStampValidationInterval"] = "00:00:00",
            ["Queue:ShippedModelsDirectory"] = ShippedModels,
            // A CI machine's disk may have less free than production's 1 GiB; the disk-full test sets its own floor.
            ["Blobs:MinFreeMegabytes"] = "0",
        };
        foreach (var (key, value) in TestProvider.Settings(DataDirectory))
        {
            _settings[key] = value;
        }

        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            _settings[key] = value;
        }

        UseKestrel(port);
    }

    public string DataDirectory { get; }

    /// <summary>The repository's models/ folder: the portal registers blueprints-64@v1 and @v2 from it at start (v2 active), as in production.</summary>
    public static string ShippedModels => RepositoryFolders.Models;

    public ConcurrentQueue<string> Logs { get; } = new();

    public Uri BaseAddress
    {
        get
        {
            StartServer();
            var addresses = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!;
            return new Uri(addresses.Addresses.First().Replace("[::]", "127.0.0.1", StringComparison.Ordinal));
        }
    }

    public PortalClient NewClient() => new(BaseAddress);

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(_environment);
        builder.ConfigureAppConfiguration(config => config.AddInMemoryCollection(_settings));
        builder.ConfigureLogging(logging => logging.AddProvider(new QueueLoggerProvider(Logs)));
        if (_services is not null)
        {
            builder.ConfigureServices(_services);
        }
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        SqliteConnection.ClearAllPools();
        if (!_ownsDataDirectory)
        {
            return;
        }

        if (TestProvider.PostgresServer is not null)
            TestProvider.DropUnder(DataDirectory);

        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held by a finishing request; the temp folder is cleaned by the OS.
        }
    }

    private sealed class QueueLoggerProvider(ConcurrentQueue<string> queue) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new QueueLogger(queue, categoryName);

        public void Dispose()
        {
        }
    }

    private sealed class QueueLogger(ConcurrentQueue<string> queue, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            queue.Enqueue($"{logLevel} {category}: {formatter(state, exception)} {exception}");
    }
}
