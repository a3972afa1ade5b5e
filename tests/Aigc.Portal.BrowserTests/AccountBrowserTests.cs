using System.Net;
using Aigc.Platform.Accounts;
using Aigc.Portal.Tests;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Aigc.Portal.BrowserTests;

public sealed class AccountBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task The_sign_in_page_speaks_english_and_chinese_validation_included()
    {
        await using var host = new PortalHost();
        await host.CreateUserAsync("lin@aigc.test", PortalRoles.Designer);
        await using var session = await BrowserSession.OpenAsync(browser, host);
        await session.RunAsync(async () =>
        {
            var page = session.Page;
            await page.GotoAsync("/account/login");
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Sign in" })).ToBeVisibleAsync();
            await Expect(page.GetByLabel("Email")).ToBeVisibleAsync();
            await session.ScreenshotAsync("login.png");

            await page.Locator("[data-culture='zh-Hans']").ClickAsync();
            await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "zh-Hans");
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "登录" })).ToBeVisibleAsync();
            await Expect(page.GetByLabel("电子邮件")).ToBeVisibleAsync();
            await Expect(page.GetByLabel("密码")).ToBeVisibleAsync();
            // Nothing typed: the server's validation answers in Chinese.
            await page.GetByTestId("sign-in").ClickAsync();
            await Expect(page.Locator(".auth-error").First).ToHaveTextAsync("请填写电子邮件。");
            await page.GetByLabel("电子邮件").FillAsync("not-an-email");
            await page.GetByTestId("sign-in").ClickAsync();
            await Expect(page.Locator(".auth-error").First).ToHaveTextAsync("请输入有效的电子邮件地址。");
            await page.GetByLabel("电子邮件").FillAsync("lin@aigc.test");
            await page.GetByLabel("密码").FillAsync("wrong-password-1A");
            await page.GetByTestId("sign-in").ClickAsync();
            await Expect(page.GetByTestId("login-message")).ToHaveTextAsync("电子邮件或密码不正确。");
            await session.ScreenshotAsync("login-zh.png");

            await page.Locator("[data-culture='en']").ClickAsync();
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Sign in" })).ToBeVisibleAsync();
        });
    }

    [Fact]
    public async Task A_token_is_created_shown_once_copied_and_revoked_after_a_confirmation()
    {
        await using var host = new PortalHost();
        await host.CreateUserAsync("ada@aigc.test", PortalRoles.Designer);
        await using var session = await BrowserSession.OpenAsync(browser, host);
        await session.Context.GrantPermissionsAsync(["clipboard-read", "clipboard-write"],
            new() { Origin = host.BaseAddress.GetLeftPart(UriPartial.Authority) });
        await session.RunAsync(async () =>
        {
            var page = session.Page;
            await session.SignInAsync("ada@aigc.test", TestUsers.Password);
            await page.GotoAsync("/account");
            await Expect(page.Locator(".portal-shell[data-interactive='true']")).ToBeVisibleAsync();
            var panel = page.GetByTestId("api-tokens");
            await panel.GetByLabel("Name").FillAsync("nightly batch");
            await panel.GetByRole(AriaRole.Button, new() { Name = "Create token" }).ClickAsync();
            var secret = (await page.GetByTestId("token-secret").TextContentAsync())!.Trim();
            Assert.StartsWith("aigc_", secret);
            await Expect(page.GetByTestId("token-row")).ToContainTextAsync("nightly batch");
            await session.ScreenshotAsync("account.png");

            await page.GetByTestId("token-copy").ClickAsync();
            await Expect(page.Locator(".mud-snackbar")).ToContainTextAsync("copied");
            Assert.Equal(secret, await page.EvaluateAsync<string>("navigator.clipboard.readText()"));

            using var script = host.NewClient();
            Assert.Equal(HttpStatusCode.OK, (await script.SendApiAsync(HttpMethod.Get, "/api/models", bearer: secret)).StatusCode);

            // Revoking asks first; cancelling keeps the token working.
            await page.GetByTestId("token-revoke").ClickAsync();
            var dialog = page.Locator(".mud-dialog");
            await Expect(dialog).ToContainTextAsync("Revoke the token “nightly batch”?");
            await dialog.GetByRole(AriaRole.Button, new() { Name = "Cancel" }).ClickAsync();
            await Expect(dialog).ToHaveCountAsync(0);
            Assert.Equal(HttpStatusCode.OK, (await script.SendApiAsync(HttpMethod.Get, "/api/models", bearer: secret)).StatusCode);

            await page.GetByTestId("token-revoke").ClickAsync();
            await dialog.GetByRole(AriaRole.Button, new() { Name = "Revoke" }).ClickAsync();
            await Expect(page.GetByTestId("token-row")).ToContainTextAsync("Revoked");
            await Expect(page.GetByTestId("token-secret")).ToHaveCountAsync(0);
            Assert.Equal(HttpStatusCode.Unauthorized, (await script.SendApiAsync(HttpMethod.Get, "/api/models", bearer: secret)).StatusCode);

            await page.ReloadAsync();
            await Expect(page.GetByTestId("token-row")).ToContainTextAsync("Revoked");
            await Expect(page.GetByTestId("token-secret")).ToHaveCountAsync(0);
        });
    }
}
