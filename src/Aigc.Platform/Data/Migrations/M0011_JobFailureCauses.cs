using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Aigc.Platform.Data.Migrations;

/// <summary>
/// Infrastructure faults apart from the job's own (decision 0019): lost workers and storage or database faults are
/// counted on their own, and a failed job records why it failed. Jobs that failed before this on lost workers are
/// marked so, which lets their owners retry them; other failed jobs count as failed by themselves.
/// </summary>
[DbContext(typeof(PortalDbContext))]
[Migration("20261207000011_JobFailureCauses")]
public sealed class M0011_JobFailureCauses : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        foreach (var counter in new[] { "LeaseLosses", "InfrastructureRetries" })
        {
            migrationBuilder.AddColumn<int>(
                name: counter, table: "GenerationJobs", type: "INTEGER", nullable: false, defaultValue: 0);
        }
        migrationBuilder.AddColumn<string>(
            name: "FailureCause", table: "GenerationJobs", type: "TEXT", maxLength: 16, nullable: true);
        migrationBuilder.Sql(
            """
            UPDATE GenerationJobs SET FailureCause = CASE
                WHEN Error LIKE 'The worker running this job stopped %' THEN 'WorkerLost' ELSE 'Job' END
            WHERE Status = 'Failed';
            """);
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        // EF's SQLite generator refuses DropColumn; SQLite itself (3.35+) drops an unindexed column in place.
        foreach (var column in new[] { "FailureCause", "InfrastructureRetries", "LeaseLosses" })
            migrationBuilder.Sql($"ALTER TABLE GenerationJobs DROP COLUMN {column};");
    }
}
