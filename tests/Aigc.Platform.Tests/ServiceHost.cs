using System.Security.Claims;
using Aigc.Generation;
using Aigc.Generation.Manifest;
using Aigc.Imaging;
using Aigc.Neural;
using Aigc.Platform.Accounts;
using Aigc.Platform.Data;
using Aigc.Platform.Models;
using Aigc.Platform.Queue;
using Aigc.Testing;
using Microsoft.AspNetCore.Identity;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;

namespace Aigc.Platform.Tests;

/// <summary>
/// The platform's real services (neural engine, imaging, queue) over a SQLite file in a data directory, as a host
/// would build them. Several hosts may share one data directory: that is how two workers share a queue.
/// </summary>
public sealed class ServiceHost : IAsyncDisposable
{
    public static readonly Requester Alice = new("alice", [PortalRoles.Designer]);
    public static readonly Requester Bob = new("bob", [PortalRoles.Designer]);
    public static readonly Requester Admin = new("root", [PortalRoles.Admin]);

    private readonly ServiceProvider _services;

    public ServiceHost(string dataDirectory, Dictionary<string, string?>? settings = null, Action<IServiceCollection>? configure = null)
    {
        DataDirectory = dataDirectory;
        var all = new Dictionary<string, string?>
        {
            ["Platform:DataDirectory"] = dataDirectory,
            ["Queue:BatchSize"] = "8",
            ["Queue:IdlePollMilliseconds"] = "20",
            ["Queue:ShippedModelsDirectory"] = Path.Combine(dataDirectory, "no-shipped-models"),
            // A cheap preset keeps the tests fast; "default" (upscale to 256, sharpen) stays available.
            ["Imaging:Presets:plain:0:step"] = "encode",
            ["Imaging:Presets:plain:0:format"] = "png",
        };
        foreach (var (key, value) in TestProvider.Settings(dataDirectory))
            all[key] = value;
        foreach (var (key, value) in settings ?? [])
            all[key] = value;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(all).Build();
        var services = new ServiceCollection()
            .AddLogging()
            .AddNeural(configuration)
            .AddImaging(configuration)
            .AddPlatform(configuration);
        // What every host adds around the platform: its configuration, Identity's stores (the account services share
        // their unit of work) and an application lifetime (PendingRegistrations ends its waits with it).
        services.AddSingleton<IConfiguration>(configuration);
        services.AddIdentityCore<PortalUser>().AddRoles<IdentityRole>().AddEntityFrameworkStores<PortalDbContext>();
        services.AddSingleton<IHostApplicationLifetime, ApplicationLifetime>();
        configure?.Invoke(services);
        _services = services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true, ValidateOnBuild = true });
    }

    public string DataDirectory { get; }

    public IServiceProvider Services => _services;

    public static async Task<ServiceHost> StartAsync(string dataDirectory, Dictionary<string, string?>? settings = null, Action<IServiceCollection>? configure = null)
    {
        var host = new ServiceHost(dataDirectory, settings, configure);
        await using var scope = host._services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<DatabaseMigrator>().MigrateAsync();
        return host;
    }

    public T Get<T>() where T : notnull => _services.GetRequiredService<T>();

    public async Task<T> InScope<T>(Func<IServiceProvider, Task<T>> work)
    {
        await using var scope = _services.CreateAsyncScope();
        return await work(scope.ServiceProvider);
    }

    public PortalDbContext OpenDatabase() => Get<IDbContextFactory<PortalDbContext>>().CreateDbContext();

    public Task<GenerationJob> EnqueueAsync(GenerationRequest request, Requester requester) =>
        InScope(sp => sp.GetRequiredService<GenerationQueue>().EnqueueAsync(request, requester));

    /// <summary>Writes a version folder for the blueprints manifest with random weights (the init seed picks them).</summary>
    public static string WriteModelFolder(string parent, ulong initSeed, string? manifestJson = null)
    {
        var folder = Directory.CreateDirectory(Path.Combine(parent, $"model-{initSeed}-{Guid.NewGuid():N}")).FullName;
        var manifest = manifestJson is null ? BlueprintsManifest() : CganManifest.Parse(manifestJson);
        File.WriteAllText(Path.Combine(folder, ModelFiles.ManifestFileName), manifest.ToJson());
        Generator.Create(manifest, new NeuralEngine(new NeuralOptions { Threads = 1 }), initSeed)
            .SaveWeights(Path.Combine(folder, ModelFiles.WeightsFileName));
        return folder;
    }

    public static CganManifest BlueprintsManifest() =>
        CganManifest.Load(Path.Combine(AppContext.BaseDirectory, "models", "blueprints", "manifest.json"));

    public Task<ModelVersion> RegisterAsync(string folder, string version) =>
        InScope(sp => sp.GetRequiredService<ModelRegistry>().RegisterAsync(folder, version, new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, "admin@example.com")], "test"))));

    /// <summary>Polls the database until the condition holds; fails with <paramref name="what"/> after the timeout.</summary>
    public async Task WaitUntilAsync(Func<PortalDbContext, Task<bool>> condition, string what, int timeoutSeconds = 30)
    {
        var deadline = DateTime.UtcNow.AddSeconds(timeoutSeconds);
        while (true)
        {
            await using (var db = OpenDatabase())
            {
                if (await condition(db))
                    return;
            }

            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"Timed out after {timeoutSeconds} s waiting for: {what}");
            await Task.Delay(10);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        SqliteConnection.ClearAllPools();
    }
}

/// <summary>A fresh temporary data directory, deleted afterwards.</summary>
public sealed class TempFolder : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("aigc-service-").FullName;

    public string Sub(string name) => Directory.CreateDirectory(System.IO.Path.Combine(Path, name)).FullName;

    public void Dispose()
    {
        if (TestProvider.PostgresServer is not null)
            TestProvider.DropUnder(Path);
        SqliteConnection.ClearAllPools();
        Directory.Delete(Path, recursive: true);
    }
}
