using System.Security.Claims;
using Aigc.Platform.Accounts;
using Aigc.Platform.Ads;
using Aigc.Platform.Data;
using Aigc.Platform.Queue;
using Aigc.Portal.Tests;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Aigc.Portal.BrowserTests;

/// <summary>
/// Every main page in the light and the dark theme, with content (an admin's blueprints, a brand kit and a campaign):
/// each renders over its circuit without a console error and shows its one h1; the PNGs go to browser-output/pages/
/// for docs/screenshots.
/// </summary>
public sealed class PageScreenshotTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task Every_main_page_renders_in_both_themes()
    {
        await using var host = new PortalHost();
        var (blueprint, campaign) = await ContentAsync(host);
        var model = await host.QueryAsync(db => db.ModelVersions.Where(m => m.Version == "v2")
            .Select(m => m.WeightsSha256).SingleAsync());
        var pages = new (string Name, string Path)[]
        {
            ("home", "/"), ("studio", "/studio"), ("gallery", "/gallery"), ("collections", "/gallery/collections"),
            ("blueprint", $"/gallery/blueprints/{blueprint}"), ("ads", "/ads"), ("ads-composer", "/ads/compose"),
            ("ads-kits", "/ads/kits"), ("ads-campaign", $"/ads/campaigns/{campaign}"), ("admin-users", "/admin/users"),
            ("admin-invites", "/admin/invites"), ("admin-audit", "/admin/audit"),
            ("admin-models-list", "/admin/models"),
            ("admin-models", $"/admin/models/{model}"), ("admin-status", "/admin/status"), ("account", "/account"),
        };
        await using var session = await BrowserSession.OpenAsync(browser, host, width: 1440, height: 900);
        await session.RunAsync(async () =>
        {
            var page = session.Page;
            await session.SignInAsync(PortalHost.AdminEmail, PortalHost.AdminPassword);
            var folder = Path.Combine(BrowserSession.OutputDirectory, "pages");
            Directory.CreateDirectory(folder);
            foreach (var theme in new[] { "light", "dark" })
            {
                foreach (var (name, path) in pages)
                {
                    await page.GotoAsync(path);
                    await session.WaitForCircuitAsync();
                    await Expect(page.Locator(".portal-shell")).ToHaveAttributeAsync("data-theme", theme);
                    await Expect(page.Locator("h1")).ToHaveCountAsync(1);
                    await page.WaitForFunctionAsync("() => [...document.images].every(i => i.complete)");
                    // A data grid's rows arrive after the circuit asks for them; its progress bar shows until then.
                    await Expect(page.Locator(".mud-table-loading-progress")).ToHaveCountAsync(0);
                    if (name == "gallery")
                    {
                        // A tile's actions fade in on hover.
                        await page.GetByTestId("tile").Nth(1).HoverAsync();
                        await Expect(page.GetByTestId("tile").Nth(1).Locator(".tile-actions"))
                            .ToHaveCSSAsync("opacity", "1");
                    }
                    await page.WaitForFunctionAsync(BrowserSession.TransitionsEnded);
                    var file = theme == "light" ? $"{name}.png" : $"{name}-dark.png";
                    await page.ScreenshotAsync(new()
                    {
                        Path = Path.Combine(folder, file), Caret = ScreenshotCaret.Initial,
                    });
                }

                // The lightbox, over the gallery.
                await page.GotoAsync("/gallery");
                await session.WaitForCircuitAsync();
                // A click before the gallery's script is attached follows the tile's link to the blueprint's page.
                await Expect(page.Locator("[data-testid=gallery][data-glue=attached]")).ToHaveCountAsync(1);
                var first = page.GetByTestId("tile").First;
                var id = await first.GetAttributeAsync("data-id");
                await first.Locator(".tile-open").ClickAsync();
                await Expect(page.GetByTestId("lightbox")).ToHaveAttributeAsync("data-lightbox", id!);
                await page.WaitForFunctionAsync("() => [...document.images].every(i => i.complete)");
                await page.ScreenshotAsync(new()
                {
                    Path = Path.Combine(folder, theme == "light" ? "lightbox.png" : "lightbox-dark.png"),
                    Caret = ScreenshotCaret.Initial,
                });
                await page.Keyboard.PressAsync("Escape");

                if (theme == "light")
                {
                    await page.GetByTestId("theme-toggle").ClickAsync();
                    await Expect(page.Locator(".portal-shell")).ToHaveAttributeAsync("data-theme", "dark");
                }
            }
        });
    }

    /// <summary>Six blueprints of the admin's, a brand kit and a campaign showing two of them.</summary>
    private static async Task<(Guid Blueprint, Guid Campaign)> ContentAsync(PortalHost host)
    {
        var admin = await host.FindUserAsync(PortalHost.AdminEmail);
        var requester = new Requester(admin.Id, [PortalRoles.Admin]);
        GenerationJob job;
        await using (var scope = host.Services.CreateAsyncScope())
        {
            var conditions = new Dictionary<string, string>
            {
                ["part"] = "spur_gear", ["view"] = "front", ["complexity"] = "low",
            };
            job = await scope.ServiceProvider.GetRequiredService<GenerationQueue>()
                .EnqueueAsync(new GenerationRequest("blueprints-64", conditions, 6, 42), requester);
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        var feed = host.Services.GetRequiredService<JobProgressFeed>();
        await foreach (var progress in feed.WatchAsync(job.Id, requester, timeout.Token))
        {
            if (progress.IsFinal)
                Assert.Equal(JobStatus.Completed, progress.Status);
        }

        var blueprints = await host.QueryAsync(db => db.Blueprints.Where(b => b.JobId == job.Id).OrderBy(b => b.Index)
            .Select(b => b.Id).ToListAsync());
        var principal = new ClaimsPrincipal(new ClaimsIdentity(
            [new Claim(ClaimTypes.NameIdentifier, admin.Id), new Claim(ClaimTypes.Name, admin.Email!),
             new Claim(ClaimTypes.Role, PortalRoles.Admin)], "test"));
        await using (var scope = host.Services.CreateAsyncScope())
        {
            var kitForm = new BrandKitForm("Growth", "Northwind", "#0b4f9c", "#f59e0b", "#f8fafc",
                "Inter", "Learn more");
            var kit = await scope.ServiceProvider.GetRequiredService<BrandKits>()
                .SaveAsync(null, kitForm, null, false, principal);
            var campaigns = scope.ServiceProvider.GetRequiredService<AdCampaigns>();
            var campaign = await campaigns.SaveAsync(null, new CampaignForm("Spring launch", kit.Id, "hero",
                "Precision you can hold", "Helical gears cut to 5 µm, shipped in a week.", "Order a sample", "", "",
                ["300x250", "728x90"], [blueprints[0], blueprints[1]]), requester);
            await campaigns.RenderAsync(campaign.Id, requester, default);
            return (blueprints[0], campaign.Id);
        }
    }
}
