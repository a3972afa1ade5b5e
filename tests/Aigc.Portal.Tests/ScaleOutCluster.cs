using System.Net;
using System.Net.Sockets;
using System.Security.Claims;
using Aigc.Imaging;
using Aigc.Neural;
using Aigc.Platform;
using Aigc.Platform.Accounts;
using Aigc.Platform.Data;
using Aigc.Testing;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Aigc.Portal.Tests;

/// <summary>
/// Issue 25's production layout on loopback, every part a process of its own: nginx (deploy/nginx/aigc-portal.conf)
/// in front of two portal processes on fixed ports (Queue:RunWorker=false), two `aigc worker` processes and one
/// PostgreSQL database. Any portal or worker can be killed and started again on the same address and database. This
/// process also opens the database, to make users and tokens and to watch jobs as an administrator would.
/// </summary>
public sealed class ScaleOutCluster : IAsyncDisposable
{
    public const string UserPassword = "Scale-Out-Passw0rd";

    private readonly ServiceProvider _services;
    private readonly int[] _ports;
    private NginxSite? _nginx;

    private ScaleOutCluster(string data, string database, ServiceProvider services, int[] ports)
    {
        DataDirectory = data;
        Database = database;
        _services = services;
        _ports = ports;
    }

    public string DataDirectory { get; }

    public string Database { get; }

    /// <summary>The portals, by slot (0 or 1); a restarted one replaces its slot.</summary>
    public PortalProcess[] Portals { get; } = new PortalProcess[2];

    /// <summary>The workers, by slot (0 or 1); a restarted one replaces its slot.</summary>
    public PortalProcess[] Workers { get; } = new PortalProcess[2];

    /// <summary>Every process ever started here, killed ones too: their logs explain a failure.</summary>
    public List<(string Name, PortalProcess Process)> History { get; } = [];

    public Uri NginxAddress => _nginx!.BaseAddress;

    public Uri PortalAddress(int slot) => new($"http://127.0.0.1:{_ports[slot]}/");

    /// <summary>Settings every portal and worker share: the database, the models, and short enough fault timings.</summary>
    private Dictionary<string, string> SharedSettings => new()
    {
        ["Database:Provider"] = DatabaseOptions.Postgres,
        ["Database:ConnectionString"] = Database,
        ["Queue:ShippedModelsDirectory"] = PortalHost.ShippedModels,
        // A killed worker misses its third beat after 3 s and its jobs return; the lease is only the fallback.
        ["Queue:HeartbeatSeconds"] = "1",
        ["Queue:LeaseSeconds"] = "15",
        ["Queue:QueuedImageCaps:Designer"] = "10000",
        // The watched job is long enough to be killed in the middle of, whatever batches the worker gives it.
        ["Queue:MaxImagesPerJob"] = "256",
        ["Queue:DailyImageQuotas:Designer"] = "100000",
    };

