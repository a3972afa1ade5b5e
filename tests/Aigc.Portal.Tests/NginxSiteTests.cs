using System.Collections.Concurrent;
using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Aigc.Portal.Tests;

/// <summary>deploy/nginx/aigc-portal.conf is valid nginx, and in front of two portals it keeps each browser's circuit
/// on one instance, passes the circuit's WebSocket and tells the portal the request came over HTTPS.</summary>
public sealed class NginxSiteTests
{
    private static readonly Dictionary<string, string?> BehindNginx = new() { ["ReverseProxy:Enabled"] = "true" };

    [Fact]
    public void The_site_file_passes_nginx_t()
    {
        using var site = NginxSite.Prepare(portalA: 5001, portalB: 5002);
        var (code, output) = site.Test();
        Assert.True(code == 0, output);
        Assert.Contains("test is successful", output);
    }

    [Fact]
    public async Task Each_browser_keeps_its_instance_and_its_circuit_websocket_passes()
    {
        var routesA = new ConcurrentBag<string>();
        var routesB = new ConcurrentBag<string>();
        await using var portalA = new PortalHost(BehindNginx, services: Recording(routesA));
        await using var portalB = new PortalHost(BehindNginx, services: Recording(routesB));
        using var site = NginxSite.Prepare(portalA.BaseAddress.Port, portalB.BaseAddress.Port);
        site.Start();

        // 20 browsers: if any negotiate and WebSocket landed on different instances, the connect would fail (404);
        // and with random routes, all 20 on one instance would happen once in half a million runs.
        for (var browser = 0; browser < 20; browser++)
            await OpenCircuitTransportAsync(site);

        Assert.NotEmpty(routesA);
        Assert.NotEmpty(routesB);
        Assert.Empty(routesA.Intersect(routesB));
    }

    [Fact]
    public async Task The_portal_behind_nginx_redirects_to_https_on_nginx_address()
    {
        await using var portalA = new PortalHost(BehindNginx);
        await using var portalB = new PortalHost(BehindNginx);
        using var site = NginxSite.Prepare(portalA.BaseAddress.Port, portalB.BaseAddress.Port);
        site.Start();
        using var client = new PortalClient(site.BaseAddress, anyCertificate: true);

        var response = await client.GetAsync("/gallery");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var location = response.Headers.Location!;
        Assert.Equal($"https://127.0.0.1:{site.HttpsPort}/account/login", location.GetLeftPart(UriPartial.Path));
    }

    /// <summary>What a signed-in browser does to open its circuit: the hub's negotiate, the WebSocket with the
    /// connection token, and SignalR's handshake, which only the instance that negotiated answers (with {}).</summary>
    private static async Task OpenCircuitTransportAsync(NginxSite site)
    {
        using var client = new PortalClient(site.BaseAddress, anyCertificate: true);
        await client.SignInOrFailAsync(PortalHost.AdminEmail, PortalHost.AdminPassword);
        Assert.NotNull(client.Cookies.GetCookies(site.BaseAddress)["aigc_route"]);

        using var request = new HttpRequestMessage(HttpMethod.Post, "/_blazor/negotiate?negotiateVersion=1");
        var negotiate = await client.SendAsync(request);
        Assert.True(negotiate.IsSuccessStatusCode,
            $"negotiate: {(int)negotiate.StatusCode} {negotiate.Headers.Location}");
        using var body = JsonDocument.Parse(await negotiate.Content.ReadAsStringAsync());
        var token = body.RootElement.GetProperty("connectionToken").GetString();

        using var socket = new ClientWebSocket();
        socket.Options.Cookies = client.Cookies;
        socket.Options.RemoteCertificateValidationCallback = (_, _, _, _) => true;
        var hub = new Uri($"wss://127.0.0.1:{site.HttpsPort}/_blazor?id={Uri.EscapeDataString(token!)}");
        await socket.ConnectAsync(hub, CancellationToken.None);
        await socket.SendAsync(Encoding.UTF8.GetBytes("{\"protocol\":\"blazorpack\",\"version\":1}\u001e"),
            WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
        var buffer = new byte[256];
        var received = await socket.ReceiveAsync(buffer, CancellationToken.None);
        Assert.Equal("{}\u001e", Encoding.UTF8.GetString(buffer, 0, received.Count));
        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
    }

    private static Action<IServiceCollection> Recording(ConcurrentBag<string> routes) =>
        services => services.AddSingleton<IStartupFilter>(new RouteRecorder(routes));

    /// <summary>Test-only: notes the nginx route cookie of every request that reaches this instance.</summary>
    private sealed class RouteRecorder(ConcurrentBag<string> routes) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use(async (context, following) =>
            {
                if (context.Request.Cookies.TryGetValue("aigc_route", out var route))
                    routes.Add(route);
                await following(context);
            });
            next(app);
        };
    }
}
