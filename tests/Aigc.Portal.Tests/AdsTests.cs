using System.IO.Compression;
using System.Net;
using System.Security.Claims;
using System.Text;
using Aigc.Imaging;
using Aigc.Platform.Accounts;
using Aigc.Platform.Ads;
using Aigc.Platform.Data;
using Aigc.Platform.Queue;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Aigc.Portal.Tests;

/// <summary>
/// The Ads services and their HTTP resources: who may use them, brand kits with validated logos, the preview, render
/// all, the ZIP, rendering again after the brand kit changed, and another user's campaign answering like a missing one.
/// </summary>
public sealed class AdsTests(AdsHostFixture fixture) : IClassFixture<AdsHostFixture>
{
    private PortalHost Host => fixture.Host;

    [Fact]
    public async Task A_designer_without_the_marketer_role_cannot_open_ads_and_a_marketer_can()
    {
        var user = await Host.FindUserAsync("marketer@aigc.test");
        await WithAsync<BrandKits, BrandKit>(k => k.SaveAsync(null, Kit("Roles", "Kit"), null, false, Principal(user, PortalRoles.Marketer)));
        using var designer = Host.NewClient();
        await designer.SignInOrFailAsync("designer@aigc.test", TestUsers.Password);
        Assert.Equal(HttpStatusCode.Forbidden, (await designer.GetAsync("/ads")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await designer.GetAsync("/ads/compose")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await designer.GetAsync($"/ads/previews/{Guid.NewGuid()}")).StatusCode);

        using var marketer = Host.NewClient();
        await marketer.SignInOrFailAsync("marketer@aigc.test", TestUsers.Password);
        Assert.Equal(HttpStatusCode.OK, (await marketer.GetAsync("/ads")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await marketer.GetAsync("/ads/kits")).StatusCode);
        // "Make an ad" passes the blueprint; the composer starts with it chosen.
        var compose = await marketer.GetPageAsync($"/ads/compose?blueprint={fixture.Blueprint.Id}");
        Assert.Equal("true", compose.QuerySelector($"[data-blueprint='{fixture.Blueprint.Id}']")?.GetAttribute("aria-pressed"));
    }

    [Fact]
    public async Task Hostile_logos_unknown_fonts_and_too_large_logos_are_refused_with_a_clear_message()
    {
        var marketer = Principal(await Host.FindUserAsync("marketer@aigc.test"), PortalRoles.Marketer);
        var script = """<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script></svg>""";
        var refused = await Assert.ThrowsAsync<AdInputException>(() =>
            WithAsync<BrandKits, BrandKit>(k => k.SaveAsync(null, Kit("Security", "Script logo"), Encoding.UTF8.GetBytes(script), false, marketer)));
        Assert.Contains(refused.Problems, p => p.Field == "logo" && p.Message.Contains("logos may not carry scripts"));

        var font = await Assert.ThrowsAsync<AdInputException>(() =>
            WithAsync<BrandKits, BrandKit>(k => k.SaveAsync(null, Kit("Security", "Odd font") with { FontFamily = "Comic Nonsense" }, null, false, marketer)));
        Assert.Contains(font.Problems, p => p.Field == "font" && p.Message.Contains("'Comic Nonsense' is not installed on the server"));

        // A logo larger than Ads:MaxLogoBytes is refused as soon as the stream passes the limit, whatever was claimed.
        var max = Host.Services.GetRequiredService<IOptions<AdsOptions>>().Value.MaxLogoBytes;
        using var large = new MemoryStream(new byte[max + 1]);
        var tooLarge = await Assert.ThrowsAsync<AdInputException>(() => WithAsync<BrandKits, byte[]>(k => k.ReadLogoAsync(large)));
        Assert.Equal("logo", tooLarge.Problems.Single().Field);
        Assert.Contains($"{max:N0} bytes", tooLarge.Problems.Single().Message);
        using var fits = new MemoryStream(new byte[max]);
        Assert.Equal(max, (await WithAsync<BrandKits, byte[]>(k => k.ReadLogoAsync(fits))).Length);
        Assert.False(await Host.QueryAsync(db => db.BrandKits.AnyAsync(k => k.Team == "Security")));
    }

