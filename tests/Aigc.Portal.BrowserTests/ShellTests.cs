using Aigc.Platform.Accounts;
using Aigc.Portal.Tests;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Aigc.Portal.BrowserTests;

public sealed class ShellTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task Register_approve_sign_in_and_see_only_what_the_role_allows()
    {
        await using var host = new PortalHost();
        await using var user = await BrowserSession.OpenAsync(browser, host);
        await using var admin = await BrowserSession.OpenAsync(browser, host);

        await user.RunAsync(async () =>
        {
            var page = user.Page;
            await page.GotoAsync("/account/register");
            await page.GetByLabel("Name").FillAsync("Grace Designer");
            await page.GetByLabel("Email").FillAsync("grace@aigc.test");
            await page.GetByLabel("Password", new() { Exact = true }).FillAsync(TestUsers.Password);
            await page.GetByLabel("Confirm password").FillAsync(TestUsers.Password);
            await page.GetByTestId("register").ClickAsync();
            await Expect(page.GetByTestId("login-message")).ToContainTextAsync("administrator will approve");

            await page.GetByLabel("Email").FillAsync("grace@aigc.test");
            await page.GetByLabel("Password").FillAsync(TestUsers.Password);
            await page.GetByTestId("sign-in").ClickAsync();
            await Expect(page.GetByTestId("login-message")).ToContainTextAsync("waiting for an administrator's approval");
        });

        await admin.RunAsync(async () =>
        {
            var page = admin.Page;
            await admin.SignInAsync(PortalHost.AdminEmail, PortalHost.AdminPassword);
            // The live count arrives over Server-Sent Events.
            await Expect(page.GetByTestId("pending-count")).ToHaveTextAsync("1");
            await page.GetByTestId("main-nav").GetByRole(AriaRole.Link, new() { Name = "Admin" }).ClickAsync();
            // Typing before the page's scripts ran would go unseen by htmx: wait for the load event.
            await page.WaitForURLAsync("**/admin/users");
            await page.GetByTestId("user-search").FillAsync("grace");
            await Expect(page.GetByTestId("user-count")).ToContainTextAsync("1 user matching");
            await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/admin/users\\?q=grace"));
            var row = page.Locator("[data-email='grace@aigc.test']");
            await row.GetByTestId("user-approve").ClickAsync();
            await Expect(row).ToContainTextAsync("Approved. The user can sign in now.");
            await Expect(page.GetByTestId("pending-count")).ToHaveTextAsync("");
        });

        await user.RunAsync(async () =>
        {
            await user.SignInAsync("grace@aigc.test", TestUsers.Password);
            var nav = user.Page.GetByTestId("main-nav");
            await Expect(nav).ToContainTextAsync("Gallery");
            await Expect(nav).Not.ToContainTextAsync("Studio");
            await Expect(nav).Not.ToContainTextAsync("Admin");
        });

        await admin.RunAsync(async () =>
        {
            var row = admin.Page.Locator("[data-email='grace@aigc.test']");
            await row.Locator("label", new() { HasText = PortalRoles.Designer }).ClickAsync();
            await Expect(row).ToContainTextAsync("Roles saved: Designer, Viewer.");
        });

        await user.RunAsync(async () =>
        {
            await user.Page.ReloadAsync();
            await Expect(user.Page.GetByTestId("main-nav")).ToContainTextAsync("Studio");
            await user.Page.GetByTestId("main-nav").GetByRole(AriaRole.Link, new() { Name = "Studio" }).ClickAsync();
            await Expect(user.Page.Locator("h1")).ToHaveTextAsync("Studio");
        });
    }

    [Fact]
    public async Task The_theme_choice_survives_a_reload()
    {
        await using var host = new PortalHost();
        await using var session = await BrowserSession.OpenAsync(browser, host);
        await session.RunAsync(async () =>
        {
            var page = session.Page;
            await session.SignInAsync(PortalHost.AdminEmail, PortalHost.AdminPassword);
            var html = page.Locator("html");
            await Expect(html).ToHaveAttributeAsync("data-bs-theme", "light");
            await page.GetByTestId("theme-toggle").ClickAsync();
            await Expect(html).ToHaveAttributeAsync("data-bs-theme", "dark");
            await page.ReloadAsync();
            await Expect(html).ToHaveAttributeAsync("data-bs-theme", "dark");
            await page.GotoAsync("/admin/users");
            await Expect(html).ToHaveAttributeAsync("data-bs-theme", "dark");
            await session.ScreenshotAsync("shell-dark.png");
            await page.GetByTestId("theme-toggle").ClickAsync();
            await page.ReloadAsync();
            await Expect(html).ToHaveAttributeAsync("data-bs-theme", "light");
        });
    }

    [Fact]
    public async Task On_a_phone_the_navigation_folds_into_a_menu()
    {
        await using var host = new PortalHost();
        await host.CreateUserAsync("phone@aigc.test", PortalRoles.Designer, PortalRoles.Marketer);
        await using var session = await BrowserSession.OpenAsync(browser, host, width: 390, height: 844);
        await session.RunAsync(async () =>
        {
            var page = session.Page;
            await session.SignInAsync("phone@aigc.test", TestUsers.Password);
            var studio = page.GetByTestId("main-nav").GetByRole(AriaRole.Link, new() { Name = "Studio" });
            await Expect(studio).Not.ToBeVisibleAsync();
            await page.GetByLabel("Toggle navigation").ClickAsync();
            await Expect(studio).ToBeVisibleAsync();
            var overflow = await page.EvaluateAsync<bool>("document.documentElement.scrollWidth > window.innerWidth");
            Assert.False(overflow, "the page scrolls sideways at 390 px");
            await session.ScreenshotAsync("shell-phone.png");
        });
    }

    [Fact]
    public async Task Screenshot_of_the_signed_in_shell()
    {
        await using var host = new PortalHost();
        await host.CreateUserAsync("ada.lovelace@aigc.test", PortalRoles.Designer);
        await host.CreateUserAsync("grace.hopper@aigc.test", PortalRoles.Marketer);
        await host.CreateUserAsync("alan.turing@aigc.test", PortalRoles.Viewer);
        using var newcomer = host.NewClient();
        await newcomer.RegisterAsync("margaret.hamilton@aigc.test", TestUsers.Password, "Margaret Hamilton");
        await using var session = await BrowserSession.OpenAsync(browser, host);
        await session.RunAsync(async () =>
        {
            await session.SignInAsync(PortalHost.AdminEmail, PortalHost.AdminPassword);
            await session.Page.GotoAsync("/admin/users");
            await Expect(session.Page.GetByTestId("pending-count")).ToHaveTextAsync("1");
            await Expect(session.Page.GetByTestId("user-row")).ToHaveCountAsync(5);
            await session.ScreenshotAsync("shell.png");
        });
    }
}
