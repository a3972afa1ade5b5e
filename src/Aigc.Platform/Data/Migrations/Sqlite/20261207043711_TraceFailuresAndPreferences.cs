using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Aigc.Platform.Data.Migrations.Sqlite
{
    /// <summary>
    /// Each job's trace context (decision 0018); faults apart from the job's own, and why a job failed (decision 0019);
    /// each user's language and theme (decision 0015). Jobs that failed on lost workers before this are marked so,
    /// which lets their owners retry them; other failed jobs count as failed by themselves.
    /// </summary>
    public partial class TraceFailuresAndPreferences : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "FailureCause",
                table: "GenerationJobs",
                type: "TEXT",
                maxLength: 16,
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "InfrastructureRetries",
                table: "GenerationJobs",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<int>(
                name: "LeaseLosses",
                table: "GenerationJobs",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<string>(
                name: "TraceParent",
                table: "GenerationJobs",
                type: "TEXT",
                maxLength: 55,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "UiCulture",
                table: "AspNetUsers",
                type: "TEXT",
                maxLength: 16,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "UiTheme",
                table: "AspNetUsers",
                type: "TEXT",
                maxLength: 8,
                nullable: true);

            migrationBuilder.Sql(
                """
                UPDATE GenerationJobs SET FailureCause = CASE
                    WHEN Error LIKE 'The worker running this job stopped %' THEN 'WorkerLost' ELSE 'Job' END
                WHERE Status = 'Failed';
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // SQLite drops an unindexed column in place (3.35+). EF would rebuild the tables from the model instead,
            // which has no column defaults, and older rows could no longer be written by the older code.
            foreach (var (table, column) in new[]
            {
                ("GenerationJobs", "FailureCause"), ("GenerationJobs", "InfrastructureRetries"),
                ("GenerationJobs", "LeaseLosses"), ("GenerationJobs", "TraceParent"),
                ("AspNetUsers", "UiCulture"), ("AspNetUsers", "UiTheme"),
            })
            {
                migrationBuilder.Sql($"ALTER TABLE \"{table}\" DROP COLUMN \"{column}\";");
            }
        }
    }
}
