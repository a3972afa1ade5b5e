using System.CommandLine;
using Aigc.Imaging.Metadata;
using Aigc.Platform.Accounts;
using Aigc.Platform.Blobs;
using Aigc.Platform.Data;
using Aigc.Platform.Models;
using Aigc.Platform.Queue;
using Aigc.Platform.Sketches;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Aigc.Cli.Commands;

/// <summary>
/// `aigc generate`: queues a job in the portal's data directory and runs the same worker as the portal until it
/// ends, then copies the images out. The job is recorded like any other (as user "cli", with admin limits).
/// </summary>
public static class GenerateCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "NAME (its active version), NAME@VERSION or a weights SHA-256.", Required = true };
        var set = new Option<string[]>("--set") { Description = "A condition, NAME=VALUE; repeat for each.", AllowMultipleArgumentsPerToken = false };
        var count = new Option<int>("--count") { Description = "Images to generate.", DefaultValueFactory = _ => 1 };
        var seed = new Option<long?>("--seed") { Description = "Seed of the first image; image i uses seed + i. Random when left out." };
        var preset = new Option<string?>("--preset") { Description = "Post-processing preset (default: \"default\")." };
        var output = new Option<DirectoryInfo>("--out") { Description = "Folder for the PNGs.", Required = true };
        var data = new Option<DirectoryInfo?>("--data") { Description = "Data directory (overrides Platform:DataDirectory)." };
        var config = new Option<FileInfo?>("--config") { Description = "Settings JSON (default: appsettings.json in the working directory, if present)." };
        var noMetadata = new Option<bool>("--no-metadata") { Description = "Strip the provenance chunk from the written PNGs." };
        var sketch = new Option<FileInfo?>("--from-sketch")
        {
            Description = "Start from a drawing (PNG, JPEG, WebP or SVG): its recovered conditions (--set overrides one) "
                + "and latent give the closest image, or --count variants with --strength.",
        };
        var strength = new Option<double?>("--strength") { Description = "With --from-sketch: variants around the drawing at this strength (0 to 1)." };

        var command = new Command("generate", "Generate blueprints through the queue and worker, without the web server.")
        {
            model, set, count, seed, preset, output, data, config, noMetadata, sketch, strength,
        };
        command.SetAction(async (parse, ct) =>
        {
            try
            {
                var conditions = new Dictionary<string, string>(StringComparer.Ordinal);
                foreach (var pair in parse.GetValue(set) ?? [])
                {
                    var eq = pair.IndexOf('=');
                    if (eq <= 0)
                        throw new ArgumentException($"--set expects NAME=VALUE (got \"{pair}\").");
                    conditions[pair[..eq]] = pair[(eq + 1)..];
                }

                await using var services = InProcessWorker.Services(parse.GetValue(config), parse.GetValue(data));
                await PrepareAsync(services, ct);
                var request = new GenerationRequest(parse.GetValue(model)!, conditions, parse.GetValue(count), parse.GetValue(seed), parse.GetValue(preset));
                if (parse.GetValue(sketch) is { } drawing)
                    request = await FromSketchAsync(services, request, drawing, parse.GetValue(strength), ct);
                else if (parse.GetValue(strength) is not null)
                    throw new ArgumentException("--strength applies to --from-sketch only.");
                var written = await RunAsync(services, request, parse.GetValue(output)!.FullName, !parse.GetValue(noMetadata), ct);
                foreach (var file in written)
                    Console.WriteLine(file);
                return 0;
            }
            catch (Exception e) when (e is GenerationRefusedException or ModelRejectedException or ArgumentException or IOException or OptionsValidationException)
            {
                Console.Error.WriteLine($"aigc generate: {(e is GenerationRefusedException r ? $"{r.Field}: " : "")}{e.Message}");
                return 1;
            }
        });
        return command;
    }

    private static readonly Requester Cli = new("cli", [PortalRoles.Admin]);

    private static async Task PrepareAsync(ServiceProvider services, CancellationToken cancellationToken)
    {
        await using var scope = services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<DatabaseMigrator>().MigrateAsync(cancellationToken);
        await scope.ServiceProvider.GetRequiredService<ModelRegistry>()
            .RegisterShippedAsync(services.GetRequiredService<IOptions<QueueOptions>>().Value.ShippedModelsDirectory, cancellationToken);
    }

    /// <summary>The drawing's recovered conditions under the ones given with --set, and a sketch recipe with its latent.</summary>
    private static async Task<GenerationRequest> FromSketchAsync(ServiceProvider services, GenerationRequest request, FileInfo drawing,
        double? strength, CancellationToken cancellationToken)
    {
        var reading = await services.GetRequiredService<SketchReader>()
            .ReadAsync(request.Model, await File.ReadAllBytesAsync(drawing.FullName, cancellationToken), Cli, cancellationToken);
        var conditions = new Dictionary<string, string>(reading.Conditions, StringComparer.Ordinal);
        foreach (var (name, value) in request.Conditions)
            conditions[name] = value;
        Console.Error.WriteLine("recovered: " + string.Join(", ", reading.Conditions.Select(c =>
            $"{c.Key}={c.Value} ({reading.Confidence[c.Key]:P0})")) + $"; line IoU {reading.LineIoU:F2}");
        return request with
        {
            Model = reading.ModelSha256,
            Conditions = conditions,
            Recipe = strength is { } s ? GenerationRecipe.Sketch(reading.Latent, s) : GenerationRecipe.Sketch(reading.Latent),
        };
    }

    private static async Task<IReadOnlyList<string>> RunAsync(ServiceProvider services, GenerationRequest request, string output, bool metadata, CancellationToken cancellationToken)
    {
        var requester = Cli;
        GenerationJob job;
        await using (var scope = services.CreateAsyncScope())
            job = await scope.ServiceProvider.GetRequiredService<GenerationQueue>().EnqueueAsync(request, requester, cancellationToken);

        await InProcessWorker.RunUntilEndedAsync(services, [job.Id], cancellationToken);
        await using var read = await services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync(cancellationToken);
        var ended = await read.GenerationJobs.AsNoTracking().SingleAsync(j => j.Id == job.Id, cancellationToken);

        if (ended.Status != JobStatus.Completed)
            throw new IOException($"Job {ended.Id} ended {ended.Status.ToString().ToLowerInvariant()}: {ended.Error}");

        Directory.CreateDirectory(output);
        var blobs = services.GetRequiredService<BlobStore>();
        var written = new List<string>();
        foreach (var blueprint in await read.Blueprints.AsNoTracking().Where(b => b.JobId == job.Id).OrderBy(b => b.Index).ToListAsync(cancellationToken))
        {
            var bytes = await blobs.ReadAllAsync(blueprint.FileSha256, cancellationToken);
            // Only a sample's images have seeds of their own; a sketch's (or a variant's) share the base seed.
            var name = request.Recipe is null or { Kind: RecipeKind.Sample } ? $"{blueprint.Seed}" : $"{blueprint.Seed}-{blueprint.Index}";
            var path = Path.Combine(output, $"{name}.png");
            await File.WriteAllBytesAsync(path, metadata ? bytes : BlueprintMetadata.Strip(bytes), cancellationToken);
            written.Add(path);
        }

        return written;
    }
}
