using System.IO.Compression;
using System.Text;
using Aigc.Generation.Datasets;
using Aigc.Platform.Accounts;
using Aigc.Platform.Data;
using Aigc.Portal.Tests;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Aigc.Portal.BrowserTests;

public sealed class TrainingBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    /// <summary>
    /// Issue 29's journey: a trainer's refused upload shows its report, a good one its preprocessing and then its contact
    /// sheet; a short run's chart and sample grid advance over the circuit, the run completes and evaluation fills the
    /// card; an admin activates the draft and a designer generates with it in the Studio.
    /// </summary>
    [Fact]
    public async Task A_trainer_imports_drawings_trains_a_version_an_admin_activates_it_and_a_designer_generates_with_it()
    {
        await using var host = new PortalHost(new Dictionary<string, string?>
        {
            ["Training:TemplateManifest"] = Path.Combine(PortalHost.ShippedModels, "blueprints", "manifest.json"),
            ["Training:EngineThreads"] = "1",
        });
        await host.CreateUserAsync("trainer@factory.test", PortalRoles.Trainer);
        await host.CreateUserAsync("li.wei@factory.test", PortalRoles.Designer);
        var drawings = Drawings();
        await using var trainer = await BrowserSession.OpenAsync(browser, host, 1280, 1000);

        await trainer.RunAsync(async () =>
        {
            var page = trainer.Page;
            await trainer.SignInAsync("trainer@factory.test", TestUsers.Password);
            await page.GotoAsync("/training/datasets");
            await trainer.WaitForCircuitAsync();
            // The file input reports a choice only once Blazor has hooked it up, just after the circuit starts.
            await page.WaitForFunctionAsync(
                "() => document.querySelector('[data-testid=dataset-file]')?._blazorInputFileNextFileId !== undefined");

            // A label outside the schema and a traversal name: the report names both, nothing is stored.
            var wrong = drawings.Select((d, i) => i == 0 ? d with { Csv = d.Csv.Replace(",spur_gear,", ",sprocket,") } : d)
                .Append(("../../escape.png", drawings[1].Png, "")).ToList();
            await page.GetByTestId("dataset-file").SetInputFilesAsync(Zip("wrong.zip", wrong));
            await Expect(page.GetByTestId("dataset-report")).ToBeVisibleAsync(new() { Timeout = 60_000 });
            await Expect(page.Locator("[data-testid=dataset-problem][data-kind=UnknownLabel]")).ToContainTextAsync("sprocket");
            await Expect(page.Locator("[data-testid=dataset-problem][data-kind=UnsafeName]")).ToContainTextAsync("../../escape.png");
            await trainer.ScreenshotAsync("training-dataset-report.png");

            await page.GetByTestId("dataset-file").SetInputFilesAsync(Zip("acme-parts.zip", drawings));
            await Expect(page.GetByTestId("dataset-accepted")).ToContainTextAsync("24 drawings in 2 part classes", new() { Timeout = 60_000 });
            await Loaded(page.GetByTestId("dataset-preview"));
            await page.GetByTestId("dataset-name").FillAsync("Acme parts");
            await trainer.ScreenshotAsync("training-dataset-preview.png");
            await page.GetByTestId("dataset-import").ClickAsync();
            await page.WaitForURLAsync("**/training/datasets/*");
            await Expect(page.GetByTestId("dataset-title")).ToHaveTextAsync("Acme parts");
            await Loaded(page.GetByTestId("contact-sheet"));
            await Expect(page.GetByTestId("condition-count")).ToHaveCountAsync(6);
            await trainer.ScreenshotAsync("training-dataset.png");

            await page.GetByTestId("dataset-train").ClickAsync();
            await page.WaitForURLAsync("**/training/runs?version=*");
            await Expect(page.Locator("[data-testid=run-condition][data-name=part]")).ToContainTextAsync("flange");
            await Fill(page, "run-model-name", "acme-parts");
            await Fill(page, "run-version-label", "t1");
            await Fill(page, "run-steps", "60");
            await Fill(page, "run-batch", "4");
            await Fill(page, "run-sample-every", "5");
            await page.GetByTestId("run-start").ClickAsync();
            await page.WaitForURLAsync("**/training/runs/*");

            // The chart and the grid advance without a reload: only the circuit brings them.
            await page.WaitForFunctionAsync("() => +document.querySelector('[data-testid=loss-chart]')?.dataset.points >= 5",
                null, new() { Timeout = 120_000 });
            await page.WaitForFunctionAsync("() => +document.querySelector('[data-testid=run-samples]')?.dataset.step >= 10",
                null, new() { Timeout = 120_000 });
            await Loaded(page.GetByTestId("run-samples"));
            await trainer.ScreenshotAsync("training-run-live.png");
            await page.WaitForFunctionAsync("() => +document.querySelector('[data-testid=loss-chart]')?.dataset.points >= 30",
                null, new() { Timeout = 120_000 });
            await Expect(page.GetByTestId("run-status")).ToHaveAttributeAsync("data-status", "Completed", new() { Timeout = 240_000 });
            await Expect(page.GetByTestId("run-card")).ToContainTextAsync("Per-class minimum");
            await Loaded(page.GetByTestId("run-variants"));
            await page.GetByTestId("run-card").ScrollIntoViewIfNeededAsync();
            await trainer.ScreenshotAsync("training-run-finished.png");
            await page.EvaluateAsync("window.scrollTo(0, 0)");
            await page.GetByTestId("theme-toggle").ClickAsync();
            await Expect(page.Locator(".portal-shell[data-theme='dark']")).ToBeVisibleAsync();
            // The pointer leaves the toggle, so its tooltip is not in the picture.
            await page.Mouse.MoveAsync(700, 600);
            await Expect(page.GetByRole(AriaRole.Tooltip)).ToHaveCountAsync(0);
            await trainer.ScreenshotAsync("training-run-dark.png");
        });

        var sha = await host.QueryAsync(db => db.TrainingRuns.Select(r => r.ModelSha256).SingleAsync());
        await using (var admin = await BrowserSession.OpenAsync(browser, host, 1280, 900))
        {
            await admin.RunAsync(async () =>
            {
                var page = admin.Page;
                await admin.SignInAsync(PortalHost.AdminEmail, PortalHost.AdminPassword);
                await page.GotoAsync("/admin/models");
                await admin.WaitForCircuitAsync();
                var row = page.Locator("[data-testid=model-row][data-version=t1]");
                await Expect(row.GetByTestId("model-status")).ToHaveTextAsync("draft");
                await row.GetByTestId("model-activate").ClickAsync();
                await page.Locator(".mud-dialog").GetByRole(AriaRole.Button, new() { Name = "Activate" }).ClickAsync();
                await Expect(row.GetByTestId("model-status")).ToHaveTextAsync("active");
            });
        }

        await using var designer = await BrowserSession.OpenAsync(browser, host, 1280, 900);
        await designer.RunAsync(async () =>
        {
            var page = designer.Page;
            await designer.SignInAsync("li.wei@factory.test", TestUsers.Password);
            await page.GotoAsync($"/studio?model={sha}");
            await designer.WaitForCircuitAsync();
            await Expect(page.Locator("[data-condition=part] [data-value]")).ToHaveCountAsync(2);
            await page.Locator("[data-condition=part] [data-value=flange]").ClickAsync();
            await page.GetByTestId("count").FillAsync("2");
            await page.GetByTestId("generate").ClickAsync();
            var panel = page.GetByTestId("job-panel").First;
            await Expect(panel.GetByTestId("result-tile")).ToHaveCountAsync(2, new() { Timeout = 90_000 });
            await Expect(panel.GetByTestId("job-status")).ToHaveAttributeAsync("data-status", "Completed");
        });

        var audit = await host.QueryAsync(db => db.AuditEntries.AsNoTracking().Select(a => a.Action).ToListAsync());
        Assert.Contains("dataset.import", audit);
        Assert.Contains("training.complete", audit);
        Assert.Contains("model.activate", audit);
        Assert.Equal(1, await host.QueryAsync(db => db.Datasets.CountAsync()));
    }

    private static async Task Fill(IPage page, string testId, string value)
    {
        var field = page.GetByTestId(testId);
        await field.FillAsync(value);
        await field.BlurAsync();
    }

    /// <summary>Visible comes before loaded: wait for the image, then require real pixels.</summary>
    private static async Task Loaded(ILocator image)
    {
        await Expect(image).ToBeVisibleAsync();
        await Expect(image).ToHaveJSPropertyAsync("complete", true);
        Assert.True(await image.EvaluateAsync<int>("img => img.complete ? img.naturalWidth : 0") > 0, "an image did not load");
    }

    /// <summary>Two part classes, three views at low complexity, four drawings of each; every third dark on light.</summary>
    private static List<(string Name, byte[] Png, string Csv)> Drawings()
    {
        var result = new List<(string, byte[], string)>();
        for (var part = 0; part < 2; part++)
            for (var i = 0; i < 12; i++)
            {
                var label = BlueprintSynthesizer.LabelFor(part, i % 3);
                var png = BlueprintSynthesizer.RenderPng(label, 21, part * 100 + i, 96);
                if (i % 3 == 0)
                    png = DarkOnLight(png);
                var name = $"{label.Part}/{label.Part}-{i:D2}.png";
                result.Add((name, png, $"{name},{label.Part},{label.View},{label.Complexity}"));
            }

        return result;
    }

    /// <summary>A drawing as paper archives hold it: black lines on white.</summary>
    private static byte[] DarkOnLight(byte[] png)
    {
        using var image = Aigc.Imaging.VipsImage.Decode(png);
        using var grey = image.ToGreyscale();
        var pixels = grey.ToPixels();
        for (var i = 0; i < pixels.Length; i++)
            pixels[i] = (byte)(255 - pixels[i]);
        using var paper = Aigc.Imaging.VipsImage.FromPixels(pixels, grey.Width, grey.Height, 1);
        return paper.EncodePng();
    }

    private static FilePayload Zip(string name, IEnumerable<(string Name, byte[] Png, string Csv)> files)
    {
        var list = files.ToList();
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            using (var labels = zip.CreateEntry("labels.csv").Open())
                labels.Write(Encoding.UTF8.GetBytes(DatasetFolder.LabelsHeader + "\n"
                    + string.Concat(list.Where(f => f.Csv.Length > 0).Select(f => f.Csv + "\n"))));
            foreach (var (entry, png, _) in list)
            {
                using var stream = zip.CreateEntry(entry).Open();
                stream.Write(png);
            }
        }

        return new FilePayload { Name = name, MimeType = "application/zip", Buffer = buffer.ToArray() };
    }
}
