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
            await admin.WaitForCircuitAsync();
            // The live count arrives over the circuit.
            await Expect(page.GetByTestId("main-nav").GetByTestId("pending-count")).ToHaveTextAsync("1");
            await page.GetByTestId("main-nav").GetByRole(AriaRole.Link, new() { Name = "Admin" }).ClickAsync();
            await page.WaitForURLAsync("**/admin/users");
            await admin.WaitForCircuitAsync();
            await page.GetByTestId("user-search").FillAsync("grace");
            await Expect(page.GetByTestId("user-count")).ToContainTextAsync("1 user matching");
            await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/admin/users\\?q=grace"));
            var row = UserRow(page, "grace@aigc.test");
            await row.GetByTestId("user-approve").ClickAsync();
            await Expect(page.Locator(".mud-snackbar")).ToContainTextAsync("Approved. The user can sign in now.");
            await Expect(page.GetByTestId("main-nav").GetByTestId("pending-count")).ToHaveTextAsync("");
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
            var row = UserRow(admin.Page, "grace@aigc.test");
            await row.GetByTestId("user-roles").GetByText(PortalRoles.Designer, new() { Exact = true }).ClickAsync();
            await Expect(admin.Page.Locator(".mud-snackbar").Last).ToContainTextAsync("Roles saved: Designer, Viewer.");
        });

        await user.RunAsync(async () =>
        {
            await user.Page.ReloadAsync();
            // A click before the new circuit runs would race the circuit's first render of the old page.
            await user.WaitForCircuitAsync();
            await Expect(user.Page.GetByTestId("main-nav")).ToContainTextAsync("Studio");
            await user.Page.GetByTestId("main-nav").GetByRole(AriaRole.Link, new() { Name = "Studio" }).ClickAsync();
            await Expect(user.Page.Locator("h1")).ToHaveTextAsync("Studio");
        });
    }

    /// <summary>The users grid's row of one account.</summary>
    private static ILocator UserRow(IPage page, string email) =>
        page.Locator("tr", new() { Has = page.Locator($"[data-email='{email}']") });

    [Fact]
    public async Task The_theme_choice_survives_a_reload()
    {
        await using var host = new PortalHost();
        await using var session = await BrowserSession.OpenAsync(browser, host);
        await session.RunAsync(async () =>
        {
            var page = session.Page;
            await session.SignInAsync(PortalHost.AdminEmail, PortalHost.AdminPassword);
            var shell = page.Locator(".portal-shell");
            await session.WaitForCircuitAsync();
            await Expect(shell).ToHaveAttributeAsync("data-theme", "light");
            await page.GetByTestId("theme-toggle").ClickAsync();
            await Expect(shell).ToHaveAttributeAsync("data-theme", "dark");
            var background = await page.EvaluateAsync<string>("getComputedStyle(document.body).backgroundColor");
            Assert.Equal("rgb(15, 20, 26)", background);
            // Stored with the account: a reload, and a page without a circuit, come back dark.
            await page.ReloadAsync();
            await Expect(shell).ToHaveAttributeAsync("data-theme", "dark");
            await page.GotoAsync("/account/password");
            await Expect(shell).ToHaveAttributeAsync("data-theme", "dark");
            await page.GotoAsync("/");
            await session.WaitForCircuitAsync();
            await session.ScreenshotAsync("shell-dark.png");
            await page.GetByTestId("theme-toggle").ClickAsync();
            await Expect(shell).ToHaveAttributeAsync("data-theme", "light");
            // The theme's styles are shared by every circuit (PortalThemeStyles): switching back restores light ones.
            Assert.Equal("rgb(245, 247, 250)",
                await page.EvaluateAsync<string>("getComputedStyle(document.body).backgroundColor"));
            await page.ReloadAsync();
            await Expect(shell).ToHaveAttributeAsync("data-theme", "light");
        });
    }

    [Fact]
    public async Task The_language_follows_the_browser_until_the_user_chooses_and_then_follows_the_user()
    {
        await using var host = new PortalHost();
        await host.CreateUserAsync("lin@aigc.test", PortalRoles.Designer);
        await using (var chinese = await BrowserSession.OpenAsync(browser, host, acceptLanguage: "zh-CN,zh;q=0.9"))
        {
            await chinese.RunAsync(async () =>
            {
                await chinese.SignInAsync("lin@aigc.test", TestUsers.Password);
                await Expect(chinese.Page.Locator("html")).ToHaveAttributeAsync("lang", "zh-Hans");
                await Expect(chinese.Page.GetByTestId("main-nav")).ToContainTextAsync("图库");
                await chinese.WaitForCircuitAsync();
                await chinese.Page.GetByTestId("language-menu").GetByText("EN").ClickAsync();
                await Expect(chinese.Page.Locator("html")).ToHaveAttributeAsync("lang", "en");
                await Expect(chinese.Page.GetByTestId("main-nav")).ToContainTextAsync("Gallery");
            });
        }

        // Another browser that asks for Chinese: the user's stored choice (English) wins once they sign in.
        await using var other = await BrowserSession.OpenAsync(browser, host, acceptLanguage: "zh-CN");
        await other.RunAsync(async () =>
        {
            await other.SignInAsync("lin@aigc.test", TestUsers.Password);
            await Expect(other.Page.GetByTestId("main-nav")).ToContainTextAsync("Gallery");
            await other.WaitForCircuitAsync();
            await other.Page.GetByTestId("language-menu").GetByText("中文").ClickAsync();
            await Expect(other.Page.Locator("h1")).ToContainTextAsync("欢迎");
            await other.ScreenshotAsync("home-zh.png");

            // The shipped model's conditions in Chinese too; what is sent stays the manifest's term.
            await other.Page.GotoAsync("/studio");
            await other.WaitForCircuitAsync();
            var part = other.Page.Locator("[data-testid=condition][data-condition=part]");
            await Expect(part.Locator("legend")).ToHaveTextAsync("零件");
            await Expect(part.Locator("[data-testid=chip][data-value=spur_gear]")).ToHaveTextAsync("直齿轮");
            await other.ScreenshotAsync("studio-zh.png");
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
            await session.WaitForCircuitAsync();
            await Expect(page.GetByTestId("main-nav")).Not.ToBeVisibleAsync();
            var studio = page.GetByTestId("drawer-nav").GetByRole(AriaRole.Link, new() { Name = "Studio" });
            await page.GetByLabel("Toggle navigation").ClickAsync();
            await Expect(studio).ToBeVisibleAsync();
            // The drawer closes by its overlay and by following a link.
            await page.Locator(".mud-overlay").ClickAsync(new() { Position = new() { X = 370, Y = 400 } });
            await Expect(page.GetByTestId("drawer-nav")).ToHaveCountAsync(0);
            await page.GetByLabel("Toggle navigation").ClickAsync();
            await studio.ClickAsync();
            await page.WaitForURLAsync(url => url.EndsWith("/studio", StringComparison.Ordinal));
            await Expect(page.GetByTestId("drawer-nav")).ToHaveCountAsync(0);
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
            await Expect(session.Page.GetByTestId("main-nav").GetByTestId("pending-count")).ToHaveTextAsync("1");
            await session.WaitForCircuitAsync();
            await Expect(session.Page.GetByTestId("user-row")).ToHaveCountAsync(5);
            await session.ScreenshotAsync("shell.png");
        });
    }
}
