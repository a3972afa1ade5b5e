using System.Net;
using System.Text.RegularExpressions;
using Aigc.Imaging.Metadata;
using Aigc.Platform.Accounts;
using Aigc.Platform.Data;
using Microsoft.EntityFrameworkCore;

namespace Aigc.Portal.Tests;

/// <summary>The Studio against a real portal: the form from the schema, refusals by field, SSE progress, reproduce.</summary>
public sealed class StudioTests
{
    private static readonly Dictionary<string, string> Flange = new() { ["c.part"] = "flange", ["c.view"] = "section", ["c.complexity"] = "high" };

    [Fact]
    public async Task Form_is_built_from_the_schema_and_filled_from_the_url_and_refusals_name_their_fields()
    {
        await using var host = new PortalHost(new Dictionary<string, string?> { ["Queue:RunWorker"] = "false", ["Queue:MaxQueuedImages"] = "6", ["Studio:MaxUploadBytes"] = "2048" });
        await host.CreateUserAsync("designer@aigc.test", PortalRoles.Designer);
        await host.CreateUserAsync("other@aigc.test", PortalRoles.Designer);
        await host.CreateUserAsync("marketer@aigc.test", PortalRoles.Marketer);
        using var client = await SignedInAsync(host, "designer@aigc.test");

        var page = await client.GetPageAsync("/studio?model=blueprints-64@v1&seed=42&count=3&preset=default&c.part=hex_nut&c.view=side");
        var chips = page.QuerySelectorAll("[data-testid=condition]").ToDictionary(c => c.GetAttribute("data-condition")!, c => c.QuerySelectorAll("[data-testid=chip]").Select(l => l.GetAttribute("data-value")).ToList());
        Assert.Equal(["part", "view", "complexity"], chips.Keys);
        Assert.Equal(8, chips["part"].Count);
        Assert.Equal(["front", "side", "section"], chips["view"]);
        Assert.Equal("hex_nut", page.QuerySelector("input[name='c.part']:checked")!.GetAttribute("value"));
        Assert.Equal("side", page.QuerySelector("input[name='c.view']:checked")!.GetAttribute("value"));
        Assert.Equal("low", page.QuerySelector("input[name='c.complexity']:checked")!.GetAttribute("value"));
        Assert.Equal("42", page.QuerySelector("#studio-seed")!.GetAttribute("value"));
        Assert.NotNull(page.QuerySelector("#studio-lock[checked]"));
        Assert.Equal("3", page.QuerySelector("#studio-count")!.GetAttribute("value"));

        // Every chip's sample image is rendered once, cached by hash.
        var sample = page.QuerySelector("[data-value=hex_nut] img")!.GetAttribute("src")!;
        var image = await client.GetAsync("/" + sample);
        Assert.Equal(HttpStatusCode.OK, image.StatusCode);
        Assert.Equal("image/png", image.Content.Headers.ContentType!.MediaType);
        var again = new HttpRequestMessage(HttpMethod.Get, "/" + sample);
        again.Headers.IfNoneMatch.Add(image.Headers.ETag!);
        Assert.Equal(HttpStatusCode.NotModified, (await client.SendAsync(again)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/" + sample.Replace("hex_nut", "sprocket"))).StatusCode);

        // Refusals land next to the field they concern, nothing else is swapped.
        await AssertRefusedAsync(client, Form(Flange, ("count", "0")), "error-count", "count must be from 1 to 64");
        await AssertRefusedAsync(client, Form(Flange, ("c.part", "sprocket")), "error-conditions-part", "\"sprocket\" is not a value of \"part\"");
        await AssertRefusedAsync(client, Form(Flange, ("seed", "abc"), ("lock", "on")), "error-seed", "seed must be a number");
        await AssertRefusedAsync(client, Form(Flange, ("preset", "glossy")), "error-preset", "Unknown preset \"glossy\"");
        await AssertRefusedAsync(client, Form(Flange, ("recipe", "vary"), ("strength", "2")), "error-form", "strength must be from 0 to 1");

        // Accepted work is kept; when the queue is full the answer says so, with the expected wait.
        var panel = await GenerateAsync(client, Form(Flange, ("count", "5"), ("seed", "9"), ("lock", "on")));
        var full = await client.HtmxPostAsync("/studio/generate", Form(Flange, ("count", "2")), "/studio");
        var fullText = await full.Content.ReadAsStringAsync();
        Assert.Contains("id=\"error-form\"", fullText);
        Assert.Contains("The queue is full", fullText);
        Assert.Matches(@"try again in about \d+ s", fullText);
        Assert.True(full.Headers.RetryAfter?.Delta > TimeSpan.Zero, "Retry-After should carry the expected wait");
        Assert.Equal(1, await host.QueryAsync(db => db.GenerationJobs.CountAsync()));

        // The last settings come back when the Studio opens without a query.
        var remembered = await client.GetPageAsync("/studio");
        Assert.Equal("flange", remembered.QuerySelector("input[name='c.part']:checked")!.GetAttribute("value"));
        Assert.Equal("9", remembered.QuerySelector("#studio-seed")!.GetAttribute("value"));
        Assert.Equal("5", remembered.QuerySelector("#studio-count")!.GetAttribute("value"));

        // Someone else's job streams nothing; its owner cancels it and the stream ends with the final state.
        using var other = await SignedInAsync(host, "other@aigc.test");
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/studio/jobs/{panel}/events")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.HtmxPostAsync($"/studio/jobs/{panel}/cancel", tokenPage: "/studio")).StatusCode);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var stream = await client.SendAsync(new HttpRequestMessage(HttpMethod.Get, $"/studio/jobs/{panel}/events"), HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await stream.Content.ReadAsStreamAsync(timeout.Token));
        var first = await ReadBlockAsync(reader, timeout.Token);
        Assert.StartsWith("event: progress", first);
        Assert.Contains("data-status=\"Queued\"", first);
        Assert.Contains("data-testid=\"cancel\"", first);
        Assert.Equal(HttpStatusCode.NoContent, (await client.HtmxPostAsync($"/studio/jobs/{panel}/cancel", tokenPage: "/studio")).StatusCode);
        var last = await ReadBlockAsync(reader, timeout.Token);
        Assert.StartsWith("event: done", last);
        Assert.Contains("data-status=\"Cancelled\"", last);
        Assert.Null(await reader.ReadLineAsync(timeout.Token));

        // Uploads are size-limited before anything reads them.
        Assert.Contains("the limit is 2 KiB", await ReproduceMessageAsync(client, new byte[3000]));

        // Marketers have no Studio.
        using var marketer = await SignedInAsync(host, "marketer@aigc.test");
        Assert.Equal(HttpStatusCode.Forbidden, (await marketer.GetAsync("/studio")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await marketer.GetAsync($"/studio/jobs/{panel}/events")).StatusCode);
    }

    [Fact]
    public async Task Generated_images_stream_in_and_a_downloaded_png_reproduces_identical_bytes_for_every_recipe()
    {
        await using var host = new PortalHost();
        await host.CreateUserAsync("designer@aigc.test", PortalRoles.Designer);
        using var client = await SignedInAsync(host, "designer@aigc.test");

        var job = await GenerateAsync(client, Form(Flange, ("count", "3"), ("seed", "1234"), ("lock", "on")));
        var events = await ReadEventsAsync(client, job);
        var tiles = events.Where(e => e.Name == "tile").Select(e => TileId(e.Data)).ToList();
        Assert.Equal(3, tiles.Count);
        Assert.Equal("done", events[^1].Name);
        Assert.Contains("data-status=\"Completed\"", events[^1].Data);
        Assert.Contains("3 of 3", events[^1].Data);

        // Sample → download → reproduce → same recipe → generate → identical pixels and metadata but the date.
        var first = await RoundTripAsync(client, tiles[1], expectSeed: 1235);

        // Vary and interpolate from tiles, then reproduce one image of each alone.
        var varyJob = PanelId(await Ok(await client.HtmxPostAsync($"/studio/blueprints/{tiles[0]}/vary", [new("strength", "0.3")], "/studio")));
        var varied = (await ReadEventsAsync(client, varyJob)).Where(e => e.Name == "tile").Select(e => TileId(e.Data)).ToList();
        Assert.Equal(4, varied.Count);
        await RoundTripAsync(client, varied[2], expectSeed: 1234);

        var strip = PanelId(await Ok(await client.HtmxPostAsync("/studio/interpolate", [new("pick", tiles[0].ToString()), new("pick", tiles[2].ToString()), new("frames", "5")], "/studio")));
        var stripEvents = await ReadEventsAsync(client, strip);
        var frames = stripEvents.Where(e => e.Name == "tile").Select(e => TileId(e.Data)).ToList();
        Assert.Equal(5, frames.Count);
        Assert.Contains("data-testid=\"contact-sheet\"", stripEvents[^1].Data);
        await RoundTripAsync(client, frames[3], expectSeed: 1234);
        // The ends of the strip are the two selected images.
        Assert.Equal(await PixelsAsync(client, tiles[0]), await PixelsAsync(client, frames[0]));
        Assert.Equal(await PixelsAsync(client, tiles[2]), await PixelsAsync(client, frames[4]));
        var sheet = await client.GetAsync($"/studio/jobs/{strip}/contact-sheet");
        Assert.Equal("image/png", sheet.Content.Headers.ContentType!.MediaType);
        var sheetBytes = await sheet.Content.ReadAsByteArrayAsync();
        Assert.Equal(5, PngWidth(sheetBytes) / 200);

        var more = PanelId(await Ok(await client.HtmxPostAsync($"/studio/blueprints/{tiles[2]}/more", tokenPage: "/studio")));
        var neighbours = (await ReadEventsAsync(client, more)).Where(e => e.Name == "tile").Select(e => Regex.Match(e.Data, "data-seed=\"(\\d+)\"").Groups[1].Value).ToList();
        Assert.Equal(["1237", "1238", "1239", "1240"], neighbours);
        Assert.NotEqual(first, await PixelsAsync(client, tiles[0]));

        // Files that cannot be reproduced say why.
        Assert.Contains("not a PNG", await ReproduceMessageAsync(client, "GIF89a not really"u8.ToArray()));
        var original = await (await client.GetAsync($"/blueprints/{tiles[0]}/image")).Content.ReadAsByteArrayAsync();
        var made = BlueprintMetadata.Read(original)!;
        var foreign = (made with { ModelName = "elsewhere", WeightsSha256 = new string('0', 64) }).WriteTo(original);
        Assert.Contains($"elsewhere@{made.ModelVersion}, a model version this portal does not know", await ReproduceMessageAsync(client, foreign));
        Assert.Contains("no Aigc Portal metadata", await ReproduceMessageAsync(client, await (await client.GetAsync($"/blueprints/{tiles[0]}/image?metadata=false")).Content.ReadAsByteArrayAsync()));
    }

    private static async Task<byte[]> RoundTripAsync(PortalClient client, Guid blueprint, long expectSeed)
    {
        var original = await (await client.GetAsync($"/blueprints/{blueprint}/image?download=true")).Content.ReadAsByteArrayAsync();
        var metadata = BlueprintMetadata.Read(original)!;
        Assert.Equal(expectSeed, metadata.Seed);
        var response = await UploadAsync(client, original);
        var url = response.Headers.GetValues("HX-Redirect").Single();
        Assert.StartsWith("/studio?", url);
        var page = await client.GetPageAsync(url);
        var form = page.QuerySelector("#studio-form")!;
        var values = form.QuerySelectorAll("input[type=hidden], input[type=number], input:checked, select")
            .Select(e => new KeyValuePair<string, string>(e.GetAttribute("name")!, (e is AngleSharp.Html.Dom.IHtmlSelectElement select ? select.Value : e.GetAttribute("value")) ?? ""))
            .ToList();
        Assert.Contains(new KeyValuePair<string, string>("count", "1"), values);
        var job = await GenerateAsync(client, values);
        var tile = (await ReadEventsAsync(client, job)).Where(e => e.Name == "tile").Select(e => TileId(e.Data)).Single();
        var again = await (await client.GetAsync($"/blueprints/{tile}/image?download=true")).Content.ReadAsByteArrayAsync();
        // The whole file, metadata included: same model, conditions, seed, preset and recipe, and no creation time.
        Assert.Equal(original, again);
        return BlueprintMetadata.Strip(again);
    }

    /// <summary>The width of a PNG from its IHDR: five 192-pixel cells and their gaps make a sheet 1,000–1,100 wide.</summary>
    private static int PngWidth(byte[] png) => System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16, 4));

