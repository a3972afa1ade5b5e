using System.IO.Compression;
using System.Text.RegularExpressions;
using Aigc.Platform.Accounts;
using Aigc.Platform.Data;
using Aigc.Platform.Queue;
using Aigc.Portal.Tests;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Aigc.Portal.BrowserTests;

/// <summary>
/// A portal with two dozen real blueprints of one designer, a second designer, and a third whose gallery holds twenty
/// windows and a bit (copies of one real image written straight into the database, as aigc dev seed-gallery does).
/// </summary>
public sealed class GalleryHostFixture : IAsyncLifetime
{
    public const string Author = "ada@gallery.test";
    public const string Other = "grace@gallery.test";
    public const string Scroller = "scroll@gallery.test";
    public const int ScrollerBlueprints = 20 * 48 + 7;

    public PortalHost Host { get; } = new();

    public async Task InitializeAsync()
    {
        var author = await Host.CreateUserAsync(Author, PortalRoles.Designer);
        await Host.CreateUserAsync(Other, PortalRoles.Designer);
        var scroller = await Host.CreateUserAsync(Scroller, PortalRoles.Designer);
        var requester = new Requester(author.Id, [PortalRoles.Designer]);
        var jobs = new List<Guid>();
        string[][] conditions =
        [
            ["spur_gear", "front", "high"], ["flange", "section", "medium"], ["bracket", "side", "low"], ["pulley", "front", "medium"],
            ["hex_nut", "front", "low"], ["ball_bearing", "section", "high"], ["stepped_shaft", "side", "medium"], ["hole_plate", "front", "high"],
        ];
        await using (var scope = Host.Services.CreateAsyncScope())
        {
            var queue = scope.ServiceProvider.GetRequiredService<GenerationQueue>();
            foreach (var c in conditions)
            {
                jobs.Add((await queue.EnqueueAsync(new GenerationRequest("blueprints-64",
                    new Dictionary<string, string> { ["part"] = c[0], ["view"] = c[1], ["complexity"] = c[2] }, 3, 11 * jobs.Count + 1), requester)).Id);
            }
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        foreach (var job in jobs)
        {
            await foreach (var progress in Host.Services.GetRequiredService<JobProgressFeed>().WatchAsync(job, requester, timeout.Token))
            {
                if (progress.IsFinal)
                    Assert.Equal(JobStatus.Completed, progress.Status);
            }
        }

        await SeedAsync(scroller.Id, jobs[0]);
    }

    private async Task SeedAsync(string owner, Guid templateJob)
    {
        await using var db = await Host.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        var template = await db.Blueprints.AsNoTracking().FirstAsync(b => b.JobId == templateJob);
        var start = new DateTime(2026, 11, 1, 12, 0, 0, DateTimeKind.Utc);
        var job = new GenerationJob
        {
            Id = Guid.NewGuid(), UserId = owner, ModelSha256 = template.ModelSha256, ConditionsJson = template.ConditionsJson,
            Count = ScrollerBlueprints, Seed = 1, Preset = template.Preset, Status = JobStatus.Completed, CreatedAt = start,
        };
        db.GenerationJobs.Add(job);
        for (var i = 0; i < ScrollerBlueprints; i++)
        {
            db.Blueprints.Add(new Blueprint
            {
                Id = Guid.NewGuid(), JobId = job.Id, Index = i, Seed = 1 + i, ConditionsJson = template.ConditionsJson,
                FileSha256 = template.FileSha256, ThumbnailSha256 = template.ThumbnailSha256, ContentType = template.ContentType,
                Width = template.Width, Height = template.Height, FileBytes = template.FileBytes, CreatedAt = start.AddMinutes(-i),
                OwnerId = owner, ModelSha256 = template.ModelSha256, Preset = template.Preset,
            });
        }

        await db.SaveChangesAsync();
    }

    public async Task DisposeAsync() => await Host.DisposeAsync();
}

public sealed class GalleryBrowserTests(BrowserFixture browser, GalleryHostFixture fixture) : IClassFixture<BrowserFixture>, IClassFixture<GalleryHostFixture>
{
    private const string VisibleImagesLoaded =
        "() => Promise.all(Array.from(document.images).filter(i => i.getBoundingClientRect().top < innerHeight)"
        + ".map(i => i.complete ? 0 : new Promise(r => { i.onload = r; i.onerror = r; })))";

