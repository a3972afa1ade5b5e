using Aigc.Imaging.Metadata;
using Aigc.Platform.Blobs;
using Aigc.Platform.Data;
using Aigc.Platform.Queue;
using Microsoft.EntityFrameworkCore;

namespace Aigc.Platform.Tests.Queue;

/// <summary>Vary and interpolate jobs through the real worker: refusals name the field, every image regenerates alone from its metadata.</summary>
public sealed class RecipeTests : IDisposable
{
    private static readonly Dictionary<string, string> Gear = new() { ["part"] = "spur_gear", ["view"] = "front", ["complexity"] = "low" };
    private static readonly Dictionary<string, string> Flange = new() { ["part"] = "flange", ["view"] = "section", ["complexity"] = "high" };

    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    public static TheoryData<GenerationRecipe, int, string, string> Refusals => new()
    {
        { GenerationRecipe.Vary(1.5), 2, "strength", "strength must be from 0 to 1" },
        { GenerationRecipe.Vary(-0.1), 2, "strength", "strength must be from 0 to 1" },
        { new GenerationRecipe(RecipeKind.Vary), 2, "strength", "(got none)" },
        { GenerationRecipe.Vary(0.2, -4), 2, "variationSeed", "variationSeed must be from 0" },
        { GenerationRecipe.Interpolate(Flange, 3, 1), 1, "frames", "frames must be from 2 to 64 (got 1)" },
        { GenerationRecipe.Interpolate(Flange, 3, 65), 2, "frames", "frames must be from 2 to 64 (got 65)" },
        { GenerationRecipe.Interpolate(Flange, 3, 8), 9, "count", "do not fit a strip of 8 frames" },
        { GenerationRecipe.Interpolate(Flange, -3, 8), 8, "endSeed", "endSeed must be from 0" },
        { GenerationRecipe.Interpolate(new Dictionary<string, string>(Flange) { ["part"] = "sprocket" }, 3, 8), 8, "endConditions.part", "\"sprocket\" is not a value of \"part\"" },
        { GenerationRecipe.Interpolate(new Dictionary<string, string> { ["part"] = "flange" }, 3, 8), 8, "endConditions.view", "Condition \"view\" is required" },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task Invalid_recipes_are_refused_naming_the_field(GenerationRecipe recipe, int count, string field, string message)
    {
        await using var host = await StartAsync();
        var error = await Assert.ThrowsAsync<GenerationRefusedException>(() =>
            host.EnqueueAsync(new GenerationRequest("blueprints-64", Gear, count, 1, "plain", Recipe: recipe), ServiceHost.Alice));
        Assert.Equal((RefusalKind.Invalid, field), (error.Kind, error.Field));
        Assert.Contains(message, error.Message);
    }

    [Fact]
    public async Task Vary_and_interpolate_images_regenerate_alone_from_their_metadata_and_the_ends_match_their_sources()
    {
        await using var host = await StartAsync();
        var sources = await host.EnqueueAsync(new GenerationRequest("blueprints-64", Gear, 1, 10, "plain"), ServiceHost.Alice);
        var end = await host.EnqueueAsync(new GenerationRequest("blueprints-64", Flange, 1, 20, "plain"), ServiceHost.Alice);
        var vary = await host.EnqueueAsync(new GenerationRequest("blueprints-64", Gear, 3, 10, "plain", Recipe: GenerationRecipe.Vary(0.3, 500)), ServiceHost.Alice);
        var still = await host.EnqueueAsync(new GenerationRequest("blueprints-64", Gear, 1, 10, "plain", Recipe: GenerationRecipe.Vary(0, 77)), ServiceHost.Alice);
        var strip = await host.EnqueueAsync(new GenerationRequest("blueprints-64", Gear, 5, 10, "plain", Recipe: GenerationRecipe.Interpolate(Flange, 20, 5)), ServiceHost.Alice);
        await RunAsync(host);

        var pngs = await PngsAsync(host);
        Assert.Equal(Pixels(pngs[(sources.Id, 0)]), Pixels(pngs[(still.Id, 0)]));
        Assert.Equal(Pixels(pngs[(sources.Id, 0)]), Pixels(pngs[(strip.Id, 0)]));
        Assert.Equal(Pixels(pngs[(end.Id, 0)]), Pixels(pngs[(strip.Id, 4)]));
        Assert.NotEqual(Pixels(pngs[(sources.Id, 0)]), Pixels(pngs[(vary.Id, 0)]));
        Assert.Equal(5, Enumerable.Range(0, 5).Select(i => Convert.ToHexString(Pixels(pngs[(strip.Id, i)]))).Distinct().Count());

        var varied = BlueprintMetadata.Read(pngs[(vary.Id, 2)])!;
        Assert.Equal((10L, "vary", 502L, 0.3), (varied.Seed, varied.Recipe!.Kind, varied.Recipe.VariationSeed!.Value, varied.Recipe.Strength!.Value));
        var frame = BlueprintMetadata.Read(pngs[(strip.Id, 3)])!;
        Assert.Equal((10L, "interpolate", 20L, 5, 3), (frame.Seed, frame.Recipe!.Kind, frame.Recipe.EndSeed!.Value, frame.Recipe.Frames!.Value, frame.Recipe.Frame!.Value));

        // Reproduce each from its PNG alone, as one-image jobs.
        var again = new List<(GenerationJob Job, byte[] Original)>();
        foreach (var original in new[] { pngs[(vary.Id, 2)], pngs[(strip.Id, 3)] })
        {
            var metadata = BlueprintMetadata.Read(original)!;
            var job = await host.EnqueueAsync(new GenerationRequest(metadata.WeightsSha256, metadata.Conditions, 1, metadata.Seed, metadata.Preset,
                Recipe: JobRecipes.FromMetadata(metadata.Recipe)), ServiceHost.Bob);
            again.Add((job, original));
        }

        await RunAsync(host);
        pngs = await PngsAsync(host);
        foreach (var (job, original) in again)
        {
            Assert.Equal(BlueprintMetadata.Strip(original), BlueprintMetadata.Strip(pngs[(job.Id, 0)]));
            Assert.Equal(BlueprintMetadata.Read(original)!.DrawingNumber, BlueprintMetadata.Read(pngs[(job.Id, 0)])!.DrawingNumber);
        }
    }

    private static byte[] Pixels(byte[] png) => BlueprintMetadata.Strip(png);

    private async Task<ServiceHost> StartAsync()
    {
        var host = await ServiceHost.StartAsync(_folder.Sub(Guid.NewGuid().ToString("N")));
        await host.RegisterAsync(ServiceHost.WriteModelFolder(_folder.Path, 2), "v1");
        return host;
    }

    private static async Task<Dictionary<(Guid, int), byte[]>> PngsAsync(ServiceHost host)
    {
        await using var db = host.OpenDatabase();
        var store = host.Get<BlobStore>();
        var result = new Dictionary<(Guid, int), byte[]>();
        foreach (var b in await db.Blueprints.ToListAsync())
            result[(b.JobId, b.Index)] = await store.ReadAllAsync(b.FileSha256);
        return result;
    }

    private static async Task RunAsync(ServiceHost host)
    {
        using var stop = new CancellationTokenSource();
        var run = host.Get<GenerationScheduler>().RunAsync(stop.Token);
        try
        {
            await host.WaitUntilAsync(async db => run.IsFaulted || await db.GenerationJobs.AllAsync(j => j.Status == JobStatus.Completed), "all jobs complete", timeoutSeconds: 60);
        }
        finally
        {
            await stop.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
        }
    }
}
