using System.Net;
using System.Net.Sockets;
using Aigc.Platform.Accounts;
using Aigc.Portal.Tests;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Aigc.Portal.BrowserTests;

public sealed class ReconnectTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task A_restarted_server_shows_the_reconnect_dialog_and_the_page_works_again()
    {
        var port = FreePort();
        var data = Directory.CreateTempSubdirectory("aigc-reconnect-").FullName;
        try
        {
            var first = new PortalHost(port: port, dataDirectory: data);
            await first.CreateUserAsync("restart@aigc.test", PortalRoles.Designer);
            await using var session = await BrowserSession.OpenAsync(browser, first);
            var page = session.Page;
            await session.RunAsync(async () =>
            {
                await session.SignInAsync("restart@aigc.test", TestUsers.Password);
                await session.WaitForCircuitAsync();
                // Gone after the reload that a rejected circuit causes.
                await page.EvaluateAsync("() => { window.beforeRestart = true; }");

                await first.DisposeAsync();
                var dialog = page.Locator("#components-reconnect-modal");
                await Expect(dialog).ToBeVisibleAsync(new() { Timeout = 30_000 });
                await Expect(dialog).ToContainTextAsync("connection to the server was lost");
                await session.ScreenshotAsync("reconnect.png");

                // The same portal comes back (same address, database and keys): the page reloads onto a new circuit,
                // still signed in, because its old circuit is unknown to the new process.
                await using var second = new PortalHost(port: port, dataDirectory: data);
                Assert.Equal(port, second.BaseAddress.Port);
                await page.WaitForFunctionAsync(
                    "() => !window.beforeRestart || document.getElementById('components-reconnect-button').offsetParent",
                    null, new() { Timeout = 60_000 });
                await ClickRetryIfShownAsync(page);
                await page.WaitForFunctionAsync("() => !window.beforeRestart", null, new() { Timeout = 60_000 });

                await session.WaitForCircuitAsync();
                await Expect(dialog).Not.ToBeVisibleAsync();
                await Expect(page.GetByTestId("main-nav")).ToContainTextAsync("Studio");
                await page.GetByTestId("theme-toggle").ClickAsync();
                await Expect(page.Locator(".portal-shell")).ToHaveAttributeAsync("data-theme", "dark");
            }, allowConsoleErrors: true);
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }

    // Blazor keeps retrying by itself, so the button can hide (or the page reload) between a check and a click:
    // the check and the click happen in one step in the page, and a reload under way is the outcome wanted anyway.
    private static async Task ClickRetryIfShownAsync(IPage page)
    {
        try
        {
            await page.EvaluateAsync(
                "() => { const b = document.getElementById('components-reconnect-button'); if (b?.offsetParent) b.click(); }");
        }
        catch (PlaywrightException e) when (e.Message.Contains("context was destroyed", StringComparison.Ordinal))
        {
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
