using System.Diagnostics;
using System.Globalization;
using Aigc.CircuitBench;
using Microsoft.Playwright;

// The circuit benchmark of issue 24: memory per circuit (ours with the Studio open and a job streaming, against the
// bare Blazor Server template's counter page, in the same run), CPU per streamed result, time to interactive of the
// Studio and the Gallery (cold and warm), and the 50,000-blueprint gallery's scroll per page of thumbnails.
// Usage: see run.sh next to this project.
var options = Options.Parse(args);
// Each figure is printed as soon as it is known, so a later failure loses none.
var report = new Report();
report.Add($"# Circuit benchmark, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, " +
           $"load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]}, {options.Circuits} circuits");
using var playwright = await Playwright.CreateAsync();
await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
{
    ExecutablePath = "/usr/bin/chromium",
    Headless = true,
    Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-renderer-backgrounding",
            "--disable-background-timer-throttling", "--disable-backgrounding-occluded-windows"],
});

// 1. The bare template's counter page.
Probe templateBase, templateAfter;
await using (var template = await Server.StartAsync(options.Template, options.Probe, new Dictionary<string, string>()))
{
    var context = await browser.NewContextAsync(new() { BaseURL = template.BaseAddress.ToString() });
    context.SetDefaultTimeout(60_000);
    await (await CounterAsync(context)).CloseAsync();
    templateBase = await template.ProbeAsync();
    var pages = await OpenAllAsync(options.Circuits, () => CounterAsync(context));
    templateAfter = await template.ProbeAsync();
    report.Add(Row("template counter", options.Circuits, templateBase, templateAfter, pages.Count));

    // Baselines for the timings below, on the same loaded machine: a click's round trip over a circuit, and the
    // template's own time to interactive.
    var clicks = new List<double>();
    var counter = pages[0];
    // A background tab gets no animation frames, which Playwright's waits poll on: measure in the front one.
    await counter.BringToFrontAsync();
    var status = counter.GetByRole(AriaRole.Status);
    for (var i = 0; i < 20; i++)
    {
        var next = int.Parse((await status.InnerTextAsync()).Split(':')[1].Trim(), CultureInfo.InvariantCulture) + 1;
        var watch = Stopwatch.StartNew();
        await counter.GetByRole(AriaRole.Button, new() { Name = "Click me" }).ClickAsync();
        await counter.GetByText($"Current count: {next}").WaitForAsync();
        clicks.Add(watch.Elapsed.TotalMilliseconds);
    }

    report.Add($"template click round trip over its circuit: {Stats(clicks)}");
    // The same round trip timed inside the page: the click, the circuit, the DOM update, the next frame.
    var inPage = new List<double>();
    for (var i = 0; i < 20; i++)
        inPage.Add(await counter.EvaluateAsync<double>("""
            async () => {
              const status = document.querySelector("[role=status]");
              const before = status.textContent;
              const start = performance.now();
              const changed = new Promise(resolve => {
                const watch = new MutationObserver(() => {
                  if (status.textContent !== before) { watch.disconnect(); resolve(); }
                });
                watch.observe(status, { childList: true, characterData: true, subtree: true });
              });
              document.querySelector("button.btn-primary").click();
              await changed;
              await new Promise(resolve => requestAnimationFrame(() => resolve()));
              return performance.now() - start;
            }
            """));
    report.Add($"template click round trip timed in the page, click to frame painted: {Stats(inPage)}");
    var (cold, warm) = await InteractiveRoundsAsync(browser, template.BaseAddress, null, options.Rounds, "counter",
        "button.btn-primary", CountedAsync);
    report.Add($"time to interactive, template counter: cold {Stats(cold)}; warm {Stats(warm)}");
    await context.CloseAsync();
}

