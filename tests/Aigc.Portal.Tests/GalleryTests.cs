using System.IO.Compression;
using System.Net;
using System.Text.Json;
using Aigc.Imaging.Metadata;
using Aigc.Platform.Accounts;
using Aigc.Platform.Data;
using Aigc.Platform.Queue;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Aigc.Portal.Tests;

/// <summary>Three real blueprints of one author; another designer who must not see them until a collection is shared.</summary>
public sealed class GalleryFixture : IAsyncLifetime
{
    public const string Author = "author@gallery.test";
    public const string Other = "other@gallery.test";

    // With the default interval: a renewed session cookie would make image responses uncacheable.
    public PortalHost Host { get; } = new(new Dictionary<string, string?> { ["Accounts:SecurityStampValidationInterval"] = "00:30:00" });

    public List<Blueprint> Blueprints { get; private set; } = [];

    public async Task InitializeAsync()
    {
        var author = await Host.CreateUserAsync(Author, PortalRoles.Designer);
        await Host.CreateUserAsync(Other, PortalRoles.Designer);
        var requester = new Requester(author.Id, [PortalRoles.Designer]);
        GenerationJob job;
        await using (var scope = Host.Services.CreateAsyncScope())
        {
            job = await scope.ServiceProvider.GetRequiredService<GenerationQueue>().EnqueueAsync(new GenerationRequest("blueprints-64",
                new Dictionary<string, string> { ["part"] = "flange", ["view"] = "front", ["complexity"] = "low" }, 3, 7), requester);
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        await foreach (var progress in Host.Services.GetRequiredService<JobProgressFeed>().WatchAsync(job.Id, requester, timeout.Token))
        {
            if (progress.IsFinal)
                Assert.Equal(JobStatus.Completed, progress.Status);
        }

        Blueprints = await Host.QueryAsync(db => db.Blueprints.AsNoTracking().Where(b => b.JobId == job.Id).OrderBy(b => b.Index).ToListAsync());
    }

    public async Task<PortalClient> SignedInAsync(string email)
    {
        var client = Host.NewClient();
        await client.SignInOrFailAsync(email, TestUsers.Password);
        return client;
    }

    public async Task DisposeAsync() => await Host.DisposeAsync();
}

public sealed class GalleryTests(GalleryFixture fixture) : IClassFixture<GalleryFixture>
{
    private List<Blueprint> Blueprints => fixture.Blueprints;

    [Fact]
    public async Task New_blueprints_carry_owner_model_and_preset_for_the_filters()
    {
        var author = await fixture.Host.FindUserAsync(GalleryFixture.Author);
        Assert.All(Blueprints, b => Assert.Equal((author.Id, "default"), (b.OwnerId, b.Preset)));
        Assert.All(Blueprints, b => Assert.Equal(64, b.ModelSha256.Length));
    }

    [Fact]
    public async Task The_gallery_counts_and_filters_and_keeps_the_filter_in_the_url()
    {
        using var author = await fixture.SignedInAsync(GalleryFixture.Author);
        var page = await author.GetPageAsync("/gallery");
        Assert.Equal("3", page.QuerySelector("[data-testid=match-count]")!.GetAttribute("data-count"));
        Assert.Equal(3, page.QuerySelectorAll("[data-testid=tile]").Length);
        Assert.NotNull(page.QuerySelector("[data-testid='facet-c.part-flange']"));

        var none = await author.GetAsync("/gallery/results?c.part=bolt&size=l", htmx: true);
        Assert.Equal("/gallery?c.part=bolt&size=l", none.Headers.GetValues("HX-Replace-Url").Single());
        var fragment = PortalClient.Parse(await none.Content.ReadAsStringAsync());
        Assert.Equal("0", fragment.QuerySelector("[data-testid=match-count]")!.GetAttribute("data-count"));

        var flanges = PortalClient.Parse(await (await author.GetAsync("/gallery/results?c.part=flange", htmx: true)).Content.ReadAsStringAsync());
        Assert.Equal("3", flanges.QuerySelector("[data-testid=match-count]")!.GetAttribute("data-count"));
        var ids = JsonSerializer.Deserialize<List<Guid>>(await (await author.GetAsync("/gallery/ids?c.part=flange")).Content.ReadAsStringAsync())!;
        Assert.Equal(Blueprints.Select(b => b.Id).Order(), ids.Order());
        Assert.Equal(HttpStatusCode.BadRequest, (await author.GetAsync("/gallery/window?cursor=nonsense", htmx: true)).StatusCode);
    }

