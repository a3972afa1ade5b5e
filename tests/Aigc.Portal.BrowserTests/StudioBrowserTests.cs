using Aigc.Imaging.Metadata;
using Aigc.Platform.Accounts;
using Aigc.Portal.Tests;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Aigc.Portal.BrowserTests;

public sealed class StudioBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task Generate_four_with_chosen_chips_watch_them_arrive_and_reproduce_a_download_to_identical_bytes()
    {
        await using var host = new PortalHost();
        await host.CreateUserAsync("grace@aigc.test", PortalRoles.Designer);
        await using var session = await BrowserSession.OpenAsync(browser, host, width: 1440, height: 960);

        await session.RunAsync(async () =>
        {
            var page = session.Page;
            await session.SignInAsync("grace@aigc.test", TestUsers.Password);
            await page.GotoAsync("/studio");
            await page.WaitForLoadStateAsync(LoadState.NetworkIdle);

            // Chips by keyboard and mouse, a locked seed, Enter generates.
            await page.Locator("[data-condition=part] [data-value=pulley]").ClickAsync();
            await page.Locator("[data-condition=view] [data-value=side]").ClickAsync();
            await page.Locator("#c-complexity-low").FocusAsync();
            await page.Keyboard.PressAsync("ArrowRight");
            await Expect(page.Locator("#c-complexity-medium")).ToBeCheckedAsync();
            await page.GetByTestId("count").FillAsync("4");
            await page.GetByTestId("seed").FillAsync("2024");
            await Expect(page.GetByTestId("seed-lock")).ToBeCheckedAsync();
            await page.GetByTestId("seed").PressAsync("Enter");

            var panel = page.GetByTestId("job-panel").First;
            await Expect(panel).ToContainTextAsync("medium · pulley · side");
            await Expect(panel.GetByTestId("result-tile")).ToHaveCountAsync(4, new() { Timeout = 60_000 });
            await Expect(panel.GetByTestId("job-status")).ToHaveAttributeAsync("data-status", "Completed");
            await Expect(panel.GetByTestId("result-tile").First).ToHaveAttributeAsync("data-seed", "2024");

            // Vary the first image from its tile, by keyboard: the new panel goes in front.
            var vary = panel.GetByTestId("result-tile").First.GetByTestId("vary");
            await vary.FocusAsync();
            await page.Keyboard.PressAsync("Enter");
            await panel.GetByTestId("result-tile").First.Locator("input[name=strength]").FillAsync("0.35");
            await panel.GetByTestId("result-tile").First.GetByTestId("vary-submit").PressAsync("Enter");
            await Expect(page.GetByTestId("job-panel")).ToHaveCountAsync(2);
            var varied = page.GetByTestId("job-panel").First;
            await Expect(varied).ToContainTextAsync("strength 0.35");
            await Expect(varied.GetByTestId("result-tile")).ToHaveCountAsync(4, new() { Timeout = 60_000 });
            await Expect(varied.GetByTestId("job-status")).ToHaveAttributeAsync("data-status", "Completed");
            panel = page.GetByTestId("job-panel").Nth(1);

            await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
            await page.Keyboard.PressAsync("Escape");
            await page.EvaluateAsync("() => { document.activeElement?.blur(); document.querySelectorAll('details[open]').forEach(d => d.open = false); }");
            await page.Mouse.MoveAsync(0, 0);
            await page.WaitForFunctionAsync("() => Array.from(document.images).every(i => i.complete && i.naturalWidth > 0)");
            await session.ScreenshotAsync("studio.png");
            await page.Locator("[data-theme-toggle]").ClickAsync();
            await Expect(page.Locator("html")).ToHaveAttributeAsync("data-bs-theme", "dark");
            await page.Mouse.MoveAsync(0, 0);
            await session.ScreenshotAsync("studio-dark.png");

            // Download the second image with its metadata and drop it on Reproduce.
            var download = await page.RunAndWaitForDownloadAsync(() => panel.GetByTestId("result-tile").Nth(1).GetByTestId("download").ClickAsync());
            var path = Path.Combine(BrowserSession.OutputDirectory, "reproduce-source.png");
            Directory.CreateDirectory(BrowserSession.OutputDirectory);
            await download.SaveAsAsync(path);
            var original = await File.ReadAllBytesAsync(path);
            Assert.Equal(2025, BlueprintMetadata.Read(original)!.Seed);

            await page.GetByTestId("reproduce-file").SetInputFilesAsync(path);
            await page.WaitForURLAsync(url => url.Contains("seed=2025", StringComparison.Ordinal));
            await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
            await Expect(page.GetByTestId("seed")).ToHaveValueAsync("2025");
            await Expect(page.GetByTestId("count")).ToHaveValueAsync("1");
            await Expect(page.Locator("#c-part-pulley")).ToBeCheckedAsync();
            await Expect(page.Locator("#c-complexity-medium")).ToBeCheckedAsync();
            await Expect(page.GetByTestId("job-panel")).ToHaveCountAsync(2);
            await page.GetByTestId("generate").ClickAsync();

            // The new job's panel goes in front of the earlier ones.
            await Expect(page.GetByTestId("job-panel")).ToHaveCountAsync(3);
            var again = page.GetByTestId("job-panel").First;
            await Expect(again.GetByTestId("result-tile")).ToHaveCountAsync(1, new() { Timeout = 60_000 });
            await Expect(again.GetByTestId("job-status")).ToHaveAttributeAsync("data-status", "Completed", new() { Timeout = 60_000 });
            var id = await again.GetByTestId("result-tile").GetAttributeAsync("data-blueprint");
            var response = await page.APIRequest.GetAsync($"/blueprints/{id}/image");
            Assert.Equal(original, await response.BodyAsync());
        });
    }
}