    private static async Task<byte[]> PixelsAsync(PortalClient client, Guid blueprint) =>
        await (await client.GetAsync($"/blueprints/{blueprint}/image?metadata=false")).Content.ReadAsByteArrayAsync();

    private static async Task<string> ReproduceMessageAsync(PortalClient client, byte[] file)
    {
        var response = await UploadAsync(client, file);
        Assert.False(response.Headers.Contains("HX-Redirect"));
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("data-testid=\"reproduce-message\"", html);
        return html;
    }

    private static async Task<HttpResponseMessage> UploadAsync(PortalClient client, byte[] file)
    {
        var page = await client.GetPageAsync("/studio");
        var token = page.QuerySelector("meta[name=request-verification-token]")!.GetAttribute("content")!;
        var content = new MultipartFormDataContent { { new ByteArrayContent(file), "file", "upload.png" } };
        var request = new HttpRequestMessage(HttpMethod.Post, "/studio/reproduce") { Content = content };
        request.Headers.Add("HX-Request", "true");
        request.Headers.Add("RequestVerificationToken", token);
        var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return response;
    }

    private static async Task AssertRefusedAsync(PortalClient client, List<KeyValuePair<string, string>> form, string slot, string message)
    {
        var response = await client.HtmxPostAsync("/studio/generate", form, "/studio");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("none", response.Headers.GetValues("HX-Reswap").Single());
        var html = PortalClient.Parse(await response.Content.ReadAsStringAsync());
        var error = html.QuerySelector($"#{slot}[hx-swap-oob]");
        Assert.True(error is not null, $"no refusal in {slot}: {html.Body!.InnerHtml}");
        Assert.Contains(message, error.TextContent);
        Assert.Null(html.QuerySelector("[data-testid=job-panel]"));
    }

