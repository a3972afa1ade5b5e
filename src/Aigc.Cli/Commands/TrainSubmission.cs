using System.CommandLine;
using System.Security.Claims;
using Aigc.Platform.Accounts;
using Aigc.Platform.Data;
using Aigc.Platform.Training;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Aigc.Cli.Commands;

/// <summary>
/// `aigc train --submit`: queues a training run on an installation (its data directory and database, as `aigc worker`
/// opens them) instead of training here; the installation's workers run it below every generation. Whoever can open
/// the installation's files acts as an admin; the audit log names the command and the operating-system user.
/// </summary>
public sealed class TrainSubmission
{
    public Option<bool> Submit { get; } = new("--submit") { Description = "Queue the run on an installation instead of training here" };

    private readonly Option<Guid> _datasetVersion = new("--dataset-version") { Description = "With --submit: the dataset version id (Training › Datasets, /api/datasets)" };
    private readonly Option<string> _model = new("--model-name") { Description = "With --submit: the model name to register the version under" };
    private readonly Option<string> _label = new("--version-label") { Description = "With --submit: the version label of the draft" };
    private readonly Option<int> _pack = new("--pack") { Description = "With --submit: discriminator packing (1: none)", DefaultValueFactory = _ => 2 };
    private readonly Option<DirectoryInfo?> _installation = new("--installation") { Description = "With --submit: the installation's data directory" };
    private readonly Option<string?> _database = new("--database") { Description = "With --submit: the installation's database (as aigc worker --database)" };
    private readonly Option<FileInfo?> _config = new("--config") { Description = "With --submit: settings JSON (as aigc worker --config)" };

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { Submit, _datasetVersion, _model, _label, _pack, _installation, _database, _config })
            command.Options.Add(option);
    }

    public async Task<int> RunAsync(ParseResult parse, Option<int> steps, Option<int> batch, Option<ulong> seed, Option<float> lrG,
        Option<float> lrD, Option<int> sampleEvery, Option<int> checkpointEvery, CancellationToken cancellationToken)
    {
        try
        {
            using var host = WorkerCommand.Build(parse.GetValue(_config), parse.GetValue(_installation), parse.GetValue(_database));
            await using (var scope = host.Services.CreateAsyncScope())
                await scope.ServiceProvider.GetRequiredService<DatabaseMigrator>().MigrateAsync(cancellationToken);
            var operatorName = $"aigc train --submit ({Environment.UserName})";
            var cli = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, operatorName),
                new Claim(ClaimTypes.NameIdentifier, operatorName), new Claim(ClaimTypes.Role, PortalRoles.Admin)], "cli"));
            var run = await host.Services.GetRequiredService<TrainingRuns>().StartAsync(cli, new TrainingRunRequest
            {
                DatasetVersionId = parse.GetValue(_datasetVersion),
                ModelName = parse.GetValue(_model) ?? "",
                VersionLabel = parse.GetValue(_label) ?? "",
                Steps = parse.GetValue(steps),
                BatchSize = parse.GetValue(batch),
                Seed = unchecked((long)parse.GetValue(seed)),
                GeneratorLearningRate = parse.GetValue(lrG),
                DiscriminatorLearningRate = parse.GetValue(lrD),
                Pack = parse.GetValue(_pack),
                SampleEvery = Math.Max(1, parse.GetValue(sampleEvery)),
                CheckpointEvery = parse.GetValue(checkpointEvery),
            }, cancellationToken);
            Console.WriteLine($"Queued training run {run.Id} ({run.ModelName}@{run.VersionLabel}, {run.Steps} steps on {run.DatasetName}).");
            return 0;
        }
        catch (TrainingRefusedException e)
        {
            Console.Error.WriteLine($"aigc train --submit: {e.Field}: {e.Message}");
            return 1;
        }
        catch (Exception e) when (e is OptionsValidationException or FileNotFoundException or InvalidOperationException)
        {
            Console.Error.WriteLine($"aigc train --submit: {e.Message}");
            return 1;
        }
    }
}