    [Fact]
    public async Task A_marketer_composes_previews_renders_all_sizes_downloads_the_zip_and_renders_again_after_a_kit_change()
    {
        var user = await Host.FindUserAsync("marketer@aigc.test");
        var marketer = Principal(user, PortalRoles.Marketer);
        var requester = new Requester(user.Id, [PortalRoles.Marketer]);
        using var client = Host.NewClient();
        await client.SignInOrFailAsync("marketer@aigc.test", TestUsers.Password);
        using var logo = VipsImage.FromPixels(Enumerable.Repeat((byte)200, 32 * 16 * 4).ToArray(), 32, 16, 4);
        var kit = await WithAsync<BrandKits, BrandKit>(k => k.SaveAsync(null, Kit("Growth", "Northwind"), logo.EncodePng(), false, marketer));
        Assert.Equal(("image/png", "#0b4f9c"), (kit.LogoContentType, kit.PrimaryColour));
        Assert.Equal("image/png", (await client.GetAsync($"/ads/kits/{kit.Id}/logo")).Content.Headers.ContentType!.MediaType);

        var form = Compose(kit.Id, "Spring Launch — Gears!");
        var (png, warnings) = await WithAsync<AdCampaigns, (byte[], IReadOnlyList<AdNotice>)>(c => c.PreviewAsync(form, "300x250", requester, default));
        using (var decoded = VipsImage.Decode(png))
            Assert.Equal((300, 250), (decoded.Width, decoded.Height));
        // The legal text cannot be legible at 300×250: the preview says so.
        Assert.Contains(warnings, w => w.Message.Contains("Legal text had to shrink"));
        // The preview is served as an image to its owner only.
        var previewId = Host.Services.GetRequiredService<AdPreviews>().Put(user.Id, png);
        var served = await client.GetAsync($"/ads/previews/{previewId}");
        Assert.Equal(("image/png", png.Length), (served.Content.Headers.ContentType!.MediaType, (await served.Content.ReadAsByteArrayAsync()).Length));

        var campaign = await WithAsync<AdCampaigns, AdCampaign>(c => c.SaveAsync(null, form, requester));
        await WithAsync<AdCampaigns, IReadOnlyList<AdNotice>>(c => c.RenderAsync(campaign.Id, requester, default));
        var campaignPath = $"/ads/campaigns/{campaign.Id}";
        Assert.Equal(7, (await client.GetPageAsync(campaignPath)).QuerySelectorAll("[data-testid=render-tile]").Length);

        var first = await ZipEntriesAsync(client, campaign.Id);
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
        await WithAsync<BrandKits, BrandKit>(k => k.SaveAsync(kit.Id, Kit("Growth", "Northwind") with { PrimaryColour = "#7a1f5c" }, null, false, marketer));
        Assert.NotNull((await client.GetPageAsync(campaignPath)).QuerySelector("[data-testid=kit-changed]"));
        await WithAsync<AdCampaigns, IReadOnlyList<AdNotice>>(c => c.RenderAsync(campaign.Id, requester, default));
        var second = await ZipEntriesAsync(client, campaign.Id);
        Assert.Equal(first.Keys.Order(), second.Keys.Order());
        Assert.All(first, entry => Assert.NotEqual(entry.Value, second[entry.Key]));

        // Edited texts through the composer (?campaign=): the same campaign, rendered afresh with the new headline.
        var edit = await client.GetPageAsync($"/ads/compose?campaign={campaign.Id}");
        Assert.Equal("true", edit.QuerySelector($"[data-blueprint='{fixture.Blueprint.Id}']")?.GetAttribute("aria-pressed"));
        var edited = form with { Headline = "Gears that fit first time" };
        Assert.Equal(campaign.Id, (await WithAsync<AdCampaigns, AdCampaign>(c => c.SaveAsync(campaign.Id, edited, requester))).Id);
        await WithAsync<AdCampaigns, IReadOnlyList<AdNotice>>(c => c.RenderAsync(campaign.Id, requester, default));
        Assert.Equal("Gears that fit first time", await Host.QueryAsync(db => db.AdCampaigns.Where(c => c.Id == campaign.Id).Select(c => c.Headline).SingleAsync()));
        var third = await ZipEntriesAsync(client, campaign.Id);
        Assert.All(second, entry => Assert.NotEqual(entry.Value, third[entry.Key]));

        // Someone else's campaign, its files and previews answer like missing ones.
        var otherUser = await Host.FindUserAsync("marketer2@aigc.test");
        var other = new Requester(otherUser.Id, [PortalRoles.Marketer]);
        using var otherClient = Host.NewClient();
        await otherClient.SignInOrFailAsync("marketer2@aigc.test", TestUsers.Password);
        var theirs = await otherClient.GetAsync(campaignPath);
        var missing = await otherClient.GetAsync($"/ads/campaigns/{Guid.NewGuid()}");
        Assert.Equal((HttpStatusCode.NotFound, HttpStatusCode.NotFound), (theirs.StatusCode, missing.StatusCode));
        var theirsPage = PortalClient.Parse(await theirs.Content.ReadAsStringAsync());
        Assert.NotNull(theirsPage.QuerySelector("[data-testid=error-404]"));
        Assert.DoesNotContain("Spring Launch", theirsPage.Body!.TextContent);
        Assert.Equal(theirsPage.Body.TextContent, PortalClient.Parse(await missing.Content.ReadAsStringAsync()).Body!.TextContent);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(campaignPath)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await otherClient.GetAsync($"/ads/campaigns/{campaign.Id}/zip")).StatusCode);
        var renderId = await Host.QueryAsync(db => db.AdRenders.Where(r => r.CampaignId == campaign.Id).Select(r => r.Id).FirstAsync());
        Assert.Equal(HttpStatusCode.NotFound, (await otherClient.GetAsync($"/ads/renders/{renderId}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/ads/renders/{renderId}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await otherClient.GetAsync($"/ads/previews/{previewId}")).StatusCode);
        Assert.Null(await WithAsync<AdCampaigns, AdCampaign?>(c => c.FindAsync(campaign.Id, other)));
        await Assert.ThrowsAsync<KeyNotFoundException>(() => WithAsync<AdCampaigns, IReadOnlyList<AdNotice>>(c => c.RenderAsync(campaign.Id, other, default)));
        var stolen = await Assert.ThrowsAsync<AdInputException>(() =>
            WithAsync<AdCampaigns, (byte[], IReadOnlyList<AdNotice>)>(c => c.PreviewAsync(form, "300x250", other, default)));
        Assert.Contains(stolen.Problems, p => p.Message.Contains("not yours to use"));
    }

    [Fact]
    public async Task An_ad_draws_the_blueprint_made_again_at_512_px_or_its_stored_file_when_it_cannot_be_made_again()
    {
        var shots = Host.Services.GetRequiredService<ProductShots>();
        using var drawing = await shots.DrawAsync(fixture.Blueprint);

        Assert.NotNull(drawing);
        Assert.Equal((512, 512, 1), (drawing.Width, drawing.Height, drawing.Bands));
        // The same drawing as the stored 256-px file: reduced to its size, their lines (past mid-grey) mostly agree.
        var blobs = Host.Services.GetRequiredService<Aigc.Platform.Blobs.BlobStore>();
        var stored = await blobs.ReadAllAsync(fixture.Blueprint.FileSha256);
        using var file = VipsImage.Decode(stored);
        using var fileGrey = file.ToGreyscale();
        using var reduced = drawing.Thumbnail(file.Width, file.Height);
        Assert.InRange(LineOverlap(reduced.ToPixels(), fileGrey.ToPixels()), 0.7, 1.0);

        // A job whose model version is gone: the stored file serves (null), nothing throws.
        var orphan = await Host.QueryAsync(async db =>
        {
            var job = await db.GenerationJobs.AsNoTracking().SingleAsync(j => j.Id == fixture.Blueprint.JobId);
            job.Id = Guid.CreateVersion7();
            job.ModelSha256 = new string('0', 64);
            db.GenerationJobs.Add(job);
            await db.SaveChangesAsync();
            return job;
        });
        Assert.Null(await shots.DrawAsync(new Blueprint
        {
            JobId = orphan.Id, ConditionsJson = orphan.ConditionsJson, FileSha256 = fixture.Blueprint.FileSha256,
            ContentType = "image/png",
        }));
    }

    /// <summary>Pixels at or past mid-grey in both, over those in either (line IoU).</summary>
    private static double LineOverlap(byte[] a, byte[] b)
    {
        Assert.Equal(a.Length, b.Length);
        var (both, either) = (0, 0);
        for (var i = 0; i < a.Length; i++)
        {
            both += a[i] >= 128 && b[i] >= 128 ? 1 : 0;
            either += a[i] >= 128 || b[i] >= 128 ? 1 : 0;
        }

        return either == 0 ? 0 : (double)both / either;
    }

    [Fact]
    public async Task A_campaign_with_missing_texts_is_refused_naming_the_fields()
    {
        var user = await Host.FindUserAsync("marketer@aigc.test");
        var form = Compose(Guid.NewGuid(), "") with { Headline = "", Sizes = [] };
        var refused = await Assert.ThrowsAsync<AdInputException>(() =>
            WithAsync<AdCampaigns, AdCampaign>(c => c.SaveAsync(null, form, new Requester(user.Id, [PortalRoles.Marketer]))));
        var messages = refused.Problems.Select(p => p.Message).ToList();
        Assert.Contains("Headline is required.", messages);
        Assert.Contains("Campaign name is required.", messages);
        Assert.Contains("Choose at least one size.", messages);
        Assert.Contains(messages, m => m.StartsWith("That brand kit does not exist"));
        Assert.False(await Host.QueryAsync(db => db.AdCampaigns.AnyAsync(c => c.OwnerId == user.Id && c.Name == "")));
    }

    private CampaignForm Compose(Guid kit, string name) => new(
        name, kit, "hero", "Precision you can hold", "Helical gears cut to 5 µm, shipped in a week.", "Order a sample",
        "Prices excl. VAT. Offer valid until 31 Dec 2026 while stocks last.", "",
        Aigc.Imaging.Ads.AdSize.Standard.Select(s => s.ToString()).ToList(), [fixture.Blueprint.Id]);

    private static BrandKitForm Kit(string team, string name) => new(team, name, "#0b4f9c", "#f59e0b", "#f8fafc", "Inter", "Learn more");

    private static ClaimsPrincipal Principal(PortalUser user, string role) => new(new ClaimsIdentity(
        [new Claim(ClaimTypes.NameIdentifier, user.Id), new Claim(ClaimTypes.Name, user.Email!), new Claim(ClaimTypes.Role, role)], "test"));

    private async Task<TResult> WithAsync<TService, TResult>(Func<TService, Task<TResult>> use) where TService : notnull
    {
        await using var scope = Host.Services.CreateAsyncScope();
        return await use(scope.ServiceProvider.GetRequiredService<TService>());
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