    private static async Task<Guid> GenerateAsync(PortalClient client, List<KeyValuePair<string, string>> form) =>
        PanelId(await Ok(await client.HtmxPostAsync("/studio/generate", form, "/studio")));

    private static async Task<string> Ok(HttpResponseMessage response)
    {
        var html = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK && !response.Headers.Contains("HX-Reswap"), $"{(int)response.StatusCode}: {html}");
        return html;
    }

    private static Guid PanelId(string html)
    {
        var panel = PortalClient.Parse(html).QuerySelector("[data-testid=job-panel]");
        Assert.True(panel is not null, html);
        Assert.NotNull(panel.QuerySelector($"[sse-connect='studio/jobs/{panel.GetAttribute("data-job")}/events'][sse-close=done]"));
        return Guid.Parse(panel.GetAttribute("data-job")!);
    }

    private static Guid TileId(string html) => Guid.Parse(PortalClient.Parse(html).QuerySelector("[data-testid=result-tile]")!.GetAttribute("data-blueprint")!);

    /// <summary>One event block of a stream read as it arrives (the lines up to the blank line).</summary>
    private static async Task<string> ReadBlockAsync(StreamReader reader, CancellationToken cancellationToken)
    {
        var lines = new List<string>();
        while (await reader.ReadLineAsync(cancellationToken) is { } line && (line.Length > 0 || lines.Count == 0))
            if (line.Length > 0)
                lines.Add(line);
        return string.Join("\n", lines);
    }

    /// <summary>Reads a job's event stream to its end: the server closes it after the final event.</summary>
    private static async Task<List<(string Name, string Data)>> ReadEventsAsync(PortalClient client, Guid job)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        var request = new HttpRequestMessage(HttpMethod.Get, $"/studio/jobs/{job}/events");
        var response = await client.SendAsync(request);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType!.MediaType);
        var text = await response.Content.ReadAsStringAsync(timeout.Token);
        var events = new List<(string, string)>();
        foreach (var block in text.Split("\n\n", StringSplitOptions.RemoveEmptyEntries))
        {
            var lines = block.Split('\n');
            var name = lines.FirstOrDefault(l => l.StartsWith("event: ", StringComparison.Ordinal))?["event: ".Length..] ?? "message";
            var data = string.Join("\n", lines.Where(l => l.StartsWith("data: ", StringComparison.Ordinal)).Select(l => l["data: ".Length..]));
            events.Add((name, data));
        }

        return events;
    }

    private static async Task<PortalClient> SignedInAsync(PortalHost host, string email)
    {
        var client = host.NewClient();
        await client.SignInOrFailAsync(email, TestUsers.Password);
        return client;
    }

    private static List<KeyValuePair<string, string>> Form(Dictionary<string, string> conditions, params (string Key, string Value)[] fields)
    {
        var values = new Dictionary<string, string>(conditions) { ["model"] = "blueprints-64", ["count"] = "4", ["preset"] = "default" };
        foreach (var (key, value) in fields)
            values[key] = value;
        return values.ToList();
    }
}
