using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Aigc.Platform.Data.Migrations.Sqlite;

/// <summary>Brand kits, ad campaigns with their source blueprints, and their rendered files.</summary>
[DbContext(typeof(SqlitePortalDbContext))]
[Migration("20261122000005_Ads")]
public sealed class M0007_Ads : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateTable(
            name: "BrandKits",
            columns: table => new
            {
                Id = table.Column<Guid>(type: "TEXT", nullable: false),
                Team = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                Name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                PrimaryColour = table.Column<string>(type: "TEXT", maxLength: 7, nullable: false),
                SecondaryColour = table.Column<string>(type: "TEXT", maxLength: 7, nullable: false),
                BackgroundColour = table.Column<string>(type: "TEXT", maxLength: 7, nullable: false),
                LogoSha256 = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                LogoContentType = table.Column<string>(type: "TEXT", maxLength: 32, nullable: true),
                FontFamily = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                DefaultCallToAction = table.Column<string>(type: "TEXT", maxLength: 30, nullable: false),
                UpdatedBy = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                UpdatedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
            },
            constraints: table => table.PrimaryKey("PK_BrandKits", x => x.Id));

        migrationBuilder.CreateTable(
            name: "AdCampaigns",
            columns: table => new
            {
                Id = table.Column<Guid>(type: "TEXT", nullable: false),
                OwnerId = table.Column<string>(type: "TEXT", maxLength: 450, nullable: false),
                Name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                BrandKitId = table.Column<Guid>(type: "TEXT", nullable: false),
                TemplateId = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                Headline = table.Column<string>(type: "TEXT", maxLength: 90, nullable: false),
                Subline = table.Column<string>(type: "TEXT", maxLength: 160, nullable: true),
                CallToAction = table.Column<string>(type: "TEXT", maxLength: 30, nullable: false),
                Legal = table.Column<string>(type: "TEXT", maxLength: 400, nullable: true),
                Treatment = table.Column<string>(type: "TEXT", maxLength: 16, nullable: true),
                Sizes = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                UpdatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                RenderedAt = table.Column<DateTime>(type: "TEXT", nullable: true)
            },
            constraints: table =>
            {
                table.PrimaryKey("PK_AdCampaigns", x => x.Id);
                table.ForeignKey(
                    name: "FK_AdCampaigns_BrandKits_BrandKitId",
                    column: x => x.BrandKitId,
                    principalTable: "BrandKits",
                    principalColumn: "Id",
                    onDelete: ReferentialAction.Restrict);
            });

        migrationBuilder.CreateTable(
            name: "AdCampaignBlueprints",
            columns: table => new
            {
                CampaignId = table.Column<Guid>(type: "TEXT", nullable: false),
                BlueprintId = table.Column<Guid>(type: "TEXT", nullable: false),
                Position = table.Column<int>(type: "INTEGER", nullable: false)
            },
            constraints: table =>
            {
                table.PrimaryKey("PK_AdCampaignBlueprints", x => new { x.CampaignId, x.BlueprintId });
                table.ForeignKey(
                    name: "FK_AdCampaignBlueprints_AdCampaigns_CampaignId",
                    column: x => x.CampaignId,
                    principalTable: "AdCampaigns",
                    principalColumn: "Id",
                    onDelete: ReferentialAction.Cascade);
                table.ForeignKey(
                    name: "FK_AdCampaignBlueprints_Blueprints_BlueprintId",
                    column: x => x.BlueprintId,
                    principalTable: "Blueprints",
                    principalColumn: "Id",
                    onDelete: ReferentialAction.Cascade);
            });

        migrationBuilder.CreateTable(
            name: "AdRenders",
            columns: table => new
            {
                Id = table.Column<Guid>(type: "TEXT", nullable: false),
                CampaignId = table.Column<Guid>(type: "TEXT", nullable: false),
                BlueprintId = table.Column<Guid>(type: "TEXT", nullable: false),
                Variant = table.Column<int>(type: "INTEGER", nullable: false),
                Width = table.Column<int>(type: "INTEGER", nullable: false),
                Height = table.Column<int>(type: "INTEGER", nullable: false),
                Format = table.Column<string>(type: "TEXT", maxLength: 8, nullable: false),
                FileSha256 = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                FileBytes = table.Column<long>(type: "INTEGER", nullable: false),
                CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
            },
            constraints: table =>
            {
                table.PrimaryKey("PK_AdRenders", x => x.Id);
                table.ForeignKey(
                    name: "FK_AdRenders_AdCampaigns_CampaignId",
                    column: x => x.CampaignId,
                    principalTable: "AdCampaigns",
                    principalColumn: "Id",
                    onDelete: ReferentialAction.Cascade);
            });

        migrationBuilder.CreateIndex(name: "IX_BrandKits_Team_Name", table: "BrandKits", columns: ["Team", "Name"], unique: true);
        migrationBuilder.CreateIndex(name: "IX_AdCampaigns_BrandKitId", table: "AdCampaigns", column: "BrandKitId");
        migrationBuilder.CreateIndex(name: "IX_AdCampaigns_OwnerId_CreatedAt", table: "AdCampaigns", columns: ["OwnerId", "CreatedAt"]);
        migrationBuilder.CreateIndex(name: "IX_AdCampaignBlueprints_BlueprintId", table: "AdCampaignBlueprints", column: "BlueprintId");
        migrationBuilder.CreateIndex(name: "IX_AdRenders_CampaignId", table: "AdRenders", column: "CampaignId");
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropTable(name: "AdRenders");
        migrationBuilder.DropTable(name: "AdCampaignBlueprints");
        migrationBuilder.DropTable(name: "AdCampaigns");
        migrationBuilder.DropTable(name: "BrandKits");
    }
}
