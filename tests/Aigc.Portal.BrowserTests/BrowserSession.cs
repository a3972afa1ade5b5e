using System.Runtime.CompilerServices;
using Aigc.Portal.Tests;
using Microsoft.Playwright;

namespace Aigc.Portal.BrowserTests;

/// <summary>
/// One browser context (its own cookies and storage) against one portal. Console errors fail the test, so a CSP
/// violation or a broken script cannot pass unnoticed. On failure the page's screenshot and HTML are saved under
/// the test output (browser-failures/).
/// </summary>
public sealed class BrowserSession : IAsyncDisposable
{
    private readonly List<string> _consoleErrors = [];

    private BrowserSession(IBrowserContext context, IPage page, Uri baseAddress)
    {
        Context = context;
        Page = page;
        BaseAddress = baseAddress;
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                _consoleErrors.Add(message.Text);
            }
        };
        page.PageError += (_, error) => _consoleErrors.Add(error);
    }

    public IBrowserContext Context { get; }

    public IPage Page { get; }

    public Uri BaseAddress { get; }

    public static string OutputDirectory => Path.Combine(AppContext.BaseDirectory, "browser-output");

    public static async Task<BrowserSession> OpenAsync(BrowserFixture browser, PortalHost host, int width = 1280,
        int height = 860, string acceptLanguage = "en-US,en;q=0.9")
    {
        var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = width, Height = height },
            BaseURL = host.BaseAddress.ToString(),
            Locale = acceptLanguage.Split(',')[0],
            ExtraHTTPHeaders = new Dictionary<string, string> { ["Accept-Language"] = acceptLanguage },
        });
        context.SetDefaultTimeout(30_000);
        return new BrowserSession(context, await context.NewPageAsync(), host.BaseAddress);
    }

    public async Task SignInAsync(string email, string password)
    {
        await Page.GotoAsync("/account/login");
        // By id: the labels are in the page's language (English or Chinese).
        await Page.Locator("#email").FillAsync(email);
        await Page.Locator("#password").FillAsync(password);
        await Page.GetByTestId("sign-in").ClickAsync();
        await Page.WaitForURLAsync(url => !url.Contains("/account/login", StringComparison.Ordinal));
    }

    /// <summary>Waits until the page's Blazor circuit runs (the shell marks itself), so clicks reach the server.</summary>
    public Task WaitForCircuitAsync() =>
        Page.Locator(".portal-shell[data-interactive='true']").WaitForAsync(new() { State = WaitForSelectorState.Attached });

    /// <summary>Runs a test step; on failure keeps a screenshot and the HTML for whoever reads the CI log.</summary>
    /// <param name="allowConsoleErrors">Only where the test breaks the connection on purpose (the browser logs it).</param>
    public async Task RunAsync(Func<Task> steps, [CallerMemberName] string name = "", bool allowConsoleErrors = false)
    {
        try
        {
            await steps();
            Assert.True(allowConsoleErrors || _consoleErrors.Count == 0, "browser console errors:\n" + string.Join("\n", _consoleErrors));
        }
        catch
        {
            Directory.CreateDirectory(Path.Combine(OutputDirectory, "browser-failures"));
            var stem = Path.Combine(OutputDirectory, "browser-failures", name);
            await Page.ScreenshotAsync(new PageScreenshotOptions { Path = stem + ".png", FullPage = true });
            await File.WriteAllTextAsync(stem + ".html", await Page.ContentAsync());
            Console.WriteLine($"Browser failure artefacts: {stem}.png / .html");
            // A lost click or a circuit error often shows here first (Blazor logs the server's error in the page).
            if (_consoleErrors.Count > 0)
                Console.WriteLine("Browser console errors before the failure:\n" + string.Join("\n", _consoleErrors));
            throw;
        }
    }

    /// <summary>The page once its CSS transitions have ended: a progress bar caught mid-slide reads "5 of 5 · done"
    /// beside a bar half full.</summary>
    public async Task ScreenshotAsync(string fileName)
    {
        Directory.CreateDirectory(OutputDirectory);
        await Page.WaitForFunctionAsync(TransitionsEnded);
        await Page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(OutputDirectory, fileName) });
    }

    /// <summary>No CSS transition running (endless animations, such as a spinner's, do not count).</summary>
    public const string TransitionsEnded =
        "() => document.getAnimations().every(a => !(a instanceof CSSTransition) || a.playState !== 'running')";

    public async ValueTask DisposeAsync() => await Context.DisposeAsync();
}
