using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Aigc.Platform.Data.Migrations;

/// <summary>Each user's language and theme, so the choice follows them to any browser.</summary>
[DbContext(typeof(PortalDbContext))]
[Migration("20261207000012_UserPreferences")]
public sealed class M0012_UserPreferences : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.AddColumn<string>(name: "UiCulture", table: "AspNetUsers", type: "TEXT", maxLength: 16, nullable: true);
        migrationBuilder.AddColumn<string>(name: "UiTheme", table: "AspNetUsers", type: "TEXT", maxLength: 8, nullable: true);
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropColumn(name: "UiCulture", table: "AspNetUsers");
        migrationBuilder.DropColumn(name: "UiTheme", table: "AspNetUsers");
    }
}
