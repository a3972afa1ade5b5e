using System.IO.Compression;
using Aigc.Platform.Accounts;
using Aigc.Platform.Data;
using Aigc.Platform.Queue;
using Aigc.Portal.Tests;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Aigc.Portal.BrowserTests;

public sealed class AdsComposerTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    private const string Logo = """
        <svg xmlns="http://www.w3.org/2000/svg" width="240" height="64" viewBox="0 0 240 64">
          <circle cx="32" cy="32" r="26" fill="#0b4f9c"/><circle cx="32" cy="32" r="10" fill="#f8fafc"/>
          <rect x="70" y="14" width="150" height="14" rx="3" fill="#0b4f9c"/><rect x="70" y="38" width="100" height="12" rx="3" fill="#f59e0b"/>
        </svg>
        """;

    [Fact]
    public async Task A_marketer_composes_an_ad_from_a_generated_blueprint_and_downloads_the_zip()
    {
        await using var host = new PortalHost();
        var marketer = await host.CreateUserAsync("mia@aigc.test", PortalRoles.Marketer);
        await host.CreateUserAsync("max@aigc.test", PortalRoles.Marketer);
        await host.CreateUserAsync("dan@aigc.test", PortalRoles.Designer);
        var blueprint = await GenerateAsync(host, new Requester(marketer.Id, [PortalRoles.Marketer]));
        var campaignPath = "";
        await using var session = await BrowserSession.OpenAsync(browser, host, 1440, 1000);
        await session.RunAsync(async () =>
        {
            var page = session.Page;
            await session.SignInAsync("mia@aigc.test", TestUsers.Password);

            await page.GotoAsync("/ads/kits");
            await Expect(page.Locator(".portal-shell[data-interactive='true']")).ToBeVisibleAsync();
            await page.GetByLabel("Team").FillAsync("Growth");
            await page.GetByLabel("Name", new() { Exact = true }).FillAsync("Northwind Gears");
            await page.GetByLabel("Default call to action").FillAsync("Order a sample");
            // In the test's own output folder: tests leave nothing in the system's temp directory.
            Directory.CreateDirectory(BrowserSession.OutputDirectory);
            var logo = Path.Combine(BrowserSession.OutputDirectory, $"logo-{Guid.NewGuid():N}.svg");
            await File.WriteAllTextAsync(logo, Logo);
            // The server has the file once the page names it. The file input reports to the server only once the
            // circuit has set it up (a JS call after its first render), so a file chosen earlier is chosen again.
            for (var attempt = 1; ; attempt++)
            {
                await page.GetByLabel("Logo (PNG or SVG)").SetInputFilesAsync(logo);
                try
                {
                    await Expect(page.GetByTestId("logo-chosen")).ToContainTextAsync(Path.GetFileName(logo), new() { Timeout = 10_000 });
                    break;
                }
                catch (PlaywrightException) when (attempt < 4)
                {
                }
            }
            await page.GetByTestId("save-kit").ClickAsync();
            await Expect(page.GetByTestId("brand-kit")).ToContainTextAsync("Northwind Gears");
            await Expect(page.Locator("[data-testid=brand-kit] img")).ToHaveJSPropertyAsync("naturalWidth", 240);

            // "Make an ad" links here with the blueprint; the preview renders once the circuit runs.
            await page.GotoAsync($"/ads/compose?blueprint={blueprint.Id}");
            await Expect(page.Locator(".portal-shell[data-interactive='true']")).ToBeVisibleAsync();
            await Expect(page.Locator($"[data-blueprint='{blueprint.Id}']")).ToHaveAttributeAsync("aria-pressed", "true");
            var preview = page.Locator("[data-testid=ad-preview] img");
            await Expect(preview).ToHaveJSPropertyAsync("naturalWidth", 1080);
            var first = await preview.GetAttributeAsync("src");
            await page.GetByLabel("Headline").PressSequentiallyAsync("Precision you can hold");
            await page.GetByLabel("Subline").FillAsync("Helical gears cut to 5 µm, shipped in a week.");
            await page.GetByLabel("Legal text").FillAsync("Prices excl. VAT. Offer valid until 31 Dec 2026.");
            await page.GetByLabel("Campaign name").FillAsync("Spring launch");
            // The preview follows the form (debounced): a new image at the chosen size, its warnings the texts.
            await page.GetByTestId("preview-size-1080x1350").ClickAsync();
            await Expect(preview).ToHaveAttributeAsync("alt", "Preview at 1080 × 1350");
            await Expect(preview).Not.ToHaveAttributeAsync("src", first!);
            await Expect(preview).ToHaveJSPropertyAsync("naturalHeight", 1350);
            await Expect(page.GetByTestId("ad-fits")).ToBeVisibleAsync();
            await Expect(page.GetByTestId("preview-busy")).ToHaveCountAsync(0);
            await page.EvaluateAsync("window.scrollTo(0, 0)");
            await session.ScreenshotAsync("ads-composer.png");
            await page.GetByTestId("theme-toggle").ClickAsync();
            await Expect(page.Locator(".portal-shell[data-theme='dark']")).ToBeVisibleAsync();
            // The pointer leaves the toggle, so its tooltip is not in the picture.
            await page.Mouse.MoveAsync(700, 600);
            await Expect(page.GetByRole(AriaRole.Tooltip)).ToHaveCountAsync(0);
            await session.ScreenshotAsync("ads-composer-dark.png");
            await page.GetByTestId("theme-toggle").ClickAsync();
            await Expect(page.Locator(".portal-shell[data-theme='light']")).ToBeVisibleAsync();

            await page.GetByTestId("render-all").ClickAsync();
            await page.WaitForURLAsync("**/ads/campaigns/*");
            campaignPath = new Uri(page.Url).AbsolutePath;
            await Expect(page.GetByTestId("render-tile")).ToHaveCountAsync(7);
            var download = await page.RunAndWaitForDownloadAsync(() => page.GetByTestId("download-zip").ClickAsync());
            Assert.Equal("spring-launch.zip", download.SuggestedFilename);
            using var zip = new ZipArchive(File.OpenRead(await download.PathAsync()));
            Assert.Equal(14, zip.Entries.Count);
            Assert.Contains(zip.Entries, e => e.FullName == "spring-launch_1080x1080_v1.png");
            Assert.Contains(zip.Entries, e => e.FullName == "spring-launch_728x90_v1.jpg");
            // Every tile's PNG decodes in the browser at its size (the tiles load lazily, so each is brought into view).
            foreach (var tile in await page.Locator("[data-testid=render-tile] img").AllAsync())
            {
                await tile.ScrollIntoViewIfNeededAsync();
                var width = int.Parse((await tile.GetAttributeAsync("alt"))!.Split(' ')[0]);
                await Expect(tile).ToHaveJSPropertyAsync("naturalWidth", width);
            }

            await page.EvaluateAsync("window.scrollTo(0, 0)");
            await session.ScreenshotAsync("ads-campaign.png");
            await page.GotoAsync("/ads");
            await Expect(page.GetByTestId("campaign-row")).ToContainTextAsync("Spring launch");
        });

        await using var other = await BrowserSession.OpenAsync(browser, host);
        await other.RunAsync(async () =>
        {
            await other.SignInAsync("max@aigc.test", TestUsers.Password);
            // Someone else's campaign answers exactly like a missing one: 404, the same page, no name shown.
            var theirs = await other.Context.APIRequest.GetAsync(campaignPath);
            var missing = await other.Context.APIRequest.GetAsync($"/ads/campaigns/{Guid.NewGuid()}");
            Assert.Equal((404, 404), (theirs.Status, missing.Status));
            Assert.DoesNotContain("Spring launch", await theirs.TextAsync());
            Assert.Equal(404, (await other.Context.APIRequest.GetAsync(campaignPath + "/zip")).Status);
            await other.Page.GotoAsync("/ads");
            await Expect(other.Page.GetByTestId("empty-state")).ToBeVisibleAsync();
        });

        await using var designer = await BrowserSession.OpenAsync(browser, host);
        await designer.RunAsync(async () =>
        {
            await designer.SignInAsync("dan@aigc.test", TestUsers.Password);
            await Expect(designer.Page.GetByTestId("main-nav")).Not.ToContainTextAsync("Ads");
            // Through the context's request API (same cookies): a 403 page load would count as a console error.
            var response = await designer.Context.APIRequest.GetAsync("/ads");
            Assert.Equal(403, response.Status);
            Assert.Contains("data-testid=\"error-403\"", await response.TextAsync());
        });
    }

    private static async Task<Blueprint> GenerateAsync(PortalHost host, Requester requester)
    {
        GenerationJob job;
        await using (var scope = host.Services.CreateAsyncScope())
        {
            // Marketers may not generate (GenerationPolicy): the image is queued in the marketer's name as a designer would.
            job = await scope.ServiceProvider.GetRequiredService<GenerationQueue>().EnqueueAsync(new GenerationRequest("blueprints-64",
                new Dictionary<string, string> { ["part"] = "spur_gear", ["view"] = "front", ["complexity"] = "low" }, 1, 42),
                requester with { Roles = [PortalRoles.Designer] });
        }
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await foreach (var progress in host.Services.GetRequiredService<JobProgressFeed>().WatchAsync(job.Id, requester, timeout.Token))
            if (progress.IsFinal) Assert.Equal(JobStatus.Completed, progress.Status);
        return await host.QueryAsync(db => db.Blueprints.AsNoTracking().SingleAsync(b => b.JobId == job.Id));
    }
}
