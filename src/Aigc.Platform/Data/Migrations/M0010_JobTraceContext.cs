using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Aigc.Platform.Data.Migrations;

/// <summary>
/// Each job carries the W3C trace context of its request (decision 0018), so that the worker that runs it, in this
/// process or another, adds its spans to the same trace. Jobs queued before this migration have none: their worker
/// spans start traces of their own.
/// </summary>
[DbContext(typeof(PortalDbContext))]
[Migration("20261207000001_JobTraceContext")]
public sealed class M0010_JobTraceContext : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder) =>
        migrationBuilder.AddColumn<string>(name: "TraceParent", table: "GenerationJobs", type: "TEXT",
            maxLength: GenerationJobTraceConfiguration.TraceParentLength, nullable: true);

    // EF's DropColumn is refused on SQLite; SQLite itself (3.35 and later) drops a column with no index or constraint.
    protected override void Down(MigrationBuilder migrationBuilder) =>
        migrationBuilder.Sql("ALTER TABLE \"GenerationJobs\" DROP COLUMN \"TraceParent\";");
}
