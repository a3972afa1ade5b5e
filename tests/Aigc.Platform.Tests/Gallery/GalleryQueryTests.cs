using Aigc.Platform.Data;
using Aigc.Platform.Gallery;
using Microsoft.EntityFrameworkCore;

namespace Aigc.Platform.Tests.Gallery;

public sealed class GalleryQueryTests : IDisposable
{
    private readonly GalleryData _data = new();

    public void Dispose() => _data.Dispose();

    private static Dictionary<string, string> C(string part, string view) => new() { ["part"] = part, ["view"] = view, ["complexity"] = "low" };

    [Theory]
    [InlineData(GallerySort.Date)]
    [InlineData(GallerySort.Model)]
    [InlineData(GallerySort.Favourite)]
    public async Task Keyset_paging_visits_every_match_once_in_order(GallerySort sort)
    {
        // Four blueprints share each timestamp, so the Id tie-breaker is exercised at every window edge.
        var a = await _data.AddAsync("u1", GalleryData.ModelA, C("spur_gear", "front"), 70, GalleryData.Start, sameTime: 4);
        var b = await _data.AddAsync("u1", GalleryData.ModelB, C("bolt", "top"), 53, GalleryData.Start.AddMinutes(3), sameTime: 4);
        await _data.AddAsync("u2", GalleryData.ModelA, C("bolt", "top"), 9, GalleryData.Start);
        var (db, queries, curation, _) = _data.Services();
        await using var _ = db;
        var user = GalleryData.User("u1");
        foreach (var id in a.Where((_, i) => i % 7 == 0).Concat(b.Take(5)))
            await curation.SetFavouriteAsync(id, true, user);

        var filter = GalleryFilter.Empty with { Sort = sort };
        var seen = new List<GalleryItem>();
        string? cursor = null;
        do
        {
            var page = await queries.PageAsync(filter, user, cursor, 17);
            Assert.True(page.Items.Count <= 17);
            seen.AddRange(page.Items);
            cursor = page.NextCursor;
        }
        while (cursor is not null);

        Assert.Equal(123, seen.Count);
        Assert.Equal(123, seen.Select(i => i.Id).Distinct().Count());
        Assert.Equal(a.Concat(b).Order(), seen.Select(i => i.Id).Order());
        var all = await queries.PageAsync(filter, user, null, 500);
        Assert.Equal(all.Items.Select(i => i.Id), seen.Select(i => i.Id));
        Assert.Null(all.NextCursor);
        Assert.Equal(123, await queries.CountAsync(filter, user));

        var expected = sort switch
        {
            GallerySort.Model => seen.OrderBy(i => i.ModelSha256, StringComparer.Ordinal).ThenByDescending(i => i.CreatedAt),
            GallerySort.Favourite => seen.OrderByDescending(i => i.IsFavourite).ThenByDescending(i => i.CreatedAt),
            _ => seen.OrderByDescending(i => i.CreatedAt),
        };
        Assert.Equal(expected.Select(i => (i.ModelSha256, i.CreatedAt, i.IsFavourite)), seen.Select(i => (i.ModelSha256, i.CreatedAt, i.IsFavourite)));
        Assert.Equal(15, seen.Count(i => i.IsFavourite));
    }

    [Fact]
    public async Task A_bad_cursor_is_a_format_error()
    {
        var (db, queries, _, _) = _data.Services();
        await using var _ = db;
        await Assert.ThrowsAsync<FormatException>(() => queries.PageAsync(GalleryFilter.Empty, GalleryData.User("u1"), "0.x.notticks.zz", 10));
    }

