using Aigc.Imaging;
using Aigc.Neural;
using Aigc.Neural.Gemm;
using Aigc.Platform.Blobs;
using Aigc.Platform.Data;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Aigc.Platform.Health;

/// <summary>
/// What a host needs to serve: the database, the blob store (writable, with room) and the native libraries the engine
/// and imaging load, with their versions. A host maps them (the portal at /healthz); the checks live here, next to
/// what they check, so the web never touches the database or the engine for them.
/// </summary>
public static class PlatformHealthChecks
{
    internal static void Add(IServiceCollection services) =>
        services.AddHealthChecks()
            .AddCheck<DatabaseHealthCheck>("database")
            .AddCheck<BlobStoreHealthCheck>("blobs")
            .AddCheck<LibvipsHealthCheck>("libvips")
            .AddCheck<OpenBlasHealthCheck>("openblas");

    private sealed class DatabaseHealthCheck(PortalDbContext db) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(
            HealthCheckContext context, CancellationToken cancellationToken = default)
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
            {
                return HealthCheckResult.Unhealthy(
                    $"The blob store {blobs.Root} is not writable: {error.Message}", error);
            }

            var free = blobs.AvailableFreeBytes;
            var minimum = options.Value.MinFreeMegabytes * 1024L * 1024;
            var data = new Dictionary<string, object> { ["freeBytes"] = free, ["minFreeBytes"] = minimum };
            var megabytes = free / (1024 * 1024);
            return free < minimum
                ? HealthCheckResult.Unhealthy(
                    $"The blob store's disk is nearly full: {megabytes} MB free, under Blobs:MinFreeMegabytes",
                    data: data)
                : HealthCheckResult.Healthy($"{megabytes} MB free", data);
        }
    }

    /// <summary>libvips loads and starts (the post-processing pipeline and every image depend on it).</summary>
    private sealed class LibvipsHealthCheck : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(
            HealthCheckContext context, CancellationToken cancellationToken = default)
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

    /// <summary>OpenBLAS loads (the engine's fast GEMM); without it the engine still works on its managed GEMM,
    /// slower.</summary>
    private sealed class OpenBlasHealthCheck(NeuralEngine engine) : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(
            HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            var data = new Dictionary<string, object> { ["gemm"] = engine.Gemm.Name, ["threads"] = engine.Threads };
            var configuration = OpenBlasGemm.Configuration;
            if (configuration is null)
            {
                return Task.FromResult(HealthCheckResult.Degraded(
                    "OpenBLAS does not load (install libopenblas0-pthread); using the managed GEMM", data: data));
            }

            data["version"] = configuration;
            return Task.FromResult(HealthCheckResult.Healthy(configuration, data));
        }
    }
}