// 2. Ours: the Studio with a job streaming in each circuit.
var data = Directory.CreateTempSubdirectory("aigc-circuits-").FullName;
var settings = new Dictionary<string, string>
{
    ["AIGC_DATA"] = data,
    ["AIGC_ADMIN_EMAIL"] = "bench@aigc.test",
    ["AIGC_ADMIN_PASSWORD"] = "Bench-Passw0rd",
    ["Queue__MaxQueuedImages"] = "100000",
    ["Queue__QueuedImageCaps__Admin"] = "100000",
    ["Queue__ShippedModelsDirectory"] = options.Models,
    // Small batches: results are stored, and streamed, a few at a time.
    ["Queue__BatchSize"] = "4",
};
await using (var portal = await Server.StartAsync(options.Portal, options.Probe, settings))
{
    var context = await browser.NewContextAsync(new() { BaseURL = portal.BaseAddress.ToString() });
    context.SetDefaultTimeout(120_000);
    var login = await context.NewPageAsync();
    await login.GotoAsync("account/login");
    await login.Locator("#email").FillAsync(settings["AIGC_ADMIN_EMAIL"]);
    await login.Locator("#password").FillAsync(settings["AIGC_ADMIN_PASSWORD"]);
    await login.GetByTestId("sign-in").ClickAsync();
    await login.WaitForURLAsync(url => !url.Contains("/account/login", StringComparison.Ordinal));
    await login.CloseAsync();

    // --gallery-only: the template's baselines, then straight to the gallery (a change that touches nothing else).
    if (!options.GalleryOnly)
        await MemoryAndCpuAsync(options, report, context, portal, data, templateBase, templateAfter);

    // Time to interactive and the gallery's scroll, at 50,000 blueprints.
    await SeedAsync(options, data);
    var state = await context.StorageStateAsync();
    foreach (var (name, path, ready) in new[] { ("Studio", "studio", "[data-testid=generate]"),
                 ("Gallery", "gallery", "[data-testid=tile]") })
    {
        var (cold, warm) = await InteractiveRoundsAsync(browser, portal.BaseAddress, state, options.Rounds, path, ready,
            async page =>
            {
                await InteractiveAsync(page);
                return page;
            });
        report.Add($"time to interactive, {name}: cold {Stats(cold)}; warm {Stats(warm)}");
    }

    report.Add(await ScrollAsync(context));
    await context.CloseAsync();
}

Directory.Delete(data, recursive: true);
return 0;

// Memory per circuit (the shell, the Studio's form, the Studio with a job streaming) and CPU per streamed result.
static async Task MemoryAndCpuAsync(Options options, Report report, IBrowserContext context, Server portal, string data,
    Probe templateBase, Probe templateAfter)
{
    // Where the cost comes from, before any job exists: the shell alone (the home page), then the Studio's form.
    foreach (var (name, path, ready) in new[] { ("Aigc home (shell only)", "", "[data-testid=main-nav]"),
                 ("Aigc Studio, no job yet", "studio", "[data-testid=generate]") })
    {
        await (await PageAsync(context, path, ready)).CloseAsync();
        var empty = await portal.ProbeAsync();
        var opened = await OpenAllAsync(options.Circuits, () => PageAsync(context, path, ready));
        report.Add(Row(name, options.Circuits, empty, await portal.ProbeAsync(), opened.Count));
        foreach (var page in opened)
            await page.CloseAsync();
    }

    await (await StudioAsync(context)).CloseAsync();
    var before = await portal.ProbeAsync();
    var pages = await OpenAllAsync(options.Circuits, () => StudioAsync(context));
    var after = await portal.ProbeAsync();
    var shownTiles = await TilesAsync(pages);
    report.Add(Row("Aigc Studio + job", options.Circuits, before, after, pages.Count) +
               $"; {(double)shownTiles / pages.Count:0.0} result tiles and " +
               $"{(double)await PanelsAsync(pages) / pages.Count:0.0} job panels per page at that moment");
    report.Add(Ratio(templateBase, templateAfter, before, after));
    if (options.GcDump is { } gcdump)
        report.Add(await HeapByTypeAsync(gcdump, portal.Id));

    foreach (var page in pages)
        await page.CloseAsync();

    // CPU per streamed result: ten Studio pages each queue 32 images and watch them arrive; then ten more queue the
    // same and close at once, so the same work runs with no circuit watching. The difference is the circuits' cost.
    await DrainedAsync(data);
    var watched = await CpuRunAsync(context, portal, data, watch: true);
    await DrainedAsync(data);
    var unwatched = await CpuRunAsync(context, portal, data, watch: false);
    report.Add(watched.Describe("watched by ten circuits"));
    report.Add(unwatched.Describe("no circuit watching"));
    // Per stored image, the watched run's extra CPU spread over the tiles each image became on the open pages.
    report.Add($"circuit cost per streamed result: {(watched.CpuPerImage - unwatched.CpuPerImage) * watched.Images /
        Math.Max(1, watched.Tiles):0.0} ms CPU ({(double)watched.Tiles / Math.Max(1, watched.Images):0.0} tiles " +
        "per stored image)");
}

static async Task<IPage> CounterAsync(IBrowserContext context)
{
    var page = await context.NewPageAsync();
    await page.GotoAsync("counter");
    return await CountedAsync(page);
}

