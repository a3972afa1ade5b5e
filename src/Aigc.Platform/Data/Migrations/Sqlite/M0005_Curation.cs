using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Aigc.Platform.Data.Migrations.Sqlite;

/// <summary>
/// The gallery: owner, model, preset, note and soft delete on blueprints (backfilled from their jobs) with the
/// indexes its filters seek on, tags, favourites, collections with items and shares, saved filters and derived
/// thumbnail sizes.
/// </summary>
[DbContext(typeof(SqlitePortalDbContext))]
[Migration("20261122000003_Curation")]
public sealed class Curation : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.AddColumn<string>(name: "OwnerId", table: "Blueprints", type: "TEXT", maxLength: 450, nullable: false, defaultValue: "");
        migrationBuilder.AddColumn<string>(name: "ModelSha256", table: "Blueprints", type: "TEXT", maxLength: 64, nullable: false, defaultValue: "");
        migrationBuilder.AddColumn<string>(name: "Preset", table: "Blueprints", type: "TEXT", maxLength: 64, nullable: false, defaultValue: "");
        migrationBuilder.AddColumn<string>(name: "Note", table: "Blueprints", type: "TEXT", maxLength: 2000, nullable: true);
        migrationBuilder.AddColumn<DateTime>(name: "DeletedAt", table: "Blueprints", type: "TEXT", nullable: true);

        migrationBuilder.CreateTable(
            name: "BlueprintTags",
            columns: table => new
            {
                BlueprintId = table.Column<Guid>(type: "TEXT", nullable: false),
                Tag = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false)
            },
            constraints: table =>
            {
                table.PrimaryKey("PK_BlueprintTags", x => new { x.BlueprintId, x.Tag });
                table.ForeignKey("FK_BlueprintTags_Blueprints_BlueprintId", x => x.BlueprintId, "Blueprints", "Id", onDelete: ReferentialAction.Cascade);
            });

        migrationBuilder.CreateTable(
            name: "Favourites",
            columns: table => new
            {
                UserId = table.Column<string>(type: "TEXT", maxLength: 450, nullable: false),
                BlueprintId = table.Column<Guid>(type: "TEXT", nullable: false),
                CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
            },
            constraints: table =>
            {
                table.PrimaryKey("PK_Favourites", x => new { x.UserId, x.BlueprintId });
                table.ForeignKey("FK_Favourites_Blueprints_BlueprintId", x => x.BlueprintId, "Blueprints", "Id", onDelete: ReferentialAction.Cascade);
            });

        migrationBuilder.CreateTable(
            name: "Collections",
            columns: table => new
            {
                Id = table.Column<Guid>(type: "TEXT", nullable: false),
                OwnerId = table.Column<string>(type: "TEXT", maxLength: 450, nullable: false),
                Name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                CoverBlueprintId = table.Column<Guid>(type: "TEXT", nullable: true),
                CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
            },
            constraints: table =>
            {
                table.PrimaryKey("PK_Collections", x => x.Id);
                table.ForeignKey("FK_Collections_Blueprints_CoverBlueprintId", x => x.CoverBlueprintId, "Blueprints", "Id", onDelete: ReferentialAction.SetNull);
            });

        migrationBuilder.CreateTable(
            name: "CollectionItems",
            columns: table => new
            {
                CollectionId = table.Column<Guid>(type: "TEXT", nullable: false),
                BlueprintId = table.Column<Guid>(type: "TEXT", nullable: false),
                AddedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
            },
            constraints: table =>
            {
                table.PrimaryKey("PK_CollectionItems", x => new { x.CollectionId, x.BlueprintId });
                table.ForeignKey("FK_CollectionItems_Blueprints_BlueprintId", x => x.BlueprintId, "Blueprints", "Id", onDelete: ReferentialAction.Cascade);
                table.ForeignKey("FK_CollectionItems_Collections_CollectionId", x => x.CollectionId, "Collections", "Id", onDelete: ReferentialAction.Cascade);
            });

        migrationBuilder.CreateTable(
            name: "CollectionShares",
            columns: table => new
            {
                Id = table.Column<Guid>(type: "TEXT", nullable: false),
                CollectionId = table.Column<Guid>(type: "TEXT", nullable: false),
                Role = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                UserId = table.Column<string>(type: "TEXT", maxLength: 450, nullable: true),
                CanEdit = table.Column<bool>(type: "INTEGER", nullable: false)
            },
            constraints: table =>
            {
                table.PrimaryKey("PK_CollectionShares", x => x.Id);
                table.ForeignKey("FK_CollectionShares_Collections_CollectionId", x => x.CollectionId, "Collections", "Id", onDelete: ReferentialAction.Cascade);
            });

        migrationBuilder.CreateTable(
            name: "SavedFilters",
            columns: table => new
            {
                Id = table.Column<Guid>(type: "TEXT", nullable: false),
                UserId = table.Column<string>(type: "TEXT", maxLength: 450, nullable: false),
                Name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                Query = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: false),
                CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
            },
            constraints: table => table.PrimaryKey("PK_SavedFilters", x => x.Id));

        migrationBuilder.CreateTable(
            name: "ThumbnailVariants",
            columns: table => new
            {
                FileSha256 = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                Size = table.Column<int>(type: "INTEGER", nullable: false),
                Sha256 = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false)
            },
            constraints: table => table.PrimaryKey("PK_ThumbnailVariants", x => new { x.FileSha256, x.Size }));

        migrationBuilder.CreateIndex(name: "IX_Blueprints_OwnerId_CreatedAt_Id", table: "Blueprints", columns: ["OwnerId", "CreatedAt", "Id"]);
        migrationBuilder.CreateIndex(name: "IX_Blueprints_CreatedAt_Id", table: "Blueprints", columns: ["CreatedAt", "Id"]);
        migrationBuilder.CreateIndex(name: "IX_Blueprints_ModelSha256_CreatedAt_Id", table: "Blueprints", columns: ["ModelSha256", "CreatedAt", "Id"]);
        migrationBuilder.CreateIndex(name: "IX_Blueprints_DeletedAt_ModelSha256_ConditionsJson", table: "Blueprints", columns: ["DeletedAt", "ModelSha256", "ConditionsJson"]);
        migrationBuilder.CreateIndex(name: "IX_Blueprints_OwnerId_DeletedAt_ModelSha256_ConditionsJson", table: "Blueprints", columns: ["OwnerId", "DeletedAt", "ModelSha256", "ConditionsJson"]);
        migrationBuilder.CreateIndex(name: "IX_BlueprintTags_Tag_BlueprintId", table: "BlueprintTags", columns: ["Tag", "BlueprintId"]);
        migrationBuilder.CreateIndex(name: "IX_Favourites_BlueprintId", table: "Favourites", column: "BlueprintId");
        migrationBuilder.CreateIndex(name: "IX_Collections_OwnerId", table: "Collections", column: "OwnerId");
        migrationBuilder.CreateIndex(name: "IX_Collections_CoverBlueprintId", table: "Collections", column: "CoverBlueprintId");
        migrationBuilder.CreateIndex(name: "IX_CollectionItems_BlueprintId", table: "CollectionItems", column: "BlueprintId");
        migrationBuilder.CreateIndex(name: "IX_CollectionShares_CollectionId", table: "CollectionShares", column: "CollectionId");
        migrationBuilder.CreateIndex(name: "IX_CollectionShares_UserId", table: "CollectionShares", column: "UserId");
        migrationBuilder.CreateIndex(name: "IX_CollectionShares_Role", table: "CollectionShares", column: "Role");
        migrationBuilder.CreateIndex(name: "IX_SavedFilters_UserId_Name", table: "SavedFilters", columns: ["UserId", "Name"], unique: true);

        // Existing blueprints take what the filters need from their jobs.
        migrationBuilder.Sql(
            """
            UPDATE Blueprints SET
                OwnerId = (SELECT j.UserId FROM GenerationJobs j WHERE j.Id = Blueprints.JobId),
                ModelSha256 = (SELECT j.ModelSha256 FROM GenerationJobs j WHERE j.Id = Blueprints.JobId),
                Preset = (SELECT j.Preset FROM GenerationJobs j WHERE j.Id = Blueprints.JobId);
            """);
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropTable(name: "ThumbnailVariants");
        migrationBuilder.DropTable(name: "SavedFilters");
        migrationBuilder.DropTable(name: "CollectionShares");
        migrationBuilder.DropTable(name: "CollectionItems");
        migrationBuilder.DropTable(name: "Collections");
        migrationBuilder.DropTable(name: "Favourites");
        migrationBuilder.DropTable(name: "BlueprintTags");
        migrationBuilder.DropIndex(name: "IX_Blueprints_OwnerId_CreatedAt_Id", table: "Blueprints");
        migrationBuilder.DropIndex(name: "IX_Blueprints_CreatedAt_Id", table: "Blueprints");
        migrationBuilder.DropIndex(name: "IX_Blueprints_ModelSha256_CreatedAt_Id", table: "Blueprints");
        migrationBuilder.DropIndex(name: "IX_Blueprints_DeletedAt_ModelSha256_ConditionsJson", table: "Blueprints");
        migrationBuilder.DropIndex(name: "IX_Blueprints_OwnerId_DeletedAt_ModelSha256_ConditionsJson", table: "Blueprints");
        migrationBuilder.DropColumn(name: "OwnerId", table: "Blueprints");
        migrationBuilder.DropColumn(name: "ModelSha256", table: "Blueprints");
        migrationBuilder.DropColumn(name: "Preset", table: "Blueprints");
        migrationBuilder.DropColumn(name: "Note", table: "Blueprints");
        migrationBuilder.DropColumn(name: "DeletedAt", table: "Blueprints");
    }
}
