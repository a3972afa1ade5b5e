using System.Reflection;
using Aigc.Platform.Telemetry;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Aigc.Observability;

public static class ObservabilityServiceCollectionExtensions
{
    /// <summary>
    /// The OpenTelemetry SDK over the platform's meter and activity source, ASP.NET Core, EF Core and the runtime:
    /// metrics for the Prometheus endpoint and OTLP, traces for OTLP. With both off, nothing is registered.
    /// </summary>
    public static IServiceCollection AddObservability(this IServiceCollection services, IConfiguration configuration)
    {
        var section = configuration.GetSection(ObservabilityOptions.SectionName);
        services.AddOptions<ObservabilityOptions>().Bind(section).ValidateDataAnnotations().ValidateOnStart();
        // What to wire is decided now; the values themselves are read validated, when the providers are built.
        var settings = section.Get<ObservabilityOptions>() ?? new ObservabilityOptions();
        if (!settings.PrometheusEnabled && !settings.OtlpEnabled)
            return services;

        var serviceName = string.IsNullOrWhiteSpace(settings.ServiceName)
            ? Assembly.GetEntryAssembly()?.GetName().Name ?? "aigc"
            : settings.ServiceName;
        var telemetry = services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(serviceName))
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(PlatformTelemetry.Name)
                    .AddInstrumentation<PlatformGauges>()
                    .AddAspNetCoreInstrumentation()
                    .AddRuntimeInstrumentation();
                if (settings.PrometheusEnabled)
                    metrics.AddPrometheusExporter();
            });
        // An endpoint that fails validation is never used: a generic host stops at start, aigc at StartObservability.
        if (settings.OtlpEnabled && Uri.TryCreate(settings.OtlpEndpoint, UriKind.Absolute, out var endpoint))
        {
            // One base address for every signal: over HTTP each gets its own path (/v1/traces, /v1/metrics, /v1/logs).
            telemetry.UseOtlpExporter(settings.OtlpProtocol, endpoint);
            telemetry.WithTracing(tracing => tracing
                .AddSource(PlatformTelemetry.Name)
                .AddAspNetCoreInstrumentation(asp =>
                    asp.Filter = context => context.Request.Path != ObservabilityOptions.MetricsPath)
                .AddEntityFrameworkCoreInstrumentation()
                // Clamped here only so that a bad ratio is reported by the options' validation, naming the key.
                .SetSampler(new ParentBasedSampler(
                    new TraceIdRatioBasedSampler(Math.Clamp(settings.TraceSampleRatio, 0, 1)))));
        }

        return services;
    }

    /// <summary>The admin-only scrape endpoint, when Prometheus is enabled; the caller names the policy.</summary>
    public static IEndpointConventionBuilder? MapObservability(this IEndpointRouteBuilder app, string policy)
    {
        var settings = app.ServiceProvider.GetRequiredService<IOptions<ObservabilityOptions>>().Value;
        return settings.PrometheusEnabled
            ? app.MapPrometheusScrapingEndpoint(ObservabilityOptions.MetricsPath).RequireAuthorization(policy)
            : null;
    }

    /// <summary>
    /// A host without a generic host (aigc) validates the settings and starts the providers itself; disposing the
    /// services flushes them. Throws <see cref="OptionsValidationException"/> naming a bad key.
    /// </summary>
    public static IServiceProvider StartObservability(this IServiceProvider services)
    {
        _ = services.GetRequiredService<IOptions<ObservabilityOptions>>().Value;
        services.GetService<MeterProvider>();
        services.GetService<TracerProvider>();
        return services;
    }
}
