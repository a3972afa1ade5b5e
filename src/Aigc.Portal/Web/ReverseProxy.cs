using System.ComponentModel.DataAnnotations;
using System.Net;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;

namespace Aigc.Portal.Web;

/// <summary>
/// Behind nginx the portal sees nginx's address and plain HTTP. With ReverseProxy:Enabled it takes the client's
/// address and scheme from X-Forwarded-For/-Proto, but only from the proxies it is told to trust (loopback always),
/// so a client cannot claim another address or HTTPS by sending the headers itself (docs/deploy.md).
/// </summary>
public static class ReverseProxy
{
    public static IServiceCollection AddReverseProxyHeaders(
        this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ReverseProxyOptions>()
            .Bind(configuration.GetSection(ReverseProxyOptions.SectionName))
            .ValidateDataAnnotations()
            .Validate(o => o.KnownProxies.All(p => IPAddress.TryParse(p, out _)),
                "ReverseProxy:KnownProxies: every entry must be an IP address, e.g. 10.0.0.5.")
            .Validate(o => o.KnownNetworks.All(n => System.Net.IPNetwork.TryParse(n, out _)),
                "ReverseProxy:KnownNetworks: every entry must be a network in CIDR form, e.g. 10.0.0.0/24.")
            .ValidateOnStart();
        services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<ReverseProxyOptions>>((forwarded, proxy) =>
        {
            forwarded.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            forwarded.ForwardLimit = proxy.Value.ForwardLimit;
            foreach (var address in proxy.Value.KnownProxies)
                forwarded.KnownProxies.Add(IPAddress.Parse(address));
            foreach (var network in proxy.Value.KnownNetworks)
                forwarded.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
        });
        return services;
    }

    /// <summary>First in the pipeline, so redirects, cookies, logs and rate limits see the client, not nginx.</summary>
    public static IApplicationBuilder UseReverseProxyHeaders(this IApplicationBuilder app) =>
        app.ApplicationServices.GetRequiredService<IOptions<ReverseProxyOptions>>().Value.Enabled
            ? app.UseForwardedHeaders()
            : app;
}

/// <summary>Which reverse proxies the portal believes about the client (section "ReverseProxy").</summary>
public sealed class ReverseProxyOptions
{
    public const string SectionName = "ReverseProxy";

    /// <summary>Honour X-Forwarded-For and X-Forwarded-Proto from the trusted proxies.</summary>
    public bool Enabled { get; set; }

    /// <summary>Addresses of the proxies trusted besides loopback.</summary>
    public string[] KnownProxies { get; set; } = [];

    /// <summary>Networks (CIDR) whose proxies are trusted besides loopback.</summary>
    public string[] KnownNetworks { get; set; } = [];

    /// <summary>Proxies in a row whose X-Forwarded-For entries are taken, from the nearest back.</summary>
    [Range(1, 10)]
    public int ForwardLimit { get; set; } = 1;
}
