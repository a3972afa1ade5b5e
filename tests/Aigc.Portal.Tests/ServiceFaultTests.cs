using System.Net;
using System.Net.Sockets;
using System.Security.Claims;
using System.Text;
using System.Text.Json;
using Aigc.Platform.Accounts;
using Aigc.Platform.Data;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Aigc.Portal.Tests;

/// <summary>Faults an independent probe found (issue 25): slow clients, and health while storage cannot take a write.</summary>
public sealed class ServiceFaultTests
{
    [Fact]
    public async Task A_generation_request_whose_body_trickles_in_gets_408_and_logs_no_error()
    {
        // Kestrel's default minimum rate (240 B/s after 5 s of grace) with 1.5 s of grace (the least it takes), to keep the test short.
        await using var host = new PortalHost(services: s => s.Configure<KestrelServerOptions>(o =>
            o.Limits.MinRequestBodyDataRate = new MinDataRate(240, TimeSpan.FromSeconds(1.5))));
        var user = await host.CreateUserAsync("slow-client@aigc.test", PortalRoles.Designer);
        var secret = await TokenAsync(host, user);
        var body = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(ApiRequests.Request()));

        using var socket = new TcpClient();
        await socket.ConnectAsync(host.BaseAddress.Host, host.BaseAddress.Port);
        var stream = socket.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(
            $"POST /api/generations HTTP/1.1\r\nHost: {host.BaseAddress.Authority}\r\nAuthorization: Bearer {secret}\r\n" +
            $"Content-Type: application/json\r\nContent-Length: {body.Length}\r\n\r\n"));
        var answer = new byte[4096];
        var reading = stream.ReadAsync(answer).AsTask();
        var sent = 0;
        // A byte every half second, 2 B/s: the rate is missed within about three seconds, long before the body is whole.
        while (!reading.IsCompleted && sent < body.Length)
        {
            await stream.WriteAsync(body.AsMemory(sent++, 1));
            await Task.WhenAny(reading, Task.Delay(500));
        }

        var read = await reading;
        Assert.True(sent < body.Length, "the server should give up before the whole body came");
        var response = Encoding.ASCII.GetString(answer, 0, read);
        Assert.StartsWith("HTTP/1.1 408", response);
        Assert.DoesNotContain(host.Logs, line => line.StartsWith("Error", StringComparison.Ordinal) || line.StartsWith("Critical", StringComparison.Ordinal));
        await using var scope = host.Services.CreateAsyncScope();
        Assert.False(await scope.ServiceProvider.GetRequiredService<PortalDbContext>().GenerationJobs.AnyAsync(j => j.UserId == user.Id));
    }

    [Fact]
    public async Task Health_is_not_ready_while_the_blob_store_cannot_be_written_or_its_disk_is_nearly_full()
    {
        await using (var host = new PortalHost())
        {
            using var client = host.NewClient();
            Assert.Equal("Healthy", (await HealthAsync(client, HttpStatusCode.OK)).GetProperty("status").GetString());
            var root = Path.Combine(host.DataDirectory, "blobs");
            // As root no permission stops a write; a file where the store's folder must be stops every one.
            Directory.Move(root, root + ".away");
            await File.WriteAllBytesAsync(root, [1]);

            var broken = (await HealthAsync(client, HttpStatusCode.ServiceUnavailable)).GetProperty("checks").GetProperty("blobs");
            Assert.Equal("Unhealthy", broken.GetProperty("status").GetString());
            Assert.Contains("is not writable", broken.GetProperty("description").GetString());

            File.Delete(root);
            Directory.Move(root + ".away", root);
            Assert.Equal("Healthy", (await HealthAsync(client, HttpStatusCode.OK)).GetProperty("checks").GetProperty("blobs").GetProperty("status").GetString());
        }

        // 16 TiB free is more than this disk has: the threshold is what is checked, whatever the machine.
        await using (var host = new PortalHost(new Dictionary<string, string?> { ["Blobs:MinFreeMegabytes"] = "16777216" }))
        {
            using var client = host.NewClient();
            var full = (await HealthAsync(client, HttpStatusCode.ServiceUnavailable)).GetProperty("checks").GetProperty("blobs");
            Assert.Equal("Unhealthy", full.GetProperty("status").GetString());
            Assert.Contains("nearly full", full.GetProperty("description").GetString());
            Assert.True(full.GetProperty("data").GetProperty("freeBytes").GetInt64() > 0);
        }
    }

    private static async Task<JsonElement> HealthAsync(PortalClient client, HttpStatusCode expected) =>
        await (await client.GetAsync("/healthz")).JsonAsync(expected);

    private static async Task<string> TokenAsync(PortalHost host, PortalUser user)
    {
        await using var scope = host.Services.CreateAsyncScope();
        var actor = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, user.Id), new Claim(ClaimTypes.Name, user.Email!)], "test"));
        return (await scope.ServiceProvider.GetRequiredService<ApiTokens>().CreateAsync(actor, "slow client", null)).Secret;
    }
}
