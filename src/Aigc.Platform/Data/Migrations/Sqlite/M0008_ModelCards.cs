using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Aigc.Platform.Data.Migrations.Sqlite;

/// <summary>Model versions carry their card, licence, metrics, sample grid and the version a roll back returns to.</summary>
[DbContext(typeof(SqlitePortalDbContext))]
[Migration("20261122000006_ModelCards")]
public sealed class M0008_ModelCards : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.AddColumn<string>(name: "ModelCard", table: "ModelVersions", type: "TEXT", maxLength: ModelCardConfiguration.MaxDocumentLength, nullable: true);
        migrationBuilder.AddColumn<string>(name: "License", table: "ModelVersions", type: "TEXT", maxLength: ModelCardConfiguration.MaxDocumentLength, nullable: true);
        migrationBuilder.AddColumn<string>(name: "MetricsJson", table: "ModelVersions", type: "TEXT", maxLength: ModelCardConfiguration.MaxDocumentLength, nullable: true);
        migrationBuilder.AddColumn<string>(name: "SamplesSha256", table: "ModelVersions", type: "TEXT", maxLength: 64, nullable: true);
        migrationBuilder.AddColumn<string>(name: "PreviousActiveSha256", table: "ModelVersions", type: "TEXT", maxLength: 64, nullable: true);
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropColumn(name: "ModelCard", table: "ModelVersions");
        migrationBuilder.DropColumn(name: "License", table: "ModelVersions");
        migrationBuilder.DropColumn(name: "MetricsJson", table: "ModelVersions");
        migrationBuilder.DropColumn(name: "SamplesSha256", table: "ModelVersions");
        migrationBuilder.DropColumn(name: "PreviousActiveSha256", table: "ModelVersions");
    }
}
