using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Aigc.Imaging;
using Aigc.Platform.Accounts;
using Aigc.Platform.Data;
using Aigc.Platform.Queue;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Aigc.Portal.Tests;

/// <summary>
/// The ad composer end to end over HTTP: who may use it, brand kits with validated logos, live preview, render all,
/// the ZIP, and rendering again after the brand kit changed.
/// </summary>
public sealed class AdsTests(AdsHostFixture fixture) : IClassFixture<AdsHostFixture>
{
    private PortalHost Host => fixture.Host;

    [Fact]
    public async Task A_designer_without_the_marketer_role_cannot_open_ads_and_a_marketer_can()
    {
        using var designer = Host.NewClient();
        await designer.SignInOrFailAsync("designer@aigc.test", TestUsers.Password);
        Assert.Equal(HttpStatusCode.Forbidden, (await designer.GetAsync("/ads")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await designer.GetAsync("/ads/compose")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await designer.HtmxPostAsync("/ads/preview", [])).StatusCode);

        using var marketer = Host.NewClient();
        await marketer.SignInOrFailAsync("marketer@aigc.test", TestUsers.Password);
        Assert.Equal(HttpStatusCode.OK, (await marketer.GetAsync("/ads")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await marketer.GetAsync("/ads/kits")).StatusCode);
    }

    [Fact]
    public async Task Hostile_logos_and_unknown_fonts_are_refused_with_a_clear_message()
    {
        using var marketer = Host.NewClient();
        await marketer.SignInOrFailAsync("marketer@aigc.test", TestUsers.Password);
        var script = """<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script></svg>""";
        var response = await PostKitAsync(marketer, KitFields("Security", "Script logo"), ("logo.svg", Encoding.UTF8.GetBytes(script)));
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("logos may not carry scripts", html);
        Assert.False(response.Headers.Contains("HX-Redirect"));

        var fields = KitFields("Security", "Odd font");
        fields["font"] = "Comic Nonsense";
        html = await (await PostKitAsync(marketer, fields)).Content.ReadAsStringAsync();
        Assert.Contains("The font family &#x27;Comic Nonsense&#x27; is not installed on the server", html);
        Assert.False(await Host.QueryAsync(db => db.BrandKits.AnyAsync(k => k.Team == "Security")));
    }