// The template marks nothing when its circuit runs: click until the count answers (retries every 150 ms, so its
// time to interactive reads up to that much long).
static async Task<IPage> CountedAsync(IPage page)
{
    for (var attempt = 0; ; attempt++)
    {
        await page.GetByRole(AriaRole.Button, new() { Name = "Click me" }).ClickAsync();
        try
        {
            await page.GetByText(new System.Text.RegularExpressions.Regex("Current count: [1-9]"))
                .WaitForAsync(new() { Timeout = 150 });
            return page;
        }
        catch (TimeoutException) when (attempt < 400)
        {
        }
    }
}

static Task InteractiveAsync(IPage page) =>
    page.Locator(".portal-shell[data-interactive='true']")
        .WaitForAsync(new() { State = WaitForSelectorState.Attached });

static async Task<IPage> PageAsync(IBrowserContext context, string path, string ready)
{
    var page = await context.NewPageAsync();
    await page.GotoAsync(path);
    await InteractiveAsync(page);
    await page.Locator(ready).First.WaitForAsync();
    return page;
}

static async Task<IPage> StudioAsync(IBrowserContext context, int count = 64)
{
    var page = await context.NewPageAsync();
    await page.GotoAsync($"studio?count={count}");
    await InteractiveAsync(page);
    // The new job's panel, not a recent one: a page closed before its job is queued would queue nothing.
    var panels = await page.GetByTestId("job-panel").CountAsync();
    await page.GetByTestId("generate").ClickAsync();
    await page.WaitForFunctionAsync("n => document.querySelectorAll('[data-testid=job-panel]').length > n", panels);
    return page;
}

static async Task<List<IPage>> OpenAllAsync(int count, Func<Task<IPage>> open)
{
    var pages = new List<IPage>();
    for (var i = 0; i < count; i += 10)
        pages.AddRange(await Task.WhenAll(Enumerable.Range(0, Math.Min(10, count - i)).Select(_ => open())));
    return pages;
}

static async Task<int> PanelsAsync(List<IPage> pages)
{
    var total = 0;
    foreach (var page in pages)
        total += await page.GetByTestId("job-panel").CountAsync();
    return total;
}

static async Task<int> TilesAsync(List<IPage> pages)
{
    var total = 0;
    foreach (var page in pages)
        total += await page.GetByTestId("result-tile").CountAsync();
    return total;
}

// Stored images, as rows: blob files would undercount (the store is content-addressed, so equal images share one).
static int Images(string data)
{
    var file = Path.Combine(data, "aigc.db");
    if (!File.Exists(file))
        return 0;
    using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={file};Mode=ReadOnly;Pooling=False");
    connection.Open();
    using var command = connection.CreateCommand();
    command.CommandText = "SELECT COUNT(*) FROM Blueprints";
    return Convert.ToInt32(command.ExecuteScalar(), CultureInfo.InvariantCulture);
}

// The queue is idle once no image has been stored for three seconds (at most three minutes).
static async Task DrainedAsync(string data)
{
    var (last, still, total) = (Images(data), Stopwatch.StartNew(), Stopwatch.StartNew());
    while (still.Elapsed < TimeSpan.FromSeconds(3) && total.Elapsed < TimeSpan.FromMinutes(3))
    {
        await Task.Delay(250);
        if (Images(data) == last)
            continue;
        last = Images(data);
        still.Restart();
    }
}

// Ten Studio pages each queue 32 images; the run ends when all 320 are stored (at most three minutes).
static async Task<CpuWindow> CpuRunAsync(IBrowserContext context, Server portal, string data, bool watch)
{
    const int Pages = 10, Count = 32;
    var (images, cpu) = (Images(data), (await portal.ProbeAsync()).CpuMilliseconds);
    var clock = Stopwatch.StartNew();
    var opened = new List<IPage>();
    for (var i = 0; i < Pages; i++)
    {
        var page = await StudioAsync(context, Count);
        if (watch)
            opened.Add(page);
        else
            await page.CloseAsync();
    }

    while (Images(data) - images < Pages * Count && clock.Elapsed < TimeSpan.FromMinutes(3))
        await Task.Delay(250);
    var tiles = await TilesAsync(opened);
    var window = new CpuWindow(clock.Elapsed, (await portal.ProbeAsync()).CpuMilliseconds - cpu, Images(data) - images,
        tiles);
    foreach (var page in opened)
        await page.CloseAsync();
    return window;
}

