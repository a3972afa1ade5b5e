using Aigc.Platform.Accounts;
using Aigc.Platform.Queue;
using Aigc.Portal.Tests;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Aigc.Portal.BrowserTests;

public sealed class ModelAdminBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task An_admin_sees_the_active_shipped_model_with_its_sample_grid_and_a_status_page_that_refreshes()
    {
        await using var host = new PortalHost();
        await using var admin = await BrowserSession.OpenAsync(browser, host, 1280, 1000);

        await admin.RunAsync(async () =>
        {
            var page = admin.Page;
            await admin.SignInAsync(PortalHost.AdminEmail, PortalHost.AdminPassword);
            await page.GotoAsync("/admin/users");
            await page.GetByRole(AriaRole.Link, new() { Name = "Models", Exact = true }).ClickAsync();
            await page.WaitForURLAsync("**/admin/models");
            var row = page.Locator("[data-testid=model-row][data-version=v2]");
            await Expect(row.GetByTestId("model-status")).ToHaveTextAsync("active");
            await Expect(row).ToContainTextAsync("GAN-test 99.3%");
            await admin.ScreenshotAsync("admin-models-list.png");

            await row.GetByRole(AriaRole.Link, new() { Name = "v2" }).ClickAsync();
            var samples = page.GetByTestId("model-samples");
            await Expect(samples).ToBeVisibleAsync();
            // Visible comes before loaded: wait for the image to finish, then require real pixels.
            await Expect(samples).ToHaveJSPropertyAsync("complete", true);
            Assert.True(await samples.EvaluateAsync<int>("img => img.complete ? img.naturalWidth : 0") > 0, "the sample grid did not load");
            await Expect(page.GetByTestId("model-card")).ToContainTextAsync("Known weakness");
            await admin.ScreenshotAsync("admin-models.png");
        });

        var requester = new Requester((await host.FindUserAsync(PortalHost.AdminEmail)).Id, [PortalRoles.Admin]);
        await using (var scope = host.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<GenerationQueue>().EnqueueAsync(new GenerationRequest("blueprints-64",
                new Dictionary<string, string> { ["part"] = "flange", ["view"] = "section", ["complexity"] = "high" }, 24, 3), requester);
        }

        await admin.RunAsync(async () =>
        {
            var page = admin.Page;
            await page.GetByRole(AriaRole.Link, new() { Name = "Status", Exact = true }).ClickAsync();
            await page.WaitForURLAsync("**/admin/status");
            await Expect(page.GetByTestId("device-name")).ToContainTextAsync("CPU");
            // Only the panel's own 2-second refresh can show the job's completion: the page is not reloaded.
            await Expect(page.Locator("[data-testid=latency-completion] td").Last).ToHaveTextAsync("1", new() { Timeout = 60_000 });
            await Expect(page.GetByTestId("loaded-models")).ToContainTextAsync("blueprints-64@v2");
            await admin.ScreenshotAsync("admin-status.png");
        });
    }
}
