using Aigc.Generation.Datasets;
using Aigc.Platform.Accounts;
using Aigc.Portal.Tests;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Aigc.Portal.BrowserTests;

/// <summary>
/// The Studio's sketch panel with the shipped v2 model and its encoder: draw with the mouse, get the closest drawing
/// and four variants; upload a drawing and get its part; a hostile file is refused with the reason, in place.
/// </summary>
public sealed class SketchBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task Draw_a_flange_get_its_closest_drawing_and_variants_upload_a_drawing_and_see_a_bad_file_refused()
    {
        await using var host = new PortalHost();
        await host.CreateUserAsync("sketch@aigc.test", PortalRoles.Designer);
        await using var session = await BrowserSession.OpenAsync(browser, host, width: 1440, height: 1100);

        await session.RunAsync(async () =>
        {
            var page = session.Page;
            await session.SignInAsync("sketch@aigc.test", TestUsers.Password);
            await page.GotoAsync("/studio");
            await session.WaitForCircuitAsync();
            var canvas = page.GetByTestId("sketch-canvas");
            await Expect(canvas).ToBeVisibleAsync();

            // A flange by hand: the outer ring, the bore and four bolt holes, with Playwright's mouse.
            var box = (await canvas.BoundingBoxAsync())!;
            var (cx, cy, r) = (box.X + box.Width / 2, box.Y + box.Height / 2, box.Width * 0.36f);
            await StrokeCircleAsync(page, cx, cy, r);
            await StrokeCircleAsync(page, cx, cy, r * 0.3f);
            foreach (var (dx, dy) in new[] { (0, -1), (1, 0), (0, 1), (-1, 0) })
                await StrokeCircleAsync(page, cx + dx * r * 0.65f, cy + dy * r * 0.65f, r * 0.1f);
            // A stray line, taken back with undo.
            await page.Mouse.MoveAsync(box.X + 10, box.Y + 10);
            await page.Mouse.DownAsync();
            await page.Mouse.MoveAsync(box.X + 60, box.Y + 30, new() { Steps = 5 });
            await page.Mouse.UpAsync();
            await page.GetByTestId("sketch-undo").ClickAsync();

            await page.GetByTestId("sketch-use").ClickAsync();
            await Expect(page.GetByTestId("sketch-reading")).ToBeVisibleAsync(new() { Timeout = 60_000 });
            var closest = page.GetByTestId("job-panel").First;
            await Expect(closest).ToContainTextAsync("from a sketch");
            await Expect(closest.GetByTestId("result-tile")).ToHaveCountAsync(1, new() { Timeout = 60_000 });
            await Expect(closest.GetByTestId("tile-caption")).ToHaveTextAsync("✎");

            await page.GetByTestId("sketch-reading").Locator("input[type=range]").FillAsync("0.4");
            await page.GetByTestId("sketch-variants").ClickAsync();
            await Expect(page.GetByTestId("job-panel")).ToHaveCountAsync(2);
            var variants = page.GetByTestId("job-panel").First;
            await Expect(variants).ToContainTextAsync("variants of a sketch at 0.4");
            await Expect(variants.GetByTestId("result-tile")).ToHaveCountAsync(4, new() { Timeout = 60_000 });
            await Expect(variants.GetByTestId("job-status")).ToHaveAttributeAsync("data-status", "Completed",
                new() { Timeout = 60_000 });

            // An uploaded drawing: a scanned hex nut, white lines on black at 300 px.
            await page.GetByTestId("sketch-file").SetInputFilesAsync(new FilePayload
            {
                Name = "nut.png", MimeType = "image/png",
                Buffer = BlueprintSynthesizer.RenderPng(new BlueprintLabel("hex_nut", "front", "low"), 4_242, 0, 300),
            });
            await Expect(page.GetByTestId("job-panel")).ToHaveCountAsync(3, new() { Timeout = 60_000 });
            var nut = page.GetByTestId("job-panel").First;
            await Expect(nut).ToContainTextAsync("hex nut");
            await Expect(nut.GetByTestId("result-tile")).ToHaveCountAsync(1, new() { Timeout = 60_000 });

            await page.Mouse.MoveAsync(0, 0);
            await page.WaitForFunctionAsync(
                "() => Array.from(document.images).every(i => i.complete && i.naturalWidth > 0)");
            await session.ScreenshotAsync("studio-sketch.png");
            await page.GetByTestId("theme-toggle").ClickAsync();
            await Expect(page.Locator(".portal-shell[data-theme='dark']")).ToHaveCountAsync(1);
            await page.Mouse.MoveAsync(0, 0);
            await session.ScreenshotAsync("studio-sketch-dark.png");

            // A hostile SVG is refused with its reason, beside the sketch; nothing is queued.
            await page.GetByTestId("sketch-file").SetInputFilesAsync(new FilePayload
            {
                Name = "drawing.svg", MimeType = "image/svg+xml",
                Buffer = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"9\" height=\"9\"><script>steal()</script></svg>"u8.ToArray(),
            });
            await Expect(page.GetByTestId("sketch-message")).ToContainTextAsync("cannot be used as a sketch");
            await Expect(page.GetByTestId("sketch-message")).ToContainTextAsync("<script>");
            await Expect(page.GetByTestId("job-panel")).ToHaveCountAsync(3);
        });
    }

    private static async Task StrokeCircleAsync(IPage page, float cx, float cy, float r)
    {
        const int segments = 36;
        await page.Mouse.MoveAsync(cx + r, cy);
        await page.Mouse.DownAsync();
        for (var i = 1; i <= segments; i++)
        {
            var angle = 2 * Math.PI * i / segments;
            await page.Mouse.MoveAsync((float)(cx + r * Math.Cos(angle)), (float)(cy + r * Math.Sin(angle)));
        }

        await page.Mouse.UpAsync();
    }
}