    [Fact]
    public async Task A_marketer_composes_previews_renders_all_sizes_downloads_the_zip_and_renders_again_after_a_kit_change()
    {
        using var marketer = Host.NewClient();
        await marketer.SignInOrFailAsync("marketer@aigc.test", TestUsers.Password);
        using var logo = VipsImage.FromPixels(Enumerable.Repeat((byte)200, 32 * 16 * 4).ToArray(), 32, 16, 4);
        var saved = await PostKitAsync(marketer, KitFields("Growth", "Northwind"), ("logo.png", logo.EncodePng()));
        Assert.StartsWith("/ads/kits?saved=", saved.Headers.GetValues("HX-Redirect").Single());
        var kit = await Host.QueryAsync(db => db.BrandKits.AsNoTracking().SingleAsync(k => k.Name == "Northwind"));
        Assert.Equal(("image/png", "#0b4f9c"), (kit.LogoContentType, kit.PrimaryColour));

        var compose = await marketer.GetPageAsync($"/ads/compose?blueprint={fixture.Blueprint.Id}");
        Assert.NotNull(compose.QuerySelector($"input[name=blueprint][value='{fixture.Blueprint.Id}'][checked]"));

        var form = ComposeFields(kit.Id, "Spring Launch — Gears!");
        var preview = await marketer.HtmxPostAsync("/ads/preview", form.Append(new("preview", "300x250")), "/ads/compose");
        var previewPage = PortalClient.Parse(await preview.Content.ReadAsStringAsync());
        var image = previewPage.QuerySelector("[data-testid=ad-preview] img")!.GetAttribute("src")!;
        using (var decoded = VipsImage.Decode(Convert.FromBase64String(image["data:image/png;base64,".Length..])))
            Assert.Equal((300, 250), (decoded.Width, decoded.Height));
        // The legal text cannot be legible at 300×250: the preview says so.
        Assert.Contains("Legal text had to shrink", previewPage.QuerySelector("[data-testid=ad-warnings]")!.TextContent);

        var rendered = await marketer.HtmxPostAsync("/ads/campaigns", form, "/ads/compose");
        Assert.Equal(HttpStatusCode.OK, rendered.StatusCode);
        var campaignPath = rendered.Headers.GetValues("HX-Redirect").Single();
        var campaignId = Guid.Parse(campaignPath["/ads/campaigns/".Length..]);
        Assert.Equal(7, (await marketer.GetPageAsync(campaignPath)).QuerySelectorAll("[data-testid=render-tile]").Length);

        var first = await ZipEntriesAsync(marketer, campaignId);
        var expected = Aigc.Imaging.Ads.AdSize.Standard.SelectMany(s => new[] { $"spring-launch-gears_{s}_v1.png", $"spring-launch-gears_{s}_v1.jpg" });
        Assert.Equal(expected.Order(), first.Keys.Order());
        foreach (var (name, bytes) in first)
        {
            using var decoded = VipsImage.Decode(bytes);
            var size = Aigc.Imaging.Ads.AdSize.Parse(name.Split('_')[1]);
            Assert.Equal((size.Width, size.Height, 3), (decoded.Width, decoded.Height, decoded.Bands));
            Assert.Equal(name.EndsWith(".png") ? ImageFormat.Png : ImageFormat.Jpeg, ImageFormatSniffer.Detect(bytes));
            Assert.False(bytes.AsSpan().IndexOf("Exif"u8) >= 0 || bytes.AsSpan().IndexOf("tEXt"u8) >= 0 || bytes.AsSpan().IndexOf("iTXt"u8) >= 0, $"{name} carries metadata");
        }

        // A new primary colour, then render again: every file changes, the names stay.
        var changed = KitFields("Growth", "Northwind");
        changed["primary"] = "#7a1f5c";
        await PostKitAsync(marketer, changed, path: $"/ads/kits/{kit.Id}/save");
        Assert.NotNull((await marketer.GetPageAsync(campaignPath)).QuerySelector("[data-testid=kit-changed]"));
        var again = await marketer.HtmxPostAsync($"/ads/campaigns/{campaignId}/render", [], campaignPath);
        Assert.Equal("true", again.Headers.GetValues("HX-Refresh").Single());
        var second = await ZipEntriesAsync(marketer, campaignId);
        Assert.Equal(first.Keys.Order(), second.Keys.Order());
        Assert.All(first, entry => Assert.NotEqual(entry.Value, second[entry.Key]));

        // Edited texts through the composer (?campaign=): the same campaign, rendered afresh with the new headline.
        Assert.NotNull((await marketer.GetPageAsync($"/ads/compose?campaign={campaignId}")).QuerySelector($"input[name=campaign][value='{campaignId}']"));
        var edited = ComposeFields(kit.Id, "Spring Launch — Gears!").Where(f => f.Key != "headline")
            .Append(new("headline", "Gears that fit first time")).Append(new("campaign", campaignId.ToString()));
        var resaved = await marketer.HtmxPostAsync("/ads/campaigns", edited, "/ads/compose");
        Assert.Equal(campaignPath, resaved.Headers.GetValues("HX-Redirect").Single());
        Assert.Equal("Gears that fit first time", await Host.QueryAsync(db => db.AdCampaigns.Where(c => c.Id == campaignId).Select(c => c.Headline).SingleAsync()));
        var third = await ZipEntriesAsync(marketer, campaignId);
        Assert.All(second, entry => Assert.NotEqual(entry.Value, third[entry.Key]));

        // Someone else's campaign answers like a missing one.
        using var other = Host.NewClient();
        await other.SignInOrFailAsync("marketer2@aigc.test", TestUsers.Password);
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/ads/campaigns/{campaignId}/zip")).StatusCode);
        var renderId = await Host.QueryAsync(db => db.AdRenders.Where(r => r.CampaignId == campaignId).Select(r => r.Id).FirstAsync());
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/ads/renders/{renderId}")).StatusCode);
        var stolen = await other.HtmxPostAsync("/ads/preview", ComposeFields(kit.Id, "x").Append(new("preview", "300x250")), "/ads/compose");
        Assert.Contains("not yours to use", await stolen.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_campaign_with_missing_texts_is_refused_naming_the_fields()
    {
        using var marketer = Host.NewClient();
        await marketer.SignInOrFailAsync("marketer@aigc.test", TestUsers.Password);
        var fields = ComposeFields(Guid.NewGuid(), "").Where(f => f.Key is not ("headline" or "sizes")).ToList();
        var html = await (await marketer.HtmxPostAsync("/ads/campaigns", fields, "/ads/compose")).Content.ReadAsStringAsync();
        Assert.Contains("Headline is required.", html);
        Assert.Contains("Campaign name is required.", html);
        Assert.Contains("Choose at least one size.", html);
        Assert.Contains("That brand kit does not exist", html);
    }

    private List<KeyValuePair<string, string>> ComposeFields(Guid kit, string name)
    {
        var fields = new List<KeyValuePair<string, string>>
        {
            new("blueprint", fixture.Blueprint.Id.ToString()), new("kit", kit.ToString()), new("template", "hero"), new("treatment", ""),
            new("headline", "Precision you can hold"), new("subline", "Helical gears cut to 5 µm, shipped in a week."),
            new("cta", "Order a sample"), new("legal", "Prices excl. VAT. Offer valid until 31 Dec 2026 while stocks last."), new("name", name),
        };
        fields.AddRange(Aigc.Imaging.Ads.AdSize.Standard.Select(s => new KeyValuePair<string, string>("sizes", s.ToString())));
        return fields;
    }

    private static Dictionary<string, string> KitFields(string team, string name) => new()
    {
        ["team"] = team, ["name"] = name, ["primary"] = "#0b4f9c", ["secondary"] = "#f59e0b", ["background"] = "#f8fafc",
        ["font"] = "Inter", ["cta"] = "Learn more",
    };

    private static async Task<HttpResponseMessage> PostKitAsync(PortalClient client, Dictionary<string, string> fields,
        (string Name, byte[] Bytes)? logo = null, string path = "/ads/kits/save")
    {
        var page = await client.GetPageAsync("/ads/kits");
        var token = page.QuerySelector("meta[name=request-verification-token]")!.GetAttribute("content")!;
        var content = new MultipartFormDataContent();
        foreach (var (key, value) in fields) content.Add(new StringContent(value), key);
        if (logo is { } file)
        {
            var part = new ByteArrayContent(file.Bytes);
            part.Headers.ContentType = new MediaTypeHeaderValue(file.Name.EndsWith(".svg") ? "image/svg+xml" : "image/png");
            content.Add(part, "logo", file.Name);
        }
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = content };
        request.Headers.Add("HX-Request", "true");
        request.Headers.Add("RequestVerificationToken", token);
        return await client.SendAsync(request);
    }

    private static async Task<Dictionary<string, byte[]>> ZipEntriesAsync(PortalClient client, Guid campaignId)
    {
        var response = await client.GetAsync($"/ads/campaigns/{campaignId}/zip");
        Assert.Equal("application/zip", response.Content.Headers.ContentType!.MediaType);
        using var zip = new ZipArchive(new MemoryStream(await response.Content.ReadAsByteArrayAsync()));
        var entries = new Dictionary<string, byte[]>();
        foreach (var entry in zip.Entries)
        {
            using var stream = entry.Open();
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            entries[entry.FullName] = buffer.ToArray();
        }
        return entries;
    }
}

/// <summary>One portal with a marketer, a second marketer and a designer, and one blueprint the marketer generated as themselves.</summary>
public sealed class AdsHostFixture : IAsyncLifetime
{
    public PortalHost Host { get; } = new();

