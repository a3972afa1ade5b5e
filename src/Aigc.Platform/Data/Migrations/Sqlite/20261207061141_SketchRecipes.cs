using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Aigc.Platform.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class SketchRecipes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "SketchLatent",
                table: "GenerationJobs",
                type: "TEXT",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "SketchLatent",
                table: "GenerationJobs");
        }
    }
}
