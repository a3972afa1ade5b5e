using Aigc.Platform.Blobs;
using Aigc.Platform.Blueprints;
using Aigc.Platform.Data;
using Aigc.Platform.Gallery;
using Aigc.Platform.Queue;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Aigc.Platform.Tests.Gallery;

/// <summary>A migrated database with users and blueprints written directly, and the gallery services over it.</summary>
public sealed class GalleryData : IDisposable
{
    public const string ModelA = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    public const string ModelB = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";
    public static readonly DateTime Start = new(2026, 11, 1, 12, 0, 0, DateTimeKind.Utc);

    private readonly TestDatabase _database = new();
    private readonly bool _sqlite;

    /// <param name="sqlite">SQLite whatever the provider under test (for what only SQLite has: M0009's search index).</param>
    public GalleryData(bool sqlite = false)
    {
        _sqlite = sqlite;
        using var db = Open();
        db.Database.Migrate();
        Blobs = new BlobStore(Path.Combine(_database.Folder, "blobs"));
    }

    public ManualClock Clock { get; } = new(Start.AddDays(10));

    public BlobStore Blobs { get; }

    public PortalDbContext Open() => _sqlite ? _database.OpenSqlite() : _database.Open();

    public GalleryOptions Options { get; } = new() { RetentionHours = 24 };

    public static Requester User(string id, params string[] roles) => new(id, roles.Length == 0 ? ["Designer"] : roles);

    /// <summary>Adds one job of <paramref name="count"/> blueprints; blueprint i is created at start + minute (i / sameTime).</summary>
    public async Task<List<Guid>> AddAsync(string owner, string model, Dictionary<string, string> conditions, int count, DateTime at, int sameTime = 1, string? file = null)
    {
        await using var db = Open();
        var json = ConditionsJson.Write(conditions);
        var job = new GenerationJob
        {
            Id = Guid.NewGuid(), UserId = owner, ModelSha256 = model, ConditionsJson = json, Count = count, Seed = 100,
            Preset = "default", Status = JobStatus.Completed, CreatedAt = at,
        };
        db.GenerationJobs.Add(job);
        var ids = new List<Guid>();
        for (var i = 0; i < count; i++)
        {
            var id = Guid.NewGuid();
            ids.Add(id);
            db.Blueprints.Add(new Blueprint
            {
                Id = id, JobId = job.Id, Index = i, Seed = 100 + i, ConditionsJson = json, FileSha256 = file ?? new string('f', 64),
                ContentType = "image/png", Width = 64, Height = 64, CreatedAt = at.AddMinutes(i / sameTime),
                OwnerId = owner, ModelSha256 = model, Preset = "default",
            });
        }

        await db.SaveChangesAsync();
        return ids;
    }

    public (PortalDbContext Db, GalleryQueries Queries, Curation Curation, CollectionCuration Collections) Services()
    {
        var db = Open();
        var access = new BlueprintAccess(db);
        return (db, new GalleryQueries(db, access), new Curation(db, access, Clock, Microsoft.Extensions.Options.Options.Create(Options)), new CollectionCuration(db, access, Clock));
    }

    public BlueprintPurge Purge() =>
        new(new Factory(this), Blobs, Clock, Microsoft.Extensions.Options.Options.Create(Options), NullLogger<BlueprintPurge>.Instance);

    public void Dispose() => _database.Dispose();

    public sealed class ManualClock(DateTime now) : TimeProvider
    {
        public DateTime Now { get; set; } = now;

        public override DateTimeOffset GetUtcNow() => new(Now);
    }

    private sealed class Factory(GalleryData data) : IDbContextFactory<PortalDbContext>
    {
        public PortalDbContext CreateDbContext() => data.Open();
    }
}
