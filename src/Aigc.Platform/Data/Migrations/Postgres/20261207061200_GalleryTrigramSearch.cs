using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Aigc.Platform.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class GalleryTrigramSearch : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AlterDatabase()
                .Annotation("Npgsql:PostgresExtension:pg_trgm", ",,");

            migrationBuilder.CreateIndex(
                name: "IX_Blueprints_Note_Trigram",
                table: "Blueprints",
                column: "Note")
                .Annotation("Npgsql:IndexMethod", "gin")
                .Annotation("Npgsql:IndexOperators", new[] { "gin_trgm_ops" });

            migrationBuilder.CreateIndex(
                name: "IX_BlueprintTags_Tag_Trigram",
                table: "BlueprintTags",
                column: "Tag")
                .Annotation("Npgsql:IndexMethod", "gin")
                .Annotation("Npgsql:IndexOperators", new[] { "gin_trgm_ops" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Blueprints_Note_Trigram",
                table: "Blueprints");

            migrationBuilder.DropIndex(
                name: "IX_BlueprintTags_Tag_Trigram",
                table: "BlueprintTags");

            migrationBuilder.AlterDatabase()
                .OldAnnotation("Npgsql:PostgresExtension:pg_trgm", ",,");
        }
    }
}
