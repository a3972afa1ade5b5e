using System.CommandLine;
using System.Text.Json;
using Aigc.Cli.Commands;
using Microsoft.Data.Sqlite;

namespace Aigc.Cli.Tests;

/// <summary>`aigc dev seed-gallery`: real images per condition combination, rows that reuse them, every facet populated.</summary>
[Collection("Console")]
public sealed class DevCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("aigc-seed-").FullName;

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task Seed_gallery_adds_the_rows_over_real_images_with_tags_favourites_and_collections()
    {
        var config = WorkerSetup.Write(_dir);

        Assert.Equal(0, await new RootCommand("aigc") { DevCommand.Create() }.Parse(["dev", "seed-gallery", "--count", "2000", "--config", config]).InvokeAsync());

        using var db = new SqliteConnection($"Data Source={Path.Combine(_dir, "data", "aigc.db")}");
        db.Open();
        long Scalar(string sql)
        {
            using var command = db.CreateCommand();
            command.CommandText = sql;
            return (long)command.ExecuteScalar()!;
        }

        // 3 parts × 2 views × 3 complexities = 18 generated images; 2,000 seeded rows on top, all pointing at those files.
        Assert.Equal(2018, Scalar("SELECT COUNT(*) FROM Blueprints"));
        Assert.Equal(18, Scalar("SELECT COUNT(DISTINCT FileSha256) FROM Blueprints"));
        Assert.Equal(18, Scalar("SELECT COUNT(DISTINCT ConditionsJson) FROM Blueprints"));
        Assert.Equal(3, Scalar("SELECT COUNT(DISTINCT ModelSha256) FROM Blueprints WHERE JobId IN (SELECT Id FROM GenerationJobs WHERE UserId <> 'cli')"));
        Assert.True(Scalar("SELECT COUNT(DISTINCT OwnerId) FROM Blueprints") >= 4);
        Assert.True(Scalar("SELECT COUNT(*) FROM BlueprintTags") > 100);
        Assert.True(Scalar("SELECT COUNT(*) FROM Favourites") > 20);
        Assert.True(Scalar("SELECT COUNT(*) FROM CollectionItems") > 20);
        Assert.Equal(0, Scalar("SELECT COUNT(*) FROM Blueprints b WHERE b.OwnerId <> (SELECT j.UserId FROM GenerationJobs j WHERE j.Id = b.JobId)"));
    }
}
