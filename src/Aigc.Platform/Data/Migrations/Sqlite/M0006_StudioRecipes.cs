using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Aigc.Platform.Data.Migrations.Sqlite;

/// <summary>Job recipes (sample, vary, interpolate) and each user's last Studio settings.</summary>
[DbContext(typeof(SqlitePortalDbContext))]
[Migration("20261122000004_StudioRecipes")]
public sealed class StudioRecipes : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.AddColumn<string>(name: "Recipe", table: "GenerationJobs", type: "TEXT", maxLength: 16, nullable: false, defaultValue: "Sample");
        migrationBuilder.AddColumn<long>(name: "VariationSeed", table: "GenerationJobs", type: "INTEGER", nullable: true);
        migrationBuilder.AddColumn<double>(name: "Strength", table: "GenerationJobs", type: "REAL", nullable: true);
        migrationBuilder.AddColumn<string>(name: "EndConditionsJson", table: "GenerationJobs", type: "TEXT", maxLength: 4000, nullable: true);
        migrationBuilder.AddColumn<long>(name: "EndSeed", table: "GenerationJobs", type: "INTEGER", nullable: true);
        migrationBuilder.AddColumn<int>(name: "Frames", table: "GenerationJobs", type: "INTEGER", nullable: true);
        migrationBuilder.AddColumn<int>(name: "FirstFrame", table: "GenerationJobs", type: "INTEGER", nullable: true);

        migrationBuilder.CreateTable(
            name: "StudioSettings",
            columns: table => new
            {
                UserId = table.Column<string>(type: "TEXT", maxLength: 450, nullable: false),
                Query = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: false),
                UpdatedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
            },
            constraints: table =>
            {
                table.PrimaryKey("PK_StudioSettings", x => x.UserId);
                table.ForeignKey(
                    name: "FK_StudioSettings_AspNetUsers_UserId",
                    column: x => x.UserId,
                    principalTable: "AspNetUsers",
                    principalColumn: "Id",
                    onDelete: ReferentialAction.Cascade);
            });
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropTable(name: "StudioSettings");
        foreach (var column in new[] { "FirstFrame", "Frames", "EndSeed", "EndConditionsJson", "Strength", "VariationSeed", "Recipe" })
            migrationBuilder.DropColumn(name: column, table: "GenerationJobs");
    }
}
