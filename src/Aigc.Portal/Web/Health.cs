using System.Text.Json;
using Aigc.Imaging;
using Aigc.Neural;
using Aigc.Neural.Gemm;
using Aigc.Platform.Data;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Aigc.Portal.Web;

/// <summary>/healthz: the database and the native libraries the engine and imaging load, with their versions.</summary>
public static class Health
{
    public static IServiceCollection AddPortalHealthChecks(this IServiceCollection services)
    {
        services.AddHealthChecks()
            .AddCheck<DatabaseHealthCheck>("database")
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
