using Aigc.Platform.Data;
using Aigc.Platform.Gallery;
using Aigc.Platform.Queue;
using Aigc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Aigc.Platform.Tests.Gallery;

/// <summary>
/// The text filter (q=) through the search rows and their FTS5 index (migration M0009): what it finds, that every
/// writer keeps it in step, and that it never reaches past <see cref="Aigc.Platform.Blueprints.BlueprintAccess"/>.
/// </summary>
public sealed class GallerySearchTests : IDisposable
{
    private readonly GalleryData _data = new();

    public void Dispose() => _data.Dispose();

    private static Dictionary<string, string> Gear => new() { ["part"] = "spur_gear", ["view"] = "front", ["complexity"] = "low" };

    private static GalleryFilter Q(string text) => GalleryFilter.Empty with { Text = text };

    private static async Task<List<Guid>> FoundAsync(GalleryQueries queries, string text, Requester requester) =>
        (await queries.PageAsync(Q(text), requester, null, 100)).Items.Select(i => i.Id).Order().ToList();

    [Fact]
    public async Task Finds_exactly_what_a_like_over_notes_and_single_tags_finds()
    {
        var ids = await _data.AddAsync("u1", GalleryData.ModelA, Gear, 8, GalleryData.Start);
        var user = GalleryData.User("u1");
        var (db, queries, curation, _) = _data.Services();
        await using var _ = db;
        await curation.AddTagsAsync([ids[0]], ["Hex Head", "review"], user);
        await curation.AddTagsAsync([ids[1]], ["alpha", "beta"], user);
        await curation.AddTagsAsync([ids[2]], ["100%_done"], user);
        await curation.SetNoteAsync(ids[3], "Check tolerances on the flange (batch 47).", user);
        await curation.SetNoteAsync(ids[4], "Écrou \"quoted\" M8", user);
        await curation.SetNoteAsync(ids[5], "two\nlines", user);
        await curation.SetNoteAsync(ids[6], "x", user);

        // The old filter, a LIKE over notes and each tag, is the oracle for a spread of texts: long and short,
        // every case, LIKE's wildcards as plain characters, quotes, spaces, a line feed, non-ASCII letters.
        string[] texts =
        [
            "hex", "HEX", "ex-h", "hex-head", "Hex Head", "review", "alpha", "alphabeta", "ab", "a", "b", "x", "X", "TOLERANCES",
            "batch 4", "(batch 47)", "%", "_", "0%_", "100%_done", "\"quoted\"", "\"", "écrou", "Écrou", "ÉCROU", "crou", "two\nlines",
            "o\nl", "a\nb", "ha\nbe", "nothing here", "M8", "m8",
        ];
        foreach (var text in texts)
        {
            var pattern = $"%{text.Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_")}%";
            // PostgreSQL's search is ILIKE, which folds every letter (decision 0016): its oracle folds them too.
            var tagged = TestProvider.IsPostgres
                ? db.BlueprintTags.Where(t => EF.Functions.ILike(t.Tag, pattern, "\\")).Select(t => t.BlueprintId)
                : db.BlueprintTags.Where(t => EF.Functions.Like(t.Tag, pattern, "\\")).Select(t => t.BlueprintId);
            var expected = await (TestProvider.IsPostgres
                    ? db.Blueprints.Where(b => EF.Functions.ILike(b.Note!, pattern, "\\") || tagged.Contains(b.Id))
                    : db.Blueprints.Where(b => EF.Functions.Like(b.Note, pattern, "\\") || tagged.Contains(b.Id)))
                .Select(b => b.Id).OrderBy(id => id).ToListAsync();
            Assert.True(expected.SequenceEqual(await FoundAsync(queries, text, user)), $"text \"{text}\"");
        }

        Assert.Equal([ids[0]], await FoundAsync(queries, "HEX", user));
        Assert.Equal([ids[1]], await FoundAsync(queries, "ph", user));
        Assert.Equal([ids[3]], await FoundAsync(queries, "batch 4", user));
        Assert.Empty(await FoundAsync(queries, "alphabeta", user));
        Assert.Empty(await FoundAsync(queries, "a\nb", user));
        Assert.Equal([ids[5]], await FoundAsync(queries, "o\nl", user));
        Assert.Equal([ids[2]], await FoundAsync(queries, "0%_", user));
        Assert.Equal([ids[4]], await FoundAsync(queries, "\"quoted\"", user));
        Assert.Equal([ids[4]], await FoundAsync(queries, "ÉCROU", user));
        // SQLite's LIKE folds ASCII letters only, and so does its search: É and é stay different. ILIKE folds them.
        Assert.Equal(TestProvider.IsPostgres ? new List<Guid> { ids[4] } : new List<Guid>(), await FoundAsync(queries, "écrou", user));
    }

    [Fact]
    public async Task Tag_and_note_edits_deletes_and_the_purge_show_in_the_search_at_once()
    {
        var ids = await _data.AddAsync("u1", GalleryData.ModelA, Gear, 3, GalleryData.Start);
        var user = GalleryData.User("u1");
        var (db, queries, curation, _) = _data.Services();
        await using var _ = db;

        await curation.AddTagsAsync([ids[0], ids[1]], ["prototype"], user);
        Assert.Equal(ids.Take(2).Order(), await FoundAsync(queries, "proto", user));
        await curation.RemoveTagAsync(ids[0], "prototype", user);
        Assert.Equal([ids[1]], await FoundAsync(queries, "proto", user));
        Assert.Equal([ids[1]], await FoundAsync(queries, "pr", user));

        await curation.SetNoteAsync(ids[2], "needs a chamfer", user);
        Assert.Equal([ids[2]], await FoundAsync(queries, "chamfer", user));
        await curation.SetNoteAsync(ids[2], "fillet instead", user);
        Assert.Empty(await FoundAsync(queries, "chamfer", user));
        Assert.Equal([ids[2]], await FoundAsync(queries, "FILLET", user));
        await curation.SetNoteAsync(ids[2], null, user);
        Assert.Empty(await FoundAsync(queries, "fillet", user));

        // A note and tags together make one search row; removing one leaves the other findable.
        await curation.SetNoteAsync(ids[1], "flange batch", user);
        Assert.Equal([ids[1]], await FoundAsync(queries, "flange", user));
        await curation.RemoveTagAsync(ids[1], "prototype", user);
        Assert.Equal([ids[1]], await FoundAsync(queries, "flange", user));
        Assert.Empty(await FoundAsync(queries, "proto", user));

        // Soft-deleted blueprints are not found (nobody may read them); the purge removes their search rows.
        Assert.Equal(1, await curation.DeleteAsync([ids[1]], user));
        Assert.Empty(await FoundAsync(queries, "flange", user));
        Assert.Equal(1, await curation.RestoreAsync([ids[1]], user));
        Assert.Equal([ids[1]], await FoundAsync(queries, "flange", user));
        Assert.Equal(1, await curation.DeleteAsync([ids[1]], user));
        _data.Clock.Now = _data.Clock.Now.AddDays(2);
        Assert.Equal(1, await _data.Purge().PurgeAsync());
        // The search rows exist on SQLite only (PostgreSQL searches the notes and tags themselves).
        if (!TestProvider.IsPostgres)
            Assert.Equal(0, await SearchRowsAsync(db));
    }

    [Fact]
    public async Task Another_users_tags_and_notes_match_only_once_a_shared_collection_makes_the_blueprint_readable()
    {
        await using (var users = _data.Open())
        {
            users.Users.Add(new PortalUser { Id = "u2", UserName = "u2@aigc.test", Email = "u2@aigc.test", NormalizedEmail = "U2@AIGC.TEST", NormalizedUserName = "U2@AIGC.TEST" });
            await users.SaveChangesAsync();
        }

        var theirs = await _data.AddAsync("u1", GalleryData.ModelA, Gear, 2, GalleryData.Start);
        var mine = await _data.AddAsync("u2", GalleryData.ModelA, Gear, 1, GalleryData.Start);
        var owner = GalleryData.User("u1");
        var other = GalleryData.User("u2");
        var (db, queries, curation, collections) = _data.Services();
        await using var _ = db;
        await curation.AddTagsAsync(theirs, ["secret-project"], owner);
        await curation.SetNoteAsync(theirs[1], "confidential pricing", owner);
        await curation.SetNoteAsync(mine[0], "my own secret", other);

        Assert.Equal(mine, await FoundAsync(queries, "secret", other));
        Assert.Empty(await FoundAsync(queries, "confidential", other));
        Assert.Equal(mine, await FoundAsync(queries, "se", other));
        Assert.Equal(theirs.Concat(mine).Order(), await FoundAsync(queries, "secret", GalleryData.User("root", "Admin")));

        var shared = await collections.CreateAsync("For u2", owner);
        await collections.AddAsync(shared.Id, [theirs[1]], owner);
        await collections.ShareAsync(shared.Id, new ShareTarget(null, "u2@aigc.test", CanEdit: false), owner);
        Assert.Equal(new[] { theirs[1], mine[0] }.Order(), await FoundAsync(queries, "secret", other));
        Assert.Equal([theirs[1]], await FoundAsync(queries, "confidential", other));
        var facets = await queries.FacetsAsync(Q("secret"), other);
        Assert.Equal(2, facets.Total);
        Assert.Equal([("secret-project", 1)], facets.Tags.Select(t => (t.Value, t.Count)));
    }

    [Fact]
    public async Task The_migration_indexes_the_notes_and_tags_already_there_and_goes_down_cleanly()
    {
        // M0009 is SQLite's own migration: this runs on SQLite whatever the provider under test.
        using var data = new GalleryData(sqlite: true);
        var migrations = MigrationIds(data);
        var previous = migrations[migrations.IndexOf("20261122000007_GallerySearch") - 1];
        var blueprint = Guid.NewGuid();
        await using (var old = data.Open())
        {
            await old.GetService<IMigrator>().MigrateAsync(previous);
            var job = Guid.NewGuid();
            var conditions = """{"part":"bolt"}""";
            await old.Database.ExecuteSqlAsync(
                $"""
                INSERT INTO GenerationJobs (Id, UserId, ModelSha256, ConditionsJson, Count, Seed, Preset, Priority, Status,
                    ImagesDone, CreatedAt, Attempts, Recipe)
                VALUES ({job}, 'u1', 'abc', {conditions}, 1, 7, 'default', 0, 'Completed', 1, '2026-01-02 03:04:05',
                    1, 'Sample')
                """);
            await old.Database.ExecuteSqlAsync(
                $"""
                INSERT INTO Blueprints (Id, JobId, "Index", Seed, ConditionsJson, FileSha256, ContentType, Width, Height, FileBytes, CreatedAt, OwnerId, ModelSha256, Preset, Note)
                VALUES ({blueprint}, {job}, 0, 7, {conditions}, 'f', 'image/png', 64, 64, 1, '2026-01-02 03:04:05', 'u1', 'abc', 'default', 'Deburr the edges')
                """);
            await old.Database.ExecuteSqlAsync($"INSERT INTO BlueprintTags (BlueprintId, Tag) VALUES ({blueprint}, 'legacy-tag')");
        }

        await using (var upgraded = data.Open())
        {
            await upgraded.Database.MigrateAsync();
        }

        var (db, queries, _, _) = data.Services();
        await using var _ = db;
        var user = GalleryData.User("u1");
        Assert.Equal([blueprint], await FoundAsync(queries, "deburr", user));
        Assert.Equal([blueprint], await FoundAsync(queries, "legacy", user));
        Assert.Equal(1, await SearchRowsAsync(db));
    }

    [PostgresPassFact]
    public async Task On_postgres_a_big_gallery_is_searched_through_the_trigram_indexes()
    {
        var ids = await _data.AddAsync("u1", GalleryData.ModelA, Gear, 4, GalleryData.Start);
        var user = GalleryData.User("u1");
        var (db, queries, curation, _) = _data.Services();
        await using var _ = db;
        await curation.SetNoteAsync(ids[0], "Check the NEEDLE bearing", user);
        await curation.AddTagsAsync([ids[1]], ["needlework"], user);
        await curation.SetNoteAsync(ids[2], "a note", user);
        await curation.AddTagsAsync([ids[3]], ["a tag"], user);
        // 20,000 more of the user's blueprints, each with a note and five tags of its own (hex digits, never
        // "needle"): copies of ids[2] and of ids[3]'s tag row, whatever their columns are. Slow on a busy machine.
        db.Database.SetCommandTimeout(TimeSpan.FromMinutes(5));
        await db.Database.ExecuteSqlAsync(
            $"""
            INSERT INTO "Blueprints"
            SELECT (jsonb_populate_record(NULL::"Blueprints", to_jsonb(b) || jsonb_build_object(
                'Id', gen_random_uuid(), 'Index', 1000 + g, 'Note', 'drawing ' || md5(g::text)))).*
            FROM "Blueprints" AS b, generate_series(1, 20000) AS g WHERE b."Id" = {ids[2]}
            """);
        await db.Database.ExecuteSqlAsync(
            $"""
            INSERT INTO "BlueprintTags"
            SELECT (jsonb_populate_record(NULL::"BlueprintTags", to_jsonb(t) || jsonb_build_object(
                'BlueprintId', b."Id", 'Tag', 'tag ' || left(md5(b."Id"::text || k), 12)))).*
            FROM "BlueprintTags" AS t, "Blueprints" AS b, generate_series(1, 5) AS k
            WHERE t."BlueprintId" = {ids[3]} AND b."Index" >= 1000
            """);
        await db.Database.ExecuteSqlRawAsync("ANALYZE");

        Assert.Equal(new[] { ids[0], ids[1] }.Order(), await FoundAsync(queries, "needle", user));
        await using var command = (await queries.MatchingAsync(Q("needle"), user)).Select(b => b.Id).CreateDbCommand();
        command.CommandText = "EXPLAIN " + command.CommandText;
        await db.Database.OpenConnectionAsync();
        var plan = new List<string>();
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
                plan.Add(reader.GetString(0));
        }

        var text = string.Join(Environment.NewLine, plan);
        Assert.True(text.Contains("IX_Blueprints_Note_Trigram", StringComparison.Ordinal)
                    && text.Contains("IX_BlueprintTags_Tag_Trigram", StringComparison.Ordinal),
            $"the search should read both trigram indexes:{Environment.NewLine}{text}");
    }

    private static async Task<int> SearchRowsAsync(PortalDbContext db) =>
        await db.Database.SqlQuery<int>($"SELECT count(*) AS Value FROM BlueprintSearchText").SingleAsync();

    private static List<string> MigrationIds(GalleryData data)
    {
        using var db = data.Open();
        return db.Database.GetMigrations().ToList();
    }
}
