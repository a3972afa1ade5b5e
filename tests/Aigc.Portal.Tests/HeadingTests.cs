using System.Reflection;
using System.Security.Claims;
using Aigc.Platform.Accounts;
using Aigc.Platform.Ads;
using Aigc.Platform.Data;
using Aigc.Platform.Queue;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Aigc.Portal.Tests;

/// <summary>
/// Every routed page has exactly one h1: the page's title, where FocusOnNavigate puts the focus after a navigation and
/// where a screen reader's heading list starts. The routes come from the compiled portal, so a new page is checked too.
/// </summary>
public sealed class HeadingTests : IAsyncLifetime
{
    private readonly PortalHost _host = new();
    private Guid _blueprint;
    private Guid _campaign;
    private string _model = "";

    public async Task InitializeAsync()
    {
        var admin = await _host.FindUserAsync(PortalHost.AdminEmail);
        var requester = new Requester(admin.Id, [PortalRoles.Admin]);
        GenerationJob job;
        await using (var scope = _host.Services.CreateAsyncScope())
        {
            var conditions = new Dictionary<string, string>
            {
                ["part"] = "flange", ["view"] = "front", ["complexity"] = "low",
            };
            job = await scope.ServiceProvider.GetRequiredService<GenerationQueue>()
                .EnqueueAsync(new GenerationRequest("blueprints-64", conditions, 1, 5), requester);
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        var feed = _host.Services.GetRequiredService<JobProgressFeed>();
        await foreach (var progress in feed.WatchAsync(job.Id, requester, timeout.Token))
        {
            if (progress.IsFinal)
                Assert.Equal(JobStatus.Completed, progress.Status);
        }

        _blueprint = await _host.QueryAsync(db =>
            db.Blueprints.Where(b => b.JobId == job.Id).Select(b => b.Id).SingleAsync());
        _model = await _host.QueryAsync(db => db.ModelVersions.Select(m => m.WeightsSha256).FirstAsync());
        var principal = new ClaimsPrincipal(new ClaimsIdentity(
            [new Claim(ClaimTypes.NameIdentifier, admin.Id), new Claim(ClaimTypes.Role, PortalRoles.Admin)], "test"));
        await using (var scope = _host.Services.CreateAsyncScope())
        {
            var kitForm = new BrandKitForm("Growth", "Northwind", "#0b4f9c", "#f59e0b", "#f8fafc", "Inter", "Go");
            var kit = await scope.ServiceProvider.GetRequiredService<BrandKits>()
                .SaveAsync(null, kitForm, null, false, principal);
            var campaigns = scope.ServiceProvider.GetRequiredService<AdCampaigns>();
            var campaign = await campaigns.SaveAsync(null, new CampaignForm(
                "Spring", kit.Id, "hero", "Precision you can hold", "Cut to 5 µm.", "Order a sample", "", "",
                ["300x250"], [_blueprint]), requester);
            _campaign = campaign.Id;
        }
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Every_routed_page_renders_exactly_one_h1()
    {
        using var admin = _host.NewClient();
        await admin.SignInOrFailAsync(PortalHost.AdminEmail, PortalHost.AdminPassword);
        var pages = typeof(Program).Assembly.GetTypes()
            .SelectMany(t => t.GetCustomAttributes<RouteAttribute>().Select(r => (Type: t, r.Template)))
            .OrderBy(p => p.Template, StringComparer.Ordinal)
            .ToList();
        Assert.True(pages.Count >= 20, $"only {pages.Count} routed pages found");

        var failures = new List<string>();
        foreach (var (type, template) in pages)
        {
            var path = Path(type, template);
            var response = await admin.GetAsync(path);
            var document = PortalClient.Parse(await response.Content.ReadAsStringAsync());
            var headings = document.QuerySelectorAll("h1").Select(h => h.TextContent.Trim()).ToList();
            if (headings.Count != 1 || headings[0].Length == 0)
                failures.Add($"{path} ({type.Name}, {(int)response.StatusCode}): {headings.Count} h1 " +
                             $"[{string.Join(" | ", headings)}]");
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    /// <summary>The template filled with the admin's own items, so the page shows what it normally shows.</summary>
    private string Path(Type page, string template) => template
        .Replace("{Sha}", _model, StringComparison.Ordinal)
        .Replace("{Id:guid}", $"{(page.Name.Contains("Campaign", StringComparison.Ordinal) ? _campaign : _blueprint)}",
            StringComparison.Ordinal);
}