// Cold: a new browser context (empty cache) opens the page; warm: the same context opens it again. Each time from
// the navigation's start until the circuit runs and the page's first control is there.
static async Task<(List<double> Cold, List<double> Warm)> InteractiveRoundsAsync(IBrowser browser, Uri baseAddress,
    string? state, int rounds, string path, string ready, Func<IPage, Task<IPage>> interactive)
{
    var (cold, warm) = (new List<double>(), new List<double>());
    for (var round = 0; round < rounds; round++)
    {
        var fresh = await browser.NewContextAsync(new() { BaseURL = baseAddress.ToString(), StorageState = state });
        var page = await fresh.NewPageAsync();
        foreach (var times in new[] { cold, warm })
        {
            var watch = Stopwatch.StartNew();
            await page.GotoAsync(path);
            await page.Locator(ready).First.WaitForAsync();
            await interactive(page);
            times.Add(watch.Elapsed.TotalMilliseconds);
        }

        await fresh.CloseAsync();
    }

    return (cold, warm);
}

static async Task<string> ScrollAsync(IBrowserContext context)
{
    // Resolves with the ms from scrolling the sentinel into view to the frame after the grid holds `tiles` tiles.
    const string InPageScript = """
        async tiles => {
          const grid = document.querySelector("[data-testid=gallery-grid]");
          const enough = () => grid.querySelectorAll("[data-testid=tile]").length >= tiles;
          if (enough()) return -1;
          const start = performance.now();
          const arrived = new Promise(resolve => {
            const watch = new MutationObserver(() => { if (enough()) { watch.disconnect(); resolve(); } });
            watch.observe(grid, { childList: true });
          });
          document.querySelector("[data-testid=gallery-more]").scrollIntoView({ block: "end" });
          await arrived;
          await new Promise(resolve => requestAnimationFrame(() => resolve()));
          return performance.now() - start;
        }
        """;

    var page = await context.NewPageAsync();
    await page.SetViewportSizeAsync(1440, 900);
    await page.GotoAsync("gallery");
    await InteractiveAsync(page);
    var total = await page.GetByTestId("match-count").GetAttributeAsync("data-count");
    var tiles = page.GetByTestId("tile");
    await tiles.Nth(47).WaitForAsync();
    var tilesIn = new List<double>();
    var shown = new List<double>();
    var inPage = new List<double>();
    for (var window = 1; window <= 40; window++)
    {
        if (window % 2 == 0)
        {
            // Every other window timed inside the page, as a user meets it: from the scroll that brings the sentinel
            // into view to the first frame painted after the 48 tiles are in the DOM (no Playwright round trips).
            var ms = await page.EvaluateAsync<double>(InPageScript, 48 * (window + 1));
            if (ms >= 0)
                inPage.Add(ms);
            continue;
        }

        // The sentinel comes into view: the next 48 tiles arrive over the circuit; then the user scrolls to them
        // and the thumbnails in view load (lazy images below the fold are not counted until they are in view).
        var watch = Stopwatch.StartNew();
        await page.GetByTestId("gallery-more").ScrollIntoViewIfNeededAsync();
        await tiles.Nth(48 * (window + 1) - 1).WaitForAsync(new() { State = WaitForSelectorState.Attached });
        tilesIn.Add(watch.Elapsed.TotalMilliseconds);
        await tiles.Nth(48 * window).ScrollIntoViewIfNeededAsync();
        await page.WaitForFunctionAsync(
            "() => [...document.querySelectorAll('[data-testid=tile] img')].filter(i => { const r = " +
            "i.getBoundingClientRect(); return r.bottom > 0 && r.top < innerHeight; }).every(i => i.complete && " +
            "i.naturalWidth > 0)", null, new() { PollingInterval = 5 });
        shown.Add(watch.Elapsed.TotalMilliseconds);
    }

    var count = await page.GetByTestId("match-count").IsVisibleAsync();
    var facets = await page.Locator(".gallery-facets").IsVisibleAsync();
    await page.CloseAsync();
    return $"gallery scroll at {total} blueprints, per page of 48 thumbnails (40 pages, alternating): tiles in the " +
           $"page {Stats(tilesIn)}; thumbnails in view loaded {Stats(shown)}; timed in the page, scroll to tiles " +
           $"painted {Stats(inPage)}; count and facets still shown: {count && facets}";
}


