using System.CommandLine;
using System.Diagnostics;
using Aigc.Generation.Datasets;
using Aigc.Platform.Accounts;
using Aigc.Platform.Data;
using Aigc.Platform.Models;
using Aigc.Platform.Queue;
using Aigc.Platform.Sketches;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Aigc.Cli.Commands;

/// <summary>
/// <c>aigc sketch bench</c>: time to the first shown result, through the same queue, worker and progress feed the
/// Studio follows. Alternates, round by round, a drawing (read, encode, enqueue its closest image) with the reference:
/// a plain one-image generate of the same conditions. Prints both medians and their ratio (docs/benchmarks.md).
/// </summary>
internal static class SketchBench
{
    public static Command Create()
    {
        var rounds = new Option<int>("--rounds") { Description = "Rounds (one sketch and one plain job each)", DefaultValueFactory = _ => 10 };
        var data = new Option<DirectoryInfo?>("--data") { Description = "Data directory (overrides Platform:DataDirectory)." };
        var config = new Option<FileInfo?>("--config") { Description = "Settings JSON (default: appsettings.json here, if present)." };
        var command = new Command("bench", "Time from a drawing to its first stored image, against a plain generate") { rounds, data, config };
        command.SetAction(async (parse, ct) =>
        {
            await using var services = InProcessWorker.Services(parse.GetValue(config), parse.GetValue(data));
            await using (var scope = services.CreateAsyncScope())
            {
                await scope.ServiceProvider.GetRequiredService<DatabaseMigrator>().MigrateAsync(ct);
                await scope.ServiceProvider.GetRequiredService<ModelRegistry>()
                    .RegisterShippedAsync(services.GetRequiredService<IOptions<QueueOptions>>().Value.ShippedModelsDirectory, ct);
            }

            using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
            var worker = services.GetRequiredService<GenerationScheduler>().RunAsync(stop.Token);
            var sketch = new List<double>();
            var plain = new List<double>();
            for (var round = 0; round < parse.GetValue(rounds); round++)
            {
                var label = BlueprintSynthesizer.LabelFor(round % BlueprintConditions.Parts.Count, round);
                var drawing = BlueprintSynthesizer.RenderPng(label, 8_080_808, round, 512);
                sketch.Add(await FirstResultAsync(services, async requester =>
                {
                    var reading = await services.GetRequiredService<SketchReader>().ReadAsync("blueprints-64", drawing, requester, ct);
                    return new GenerationRequest(reading.ModelSha256, reading.Conditions, 1, Recipe: GenerationRecipe.Sketch(reading.Latent));
                }, ct));
                var conditions = label.ToConditionValues();
                plain.Add(await FirstResultAsync(services, _ => Task.FromResult(new GenerationRequest("blueprints-64",
                    BlueprintConditions.Names.ToDictionary(n => n, n => conditions.Category(n)!), 1, round)), ct));
                Console.Error.WriteLine($"round {round + 1}: sketch {sketch[^1]:F0} ms, plain {plain[^1]:F0} ms");
            }

            await stop.CancelAsync();
            try
            {
                await worker;
            }
            catch (OperationCanceledException)
            {
            }

            var (s, p) = (Median(sketch), Median(plain));
            Console.WriteLine($"time to first result, median of {sketch.Count}: sketch {s:F0} ms (max {sketch.Max():F0}), " +
                $"plain generate {p:F0} ms (max {plain.Max():F0}); sketch / plain {s / p:F2}");
            return 0;
        });
        return command;
    }

    /// <summary>From the request being made to the first image stored, as the Studio's job panel sees it.</summary>
    private static async Task<double> FirstResultAsync(ServiceProvider services, Func<Requester, Task<GenerationRequest>> request,
        CancellationToken cancellationToken)
    {
        var requester = new Requester("bench", [PortalRoles.Admin]);
        var clock = Stopwatch.StartNew();
        GenerationJob job;
        await using (var scope = services.CreateAsyncScope())
            job = await scope.ServiceProvider.GetRequiredService<GenerationQueue>().EnqueueAsync(await request(requester), requester, cancellationToken);
        await foreach (var progress in services.GetRequiredService<JobProgressFeed>().WatchAsync(job.Id, requester, cancellationToken))
            if (progress.ImagesDone >= 1 || progress.Status is JobStatus.Failed or JobStatus.Cancelled)
                break;
        return clock.Elapsed.TotalMilliseconds;
    }

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);
}
