using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Aigc.Platform.Data.Migrations.Sqlite;

/// <summary>Model versions, the generation queue of record and the blueprints it produces.</summary>
[DbContext(typeof(SqlitePortalDbContext))]
[Migration("20261122000001_GenerationQueue")]
public sealed class GenerationQueue : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateTable(
            name: "ModelVersions",
            columns: table => new
            {
                Id = table.Column<Guid>(type: "TEXT", nullable: false),
                Name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                Version = table.Column<string>(type: "TEXT", maxLength: 50, nullable: false),
                WeightsSha256 = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                WeightsBytes = table.Column<long>(type: "INTEGER", nullable: false),
                ManifestJson = table.Column<string>(type: "TEXT", nullable: false),
                Status = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                StatusReason = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                AllowedRoles = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                AddedBy = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                AddedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                ActivatedAt = table.Column<DateTime>(type: "TEXT", nullable: true)
            },
            constraints: table => table.PrimaryKey("PK_ModelVersions", x => x.Id));

        migrationBuilder.CreateTable(
            name: "GenerationJobs",
            columns: table => new
            {
                Id = table.Column<Guid>(type: "TEXT", nullable: false),
                UserId = table.Column<string>(type: "TEXT", maxLength: 450, nullable: false),
                ModelSha256 = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                ConditionsJson = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: false),
                Count = table.Column<int>(type: "INTEGER", nullable: false),
                Seed = table.Column<long>(type: "INTEGER", nullable: false),
                Preset = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                Priority = table.Column<int>(type: "INTEGER", nullable: false),
                Status = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                ImagesDone = table.Column<int>(type: "INTEGER", nullable: false),
                CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                StartedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                CompletedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                Error = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                LeaseOwner = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                LeaseExpiresAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                Attempts = table.Column<int>(type: "INTEGER", nullable: false)
            },
            constraints: table => table.PrimaryKey("PK_GenerationJobs", x => x.Id));

        migrationBuilder.CreateTable(
            name: "Blueprints",
            columns: table => new
            {
                Id = table.Column<Guid>(type: "TEXT", nullable: false),
                JobId = table.Column<Guid>(type: "TEXT", nullable: false),
                Index = table.Column<int>(type: "INTEGER", nullable: false),
                Seed = table.Column<long>(type: "INTEGER", nullable: false),
                ConditionsJson = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: false),
                FileSha256 = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                ThumbnailSha256 = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                ContentType = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                Width = table.Column<int>(type: "INTEGER", nullable: false),
                Height = table.Column<int>(type: "INTEGER", nullable: false),
                FileBytes = table.Column<long>(type: "INTEGER", nullable: false),
                CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
            },
            constraints: table =>
            {
                table.PrimaryKey("PK_Blueprints", x => x.Id);
                table.ForeignKey(
                    name: "FK_Blueprints_GenerationJobs_JobId",
                    column: x => x.JobId,
                    principalTable: "GenerationJobs",
                    principalColumn: "Id",
                    onDelete: ReferentialAction.Cascade);
            });

        migrationBuilder.CreateIndex(name: "IX_ModelVersions_WeightsSha256", table: "ModelVersions", column: "WeightsSha256", unique: true);
        migrationBuilder.CreateIndex(name: "IX_ModelVersions_Name_Version", table: "ModelVersions", columns: ["Name", "Version"], unique: true);
        migrationBuilder.CreateIndex(name: "IX_GenerationJobs_Status_Priority_CreatedAt", table: "GenerationJobs", columns: ["Status", "Priority", "CreatedAt"]);
        migrationBuilder.CreateIndex(name: "IX_GenerationJobs_UserId_CreatedAt", table: "GenerationJobs", columns: ["UserId", "CreatedAt"]);
        migrationBuilder.CreateIndex(name: "IX_Blueprints_JobId_Index", table: "Blueprints", columns: ["JobId", "Index"], unique: true);
        migrationBuilder.CreateIndex(name: "IX_Blueprints_FileSha256", table: "Blueprints", column: "FileSha256");
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropTable(name: "Blueprints");
        migrationBuilder.DropTable(name: "GenerationJobs");
        migrationBuilder.DropTable(name: "ModelVersions");
    }
}
