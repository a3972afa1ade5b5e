using Aigc.Generation;
using Aigc.Generation.Manifest;
using Aigc.Imaging.Metadata;
using Aigc.Platform.Blobs;
using Aigc.Platform.Data;
using Aigc.Platform.Queue;
using Microsoft.EntityFrameworkCore;

namespace Aigc.Platform.Tests.Queue;

/// <summary>
/// Sketch jobs through the real worker: a sketch's latent (here the latent of seed 10, so the results can be
/// compared with plain jobs) gives the same images as that seed alone, varied and interpolated; each reproduces
/// from its PNG; bad latents and mixed recipes are refused naming the field.
/// </summary>
public sealed class SketchRecipeTests : IDisposable
{
    private static readonly Dictionary<string, string> Gear = new() { ["part"] = "spur_gear", ["view"] = "front", ["complexity"] = "low" };
    private static readonly Dictionary<string, string> Flange = new() { ["part"] = "flange", ["view"] = "section", ["complexity"] = "high" };

    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private static string LatentOfSeed(long seed)
    {
        var latent = new float[ServiceHost.BlueprintsManifest().LatentDim];
        LatentSampler.Fill((ulong)seed, 0, latent);
        return SketchLatents.Write(latent);
    }

    public static TheoryData<GenerationRecipe, int, string, string> Refusals => new()
    {
        { new GenerationRecipe(RecipeKind.Sketch), 1, "latent", "needs the drawing's latent" },
        { GenerationRecipe.Sketch("not base64!"), 1, "latent", "not base64" },
        { GenerationRecipe.Sketch(SketchLatents.Write(new float[7])), 1, "latent", "the model takes 96" },
        { GenerationRecipe.Sketch(SketchLatents.Write(Enumerable.Repeat(float.NaN, 96).ToArray())), 1, "latent", "not a finite number" },
        { GenerationRecipe.Sketch(LatentOfSeed(1)), 2, "count", "one image" },
        { GenerationRecipe.Sketch(LatentOfSeed(1), 1.5), 2, "strength", "strength must be from 0 to 1" },
        { GenerationRecipe.SketchToward(LatentOfSeed(1), Flange, 3, 8) with { Strength = 0.2 }, 2, "strength", "not both" },
        { GenerationRecipe.SketchToward(LatentOfSeed(1), Flange, 3, 8), 9, "count", "do not fit a strip of 8 frames" },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task Invalid_sketch_recipes_are_refused_naming_the_field(GenerationRecipe recipe, int count, string field, string message)
    {
        await using var host = await StartAsync();
        var error = await Assert.ThrowsAsync<GenerationRefusedException>(() =>
            host.EnqueueAsync(new GenerationRequest("blueprints-64", Gear, count, 1, "plain", Recipe: recipe), ServiceHost.Alice));
        Assert.Equal((RefusalKind.Invalid, field), (error.Kind, error.Field));
        Assert.Contains(message, error.Message);
    }

    [Fact]
    public async Task A_sketch_s_closest_image_variants_and_frames_match_its_latent_s_seed_and_reproduce_from_their_PNGs()
    {
        await using var host = await StartAsync();
        var latent = LatentOfSeed(10);
        var sample = await host.EnqueueAsync(new GenerationRequest("blueprints-64", Gear, 1, 10, "plain"), ServiceHost.Alice);
        var vary = await host.EnqueueAsync(new GenerationRequest("blueprints-64", Gear, 3, 10, "plain", Recipe: GenerationRecipe.Vary(0.3, 500)), ServiceHost.Alice);
        var strip = await host.EnqueueAsync(new GenerationRequest("blueprints-64", Gear, 5, 10, "plain", Recipe: GenerationRecipe.Interpolate(Flange, 20, 5)), ServiceHost.Alice);
        var closest = await host.EnqueueAsync(new GenerationRequest("blueprints-64", Gear, 1, 99, "plain", Recipe: GenerationRecipe.Sketch(latent)), ServiceHost.Alice);
        var variants = await host.EnqueueAsync(new GenerationRequest("blueprints-64", Gear, 3, 99, "plain", Recipe: GenerationRecipe.Sketch(latent, 0.3, 500)), ServiceHost.Alice);
        var frames = await host.EnqueueAsync(new GenerationRequest("blueprints-64", Gear, 5, 99, "plain", Recipe: GenerationRecipe.SketchToward(latent, Flange, 20, 5)), ServiceHost.Alice);
        await RunAsync(host);

        var pngs = await PngsAsync(host);
        Assert.Equal(Pixels(pngs[(sample.Id, 0)]), Pixels(pngs[(closest.Id, 0)]));
        for (var i = 0; i < 3; i++)
            Assert.Equal(Pixels(pngs[(vary.Id, i)]), Pixels(pngs[(variants.Id, i)]));
        for (var i = 0; i < 5; i++)
            Assert.Equal(Pixels(pngs[(strip.Id, i)]), Pixels(pngs[(frames.Id, i)]));

        var varied = BlueprintMetadata.Read(pngs[(variants.Id, 2)])!;
        Assert.Equal(("sketch", latent, 502L, 0.3), (varied.Recipe!.Kind, varied.Recipe.Latent, varied.Recipe.VariationSeed!.Value, varied.Recipe.Strength!.Value));

        var again = new List<(GenerationJob Job, byte[] Original)>();
        foreach (var original in new[] { pngs[(closest.Id, 0)], pngs[(variants.Id, 2)], pngs[(frames.Id, 3)] })
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
            await host.WaitUntilAsync(async db => run.IsFaulted || await db.GenerationJobs.AllAsync(j => j.Status == JobStatus.Completed),
                "all jobs complete", timeoutSeconds: 120);
        }
        finally
        {
            await stop.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
        }
    }
}