// Where the managed memory of the open circuits is: dotnet-gcdump's largest types by their objects' own size.
static async Task<string> HeapByTypeAsync(string gcdump, int process)
{
    var file = Path.Combine(Path.GetTempPath(), $"circuits-{process}.gcdump");
    foreach (var arguments in new[] { $"collect -p {process} -o {file}", $"report {file}" })
    {
        var run = Process.Start(new ProcessStartInfo(gcdump, arguments) { RedirectStandardOutput = true })!;
        var text = await run.StandardOutput.ReadToEndAsync();
        await run.WaitForExitAsync();
        if (arguments.StartsWith("report", StringComparison.Ordinal))
        {
            // The report lists large arrays by size bucket first; the types by their total follow.
            var lines = text.Split('\n');
            return $"heap with the circuits open ({file}):" + Environment.NewLine +
                   string.Join(Environment.NewLine, lines.Take(3).Concat(lines.Skip(3)
                       .Where(l => !l.Contains("(Bytes >", StringComparison.Ordinal)).Take(30)));
        }
    }

    return "";
}

static async Task SeedAsync(Options options, string data)
{
    var seed = Process.Start(new ProcessStartInfo("dotnet")
    {
        ArgumentList =
        {
            options.Cli, "dev", "seed-gallery", "--count", options.Blueprints.ToString(CultureInfo.InvariantCulture),
            "--data", data, "--user", "bench@aigc.test",
        },
        WorkingDirectory = Path.GetDirectoryName(options.Cli)!,
        Environment = { ["Queue__ShippedModelsDirectory"] = options.Models },
    })!;
    await seed.WaitForExitAsync();
    if (seed.ExitCode != 0)
        throw new InvalidOperationException("aigc dev seed-gallery failed");
}

static string Row(string name, int circuits, Probe before, Probe after, int opened) =>
    $"{name}: {opened}/{circuits} circuits; RSS {Mb(before.RssBytes):0.0} -> {Mb(after.RssBytes):0.0} MB " +
    $"({Mb((after.RssBytes - before.RssBytes) / circuits):0.00} MB per circuit); managed after full GC " +
    $"{Mb(before.ManagedBytes):0.0} -> {Mb(after.ManagedBytes):0.0} MB " +
    $"({Kb((after.ManagedBytes - before.ManagedBytes) / circuits):0} KB per circuit)";

static string Ratio(Probe tb, Probe ta, Probe ob, Probe oa)
{
    var rss = (double)(oa.RssBytes - ob.RssBytes) / (ta.RssBytes - tb.RssBytes);
    var managed = (double)(oa.ManagedBytes - ob.ManagedBytes) / (ta.ManagedBytes - tb.ManagedBytes);
    return $"ratio ours/template per circuit: RSS {rss:0.00}x, managed {managed:0.00}x";
}

static double Mb(long bytes) => bytes / 1048576.0;

static double Kb(long bytes) => bytes / 1024.0;

static string Stats(List<double> ms)
{
    var sorted = ms.Order().ToList();
    double At(double q) => sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(q * sorted.Count) - 1)];
    return $"p50 {At(0.5):0} ms, p95 {At(0.95):0} ms, max {sorted[^1]:0} ms (n={sorted.Count})";
}

internal sealed class Report
{
    public void Add(string line) => Console.WriteLine(line);
}

internal sealed record CpuWindow(TimeSpan Elapsed, long CpuMilliseconds, int Images, int Tiles)
{
    public double CpuPerImage => Images == 0 ? double.NaN : (double)CpuMilliseconds / Images;

    public string Describe(string label) =>
        $"CPU, {label}: {CpuMilliseconds:N0} ms in {Elapsed.TotalSeconds:0} s (opening the pages included), " +
        $"{Images} images stored, {Tiles} result tiles on the open pages: {CpuPerImage:0.0} ms CPU per image";
}

internal sealed record Options(string Portal, string Template, string Probe, string Cli, string Models, int Circuits,
    int Blueprints, int Rounds, string? GcDump, bool GalleryOnly)
{
    public static Options Parse(string[] args)
    {
        string Value(string name, string? fallback = null)
        {
            var at = Array.IndexOf(args, name);
            return at >= 0 && at + 1 < args.Length ? args[at + 1]
                : fallback ?? throw new ArgumentException($"{name} is required");
        }

        return new Options(Path.GetFullPath(Value("--portal")), Path.GetFullPath(Value("--template")),
            Path.GetFullPath(Value("--probe")), Path.GetFullPath(Value("--cli")), Path.GetFullPath(Value("--models")),
            int.Parse(Value("--circuits", "50"), CultureInfo.InvariantCulture),
            int.Parse(Value("--blueprints", "50000"), CultureInfo.InvariantCulture),
            int.Parse(Value("--rounds", "5"), CultureInfo.InvariantCulture),
            args.Contains("--gcdump") ? Value("--gcdump") : null,
            args.Contains("--gallery-only"));
    }
}