    [Fact]
    public async Task Another_user_gets_404_for_every_way_to_a_foreign_blueprint()
    {
        var id = Blueprints[0].Id;
        using var other = await fixture.SignedInAsync(GalleryFixture.Other);
        foreach (var path in new[] { $"/blueprints/{id}/image", $"/blueprints/{id}/thumbnail", $"/blueprints/{id}/thumbnail?size=s", $"/blueprints/{id}/thumbnail?size=l",
                     $"/gallery/blueprints/{id}/lightbox" })
            Assert.True((await other.GetAsync(path)).StatusCode == HttpStatusCode.NotFound, path);
        var compare = await other.GetPageAsync($"/gallery/compare?ids={id},{Blueprints[1].Id}");
        Assert.NotNull(compare.QuerySelector("[data-testid=compare-error]"));
        Assert.Empty(compare.QuerySelectorAll("img[src*='/blueprints/'], img[src^='blueprints/']"));
        Assert.Equal(HttpStatusCode.NotFound, (await other.HtmxPostAsync($"/gallery/blueprints/{id}/favourite")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.HtmxPostAsync($"/gallery/blueprints/{id}/tags", [new("tag", "mine")])).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.HtmxPostAsync("/gallery/selection/zip", [new("ids", id.ToString())])).StatusCode);
        var delete = await other.HtmxPostAsync("/gallery/selection/delete", [new("ids", id.ToString())]);
        Assert.Contains("not yours", await delete.Content.ReadAsStringAsync());
        Assert.Null(await fixture.Host.QueryAsync(db => db.Blueprints.Where(b => b.Id == id).Select(b => b.DeletedAt).SingleAsync()));
    }

    [Fact]
    public async Task Thumbnails_come_in_three_sizes_cached_by_hash()
    {
        using var author = await fixture.SignedInAsync(GalleryFixture.Author);
        var id = Blueprints[1].Id;
        var widths = new Dictionary<string, int>();
        foreach (var size in new[] { "s", "m", "l" })
        {
            var response = await author.GetAsync($"/blueprints/{id}/thumbnail?size={size}");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("image/webp", response.Content.Headers.ContentType!.MediaType);
            Assert.False(response.Headers.ETag!.IsWeak);
            Assert.Contains("immutable", response.Headers.CacheControl!.ToString());
            using var image = Aigc.Imaging.VipsImage.Decode(await response.Content.ReadAsByteArrayAsync());
            widths[size] = image.Width;
            var again = new HttpRequestMessage(HttpMethod.Get, $"/blueprints/{id}/thumbnail?size={size}");
            again.Headers.IfNoneMatch.Add(response.Headers.ETag);
            Assert.Equal(HttpStatusCode.NotModified, (await author.SendAsync(again)).StatusCode);
        }

        Assert.True(widths["s"] < widths["m"] && widths["m"] < widths["l"], string.Join(", ", widths));
        Assert.Equal(HttpStatusCode.BadRequest, (await author.GetAsync($"/blueprints/{id}/thumbnail?size=xl")).StatusCode);
    }

