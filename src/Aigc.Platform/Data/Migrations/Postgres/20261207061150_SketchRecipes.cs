using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Aigc.Platform.Data.Migrations.Postgres
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
                type: "text",
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
