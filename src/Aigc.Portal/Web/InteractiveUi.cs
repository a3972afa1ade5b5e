using System.ComponentModel.DataAnnotations;
using Aigc.Portal.Components.Layout;
using Aigc.Portal.Web.Localization;
using MudBlazor.Services;

namespace Aigc.Portal.Web;

/// <summary>
/// Interactive Blazor Server with MudBlazor, in English and Chinese. The circuit's limits are set here on purpose
/// rather than left at the framework's defaults (decision 0015).
/// </summary>
public static class InteractiveUi
{
    public static IServiceCollection AddInteractiveUi(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<CircuitLimitsOptions>()
            .Bind(configuration.GetSection(CircuitLimitsOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        var limits = configuration.GetSection(CircuitLimitsOptions.SectionName).Get<CircuitLimitsOptions>() ?? new();

        services.AddRazorComponents()
            .AddInteractiveServerComponents(circuit =>
            {
                circuit.DisconnectedCircuitRetentionPeriod = TimeSpan.FromSeconds(limits.DisconnectedRetentionSeconds);
                circuit.DisconnectedCircuitMaxRetained = limits.MaxRetainedDisconnected;
                circuit.JSInteropDefaultCallTimeout = TimeSpan.FromSeconds(limits.JsInteropTimeoutSeconds);
                circuit.DetailedErrors = false;
            })
            .AddHubOptions(hub => hub.MaximumReceiveMessageSize = limits.MaxReceiveMessageBytes);
        services.AddMudServices();
        services.AddSingleton<PortalThemeStyles>();
        services.AddHostedService(sp => sp.GetRequiredService<PortalThemeStyles>());
        services.AddPortalLocalization();
        return services;
    }
}

/// <summary>Limits of a Blazor Server circuit (section "Circuits").</summary>
public sealed class CircuitLimitsOptions
{
    public const string SectionName = "Circuits";

    /// <summary>Largest message a browser may send over the circuit; files never travel this way (uploads stream).</summary>
    [Range(16 * 1024, 4 * 1024 * 1024)]
    public int MaxReceiveMessageBytes { get; set; } = 64 * 1024;

    /// <summary>How long a circuit whose browser went away is kept for it to come back (a flaky network, a sleep).</summary>
    [Range(10, 3600)]
    public int DisconnectedRetentionSeconds { get; set; } = 180;

    /// <summary>How many such circuits are kept at most; older ones are dropped first.</summary>
    [Range(1, 10_000)]
    public int MaxRetainedDisconnected { get; set; } = 100;

    /// <summary>How long a call into the browser's JavaScript may take before it fails.</summary>
    [Range(1, 300)]
    public int JsInteropTimeoutSeconds { get; set; } = 30;
}
