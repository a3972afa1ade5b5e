using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Aigc.Platform.Data.Migrations.Sqlite
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
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    ModelName = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    VersionLabel = table.Column<string>(type: "TEXT", maxLength: 50, nullable: false),
                    DatasetVersionId = table.Column<Guid>(type: "TEXT", nullable: true),
                    DatasetName = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    DataHash = table.Column<string>(type: "TEXT", maxLength: 71, nullable: false),
                    UserId = table.Column<string>(type: "TEXT", maxLength: 450, nullable: false),
                    UserName = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    ManifestJson = table.Column<string>(type: "TEXT", nullable: false),
                    Steps = table.Column<int>(type: "INTEGER", nullable: false),
                    BatchSize = table.Column<int>(type: "INTEGER", nullable: false),
                    Seed = table.Column<long>(type: "INTEGER", nullable: false),
                    GeneratorLearningRate = table.Column<float>(type: "REAL", nullable: false),
                    DiscriminatorLearningRate = table.Column<float>(type: "REAL", nullable: false),
                    SampleEvery = table.Column<int>(type: "INTEGER", nullable: false),
                    CheckpointEvery = table.Column<int>(type: "INTEGER", nullable: false),
                    StepsDone = table.Column<int>(type: "INTEGER", nullable: false),
                    StepsPerSecond = table.Column<double>(type: "REAL", nullable: true),
                    CheckpointStep = table.Column<int>(type: "INTEGER", nullable: false),
                    CheckpointSha256 = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    SamplesStep = table.Column<int>(type: "INTEGER", nullable: false),
                    SamplesSha256 = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    VariantsSha256 = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    EvaluationJson = table.Column<string>(type: "TEXT", nullable: true),
                    ModelSha256 = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    Error = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    LeaseOwner = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    LeaseExpiresAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    StartedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    CompletedAt = table.Column<DateTime>(type: "TEXT", nullable: true)
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
                    RunId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Step = table.Column<int>(type: "INTEGER", nullable: false),
                    DiscriminatorLoss = table.Column<double>(type: "REAL", nullable: false),
                    GeneratorLoss = table.Column<double>(type: "REAL", nullable: false),
                    At = table.Column<DateTime>(type: "TEXT", nullable: false)
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
