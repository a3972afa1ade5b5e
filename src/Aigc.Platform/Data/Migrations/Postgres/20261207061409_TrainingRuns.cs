using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Aigc.Platform.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class TrainingRuns : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "TrainingRuns",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    ModelName = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    VersionLabel = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: false),
                    DatasetVersionId = table.Column<Guid>(type: "uuid", nullable: true),
                    DatasetName = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    DataHash = table.Column<string>(type: "character varying(71)", maxLength: 71, nullable: false),
                    UserId = table.Column<string>(type: "character varying(450)", maxLength: 450, nullable: false),
                    UserName = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    Status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    ManifestJson = table.Column<string>(type: "text", nullable: false),
                    Steps = table.Column<int>(type: "integer", nullable: false),
                    BatchSize = table.Column<int>(type: "integer", nullable: false),
                    Seed = table.Column<long>(type: "bigint", nullable: false),
                    GeneratorLearningRate = table.Column<float>(type: "real", nullable: false),
                    DiscriminatorLearningRate = table.Column<float>(type: "real", nullable: false),
                    SampleEvery = table.Column<int>(type: "integer", nullable: false),
                    CheckpointEvery = table.Column<int>(type: "integer", nullable: false),
                    StepsDone = table.Column<int>(type: "integer", nullable: false),
                    StepsPerSecond = table.Column<double>(type: "double precision", nullable: true),
                    CheckpointStep = table.Column<int>(type: "integer", nullable: false),
                    CheckpointSha256 = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    SamplesStep = table.Column<int>(type: "integer", nullable: false),
                    SamplesSha256 = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    VariantsSha256 = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    EvaluationJson = table.Column<string>(type: "text", nullable: true),
                    ModelSha256 = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    Error = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    LeaseOwner = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    LeaseExpiresAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    StartedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    CompletedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_TrainingRuns", x => x.Id);
                    table.ForeignKey(
                        name: "FK_TrainingRuns_DatasetVersions_DatasetVersionId",
                        column: x => x.DatasetVersionId,
                        principalTable: "DatasetVersions",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.SetNull);
                });

            migrationBuilder.CreateTable(
                name: "TrainingRunSteps",
                columns: table => new
                {
                    RunId = table.Column<Guid>(type: "uuid", nullable: false),
                    Step = table.Column<int>(type: "integer", nullable: false),
                    DiscriminatorLoss = table.Column<double>(type: "double precision", nullable: false),
                    GeneratorLoss = table.Column<double>(type: "double precision", nullable: false),
                    At = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_TrainingRunSteps", x => new { x.RunId, x.Step });
                    table.ForeignKey(
                        name: "FK_TrainingRunSteps_TrainingRuns_RunId",
                        column: x => x.RunId,
                        principalTable: "TrainingRuns",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_TrainingRuns_DatasetVersionId",
                table: "TrainingRuns",
                column: "DatasetVersionId");

            migrationBuilder.CreateIndex(
                name: "IX_TrainingRuns_Status_CreatedAt",
                table: "TrainingRuns",
                columns: new[] { "Status", "CreatedAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "TrainingRunSteps");

            migrationBuilder.DropTable(
                name: "TrainingRuns");
        }
    }
}
