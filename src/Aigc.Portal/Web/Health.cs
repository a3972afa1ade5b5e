using System.Text.Json;
using Aigc.Imaging;
using Aigc.Neural;
using Aigc.Neural.Gemm;
using Aigc.Platform.Blobs;
using Aigc.Platform.Data;
using Microsoft.Extensions.Options;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Aigc.Portal.Web;

/// <summary>
/// /healthz: the database, the blob store (writable, with room) and the native libraries the engine and imaging load,
/// with their versions. 503 while any is unhealthy, so a load balancer sends requests elsewhere.
/// </summary>
public static class Health
{
    public static IServiceCollection AddPortalHealthChecks(this IServiceCollection services)
    {
        services.AddHealthChecks()
            .AddCheck<DatabaseHealthCheck>("database")
            .AddCheck<BlobStoreHealthCheck>("blobs")
            .AddCheck<LibvipsHealthCheck>("libvips")
            .AddCheck<OpenBlasHealthCheck>("openblas");
        return services;
    }

    public static IEndpointRouteBuilder MapPortalHealth(this IEndpointRouteBuilder app)
    {
        app.MapHealthChecks("/healthz", new HealthCheckOptions { ResponseWriter = WriteJsonAsync }).AllowAnonymous();
        return app;
    }

    private static Task WriteJsonAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        var body = new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(
                e => e.Key,
                e => new { status = e.Value.Status.ToString(), description = e.Value.Description, data = e.Value.Data }),
        };
        return JsonSerializer.SerializeAsync(context.Response.Body, body, cancellationToken: context.RequestAborted);
    }

    private sealed class DatabaseHealthCheck(PortalDbContext db) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            try
            {
                return await db.Database.CanConnectAsync(cancellationToken)
                    ? HealthCheckResult.Healthy($"{db.Database.ProviderName} reachable")
                    : HealthCheckResult.Unhealthy("Cannot connect to the database");
            }
            catch (Exception e)
            {
                return HealthCheckResult.Unhealthy("Database check failed", e);
            }
        }
    }

    /// <summary>
    /// A probe file can be written and synced in the blob store, and its file system has Blobs:MinFreeMegabytes free:
    /// without either, every job's images fail to store (the worker pauses, decision 0019).
    /// </summary>
    private sealed class BlobStoreHealthCheck(BlobStore blobs, IOptions<BlobOptions> options) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(
            HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            if (await blobs.ProbeAsync(cancellationToken) is { } error)
                return HealthCheckResult.Unhealthy($"The blob store {blobs.Root} is not writable: {error.Message}", error);
            var free = blobs.AvailableFreeBytes;
            var minimum = options.Value.MinFreeMegabytes * 1024L * 1024;
            var data = new Dictionary<string, object> { ["freeBytes"] = free, ["minFreeBytes"] = minimum };
            var megabytes = free / (1024 * 1024);
            return free < minimum
                ? HealthCheckResult.Unhealthy(
                    $"The blob store's disk is nearly full: {megabytes} MB free, under Blobs:MinFreeMegabytes", data: data)
                : HealthCheckResult.Healthy($"{megabytes} MB free", data);
        }
    }

    /// <summary>libvips loads and starts (the post-processing pipeline and every image depend on it).</summary>
    private sealed class LibvipsHealthCheck : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            try
            {
                var version = VipsImage.LibraryVersion;
                var data = new Dictionary<string, object>
                {
                    ["version"] = version,
                    ["path"] = VipsImage.LibraryPath ?? "unknown",
                };
                return Task.FromResult(HealthCheckResult.Healthy($"libvips {version} (NetVips.Native)", data));
            }
            catch (Exception e) when (e is DllNotFoundException or TypeInitializationException
                                          or EntryPointNotFoundException or InvalidOperationException
                                          or NetVips.VipsException)
            {
                return Task.FromResult(HealthCheckResult.Unhealthy(
                    "libvips does not load (no NetVips.Native package for this platform in the build)", e));
            }
        }
    }

    /// <summary>OpenBLAS loads (the engine's fast GEMM); without it the engine still works on its managed GEMM, slower.</summary>
    private sealed class OpenBlasHealthCheck(NeuralEngine engine) : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            var data = new Dictionary<string, object> { ["gemm"] = engine.Gemm.Name, ["threads"] = engine.Threads };
            var configuration = OpenBlasGemm.Configuration;
            if (configuration is null)
            {
                return Task.FromResult(HealthCheckResult.Degraded("OpenBLAS does not load (install libopenblas0-pthread); using the managed GEMM", data: data));
            }

            data["version"] = configuration;
            return Task.FromResult(HealthCheckResult.Healthy(configuration, data));
        }
    }
}
