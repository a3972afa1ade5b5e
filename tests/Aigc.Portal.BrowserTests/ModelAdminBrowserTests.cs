using Aigc.Platform.Accounts;
using Aigc.Platform.Data;
using Aigc.Platform.Queue;
using Aigc.Portal.Tests;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Aigc.Portal.BrowserTests;

public sealed class ModelAdminBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task An_admin_lists_models_opens_one_with_its_sample_grid_is_refused_a_too_large_upload_and_activates_after_confirming()
    {
        await using var host = new PortalHost(new Dictionary<string, string?> { ["Registry:MaxUploadMegabytes"] = "1" });
        await host.CreateUserAsync("li.wei@factory.test", PortalRoles.Designer);
        await host.CreateUserAsync("marketing@factory.test", PortalRoles.Marketer, PortalRoles.Viewer);
        await using var admin = await BrowserSession.OpenAsync(browser, host, 1280, 1000);

        await admin.RunAsync(async () =>
        {
            var page = admin.Page;
            await admin.SignInAsync(PortalHost.AdminEmail, PortalHost.AdminPassword);
            await page.GotoAsync("/admin/users");
            await admin.WaitForCircuitAsync();
            await Expect(page.GetByTestId("user-row").First).ToBeVisibleAsync();
            await admin.ScreenshotAsync("admin-users.png");
            await page.GetByRole(AriaRole.Link, new() { Name = "Models", Exact = true }).ClickAsync();
            await page.WaitForURLAsync("**/admin/models");
            var row = page.Locator("[data-testid=model-row][data-version=v2]");
            await Expect(row.GetByTestId("model-status")).ToHaveTextAsync("active");
            await Expect(row).ToContainTextAsync("GAN-test 99.3%");
            await admin.ScreenshotAsync("admin-models-list.png");

            // Too large: refused at once with the limit, and again by the server when sent anyway; never a 500.
            await page.GetByTestId("upload-version").FillAsync("v3");
            await page.GetByTestId("upload-manifest").SetInputFilesAsync(new FilePayload
            {
                Name = "manifest.json", MimeType = "application/json",
                Buffer = await File.ReadAllBytesAsync(Path.Combine(PortalHost.ShippedModels, "blueprints", "manifest.json")),
            });
            await page.GetByTestId("upload-weights").SetInputFilesAsync(new FilePayload
            {
                Name = "generator.safetensors", MimeType = "application/octet-stream", Buffer = new byte[2 * 1024 * 1024],
            });
            var tooLarge = page.GetByTestId("upload-error-weights");
            await Expect(tooLarge).ToHaveTextAsync("The files add up to more than 1 MB, the most accepted. Nothing was registered.");
            await page.GetByTestId("upload-submit").ClickAsync();
            await Expect(page.GetByTestId("upload-refused")).ToBeVisibleAsync();
            await Expect(tooLarge).ToContainTextAsync("more than 1 MB");

            // Activating asks first; cancelling changes nothing, confirming moves the active pointer.
            var v1 = page.Locator("[data-testid=model-row][data-version=v1]");
            await v1.GetByTestId("model-activate").ClickAsync();
            var dialog = page.Locator(".mud-dialog");
            await Expect(dialog).ToContainTextAsync("Activate blueprints-64@v1?");
            await dialog.GetByRole(AriaRole.Button, new() { Name = "Cancel" }).ClickAsync();
            await Expect(dialog).ToHaveCountAsync(0);
            await Expect(v1.GetByTestId("model-status")).ToHaveTextAsync("draft");
            await v1.GetByTestId("model-activate").ClickAsync();
            await dialog.GetByRole(AriaRole.Button, new() { Name = "Activate" }).ClickAsync();
            await Expect(v1.GetByTestId("model-status")).ToHaveTextAsync("active");
            await Expect(row.GetByTestId("model-status")).ToHaveTextAsync("draft");
            await Expect(page.GetByTestId("model-rollback")).ToHaveTextAsync("Roll back to v2");

            // Restricting is a toggle per role, saved as it is clicked.
            await row.GetByTestId("model-role-Marketer").ClickAsync();
            await Expect(page.GetByText("blueprints-64@v2 is open to Marketer only (admins always).")).ToBeVisibleAsync();
            await Expect(row).ToContainTextAsync("only these (and admins)");

            await row.GetByRole(AriaRole.Link, new() { Name = "v2" }).ClickAsync();
            var samples = page.GetByTestId("model-samples");
            await Expect(samples).ToBeVisibleAsync();
            // Visible comes before loaded: wait for the image to finish, then require real pixels.
            await Expect(samples).ToHaveJSPropertyAsync("complete", true);
            Assert.True(await samples.EvaluateAsync<int>("img => img.complete ? img.naturalWidth : 0") > 0, "the sample grid did not load");
            await Expect(page.GetByTestId("model-card")).ToContainTextAsync("Known weakness");
            await admin.ScreenshotAsync("admin-models.png");
        });
        var versions = await host.QueryAsync(db => db.ModelVersions.AsNoTracking().OrderBy(m => m.Version).ToListAsync());
        Assert.Equal([("v1", ModelVersionStatus.Active, ""), ("v2", ModelVersionStatus.Draft, "Marketer")],
            versions.Select(m => (m.Version, m.Status, m.AllowedRoles)));
        var audit = await host.QueryAsync(db => db.AuditEntries.AsNoTracking().Where(a => a.Action.StartsWith("model.") && a.ActorName != "system")
            .OrderBy(a => a.Id).Select(a => a.Action).ToListAsync());
        Assert.Equal(["model.activate", "model.restrict"], audit);
    }

    [Fact]
    public async Task An_admin_creates_an_invite_link_and_watches_the_status_page_update_itself_when_a_job_runs()
    {
        await using var host = new PortalHost();
        await using var admin = await BrowserSession.OpenAsync(browser, host, 1280, 900);
        await admin.RunAsync(async () =>
        {
            var page = admin.Page;
            await admin.SignInAsync(PortalHost.AdminEmail, PortalHost.AdminPassword);
            await page.GotoAsync("/admin/invites");
            await admin.WaitForCircuitAsync();
            await page.GetByTestId("invite-email").FillAsync("not-an-address");
            await page.GetByTestId("create-invite").ClickAsync();
            await Expect(page.GetByText("Enter a valid email address, or leave it empty.")).ToBeVisibleAsync();
            await page.GetByTestId("invite-email").FillAsync("new.engineer@factory.test");
            await page.GetByTestId("create-invite").ClickAsync();
            await Expect(page.GetByTestId("invite-link")).ToHaveValueAsync(new System.Text.RegularExpressions.Regex("/account/register\\?invite=.+"));
            await Expect(page.GetByTestId("copy-invite-link")).ToBeVisibleAsync();
            await Expect(page.GetByTestId("invite-list")).ToContainTextAsync("new.engineer@factory.test");
            await Expect(page.GetByTestId("invite-row")).ToHaveCountAsync(1);
            await admin.ScreenshotAsync("admin-invites.png");

            // A whole version streams over the circuit to the registry, which checks it: known weights are refused.
            await page.GetByRole(AriaRole.Link, new() { Name = "Models", Exact = true }).ClickAsync();
            await page.WaitForURLAsync("**/admin/models");
            await page.GetByTestId("upload-version").FillAsync("v1-again");
            var shipped = Path.Combine(PortalHost.ShippedModels, "blueprints");
            await page.GetByTestId("upload-manifest").SetInputFilesAsync(Path.Combine(shipped, "manifest.json"));
            await page.GetByTestId("upload-weights").SetInputFilesAsync(Path.Combine(shipped, "v1", "generator.safetensors"));
            await page.GetByTestId("upload-submit").ClickAsync();
            await Expect(page.GetByTestId("upload-error-weights"))
                .ToContainTextAsync("already registered as blueprints-64@v1", new() { Timeout = 60_000 });

            await page.GetByRole(AriaRole.Link, new() { Name = "Status", Exact = true }).ClickAsync();
            await page.WaitForURLAsync("**/admin/status");
            await Expect(page.GetByTestId("device-name")).ToContainTextAsync("CPU");
            await Expect(page.Locator("[data-testid=latency-completion] td").Last).ToHaveTextAsync("0");
        });

        var requester = new Requester((await host.FindUserAsync(PortalHost.AdminEmail)).Id, [PortalRoles.Admin]);
        await using (var scope = host.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<GenerationQueue>().EnqueueAsync(new GenerationRequest("blueprints-64",
                new Dictionary<string, string> { ["part"] = "flange", ["view"] = "section", ["complexity"] = "high" }, 4, 3), requester);
        }

        await admin.RunAsync(async () =>
        {
            var page = admin.Page;
            // The page is not reloaded and the browser does not poll: only the circuit can bring the completion.
            await Expect(page.Locator("[data-testid=latency-completion] td").Last).ToHaveTextAsync("1", new() { Timeout = 90_000 });
            await Expect(page.GetByTestId("loaded-models")).ToContainTextAsync("blueprints-64@v2");
            await admin.ScreenshotAsync("admin-status.png");
            await page.GetByTestId("theme-toggle").ClickAsync();
            await Expect(page.Locator(".portal-shell")).ToHaveAttributeAsync("data-theme", "dark");
            await page.Mouse.MoveAsync(600, 880);
            await Expect(page.GetByRole(AriaRole.Tooltip)).ToHaveCountAsync(0);
            await admin.ScreenshotAsync("admin-status-dark.png");
        });
    }
}
