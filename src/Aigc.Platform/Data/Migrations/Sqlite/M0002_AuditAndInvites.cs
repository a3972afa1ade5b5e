using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Aigc.Platform.Data.Migrations.Sqlite;

/// <summary>The admin audit log and single-use registration invites.</summary>
[DbContext(typeof(SqlitePortalDbContext))]
[Migration("20261121000002_AuditAndInvites")]
public sealed class AuditAndInvites : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateTable(
            name: "AuditEntries",
            columns: table => new
            {
                Id = table.Column<long>(type: "INTEGER", nullable: false)
                    .Annotation("Sqlite:Autoincrement", true),
                At = table.Column<DateTime>(type: "TEXT", nullable: false),
                ActorId = table.Column<string>(type: "TEXT", maxLength: 450, nullable: true),
                ActorName = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                Action = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                TargetId = table.Column<string>(type: "TEXT", maxLength: 450, nullable: true),
                TargetName = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                Details = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true)
            },
            constraints: table => table.PrimaryKey("PK_AuditEntries", x => x.Id));

        migrationBuilder.CreateTable(
            name: "Invites",
            columns: table => new
            {
                Id = table.Column<Guid>(type: "TEXT", nullable: false),
                TokenHash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                Email = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                Role = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                CreatedById = table.Column<string>(type: "TEXT", maxLength: 450, nullable: false),
                CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                ExpiresAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                UsedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                UsedByUserId = table.Column<string>(type: "TEXT", maxLength: 450, nullable: true)
            },
            constraints: table => table.PrimaryKey("PK_Invites", x => x.Id));

        migrationBuilder.CreateIndex(
            name: "IX_AuditEntries_At",
            table: "AuditEntries",
            column: "At");

        migrationBuilder.CreateIndex(
            name: "IX_Invites_TokenHash",
            table: "Invites",
            column: "TokenHash",
            unique: true);
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropTable(name: "AuditEntries");
        migrationBuilder.DropTable(name: "Invites");
    }
}
