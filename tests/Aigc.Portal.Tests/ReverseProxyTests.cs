using System.Net;
using Microsoft.Extensions.Options;

namespace Aigc.Portal.Tests;

/// <summary>ReverseProxy:Enabled decides whether X-Forwarded-Proto is believed; bad proxy lists stop the start.
/// </summary>
public sealed class ReverseProxyTests
{
    [Theory]
    [InlineData(false, "http")]
    [InlineData(true, "https")]
    public async Task Forwarded_scheme_counts_only_when_enabled(bool enabled, string scheme)
    {
        var settings = new Dictionary<string, string?> { ["ReverseProxy:Enabled"] = $"{enabled}" };
        await using var host = new PortalHost(settings);
        using var client = host.NewClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/gallery");
        request.Headers.Add("X-Forwarded-Proto", "https");

        var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(scheme, response.Headers.Location!.Scheme);
    }

    [Theory]
    [InlineData("ReverseProxy:KnownProxies:0", "nginx.internal", "ReverseProxy:KnownProxies")]
    [InlineData("ReverseProxy:KnownNetworks:0", "10.0.0.0", "ReverseProxy:KnownNetworks")]
    public async Task A_proxy_list_that_is_not_addresses_stops_the_start_naming_the_key(
        string key, string value, string named)
    {
        var settings = new Dictionary<string, string?> { ["ReverseProxy:Enabled"] = "true", [key] = value };
        await using var host = new PortalHost(settings);

        var error = Assert.Throws<OptionsValidationException>(() => host.BaseAddress);

        Assert.Contains(named, error.Message);
    }
}
