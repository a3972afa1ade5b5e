using System.IO.Compression;
using System.Net;
using Aigc.Imaging.Metadata;
using Aigc.Platform.Accounts;
using Aigc.Platform.Data;
using Aigc.Platform.Gallery;
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
        await Host.CreateUserAsync(Marketer, PortalRoles.Marketer);
        await Host.CreateUserAsync(Fresh, PortalRoles.Designer);
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

    public const string Marketer = "marketer@gallery.test";
    public const string Fresh = "fresh@gallery.test";

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

    /// <summary>Posts with the antiforgery token of a static page of the signed-in user (the password page stays static).</summary>
    private static async Task<HttpResponseMessage> PostAsync(PortalClient client, string path, IEnumerable<KeyValuePair<string, string>> values)
    {
        var token = (await client.GetPageAsync("/account/password")).QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
        return await client.PostFormAsync(path, [.. values, new("__RequestVerificationToken", token)]);
    }

    private async Task<Requester> RequesterAsync(string email, string role = PortalRoles.Designer) =>
        new((await fixture.Host.FindUserAsync(email)).Id, [role]);

    private GalleryService Gallery => fixture.Host.Services.GetRequiredService<GalleryService>();

    [Fact]
    public async Task New_blueprints_carry_owner_model_and_preset_for_the_filters()
    {
        var author = await fixture.Host.FindUserAsync(GalleryFixture.Author);
        Assert.All(Blueprints, b => Assert.Equal((author.Id, "default"), (b.OwnerId, b.Preset)));
        Assert.All(Blueprints, b => Assert.Equal(64, b.ModelSha256.Length));
    }

    [Fact]
    public async Task The_gallery_page_renders_the_filter_from_its_url_with_counts_and_facets()
    {
        using var author = await fixture.SignedInAsync(GalleryFixture.Author);
        var page = await author.GetPageAsync("/gallery");
        Assert.Equal("3", page.QuerySelector("[data-testid=match-count]")!.GetAttribute("data-count"));
        Assert.Equal(3, page.QuerySelectorAll("[data-testid=tile]").Length);
        Assert.NotNull(page.QuerySelector("[data-testid='facet-c.part-flange']"));

        var none = await author.GetPageAsync("/gallery?c.part=bolt&size=l");
        Assert.Equal("0", none.QuerySelector("[data-testid=match-count]")!.GetAttribute("data-count"));
        Assert.NotNull(none.QuerySelector("[data-testid=empty-state]"));
        var flanges = await author.GetPageAsync("/gallery?c.part=flange&size=s");
        Assert.Equal("3", flanges.QuerySelector("[data-testid=match-count]")!.GetAttribute("data-count"));
        Assert.All(flanges.QuerySelectorAll("[data-testid=tile] img"), img => Assert.EndsWith("size=s", img.GetAttribute("src")));
    }

    [Fact]
    public async Task An_empty_gallery_suggests_the_studio_only_to_those_who_may_open_it()
    {
        using var marketer = await fixture.SignedInAsync(GalleryFixture.Marketer);
        var empty = (await marketer.GetPageAsync("/gallery")).QuerySelector("[data-testid=empty-state]")!.TextContent;
        Assert.DoesNotContain("Studio", empty);
        Assert.Contains("share", empty);

        using var fresh = await fixture.SignedInAsync(GalleryFixture.Fresh);
        var designer = await fresh.GetPageAsync("/gallery");
        Assert.Equal("0", designer.QuerySelector("[data-testid=match-count]")!.GetAttribute("data-count"));
        Assert.Contains("Studio", designer.QuerySelector("[data-testid=empty-state]")!.TextContent);
    }

    [Fact]
    public async Task A_blueprint_has_its_own_page_and_another_user_finds_it_missing_every_way()
    {
        var id = Blueprints[0].Id;
        using var author = await fixture.SignedInAsync(GalleryFixture.Author);
        var own = await author.GetAsync($"/gallery/blueprints/{id}");
        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        var page = PortalClient.Parse(await own.Content.ReadAsStringAsync());
        Assert.Equal(id.ToString(), page.QuerySelector("[data-testid=blueprint-page]")!.GetAttribute("data-blueprint"));
        Assert.Equal("7", page.QuerySelector("[data-testid=lightbox-seed]")!.TextContent.Trim());
        Assert.EndsWith("Z", page.QuerySelector("dd time")!.GetAttribute("datetime"));
        Assert.Equal($"studio?model={Blueprints[0].ModelSha256}&seed=7&preset=default&c.part=flange&c.view=front&c.complexity=low",
            page.QuerySelector("[data-testid=open-in-studio]")!.GetAttribute("href"));

        using var other = await fixture.SignedInAsync(GalleryFixture.Other);
        foreach (var path in new[] { $"/blueprints/{id}/image", $"/blueprints/{id}/thumbnail", $"/blueprints/{id}/thumbnail?size=s",
                     $"/blueprints/{id}/thumbnail?size=l" })
        {
            var response = await other.GetAsync(path);
            Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{path}: {response.StatusCode}");
        }

        var foreignPage = await other.GetPageAsync($"/gallery/blueprints/{id}");
        var missing = await other.GetPageAsync($"/gallery/blueprints/{Guid.NewGuid()}");
        Assert.Equal(missing.QuerySelector("[data-testid=empty-state]")!.TextContent, foreignPage.QuerySelector("[data-testid=empty-state]")!.TextContent);
        Assert.Null(foreignPage.QuerySelector("img[src*='blueprints/']"));
        var compare = await other.GetPageAsync($"/gallery/compare?ids={id},{Blueprints[1].Id}");
        Assert.NotNull(compare.QuerySelector("[data-testid=compare-error]"));
        Assert.Empty(compare.QuerySelectorAll("img[src*='blueprints/']"));
        Assert.Equal(HttpStatusCode.NotFound, (await PostAsync(other, "/gallery/selection/zip", [new("ids", id.ToString())])).StatusCode);

        var requester = await RequesterAsync(GalleryFixture.Other);
        Assert.Null(await Gallery.DetailsAsync(id, requester));
        await Assert.ThrowsAsync<GalleryRefusedException>(() => Gallery.ToggleFavouriteAsync(id, requester));
        await Assert.ThrowsAsync<GalleryRefusedException>(() => Gallery.AddTagsAsync([id], "mine", requester));
        await Assert.ThrowsAsync<GalleryRefusedException>(() => Gallery.DeleteAsync([id], requester));
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
    public async Task Parallel_requests_for_a_new_thumbnail_size_all_get_it_and_log_no_error()
    {
        using var author = await fixture.SignedInAsync(GalleryFixture.Author);
        var blueprint = Blueprints[2];
        var logged = fixture.Host.Logs.Count;
        var responses = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => author.GetAsync($"/blueprints/{blueprint.Id}/thumbnail?size=l")));
        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.Single(responses.Select(r => r.Headers.ETag!.Tag).Distinct());
        var errors = fixture.Host.Logs.Skip(logged).Where(l => l.StartsWith("Error", StringComparison.Ordinal)).ToList();
        Assert.True(errors.Count == 0, string.Join("\n", errors));
        Assert.Equal(1, await fixture.Host.QueryAsync(db => db.ThumbnailVariants.CountAsync(v => v.FileSha256 == blueprint.FileSha256 && v.Size == 512)));
    }

    [Fact]
    public async Task The_zip_holds_the_pngs_under_their_download_names_and_a_metadata_csv()
    {
        using var author = await fixture.SignedInAsync(GalleryFixture.Author);
        var requester = await RequesterAsync(GalleryFixture.Author);
        await Gallery.AddTagsAsync([Blueprints[0].Id], "Zip Test", requester);
        await Gallery.SetNoteAsync(Blueprints[0].Id, "has a \"quoted\", comma", requester);
        var response = await PostAsync(author, "/gallery/selection/zip",
            [new("ids", $"{Blueprints[0].Id},{Blueprints[2].Id}"), new("metadata", "false")]);
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
        Assert.Equal(HttpStatusCode.BadRequest, (await PostAsync(author, "/gallery/selection/zip", [new("ids", "")])).StatusCode);
    }

    [Fact]
    public async Task A_collection_shared_read_only_shows_its_blueprints_but_refuses_changes_and_editable_allows_tags()
    {
        var author = await RequesterAsync(GalleryFixture.Author);
        var other = await RequesterAsync(GalleryFixture.Other);
        Assert.Equal(1, await Gallery.CollectAsync([Blueprints[2].Id], null, "For review", author));
        var collection = await fixture.Host.QueryAsync(db => db.Collections.SingleAsync(c => c.Name == "For review"));
        await Gallery.ShareAsync(collection.Id, new ShareTarget(null, GalleryFixture.Other, false), author);

        using var client = await fixture.SignedInAsync(GalleryFixture.Other);
        var gallery = await client.GetPageAsync("/gallery");
        Assert.Equal("1", gallery.QuerySelector("[data-testid=match-count]")!.GetAttribute("data-count"));
        Assert.Contains($"For review · {GalleryFixture.Author}", gallery.QuerySelector("[data-testid=facet-collection]")!.TextContent);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/blueprints/{Blueprints[2].Id}/image")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/blueprints/{Blueprints[1].Id}/image")).StatusCode);
        await Assert.ThrowsAsync<GalleryRefusedException>(() => Gallery.AddTagsAsync([Blueprints[2].Id], "nope", other));
        var page = await client.GetPageAsync($"/gallery/blueprints/{Blueprints[2].Id}");
        Assert.Null(page.QuerySelector("[data-testid=tag-input]"));
        var collections = await client.GetPageAsync("/gallery/collections");
        Assert.Contains("read-only", collections.QuerySelector("[data-collection='For review'] [data-testid=collection-status]")!.TextContent);
        Assert.Null(collections.QuerySelector("[data-collection='For review'] [data-testid=share]"));

        await Gallery.ShareAsync(collection.Id, new ShareTarget(null, GalleryFixture.Other, true), author);
        Assert.Equal(1, await Gallery.AddTagsAsync([Blueprints[2].Id], "checked", other));
        var renamed = await Assert.ThrowsAsync<GalleryRefusedException>(() => Gallery.RenameCollectionAsync(collection.Id, "taken over", other));
        Assert.True(renamed.NotFound);
    }

    [Fact]
    public async Task A_refused_collect_into_a_new_collection_creates_no_collection()
    {
        var author = await RequesterAsync(GalleryFixture.Author);
        var foreign = Guid.NewGuid();
        await Assert.ThrowsAsync<GalleryRefusedException>(() => Gallery.CollectAsync([Blueprints[0].Id, foreign], null, "Half refused", author));
        await Assert.ThrowsAsync<GalleryRefusedException>(() => Gallery.CollectAsync([Blueprints[0].Id], null, "  ", author));
        Assert.False(await fixture.Host.QueryAsync(db => db.Collections.AnyAsync(c => c.Name == "Half refused")));
    }

    [Fact]
    public async Task An_admins_collection_facet_tells_same_named_collections_of_different_owners_apart()
    {
        var author = await RequesterAsync(GalleryFixture.Author);
        var other = await RequesterAsync(GalleryFixture.Other);
        var admin = new Requester((await fixture.Host.FindUserAsync(PortalHost.AdminEmail)).Id, [PortalRoles.Admin]);
        var mine = await Gallery.CreateCollectionAsync("Review", author);
        var theirs = await Gallery.CreateCollectionAsync("Review", other);
        var labels = (await Gallery.FacetsAsync(GalleryFilter.Empty, admin)).Collections.ToDictionary(c => c.Value, c => c.Label);
        Assert.Equal($"Review · {GalleryFixture.Author}", labels[mine.Id.ToString()]);
        Assert.Equal($"Review · {GalleryFixture.Other}", labels[theirs.Id.ToString()]);
        var choices = (await Gallery.EditableCollectionsAsync(admin)).Where(c => c.Id == mine.Id || c.Id == theirs.Id).Select(c => c.Label);
        Assert.Equal(2, choices.Distinct().Count());
        // Their own collection needs no owner.
        Assert.Contains((await Gallery.FacetsAsync(GalleryFilter.Empty, author)).Collections, c => c.Value == mine.Id.ToString() && c.Label == "Review");
        await Gallery.DeleteCollectionAsync(mine.Id, author);
        await Gallery.DeleteCollectionAsync(theirs.Id, other);
    }

    [Fact]
    public async Task Posting_to_the_collections_page_is_no_server_error()
    {
        using var author = await fixture.SignedInAsync(GalleryFixture.Author);
        var response = await PostAsync(author, "/gallery/collections", [new("name", "Posted")]);
        Assert.True((int)response.StatusCode < 500, response.StatusCode.ToString());
        Assert.Equal(HttpStatusCode.OK, (await author.GetAsync("/gallery/collections")).StatusCode);
    }

    [Fact]
    public async Task Saved_filters_belong_to_their_user_and_compare_shows_the_conditions_side_by_side()
    {
        var author = await RequesterAsync(GalleryFixture.Author);
        var other = await RequesterAsync(GalleryFixture.Other);
        await Gallery.SaveFilterAsync("Flanges", GalleryFilter.Parse("c.part=flange&sort=model&q="), author);
        Assert.Equal("c.part=flange&sort=model", (await Gallery.SavedFiltersAsync(author)).Single(f => f.Name == "Flanges").Query);
        Assert.DoesNotContain(await Gallery.SavedFiltersAsync(other), f => f.Name == "Flanges");
        await Assert.ThrowsAsync<GalleryRefusedException>(() => Gallery.SaveFilterAsync(" ", GalleryFilter.Empty, author));
        var id = (await Gallery.SavedFiltersAsync(author)).Single(f => f.Name == "Flanges").Id;
        await Gallery.DeleteFilterAsync(id, other);
        Assert.True(await fixture.Host.QueryAsync(db => db.SavedFilters.AnyAsync(f => f.Id == id)));
        await Gallery.DeleteFilterAsync(id, author);
        Assert.False(await fixture.Host.QueryAsync(db => db.SavedFilters.AnyAsync(f => f.Id == id)));

        using var client = await fixture.SignedInAsync(GalleryFixture.Author);
        var compare = await client.GetPageAsync($"/gallery/compare?ids={Blueprints[0].Id},{Blueprints[1].Id}");
        Assert.Equal(2, compare.QuerySelectorAll("[data-testid=compare-item]").Length);
        Assert.Equal(["7", "8"], compare.QuerySelectorAll("[data-testid=compare-seed]").Select(d => d.TextContent.Trim()));
        Assert.NotNull((await client.GetPageAsync($"/gallery/compare?ids={Blueprints[0].Id}")).QuerySelector("[data-testid=compare-error]"));
    }

    [Fact]
    public async Task Favourites_filter_and_delete_with_undo()
    {
        var author = await RequesterAsync(GalleryFixture.Author);
        Assert.True(await Gallery.ToggleFavouriteAsync(Blueprints[1].Id, author));
        using var client = await fixture.SignedInAsync(GalleryFixture.Author);
        var favourites = await client.GetPageAsync("/gallery?fav=true");
        Assert.Equal([Blueprints[1].Id.ToString()], favourites.QuerySelectorAll("[data-testid=tile]").Select(t => t.GetAttribute("data-id")!));
        Assert.False(await Gallery.ToggleFavouriteAsync(Blueprints[1].Id, author));

        Assert.Equal(1, await Gallery.DeleteAsync([Blueprints[0].Id], author));
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/blueprints/{Blueprints[0].Id}/image")).StatusCode);
        Assert.Equal(1, await Gallery.RestoreAsync([Blueprints[0].Id], author));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/blueprints/{Blueprints[0].Id}/image")).StatusCode);
    }
}