    [Fact]
    public async Task Facets_filter_with_or_inside_and_across_and_count_without_their_own_facet()
    {
        await _data.AddAsync("u1", GalleryData.ModelA, C("spur_gear", "front"), 5, GalleryData.Start);
        await _data.AddAsync("u1", GalleryData.ModelA, C("bolt", "front"), 3, GalleryData.Start.AddDays(1));
        var topBolts = await _data.AddAsync("u1", GalleryData.ModelB, C("bolt", "top"), 4, GalleryData.Start.AddDays(2));
        await _data.AddAsync("u2", GalleryData.ModelB, C("bolt", "top"), 6, GalleryData.Start);
        var (db, queries, curation, _) = _data.Services();
        await using var _ = db;
        var user = GalleryData.User("u1");
        await curation.AddTagsAsync(topBolts.Take(2).ToList(), ["Hex Head", "review"], user);
        await curation.SetNoteAsync(topBolts[3], "needs a chamfer", user);

        var bolts = GalleryFilter.Parse("c.part=bolt");
        var facets = await queries.FacetsAsync(bolts, user);
        Assert.Equal(7, facets.Total);
        // The part facet ignores its own selection; the others count within bolts.
        Assert.Equal([("bolt", 7, true), ("spur_gear", 5, false)], facets.Conditions["part"].Select(f => (f.Value, f.Count, f.Selected)));
        Assert.Equal([("front", 3), ("top", 4)], facets.Conditions["view"].Select(f => (f.Value, f.Count)));
        Assert.Equal([(GalleryData.ModelA, 3), (GalleryData.ModelB, 4)], facets.Models.Select(f => (f.Value, f.Count)));
        Assert.Equal([("hex-head", 2), ("review", 2)], facets.Tags.Select(f => (f.Value, f.Count)));
        Assert.Empty(facets.Authors);

        Assert.Equal(12, await queries.CountAsync(GalleryFilter.Parse("c.part=bolt&c.part=spur_gear"), user));
        Assert.Equal(4, await queries.CountAsync(GalleryFilter.Parse("c.part=bolt&c.view=top"), user));
        Assert.Equal(8, await queries.CountAsync(GalleryFilter.Parse($"model={GalleryData.ModelA}"), user));
        Assert.Equal(2, await queries.CountAsync(GalleryFilter.Parse("tag=hex-head"), user));
        Assert.Equal(2, await queries.CountAsync(GalleryFilter.Parse("q=HEX"), user));
        Assert.Equal(1, await queries.CountAsync(GalleryFilter.Parse("q=chamfer"), user));
        Assert.Equal(0, await queries.CountAsync(GalleryFilter.Parse("q=%25"), user));
        Assert.Equal(3, await queries.CountAsync(GalleryFilter.Parse("from=2026-11-02&to=2026-11-02"), user));
        Assert.Equal(7, await queries.CountAsync(GalleryFilter.Parse("from=2026-11-02"), user));

        // Admins see everyone's and may narrow by author; for others "author" is ignored.
        var admin = GalleryData.User("root", "Admin");
        var adminFacets = await queries.FacetsAsync(GalleryFilter.Parse("author=u2"), admin);
        Assert.Equal(6, adminFacets.Total);
        Assert.Equal([("u1", 12), ("u2", 6)], adminFacets.Authors.Select(a => (a.Value, a.Count)).OrderBy(a => a.Value));
        Assert.Equal(12, await queries.CountAsync(GalleryFilter.Parse("author=u2"), user));
    }

    [Fact]
    public void The_filter_round_trips_through_its_query_string()
    {
        var text = "model=abc&c.part=bolt&c.part=spur_gear&c.view=top&tag=hex-head&collection=0f8fad5b-d9cb-469f-a165-70867728950e&fav=true"
            + "&from=2026-11-01&to=2026-11-30&author=u2&q=two%20words&sort=model&size=l";
        var filter = GalleryFilter.Parse(text);
        Assert.Equal(text, filter.ToQueryString());
        Assert.Equal(["bolt", "spur_gear"], filter.Conditions["part"]);
        Assert.Equal("two words", filter.Text);
        Assert.Equal(filter.ToQueryString(), GalleryFilter.Parse(filter.ToQueryString()).ToQueryString());
        Assert.Equal("", GalleryFilter.Parse("size=xxl&sort=nonsense&from=yesterday&collection=nope&unknown=1").ToQueryString());
        Assert.Equal("c.part=bolt", GalleryFilter.Parse("c.part=bolt&c.view=top").ToggleCondition("view", "top").ToQueryString());
    }
}