    // Playwright hides the caret with an injected inline style, which the portal's CSP rightly reports; keep the caret.
    private static async Task ScreenshotAsync(BrowserSession session, string fileName)
    {
        Directory.CreateDirectory(BrowserSession.OutputDirectory);
        await session.Page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserSession.OutputDirectory, fileName), Caret = ScreenshotCaret.Initial });
    }

    /// <summary>Opens the gallery at a URL and waits for the circuit and the count.</summary>
    private static async Task OpenAsync(IPage page, string url, string count)
    {
        await page.GotoAsync(url);
        await Expect(page.Locator(".portal-shell[data-interactive='true']")).ToHaveCountAsync(1);
        await Expect(page.GetByTestId("match-count")).ToHaveAttributeAsync("data-count", count);
        await Expect(page.Locator("[data-testid=gallery][data-glue=attached]")).ToHaveCountAsync(1);
    }

    /// <summary>A MudBlazor field's input, wherever its data-testid landed (on the input or on its wrapper).</summary>
    private static ILocator Field(IPage page, string testId, ILocator? within = null) =>
        (within ?? page.Locator("body")).Locator($"input[data-testid='{testId}'], [data-testid='{testId}'] input").First;

    private static ILocator Snackbar(IPage page) => page.Locator(".mud-snackbar");

    [Fact]
    public async Task Walk_the_lightbox_with_the_keyboard_tag_with_a_quote_and_remove_it()
    {
        await using var session = await BrowserSession.OpenAsync(browser, fixture.Host, 1440, 900);
        await session.RunAsync(async () =>
        {
            var page = session.Page;
            await session.SignInAsync(GalleryHostFixture.Author, TestUsers.Password);
            await OpenAsync(page, "/gallery?c.part=spur_gear&c.part=flange&c.part=bracket&c.part=pulley", "12");
            await page.EvaluateAsync(VisibleImagesLoaded);

            var tiles = page.GetByTestId("tile");
            var third = await tiles.Nth(2).GetAttributeAsync("data-id");
            var fourth = await tiles.Nth(3).GetAttributeAsync("data-id");
            await tiles.Nth(2).Locator(".tile-open").ClickAsync();
            var lightbox = page.GetByTestId("lightbox");
            await Expect(lightbox).ToHaveAttributeAsync("data-lightbox", third!);
            await Expect(page).ToHaveURLAsync(new Regex("/gallery\\?c\\.part="));
            await page.Keyboard.PressAsync("ArrowRight");
            await Expect(lightbox).ToHaveAttributeAsync("data-lightbox", fourth!);
            await page.Keyboard.PressAsync("ArrowLeft");
            await Expect(lightbox).ToHaveAttributeAsync("data-lightbox", third!);
            await page.Keyboard.PressAsync("ArrowRight");
            await Expect(lightbox).ToHaveAttributeAsync("data-lightbox", fourth!);

            // F favourites it: the lightbox's button and the tile's star both say so.
            await page.Keyboard.PressAsync("f");
            await Expect(page.GetByTestId("fav-lightbox")).ToHaveAttributeAsync("aria-pressed", "true");
            await Expect(page.Locator($"[data-testid=tile][data-id='{fourth}'] [data-testid=tile-fav]")).ToHaveAttributeAsync("aria-pressed", "true");

            // The image keeps its natural size: never enlarged beyond its pixels.
            await page.EvaluateAsync("() => document.querySelector('[data-testid=lightbox] img').decode()");
            var widths = await page.EvaluateAsync<double[]>(
                "() => { const i = document.querySelector('[data-testid=lightbox] img'); return [i.getBoundingClientRect().width, i.naturalWidth]; }");
            Assert.True(widths[0] <= widths[1] + 0.5, $"shown {widths[0]} px wide, {widths[1]} px natural");

            // T goes to the tag field; a tag with a quote is added and removed again.
            await page.Keyboard.PressAsync("t");
            var tagInput = Field(page, "tag-input", lightbox);
            await Expect(tagInput).ToBeFocusedAsync();
            await tagInput.FillAsync("say \"hi\"");
            await tagInput.PressAsync("Enter");
            var chip = page.GetByTestId("tags").Locator(".mud-chip", new() { HasText = "say-\"hi\"" });
            await Expect(chip).ToHaveCountAsync(1);
            await ScreenshotAsync(session, "lightbox.png");
            await chip.Locator("button").ClickAsync();
            await Expect(chip).ToHaveCountAsync(0);

            // Esc closes, even from the tag field.
            await tagInput.FocusAsync();
            await page.Keyboard.PressAsync("Escape");
            await Expect(lightbox).ToHaveCountAsync(0);

            // The favourites facet finds exactly that one, and the URL says so.
            await Field(page, "facet-fav").DispatchEventAsync("click");
            await Expect(page.GetByTestId("match-count")).ToHaveAttributeAsync("data-count", "1");
            await Expect(page).ToHaveURLAsync(new Regex("fav=true"));
            await Expect(page.GetByTestId("tile")).ToHaveAttributeAsync("data-id", fourth!);
            await page.ReloadAsync();
            await Expect(page.Locator(".portal-shell[data-interactive='true']")).ToHaveCountAsync(1);
            await Expect(page.GetByTestId("tile")).ToHaveCountAsync(1);
            await Expect(page.GetByTestId("match-count")).ToHaveAttributeAsync("data-count", "1");
            await Field(page, "facet-fav").DispatchEventAsync("click");
            await Expect(page.GetByTestId("match-count")).ToHaveAttributeAsync("data-count", "12");
        });
    }

    [Fact]
    public async Task Screenshots_of_the_gallery_light_and_dark()
    {
        await using var session = await BrowserSession.OpenAsync(browser, fixture.Host, 1440, 900);
        await session.RunAsync(async () =>
        {
            var page = session.Page;
            await session.SignInAsync(GalleryHostFixture.Author, TestUsers.Password);
            await OpenAsync(page, "/gallery", "24");
            await page.EvaluateAsync(VisibleImagesLoaded);
            await ScreenshotAsync(session, "gallery.png");
            await page.GetByTestId("theme-toggle").First.ClickAsync();
            await Expect(page.Locator(".portal-shell[data-theme='dark']")).ToHaveCountAsync(1);
            await page.GetByTestId("gallery-size").GetByTitle("Large thumbnails").ClickAsync();
            await Expect(page).ToHaveURLAsync(new Regex("size=l"));
            await page.EvaluateAsync(VisibleImagesLoaded);
            await ScreenshotAsync(session, "gallery-dark.png");
            await page.GetByTestId("theme-toggle").First.ClickAsync();
            await Expect(page.Locator(".portal-shell[data-theme='light']")).ToHaveCountAsync(1);
        });
    }

    [Fact]
    public async Task Shift_click_a_range_tag_it_and_download_a_zip_with_the_pngs_and_metadata()
    {
        await using var session = await BrowserSession.OpenAsync(browser, fixture.Host);
        await session.RunAsync(async () =>
        {
            var page = session.Page;
            await session.SignInAsync(GalleryHostFixture.Author, TestUsers.Password);
            await OpenAsync(page, "/gallery?c.part=flange&c.part=pulley", "6");
            var tiles = page.GetByTestId("tile");
            await tiles.Nth(0).HoverAsync();
            await tiles.Nth(0).GetByTestId("tile-select").ClickAsync();
            await tiles.Nth(2).HoverAsync();
            await tiles.Nth(2).GetByTestId("tile-select").ClickAsync(new() { Modifiers = [KeyboardModifier.Shift] });
            await Expect(page.GetByTestId("selection-count")).ToHaveTextAsync("3");
            await Expect(page.Locator("[data-testid=tile].is-selected")).ToHaveCountAsync(3);

            await Field(page, "selection-tag").FillAsync("batch one");
            await page.GetByTestId("selection-tag-apply").ClickAsync();
            await Expect(Snackbar(page)).ToContainTextAsync("Tagged 3");
            await Expect(page.Locator("[data-testid='facet-tag-batch-one']")).ToHaveCountAsync(1);

            var download = await page.RunAndWaitForDownloadAsync(() => page.GetByTestId("selection-zip").ClickAsync());
            var path = Path.Combine(Path.GetTempPath(), $"gallery-{Guid.NewGuid():N}.zip");
            await download.SaveAsAsync(path);
            using (var zip = ZipFile.OpenRead(path))
            {
                Assert.Equal(4, zip.Entries.Count);
                Assert.Equal(3, zip.Entries.Count(e => Regex.IsMatch(e.FullName, "^(flange|pulley)-(section|front)-medium-seed\\d+\\.png$")));
                using var csv = new StreamReader(zip.GetEntry("metadata.csv")!.Open());
                var rows = (await csv.ReadToEndAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
                Assert.Equal(4, rows.Length);
                Assert.All(rows.Skip(1), row => Assert.Contains("batch-one", row));
            }

            File.Delete(path);
            // The circuit survived the download: the selection still acts.
            await page.GetByTestId("selection-clear").ClickAsync();
            await Expect(page.GetByTestId("selection-bar")).ToHaveCountAsync(0);
        });
    }

    [Fact]
    public async Task Compare_two_and_delete_one_with_undo()
    {
        await using var session = await BrowserSession.OpenAsync(browser, fixture.Host);
        await session.RunAsync(async () =>
        {
            var page = session.Page;
            await session.SignInAsync(GalleryHostFixture.Author, TestUsers.Password);
            await OpenAsync(page, "/gallery?c.part=bracket", "3");
            var tiles = page.GetByTestId("tile");
            await tiles.Nth(0).GetByTestId("tile-select").ClickAsync();
            await tiles.Nth(1).GetByTestId("tile-select").ClickAsync();
            await Expect(page.GetByTestId("selection-count")).ToHaveTextAsync("2");
            await page.GetByTestId("selection-compare").ClickAsync();
            await Expect(page).ToHaveURLAsync(new Regex("/gallery/compare\\?ids="));
            await Expect(page.GetByTestId("compare-item")).ToHaveCountAsync(2);

            await OpenAsync(page, "/gallery?c.part=bracket", "3");
            var doomed = await tiles.Nth(0).GetAttributeAsync("data-id");
            await tiles.Nth(0).GetByTestId("tile-select").ClickAsync();
            await page.GetByTestId("selection-delete").ClickAsync();
            await page.Locator(".mud-dialog").GetByRole(AriaRole.Button, new() { Name = "Delete" }).ClickAsync();
            await Expect(page.GetByTestId("match-count")).ToHaveAttributeAsync("data-count", "2");
            await Expect(page.Locator($"[data-testid=tile][data-id='{doomed}']")).ToHaveCountAsync(0);
            await Snackbar(page).GetByRole(AriaRole.Button, new() { Name = "Undo" }).ClickAsync();
            await Expect(page.GetByTestId("match-count")).ToHaveAttributeAsync("data-count", "3");
            await Expect(page.Locator($"[data-testid=tile][data-id='{doomed}']")).ToHaveCountAsync(1);
        });
    }

    [Fact]
    public async Task A_collection_made_from_a_selection_and_shared_appears_for_the_other_user_read_only()
    {
        await using var author = await BrowserSession.OpenAsync(browser, fixture.Host);
        await using var other = await BrowserSession.OpenAsync(browser, fixture.Host);
        await author.RunAsync(async () =>
        {
            var page = author.Page;
            await author.SignInAsync(GalleryHostFixture.Author, TestUsers.Password);
            await OpenAsync(page, "/gallery?c.part=hex_nut", "3");
            await page.GetByTestId("select-all").ClickAsync();
            await Expect(page.GetByTestId("selection-count")).ToHaveTextAsync("3");
            await Field(page, "selection-new-name").FillAsync("Nuts for Grace");
            await page.GetByTestId("selection-collect").ClickAsync();
            await Expect(Snackbar(page)).ToContainTextAsync("Added 3");

            await page.GotoAsync("/gallery/collections");
            await Expect(page.Locator(".portal-shell[data-interactive='true']")).ToHaveCountAsync(1);
            var card = page.Locator("[data-collection='Nuts for Grace']");
            await Expect(card.Locator("img")).ToHaveCountAsync(1 + 3);
            await Field(page, "share-email", card).FillAsync(GalleryHostFixture.Other);
            await card.GetByTestId("share").ClickAsync();
            await Expect(Snackbar(page)).ToContainTextAsync("read-only");
            await Expect(card.GetByTestId("share-row")).ToContainTextAsync(GalleryHostFixture.Other);
        });

        await other.RunAsync(async () =>
        {
            var page = other.Page;
            await other.SignInAsync(GalleryHostFixture.Other, TestUsers.Password);
            await OpenAsync(page, "/gallery", "3");
            await page.GotoAsync("/gallery/collections");
            await Expect(page.GetByTestId("collection-status")).ToContainTextAsync("read-only");
            await Expect(page.GetByTestId("share")).ToHaveCountAsync(0);
            await OpenAsync(page, "/gallery", "3");
            await page.GetByTestId("tile").First.Locator(".tile-open").ClickAsync();
            await Expect(page.GetByTestId("lightbox")).ToBeVisibleAsync();
            await Expect(page.GetByTestId("lightbox-seed")).ToBeVisibleAsync();
            await Expect(Field(page, "tag-input")).ToHaveCountAsync(0);
        });
    }

    [Fact]
    public async Task Scrolling_twenty_windows_keeps_the_facets_count_and_grid()
    {
        await using var session = await BrowserSession.OpenAsync(browser, fixture.Host, 1440, 900);
        await session.RunAsync(async () =>
        {
            var page = session.Page;
            await session.SignInAsync(GalleryHostFixture.Scroller, TestUsers.Password);
            await OpenAsync(page, "/gallery", GalleryHostFixture.ScrollerBlueprints.ToString());
            var tiles = page.GetByTestId("tile");
            await Expect(tiles).ToHaveCountAsync(48);
            for (var window = 1; window <= 20; window++)
            {
                await page.GetByTestId("gallery-more").ScrollIntoViewIfNeededAsync();
                await Expect(tiles).ToHaveCountAsync(Math.Min(48 * (window + 1), GalleryHostFixture.ScrollerBlueprints));
                await Expect(page.GetByTestId("facets")).ToBeVisibleAsync();
                await Expect(page.GetByTestId("match-count")).ToHaveAttributeAsync("data-count", GalleryHostFixture.ScrollerBlueprints.ToString());
            }

            await Expect(page.GetByTestId("gallery-more")).ToHaveCountAsync(0);
            await Expect(page.GetByTestId("gallery-grid")).ToHaveCountAsync(1);
            // Still a grid: several tiles side by side, not one full-width tile per row.
            var row = await page.EvaluateAsync<int>(
                "() => { const t = [...document.querySelectorAll('[data-testid=tile]')].slice(-12); return new Set(t.map(x => x.getBoundingClientRect().top)).size; }");
            Assert.True(row < 12, $"the last 12 tiles sit on {row} rows");
            await page.EvaluateAsync("() => window.scrollTo(0, 0)");
            await Expect(page.GetByTestId("facets")).ToBeInViewportAsync();
        });
    }

    [Fact]
    public async Task At_wide_screens_the_tile_buttons_stay_inside_the_tile_and_a_tile_opens_in_a_new_tab_as_a_page()
    {
        await using var session = await BrowserSession.OpenAsync(browser, fixture.Host, 1920, 1000);
        await session.RunAsync(async () =>
        {
            var page = session.Page;
            await session.SignInAsync(GalleryHostFixture.Author, TestUsers.Password);
            await OpenAsync(page, "/gallery?size=s", "24");
            var tile = page.GetByTestId("tile").First;
            await tile.HoverAsync();
            var box = (await tile.BoundingBoxAsync())!;
            foreach (var button in await tile.Locator("button").AllAsync())
            {
                var b = (await button.BoundingBoxAsync())!;
                Assert.True(b.X >= box.X - 0.5 && b.Y >= box.Y - 0.5 && b.X + b.Width <= box.X + box.Width + 0.5 && b.Y + b.Height <= box.Y + box.Height + 0.5,
                    $"button at {b.X},{b.Y} {b.Width}x{b.Height} outside tile {box.X},{box.Y} {box.Width}x{box.Height}");
            }

            var id = await tile.GetAttributeAsync("data-id");
            var tab = await page.Context.RunAndWaitForPageAsync(() => tile.Locator(".tile-open").ClickAsync(new() { Modifiers = [KeyboardModifier.ControlOrMeta] }));
            await tab.WaitForLoadStateAsync();
            Assert.EndsWith($"/gallery/blueprints/{id}", tab.Url);
            await Expect(tab.GetByTestId("blueprint-page")).ToHaveAttributeAsync("data-blueprint", id!);
            await Expect(page.GetByTestId("lightbox")).ToHaveCountAsync(0);
        });
    }
}
