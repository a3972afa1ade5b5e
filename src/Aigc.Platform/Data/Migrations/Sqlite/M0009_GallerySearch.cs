using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Aigc.Platform.Data.Migrations.Sqlite;

/// <summary>
/// The gallery's text search and tag facet at 50,000 blueprints (decision 0013). BlueprintSearchText holds one row per
/// blueprint that has a note or tags (its tags joined by line feeds) under a stable integer key; BlueprintSearch is an
/// FTS5 trigram index over it (external content, so the text is stored once). Triggers keep both in step with every
/// writer of notes and tags (EF, the seeding tool's raw inserts, cascades of the purge), so no code has to remember to.
/// The (Id, DeletedAt, OwnerId) index lets the tag facet check each tag's blueprint without reading its row; two gallery
/// indexes are widened so that date filters and the facets' id lists are answered from the index alone.
/// </summary>
[DbContext(typeof(SqlitePortalDbContext))]
[Migration("20261122000007_GallerySearch")]
public sealed class M0009_GallerySearch : Migration
{
    /// <summary>Rebuilds the search row of the blueprint <c>{0}</c> (a trigger's new./old. column) from its note and tags.</summary>
    private const string Refresh =
        """
        DELETE FROM BlueprintSearchText WHERE BlueprintId = {0};
        INSERT INTO BlueprintSearchText (BlueprintId, Note, Tags)
        SELECT b.Id, b.Note, (SELECT group_concat(t.Tag, char(10)) FROM BlueprintTags t WHERE t.BlueprintId = b.Id)
        FROM Blueprints b
        WHERE b.Id = {0} AND (b.Note IS NOT NULL OR EXISTS (SELECT 1 FROM BlueprintTags t WHERE t.BlueprintId = b.Id));
        """;

    /// <summary>Gallery indexes given more columns, so that more facet counts are answered from the index alone.</summary>
    private static readonly (string[] Before, string[] After)[] WidenedIndexes =
    [
        (["DeletedAt", "ModelSha256", "ConditionsJson"], ["DeletedAt", "ModelSha256", "ConditionsJson", "CreatedAt", "Id"]),
        (["CreatedAt", "Id"], ["CreatedAt", "Id", "DeletedAt", "OwnerId", "ModelSha256", "ConditionsJson"]),
        (["OwnerId", "CreatedAt", "Id"], ["OwnerId", "CreatedAt", "Id", "DeletedAt"]),
        (["ModelSha256", "CreatedAt", "Id"], ["ModelSha256", "CreatedAt", "Id", "DeletedAt", "ConditionsJson"]),
    ];

    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateIndex(name: "IX_Blueprints_Id_DeletedAt_OwnerId", table: "Blueprints", columns: ["Id", "DeletedAt", "OwnerId"]);
        foreach (var (before, after) in WidenedIndexes)
        {
            migrationBuilder.DropIndex(name: Name(before), table: "Blueprints");
            migrationBuilder.CreateIndex(name: Name(after), table: "Blueprints", columns: after);
        }

        migrationBuilder.Sql(
            """
            CREATE TABLE BlueprintSearchText (
                Id INTEGER PRIMARY KEY,
                BlueprintId TEXT NOT NULL UNIQUE,
                Note TEXT NULL,
                Tags TEXT NULL);
            """);
        migrationBuilder.Sql(
            "CREATE VIRTUAL TABLE BlueprintSearch USING fts5(Note, Tags, content='BlueprintSearchText', content_rowid='Id', tokenize='trigram');");
        // The index follows its content table; search rows are only inserted and deleted, never updated.
        migrationBuilder.Sql(
            """
            CREATE TRIGGER BlueprintSearchText_Inserted AFTER INSERT ON BlueprintSearchText BEGIN
                INSERT INTO BlueprintSearch (rowid, Note, Tags) VALUES (new.Id, new.Note, new.Tags);
            END;
            """);
        migrationBuilder.Sql(
            """
            CREATE TRIGGER BlueprintSearchText_Deleted AFTER DELETE ON BlueprintSearchText BEGIN
                INSERT INTO BlueprintSearch (BlueprintSearch, rowid, Note, Tags) VALUES ('delete', old.Id, old.Note, old.Tags);
            END;
            """);
        migrationBuilder.Sql(Trigger("Blueprints_NoteInserted", "AFTER INSERT ON Blueprints WHEN new.Note IS NOT NULL", string.Format(Refresh, "new.Id")));
        migrationBuilder.Sql(Trigger("Blueprints_NoteUpdated", "AFTER UPDATE OF Note ON Blueprints WHEN new.Note IS NOT old.Note", string.Format(Refresh, "new.Id")));
        migrationBuilder.Sql(Trigger("Blueprints_SearchDeleted", "AFTER DELETE ON Blueprints", "DELETE FROM BlueprintSearchText WHERE BlueprintId = old.Id;"));
        migrationBuilder.Sql(Trigger("BlueprintTags_SearchInserted", "AFTER INSERT ON BlueprintTags", string.Format(Refresh, "new.BlueprintId")));
        migrationBuilder.Sql(Trigger("BlueprintTags_SearchDeleted", "AFTER DELETE ON BlueprintTags", string.Format(Refresh, "old.BlueprintId")));
        migrationBuilder.Sql(Trigger("BlueprintTags_SearchUpdated", "AFTER UPDATE ON BlueprintTags",
            string.Format(Refresh, "old.BlueprintId") + "\n" + string.Format(Refresh, "new.BlueprintId")));

        migrationBuilder.Sql(
            """
            INSERT INTO BlueprintSearchText (BlueprintId, Note, Tags)
            SELECT b.Id, b.Note, (SELECT group_concat(t.Tag, char(10)) FROM BlueprintTags t WHERE t.BlueprintId = b.Id)
            FROM Blueprints b
            WHERE b.Note IS NOT NULL OR EXISTS (SELECT 1 FROM BlueprintTags t WHERE t.BlueprintId = b.Id);
            """);
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        foreach (var trigger in new[]
                 {
                     "BlueprintTags_SearchUpdated", "BlueprintTags_SearchDeleted", "BlueprintTags_SearchInserted", "Blueprints_SearchDeleted",
                     "Blueprints_NoteUpdated", "Blueprints_NoteInserted", "BlueprintSearchText_Deleted", "BlueprintSearchText_Inserted",
                 })
            migrationBuilder.Sql($"DROP TRIGGER {trigger};");
        migrationBuilder.Sql("DROP TABLE BlueprintSearch;");
        migrationBuilder.Sql("DROP TABLE BlueprintSearchText;");
        migrationBuilder.DropIndex(name: "IX_Blueprints_Id_DeletedAt_OwnerId", table: "Blueprints");
        foreach (var (before, after) in WidenedIndexes)
        {
            migrationBuilder.DropIndex(name: Name(after), table: "Blueprints");
            migrationBuilder.CreateIndex(name: Name(before), table: "Blueprints", columns: before);
        }
    }

    private static string Name(string[] columns) => $"IX_Blueprints_{string.Join('_', columns)}";

    private static string Trigger(string name, string when, string body) =>
        $"CREATE TRIGGER {name} {when} BEGIN\n{body}\nEND;";
}
