using System.Text.RegularExpressions;
using Aigc.Imaging.Metadata;
using Aigc.Platform.Accounts;
using Aigc.Portal.Tests;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Aigc.Portal.BrowserTests;

public sealed class StudioBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task Generate_see_tiles_stream_in_vary_interpolate_make_an_ad_and_reproduce_a_dropped_png_exactly()
    {
        await using var host = new PortalHost(new Dictionary<string, string?> { ["Studio:MaxUploadBytes"] = "65536" });
        await host.CreateUserAsync("grace@aigc.test", PortalRoles.Designer, PortalRoles.Marketer);
        await using var session = await BrowserSession.OpenAsync(browser, host, width: 1440, height: 960);

        await session.RunAsync(async () =>
        {
            var page = session.Page;
            await session.SignInAsync("grace@aigc.test", TestUsers.Password);
            await page.GotoAsync("/studio");
            await session.WaitForCircuitAsync();

            // The model is a native select: another version, then back; the address follows each choice.
            // A chip's answer first: the page's controls are live once the circuit has rendered it, and a select
            // changed before that (on the prerendered page) changes nothing.
            await page.Locator("[data-condition=part] [data-value=flange]").ClickAsync();
            await Expect(page.Locator("[data-condition=part] [data-value=flange]"))
                .ToHaveAttributeAsync("data-selected", "true");
            var model = page.GetByTestId("model");
            var active = await model.InputValueAsync();
            var other = Assert.Single(await model.Locator("option").EvaluateAllAsync<string[]>(
                "options => options.map(o => o.value)"), v => v != active);
            // Each choice is waited for until the page shows that model's condition samples, so the next one is
            // made on the page the circuit rendered. Addresses are polled throughout: the circuit replaces them
            // without loading a page, and waiting for a navigation could miss one made before the wait began.
            var sample = page.Locator("[data-condition=part] [data-value=spur_gear] img");
            await model.SelectOptionAsync(other);
            await Expect(sample).ToHaveAttributeAsync("src", new Regex($"/{other}/"));
            await Expect(page).ToHaveURLAsync(new Regex($"model={other}"));
            await model.SelectOptionAsync(active);
            await Expect(sample).ToHaveAttributeAsync("src", new Regex($"/{active}/"));
            await Expect(page).ToHaveURLAsync(new Regex($"model={active}"));

            // Chips by pointer; the URL follows every choice, so it is a bookmark of the recipe.
            await page.Locator("[data-condition=part] [data-value=pulley]").ClickAsync();
            await page.Locator("[data-condition=view] [data-value=side]").ClickAsync();
            await page.Locator("[data-condition=complexity] [data-value=medium]").ClickAsync();
            await Expect(page.Locator("[data-condition=complexity] [data-value=medium]"))
                .ToHaveAttributeAsync("data-selected", "true");
            // Each condition is a radio group: the arrow keys move its choice.
            await page.Locator("[data-condition=view] [data-value=side] input").FocusAsync();
            await page.Keyboard.PressAsync("ArrowRight");
            await Expect(page.Locator("[data-condition=view] [data-value=section]"))
                .ToHaveAttributeAsync("data-selected", "true");
            await page.Keyboard.PressAsync("ArrowLeft");
            await Expect(page.Locator("[data-condition=view] [data-value=side]"))
                .ToHaveAttributeAsync("data-selected", "true");
            // A count out of range is refused under the field, naming the limit; the arrow keys step it.
            await page.GetByTestId("count").FillAsync("99");
            await page.GetByTestId("generate").ClickAsync();
            await Expect(page.Locator("[data-testid=field-error][data-field=count-seed]")).ToContainTextAsync("64");
            await page.GetByTestId("count").FillAsync("3");
            await page.GetByTestId("count").PressAsync("ArrowUp");
            await Expect(page).ToHaveURLAsync(new Regex("count=4"));
            await Expect(page.GetByTestId("count")).ToHaveValueAsync("4");
            await page.GetByTestId("seed").FillAsync("2024");
            await Expect(page.GetByTestId("seed-lock")).ToHaveAttributeAsync("aria-pressed", "true");
            await Expect(page).ToHaveURLAsync(new Regex(@"^(?=.*seed=2024)(?=.*c\.part=pulley)"));
            await page.GetByTestId("seed").PressAsync("Enter");

            // Tiles appear as the worker stores them, over the circuit.
            var panel = page.GetByTestId("job-panel").First;
            await Expect(panel).ToContainTextAsync("pulley · side · medium");
            await Expect(panel.GetByTestId("result-tile")).ToHaveCountAsync(4, new() { Timeout = 60_000 });
            await Expect(panel.GetByTestId("job-status")).ToHaveAttributeAsync("data-status", "Completed");
            await Expect(panel.GetByTestId("result-tile").First).ToHaveAttributeAsync("data-seed", "2024");

            // Vary from the first tile: the popover closes once used and the new panel goes in front.
            await panel.GetByTestId("result-tile").First.GetByTestId("vary").ClickAsync();
            var varyPanel = page.Locator(".mud-popover-open").Filter(new() { Has = page.GetByTestId("vary-submit") });
            await varyPanel.Locator("input[type=range]").FillAsync("0.35");
            await varyPanel.GetByTestId("vary-submit").ClickAsync();
            await Expect(page.Locator(".mud-popover-open [data-testid=vary-submit]")).ToHaveCountAsync(0);
            await Expect(page.GetByTestId("job-panel")).ToHaveCountAsync(2);
            var varied = page.GetByTestId("job-panel").First;
            await Expect(varied).ToContainTextAsync("strength 0.35");
            await Expect(varied.GetByTestId("result-tile")).ToHaveCountAsync(4, new() { Timeout = 60_000 });
            await Expect(varied.GetByTestId("job-status")).ToHaveAttributeAsync("data-status", "Completed");

            // Interpolate between two results of the first job: every frame is captioned with its own position.
            var first = page.GetByTestId("job-panel").Nth(1);
            await first.GetByTestId("result-tile").Nth(0).GetByTestId("pick").ClickAsync();
            await first.GetByTestId("result-tile").Nth(3).GetByTestId("pick").ClickAsync();
            await page.GetByTestId("frames").FillAsync("5");
            await page.GetByTestId("interpolate").ClickAsync();
            await Expect(page.GetByTestId("job-panel")).ToHaveCountAsync(3);
            var strip = page.GetByTestId("job-panel").First;
            await Expect(strip.GetByTestId("result-tile")).ToHaveCountAsync(5, new() { Timeout = 60_000 });
            await Expect(strip.GetByTestId("tile-caption")).ToContainTextAsync(["t=0.00", "t=0.25", "t=0.50", "t=0.75",
                "t=1.00"]);
            var captions = await strip.GetByTestId("tile-caption").AllTextContentsAsync();
            Assert.Equal(5, captions.Distinct().Count());
            Assert.All(captions, c => Assert.Contains("2024→2027", c));

            // "Make an ad" opens the Ads composer with this blueprint.
            var adTile = first.GetByTestId("result-tile").Nth(1);
            var blueprint = await adTile.GetAttributeAsync("data-blueprint");
            await Expect(adTile.GetByTestId("make-ad")).ToHaveAttributeAsync("href",
                $"ads/compose?blueprint={blueprint}");

            await page.Mouse.MoveAsync(0, 0);
            await page.WaitForFunctionAsync(
                "() => Array.from(document.images).every(i => i.complete && i.naturalWidth > 0)");
            // Tiles show images at their natural size: none is drawn wider than its file.
            Assert.True(await page.EvaluateAsync<bool>(
                "() => Array.from(document.querySelectorAll('[data-testid=result-tile] img'))" +
                ".every(i => i.clientWidth <= i.naturalWidth)"));
            await session.ScreenshotAsync("studio.png");
            await page.GetByTestId("theme-toggle").ClickAsync();
            await Expect(page.Locator(".portal-shell[data-theme='dark']")).ToHaveCountAsync(1);
            await page.Mouse.MoveAsync(0, 0);
            await session.ScreenshotAsync("studio-dark.png");

            // A bad file says why, in place.
            await page.GetByTestId("reproduce-file").SetInputFilesAsync(new FilePayload { Name = "notes.png",
                MimeType = "image/png", Buffer = "not a png"u8.ToArray() });
            await Expect(page.GetByTestId("reproduce-message")).ToContainTextAsync("not a PNG");
            await page.GetByTestId("reproduce-file").SetInputFilesAsync(new FilePayload { Name = "huge.png",
                MimeType = "image/png", Buffer = new byte[100_000] });
            await Expect(page.GetByTestId("reproduce-message")).ToContainTextAsync("the limit is 64 KiB");

            // Drop the second image of the first job (seed 2025; its panel is the last now) anywhere on
            // the page: the form becomes its recipe, its model too, though the user had chosen another one.
            await model.SelectOptionAsync(other);
            await Expect(sample).ToHaveAttributeAsync("src", new Regex($"/{other}/"));
            var sourceId = await page.GetByTestId("job-panel").Last.GetByTestId("result-tile").Nth(1)
                .GetAttributeAsync("data-blueprint");
            var source = await page.APIRequest.GetAsync($"/blueprints/{sourceId}/image?download=true");
            var original = await source.BodyAsync();
            Assert.Equal(2025, BlueprintMetadata.Read(original)!.Seed);
            await page.EvaluateAsync("""
                (base64) => {
                    const bytes = Uint8Array.from(atob(base64), c => c.charCodeAt(0));
                    const data = new DataTransfer();
                    data.items.add(new File([bytes], "blueprint.png", { type: "image/png" }));
                    const target = document.querySelector("[data-testid=studio-jobs]");
                    target.dispatchEvent(new DragEvent("dragover", { dataTransfer: data, bubbles: true,
                        cancelable: true }));
                    target.dispatchEvent(new DragEvent("drop", { dataTransfer: data, bubbles: true,
                        cancelable: true }));
                }
                """, Convert.ToBase64String(original));
            await Expect(page).ToHaveURLAsync(new Regex("seed=2025"));
            await Expect(page.GetByTestId("reproduce-message")).ToHaveCountAsync(0);
            await Expect(model).ToHaveValueAsync(active);
            await Expect(page.GetByTestId("seed")).ToHaveValueAsync("2025");
            await Expect(page.GetByTestId("count")).ToHaveValueAsync("1");
            await Expect(page.Locator("[data-condition=part] [data-value=pulley]"))
                .ToHaveAttributeAsync("data-selected", "true");
            await page.GetByTestId("generate").ClickAsync();

            await Expect(page.GetByTestId("job-panel")).ToHaveCountAsync(4);
            var again = page.GetByTestId("job-panel").First;
            await Expect(again.GetByTestId("result-tile")).ToHaveCountAsync(1, new() { Timeout = 60_000 });
            await Expect(again.GetByTestId("job-status")).ToHaveAttributeAsync("data-status", "Completed",
                new() { Timeout = 60_000 });
            var id = await again.GetByTestId("result-tile").GetAttributeAsync("data-blueprint");
            Assert.Equal(original,
                await (await page.APIRequest.GetAsync($"/blueprints/{id}/image?download=true")).BodyAsync());

            // Back in the Studio later: the newest job shows its tiles, older ones a button that shows theirs.
            await page.ReloadAsync();
            await session.WaitForCircuitAsync();
            await Expect(page.GetByTestId("job-panel")).ToHaveCountAsync(4);
            await Expect(page.GetByTestId("job-panel").First.GetByTestId("result-tile")).ToHaveCountAsync(1);
            var older = page.GetByTestId("job-panel").Nth(1);
            await Expect(older.GetByTestId("result-tile")).ToHaveCountAsync(0);
            await Expect(older.GetByTestId("job-expand")).ToHaveTextAsync("Show the 5 images");
            await older.GetByTestId("job-expand").ClickAsync();
            await Expect(older.GetByTestId("result-tile")).ToHaveCountAsync(5);
            await Expect(older.GetByTestId("job-expand")).ToHaveCountAsync(0);
            await Expect(page.GetByTestId("job-panel").Nth(2).GetByTestId("job-expand")).ToHaveCountAsync(1);

            // A bulk job shows its first 16 tiles as they arrive, and all of them on request. Its thumbnails are
            // held back at first: each tile has its size before its image comes, so nothing below it moves when the
            // image arrives (the "show all" button once moved away from under the pointer as images loaded).
            var thumbnails = new TaskCompletionSource();
            await page.RouteAsync("**/thumbnail", async route =>
            {
                await thumbnails.Task;
                await route.ContinueAsync();
            });
            await page.GetByTestId("count").FillAsync("20");
            await page.GetByTestId("generate").ClickAsync();
            await Expect(page.GetByTestId("job-panel")).ToHaveCountAsync(5);
            var bulk = page.GetByTestId("job-panel").First;
            await Expect(bulk.GetByTestId("job-status")).ToHaveAttributeAsync("data-status", "Completed",
                new() { Timeout = 60_000 });
            await Expect(bulk.GetByTestId("result-tile")).ToHaveCountAsync(16);
            var boxes = await bulk.Locator(".studio-tile-image").EvaluateAllAsync<double[]>(
                "boxes => boxes.map(b => b.getBoundingClientRect().height)");
            Assert.All(boxes, height => Assert.InRange(height, 180, 256));
            thumbnails.SetResult();
            await page.UnrouteAsync("**/thumbnail");
            await Expect(bulk.GetByTestId("job-show-all")).ToHaveTextAsync("Show all 20 images");
            await bulk.GetByTestId("job-show-all").ClickAsync();
            await Expect(bulk.GetByTestId("result-tile")).ToHaveCountAsync(20);
            await Expect(bulk.GetByTestId("job-show-all")).ToHaveCountAsync(0);
        });
    }
}
