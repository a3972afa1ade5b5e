using System.Globalization;
using System.Net;
using System.Security.Claims;
using System.Text.RegularExpressions;
using Aigc.Platform.Accounts;
using Aigc.Platform.Data;
using Aigc.Platform.Status;
using Microsoft.Extensions.DependencyInjection;

namespace Aigc.Portal.Tests;

/// <summary>
/// Meters listen process-wide by name, so the scrape would also count other hosts' jobs: this runs alone, after the
/// parallel tests (whose hosts, disposed, no longer publish).
/// </summary>
[CollectionDefinition(nameof(MetricsCollection), DisableParallelization = true)]
public sealed class MetricsCollection;

[Collection(nameof(MetricsCollection))]
public sealed class MetricsEndpointTests
{
    [Fact]
    public async Task After_a_job_the_admin_scrape_has_its_counts_and_Status_shows_the_same()
    {
        await using var host = new PortalHost();
        using var client = host.NewClient();
        var admin = await host.CreateUserAsync("prometheus@aigc.test", PortalRoles.Admin);
        var viewer = await host.CreateUserAsync("viewer@aigc.test", PortalRoles.Viewer);
        var token = await TokenAsync(host, admin.Id);

        var submitted = await client.SubmitAsync(ApiRequests.Request(count: 3, seed: 11), bearer: token);
        var job = (await submitted.JsonAsync(HttpStatusCode.Accepted)).GetProperty("id").GetGuid();
        var events = await client.EventsAsync($"/api/generations/{job}/events", bearer: token);
        Assert.Equal("completed", events[^1].Data.GetProperty("status").GetString());

        var scrape = await client.SendApiAsync(HttpMethod.Get, "/metrics", bearer: token);
        var text = await scrape.Content.ReadAsStringAsync();
        Assert.True(scrape.StatusCode == HttpStatusCode.OK, $"{scrape.StatusCode}: {text}");
        Assert.Equal(3, Sample(text, "aigc_generation_images_total"));
        Assert.Equal(1, Sample(text, "aigc_job_first_image_duration_seconds_count"));
        Assert.Equal(1, Sample(text, "aigc_job_completion_duration_seconds_count"));
        Assert.True(Sample(text, "aigc_generation_batches_total") >= 1);
        Assert.True(Sample(text, "aigc_generation_batch_duration_seconds_count") >= 1);
        Assert.Equal(0, Sample(text, "aigc_queue_images", ("status", "queued"), ("priority", "interactive")));
        var heartbeat = DateTimeOffset.FromUnixTimeMilliseconds((long)(Sample(text, "aigc_worker_heartbeat_seconds") * 1000));
        Assert.True(heartbeat > DateTimeOffset.UtcNow.AddMinutes(-5), $"heartbeat {heartbeat:O}");
        Assert.Contains("http_server_request_duration_seconds", text);
        Assert.Contains("dotnet_gc_collections_total", text);

        // Admin › Status reads the objects the meters read.
        var asAdmin = await host.PrincipalOfAsync("prometheus@aigc.test");
        var status = await host.Services.GetRequiredService<SystemStatus>().ReadAsync(asAdmin);
        Assert.Equal(3, status.Metrics.ImagesTotal);
        Assert.Equal(1, status.Metrics.Completion.Count);
        Assert.Equal(0, status.Queued.Single(q => q.Priority == JobPriority.Interactive).Images);

        // Admins only: another role's token is forbidden, no credentials are unauthorised (no redirect to a page).
        var refused = await client.SendApiAsync(HttpMethod.Get, "/metrics", bearer: await TokenAsync(host, viewer.Id));
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        using var anonymous = host.NewClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/metrics")).StatusCode);
    }

    private static async Task<string> TokenAsync(PortalHost host, string userId)
    {
        await using var scope = host.Services.CreateAsyncScope();
        var actor = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, userId)], "test"));
        var (_, secret) = await scope.ServiceProvider.GetRequiredService<ApiTokens>().CreateAsync(actor, "prometheus", null);
        return secret;
    }

    /// <summary>The value of the one sample of <paramref name="name"/> with these labels (others allowed).</summary>
    private static double Sample(string exposition, string name, params (string Label, string Value)[] labels)
    {
        var matches = exposition.Split('\n')
            .Select(line => Regex.Match(line, $@"^{Regex.Escape(name)}(\{{(?<labels>[^}}]*)\}})? (?<value>\S+)"))
            .Where(m => m.Success
                && labels.All(l => m.Groups["labels"].Value.Contains($"{l.Label}=\"{l.Value}\"", StringComparison.Ordinal)))
            .ToList();
        Assert.True(matches.Count == 1,
            $"{matches.Count} samples of {name} {string.Join(",", labels)} in:\n{exposition}");
        return double.Parse(matches[0].Groups["value"].Value, CultureInfo.InvariantCulture);
    }
}
