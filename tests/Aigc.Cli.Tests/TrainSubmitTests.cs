using System.CommandLine;
using System.IO.Compression;
using System.Security.Claims;
using System.Text;
using System.Text.Json.Nodes;
using Aigc.Cli.Commands;
using Aigc.Generation.Datasets;
using Aigc.Platform.Accounts;
using Aigc.Platform.Data;
using Aigc.Platform.Training;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Aigc.Cli.Tests;

/// <summary>`aigc train --submit`: a run queued on an installation's database for its workers, instead of trained here.</summary>
[Collection("Console")]
public sealed class TrainSubmitTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("aigc-train-submit-").FullName;

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task Submit_queues_a_run_on_the_installation_and_a_refused_request_names_the_field()
    {
        var config = WorkerSetup.Write(_dir);
        var settings = JsonNode.Parse(File.ReadAllText(config))!;
        settings["Training"] = new JsonObject
        {
            ["TemplateManifest"] = Path.Combine(AppContext.BaseDirectory, "models", "blueprints", "manifest.json"),
            ["RunWorker"] = false,
        };
        File.WriteAllText(config, settings.ToJsonString());
        var database = Path.Combine(_dir, "portal.db");
        await using var portal = InProcessWorker.Services(new FileInfo(config), null, WorkerCommand.DatabaseSettings(database));
        await using (var scope = portal.CreateAsyncScope())
            await scope.ServiceProvider.GetRequiredService<DatabaseMigrator>().MigrateAsync();
        var zip = Path.Combine(_dir, "drawings.zip");
        WriteZip(zip);
        var trainer = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, "t"), new Claim(ClaimTypes.Role, PortalRoles.Trainer)], "test"));
        var version = (await portal.GetRequiredService<DatasetLibrary>().ImportAsync(trainer, "cli", zip, "drawings.zip")).Version!;

        string[] Args(string label, string model) => ["train", "--submit", "--config", config, "--database", database,
            "--dataset-version", version.Id.ToString(), "--model-name", model, "--version-label", label, "--steps", "50", "--batch", "4"];
        var root = new RootCommand("aigc") { TrainCommand.Create() };
        Assert.Equal(0, await root.Parse(Args("c1", "cli-parts")).InvokeAsync());
        Assert.Equal(1, await root.Parse(Args("c2", "Bad Name")).InvokeAsync());
        Assert.Equal(1, await root.Parse(["train", "--steps", "5"]).InvokeAsync());

        await using var db = await portal.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        var run = await db.TrainingRuns.SingleAsync();
        Assert.Equal((TrainingRunStatus.Queued, "cli-parts", "c1", 50, 4), (run.Status, run.ModelName, run.VersionLabel, run.Steps, run.BatchSize));
        Assert.Contains(await db.AuditEntries.ToListAsync(), e => e.Action == "training.start" && e.ActorName.StartsWith("aigc train --submit"));
    }

    private static void WriteZip(string path)
    {
        using var zip = ZipFile.Open(path, ZipArchiveMode.Create);
        var labels = new StringBuilder(DatasetFolder.LabelsHeader + "\n");
        for (var part = 0; part < 2; part++)
            for (var i = 0; i < 8; i++)
            {
                var label = BlueprintSynthesizer.LabelFor(part, i % 3);
                using (var entry = zip.CreateEntry($"{part}-{i}.png").Open())
                    entry.Write(BlueprintSynthesizer.RenderPng(label, 4, part * 100 + i, 64));
                labels.Append($"{part}-{i}.png,{label.Part},{label.View},{label.Complexity}\n");
            }

        using var csv = zip.CreateEntry("labels.csv").Open();
        csv.Write(Encoding.UTF8.GetBytes(labels.ToString()));
    }
}