    public Blueprint Blueprint { get; private set; } = default!;

    public async Task InitializeAsync()
    {
        var marketer = await Host.CreateUserAsync("marketer@aigc.test", PortalRoles.Marketer);
        await Host.CreateUserAsync("marketer2@aigc.test", PortalRoles.Marketer);
        await Host.CreateUserAsync("designer@aigc.test", PortalRoles.Designer);
        var requester = new Requester(marketer.Id, [PortalRoles.Marketer]);
        GenerationJob job;
        await using (var scope = Host.Services.CreateAsyncScope())
        {
            job = await scope.ServiceProvider.GetRequiredService<GenerationQueue>().EnqueueAsync(new GenerationRequest("blueprints-64",
                new Dictionary<string, string> { ["part"] = "spur_gear", ["view"] = "front", ["complexity"] = "low" }, 1, 42),
                // Marketers may not generate (GenerationPolicy): the image is queued in the marketer's name as a designer would.
                requester with { Roles = [PortalRoles.Designer] });
        }
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await foreach (var progress in Host.Services.GetRequiredService<JobProgressFeed>().WatchAsync(job.Id, requester, timeout.Token))
            if (progress.IsFinal) Assert.Equal(JobStatus.Completed, progress.Status);
        Blueprint = await Host.QueryAsync(db => db.Blueprints.AsNoTracking().SingleAsync(b => b.JobId == job.Id));
    }

    public async Task DisposeAsync() => await Host.DisposeAsync();
}