    [Fact]
    public async Task The_zip_holds_the_pngs_under_their_download_names_and_a_metadata_csv()
    {
        using var author = await fixture.SignedInAsync(GalleryFixture.Author);
        await author.HtmxPostAsync($"/gallery/blueprints/{Blueprints[0].Id}/tags", [new("tag", "Zip Test"), new("placement", "lightbox")]);
        await author.HtmxPostAsync($"/gallery/blueprints/{Blueprints[0].Id}/note", [new("note", "has a \"quoted\", comma"), new("placement", "lightbox")]);
        var response = await author.HtmxPostAsync("/gallery/selection/zip",
            [new("ids", Blueprints[0].Id.ToString()), new("ids", Blueprints[2].Id.ToString()), new("metadata", "false")]);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/zip", response.Content.Headers.ContentType!.MediaType);
        using var zip = new ZipArchive(new MemoryStream(await response.Content.ReadAsByteArrayAsync()));
        Assert.Equal(["flange-front-low-seed7.png", "flange-front-low-seed9.png", "metadata.csv"], zip.Entries.Select(e => e.FullName).Order());
        await using (var png = zip.GetEntry("flange-front-low-seed7.png")!.Open())
        {
            var bytes = new MemoryStream();
            await png.CopyToAsync(bytes);
            Assert.Null(BlueprintMetadata.Read(bytes.ToArray()));
        }

        using var csv = new StreamReader(zip.GetEntry("metadata.csv")!.Open());
        var lines = (await csv.ReadToEndAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("file,id,model,version,sha256,conditions,seed,preset,created,tags,note", lines[0]);
        Assert.Equal(3, lines.Length);
        var first = lines.Single(l => l.StartsWith("flange-front-low-seed7.png,", StringComparison.Ordinal));
        var model = await fixture.Host.QueryAsync(db => db.ModelVersions.SingleAsync(m => m.WeightsSha256 == Blueprints[0].ModelSha256));
        Assert.Contains($",{model.Name},{model.Version},{model.WeightsSha256},part=flange;view=front;complexity=low,7,default,", first);
        Assert.EndsWith(",zip-test,\"has a \"\"quoted\"\", comma\"", first);
    }

    [Fact]
    public async Task A_collection_shared_read_only_shows_its_blueprints_but_refuses_changes_and_editable_allows_tags()
    {
        using var author = await fixture.SignedInAsync(GalleryFixture.Author);
        var created = await author.HtmxPostAsync("/gallery/selection/collect", [new("ids", Blueprints[2].Id.ToString()), new("collection", ""), new("newName", "For review")]);
        Assert.Contains("Added 1 blueprint", await created.Content.ReadAsStringAsync());
        var collection = await fixture.Host.QueryAsync(db => db.Collections.SingleAsync(c => c.Name == "For review"));

        var page = await author.GetPageAsync("/gallery/collections");
        var token = page.QuerySelector("form[action$='/share'] input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
        var share = await author.PostFormAsync($"/gallery/collections/{collection.Id}/share",
            [new("__RequestVerificationToken", token), new("role", ""), new("email", GalleryFixture.Other)]);
        Assert.Equal(HttpStatusCode.Redirect, share.StatusCode);
        Assert.Contains("read-only", Uri.UnescapeDataString(share.Headers.Location!.ToString()));

        using var other = await fixture.SignedInAsync(GalleryFixture.Other);
        var gallery = await other.GetPageAsync("/gallery");
        Assert.Equal("1", gallery.QuerySelector("[data-testid=match-count]")!.GetAttribute("data-count"));
        Assert.Equal(HttpStatusCode.OK, (await other.GetAsync($"/blueprints/{Blueprints[2].Id}/image")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/blueprints/{Blueprints[1].Id}/image")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.HtmxPostAsync($"/gallery/blueprints/{Blueprints[2].Id}/tags", [new("tag", "nope")])).StatusCode);
        var lightbox = PortalClient.Parse(await (await other.GetAsync($"/gallery/blueprints/{Blueprints[2].Id}/lightbox", htmx: true)).Content.ReadAsStringAsync());
        Assert.Null(lightbox.QuerySelector("[data-testid=tag-input]"));
        Assert.Equal($"studio?model={Blueprints[2].ModelSha256}&seed=9&preset=default&c.part=flange&c.view=front&c.complexity=low",
            lightbox.QuerySelector("[data-testid=open-in-studio]")!.GetAttribute("href"));
        // The stored time reads back as UTC, so the machine-readable one names its zone.
        Assert.EndsWith("Z", lightbox.QuerySelector("dd time")!.GetAttribute("datetime"));

        await author.PostFormAsync($"/gallery/collections/{collection.Id}/share",
            [new("__RequestVerificationToken", token), new("email", GalleryFixture.Other), new("canEdit", "true")]);
        Assert.Equal(HttpStatusCode.OK, (await other.HtmxPostAsync($"/gallery/blueprints/{Blueprints[2].Id}/tags", [new("tag", "checked")])).StatusCode);
        var otherToken = (await other.GetPageAsync("/gallery/collections")).QuerySelector("form.collection-create input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
        Assert.Equal(HttpStatusCode.NotFound, (await other.PostFormAsync($"/gallery/collections/{collection.Id}/rename",
            [new("__RequestVerificationToken", otherToken), new("name", "taken over")])).StatusCode);
    }

    [Fact]
    public async Task Saved_filters_belong_to_their_user_and_compare_shows_the_conditions_side_by_side()
    {
        using var author = await fixture.SignedInAsync(GalleryFixture.Author);
        var saved = PortalClient.Parse(await (await author.HtmxPostAsync("/gallery/filters",
            [new("filter-name", "Flanges"), new("c.part", "flange"), new("sort", "model"), new("q", "")])).Content.ReadAsStringAsync());
        Assert.Equal("gallery?c.part=flange&sort=model", saved.QuerySelector("a.dropdown-item")!.GetAttribute("href"));
        Assert.Equal("Flanges", saved.QuerySelector("a.dropdown-item")!.TextContent.Trim());

        using var other = await fixture.SignedInAsync(GalleryFixture.Other);
        Assert.Null((await other.GetPageAsync("/gallery")).QuerySelector("#saved-filters a.dropdown-item"));
        var id = await fixture.Host.QueryAsync(db => db.SavedFilters.Where(f => f.Name == "Flanges").Select(f => f.Id).SingleAsync());
        await other.HtmxPostAsync($"/gallery/filters/{id}/delete");
        Assert.True(await fixture.Host.QueryAsync(db => db.SavedFilters.AnyAsync(f => f.Id == id)));
        await author.HtmxPostAsync($"/gallery/filters/{id}/delete");
        Assert.False(await fixture.Host.QueryAsync(db => db.SavedFilters.AnyAsync(f => f.Id == id)));

        var compare = await author.GetPageAsync($"/gallery/compare?ids={Blueprints[0].Id},{Blueprints[1].Id}");
        Assert.Equal(2, compare.QuerySelectorAll(".compare-item").Length);
        Assert.Equal(["7", "8"], compare.QuerySelectorAll(".compare-item dd.mono").Select(d => d.TextContent));
        Assert.NotNull((await author.GetPageAsync($"/gallery/compare?ids={Blueprints[0].Id}")).QuerySelector("[data-testid=compare-error]"));
    }

    [Fact]
    public async Task Favourites_filter_and_delete_with_undo()
    {
        using var author = await fixture.SignedInAsync(GalleryFixture.Author);
        var favourite = await author.HtmxPostAsync($"/gallery/blueprints/{Blueprints[1].Id}/favourite");
        Assert.Contains("\"on\":true", favourite.Headers.GetValues("HX-Trigger").Single());
        var favourites = PortalClient.Parse(await (await author.GetAsync("/gallery/results?fav=true", htmx: true)).Content.ReadAsStringAsync());
        Assert.Equal([Blueprints[1].Id.ToString()], favourites.QuerySelectorAll("[data-testid=tile]").Select(t => t.GetAttribute("data-id")!));
        await author.HtmxPostAsync($"/gallery/blueprints/{Blueprints[1].Id}/favourite");

        var deleted = await author.HtmxPostAsync("/gallery/selection/delete", [new("ids", Blueprints[0].Id.ToString())]);
        Assert.Equal("gallery-changed", deleted.Headers.GetValues("HX-Trigger").Single());
        Assert.NotNull(PortalClient.Parse(await deleted.Content.ReadAsStringAsync()).QuerySelector("[data-testid=undo]"));
        Assert.Equal(HttpStatusCode.NotFound, (await author.GetAsync($"/blueprints/{Blueprints[0].Id}/image")).StatusCode);
        await author.HtmxPostAsync("/gallery/selection/restore", [new("ids", Blueprints[0].Id.ToString())]);
        Assert.Equal(HttpStatusCode.OK, (await author.GetAsync($"/blueprints/{Blueprints[0].Id}/image")).StatusCode);
    }
}