    public static async Task<ScaleOutCluster> StartAsync(string data)
    {
        var database = TestProvider.PostgresDatabaseFor(data);
        var settings = new Dictionary<string, string?>
        {
            ["Platform:DataDirectory"] = data,
            ["Queue:RunWorker"] = "false",
            ["Database:Provider"] = DatabaseOptions.Postgres,
            ["Database:ConnectionString"] = database,
        };
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection().AddLogging().AddNeural(configuration).AddImaging(configuration)
            .AddPlatform(configuration);
        services.AddIdentityCore<PortalUser>().AddRoles<IdentityRole>().AddEntityFrameworkStores<PortalDbContext>();
        var cluster = new ScaleOutCluster(data, database, services.BuildServiceProvider(), [FreePort(), FreePort()]);
        try
        {
            // The first portal alone migrates the empty database and makes the first admin; then the rest.
            await cluster.StartPortalAsync(0);
            await Task.WhenAll(cluster.StartPortalAsync(1), cluster.StartWorkerAsync(0), cluster.StartWorkerAsync(1));
            cluster._nginx = NginxSite.Prepare(cluster._ports[0], cluster._ports[1]);
            cluster._nginx.Start();
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    public async Task StartPortalAsync(int slot)
    {
        var settings = SharedSettings;
        settings["Queue:RunWorker"] = "false";
        settings["ReverseProxy:Enabled"] = "true";
        settings["ASPNETCORE_URLS"] = $"http://127.0.0.1:{_ports[slot]}";
        settings["AIGC_ADMIN_EMAIL"] = PortalHost.AdminEmail;
        settings["AIGC_ADMIN_PASSWORD"] = PortalHost.AdminPassword;
        // Each request's first line ("Request starting … GET /path") tells which instance served it.
        settings["Logging:LogLevel:Microsoft.AspNetCore.Hosting.Diagnostics"] = "Information";
        var portal = await PortalProcess.StartAsync(DataDirectory, settings, TimeSpan.FromSeconds(120));
        Portals[slot] = portal;
        lock (History)
            History.Add(($"portal {slot} (process {portal.Id})", portal));
    }

    public async Task StartWorkerAsync(int slot)
    {
        var worker = await PortalProcess.StartWorkerAsync(DataDirectory, Database, SharedSettings, TimeSpan.FromSeconds(120));
        Workers[slot] = worker;
        lock (History)
            History.Add(($"worker {slot} (process {worker.Id}, {worker.WorkerName})", worker));
    }

    public PortalDbContext OpenDatabase() =>
        _services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContext();

    /// <summary>An approved designer with a personal API token; returns the token.</summary>
    public async Task<string> CreateDesignerAsync(string email)
    {
        await using var scope = _services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
        var user = new PortalUser { UserName = email, Email = email, DisplayName = email.Split('@')[0], ApprovedAt = DateTime.UtcNow };
        var created = await users.CreateAsync(user, UserPassword);
        Assert.True(created.Succeeded, string.Join(" ", created.Errors.Select(e => e.Description)));
        Assert.True((await users.AddToRoleAsync(user, PortalRoles.Designer)).Succeeded);
        var actor = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, user.Id)], "test"));
        var (_, secret) = await scope.ServiceProvider.GetRequiredService<ApiTokens>().CreateAsync(actor, "scale-out", null);
        return secret;
    }

    /// <summary>Polls the database until the measured value satisfies the condition; fails naming it, with every log.</summary>
    public async Task<T> WaitUntilAsync<T>(Func<PortalDbContext, Task<T>> measure, Func<T, bool> condition, string what,
        int timeoutSeconds = 120)
    {
        var deadline = DateTime.UtcNow.AddSeconds(timeoutSeconds);
        while (true)
        {
            T value;
            await using (var db = OpenDatabase())
                value = await measure(db);
            if (condition(value))
                return value;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"Timed out after {timeoutSeconds} s waiting for: {what} (last value {value}).{Environment.NewLine}{Logs()}");
            await Task.Delay(20);
        }
    }

    /// <summary>The slot of the portal whose log shows a request for <paramref name="path"/>, waiting for the line.</summary>
    public async Task<int> ServingPortalAsync(string path, Func<int, bool>? among = null, int timeoutSeconds = 60)
    {
        var deadline = DateTime.UtcNow.AddSeconds(timeoutSeconds);
        while (true)
        {
            for (var slot = 0; slot < Portals.Length; slot++)
            {
                if ((among?.Invoke(slot) ?? true) && Portals[slot].Output.Any(l => l.Contains("Request starting", StringComparison.Ordinal)
                        && l.Contains(path, StringComparison.Ordinal)))
                    return slot;
            }

            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"No portal logged a request for {path} within {timeoutSeconds} s.{Environment.NewLine}{Logs()}");
            await Task.Delay(20);
        }
    }

    /// <summary>The tail of every process's log, for failure messages.</summary>
    public string Logs()
    {
        lock (History)
        {
            return string.Join(Environment.NewLine, History.Select(h =>
                $"--- {h.Name}:{Environment.NewLine}{string.Join(Environment.NewLine, h.Process.Output.Where(l => !l.Contains("Hosting.Diagnostics", StringComparison.Ordinal)
                    && !l.Contains("Request starting", StringComparison.Ordinal) && !l.Contains("Request finished", StringComparison.Ordinal)).TakeLast(40))}"));
        }
    }

    public async ValueTask DisposeAsync()
    {
        _nginx?.Dispose();
        List<PortalProcess> processes;
        lock (History)
            processes = History.Select(h => h.Process).ToList();
        foreach (var process in processes)
            await process.DisposeAsync();
        await _services.DisposeAsync();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
