using Aigc.Platform.Data;
using Aigc.Platform.Gallery;
using Microsoft.EntityFrameworkCore;

namespace Aigc.Platform.Tests.Gallery;

public sealed class CurationAccessTests : IDisposable
{
    private readonly GalleryData _data = new();

    public void Dispose() => _data.Dispose();

    private static Dictionary<string, string> Gear => new() { ["part"] = "spur_gear", ["view"] = "front", ["complexity"] = "low" };

    private async Task AddUserAsync(string id, string email)
    {
        await using var db = _data.Open();
        db.Users.Add(new PortalUser { Id = id, UserName = email, Email = email, NormalizedEmail = email.ToUpperInvariant(), NormalizedUserName = email.ToUpperInvariant() });
        await db.SaveChangesAsync();
    }

    [Fact]
    public async Task Shared_collections_make_blueprints_readable_and_only_editable_shares_curate()
    {
        await AddUserAsync("owner", "owner@aigc.test");
        await AddUserAsync("reader", "reader@aigc.test");
        await AddUserAsync("editor", "editor@aigc.test");
        var ids = await _data.AddAsync("owner", GalleryData.ModelA, Gear, 3, GalleryData.Start);
        var owner = GalleryData.User("owner");
        var reader = GalleryData.User("reader", "Viewer");
        var editor = GalleryData.User("editor");
        var marketer = GalleryData.User("m1", "Marketer");
        var (db, queries, curation, collections) = _data.Services();
        await using var _ = db;

        Assert.Equal(0, await queries.CountAsync(GalleryFilter.Empty, reader));
        await Assert.ThrowsAsync<GalleryRefusedException>(() => curation.SetFavouriteAsync(ids[0], true, reader));

        var shared = await collections.CreateAsync("Gears for review", owner);
        await collections.AddAsync(shared.Id, ids.Take(2).ToList(), owner);
        await collections.ShareAsync(shared.Id, new ShareTarget(null, "Reader@aigc.test", CanEdit: false), owner);
        await collections.ShareAsync(shared.Id, new ShareTarget(null, "editor@aigc.test", CanEdit: true), owner);

        // The reader sees exactly the two shared blueprints, may favourite them (a personal mark) but not tag them.
        Assert.Equal(ids.Take(2).Order(), (await queries.PageAsync(GalleryFilter.Empty, reader, null, 10)).Items.Select(i => i.Id).Order());
        Assert.True(await curation.SetFavouriteAsync(ids[0], true, reader));
        var refused = await Assert.ThrowsAsync<GalleryRefusedException>(() => curation.AddTagsAsync([ids[0]], ["approved"], reader));
        Assert.True(refused.NotFound);
        await Assert.ThrowsAsync<GalleryRefusedException>(() => collections.AddAsync(shared.Id, [ids[0]], reader));
        await Assert.ThrowsAsync<GalleryRefusedException>(() => collections.RenameAsync(shared.Id, "mine now", reader));
        Assert.Equal(0, await queries.CountAsync(GalleryFilter.Empty with { Collection = shared.Id }, marketer));

        // The editor tags and notes; the third blueprint stays out of reach for both.
        Assert.Equal(2, await curation.AddTagsAsync(ids.Take(2).ToList(), ["approved"], editor));
        await curation.SetNoteAsync(ids[1], "keep", editor);
        await Assert.ThrowsAsync<GalleryRefusedException>(() => curation.AddTagsAsync([ids[2]], ["approved"], editor));
        await Assert.ThrowsAsync<GalleryRefusedException>(() => collections.AddAsync(shared.Id, [ids[2]], editor));
        await Assert.ThrowsAsync<GalleryRefusedException>(() => curation.DeleteAsync([ids[0]], editor));

        // Sharing by role reaches every user with the role; unsharing takes it away again.
        await collections.ShareAsync(shared.Id, new ShareTarget("marketer", null, CanEdit: false), owner);
        Assert.Equal(2, await queries.CountAsync(GalleryFilter.Empty, marketer));
        var roleShare = await db.CollectionShares.AsNoTracking().SingleAsync(s => s.Role == "Marketer");
        await collections.UnshareAsync(shared.Id, roleShare.Id, owner);
        Assert.Equal(0, await queries.CountAsync(GalleryFilter.Empty, marketer));

        var notARole = await Assert.ThrowsAsync<GalleryRefusedException>(() => collections.ShareAsync(shared.Id, new ShareTarget("boss", null, false), owner));
        Assert.StartsWith("role:", notARole.Message);
        Assert.StartsWith("user:", (await Assert.ThrowsAsync<GalleryRefusedException>(() => collections.ShareAsync(shared.Id, new ShareTarget(null, "nobody@aigc.test", false), owner))).Message);
        Assert.StartsWith("name:", (await Assert.ThrowsAsync<GalleryRefusedException>(() => collections.CreateAsync("  ", owner))).Message);
        Assert.StartsWith("cover:", (await Assert.ThrowsAsync<GalleryRefusedException>(() => collections.SetCoverAsync(shared.Id, ids[2], owner))).Message);
        await collections.SetCoverAsync(shared.Id, ids[1], owner);
    }

    [Fact]
    public async Task Delete_hides_undo_restores_and_the_purge_removes_rows_and_unreferenced_files_after_the_retention()
    {
        var unique = await _data.Blobs.PutAsync("unique image"u8.ToArray());
        var sharedFile = await _data.Blobs.PutAsync("shared image"u8.ToArray());
        var doomed = await _data.AddAsync("u1", GalleryData.ModelA, Gear, 1, GalleryData.Start, file: unique);
        var twins = await _data.AddAsync("u1", GalleryData.ModelA, Gear, 2, GalleryData.Start, file: sharedFile);
        var user = GalleryData.User("u1");
        var (db, queries, curation, _) = _data.Services();
        await using var _ = db;
        await curation.AddTagsAsync(doomed, ["old"], user);

        Assert.Equal(2, await curation.DeleteAsync([doomed[0], twins[0]], user));
        Assert.Equal(1, await queries.CountAsync(GalleryFilter.Empty, user));
        await Assert.ThrowsAsync<GalleryRefusedException>(() => curation.DeleteAsync([twins[1]], GalleryData.User("u2")));
        Assert.Equal(1, await curation.RestoreAsync([twins[0]], user));
        Assert.Equal(2, await queries.CountAsync(GalleryFilter.Empty, user));
        Assert.Equal(1, await curation.DeleteAsync([twins[0]], user));

        // Within the retention nothing goes; after it the rows go, and only the file no one else uses.
        _data.Clock.Now = _data.Clock.Now.AddHours(23);
        Assert.Equal(0, await _data.Purge().PurgeAsync());
        _data.Clock.Now = _data.Clock.Now.AddHours(2);
        Assert.Equal(2, await _data.Purge().PurgeAsync());
        Assert.False(await db.Blueprints.AnyAsync(b => b.Id == doomed[0] || b.Id == twins[0]));
        Assert.False(await db.BlueprintTags.AnyAsync());
        Assert.False(_data.Blobs.Exists(unique));
        Assert.True(_data.Blobs.Exists(sharedFile));
        Assert.Equal(0, await curation.RestoreAsync([doomed[0]], user));
    }
}
