using System.Net;
using Aigc.Platform.Accounts;
using Aigc.Portal.Tests;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Aigc.Portal.BrowserTests;

public sealed class ApiTokenBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task A_token_is_created_shown_once_and_revoked_on_the_account_page()
    {
        await using var host = new PortalHost();
        await host.CreateUserAsync("ada@aigc.test", PortalRoles.Designer);
        await using var session = await BrowserSession.OpenAsync(browser, host);
        await session.RunAsync(async () =>
        {
            var page = session.Page;
            await session.SignInAsync("ada@aigc.test", TestUsers.Password);
            await page.GotoAsync("/account");
            await page.GetByLabel("Name", new() { Exact = true }).FillAsync("nightly batch");
            await page.GetByRole(AriaRole.Button, new() { Name = "Create token" }).ClickAsync();
            var secret = await page.GetByTestId("token-secret").InputValueAsync();
            Assert.StartsWith("aigc_", secret);
            await Expect(page.GetByTestId("token-row")).ToContainTextAsync("nightly batch");
            await session.ScreenshotAsync("account-api-tokens.png");

            using var script = host.NewClient();
            Assert.Equal(HttpStatusCode.OK, (await script.SendApiAsync(HttpMethod.Get, "/api/models", bearer: secret)).StatusCode);

            page.Dialog += (_, dialog) => dialog.AcceptAsync();
            await page.GetByTestId("token-revoke").ClickAsync();
            await Expect(page.GetByTestId("token-notice")).ToContainTextAsync("Revoked");
            await Expect(page.GetByTestId("token-secret")).ToHaveCountAsync(0);
            Assert.Equal(HttpStatusCode.Unauthorized, (await script.SendApiAsync(HttpMethod.Get, "/api/models", bearer: secret)).StatusCode);
        });
    }
}
